"""What a prompt asks for: the sky, the elements of the scene and a palette (named colours first)."""

import colorsys
import hashlib
from dataclasses import dataclass
from typing import Literal

from .colours import COLOUR_WORDS, RGB
from .words import word_set, words_in

# Scene elements and the prompt words that call for each.
_ELEMENT_WORDS = {
    "mountains": word_set("mountain mountains alps peak peaks volcano summit"),
    "hills": word_set("hill hills valley countryside landscape"),
    "water": word_set("sea ocean lake river water beach coast harbour harbor waves shore"),
    "trees": word_set("forest tree trees woods pine pines jungle"),
    "city": word_set("city town skyline building buildings street village castle tower"),
    "field": word_set("field meadow grass garden flower flowers farm park"),
    "clouds": word_set("cloud clouds cloudy storm rain"),
    "sun": word_set("sun sunny sunshine"),
    "moon": word_set("moon moonlight"),
    "stars": word_set("star stars starry galaxy space nebula"),
}
LANDSCAPE_ELEMENTS = frozenset({"mountains", "hills", "water", "trees", "city", "field"})
_NIGHT_WORDS = word_set("night midnight starry moonlight dark space galaxy nebula")
_SUNSET_WORDS = word_set("sunset sunrise dusk dawn evening twilight")

Sky = Literal["day", "sunset", "night"]

# The palette's roles, and the nouns that give a colour word placed before them its role ("a blue sky").
ROLES = ("sky", "land", "accent")
_ROLE_NOUNS = {
    "sky": word_set("sky skies sunset sunrise dusk dawn night background air evening"),
    "land": word_set(
        "meadow field grass hill hills mountain mountains sea ocean lake river water forest trees tree city "
        "buildings ground land valley sand beach"
    ),
    "accent": word_set("flower flowers sun moon lights light windows shapes circles stars"),
}


@dataclass(frozen=True)
class Scene:
    sky: Sky
    elements: frozenset[str]
    palette: tuple[RGB, RGB, RGB]  # by role: sky (or background), land (or shapes), accent (sun, lights ...)
    named_roles: frozenset[str]  # the roles whose colour the prompt named; the others come from its hash

    @property
    def is_landscape(self) -> bool:
        return bool(self.elements & LANDSCAPE_ELEMENTS)


def plan_scene(prompt: str, negative_prompt: str | None) -> Scene:
    words = words_in(prompt)
    unwanted = set(words_in(negative_prompt or ""))
    elements = frozenset(
        element for element, calls in _ELEMENT_WORDS.items() if set(words) & calls and not unwanted & calls
    )
    sky: Sky = "night" if set(words) & _NIGHT_WORDS else "sunset" if set(words) & _SUNSET_WORDS else "day"
    if sky == "night" and not unwanted & _ELEMENT_WORDS["stars"]:
        elements |= {"stars"}
    refused = {COLOUR_WORDS[word] for word in unwanted if word in COLOUR_WORDS}
    named = _named_roles(words, refused)
    return Scene(sky, elements, _palette(named, prompt, refused), frozenset(named))


def _named_roles(words: list[str], refused: set[RGB]) -> dict[str, RGB]:
    """Colours by role: a colour word takes the role of the noun right after it ("green meadow"); the others
    fill the free roles in order of mention."""
    roles: dict[str, RGB] = {}
    unplaced: list[RGB] = []
    for position, word in enumerate(words):
        colour = COLOUR_WORDS.get(word)
        if colour is None or colour in refused or colour in roles.values() or colour in unplaced:
            continue
        following = set(words[position + 1 : position + 3])
        role = next((role for role in ROLES if following & _ROLE_NOUNS[role] and role not in roles), None)
        if role:
            roles[role] = colour
        else:
            unplaced.append(colour)
    for role, colour in zip((role for role in ROLES if role not in roles), unplaced, strict=False):
        roles[role] = colour
    return roles


def _palette(named: dict[str, RGB], prompt: str, refused: set[RGB]) -> tuple[RGB, RGB, RGB]:
    """The named colours in their roles, the other roles filled with hues spread from the prompt's hash, away
    from the named and refused colours."""
    taken = [*named.values(), *refused]
    start = hashlib.sha256(prompt.encode()).digest()[0] / 256
    # Golden-ratio steps spread hues evenly, so a few candidates always leave room for three colours.
    candidates = []
    for step in range(16):
        hue = (start + step * 0.618034) % 1
        candidate = tuple(round(channel * 255) for channel in colorsys.hsv_to_rgb(hue, 0.65, 0.85))
        if all(
            _hue_distance(candidate, other) > 0.08 for other in [*taken, *candidates] if _is_chromatic(other)
        ):
            candidates.append(candidate)
    # A negative prompt may refuse every hue: greys are left.
    candidates += [(70, 70, 75), (150, 150, 155), (220, 220, 225)]
    fill = iter(candidates)
    sky, land, accent = (named[role] if role in named else next(fill) for role in ROLES)
    return sky, land, accent


def _is_chromatic(colour: RGB) -> bool:
    return colorsys.rgb_to_hsv(*(channel / 255 for channel in colour))[1] > 0.2


def _hue_distance(first: RGB, second: RGB) -> float:
    hue_a = colorsys.rgb_to_hsv(*(channel / 255 for channel in first))[0]
    hue_b = colorsys.rgb_to_hsv(*(channel / 255 for channel in second))[0]
    distance = abs(hue_a - hue_b)
    return min(distance, 1 - distance)
