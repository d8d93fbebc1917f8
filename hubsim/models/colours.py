"""Colour names both ways: the words a prompt may use, and the basic name of any pixel."""

import numpy as np

RGB = tuple[int, int, int]

# Words a prompt may use for a colour, and the colour the renderer paints for each.
COLOUR_WORDS: dict[str, RGB] = {
    "red": (200, 30, 35),
    "crimson": (170, 20, 50),
    "scarlet": (230, 40, 20),
    "orange": (240, 130, 20),
    "amber": (240, 170, 30),
    "gold": (225, 180, 40),
    "golden": (225, 180, 40),
    "yellow": (245, 215, 40),
    "green": (40, 150, 60),
    "emerald": (20, 140, 90),
    "lime": (150, 210, 40),
    "olive": (110, 120, 40),
    "teal": (20, 130, 130),
    "turquoise": (50, 200, 190),
    "cyan": (40, 200, 220),
    "blue": (40, 90, 210),
    "azure": (60, 150, 240),
    "navy": (20, 30, 100),
    "indigo": (60, 30, 140),
    "purple": (120, 40, 160),
    "violet": (150, 80, 210),
    "magenta": (210, 40, 170),
    "pink": (240, 140, 180),
    "brown": (120, 75, 40),
    "black": (12, 12, 14),
    "white": (245, 245, 245),
    "grey": (128, 128, 128),
    "gray": (128, 128, 128),
    "silver": (190, 195, 200),
}

# The names a description uses: what a person would call a pixel at a glance.
BASIC_NAMES = (
    "black",
    "grey",
    "white",
    "red",
    "orange",
    "brown",
    "yellow",
    "green",
    "cyan",
    "blue",
    "purple",
    "pink",
)
_INDEX = {name: index for index, name in enumerate(BASIC_NAMES)}
# Upper hue bounds (degrees) of each chromatic name.
_HUE_BANDS = (
    (15, "red"),
    (40, "orange"),
    (70, "yellow"),
    (165, "green"),
    (195, "cyan"),
    (255, "blue"),
    (290, "purple"),
    (335, "pink"),
    (361, "red"),
)


def basic_colour_indices(pixels: np.ndarray) -> np.ndarray:
    """For an (N, 3) array of RGB values 0-255, the index into BASIC_NAMES of each pixel's colour name."""
    rgb = pixels.astype(np.float32) / 255
    value = rgb.max(axis=1)
    chroma = value - rgb.min(axis=1)
    saturation = chroma / np.maximum(value, 1e-6)
    band_names = np.array([_INDEX[name] for _, name in _HUE_BANDS])
    names = band_names[
        np.searchsorted([upper for upper, _ in _HUE_BANDS], _hue_degrees(rgb, value, chroma), "right")
    ]
    # Dark oranges and yellows read as brown, pale reds as pink.
    names = np.where(
        np.isin(names, [_INDEX["orange"], _INDEX["yellow"]]) & (value < 0.6), _INDEX["brown"], names
    )
    names = np.where((names == _INDEX["red"]) & (saturation < 0.5) & (value > 0.7), _INDEX["pink"], names)
    greys = np.where(value < 0.2, _INDEX["black"], np.where(value > 0.85, _INDEX["white"], _INDEX["grey"]))
    return np.where((saturation < 0.2) | (value < 0.2), greys, names)


def _hue_degrees(rgb: np.ndarray, value: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    red, green, blue = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    safe = np.maximum(chroma, 1e-6)
    sector = np.where(
        value == red,
        ((green - blue) / safe) % 6,
        np.where(value == green, (blue - red) / safe + 2, (red - green) / safe + 4),
    )
    return sector * 60
