"""What the composer shows before sending: the prompt preview and the conversation as code."""

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AbstractBaseUser

from endpoints_app.models import Endpoint, EndpointStatus
from playground_app import chat_templates
from playground_app.capabilities import query_modes
from playground_app.history import Turn, model_turns, template_messages
from playground_app.history_window import Window
from playground_app.models import Conversation, Message, Role, Upload
from playground_app.parameters import ChatParameters
from playground_app.served_models import ChatModel
from playground_app.services.access import require_playground
from playground_app.services.asking import AnswerRefused, is_multimodal, sent_window
from playground_app.snippets import EngineCode, Snippet, snippets
from playground_app.upstream import EndpointNotUsable, EndpointTarget, UpstreamError


def draft_turns(conversation: Conversation | None, text: str, image: Upload | None) -> list[Turn]:
    """The turns the model would see if the draft were sent now."""
    messages = (
        list(conversation.messages.select_related("image").order_by("position")) if conversation else []
    )
    if text.strip() or image is not None:
        messages.append(Message(role=Role.USER, content=text, image=image))
    return model_turns(messages)


def draft_window(
    endpoint: Endpoint,
    conversation: Conversation | None,
    text: str,
    image: Upload | None,
    system_prompt: str,
    parameters: ChatParameters,
) -> Window:
    """What would be sent if the draft were sent now: the turns that fit the endpoint, with the notice of
    those left out. Raises AnswerRefused when the draft alone is too long (with nothing typed, the latest
    question is one already answered: nothing is refused)."""
    credential = endpoint.namespace.credential
    token = credential.reveal_token() if credential is not None else ""
    turns = draft_turns(conversation, text, image)
    try:
        return sent_window(endpoint, token, system_prompt, turns, parameters)
    except AnswerRefused:
        if text.strip() or image is not None:
            raise
        return Window(turns)


def prompt_preview(
    user: AbstractBaseUser, endpoint: Endpoint, system_prompt: str, turns: list[Turn]
) -> chat_templates.PromptPreview | None:
    """The exact prompt raw mode would send and its token count, with the template's source (None: nothing
    written yet). Raises ChatTemplateProblem."""
    require_playground(user)
    if not turns and not system_prompt.strip():
        return None
    credential = endpoint.namespace.credential
    if credential is None:
        raise chat_templates.TokenizerUnavailable(f"No token of the team reaches {endpoint.namespace.name}.")
    template = chat_templates.template_for(endpoint, credential.reveal_token())
    messages = template_messages(system_prompt, turns, multimodal=is_multimodal(endpoint))
    return chat_templates.preview(template, messages)


def code_snippets(
    user: AbstractBaseUser,
    endpoint: Endpoint,
    system_prompt: str,
    turns: list[Turn],
    parameters: ChatParameters,
) -> list[Snippet]:
    require_playground(user)
    multimodal = is_multimodal(endpoint)
    return snippets(
        endpoint, system_prompt, turns, parameters, multimodal=multimodal, engine=engine_code(endpoint)
    )


def engine_code(endpoint: Endpoint) -> EngineCode:
    model = ChatModel.of(endpoint)
    return EngineCode(model.known or _served_name_now(endpoint, model), model.source, _template(endpoint))


def _served_name_now(endpoint: Endpoint, model: ChatModel) -> str | None:
    """Asks a running endpoint the name it serves (a sleeping one is not woken for code: the snippets then
    ask it themselves)."""
    if endpoint.status != EndpointStatus.RUNNING or not query_modes(endpoint):
        return None
    try:
        return async_to_sync(model.name)(EndpointTarget.of(endpoint), None)
    except (UpstreamError, EndpointNotUsable):
        return None


def _template(endpoint: Endpoint) -> chat_templates.TemplateSource | None:
    """Whose template the raw snippet applies (None: none can be found, and raw has no snippet)."""
    credential = endpoint.namespace.credential
    if credential is None:
        return None
    try:
        return chat_templates.template_source(endpoint, credential.reveal_token())
    except chat_templates.ChatTemplateProblem:
        return None
