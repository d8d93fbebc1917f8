"""Splitting prompts and questions into words, and writing word lists compactly."""

import re

_WORD = re.compile(r"[a-z]+")


def words_in(text: str) -> list[str]:
    """The lowercase words of a text, in order."""
    return _WORD.findall(text.lower())


def word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(spaced.split())
