"""Which endpoints a policy covers, and which of them are marked 'keep running'."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet

from billing.models import Exclusion, Policy
from endpoints_app.models import Endpoint


def scope_filter(policy: Policy) -> Q:
    """Endpoints in any chosen namespace, with any chosen tag, or chosen by name; nothing chosen: all."""
    namespace_ids = list(policy.namespaces.values_list("pk", flat=True))
    tag_ids = list(policy.tags.values_list("pk", flat=True))
    endpoint_ids = list(policy.endpoints.values_list("pk", flat=True))
    if not (namespace_ids or tag_ids or endpoint_ids):
        return Q()
    return Q(namespace__in=namespace_ids) | Q(tags__in=tag_ids) | Q(pk__in=endpoint_ids)


def endpoints_in_scope(policy: Policy, *, include_gone: bool = False) -> QuerySet[Endpoint]:
    endpoints = Endpoint.objects.filter(scope_filter(policy)).distinct().select_related("namespace")
    return endpoints if include_gone else endpoints.filter(is_gone=False)


def scope_label(policy: Policy) -> str:
    """'All endpoints', or e.g. 'namespace demo-org; tag prod; endpoint demo/gemma-001'."""
    parts = [
        *(f"namespace {name}" for name in policy.namespaces.values_list("name", flat=True)),
        *(f"tag {name}" for name in policy.tags.values_list("name", flat=True)),
        *(f"endpoint {endpoint.full_name}" for endpoint in policy.endpoints.select_related("namespace")),
    ]
    return "; ".join(parts) if parts else "All endpoints"


def active_exclusions(endpoints: Iterable[Endpoint], at: datetime) -> dict[int, Exclusion]:
    """The 'keep running' mark of each excluded endpoint (the one lasting longest)."""
    exclusions = Exclusion.objects.active(at).filter(endpoint__in=list(endpoints)).order_by("expires_at")
    return {exclusion.endpoint_id: exclusion for exclusion in exclusions}
