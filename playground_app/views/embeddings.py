"""The embeddings panel: a few sentences embedded by a TEI endpoint, their similarity shown as a matrix
(server-rendered); sends are permission-checked and rate-limited like the chat's."""

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from dashboard import rate_limits
from endpoints_app.models import Endpoint
from endpoints_app.roles import USE_PLAYGROUND, requires
from endpoints_app.services.errors import NotPermitted
from playground_app.forms import EmbeddingsForm
from playground_app.services.embeddings import Similarities, similarities
from playground_app.services.endpoints import embedding_endpoints
from playground_app.snippets import embedding_snippets
from playground_app.upstream import EndpointNotUsable, UpstreamError


def _page(request: HttpRequest, form: EmbeddingsForm, result: Similarities | None = None) -> TemplateResponse:
    endpoints = list(embedding_endpoints())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chosen = data.get("endpoint") or next((e for e in endpoints if e.pk == form["endpoint"].initial), None)
    sentences = data.get("sentences") or (form["sentences"].value() or "").split("\n")
    context = {
        "form": form,
        "result": result,
        "endpoints": endpoints,
        "snippets": embedding_snippets(chosen or endpoints[0], sentences) if endpoints else [],
    }
    return TemplateResponse(request, "playground_app/embeddings.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def embeddings(request: HttpRequest) -> HttpResponse:
    """The panel; `?endpoint=<id>` chooses the endpoint."""
    chosen = request.GET.get("endpoint", "")
    initial = {"endpoint": int(chosen)} if chosen.isdecimal() else {}
    return _page(request, EmbeddingsForm(initial=initial))


@requires(USE_PLAYGROUND)
@require_POST
async def compare(request: HttpRequest) -> HttpResponse:
    form = EmbeddingsForm(request.POST)
    if not await sync_to_async(form.is_valid)():
        return await sync_to_async(_page)(request, form)
    user = await request.auser()
    if not await rate_limits.allow_async(rate_limits.PLAYGROUND_SENDS, user.pk):
        form.add_error(None, rate_limits.PLAYGROUND_SENDS.refusal())
        return await sync_to_async(_page)(request, form)
    endpoint: Endpoint = form.cleaned_data["endpoint"]
    try:
        result = await similarities(user, endpoint, form.cleaned_data["sentences"])
    except (UpstreamError, EndpointNotUsable, NotPermitted) as error:
        form.add_error(None, str(error))
        return await sync_to_async(_page)(request, form)
    return await sync_to_async(_page)(request, form, result)
