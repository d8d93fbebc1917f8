"""Choosing the text engine from its spec string (the server's --engine option)."""

from functools import cache
from pathlib import Path

from .generation_types import EngineUnavailableError, TextEngine
from .hf_engine import TransformersEngine
from .ngram_engine import NgramEngine

_TRANSFORMERS_PREFIX = "transformers:"


def load_engine(spec: str = "ngram") -> TextEngine:
    """The engine a spec names: "ngram" (built in), or "transformers:/path/to/model/dir" (that model through
    transformers and torch)."""
    if spec == "ngram":
        return _ngram_engine()
    if spec.startswith(_TRANSFORMERS_PREFIX):
        return TransformersEngine(Path(spec.removeprefix(_TRANSFORMERS_PREFIX)).expanduser())
    raise EngineUnavailableError(f"unknown engine {spec!r}: use 'ngram' or 'transformers:/path/to/model/dir'")


@cache
def _ngram_engine() -> NgramEngine:
    # Immutable once trained, so every caller can share one.
    return NgramEngine()
