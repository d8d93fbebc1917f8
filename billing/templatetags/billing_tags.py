"""Money and policy sentences for templates; the bell's unread count; an endpoint's cost so far and where
its activity comes from."""

from django import template
from django.utils import timezone

from billing import services
from billing.costs import CostSoFar, cost_so_far
from billing.models import MetricsReading, Policy
from billing.policies import describe
from billing.policies.plan import Plan
from billing.scope import scope_label
from billing.warnings import Notice, preview
from endpoints_app.models import Endpoint
from endpoints_app.templatetags.endpoint_ui import money

register = template.Library()


register.filter("money", money)


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    user = context.get("user")
    return services.unread_count(user) if user is not None and user.is_authenticated else 0


@register.simple_tag
def endpoint_cost(endpoint: Endpoint) -> CostSoFar:
    """What the endpoint has cost since the console first saw it (its page's "Cost so far")."""
    return cost_so_far(endpoint, timezone.now())


@register.simple_tag
def activity_reading(endpoint: Endpoint) -> MetricsReading | None:
    """The endpoint's last activity reading: where its activity comes from (its page's "Activity")."""
    return MetricsReading.objects.filter(endpoint=endpoint).first()


@register.filter
def policy_description(policy: Policy) -> str:
    return describe(policy)


@register.filter
def policy_scope(policy: Policy) -> str:
    return scope_label(policy)


@register.simple_tag
def pause_notices(plan: Plan) -> list[Notice]:
    """Who the plan's policy warns before pausing, and when (the dry run's "Notice before pausing")."""
    return preview(plan)
