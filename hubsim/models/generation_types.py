"""The text-generation protocol every engine speaks: parameters in, tokens out one at a time."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GenerationParams:
    max_new_tokens: int = 20
    temperature: float | None = None  # None or 0: greedy unless do_sample
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    seed: int | None = None  # same seed, prompt and parameters: same tokens
    stop: tuple[str, ...] = ()
    do_sample: bool = False
    top_n_tokens: int = 0  # how many of the most likely alternatives to report with each token


@dataclass(frozen=True)
class GeneratedToken:
    id: int
    text: str
    logprob: float
    special: bool
    finish_reason: str | None = None  # on the last token only: "length" | "eos_token" | "stop_sequence"
    # The most likely tokens at this step, best first, as (id, text, logprob): top_n_tokens of them.
    top_tokens: tuple[tuple[int, str, float], ...] = ()


class GenerationParameterError(ValueError):
    """A generation parameter is out of range (the message says which and why)."""


class EngineUnavailableError(RuntimeError):
    """The requested engine cannot run here (torch is not installed, the model directory is missing ...)."""


class TextEngine(Protocol):
    def tokenize(
        self, repo_id: str, text: str, add_special_tokens: bool = True
    ) -> list[tuple[int, str, int, int]]:
        """(id, text, start, stop) of each token of `text`, as TGI's /tokenize. Without `add_special_tokens`
        the tokenizer adds no token of its own (the bos a chat template already wrote, for instance)."""
        ...

    def generate(self, repo_id: str, prompt: str, params: GenerationParams) -> Iterator[GeneratedToken]:
        """The continuation of `prompt`, lazily, one token at a time. Parameters are checked at the call."""
        ...
