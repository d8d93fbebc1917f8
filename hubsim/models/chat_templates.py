"""Chat templates rendered the way transformers renders them (same sandbox, options and template globals)."""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .families import NotATextModelError, TextFamily, text_family

TEMPLATES_DIR = Path(__file__).parent / "templates"


class ChatTemplateError(ValueError):
    """The repository has no chat template, or its template refused the conversation."""


def template_source(family: TextFamily) -> str | None:
    if family.template is None:
        return None
    return (TEMPLATES_DIR / family.template).read_text(encoding="utf-8").removesuffix("\n")


def render_chat(repo_id: str, messages: list[dict], add_generation_prompt: bool = True) -> str:
    """The prompt text for `messages`, as `tokenizer.apply_chat_template(messages, tokenize=False)` gives it.

    Message content may be a string or a list of parts ({"type": "text"|"image_url"|"image", ...}); it is
    first brought to the shape the family's template reads, as a TGI server does before applying it."""
    try:
        family = text_family(repo_id)
    except NotATextModelError as error:
        raise ChatTemplateError(str(error)) from None
    source = template_source(family)
    if source is None:
        raise ChatTemplateError(
            f"{repo_id} has no chat template: send a plain prompt to the text generation route instead"
        )
    conversation = [_normalized_message(message, family) for message in _checked(messages)]
    try:
        return _compiled(source).render(
            messages=conversation, add_generation_prompt=add_generation_prompt, **family.named_tokens
        )
    except (jinja2.TemplateError, TypeError) as error:
        raise ChatTemplateError(str(error)) from error


def _checked(messages: Any) -> list[dict]:
    if not isinstance(messages, list) or not messages:
        raise ChatTemplateError("messages must be a non-empty list")
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ChatTemplateError("each message must be an object with a string 'role'")
    return messages


def _normalized_message(message: dict, family: TextFamily) -> dict:
    # transformers drops keys whose value is None before rendering (templates handle a missing key better).
    normalized = {key: value for key, value in message.items() if value is not None}
    if "content" in normalized:
        normalized["content"] = _normalized_content(normalized["content"], family)
    return normalized


def _normalized_content(content: Any, family: TextFamily) -> Any:
    if not isinstance(content, str | list):
        raise ChatTemplateError("message content must be a string or a list of parts")
    if family.content_style == "parts":
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else content
        return [_template_part(part) for part in parts]
    if isinstance(content, str):
        return content
    if any(isinstance(part, dict) and part.get("type") in ("image", "image_url") for part in content):
        raise ChatTemplateError(f"{family.model_type} models read text only: remove the image parts")
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def _template_part(part: Any) -> dict:
    if not isinstance(part, dict) or part.get("type") not in ("text", "image", "image_url"):
        raise ChatTemplateError("content parts must be objects of type 'text', 'image_url' or 'image'")
    # The template marks where an image goes; the image itself travels outside the prompt text.
    return {"type": "image"} if part["type"] == "image_url" else part


def _raise_exception(message: str) -> None:
    raise jinja2.exceptions.TemplateError(message)


def _tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None, **options: Any) -> str:
    # Jinja's own tojson escapes HTML characters; chat templates expect plain JSON.
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, **options)


def _strftime_now(format: str) -> str:
    return datetime.now().strftime(format)


@cache
def _compiled(source: str) -> jinja2.Template:
    environment = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    environment.filters["tojson"] = _tojson
    environment.globals["raise_exception"] = _raise_exception
    environment.globals["strftime_now"] = _strftime_now
    return environment.from_string(source)
