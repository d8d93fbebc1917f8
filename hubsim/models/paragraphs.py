"""The English text shipped in corpus/: the training data of the tokenizer and of the n-gram engine."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Paragraph:
    source: str  # the corpus file's stem, e.g. "cooking"
    text: str


@cache
def load_paragraphs() -> tuple[Paragraph, ...]:
    """Every paragraph (blank-line separated; a poem's stanza keeps its line breaks), in a stable order."""
    paragraphs = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if block.strip():
                paragraphs.append(Paragraph(path.stem, block.strip()))
    return tuple(paragraphs)
