"""Describing an image in words: its size, its main colours (by name, with shares) and its brightness,
answering what a question asks about where these can (the colour of the sky, how bright it is ...)."""

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from .colours import BASIC_NAMES, basic_colour_indices
from .images import ImageParameterError
from .words import word_set, words_in

_SAMPLE_SIZE = 96  # the image is judged on a copy this size: enough for colour shares, fast for any image
_COLOUR_WORDS = word_set("colour color colours colors hue tint shade")
_SIZE_WORDS = word_set("size big large small dimensions resolution wide tall pixels width height")
_LIGHT_WORDS = word_set("bright brightness dark light lit dim sunny")
_POSITION_WORDS = word_set("top bottom left right centre center middle above below upper lower")
# Where in the picture a subject usually is.
_REGIONS = {
    "top": word_set("sky clouds cloud sun moon stars top above ceiling upper"),
    "bottom": word_set(
        "ground floor grass sea water lake river road bottom below field beach sand lower meadow"
    ),
    "left": word_set("left"),
    "right": word_set("right"),
    "centre": word_set("centre center middle subject"),
}
_REGION_PHRASES = {
    "top": "the top of the image",
    "bottom": "the bottom of the image",
    "left": "the left half of the image",
    "right": "the right half of the image",
    "centre": "the centre of the image",
}
_BRIGHTNESS_WORDS = ((0.3, "dark"), (0.45, "fairly dark"), (0.65, "fairly bright"), (1.01, "bright"))
_QUESTION_FILLER = word_set(
    "what which how is are the a an of in this that image picture photo does do it there you see can "
    "describe tell me about please look like its and on at to main show shows whats"
)


@dataclass(frozen=True)
class _ColourShare:
    name: str
    share: float  # 0..1


def describe_image(image: bytes, question: str) -> str:
    """A few sentences about the image that answer the question where they can."""
    pixels, width, height = _load(image)
    words = words_in(question)
    region_name, region = _region(pixels, words)
    shares = _colour_shares(region)
    subject = _subject(words)
    sentences = []
    if _COLOUR_WORDS & set(words) or region_name != "whole":
        sentences.append(_colour_answer(subject, region_name, shares))
    if _SIZE_WORDS & set(words):
        sentences.append(f"The image is {width} x {height} pixels ({_orientation(width, height)}).")
    if _LIGHT_WORDS & set(words):
        sentences.append(_brightness_sentence(pixels))
    if not sentences:
        sentences = [_overview(width, height, _colour_shares(pixels), pixels)]
        if subject:
            sentences.append(
                f"I cannot make out {subject} as such; I can only judge colours, light and size."
            )
    return " ".join(sentences)


def _load(image: bytes) -> tuple[np.ndarray, int, int]:
    try:
        with Image.open(io.BytesIO(image)) as opened:
            width, height = opened.size
            sample = opened.convert("RGB").resize((_SAMPLE_SIZE, _SAMPLE_SIZE), Image.Resampling.BOX)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ImageParameterError(
            "the data is not an image that can be read (PNG, JPEG, GIF, WebP ...)"
        ) from None
    return np.asarray(sample), width, height


def _region(pixels: np.ndarray, words: list[str]) -> tuple[str, np.ndarray]:
    third = _SAMPLE_SIZE // 3
    cuts = {
        "top": pixels[:third],
        "bottom": pixels[-third:],
        "left": pixels[:, : _SAMPLE_SIZE // 2],
        "right": pixels[:, _SAMPLE_SIZE // 2 :],
        "centre": pixels[third:-third, third:-third],
    }
    for name, calls in _REGIONS.items():
        if calls & set(words):
            return name, cuts[name]
    return "whole", pixels


def _colour_shares(pixels: np.ndarray) -> list[_ColourShare]:
    counts = np.bincount(basic_colour_indices(pixels.reshape(-1, 3)), minlength=len(BASIC_NAMES))
    order = np.argsort(-counts, kind="stable")
    total = counts.sum()
    return [
        _ColourShare(BASIC_NAMES[index], counts[index] / total)
        for index in order
        if counts[index] / total >= 0.05
    ]


def _subject(words: list[str]) -> str | None:
    """The thing the question asks about, e.g. "the sky" in "What colour is the sky?"."""
    ignored = _QUESTION_FILLER | _COLOUR_WORDS | _SIZE_WORDS | _LIGHT_WORDS | _POSITION_WORDS
    nouns = [word for word in words if word not in ignored]
    return f"the {nouns[-1]}" if nouns else None


def _listed(shares: list[_ColourShare]) -> str:
    parts = [f"{share.name} ({share.share:.0%})" for share in shares[:3]]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _colour_answer(subject: str | None, region_name: str, shares: list[_ColourShare]) -> str:
    main = shares[0].name
    if region_name == "whole":
        if subject:
            return f"I cannot tell where {subject} is, but the image is mostly {main}: {_listed(shares)}."
        return f"The main colour is {main}: the image is {_listed(shares)}."
    place = _REGION_PHRASES[region_name]
    if subject:
        return f"{subject.capitalize()} looks {main}: {place} is {_listed(shares)}."
    return f"{place.capitalize()} is mostly {main}: {_listed(shares)}."


def _brightness(pixels: np.ndarray) -> float:
    return float((pixels.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean() / 255)


def _brightness_sentence(pixels: np.ndarray) -> str:
    level = _brightness(pixels)
    word = next(word for upper, word in _BRIGHTNESS_WORDS if level < upper)
    return f"It is {word} (average brightness {level:.0%})."


def _orientation(width: int, height: int) -> str:
    return "square" if width == height else "landscape" if width > height else "portrait"


def _overview(width: int, height: int, shares: list[_ColourShare], pixels: np.ndarray) -> str:
    kind = _orientation(width, height)
    brightness = _brightness_sentence(pixels)
    return f"This is a {kind} image of {width} x {height} pixels, mostly {_listed(shares)}. {brightness}"
