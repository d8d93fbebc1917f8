"""Team conversations: start, rename, pin, clear, delete, and continue a copy of someone else's."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, QuerySet

from endpoints_app.models import Endpoint
from playground_app import history_search
from playground_app.models import Conversation, Message, QueryMode
from playground_app.parameters import ChatParameters
from playground_app.services.access import require_manage, require_playground

TITLE_LENGTH = 60


def title_from(text: str) -> str:
    words = " ".join(text.split())
    return (words[: TITLE_LENGTH - 1] + "…") if len(words) > TITLE_LENGTH else (words or "New conversation")


def start_conversation(
    user: AbstractBaseUser,
    endpoint: Endpoint,
    *,
    first_words: str,
    mode: QueryMode,
    system_prompt: str,
    parameters: ChatParameters,
) -> Conversation:
    require_playground(user)
    return Conversation.objects.create(
        title=title_from(first_words),
        author=user,
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        mode=mode,
        system_prompt=system_prompt,
        parameters=parameters.as_json(),
    )


def history(query: str = "") -> QuerySet[Conversation]:
    """Every conversation of the team, pinned first then the most recent, optionally searched (the columns
    of comparisons are listed with their comparison)."""
    conversations = Conversation.objects.filter(comparison_column__isnull=True).select_related("author")
    return history_search.matching(conversations, query) if query.strip() else conversations


def next_position(conversation: Conversation) -> int:
    last = conversation.messages.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def rename(user: AbstractBaseUser, conversation: Conversation, title: str) -> Conversation:
    require_manage(user, conversation.author_id, "rename this conversation")
    conversation.title = title.strip()[:120] or conversation.title
    conversation.save(update_fields=["title", "updated_at"])
    return conversation


def set_pinned(user: AbstractBaseUser, conversation: Conversation, pinned: bool) -> Conversation:
    require_manage(user, conversation.author_id, "pin this conversation")
    Conversation.objects.filter(pk=conversation.pk).update(pinned=pinned)
    conversation.pinned = pinned
    return conversation


def clear(user: AbstractBaseUser, conversation: Conversation) -> None:
    require_manage(user, conversation.author_id, "clear this conversation")
    conversation.messages.all().delete()
    conversation.save(update_fields=["updated_at"])


def delete(user: AbstractBaseUser, conversation: Conversation) -> None:
    require_manage(user, conversation.author_id, "delete this conversation")
    conversation.delete()


@transaction.atomic
def continue_copy(user: AbstractBaseUser, original: Conversation) -> Conversation:
    """A copy owned by `user`, with the same settings and messages, to carry on where the original stops."""
    require_playground(user)
    copy = Conversation.objects.create(
        title=original.title,
        author=user,
        endpoint=original.endpoint,
        endpoint_label=original.endpoint_label,
        mode=original.mode,
        system_prompt=original.system_prompt,
        parameters=original.parameters,
        copied_from=original,
    )
    Message.objects.bulk_create(
        Message(
            conversation=copy,
            position=message.position,
            role=message.role,
            content=message.content,
            image=message.image,
            status=message.status,
            error=message.error,
            endpoint_label=message.endpoint_label,
            mode=message.mode,
            time_to_first_token_ms=message.time_to_first_token_ms,
            tokens_per_second=message.tokens_per_second,
            input_tokens=message.input_tokens,
            output_tokens=message.output_tokens,
            history_notice=message.history_notice,
        )
        for message in original.messages.all()
    )
    return copy
