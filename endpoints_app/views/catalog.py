"""The Inference Catalog: search and filter the stored catalog, each recipe's hardware and price in a
namespace, "Refresh", and deploying a recipe (an operation watched like any create). No view calls the API."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from endpoints_app.forms.catalog import CatalogDeployForm, CatalogFilterForm
from endpoints_app.models import CatalogRecipe
from endpoints_app.roles import OPERATE, VIEW, requires
from endpoints_app.services import catalog, operations, refreshes
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused
from endpoints_app.services.operations import EndpointExists
from endpoints_app.views.editing import operation_started

MODELS_PER_PAGE = 25
DEPLOY_AREA = "#catalog-deploy-area"


@requires(VIEW)
@require_GET
def catalog_page(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None, choices=catalog.choices())
    namespace = form.chosen_namespace()
    prices = catalog.PriceList(namespace)
    page = Paginator(catalog.search(form.filters()), MODELS_PER_PAGE).get_page(request.GET.get("page"))
    entries = [(model, [prices.priced(recipe) for recipe in model.recipes.all()]) for model in page]
    refreshed_at = catalog.last_refreshed()
    if refreshed_at is None and request.user.has_perm(OPERATE):
        refreshes.request_missing_catalog(Actor.from_request(request))
    context = {
        "form": form,
        "namespace": namespace,
        "page": page,
        "entries": entries,
        "refreshed_at": refreshed_at,
    }
    return render(request, "endpoints_app/catalog.html", context)


@requires(OPERATE)
@require_POST
def refresh_catalog(request: HttpRequest) -> HttpResponse:
    try:
        refreshes.request_catalog(Actor.from_request(request))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, "Fetching the Inference Catalog: reload in a moment.")
    return redirect("endpoints:catalog")


@requires(OPERATE)
@require_http_methods(["GET", "POST"])
def deploy_recipe(request: HttpRequest, public_id: str) -> HttpResponse:
    recipe = get_object_or_404(CatalogRecipe.objects.select_related("model"), public_id=public_id)
    if request.method == "GET":
        form = CatalogDeployForm(recipe=recipe, initial={"namespace": request.GET.get("namespace")})
        return _render(request, form)
    form = CatalogDeployForm(request.POST, recipe=recipe)
    if not form.is_valid():
        return _render(request, form)
    try:
        operation = operations.deploy_from_catalog(
            Actor.from_request(request), form.cleaned_data["namespace"], recipe, form.cleaned_data["name"]
        )
    except EndpointExists as exists:
        form.add_error("name", str(exists))
        return _render(request, form, existing=exists.endpoint)
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render(request, form)
    return operation_started(request, operation)


def _render(request: HttpRequest, form: CatalogDeployForm, **extra: object) -> HttpResponse:
    """The page, or (for htmx) the form re-rendered in place of the progress area it targeted."""
    namespaces = form.fields["namespace"].queryset
    namespace = getattr(form, "cleaned_data", {}).get("namespace") or namespaces.first()
    priced = catalog.PriceList(namespace).priced(form.recipe)
    context = {"form": form, "recipe": form.recipe, "priced": priced, **extra}
    if request.htmx:
        response = render(request, "endpoints_app/partials/catalog_deploy_form.html", context)
        return reswap(retarget(response, DEPLOY_AREA), "outerHTML")
    return render(request, "endpoints_app/catalog_deploy.html", context)
