"""Chat templates: each repository's tokenizer, loaded once per process, and the prompt preview.

The tokenizer comes from the Hub (or the configured HF_ENDPOINT) with the namespace's token, through
`transformers.AutoTokenizer`, exactly as the tutorial loads it; it is kept per (repository, revision) for the
life of the process, so a page or an answer pays for the download once.

A GGUF repository (what llama.cpp serves) holds no tokenizer files: its model card's `base_model` names the
model it was converted from, whose tokenizer and template the console applies (the GGUF file carries the
same template, which llama.cpp reads; the console reads the card rather than download gigabytes for it).
"""

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from huggingface_hub import ModelCard, hf_hub_download
from jinja2 import TemplateError

from endpoints_app.engines import traits
from endpoints_app.models import Endpoint
from playground_app.repository_cache import RepositoryCache

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

logger = logging.getLogger(__name__)


class ChatTemplateProblem(Exception):
    """The prompt cannot be templated; `str(error)` says why, for a person."""


class TokenizerUnavailable(ChatTemplateProblem):
    """The tokenizer could not be loaded (no access to a gated repository, Hub unreachable ...)."""


class NoChatTemplate(ChatTemplateProblem):
    """The repository has no chat template: only the messages API can be used."""


class TemplateRefused(ChatTemplateProblem):
    """The template raised (e.g. Gemma's refuses a system message)."""


@dataclass(frozen=True)
class TemplateSource:
    """Whose tokenizer and chat template the console applies for an endpoint, and why when it is not the
    endpoint's own repository."""

    repository: str
    revision: str = ""
    origin: str = ""


@dataclass(frozen=True)
class PromptPreview:
    text: str
    token_count: int
    source: TemplateSource


@dataclass(frozen=True)
class ChatTemplate:
    tokenizer: "PreTrainedTokenizerBase"
    source: TemplateSource


def load_tokenizer(repository: str, revision: str, token: str) -> "PreTrainedTokenizerBase":
    # Imported on first use: transformers takes most of a second to import, which every web and worker
    # process would otherwise pay at start-up.
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(repository, revision=revision or None, token=token)
    except (OSError, ValueError) as error:  # transformers wraps Hub errors (gated, missing, offline) in these
        logger.warning("Could not load the tokenizer of %s@%s: %s", repository, revision, error)
        raise TokenizerUnavailable(
            f"The tokenizer of {repository} could not be loaded with the team's token: "
            f"{_first_line(str(error))}"
        ) from error


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no reason given"


class BaseModels:
    """The `base_model` of GGUF repositories' model cards, read once per (repository, revision)."""

    def __init__(self) -> None:
        self._sources: dict[tuple[str, str], TemplateSource] = {}

    def get(self, repository: str, revision: str, token: str) -> TemplateSource:
        key = (repository, revision)
        if key not in self._sources:
            self._sources[key] = base_model_source(repository, revision, token)
        return self._sources[key]

    def clear(self) -> None:
        self._sources.clear()


def base_model_source(repository: str, revision: str, token: str) -> TemplateSource:
    try:
        card = ModelCard.load(
            hf_hub_download(repository, "README.md", revision=revision or None, token=token)
        )
    except (OSError, ValueError) as error:  # the Hub's errors (gated, missing, offline) are OSErrors
        raise TokenizerUnavailable(
            f"The model card of {repository} could not be read with the team's token: "
            f"{_first_line(str(error))}"
        ) from error
    base = card.data.base_model
    if isinstance(base, list) and len(base) == 1:
        base = base[0]
    if not isinstance(base, str) or not base:
        raise NoChatTemplate(
            f"{repository} holds GGUF weights, without a tokenizer, and its model card names no single "
            "base_model whose chat template the console could apply. Use the messages API, where the "
            "server applies the template of the GGUF file."
        )
    return TemplateSource(
        base, origin=f"{repository} holds GGUF weights: its model card's base_model is {base}"
    )


tokenizers: RepositoryCache["PreTrainedTokenizerBase"] = RepositoryCache(load_tokenizer)
base_models = BaseModels()


def template_source(endpoint: Endpoint, token: str) -> TemplateSource:
    """Whose template the console applies for the endpoint: its repository's, or for a GGUF file the
    model card's base_model's. Raises ChatTemplateProblem."""
    if traits(endpoint.engine).serves_gguf:
        return base_models.get(endpoint.repository, endpoint.revision, token)
    return TemplateSource(endpoint.repository, endpoint.revision)


def template_for(endpoint: Endpoint, token: str) -> ChatTemplate:
    """The tokenizer and template the console applies for the endpoint. Raises ChatTemplateProblem."""
    source = template_source(endpoint, token)
    return ChatTemplate(tokenizers.get(source.repository, source.revision, token), source)


def has_chat_template(tokenizer: "PreTrainedTokenizerBase") -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def apply_template(template: ChatTemplate, messages: list[dict[str, Any]]) -> str:
    """The prompt the model sees: the template applied, with the assistant's turn opened for the answer.

    (The tutorial leaves `add_generation_prompt` out; without it the model continues the user's turn.)
    """
    repository = template.source.repository
    if not has_chat_template(template.tokenizer):
        raise NoChatTemplate(
            f"{repository} has no chat template: raw prompts cannot be built for it. "
            "Use the messages API, where the server formats the conversation."
        )
    try:
        return template.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except TemplateError as error:
        raise TemplateRefused(
            f"The chat template of {repository} refused this conversation: {error}"
        ) from error


def preview(template: ChatTemplate, messages: list[dict[str, Any]]) -> PromptPreview:
    text = apply_template(template, messages)
    # The template already wrote the special tokens (e.g. <bos>): count them once.
    count = len(template.tokenizer(text, add_special_tokens=False)["input_ids"])
    return PromptPreview(text=text, token_count=count, source=template.source)
