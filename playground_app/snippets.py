"""Copy as code: the current conversation and parameters as the tutorial's four ways to send it.

Snippets read the token from the HF_TOKEN environment variable; no token is ever written into them.
Images become a call to a small helper that reads the file as a data URL (curl: a placeholder to fill).
Everything that comes from people or models (messages, the repository, the URL) enters the code as a Python
literal made by repr, or a shell word quoted whole: a message cannot break out of its string.
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


@dataclass(frozen=True)
class Snippet:
    key: str
    title: str
    language: str
    code: str


@dataclass(frozen=True)
class ImageFile:
    """An uploaded image in a snippet's messages: written as a call to the snippet's helper."""

    upload_id: int

    def __repr__(self) -> str:
        return f'image_data_url("image-{int(self.upload_id)}.jpg")'


def _image_file(upload: Upload) -> ImageFile:
    return ImageFile(upload.pk)


def python_literal(value: Any) -> str:
    return pprint.pformat(value, indent=1, width=100, sort_dicts=False)


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def snippets(
    endpoint: Endpoint, system_prompt: str, turns: list[Turn], parameters: ChatParameters, *, multimodal: bool
) -> list[Snippet]:
    messages = chat_messages(system_prompt, turns, _image_file)
    has_images = any(turn.image is not None for turn in turns)
    url = endpoint.url.rstrip("/")
    context = {
        "api_url": repr(url),
        "chat_url": repr(f"{url}/v1/chat/completions"),
        "curl_url": shell_quote(f"{url}/v1/chat/completions"),
        "repository": repr(endpoint.repository),
        "revision": repr(endpoint.revision) if endpoint.revision else "",
        "has_images": has_images,
        "messages": python_literal(messages),
        "template_messages": python_literal(template_messages(system_prompt, turns, multimodal=multimodal)),
        "tgi_parameters": python_literal(parameters.tgi_parameters()),
        "chat_arguments": {
            name: python_literal(value) for name, value in parameters.chat_completion_arguments().items()
        },
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
