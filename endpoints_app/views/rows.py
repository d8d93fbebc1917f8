"""What a row of the endpoint list needs, loaded in a fixed number of queries whatever the number of rows."""

import hashlib
from collections.abc import Iterable, Sequence

from django.db.models import F, QuerySet
from django.urls import reverse

from endpoints_app.models import Endpoint, Operation
from endpoints_app.models.operations import ACTIVE_STATES

# The columns a row shows or fingerprints (`fingerprint`, `Endpoint.hourly_burn`), and nothing else: the raw
# JSON alone cost a fifth of a page to decode, and every column loaded is a value set on every row's model.
ROW_COLUMNS = (
    "namespace", "name", "status", "status_message", "url", "repository", "task", "vendor", "region",
    "instance_type", "instance_size", "ready_replica", "target_replica", "max_replica", "price_per_hour",
    "remote_updated_at", "is_gone",
)  # fmt: skip


def with_row_data(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """The rows' columns only, and the namespace's name (`namespace_name`): a row needs no Namespace of its
    own (a hundred models built per page for one string each)."""
    return endpoints.only(*ROW_COLUMNS).annotate(namespace_name=F("namespace__name"))


# The links and actions of a row. reverse() costs about 0.15 ms a call with this URL conf, several per row:
# each URL is reversed once per page with a stand-in id, then filled in for every row.
ROW_LINKS = ("detail", "pause", "resume", "scale_to_zero")
_STAND_IN_ID = "987654321"


def prepare_rows(endpoints: Sequence[Endpoint]) -> bool:
    """Sets each row's `active_operation` (the first of one query of every active operation, or None) and
    `links`. Returns whether any operation is active at all (a create under way has no row yet)."""
    active = list(Operation.objects.filter(state__in=ACTIVE_STATES).select_related("requested_by"))
    by_endpoint: dict[tuple[int, str], Operation] = {}
    for operation in active:
        by_endpoint.setdefault((operation.namespace_id, operation.endpoint_name), operation)
    patterns = {name: reverse(f"endpoints:{name}", args=[_STAND_IN_ID]) for name in ROW_LINKS}
    for endpoint in endpoints:
        endpoint.active_operation = by_endpoint.get((endpoint.namespace_id, endpoint.name))
        endpoint.links = {name: url.replace(_STAND_IN_ID, str(endpoint.pk)) for name, url in patterns.items()}
    return bool(active)


def active_operation_of(endpoint: Endpoint) -> Operation | None:
    return getattr(endpoint, "active_operation", None)


def needs_polling(endpoints: Iterable[Endpoint]) -> bool:
    """Something on screen will change by itself: an endpoint in transition or an operation under way."""
    return any(endpoint.is_transitional or active_operation_of(endpoint) for endpoint in endpoints)


def fingerprint(endpoints: Iterable[Endpoint], *extra: object) -> str:
    """An ETag of everything a row shows that can change while the page is open."""
    state = []
    for endpoint in endpoints:
        operation = active_operation_of(endpoint)
        state.append(
            (
                endpoint.pk,
                endpoint.status,
                endpoint.status_message,
                endpoint.url,
                endpoint.ready_replica,
                endpoint.target_replica,
                endpoint.instance_type,
                endpoint.instance_size,
                str(endpoint.price_per_hour),
                endpoint.is_gone,
                (operation.pk, operation.state, operation.remote_state) if operation else None,
            )
        )
    return hashlib.sha256(repr((state, extra)).encode()).hexdigest()[:32]
