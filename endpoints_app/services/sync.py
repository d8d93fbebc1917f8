"""Refreshing the mirror: one list call per namespace, and the provider list (hardware and prices)."""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from endpoints_app.hf import GatewayError, HfGateway
from endpoints_app.models import Endpoint, HardwareOption, Namespace
from endpoints_app.services.mirror import apply_listing, price_table, reprice

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    namespace: str
    ok: bool
    seen: int = 0
    changed: int = 0
    error: str = ""


def sync_namespace(namespace: Namespace) -> SyncResult:
    """Mirrors every endpoint of the namespace with one list call; records the outcome on the namespace."""
    now = timezone.now()
    try:
        remotes = HfGateway.for_namespace(namespace).list_endpoints(namespace.name)
    except GatewayError as error:
        Namespace.objects.filter(pk=namespace.pk).update(last_sync_attempt_at=now, last_sync_error=str(error))
        logger.warning("Sync of %s failed: %s", namespace.name, error)
        return SyncResult(namespace.name, ok=False, error=str(error))
    changed = apply_listing(namespace, remotes, fetched_at=now)
    Namespace.objects.filter(pk=namespace.pk).update(
        last_synced_at=now, last_sync_attempt_at=now, last_sync_error=""
    )
    return SyncResult(namespace.name, ok=True, seen=len(remotes), changed=len(changed))


def is_stale(namespace: Namespace) -> bool:
    """Not synced for more than three intervals (the API unreachable, or the worker down)."""
    if namespace.last_synced_at is None:
        return True
    limit = timedelta(seconds=3 * settings.SYNC_INTERVAL_SECONDS)
    return timezone.now() - namespace.last_synced_at > limit


def refresh_hardware(namespace: Namespace) -> int:
    """Replaces the namespace's cached provider list and re-prices its endpoints. Returns the option count."""
    entries = HfGateway.for_namespace(namespace).list_hardware(namespace.name)
    now = timezone.now()
    with transaction.atomic():
        HardwareOption.objects.filter(namespace=namespace).delete()
        HardwareOption.objects.bulk_create(
            HardwareOption(namespace=namespace, refreshed_at=now, **asdict(entry)) for entry in entries
        )
        prices = price_table(namespace)
        for endpoint in Endpoint.objects.filter(namespace=namespace):
            price = prices.get(
                (endpoint.vendor, endpoint.region, endpoint.instance_type, endpoint.instance_size)
            )
            if price != endpoint.price_per_hour:
                reprice(endpoint, price, now)
    return len(entries)
