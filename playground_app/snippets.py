"""Copy as code: the current conversation and parameters as the tutorial's four ways to send it, to the
routes, with the `model` and the client that the endpoint's engine serves.

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
from playground_app.capabilities import query_modes, raw_route
from playground_app.chat_templates import TemplateSource
from playground_app.history import Turn, chat_messages, template_messages
from playground_app.models import QueryMode, Upload
from playground_app.parameters import ChatParameters
from playground_app.query_modes import RawTgiRequest
from playground_app.served_models import MODELS_ROUTE
from playground_app.services.embeddings import EMBED_ROUTE

CHAT_ROUTE = "/v1/chat/completions"


@dataclass(frozen=True)
class Snippet:
    key: str
    title: str
    language: str
    code: str


@dataclass(frozen=True)
class EngineCode:
    """What the snippets need to know of the endpoint's engine."""

    model: str | None  # the `model` to send; None: the code asks the endpoint's /v1/models
    model_source: str  # where that name comes from
    template: TemplateSource | None  # whose chat template raw mode applies; None: no raw snippet


@dataclass(frozen=True)
class ImageFile:
    """An uploaded image in a snippet's messages: written as a call to the snippet's helper."""

    upload_id: int

    def __repr__(self) -> str:
        return f'image_data_url("image-{int(self.upload_id)}.jpg")'


class Code(str):
    """A name the snippet defines (MODEL, messages): written as itself, not as a string."""

    def __repr__(self) -> str:
        return str(self)


def _image_file(upload: Upload) -> ImageFile:
    return ImageFile(upload.pk)


def python_literal(value: Any) -> str:
    return pprint.pformat(value, indent=1, width=100, sort_dicts=False)


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def snippets(
    endpoint: Endpoint,
    system_prompt: str,
    turns: list[Turn],
    parameters: ChatParameters,
    *,
    multimodal: bool,
    engine: EngineCode,
) -> list[Snippet]:
    modes = query_modes(endpoint)
    messages = chat_messages(system_prompt, turns, _image_file)
    url = endpoint.url.rstrip("/")
    route = raw_route(endpoint) or ""
    model = Code("MODEL")
    arguments = parameters.chat_completion_arguments()
    curl_messages = chat_messages(system_prompt, turns, lambda upload: "data:image/jpeg;base64,...")
    curl_model = engine.model or f"<the id GET {MODELS_ROUTE} lists>"
    context = {
        "api_url": repr(url),
        "curl_url": shell_quote(f"{url}{CHAT_ROUTE}"),
        "curl_models_url": shell_quote(f"{url}{MODELS_ROUTE}"),
        "chat_route": CHAT_ROUTE,
        "raw_route": route,
        "models_route": MODELS_ROUTE,
        "model": repr(engine.model) if engine.model else "",
        "model_source": engine.model_source,
        "template": engine.template,
        "template_repository": repr(engine.template.repository) if engine.template else "",
        "template_revision": repr(engine.template.revision) if engine.template else "",
        "has_images": any(turn.image is not None for turn in turns),
        "messages": python_literal(messages),
        "template_messages": python_literal(template_messages(system_prompt, turns, multimodal=multimodal)),
        "tgi_parameters": python_literal(parameters.tgi_parameters()),
        "chat_arguments": {name: python_literal(value) for name, value in arguments.items()},
        "chat_payload": python_literal({"model": model, "messages": Code("messages"), **arguments}),
        "completion_payload": python_literal({"model": model, "prompt": Code("prompt"), **arguments}),
        "curl_body": shell_quote(
            json.dumps(
                {"model": curl_model, "messages": curl_messages, **arguments}, indent=2, ensure_ascii=False
            )
        ),
    }
    raw_template = "raw_tgi" if route == RawTgiRequest.route else "raw_completions"
    kinds = [
        (QueryMode.RAW, "requests", raw_template, f"Python: requests, raw {route}", "python"),
        (QueryMode.MESSAGES, "messages", "messages", "Python: messages API", "python"),
        (QueryMode.CLIENT, "client", "client", "Python: InferenceClient", "python"),
        (QueryMode.MESSAGES, "curl", "curl", "curl", "shell"),
    ]
    return [
        Snippet(
            key, title, language, render_to_string(f"playground_app/snippets/{name}.txt", context).strip()
        )
        for mode, key, name, title, language in kinds
        if mode in modes and (mode != QueryMode.RAW or engine.template is not None)
    ]


def embedding_snippets(endpoint: Endpoint, sentences: list[str]) -> list[Snippet]:
    """The embeddings panel as code: the sentences to TEI's /embed, and their cosine similarities."""
    url = endpoint.url.rstrip("/")
    context = {
        "api_url": repr(url),
        "embed_route": EMBED_ROUTE,
        "sentences": python_literal(sentences),
        "curl_url": shell_quote(f"{url}{EMBED_ROUTE}"),
        "curl_body": shell_quote(json.dumps({"inputs": sentences}, indent=2, ensure_ascii=False)),
    }
    kinds = [("embed", "Python: requests and numpy", "python"), ("embed_curl", "curl", "shell")]
    return [
        Snippet(key, title, language, render_to_string(f"playground_app/snippets/{key}.txt", context).strip())
        for key, title, language in kinds
    ]
