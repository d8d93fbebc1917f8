"""Choosing each next token from a model's scores: greedy, or sampled with TGI's warpers."""

import numpy as np

from .generation_types import GenerationParams


def samples(params: GenerationParams) -> bool:
    """TGI samples when asked to, or when any warper (temperature, top_k, top_p) is set; temperature 0 is the
    greedy limit."""
    if params.temperature == 0:
        return False
    return (
        params.do_sample
        or params.temperature is not None
        or params.top_k is not None
        or (params.top_p is not None and params.top_p < 1)
    )


class TokenChooser:
    """Picks tokens for one generation; a seeded chooser makes the same choices for the same scores."""

    def __init__(self, params: GenerationParams, vocabulary_size: int, previous_ids: list[int]) -> None:
        self._params = params
        self._sampling = samples(params)
        self._rng = np.random.default_rng(params.seed)  # seed None: fresh entropy, as an unseeded server
        self._seen = np.zeros(vocabulary_size, dtype=bool)
        self._seen[previous_ids] = True

    def choose(self, scores: np.ndarray) -> tuple[int, float, list[tuple[int, float]]]:
        """The chosen token id, its log-probability under the distribution it was drawn from, and the
        ``top_n_tokens`` most likely (id, log-probability) pairs of that distribution."""
        scores = self._penalized(scores)
        if self._sampling:
            scores = self._warped(scores)
        logprobs = _log_softmax(scores)
        if self._sampling:
            cumulative = np.cumsum(np.exp(logprobs))
            token_id = int(np.searchsorted(cumulative, self._rng.random() * cumulative[-1], side="right"))
            token_id = min(token_id, len(cumulative) - 1)
        else:
            token_id = int(np.argmax(logprobs))
        self._seen[token_id] = True
        top = []
        if self._params.top_n_tokens:
            best = np.argsort(-logprobs, kind="stable")[: self._params.top_n_tokens]
            top = [(int(index), float(logprobs[index])) for index in best]
        return token_id, float(logprobs[token_id]), top

    def _penalized(self, scores: np.ndarray) -> np.ndarray:
        penalty = self._params.repetition_penalty
        if penalty is None or penalty == 1:
            return scores
        scores = scores.copy()
        seen = scores[self._seen]
        # As transformers and TGI do: a repeated token's score moves toward "less likely" whatever its sign.
        scores[self._seen] = np.where(seen > 0, seen / penalty, seen * penalty)
        return scores

    def _warped(self, scores: np.ndarray) -> np.ndarray:
        params = self._params
        if params.temperature is not None:
            scores = scores / params.temperature
        if params.top_k is not None and params.top_k < len(scores):
            kth_best = np.partition(scores, -params.top_k)[-params.top_k]
            scores = np.where(scores < kth_best, -np.inf, scores)
        if params.top_p is not None and params.top_p < 1:
            order = np.argsort(-scores, kind="stable")
            probabilities = np.exp(_log_softmax(scores[order]))
            # Keep the most likely tokens until they hold top_p of the mass (always at least the first).
            mass_before = np.cumsum(probabilities) - probabilities
            scores = scores.copy()
            scores[order[mass_before >= params.top_p]] = -np.inf
        return scores


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - np.max(scores)
    return shifted - np.log(np.sum(np.exp(shifted)))
