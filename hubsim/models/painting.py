"""Painting a planned scene with numpy: sky, sun or moon, clouds, land, water, trees, buildings, shapes.

Each function paints onto a float (height, width, 3) canvas with values in 0..1; `rng` decides details."""

import numpy as np
from PIL import Image

from .colours import RGB
from .scene_plan import Scene

_NATURAL_SKIES = {  # (top, horizon) when the prompt names no colour
    "day": ((40, 100, 200), (185, 215, 240)),
    "sunset": ((70, 40, 110), (250, 150, 70)),
    "night": ((5, 8, 30), (30, 35, 80)),
}


def paint(scene: Scene, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    canvas = np.empty((height, width, 3), dtype=np.float32)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    horizon = float(rng.uniform(0.5, 0.66)) if scene.is_landscape else 1.0
    top, low = _sky_colours(scene)
    canvas[:] = _mix(top, low, np.clip(ys / horizon, 0, 1)[..., None])
    if "stars" in scene.elements:
        _stars(canvas, ys < horizon, rng)
    for body in ("sun", "moon"):
        if body in scene.elements or (body == "sun" and scene.sky == "sunset" and scene.is_landscape):
            _disc(canvas, xs, ys, horizon, body, scene, rng)
    if "clouds" in scene.elements:
        _clouds(canvas, ys < horizon, scene, rng)
    if not scene.is_landscape:
        _shapes(canvas, xs, ys, scene, rng)
        return canvas
    if "mountains" in scene.elements:
        _ridges(canvas, ys, horizon, scene.palette[1], low, rng, layers=3, height=0.35, roughness=0.6)
    if "hills" in scene.elements:
        _ridges(canvas, ys, horizon, scene.palette[1], low, rng, layers=2, height=0.12, roughness=0.25)
    _ground(canvas, ys, horizon, scene, low, rng)
    if "city" in scene.elements:
        _buildings(canvas, horizon, scene, rng)
    if "trees" in scene.elements:
        _trees(canvas, horizon, scene, rng)
    return canvas


def _rgb(colour: RGB) -> np.ndarray:
    return np.array(colour, dtype=np.float32) / 255


def _mix(first: RGB | np.ndarray, second: RGB | np.ndarray, amount: np.ndarray | float) -> np.ndarray:
    start = _rgb(first) if isinstance(first, tuple) else first
    end = _rgb(second) if isinstance(second, tuple) else second
    return start + (end - start) * amount


def _blend(canvas: np.ndarray, colour: np.ndarray, alpha: np.ndarray) -> None:
    canvas += (colour - canvas) * alpha[..., None]


def _sky_colours(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    if "sky" not in scene.named_roles:
        top, low = _NATURAL_SKIES[scene.sky]
        return _rgb(top), _rgb(low)
    main = _rgb(scene.palette[0])
    shade = {"day": 1.0, "sunset": 0.8, "night": 0.3}[scene.sky]
    return main * 0.65 * shade, _mix(main, (255, 255, 255), 0.35) * shade


def _smooth_noise(rng: np.random.Generator, height: int, width: int, cells: tuple[int, int]) -> np.ndarray:
    """Noise varying over a few cells across the canvas, 0..1 (a small random grid, scaled up smoothly)."""
    grid = (rng.random(cells) * 255).astype(np.uint8)
    scaled = Image.fromarray(grid).resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(scaled, dtype=np.float32) / 255


def _profile(rng: np.random.Generator, width: int, roughness: float) -> np.ndarray:
    """A 1-D ridge line in -1..1 made of octaves of interpolated random points."""
    xs = np.linspace(0, 1, width)
    line = np.zeros(width)
    for octave in range(5):
        points = 3 * 2**octave
        amplitude = roughness**octave
        line += amplitude * np.interp(xs, np.linspace(0, 1, points + 1), rng.uniform(-1, 1, points + 1))
    return (line / np.max(np.abs(line))).astype(np.float32)


def _stars(canvas: np.ndarray, region: np.ndarray, rng: np.random.Generator) -> None:
    height, width = canvas.shape[:2]
    count = max(20, height * width // 900)
    rows, columns = rng.integers(0, height, count), rng.integers(0, width, count)
    visible = region[rows, 0]
    brightness = rng.uniform(0.5, 1.0, count)[visible, None]
    canvas[rows[visible], columns[visible]] = np.maximum(canvas[rows[visible], columns[visible]], brightness)


def _disc(
    canvas: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    horizon: float,
    body: str,
    scene: Scene,
    rng: np.random.Generator,
) -> None:
    height, width = canvas.shape[:2]
    centre_x = rng.uniform(0.2, 0.8)
    centre_y = horizon * (rng.uniform(0.7, 0.9) if scene.sky == "sunset" else rng.uniform(0.2, 0.5))
    radius = rng.uniform(0.05, 0.09)
    distance = np.sqrt(((xs - centre_x) * width / height) ** 2 + (ys - centre_y) ** 2)
    natural = _rgb((250, 245, 220) if body == "moon" else (255, 225, 130))
    colour = _mix(scene.palette[2], (255, 255, 255), 0.2) if "accent" in scene.named_roles else natural
    glow = np.exp(-((distance / (radius * 2.5)) ** 2)) * 0.5
    disc = np.clip((radius - distance) / (radius * 0.08), 0, 1)
    _blend(canvas, colour, np.maximum(glow, disc) * (ys < horizon))


def _clouds(canvas: np.ndarray, region: np.ndarray, scene: Scene, rng: np.random.Generator) -> None:
    height, width = canvas.shape[:2]
    density = (
        _smooth_noise(rng, height, width, (6, 10)) * 0.6 + _smooth_noise(rng, height, width, (18, 30)) * 0.4
    )
    alpha = np.clip((density - 0.5) * 3.5, 0, 0.9) * region
    tone = {"day": (250, 250, 252), "sunset": (245, 170, 160), "night": (60, 60, 80)}[scene.sky]
    _blend(canvas, _rgb(tone), alpha)


def _ridges(
    canvas: np.ndarray,
    ys: np.ndarray,
    horizon: float,
    colour: RGB,
    haze: np.ndarray,
    rng: np.random.Generator,
    *,
    layers: int,
    height: float,
    roughness: float,
) -> None:
    """Layers of land, far ones paler (the air between us and them), near ones darker and lower."""
    width = canvas.shape[1]
    for layer in range(layers):
        depth = layer / max(layers - 1, 1)
        ridge = (
            horizon - height * (1 - 0.45 * depth) * (0.55 + 0.45 * _profile(rng, width, roughness))[None, :]
        )
        shade = _mix(_mix(colour, (0, 0, 0), 0.25 + 0.35 * depth), haze, 0.55 * (1 - depth))
        inside = np.clip((ys - ridge) * canvas.shape[0] / 2, 0, 1)
        _blend(canvas, shade * (1 - 0.25 * np.clip((ys - ridge) / 0.3, 0, 1))[..., None], inside)


def _ground(
    canvas: np.ndarray,
    ys: np.ndarray,
    horizon: float,
    scene: Scene,
    sky_low: np.ndarray,
    rng: np.random.Generator,
) -> None:
    height, width = canvas.shape[:2]
    below = (ys >= horizon)[:, 0]  # the rows under the horizon
    depth = np.clip((ys - horizon) / (1 - horizon), 0, 1)
    if "water" in scene.elements:
        ripples = 0.06 * np.sin(ys * height * 0.9 + 6 * _smooth_noise(rng, height, width, (24, 6)))
        tint = scene.palette[1] if "land" in scene.named_roles else (30, 90, 150)
        water = _mix(_mix(sky_low, tint, 0.45), (0, 0, 20), 0.5 * depth[..., None])
        canvas[below] = np.clip(water + ripples[..., None], 0, 1)[below]
        return
    base = scene.palette[1] if "land" in scene.named_roles or "field" not in scene.elements else (60, 140, 50)
    ground = _mix(base, (10, 10, 10), 0.15 + 0.45 * depth[..., None])
    texture = 0.08 * (_smooth_noise(rng, height, width, (40, 60)) - 0.5)
    canvas[below] = np.clip(ground + texture[..., None], 0, 1)[below]
    if "field" in scene.elements:
        # Flowers three pixels wide, more of them (in perspective) toward the front.
        seeds = rng.random(((height + 2) // 3, (width + 2) // 3)) < 0.08 * np.sqrt(depth[::3])
        flowers = np.repeat(np.repeat(seeds, 3, axis=0), 3, axis=1)[:height, :width] & (ys >= horizon)
        canvas[flowers] = _rgb(scene.palette[2])


def _buildings(canvas: np.ndarray, horizon: float, scene: Scene, rng: np.random.Generator) -> None:
    height, width = canvas.shape[:2]
    base = int(horizon * height)
    lit = _mix(scene.palette[2], (255, 230, 150), 0.5) * (1.2 if scene.sky == "night" else 0.8)
    left = 0
    while left < width:
        span = min(int(rng.uniform(0.04, 0.1) * width), width - left)
        top = base - int(rng.uniform(0.08, 0.3) * height)
        wall = _mix(scene.palette[1], (15, 15, 25), rng.uniform(0.5, 0.8))
        canvas[top:base, left : left + span] = wall
        rows, columns = np.mgrid[top:base, left : left + span]
        window = ((rows - top) % 9 < 4) & ((columns - left) % 7 < 3) & (rows - top > 4)
        window &= rng.random(window.shape) < 0.55
        canvas[rows[window], columns[window]] = np.clip(lit, 0, 1)
        left += span + int(rng.uniform(0, 0.015) * width)


def _trees(canvas: np.ndarray, horizon: float, scene: Scene, rng: np.random.Generator) -> None:
    height, width = canvas.shape[:2]
    leaves = _mix(_mix(scene.palette[1], (20, 90, 40), 0.6), (0, 0, 0), 0.35)
    for _ in range(int(rng.integers(18, 40))):
        base_y = int((horizon + rng.uniform(0.0, 1 - horizon) * 0.8) * height)
        tree_height = int((0.06 + 0.25 * (base_y / height - horizon)) * height) + 4
        centre = int(rng.uniform(0, 1) * width)
        half_width = max(2, tree_height // 4)
        top = max(0, base_y - tree_height)
        rows, columns = np.mgrid[top:base_y, max(0, centre - half_width) : min(width, centre + half_width)]
        inside = np.abs(columns - centre) <= half_width * (rows - top) / max(tree_height, 1)
        canvas[rows[inside], columns[inside]] = leaves * rng.uniform(0.8, 1.1)


def _shapes(
    canvas: np.ndarray, xs: np.ndarray, ys: np.ndarray, scene: Scene, rng: np.random.Generator
) -> None:
    """A composition of soft shapes in the palette, for prompts that name no landscape."""
    height, width = canvas.shape[:2]
    angle = rng.uniform(0, np.pi)
    sweep = np.clip(0.5 + (xs - 0.5) * np.cos(angle) + (ys - 0.5) * np.sin(angle), 0, 1)
    _blend(canvas, _rgb(scene.palette[0]), np.broadcast_to(0.85 - 0.35 * sweep, canvas.shape[:2]))
    for index in range(int(rng.integers(5, 10))):
        colour = _rgb(scene.palette[1 + index % 2])
        centre_x, centre_y = rng.uniform(0.1, 0.9, 2)
        radius = rng.uniform(0.06, 0.22)
        distance = np.sqrt(((xs - centre_x) * width / height) ** 2 + (ys - centre_y) ** 2)
        edge = rng.uniform(0.01, 0.08)
        _blend(canvas, colour * rng.uniform(0.8, 1.1), np.clip((radius - distance) / edge, 0, 1) * 0.85)
