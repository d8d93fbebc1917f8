"""Asking for an answer: the request for the chosen mode is built from what the model should see, the
conversation is updated (a question sent, edited, or an answer to redo), and the answer is saved when it ends.

The plan is made before anything is written, so that the streaming view can record the question while the
endpoint is already being asked (the first token does not wait for the database).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from endpoints_app.models import Endpoint
from endpoints_app.services.activity import record_activity
from playground_app import chat_templates
from playground_app.capabilities import query_modes, raw_route, unsupported
from playground_app.history import Turn, chat_messages, model_turns, template_messages
from playground_app.history_window import TooLong, Window, fit_history
from playground_app.models import Conversation, Message, MessageStatus, QueryMode, Role, Upload
from playground_app.parameters import ChatParameters
from playground_app.query_modes import (
    AnswerRequest,
    InferenceClientRequest,
    messages_api_request,
    raw_request,
)
from playground_app.rendering import render_markdown
from playground_app.served_models import ChatModel
from playground_app.services.access import require_author, require_playground
from playground_app.services.conversations import next_position, start_conversation
from playground_app.services.uploads import data_url
from playground_app.upstream import EndpointTarget, require_queryable
from playground_app.usage import record_answer

MULTIMODAL_TASK = "image-text-to-text"


class Action(StrEnum):
    SEND = "send"
    REGENERATE = "regenerate"
    EDIT = "edit"


class AnswerRefused(ValueError):
    """The answer cannot be asked for as requested; `str(error)` says why."""


@dataclass(frozen=True)
class Ask:
    """What the person asked for (a parsed form)."""

    action: Action
    endpoint: Endpoint
    mode: QueryMode
    system_prompt: str
    parameters: ChatParameters
    conversation: Conversation | None = None
    text: str = ""
    edited: Message | None = None
    image: Upload | None = None


@dataclass(frozen=True)
class AnswerPlan:
    user: AbstractBaseUser
    ask: Ask
    endpoint: Endpoint
    target: EndpointTarget
    mode: QueryMode
    request: AnswerRequest | None
    failure: str = ""  # set when the request could not be built (a chat template refusing the conversation)
    prompt_tokens: int | None = None
    history_notice: str = ""  # why older turns were left out (playground_app.history_window)


@dataclass(frozen=True)
class Recorded:
    """The question as saved: its conversation (new or updated), the question and its answer (started)."""

    conversation: Conversation
    question: Message
    answer: Message  # arriving until save_answer


@dataclass
class Outcome:
    text: str
    status: MessageStatus
    error: str = ""
    stats: dict[str, float | int | None] = field(default_factory=dict)


def is_multimodal(endpoint: Endpoint) -> bool:
    return endpoint.task == MULTIMODAL_TASK


def prepare_answer(user: AbstractBaseUser, ask: Ask) -> AnswerPlan:
    """Checks the request and builds what to send; refuses before anything is written, and writes nothing."""
    require_playground(user)
    require_queryable(ask.endpoint)
    target = EndpointTarget.of(ask.endpoint)
    if ask.conversation is not None:
        require_author(user, ask.conversation.author_id)
    _require_mode(ask.endpoint, ask.mode)
    if ask.image is not None and ask.mode == QueryMode.RAW:
        raise AnswerRefused("Images go through the messages API: choose it, or InferenceClient.")
    if ask.image is not None and not is_multimodal(ask.endpoint):
        raise AnswerRefused(f"{ask.endpoint.full_name} reads text only: choose a multimodal endpoint.")
    return _plan(user, ask, target, _history(ask))


def _require_mode(endpoint: Endpoint, mode: QueryMode) -> None:
    """The mode must be one the endpoint's engine serves (the composer offers no other)."""
    if mode not in query_modes(endpoint):
        raise AnswerRefused(unsupported(endpoint) or f"{endpoint.full_name} does not serve {mode.label}.")


def record_question(plan: AnswerPlan) -> Recorded:
    """Saves the question (or the edit), drops what came after it, as the plan saw the conversation, and
    starts its answer (arriving, empty): one transaction, so the first token waits for one write only."""
    with transaction.atomic():
        conversation, question = _record_question(plan.user, plan.ask)
        answer = Message.objects.create(
            conversation=conversation,
            position=question.position + 1,
            role=Role.ASSISTANT,
            status=MessageStatus.STREAMING,
            endpoint_label=plan.endpoint.full_name,
            mode=plan.mode,
            history_notice=plan.history_notice,
            saved_at=timezone.now(),
        )
        record_activity(plan.endpoint)
    return Recorded(conversation, question, answer)


def _history(ask: Ask) -> list[Message]:
    """The messages the model should see, the question last, as they will be once the question is saved."""
    earlier = (
        list(ask.conversation.messages.select_related("image").order_by("position"))
        if ask.conversation
        else []
    )
    if ask.action == Action.SEND:
        return [*earlier, Message(role=Role.USER, content=ask.text, image=ask.image)]
    if ask.action == Action.REGENERATE:
        questions = [message for message in earlier if message.role == Role.USER]
        if not questions:
            raise AnswerRefused("There is no question to answer again.")
        return [message for message in earlier if message.position <= questions[-1].position]
    edited = ask.edited
    if (
        edited is None
        or edited.role != Role.USER
        or edited.conversation_id != getattr(ask.conversation, "pk", None)
    ):
        raise AnswerRefused("Only your own questions of this conversation can be edited.")
    kept = [message for message in earlier if message.position < edited.position]
    return [*kept, Message(role=Role.USER, content=ask.text, image=edited.image)]


def _record_question(user: AbstractBaseUser, ask: Ask) -> tuple[Conversation, Message]:
    conversation = ask.conversation
    if conversation is None:
        conversation = start_conversation(
            user,
            ask.endpoint,
            first_words=ask.text,
            mode=ask.mode,
            system_prompt=ask.system_prompt,
            parameters=ask.parameters,
        )
    else:
        conversation.endpoint = ask.endpoint
        conversation.endpoint_label = ask.endpoint.full_name
        conversation.mode = ask.mode
        conversation.system_prompt = ask.system_prompt
        conversation.parameters = ask.parameters.as_json()
        conversation.save()
    match ask.action:
        case Action.SEND:
            question = Message.objects.create(
                conversation=conversation,
                position=next_position(conversation),
                role=Role.USER,
                content=ask.text,
                image=ask.image,
            )
        case Action.REGENERATE:
            question = conversation.messages.filter(role=Role.USER).order_by("-position").first()
        case Action.EDIT:
            question = ask.edited
            question.content = ask.text
            question.save(update_fields=["content"])
    # What came after the question is replaced by the new answer.
    conversation.messages.filter(position__gt=question.position).delete()
    return conversation, question


def sent_window(
    endpoint: Endpoint, token: str, system_prompt: str, turns: list[Turn], parameters: ChatParameters
) -> Window:
    """The turns sent upstream (playground_app.history_window). Raises AnswerRefused when the latest question
    alone is too long."""
    try:
        return fit_history(
            endpoint,
            token,
            system_prompt,
            turns,
            parameters.max_new_tokens,
            multimodal=is_multimodal(endpoint),
        )
    except TooLong as refusal:
        raise AnswerRefused(str(refusal)) from refusal


def _plan(user: AbstractBaseUser, ask: Ask, target: EndpointTarget, history: list[Message]) -> AnswerPlan:
    window = sent_window(ask.endpoint, target.token, ask.system_prompt, model_turns(history), ask.parameters)
    turns = window.turns
    plan = {
        "user": user,
        "ask": ask,
        "endpoint": ask.endpoint,
        "target": target,
        "mode": ask.mode,
        "history_notice": window.notice,
    }
    model = ChatModel.of(ask.endpoint)
    if ask.mode != QueryMode.RAW:
        chat = chat_messages(ask.system_prompt, turns, data_url)
        build = messages_api_request if ask.mode == QueryMode.MESSAGES else InferenceClientRequest
        return AnswerPlan(**plan, request=build(chat, ask.parameters, model))
    try:
        preview = chat_templates.preview(
            chat_templates.template_for(ask.endpoint, target.token),
            template_messages(ask.system_prompt, turns, multimodal=is_multimodal(ask.endpoint)),
        )
    except chat_templates.ChatTemplateProblem as problem:
        return AnswerPlan(**plan, request=None, failure=str(problem))
    request = raw_request(raw_route(ask.endpoint) or "", preview.text, ask.parameters, model)
    return AnswerPlan(**plan, request=request, prompt_tokens=preview.token_count)


def save_progress(recorded: Recorded, text: str) -> None:
    """The text that has arrived so far, while the answer still arrives."""
    Message.objects.filter(pk=recorded.answer.pk, status=MessageStatus.STREAMING).update(
        content=text, saved_at=timezone.now()
    )


def save_answer(plan: AnswerPlan, recorded: Recorded, outcome: Outcome) -> Message:
    """The answer as it ended (complete, stopped or failed)."""
    values = {
        "content": outcome.text,
        "status": outcome.status,
        "error": outcome.error,
        "saved_at": timezone.now(),
        **outcome.stats,
    }
    # Updates, never inserts: an answer deleted meanwhile (the conversation deleted, say) stays deleted.
    with transaction.atomic():
        Message.objects.filter(pk=recorded.answer.pk).update(**values)
        Conversation.objects.filter(pk=recorded.conversation.pk).update(updated_at=values["saved_at"])
        record_answer(plan.user, plan.endpoint, outcome.stats)
    answer = recorded.answer
    for name, value in values.items():
        setattr(answer, name, value)
    return answer


def answer_html(answer: Message) -> str:
    return render_markdown(answer.content)
