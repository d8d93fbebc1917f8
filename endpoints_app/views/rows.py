"""What a row of the endpoint list needs, loaded in a fixed number of queries whatever the number of rows."""

import hashlib
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from endpoints_app.models import Endpoint, Operation
from endpoints_app.models.operations import ACTIVE_STATES


def with_row_data(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """Namespace, tags and the active operation of each endpoint (as `active_operations`), prefetched."""
    active = Operation.objects.filter(state__in=ACTIVE_STATES).select_related("requested_by")
    return endpoints.select_related("namespace").prefetch_related(
        "tags", Prefetch("operations", queryset=active, to_attr="active_operations")
    )


def active_operation_of(endpoint: Endpoint) -> Operation | None:
    operations = getattr(endpoint, "active_operations", None)
    return operations[0] if operations else None


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
