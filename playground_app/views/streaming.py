"""The streaming answer: an async view (under the ASGI server) that relays the endpoint's tokens as SSE."""

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_POST

from dashboard import rate_limits
from endpoints_app.roles import USE_PLAYGROUND
from endpoints_app.services.errors import NotPermitted
from playground_app.answer_stream import stream_answer
from playground_app.database_trips import database_trip
from playground_app.forms import ChatForm
from playground_app.services.asking import AnswerPlan, AnswerRefused, prepare_answer
from playground_app.upstream import EndpointNotUsable


@database_trip
def _prepare(request: HttpRequest) -> AnswerPlan | JsonResponse:
    """The checks and the plan, in one trip to the request's thread: the role, the rate limit, the form, and
    the request to send (nothing is written yet)."""
    if not request.user.has_perm(USE_PLAYGROUND):
        return JsonResponse({"message": "Your role does not include the playground."}, status=403)
    if not rate_limits.allow(rate_limits.PLAYGROUND_SENDS, request.user.pk):
        return JsonResponse({"message": rate_limits.PLAYGROUND_SENDS.refusal()}, status=429)
    form = ChatForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"message": "Check the form.", "errors": form.errors}, status=400)
    try:
        return prepare_answer(request.user, form.ask())
    except EndpointNotUsable as refusal:
        endpoint = form.cleaned_data["endpoint"]
        return JsonResponse({"message": str(refusal), "endpoint_status": endpoint.status}, status=409)
    except AnswerRefused as refusal:
        return JsonResponse({"message": str(refusal)}, status=400)
    except NotPermitted as refusal:
        return JsonResponse({"message": str(refusal)}, status=403)


@require_POST
async def answer(request: HttpRequest) -> HttpResponse:
    """Asks the endpoint while recording the question, then streams the answer; refusals come back as JSON
    with the reason."""
    plan = await _prepare(request)
    if isinstance(plan, JsonResponse):
        return plan
    response = StreamingHttpResponse(stream_answer(plan), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a reverse proxy must pass tokens on as they come
    return response
