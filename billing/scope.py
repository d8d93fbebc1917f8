"""Which endpoints a policy covers, and which of them are marked 'keep running'."""

import operator
from collections.abc import Iterable
from datetime import datetime
from functools import reduce

from django.db.models import Q, QuerySet

from billing.models import Exclusion, Policy
from endpoints_app.models import Endpoint


def scope_filter(policy: Policy) -> Q:
    """Endpoints in any chosen namespace, with any chosen tag, or chosen by name; nothing chosen: all (an
    empty Q). The choices are read from the policy's prefetched relations when they are."""
    namespace_ids = [namespace.pk for namespace in policy.namespaces.all()]
    tag_ids = [tag.pk for tag in policy.tags.all()]
    endpoint_ids = [endpoint.pk for endpoint in policy.endpoints.all()]
    if not (namespace_ids or tag_ids or endpoint_ids):
        return Q()
    return Q(namespace__in=namespace_ids) | Q(tags__in=tag_ids) | Q(pk__in=endpoint_ids)


def endpoints_in_scope(policy: Policy, *, include_gone: bool = False) -> QuerySet[Endpoint]:
    endpoints = Endpoint.objects.filter(scope_filter(policy)).distinct().select_related("namespace")
    return endpoints if include_gone else endpoints.filter(is_gone=False)


def endpoints_covered_by(policies: Iterable[Policy]) -> QuerySet[Endpoint]:
    """Endpoints in the scope of any of the policies, in one query (prefetch the policies' choices); an
    endpoint may come more than once."""
    scopes = [scope_filter(policy) for policy in policies]
    if not scopes:
        return Endpoint.objects.none()
    if not all(scopes):  # a policy that chose nothing covers every endpoint
        return Endpoint.objects.all()
    return Endpoint.objects.filter(reduce(operator.or_, scopes))


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
