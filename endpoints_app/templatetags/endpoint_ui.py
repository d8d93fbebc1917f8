"""Template filters of the endpoint pages: which actions a row offers, an operation's steps, money."""

from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.middleware.csrf import get_token
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from endpoints_app.models import Endpoint, EndpointStatus, Operation
from endpoints_app.models.operations import OperationState
from endpoints_app.security_types import short_label

register = template.Library()

# Which quick actions make sense in each state (the services refuse the rest with a message anyway).
RESUMABLE = frozenset(
    {
        EndpointStatus.PAUSED,
        EndpointStatus.SCALED_TO_ZERO,
        EndpointStatus.FAILED,
        EndpointStatus.UPDATE_FAILED,
    }
)
SCALABLE_TO_ZERO = frozenset({EndpointStatus.RUNNING, EndpointStatus.UPDATING, EndpointStatus.UPDATE_FAILED})
STEPS = (OperationState.QUEUED, OperationState.CALLING, OperationState.WAITING)


@register.simple_tag(takes_context=True)
def endpoint_rows(context: template.Context, rows: Iterable[Endpoint], can_operate: bool) -> SafeString:
    """The endpoint list's rows (templates/jinja2/endpoints_app/endpoint_rows.html). Rendered by Jinja2: the
    same template in Django's language took 9.6 ms for a page of 100 rows, Jinja2 takes 2.4 ms, and the rows
    were most of the page's cost (bench.endpoint_list)."""
    request = context.get("request")
    if request is None:  # without it the row forms would carry no CSRF token, and every action a 403
        raise ValueError("endpoint_rows needs the request in the template's context.")
    rows_template = engines["jinja2"].get_template("endpoints_app/endpoint_rows.html")
    # One CSRF token for every form of the rows, as Django's {% csrf_token %} gives a page: Jinja2's
    # `csrf_token` masks the token anew each time it is written (two random strings a row).
    context = {"rows": rows, "can_operate": can_operate, "form_token": get_token(request)}
    html = rows_template.render(context, request)
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (dashboard/jinja2.py)


@register.filter
def offered_actions(endpoint: Endpoint) -> frozenset[str]:
    """{"pause", "resume", "scale_to_zero"}: the actions worth a button for the endpoint as it is now."""
    if endpoint.is_gone:
        return frozenset()
    offered = set()
    if endpoint.status != EndpointStatus.PAUSED:
        offered.add("pause")
    if endpoint.status in RESUMABLE:
        offered.add("resume")
    if endpoint.status in SCALABLE_TO_ZERO:
        offered.add("scale_to_zero")
    return frozenset(offered)


@register.filter
def step_state(operation: Operation, step: str) -> str:
    """'done', 'current', 'todo' or 'skipped' for one step of the operation's progress."""
    if operation.is_active:
        position, current = STEPS.index(OperationState(step)), STEPS.index(OperationState(operation.state))
        return "done" if position < current else "current" if position == current else "todo"
    if step == OperationState.WAITING and operation.deadline is None:
        # It ended at the API call: refused or failed, or a pause or scale-to-zero the answer showed done.
        return "skipped"
    return "done"


def _badge(css_class: str, label: str) -> SafeString:
    return format_html('<span class="badge badge-{}">{}</span>', css_class, label)


# Each status's badge, written once: the list shows a hundred of them.
GONE_BADGE = _badge("gone", "Deleted")
STATUS_BADGES = {status: _badge(status, label) for status, label in EndpointStatus.choices}


@register.filter
def status_badge(endpoint: Endpoint) -> str:
    """The endpoint's status as a badge (a filter, not an include: the list renders one per row)."""
    if endpoint.is_gone:
        return GONE_BADGE
    return STATUS_BADGES.get(endpoint.status) or _badge(endpoint.status, endpoint.status)


@register.filter
def money(amount: Decimal | None) -> str:
    """'$1,234.56', '-$3.00' (a resume's "saving"); an unknown amount is a dash."""
    if amount is None or amount == "":
        return "—"
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


@register.filter
def milliseconds(seconds: float | None) -> str:
    """0.0123 -> '12.3 ms'; an unknown duration is a dash."""
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f} ms"


@register.filter
def security_label(endpoint_type: str) -> str:
    """Who may call an endpoint of this type, as the Inference Endpoints documentation says it."""
    return short_label(endpoint_type)
