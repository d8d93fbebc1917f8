"""Copy as code: the current conversation and parameters as the tutorial's four ways to send it.

Snippets read the token from the HF_TOKEN environment variable; no token is ever written into them.
Images become a call to a small helper that reads the file as a data URL (curl: a placeholder to fill).
"""

import json
import pprint
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from endpoints_app.models import Endpoint
from playground_app.history import Turn, chat_messages, template_messages
from playground_app.models import Upload
from playground_app.parameters import ChatParameters

IMAGE_MARK = "__image_{}__"


@dataclass(frozen=True)
class Snippet:
    key: str
    title: str
    language: str
    code: str


def _image_marker(upload: Upload) -> str:
    return IMAGE_MARK.format(upload.pk)


def python_literal(value: Any) -> str:
    text = pprint.pformat(value, indent=1, width=100, sort_dicts=False)
    for mark in _marks(value):
        upload_id = mark.removeprefix("__image_").removesuffix("__")
        text = text.replace(repr(mark), f'image_data_url("image-{upload_id}.jpg")')
    return text


def _marks(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith("__image_") else []
    if isinstance(value, dict):
        return [mark for item in value.values() for mark in _marks(item)]
    if isinstance(value, list):
        return [mark for item in value for mark in _marks(item)]
    return []


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def snippets(
    endpoint: Endpoint, system_prompt: str, turns: list[Turn], parameters: ChatParameters, *, multimodal: bool
) -> list[Snippet]:
    messages = chat_messages(system_prompt, turns, _image_marker)
    has_images = any(turn.image is not None for turn in turns)
    context = {
        "url": endpoint.url.rstrip("/"),
        "repository": endpoint.repository,
        "revision": endpoint.revision,
        "has_images": has_images,
        "messages": python_literal(messages),
        "template_messages": python_literal(template_messages(system_prompt, turns, multimodal=multimodal)),
        "tgi_parameters": python_literal(parameters.tgi_parameters()),
        "chat_arguments": parameters.chat_completion_arguments(),
        "chat_payload": python_literal(
            {"model": "tgi", "messages": "__messages__", **parameters.chat_completion_arguments()}
        ).replace("'__messages__'", "messages"),
        "curl_body": shell_quote(
            json.dumps(
                {
                    "model": "tgi",
                    "messages": chat_messages(
                        system_prompt, turns, lambda upload: "data:image/jpeg;base64,..."
                    ),
                    **parameters.chat_completion_arguments(),
                },
                indent=2,
                ensure_ascii=False,
            )
        ),
    }
    kinds = [
        ("requests", "Python: requests, raw TGI", "python"),
        ("messages", "Python: messages API", "python"),
        ("client", "Python: InferenceClient", "python"),
        ("curl", "curl", "shell"),
    ]
    return [
        Snippet(key, title, language, render_to_string(f"playground_app/snippets/{key}.txt", context).strip())
        for key, title, language in kinds
    ]
