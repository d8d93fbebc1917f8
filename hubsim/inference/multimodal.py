"""Image content in chat messages: finding it, decoding data URLs, and answering about it.

A problem with an image raises ``ImageInputError``; each server words it as its own validation error."""

import base64
import binascii
from dataclasses import replace
from typing import Any

from hubsim import models
from hubsim.models import GeneratedToken, TextEngine

IMAGE_PART_TYPES = ("image_url", "image")


class ImageInputError(ValueError):
    """An image part that cannot be read (the message says why)."""


def content_parts(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    return [part for part in content if isinstance(part, dict)] if isinstance(content, list) else []


def has_images(messages: list[dict[str, Any]]) -> bool:
    return any(
        part.get("type") in IMAGE_PART_TYPES for message in messages for part in content_parts(message)
    )


def decode_data_url(url: str) -> bytes:
    header, _, data = url.partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        raise ImageInputError(
            "image_url must be a base64 data URL (data:image/png;base64,...): hubsim has no internet"
        )
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImageInputError(f"image_url is not valid base64: {error}") from error


def last_image_and_question(messages: list[dict[str, Any]]) -> tuple[bytes, str]:
    """The last image of the conversation and the text asked with it."""
    for message in reversed(messages):
        parts = content_parts(message)
        images = [part for part in parts if part.get("type") in IMAGE_PART_TYPES]
        if images:
            image = images[-1]
            url = (
                image.get("image_url", {}).get("url")
                if image.get("type") == "image_url"
                else image.get("image")
            )
            if not isinstance(url, str):
                raise ImageInputError("an image part needs image_url.url")
            question = " ".join(str(part.get("text", "")) for part in parts if part.get("type") == "text")
            return decode_data_url(url), question.strip()
    raise ImageInputError("no image in the messages")


def description_tokens(
    engine: TextEngine, repo_id: str, description: str, max_new_tokens: int
) -> list[GeneratedToken]:
    """The description as the tokens a model would emit, cut at ``max_new_tokens``."""
    pieces = engine.tokenize(repo_id, description)
    tokens = []
    for index, (token_id, _text, _start, stop) in enumerate(pieces[:max_new_tokens]):
        start = pieces[index - 1][3] if index else 0  # take the gaps between pieces with the next token
        last = index == len(pieces) - 1
        text = description[start:] if last else description[start:stop]
        tokens.append(GeneratedToken(id=token_id, text=text, logprob=-0.05, special=False))
    if tokens:
        finish = "eos_token" if len(pieces) <= max_new_tokens else "length"
        tokens[-1] = replace(tokens[-1], finish_reason=finish)
    return tokens


def describe(image: bytes, question: str) -> str:
    try:
        return models.describe_image(image, question)
    except models.ImageParameterError as error:
        raise ImageInputError(str(error)) from error
