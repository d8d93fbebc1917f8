"""Which corpus paragraphs a prompt is about, from the content words they share (weighted by rarity)."""

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import snowballstemmer

from .paragraphs import Paragraph
from .words import words_in

_STOP_WORDS = frozenset(
    line
    for line in (Path(__file__).parent / "stop_words.txt").read_text().split("\n")
    if line and line[0] != "#"
)
# A Snowball stemmer keeps its state between calls: one per thread (the engines are built in a background
# thread while requests may build the embedding model).
_STEMMERS = threading.local()
_SENTENCE_END = re.compile(r"[.!?]\s")
_FIRST_SENTENCE_WEIGHT = 2.0
# A word's weight halves every this many words back from the end of the text: the latest words matter most.
_RECENCY_HALF_LIFE = 12


def content_words(text: str) -> list[str]:
    """The stems of the words that carry meaning, in order."""
    return [_stem(word) for word in words_in(text) if len(word) > 2 and word not in _STOP_WORDS]


@cache
def _stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _paragraph_words(paragraph: Paragraph) -> dict[str, float]:
    """A paragraph's words with their weight: more for a word it uses often, twice as much for a word of its
    first sentence (which says what the paragraph is about)."""
    counts = Counter(content_words(paragraph.text))
    first_sentence = set(content_words(_SENTENCE_END.split(paragraph.text, maxsplit=1)[0]))
    return {
        word: (1 + math.log(count)) * (_FIRST_SENTENCE_WEIGHT if word in first_sentence else 1.0)
        for word, count in counts.items()
    }


def _kind(source: str) -> str | None:
    words = content_words(source.replace("_", " "))
    return words[0] if len(words) == 1 else None


class TopicIndex:
    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        self._paragraph_words = [_paragraph_words(paragraph) for paragraph in paragraphs]
        # A one-word corpus file name ("poems", "stories", "cooking" ...) is a kind of text one may ask for.
        self._kinds = [_kind(paragraph.source) for paragraph in paragraphs]
        document_frequency = Counter(word for words in self._paragraph_words for word in words)
        self._rarity = {word: math.log(len(paragraphs) / count) for word, count in document_frequency.items()}

    def relevant(self, text: str, limit: int) -> list[tuple[int, float]]:
        """Up to `limit` (paragraph index, score) pairs, best first; empty when no content word matches.
        When the text asks for a kind of text (a poem, a story ...), only paragraphs of that kind count."""
        words = content_words(text)
        recency: dict[str, float] = {}
        for distance, word in enumerate(reversed(words)):
            recency.setdefault(word, 0.5 ** (distance / _RECENCY_HALF_LIFE))
        asked_kinds = {kind for kind in self._kinds if kind in recency}
        scored = []
        for index, paragraph_words in enumerate(self._paragraph_words):
            if asked_kinds and self._kinds[index] not in asked_kinds:
                continue
            score = sum(
                weight * paragraph_words[word] * self._rarity[word]
                for word, weight in recency.items()
                if word in paragraph_words
            )
            if asked_kinds:
                score += 1  # any paragraph of the asked kind will do
            if score > 0:
                scored.append((index, score))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]
