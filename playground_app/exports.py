"""A conversation as a file to keep or to share outside the console: JSON for programs (every message with
its parameters, endpoint and timings) and Markdown for people (the same, readable)."""

from typing import Any

from django.utils.text import slugify

from playground_app.models import Conversation, Message, MessageStatus

FORMAT_VERSION = 1  # of the JSON document, for the programs that read it


def conversation_document(conversation: Conversation) -> dict[str, Any]:
    """The conversation and its messages in order, as the JSON export holds them."""
    return {
        "format": "conversation",
        "version": FORMAT_VERSION,
        "title": conversation.title,
        "author": conversation.author_name,
        "endpoint": conversation.endpoint_label,
        "mode": conversation.mode,
        "system_prompt": conversation.system_prompt,
        "parameters": conversation.parameters,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "messages": [_message_document(message) for message in _messages(conversation)],
    }


def conversation_markdown(conversation: Conversation) -> str:
    document = conversation_document(conversation)
    lines = [f"# {document['title']}", ""]
    lines += [f"- {label}: {value}" for label, value in _header(conversation) if value]
    if conversation.system_prompt:
        lines += ["", "## System prompt", "", conversation.system_prompt]
    for message in document["messages"]:
        lines += ["", f"## {message['role'].capitalize()}", ""]
        if message["image"]:
            lines += [f"*Image: {message['image']}*", ""]
        lines.append(message["content"] or "*(empty)*")
        notes = _message_notes(message)
        if notes:
            lines += ["", f"*{notes}*"]
    return "\n".join(lines) + "\n"


def file_name(conversation: Conversation, extension: str) -> str:
    return f"{slugify(conversation.title) or 'conversation'}-{conversation.pk}.{extension}"


def _messages(conversation: Conversation):
    return conversation.messages.select_related("image").order_by("position")


def _message_document(message: Message) -> dict[str, Any]:
    return {
        "role": message.role,
        "content": message.content,
        "status": message.status,
        "error": message.error,
        "image": str(message.image) if message.image_id else None,
        "endpoint": message.endpoint_label,
        "mode": message.mode,
        "time_to_first_token_ms": message.time_to_first_token_ms,
        "tokens_per_second": message.tokens_per_second,
        "input_tokens": message.input_tokens,
        "output_tokens": message.output_tokens,
        "created_at": message.created_at.isoformat(),
    }


def _header(conversation: Conversation) -> list[tuple[str, Any]]:
    parameters = ", ".join(f"{name} {value}" for name, value in sorted(conversation.parameters.items()))
    return [
        ("Author", conversation.author_name),
        ("Endpoint", conversation.endpoint_label),
        ("Mode", conversation.get_mode_display()),
        ("Parameters", parameters),
        ("Exported from a conversation started", f"{conversation.created_at:%Y-%m-%d %H:%M} UTC"),
    ]


def _message_notes(message: dict[str, Any]) -> str:
    """What is known of how an answer was obtained: its endpoint, speed and tokens, or why it stopped."""
    notes = []
    if message["endpoint"]:
        notes.append(message["endpoint"])
    if message["time_to_first_token_ms"] is not None:
        notes.append(f"first token after {message['time_to_first_token_ms']:.0f} ms")
    if message["tokens_per_second"] is not None:
        notes.append(f"{message['tokens_per_second']:.1f} tokens/s")
    if message["input_tokens"] is not None and message["output_tokens"] is not None:
        notes.append(f"{message['input_tokens']} tokens in, {message['output_tokens']} out")
    if message["status"] != MessageStatus.COMPLETE:
        notes.append(message["status"] + (f": {message['error']}" if message["error"] else ""))
    return " · ".join(notes)
