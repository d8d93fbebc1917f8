"""What the model is sent of a conversation: its system prompt and the turns that make a valid history."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from playground_app.models import Message, MessageStatus, Role, Upload


@dataclass(frozen=True)
class Turn:
    role: str
    text: str
    image: Upload | None = None


def model_turns(messages: Iterable[Message]) -> list[Turn]:
    """The turns to send: failed or empty answers are left out, and a question left without an answer
    before the next question is too, so that user and assistant alternate (templates like Gemma's insist)."""
    turns: list[Turn] = []
    for message in messages:
        if message.role == Role.ASSISTANT:
            if message.status == MessageStatus.FAILED or not message.content.strip():
                continue
            if turns and turns[-1].role == Role.ASSISTANT:
                turns.pop()
        elif turns and turns[-1].role == Role.USER:
            turns.pop()
        turns.append(Turn(str(message.role), message.content, message.image))
    return turns


def _system(system_prompt: str) -> list[dict[str, Any]]:
    return [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []


def chat_messages(
    system_prompt: str, turns: list[Turn], image_url: Callable[[Upload], str]
) -> list[dict[str, Any]]:
    """OpenAI-style messages: text as a string, a turn with an image as parts (image first, then text)."""
    messages = _system(system_prompt)
    for turn in turns:
        if turn.image is None:
            messages.append({"role": turn.role, "content": turn.text})
        else:
            parts: list[dict[str, Any]] = [{"type": "image_url", "image_url": {"url": image_url(turn.image)}}]
            if turn.text:
                parts.append({"type": "text", "text": turn.text})
            messages.append({"role": turn.role, "content": parts})
    return messages


def template_messages(system_prompt: str, turns: list[Turn], *, multimodal: bool) -> list[dict[str, Any]]:
    """Messages for `apply_chat_template`: a multimodal model's template reads parts, with an image as
    `{"type": "image"}` (what TGI does before templating); a text model's reads strings."""
    if not multimodal:
        return [*_system(system_prompt), *({"role": t.role, "content": t.text} for t in turns)]
    messages = []
    if system_prompt.strip():
        messages.append({"role": "system", "content": [{"type": "text", "text": system_prompt}]})
    for turn in turns:
        parts: list[dict[str, Any]] = [{"type": "image"}] if turn.image is not None else []
        if turn.text or not parts:
            parts.append({"type": "text", "text": turn.text})
        messages.append({"role": turn.role, "content": parts})
    return messages
