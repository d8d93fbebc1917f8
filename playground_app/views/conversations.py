"""Actions on a shared conversation: rename, pin, clear, delete, continue a copy, export."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from endpoints_app.roles import USE_PLAYGROUND, requires
from playground_app import exports
from playground_app.services import conversations
from playground_app.views.chat import conversation_or_404


@requires(USE_PLAYGROUND)
@require_POST
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversations.rename(request.user, conversation_or_404(pk), request.POST.get("title", ""))
    return redirect(conversation)


@requires(USE_PLAYGROUND)
@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    pinned = request.POST.get("pinned") == "1"
    conversation = conversations.set_pinned(request.user, conversation_or_404(pk), pinned)
    return redirect(conversation)


@requires(USE_PLAYGROUND)
@require_POST
def clear(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_or_404(pk)
    conversations.clear(request.user, conversation)
    messages.success(request, "The conversation was cleared.")
    return redirect(conversation)


@requires(USE_PLAYGROUND)
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_or_404(pk)
    conversations.delete(request.user, conversation)
    messages.success(request, f"“{conversation.title}” was deleted.")
    return redirect("playground:chat")


@requires(USE_PLAYGROUND)
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    original = conversation_or_404(pk)
    copy = conversations.continue_copy(request.user, original)
    messages.success(request, f"This is your copy of {original.author_name}'s conversation.")
    return redirect(copy)


@requires(USE_PLAYGROUND)
@require_GET
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_or_404(pk)
    response = JsonResponse(exports.conversation_document(conversation), json_dumps_params={"indent": 2})
    return as_attachment(response, exports.file_name(conversation, "json"))


@requires(USE_PLAYGROUND)
@require_GET
def export_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_or_404(pk)
    response = HttpResponse(
        exports.conversation_markdown(conversation), content_type="text/markdown; charset=utf-8"
    )
    return as_attachment(response, exports.file_name(conversation, "md"))


def as_attachment(response: HttpResponse, file_name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
