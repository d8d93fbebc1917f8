"""The chat page (a new conversation or a permalink), its prompt preview, copy as code and history."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from endpoints_app.models import Endpoint
from endpoints_app.roles import USE_PLAYGROUND, requires
from playground_app import chat_templates
from playground_app.capabilities import mode_label, query_modes, raw_route, unsupported
from playground_app.forms import ChatForm, ComposerForm, HistorySearchForm, chat_initial
from playground_app.history_window import Window
from playground_app.models import Conversation, QueryMode
from playground_app.rendering import render_markdown
from playground_app.services import composer, conversations
from playground_app.services.access import can_manage
from playground_app.services.asking import AnswerRefused
from playground_app.services.endpoints import can_resume, chat_endpoints, embedding_endpoints

HISTORY_LENGTH = 50
PARAMETER_FIELDS = ("temperature", "top_p", "max_new_tokens", "seed", "repetition_penalty", "stop")


def with_capabilities(endpoint: Endpoint) -> Endpoint:
    """The endpoint, with what the composer offers for it (its options' data attributes)."""
    endpoint.query_modes = " ".join(query_modes(endpoint))
    endpoint.raw_label = mode_label(endpoint, QueryMode.RAW)
    endpoint.unsupported = unsupported(endpoint)
    return endpoint


def _history(request: HttpRequest) -> dict:
    query = HistorySearchForm(request.GET).query()
    return {"history": conversations.history(query)[:HISTORY_LENGTH], "history_query": query}


def _page(request: HttpRequest, conversation: Conversation | None) -> HttpResponse:
    endpoint_id = request.GET.get("endpoint")
    endpoints = [with_capabilities(endpoint) for endpoint in chat_endpoints()]
    chosen = next((e for e in endpoints if str(e.pk) == endpoint_id), None)
    messages = []
    if conversation is not None:
        for message in conversation.messages.select_related("image").order_by("position"):
            message.html = render_markdown(message.content) if message.is_answer else ""
            messages.append(message)
    form = ChatForm(initial=chat_initial(conversation, chosen))
    context = {
        "conversation": conversation,
        "messages_list": messages,
        "form": form,
        "parameter_fields": [form[name] for name in PARAMETER_FIELDS],
        "endpoints": endpoints,
        "selected_endpoint": form.initial.get("endpoint") or (endpoints[0].pk if endpoints else None),
        "modes": QueryMode.choices,
        "can_write": conversation is None or conversation.author_id == request.user.pk,
        "can_manage": conversation is not None and can_manage(request.user, conversation.author_id),
        "can_resume": can_resume(request.user),
        **_history(request),
    }
    return render(request, "playground_app/chat.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def new_chat(request: HttpRequest) -> HttpResponse:
    """A new conversation; an embeddings endpoint (?endpoint=<id>, "Open in playground") opens its panel."""
    chosen = request.GET.get("endpoint", "")
    if chosen.isdecimal() and embedding_endpoints().filter(pk=chosen).exists():
        return redirect(f"{reverse('playground:embeddings')}?endpoint={chosen}")
    return _page(request, None)


@requires(USE_PLAYGROUND)
@require_GET
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_object_or_404(Conversation.objects.select_related("author", "endpoint"), pk=pk))


@requires(USE_PLAYGROUND)
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    return render(request, "playground_app/partials/history_list.html", _history(request))


def _composer(request: HttpRequest) -> tuple[ComposerForm, Endpoint | None]:
    form = ComposerForm(request.POST)
    form.is_valid()
    return form, form.cleaned_data.get("endpoint")


def _draft(form: ComposerForm, endpoint: Endpoint) -> Window:
    """The draft as it would be sent (raises AnswerRefused when it is too long)."""
    data = form.cleaned_data
    return composer.draft_window(
        endpoint,
        data.get("conversation"),
        data.get("text") or "",
        data.get("image"),
        data.get("system_prompt") or "",
        form.chat_parameters(),
    )


@requires(USE_PLAYGROUND)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The prompt raw mode would send (the tokenizer is loaded on the first preview of a repository)."""
    form, endpoint = _composer(request)
    context: dict = {"endpoint": endpoint, "raw_route": endpoint and raw_route(endpoint)}
    if endpoint is not None and unsupported(endpoint):
        context.update(problem=unsupported(endpoint), unsupported=True)
    elif endpoint is not None:
        try:
            window = _draft(form, endpoint)
            context["history_notice"] = window.notice
            context["preview"] = composer.prompt_preview(
                request.user, endpoint, form.cleaned_data.get("system_prompt") or "", window.turns
            )
        except AnswerRefused as refusal:
            context["problem"] = str(refusal)
        except chat_templates.NoChatTemplate as problem:
            context.update(problem=str(problem), no_template=True)
        except chat_templates.ChatTemplateProblem as problem:
            context["problem"] = str(problem)
    return render(request, "playground_app/partials/prompt_preview.html", context)


SNIPPETS = "playground_app/partials/code_snippets.html"


@requires(USE_PLAYGROUND)
@require_POST
def code(request: HttpRequest) -> HttpResponse:
    form, endpoint = _composer(request)
    snippets = []
    if endpoint is not None and unsupported(endpoint):
        return render(request, SNIPPETS, {"unsupported": unsupported(endpoint)})
    if endpoint is not None:
        try:
            turns = _draft(form, endpoint).turns
        except AnswerRefused as refusal:
            return render(request, SNIPPETS, {"unsupported": str(refusal)})
        system_prompt = form.cleaned_data.get("system_prompt") or ""
        parameters = form.chat_parameters()
        snippets = composer.code_snippets(request.user, endpoint, system_prompt, turns, parameters)
    return render(request, SNIPPETS, {"snippets": snippets})


def conversation_or_404(pk: int) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("author"), pk=pk)
