"""The default text engine: an n-gram language model over the base BPE vocabulary, trained at start-up on the
shipped corpus, and steered toward the corpus paragraphs that share the prompt's content words."""

import itertools
from collections.abc import Callable, Iterator

import numpy as np
from tokenizers import Tokenizer

from .generation_loop import check_params, generated_tokens
from .generation_types import GeneratedToken, GenerationParams
from .ngram import NgramCounts, interpolated
from .paragraphs import load_paragraphs
from .repo_tokens import RepoTokens, repo_tokens
from .sampling import samples
from .tokenizer_build import base_tokenizer_json
from .topics import TopicIndex

_ORDER = 5  # contexts of up to four tokens: about three words
_REPLY_PARAGRAPHS = 3  # a reply runs through at most this many paragraphs about the prompt,
_RELEVANT_SHARE = 0.5  # each (unless sampling) scoring at least this share of the best one,
_CANDIDATES = 6  # and (when sampling) drawn from this many
_REPLY_WEIGHT = 4.0  # how many times the reply's paragraphs count, relative to the whole corpus
_SMALL_TALK_SOURCE = "conversation"  # what to talk about when the prompt matches nothing
_PLAN_STREAM = 1  # the plan's random numbers come from the seed too, apart from the token choices
_LOGIT_SHIFT = 10.0


class NgramEngine:
    def __init__(self) -> None:
        base = Tokenizer.from_str(base_tokenizer_json())
        self._base_size = base.get_vocab_size()
        # Two symbols after the base vocabulary: the end of a paragraph (a reply's end) and its start.
        self._end, self._start = self._base_size, self._base_size + 1
        self._paragraphs = load_paragraphs()
        self._sequences = [
            np.array([self._start, *base.encode(paragraph.text).ids, self._end])
            for paragraph in self._paragraphs
        ]
        self._break = np.array(base.encode("\n\n").ids)
        bridges = self._paragraph_bridges()
        self._counts = NgramCounts(self._sequences + bridges, self._base_size + 2, _ORDER)
        self._unigram = self._smoothed_unigram()
        self._topics = TopicIndex(self._paragraphs)
        self._small_talk = [i for i, p in enumerate(self._paragraphs) if p.source == _SMALL_TALK_SOURCE]

    def tokenize(
        self, repo_id: str, text: str, add_special_tokens: bool = True
    ) -> list[tuple[int, str, int, int]]:
        encoding = repo_tokens(repo_id).tokenizer.encode(text, add_special_tokens=add_special_tokens)
        return [
            (token_id, text[start:stop], start, stop)
            for token_id, (start, stop) in zip(encoding.ids, encoding.offsets, strict=True)
        ]

    def generate(self, repo_id: str, prompt: str, params: GenerationParams) -> Iterator[GeneratedToken]:
        check_params(params)
        tokens = repo_tokens(repo_id)
        prompt_ids = tokens.tokenizer.encode(prompt).ids
        reply = self._reply_counts(self._reply_plan(tokens.topic_texts(prompt), params))
        history = self._history(tokens, prompt, prompt_ids)
        scorer = _NgramScorer(self.probabilities, self._base_size, tokens, history, reply)
        return generated_tokens(scorer, prompt_ids, params, tokens.vocabulary)

    def probabilities(self, history: list[int], reply: NgramCounts) -> np.ndarray:
        """Next-symbol probabilities: the corpus model, refined by the counts of the reply's paragraphs."""
        corpus_model = interpolated(self._unigram, self._counts, history, backstop=True)
        return interpolated(corpus_model, reply, history)

    def _paragraph_bridges(self) -> list[np.ndarray]:
        """Each paragraph's end, a paragraph break and the start of the next one in the same file: where a
        paragraph ends, a reply may stop (the end symbol) or go on with another paragraph."""
        bridges = []
        for (before, ids_before), (after, ids_after) in itertools.pairwise(
            zip(self._paragraphs, self._sequences, strict=True)
        ):
            if before.source == after.source:
                bridges.append(np.concatenate([ids_before[-_ORDER:-1], self._break, ids_after[1:_ORDER]]))
        return bridges

    def _smoothed_unigram(self) -> np.ndarray:
        counts = np.bincount(np.concatenate(self._sequences), minlength=self._base_size + 2) + 0.1
        counts[self._start] = 0  # a paragraph never starts in the middle of one
        return counts / counts.sum()

    def _history(self, tokens: RepoTokens, prompt: str, prompt_ids: list[int]) -> list[int]:
        """Where the model starts: a fresh paragraph for a chat reply, else the prompt's last plain tokens."""
        if tokens.reply_cue is not None and prompt.endswith(tokens.reply_cue):
            return [self._start]
        tail: list[int] = []
        for token_id in reversed(prompt_ids):
            if token_id >= self._base_size or len(tail) == _ORDER - 2:
                break
            tail.insert(0, token_id)
        return [self._start, *tail]

    def _reply_plan(self, texts: list[str], params: GenerationParams) -> list[int]:
        """The paragraphs a reply will draw on, in order: the most relevant ones, or when sampling a seeded
        draw weighted by relevance (so that seeds differ in what they talk about, not only in wording)."""
        relevant = next(filter(None, (self._topics.relevant(text, _CANDIDATES) for text in texts)), None)
        limit = _REPLY_PARAGRAPHS
        if relevant is None:
            relevant, limit = [(index, 1.0) for index in self._small_talk], 1
        if not samples(params):
            best = relevant[0][1]
            return [index for index, score in relevant[:limit] if score >= _RELEVANT_SHARE * best]
        rng = np.random.default_rng(None if params.seed is None else [params.seed, _PLAN_STREAM])
        scores = np.array([score for _, score in relevant])
        weights = (scores / scores.max()) ** (1 / (params.temperature or 1.0))
        drawn = rng.choice(
            len(relevant), size=min(limit, len(relevant)), replace=False, p=weights / weights.sum()
        )
        return [relevant[position][0] for position in drawn]

    def _reply_counts(self, plan: list[int]) -> NgramCounts:
        """Counts from the planned paragraphs chained into one reply, paragraph breaks between them."""
        pieces: list[np.ndarray] = [np.array([self._start])]
        for position, index in enumerate(plan):
            pieces += (
                [self._break, self._sequences[index][1:-1]] if position else [self._sequences[index][1:-1]]
            )
        pieces.append(np.array([self._end]))
        return NgramCounts([np.concatenate(pieces)], self._base_size + 2, _ORDER, weights=[_REPLY_WEIGHT])


class _NgramScorer:
    """One generation's state: the tokens so far, scored by the corpus model and the reply's paragraphs."""

    def __init__(
        self,
        probabilities: Callable[[list[int], NgramCounts], np.ndarray],
        base_size: int,
        tokens: RepoTokens,
        history: list[int],
        reply: NgramCounts,
    ) -> None:
        self._probabilities = probabilities
        self._base_size = base_size
        self._tokens = tokens
        self._history = history
        self._reply = reply

    def next_scores(self) -> np.ndarray:
        probabilities = self._probabilities(self._history[-(_ORDER - 1) :], self._reply)
        scores = np.full(self._tokens.vocabulary.size, -np.inf)
        with np.errstate(divide="ignore"):  # log(0) = -inf: a token that cannot follow here
            scores[: self._base_size] = np.log(probabilities[: self._base_size])
            scores[self._tokens.end_of_turn_id] = np.log(probabilities[self._base_size])
        # Softmax ignores a constant shift; this one gives likely tokens positive scores, as a real model's
        # logits have, so that repetition_penalty weakens them by division as it does there.
        return scores + _LOGIT_SHIFT

    def advance(self, token_id: int) -> None:
        self._history.append(token_id)
