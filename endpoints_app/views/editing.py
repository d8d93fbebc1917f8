"""Create (blank, from a preset, or cloned), update, and the create form's live fields.

The form posts with htmx and the answer goes to the progress area beside it, so what was typed stays in the
browser while the operation runs; refusals re-render the form with the errors (and the values) instead.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap, retarget

from endpoints_app.forms.endpoints import (
    EndpointCreateForm,
    EndpointSettingsForm,
    EndpointUpdateForm,
    initial_for_clone,
    initial_for_preset,
)
from endpoints_app.models import Endpoint, Operation
from endpoints_app.presets import PRESETS, PRESETS_BY_KEY
from endpoints_app.roles import OPERATE, requires
from endpoints_app.services import operations, refreshes
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from endpoints_app.services.operations import EndpointExists

FORM_AREA = "#endpoint-form-area"


def request_hardware_if_missing(request: HttpRequest, form: EndpointSettingsForm) -> None:
    """A namespace without a cached provider list gets one fetched (the picker polls until it is there)."""
    namespace = form.chosen_namespace
    if namespace is not None and form.hardware_missing:
        refreshes.request_missing_hardware(Actor.from_request(request), namespace)


def wire_live_fields(form: EndpointCreateForm) -> None:
    """A new namespace reloads the hardware picker; typing a repository refreshes the suggested name."""
    form.fields["namespace"].widget.attrs.update(
        {
            "hx-get": reverse("endpoints:hardware_field"),
            "hx-trigger": "change",
            "hx-target": "#hardware-field",
            "hx-swap": "outerHTML",
            "hx-include": "[name=namespace], [name=hardware]",
        }
    )
    form.fields["repository"].widget.attrs.update(
        {
            "hx-get": reverse("endpoints:suggest_name"),
            "hx-trigger": "change, keyup changed delay:400ms",
            "hx-target": "#name-field",
            "hx-swap": "outerHTML",
            "hx-include": "[name=namespace], [name=repository], [name=name]",
        }
    )


def render_form(request: HttpRequest, form: EndpointSettingsForm, context: dict[str, Any]) -> HttpResponse:
    """The page, or (for htmx) the form area re-rendered in place of the progress area it targeted."""
    if isinstance(form, EndpointCreateForm):
        wire_live_fields(form)
        request_hardware_if_missing(request, form)
    context = {"form": form, **context}
    if request.htmx:
        response = render(request, "endpoints_app/partials/endpoint_form.html", context)
        return reswap(retarget(response, FORM_AREA), "outerHTML")
    return render(request, "endpoints_app/endpoint_form.html", context)


def operation_started(request: HttpRequest, operation: Operation) -> HttpResponse:
    if request.htmx:
        return render(request, "endpoints_app/partials/operation_status.html", {"operation": operation})
    return redirect("endpoints:operation", pk=operation.pk)


def _create_context(**extra: Any) -> dict[str, Any]:
    return {"presets": PRESETS, "mode": "create", "action_url": reverse("endpoints:create"), **extra}


@sensitive_post_parameters("secrets")
@requires(OPERATE)
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        preset = PRESETS_BY_KEY.get(request.GET.get("preset", ""))
        initial = initial_for_preset(preset) if preset else {}
        return render_form(
            request, EndpointCreateForm(initial=initial, user=request.user), _create_context(preset=preset)
        )
    form = EndpointCreateForm(request.POST, user=request.user)
    if not form.is_valid():
        return render_form(request, form, _create_context())
    try:
        operation = operations.create_endpoint(
            Actor.from_request(request), form.cleaned_data["namespace"], form.to_spec()
        )
    except EndpointExists as exists:
        form.add_error("name", str(exists))
        return render_form(request, form, _create_context(existing=exists.endpoint))
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return render_form(request, form, _create_context())
    return operation_started(request, operation)


@requires(OPERATE)
@require_GET
def endpoint_clone(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Endpoint.objects.select_related("namespace").prefetch_related("tags"), pk=pk)
    form = EndpointCreateForm(initial=initial_for_clone(source), user=request.user)
    return render_form(request, form, _create_context(clone_of=source))


@sensitive_post_parameters("secrets")
@requires(OPERATE)
@require_http_methods(["GET", "POST"])
def endpoint_update(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("namespace").prefetch_related("tags"), pk=pk)
    context = {"mode": "update", "endpoint": endpoint, "action_url": reverse("endpoints:update", args=[pk])}
    if request.method == "GET":
        return render_form(request, EndpointUpdateForm(endpoint=endpoint, user=request.user), context)
    form = EndpointUpdateForm(request.POST, endpoint=endpoint, user=request.user)
    if not form.is_valid():
        return render_form(request, form, context)
    try:
        operation = operations.update_endpoint(Actor.from_request(request), endpoint, form.to_update())
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return render_form(request, form, context)
    return operation_started(request, operation)


def _unbound_create_form(request: HttpRequest) -> EndpointCreateForm:
    """The create form with the values the live field sent along, to re-render one of its fields."""
    values = {field: request.GET.get(field, "") for field in ("namespace", "repository", "name", "hardware")}
    form = EndpointCreateForm(initial=values, user=request.user)
    wire_live_fields(form)
    return form


@requires(OPERATE)
@require_GET
def hardware_field(request: HttpRequest) -> HttpResponse:
    form = _unbound_create_form(request)
    request_hardware_if_missing(request, form)
    return render(request, "endpoints_app/partials/hardware_field.html", {"form": form})


@requires(OPERATE)
@require_GET
def suggest_name(request: HttpRequest) -> HttpResponse:
    return render(request, "endpoints_app/partials/name_field.html", {"form": _unbound_create_form(request)})
