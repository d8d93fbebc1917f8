"""A conversation or a comparison as a file to keep or to share outside the console: JSON for programs
(every message with its parameters, endpoint and timings) and Markdown for people (the same, readable)."""

from typing import Any

from django.utils.text import slugify

from playground_app.answer_cost import HOW_ESTIMATED, answer_cost
from playground_app.models import Comparison, ComparisonColumn, Conversation, Message, MessageStatus

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
        notes = message_notes(message)
        if notes:
            lines += ["", f"*{notes}*"]
    return "\n".join(lines) + "\n"


def file_name(record: Conversation | Comparison, extension: str) -> str:
    return f"{slugify(record.title) or type(record).__name__.lower()}-{record.pk}.{extension}"


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
        "history_notice": message.history_notice,
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


def message_notes(message: dict[str, Any]) -> str:
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
    if message["history_notice"]:
        notes.append(message["history_notice"])
    return " · ".join(notes)


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """The comparison: its question and parameters, each column's endpoint, answer, figures and estimated
    cost (with how it is estimated), and the votes."""
    columns = comparison.columns.select_related("conversation")
    return {
        "format": "comparison",
        "version": FORMAT_VERSION,
        "title": comparison.title,
        "author": comparison.author_name,
        "prompt": comparison.prompt,
        "system_prompt": comparison.system_prompt,
        "parameters": comparison.parameters,
        "blind": comparison.blind,
        "created_at": comparison.created_at.isoformat(),
        "cost_estimate": HOW_ESTIMATED,
        "columns": [_column_document(column) for column in columns],
        "votes": [
            {"voter": vote.author_name, "winner": vote.winner.letter if vote.winner else "tie"}
            for vote in comparison.votes.select_related("author", "winner")
        ],
    }


def _column_document(column: ComparisonColumn) -> dict[str, Any]:
    answer = column.answer()
    cost = answer_cost(answer, column.hourly_price) if answer else None
    return {
        "letter": column.letter,
        "endpoint": column.endpoint_label,
        "mode": column.mode,
        "hourly_price_usd": str(column.hourly_price) if column.hourly_price is not None else None,
        "estimated_cost_usd": f"{cost:.6f}" if cost is not None else None,
        "answer": _message_document(answer) if answer else None,
    }


def comparison_markdown(comparison: Comparison) -> str:
    document = comparison_document(comparison)
    parameters = ", ".join(f"{name} {value}" for name, value in sorted(comparison.parameters.items()))
    lines = [f"# {document['title']}", "", f"- Author: {document['author']}", f"- Parameters: {parameters}"]
    if comparison.system_prompt:
        lines += ["", "## System prompt", "", comparison.system_prompt]
    lines += ["", "## Question", "", comparison.prompt]
    for column in document["columns"]:
        lines += ["", f"## {column['letter']}: {column['endpoint']}", ""]
        answer = column["answer"]
        lines.append((answer["content"] if answer else "") or "*(no answer)*")
        notes = [message_notes(answer)] if answer else []
        if column["estimated_cost_usd"] is not None:
            notes.append(f"estimated cost ${column['estimated_cost_usd']}")
        if any(notes):
            lines += ["", "*" + " · ".join(note for note in notes if note) + "*"]
    if document["votes"]:
        lines += ["", "## Votes", ""]
        lines += [f"- {vote['voter']}: {vote['winner']}" for vote in document["votes"]]
    lines += ["", f"*{HOW_ESTIMATED}*"]
    return "\n".join(lines) + "\n"
