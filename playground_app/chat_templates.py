"""Chat templates: each repository's tokenizer, loaded once per process, and the prompt preview.

The tokenizer comes from the Hub (or the configured HF_ENDPOINT) with the namespace's token, through
`transformers.AutoTokenizer`, exactly as the tutorial loads it; it is kept per (repository, revision) for the
life of the process, so a page or an answer pays for the download once.
"""

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError

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
class PromptPreview:
    text: str
    token_count: int


class TokenizerCache:
    """Tokenizers per (repository, revision), each loaded once even when asked for by many threads."""

    def __init__(self) -> None:
        self._tokenizers: dict[tuple[str, str], PreTrainedTokenizerBase] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, repository: str, revision: str, token: str) -> "PreTrainedTokenizerBase":
        key = (repository, revision)
        tokenizer = self._tokenizers.get(key)
        if tokenizer is not None:
            return tokenizer
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._tokenizers:
                self._tokenizers[key] = load_tokenizer(repository, revision, token)
            return self._tokenizers[key]

    def clear(self) -> None:
        with self._guard:
            self._tokenizers.clear()
            self._locks.clear()


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


tokenizers = TokenizerCache()


def has_chat_template(tokenizer: "PreTrainedTokenizerBase") -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def apply_template(
    tokenizer: "PreTrainedTokenizerBase", repository: str, messages: list[dict[str, Any]]
) -> str:
    """The prompt the model sees: the template applied, with the assistant's turn opened for the answer.

    (The tutorial leaves `add_generation_prompt` out; without it the model continues the user's turn.)
    """
    if not has_chat_template(tokenizer):
        raise NoChatTemplate(
            f"{repository} has no chat template: raw TGI prompts cannot be built for it. "
            "Use the messages API, where the server formats the conversation."
        )
    try:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except TemplateError as error:
        raise TemplateRefused(
            f"The chat template of {repository} refused this conversation: {error}"
        ) from error


def preview(
    tokenizer: "PreTrainedTokenizerBase", repository: str, messages: list[dict[str, Any]]
) -> PromptPreview:
    text = apply_template(tokenizer, repository, messages)
    # The template already wrote the special tokens (e.g. <bos>): count them once.
    count = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    return PromptPreview(text=text, token_count=count)
