"""The decoding loop every engine shares: choose, detokenize, stop on eos, a stop sequence or the limit."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .generation_types import GeneratedToken, GenerationParameterError, GenerationParams
from .sampling import TokenChooser


class NextTokenScorer(Protocol):
    """A model positioned after the prompt: scores for the next token, then told which token was chosen."""

    def next_scores(self) -> np.ndarray: ...

    def advance(self, token_id: int) -> None: ...


@dataclass(frozen=True)
class TokenVocabulary:
    size: int
    decode: Callable[[list[int]], str]  # ids -> text, special tokens written out
    special_ids: frozenset[int]
    stop_ids: frozenset[int]


def check_params(params: GenerationParams) -> None:
    problems = [
        (params.max_new_tokens < 1, "max_new_tokens must be at least 1"),
        (params.temperature is not None and params.temperature < 0, "temperature must not be negative"),
        (params.top_p is not None and not 0 < params.top_p <= 1, "top_p must be in (0, 1]"),
        (params.top_k is not None and params.top_k < 1, "top_k must be at least 1"),
        (
            params.repetition_penalty is not None and params.repetition_penalty <= 0,
            "repetition_penalty must be strictly positive",
        ),
        (any(not stop for stop in params.stop), "stop sequences must not be empty"),
        (params.top_n_tokens < 0, "top_n_tokens must not be negative"),
    ]
    for failed, message in problems:
        if failed:
            raise GenerationParameterError(message)


def generated_tokens(
    scorer: NextTokenScorer, prompt_ids: Sequence[int], params: GenerationParams, vocabulary: TokenVocabulary
) -> Iterator[GeneratedToken]:
    chooser = TokenChooser(params, vocabulary.size, list(prompt_ids))
    detokenizer = _IncrementalDetokenizer(vocabulary.decode)
    longest_stop = max((len(stop) for stop in params.stop), default=0)
    text = ""
    for position in range(params.max_new_tokens):
        token_id, logprob, top = chooser.choose(scorer.next_scores())
        piece = detokenizer.push(token_id)
        search_from = max(0, len(text) - longest_stop + 1)
        text += piece
        if token_id in vocabulary.stop_ids:
            finish_reason = "eos_token"
        elif any(stop in text[search_from:] for stop in params.stop):
            finish_reason = "stop_sequence"
        elif position == params.max_new_tokens - 1:
            finish_reason = "length"
        else:
            finish_reason = None
        alternatives = tuple((index, vocabulary.decode([index]), value) for index, value in top)
        yield GeneratedToken(
            token_id, piece, logprob, token_id in vocabulary.special_ids, finish_reason, alternatives
        )
        if finish_reason:
            return
        scorer.advance(token_id)


class _IncrementalDetokenizer:
    """The text each new token adds, holding back bytes until they form whole characters (as TGI does)."""

    def __init__(self, decode: Callable[[list[int]], str]) -> None:
        self._decode = decode
        self._ids: list[int] = []
        self._prefix_offset = 0
        self._read_offset = 0

    def push(self, token_id: int) -> str:
        self._ids.append(token_id)
        before = self._decode(self._ids[self._prefix_offset : self._read_offset])
        after = self._decode(self._ids[self._prefix_offset :])
        if len(after) <= len(before) or after.endswith("\ufffd"):
            return ""
        self._prefix_offset, self._read_offset = self._read_offset, len(self._ids)
        return after[len(before) :]
