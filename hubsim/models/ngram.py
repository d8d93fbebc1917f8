"""N-gram counts over token ids and Witten-Bell interpolation between context lengths."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Followers:
    """What followed one context in the training sequences."""

    ids: np.ndarray
    counts: np.ndarray
    total: float


class NgramCounts:
    """For every context of 1 to order-1 symbols seen in the sequences: which symbols followed, how often.

    Sequences may carry weights (a weight of 3 counts the sequence three times)."""

    def __init__(
        self,
        sequences: Sequence[np.ndarray],
        vocabulary_size: int,
        order: int,
        weights: Sequence[float] | None = None,
    ) -> None:
        if vocabulary_size**order >= 2**63:
            raise ValueError("contexts this long cannot be encoded as 64-bit integers")
        self.vocabulary_size = vocabulary_size
        self.order = order
        weights = weights if weights is not None else [1.0] * len(sequences)
        self._tables = [self._table(sequences, weights, length) for length in range(1, order)]

    def followers(self, context: Sequence[int]) -> Followers | None:
        return self._tables[len(context) - 1].get(self._code(context))

    def _code(self, symbols: Sequence[int]) -> int:
        code = 0
        for symbol in symbols:
            code = code * self.vocabulary_size + int(symbol)
        return code

    def _table(self, sequences: Sequence[np.ndarray], weights: Sequence[float], length: int) -> dict:
        size = self.vocabulary_size
        codes, code_weights = [], []
        for sequence, weight in zip(sequences, weights, strict=True):
            if len(sequence) > length:
                windows = np.lib.stride_tricks.sliding_window_view(sequence.astype(np.int64), length + 1)
                codes.append(windows @ (size ** np.arange(length, -1, -1, dtype=np.int64)))
                code_weights.append(np.full(len(windows), weight))
        if not codes:
            return {}
        unique_codes, inverse = np.unique(np.concatenate(codes), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate(code_weights))
        contexts, next_ids = np.divmod(unique_codes, size)
        starts = np.flatnonzero(np.r_[True, contexts[1:] != contexts[:-1]])
        ends = np.r_[starts[1:], len(contexts)]
        return {
            context: Followers(next_ids[start:end], counts[start:end], float(counts[start:end].sum()))
            for context, start, end in zip(
                contexts[starts].tolist(), starts.tolist(), ends.tolist(), strict=True
            )
        }


def interpolated(
    base: np.ndarray,
    counts: NgramCounts,
    history: Sequence[int],
    caution: float = 1.0,
    backstop: bool = False,
) -> np.ndarray:
    """`base` refined by the counts of ever longer suffixes of `history` (Witten-Bell: a context seen often
    with few distinct followers is trusted more; `caution` > 1 trusts every context less).

    With `backstop`, `base` only serves when not even the last symbol was seen as a context."""
    probabilities = base.copy()
    for length in range(1, min(counts.order, len(history) + 1)):
        followers = counts.followers(history[-length:])
        if followers is None:
            break  # a longer context containing this one cannot have been seen either
        trust = (
            1.0
            if backstop and length == 1
            else followers.total / (followers.total + caution * len(followers.ids))
        )
        probabilities *= 1 - trust
        probabilities[followers.ids] += trust * followers.counts / followers.total
    return probabilities
