"""Keeping the database mirror in step with what the API says, and recording the status timeline."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from endpoints_app.hf import RemoteEndpoint
from endpoints_app.models import Endpoint, HardwareOption, Namespace, StatusEvent, Tag
from endpoints_app.models.endpoints import billed_replicas

PriceKey = tuple[str, str, str, str]


def price_table(namespace: Namespace) -> dict[PriceKey, Decimal]:
    """Price per replica-hour of each instance the namespace may use, from the cached provider list."""
    options = HardwareOption.objects.filter(namespace=namespace).values_list(
        "vendor", "region", "instance_type", "instance_size", "price_per_hour"
    )
    return {(vendor, region, itype, size): price for vendor, region, itype, size, price in options}


def price_key(remote: RemoteEndpoint) -> PriceKey:
    return (remote.vendor, remote.region, remote.instance_type, remote.instance_size)


def apply_remote(namespace: Namespace, remote: RemoteEndpoint) -> Endpoint:
    """Creates or updates the mirror row of `remote` (after an operation's call, or one of its checks: an
    unchanged endpoint costs two reads and no write)."""
    existing = Endpoint.objects.filter(namespace=namespace, name=remote.name).first()
    price = (
        HardwareOption.objects.filter(
            namespace=namespace,
            vendor=remote.vendor,
            region=remote.region,
            instance_type=remote.instance_type,
            instance_size=remote.instance_size,
        )
        .values_list("price_per_hour", flat=True)
        .first()
    )
    if existing is not None and _is_unchanged(existing, remote, price):
        return existing
    return _apply(namespace, remote, existing, price)


def apply_listing(
    namespace: Namespace, remotes: Iterable[RemoteEndpoint], fetched_at: datetime
) -> list[Endpoint]:
    """Applies a namespace's full list, asked for at `fetched_at`; rows absent from it are marked gone.
    Returns the changed rows.

    A row written since `fetched_at` (an operation saw the endpoint later, or created it) is newer than the
    list: it is left as it is. Unchanged rows (same raw JSON and price) are not rewritten: one UPDATE stamps
    them all as synced.
    """
    prices = price_table(namespace)
    existing = {e.name: e for e in Endpoint.objects.filter(namespace=namespace).prefetch_related("tags")}
    newer = {name for name, e in existing.items() if e.last_synced_at and e.last_synced_at >= fetched_at}
    changed, unchanged_ids = [], []
    for remote in remotes:
        endpoint, price = existing.pop(remote.name, None), prices.get(price_key(remote))
        if remote.name in newer:
            continue
        if endpoint is not None and _is_unchanged(endpoint, remote, price):
            unchanged_ids.append(endpoint.pk)
        else:
            changed.append(_apply(namespace, remote, endpoint, price))
    Endpoint.objects.filter(pk__in=unchanged_ids).update(last_synced_at=timezone.now())
    for name, endpoint in existing.items():
        if not endpoint.is_gone and name not in newer:
            mark_gone(endpoint)
            changed.append(endpoint)
    return changed


def _is_unchanged(endpoint: Endpoint, remote: RemoteEndpoint, price: Decimal | None) -> bool:
    return not endpoint.is_gone and endpoint.raw == remote.raw and endpoint.price_per_hour == price


@transaction.atomic
def _apply(
    namespace: Namespace, remote: RemoteEndpoint, endpoint: Endpoint | None, price: Decimal | None
) -> Endpoint:
    """Writes `remote` into `endpoint` (a new row if None); a change of status, of billed replicas, or of the
    price of billed replicas (new hardware) is a StatusEvent."""
    now = timezone.now()
    if endpoint is None:
        endpoint = Endpoint(namespace=namespace, name=remote.name)
        previous_status, previous_replicas, previous_price = "", 0, None
    else:
        previous_status = "" if endpoint.is_gone else endpoint.status
        previous_replicas = billed_replicas(endpoint.status, endpoint.target_replica, endpoint.ready_replica)
        previous_price = endpoint.price_per_hour
    _copy_fields(endpoint, remote, price, now)
    try:
        with transaction.atomic():  # a savepoint: another sync or operation may have inserted the row since
            endpoint.save()
    except IntegrityError:
        if endpoint.pk is not None:
            raise
        existing = Endpoint.objects.prefetch_related("tags").get(namespace=namespace, name=remote.name)
        return _apply(namespace, remote, existing, price)
    _set_tags(endpoint, remote.tags)
    replicas = billed_replicas(remote.status, remote.target_replica, remote.ready_replica)
    repriced = replicas > 0 and price != previous_price
    if remote.status != previous_status or replicas != previous_replicas or repriced:
        StatusEvent.objects.create(
            endpoint=endpoint,
            at=now,
            from_status=previous_status,
            to_status=remote.status,
            replicas=replicas,
            price_per_hour=price,
            message=remote.message,
        )
    return endpoint


def _copy_fields(endpoint: Endpoint, remote: RemoteEndpoint, price: Decimal | None, now: datetime) -> None:
    endpoint.status = remote.status
    endpoint.status_message = remote.message
    endpoint.url = remote.url
    endpoint.endpoint_type = remote.endpoint_type
    endpoint.repository = remote.repository
    endpoint.revision = remote.revision
    endpoint.task = remote.task
    endpoint.framework = remote.framework
    endpoint.image = remote.image
    endpoint.engine = remote.engine
    endpoint.health_route = remote.health_route
    endpoint.vendor = remote.vendor
    endpoint.region = remote.region
    endpoint.accelerator = remote.accelerator
    endpoint.instance_type = remote.instance_type
    endpoint.instance_size = remote.instance_size
    endpoint.min_replica = remote.min_replica
    endpoint.max_replica = remote.max_replica
    endpoint.scale_to_zero_timeout = remote.scale_to_zero_timeout
    endpoint.ready_replica = remote.ready_replica
    endpoint.target_replica = remote.target_replica
    endpoint.created_by_name = remote.created_by
    endpoint.updated_by_name = remote.updated_by
    endpoint.remote_created_at = remote.created_at
    endpoint.remote_updated_at = remote.updated_at
    endpoint.raw = remote.raw
    endpoint.price_per_hour = price
    endpoint.is_gone = False
    endpoint.gone_at = None
    endpoint.last_synced_at = now


def _set_tags(endpoint: Endpoint, names: Iterable[str]) -> None:
    wanted = set(names)
    if {tag.name for tag in endpoint.tags.all()} == wanted:
        return
    tags = [Tag.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    endpoint.tags.set(tags)


def reprice(endpoint: Endpoint, price: Decimal | None, at: datetime) -> None:
    """A new price for the endpoint's hardware; while billed, the timeline records it from `at` on."""
    replicas = billed_replicas(endpoint.status, endpoint.target_replica, endpoint.ready_replica)
    if replicas and not endpoint.is_gone:
        StatusEvent.objects.create(
            endpoint=endpoint,
            at=at,
            from_status=endpoint.status,
            to_status=endpoint.status,
            replicas=replicas,
            price_per_hour=price,
            message="New price from the provider list",
        )
    Endpoint.objects.filter(pk=endpoint.pk).update(price_per_hour=price)
    endpoint.price_per_hour = price


@transaction.atomic
def mark_gone(endpoint: Endpoint) -> None:
    """The endpoint no longer exists remotely: keep its row and history, stop billing it."""
    if endpoint.is_gone:
        return
    now = timezone.now()
    StatusEvent.objects.create(
        endpoint=endpoint,
        at=now,
        from_status=endpoint.status,
        to_status="gone",
        replicas=0,
        message="Deleted",
    )
    endpoint.is_gone = True
    endpoint.gone_at = now
    endpoint.save(update_fields=["is_gone", "gone_at"])
