"""Procedural editorial illustrations for the demo content.

Each motif is composed from layered flat shapes (sky gradients, a glowing sun, hazy
ridges, silhouettes, water marks) drawn with Pillow's ImageDraw. Composition and palette
come from ``random.Random(seed)``, so the same motif, seed and size always give the same
JPEG bytes, and the same motif and seed give the same picture at any size.
"""

from __future__ import annotations

import colorsys
import functools
import io
import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

MOTIFS = (
    "harbour",
    "skyline",
    "coast",
    "forest",
    "festival",
    "library",
    "chart",
    "market",
    "seagrass",
)

Color = tuple[int, int, int]
Point = tuple[float, float]

# Drawing small images at twice the size and reducing them anti-aliases their edges;
# large images are drawn directly because their steps are invisible and time is short.
_SUPERSAMPLE_BELOW = 1_500_000

_SKIES = {
    # (hue, saturation, lightness) of zenith, mid sky, horizon and sun or moon.
    "dawn": ((0.66, 0.40, 0.40), (0.95, 0.50, 0.74), (0.09, 0.85, 0.82), (0.12, 1.0, 0.92)),
    "day": ((0.58, 0.60, 0.55), (0.56, 0.58, 0.75), (0.13, 0.50, 0.89), (0.14, 1.0, 0.96)),
    "dusk": ((0.71, 0.42, 0.26), (0.92, 0.45, 0.48), (0.07, 0.88, 0.64), (0.10, 1.0, 0.80)),
    "night": ((0.65, 0.55, 0.09), (0.64, 0.45, 0.18), (0.62, 0.32, 0.32), (0.13, 0.30, 0.90)),
}
_LIT_SHARE = {"dawn": 0.25, "day": 0.0, "dusk": 0.45, "night": 0.6}
_HARMONIES = (
    (0.0, 0.08, 0.5, 0.56, 0.14),
    (0.0, 0.33, 0.67, 0.05, 0.4),
    (0.0, 0.5, 0.1, 0.6, 0.92),
    (0.0, 0.12, 0.24, 0.55, 0.7),
)


def _hsl(h: float, s: float, lightness: float) -> Color:
    r, g, b = colorsys.hls_to_rgb(h % 1.0, min(max(lightness, 0.0), 1.0), min(max(s, 0.0), 1.0))
    return (round(r * 255), round(g * 255), round(b * 255))


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _rgba(color: Color, alpha: float) -> tuple[int, int, int, int]:
    return (*color, round(255 * min(max(alpha, 0.0), 1.0)))


def _lighten(color: Color, t: float) -> Color:
    return _mix(color, (255, 255, 255), t)


def _darken(color: Color, t: float) -> Color:
    return _mix(color, (0, 0, 0), t)


@dataclass(frozen=True)
class _Palette:
    mood: str
    sky: tuple[Color, Color, Color]
    light: Color
    land: Color
    water: Color
    accents: tuple[Color, ...]
    window: Color

    @property
    def horizon(self) -> Color:
        return self.sky[2]

    @property
    def lit(self) -> float:
        return _LIT_SHARE[self.mood]

    def haze(self, color: Color, depth: float) -> Color:
        return _mix(color, self.horizon, depth)


def _palette(rng: random.Random, moods: Sequence[str] = tuple(_SKIES)) -> _Palette:
    mood = rng.choice(moods)
    shift = rng.uniform(-0.035, 0.035)
    zenith, middle, horizon, light = (_hsl(h + shift, s, v) for h, s, v in _SKIES[mood])
    hue = rng.random()
    accents = tuple(
        _hsl(
            hue + offset + rng.uniform(-0.02, 0.02), rng.uniform(0.4, 0.62), rng.uniform(0.42, 0.58)
        )
        for offset in rng.choice(_HARMONIES)
    )
    dark = {"dawn": 0.2, "day": 0.25, "dusk": 0.14, "night": 0.08}[mood]
    land = _mix(_hsl(hue + 0.5, 0.22, dark), zenith, 0.3)
    water = _mix(_hsl(0.55 + shift, 0.5, dark + 0.12), zenith, 0.4)
    window = _hsl(0.11 + rng.uniform(-0.02, 0.02), 0.95, 0.72)
    return _Palette(mood, (zenith, middle, horizon), light, land, water, accents, window)


class _Canvas:
    """An RGB image with a blending draw handle; lengths are in 1/1200ths of the width."""

    def __init__(self, size: tuple[int, int], rng: random.Random) -> None:
        self.w, self.h = size
        self.rng = rng
        self.img = Image.new("RGB", size)
        self.draw = ImageDraw.Draw(self.img, "RGBA")
        self.u = self.w / 1200

    def px(self, units: float) -> int:
        return max(1, round(units * self.u))


def _sample(stops: Sequence[tuple[float, Color]], t: float) -> Color:
    for (p0, c0), (p1, c1) in itertools.pairwise(stops):
        if t <= p1:
            return _mix(c0, c1, 0.0 if p1 == p0 else (t - p0) / (p1 - p0))
    return stops[-1][1]


def _gradient(size: tuple[int, int], stops: Sequence[tuple[float, Color]]) -> Image.Image:
    """A vertical gradient, computed for 256 rows and stretched to the requested size."""
    strip = Image.new("RGB", (1, 256))
    strip.putdata([_sample(stops, i / 255) for i in range(256)])
    return strip.resize((max(1, size[0]), max(1, size[1])), Image.Resampling.BILINEAR)


def _fill_gradient(
    c: _Canvas,
    top: float,
    bottom: float,
    stops: Sequence[tuple[float, Color]],
    x0: float = 0.0,
    x1: float | None = None,
) -> None:
    top, bottom = int(top), int(bottom)
    x0 = int(x0)
    x1 = c.w if x1 is None else int(x1)
    if bottom > top and x1 > x0:
        c.img.paste(_gradient((x1 - x0, bottom - top), stops), (x0, top))


@functools.cache
def _glow_mask() -> Image.Image:
    # radial_gradient reaches 181 at the inscribed circle; squaring gives a soft falloff.
    return Image.radial_gradient("L").point(lambda v: round(255 * max(0.0, 1 - v / 181) ** 2))


def _glow(c: _Canvas, x: float, y: float, radius: float, color: Color, strength: float) -> None:
    r = int(radius)
    if r < 2:
        return
    mask = _glow_mask().resize((2 * r, 2 * r), Image.Resampling.BILINEAR)
    if strength < 1:
        mask = mask.point(lambda v: round(v * strength))
    c.img.paste(color, (int(x) - r, int(y) - r), mask)


def _soft(c: _Canvas, color: Color, paint: Callable[[ImageDraw.ImageDraw, float], None]) -> None:
    """Paint a mask at quarter size, blur it and stretch it, for soft rays and mist."""
    scale = 0.25
    small = Image.new("L", (max(1, int(c.w * scale)), max(1, int(c.h * scale))), 0)
    paint(ImageDraw.Draw(small), scale)
    small = small.filter(ImageFilter.GaussianBlur(max(1.0, 6 * c.u * scale)))
    c.img.paste(color, (0, 0), small.resize((c.w, c.h), Image.Resampling.BILINEAR))


def _band(c: _Canvas, y: float, height: float, color: Color, alpha: float) -> None:
    """A horizontal band of mist, transparent at both edges."""
    hh = int(height)
    if hh < 2:
        return
    strip = Image.new("L", (1, 64))
    strip.putdata([round(255 * alpha * math.sin(math.pi * i / 63) ** 2) for i in range(64)])
    c.img.paste(color, (0, int(y - hh / 2)), strip.resize((c.w, hh), Image.Resampling.BILINEAR))


def _ridge(rng: random.Random, octaves: int = 3, freq: float = 1.0) -> Callable[[float], float]:
    waves = [
        (freq * rng.uniform(0.7, 1.5) * 2.1**k, rng.uniform(0, math.tau), 0.5**k)
        for k in range(octaves)
    ]
    norm = sum(a for _, _, a in waves)
    return lambda t: sum(a * math.sin(math.tau * f * t + p) for f, p, a in waves) / norm


def _hill(
    c: _Canvas, base: float, amp: float, color: Color, octaves: int = 3, freq: float = 1.0
) -> Callable[[float], float]:
    """Fill a rolling ridge down to the bottom edge; returns its y at any x."""
    steps = 120
    shape = _ridge(c.rng, octaves, freq)
    top = [(c.w * i / steps, base - amp * shape(i / steps)) for i in range(steps + 1)]
    c.draw.polygon([*top, (c.w, c.h), (0, c.h)], fill=color)
    return lambda x: base - amp * shape(x / c.w)


def _catenary(p0: Point, p1: Point, sag: float, n: int = 24) -> list[Point]:
    return [
        (p0[0] + (p1[0] - p0[0]) * t, p0[1] + (p1[1] - p0[1]) * t + sag * 4 * t * (1 - t))
        for t in (i / n for i in range(n + 1))
    ]


def _sky(c: _Canvas, pal: _Palette, bottom: float, stars: bool = True) -> None:
    _fill_gradient(c, 0, bottom, [(0, pal.sky[0]), (0.6, pal.sky[1]), (1, pal.sky[2])])
    if pal.mood == "night" and stars:
        for _ in range(140):
            x, y = c.rng.random() * c.w, c.rng.random() ** 1.6 * bottom * 0.9
            r = c.px(c.rng.uniform(0.6, 1.8))
            c.draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=_rgba((255, 250, 235), c.rng.uniform(0.3, 0.9))
            )


def _sun(c: _Canvas, pal: _Palette, x: float, y: float, r: float) -> None:
    _glow(c, x, y, r * 7, pal.light, 0.35)
    _glow(c, x, y, r * 2.4, pal.light, 0.55)
    c.draw.ellipse((x - r, y - r, x + r, y + r), fill=pal.light)
    if pal.mood == "night":
        for _ in range(4):
            a, d = c.rng.uniform(0, math.tau), c.rng.uniform(0, 0.6) * r
            cr = r * c.rng.uniform(0.12, 0.25)
            cx, cy = x + d * math.cos(a), y + d * math.sin(a)
            c.draw.ellipse((cx - cr, cy - cr, cx + cr, cy + cr), fill=_rgba(pal.sky[1], 0.18))


def _cloud(c: _Canvas, x: float, y: float, width: float, color: Color, alpha: float) -> None:
    """A flat-bottomed bank of puffs, painted through one mask so overlaps stay even."""
    rng = c.rng
    height = width * 0.45
    mask = Image.new("L", (int(width * 1.3) + 2, int(height * 1.2) + 2), 0)
    md = ImageDraw.Draw(mask)
    base = mask.height * 0.9
    for i in range(6):
        px = mask.width * (0.15 + 0.7 * i / 5) + rng.uniform(-0.05, 0.05) * width
        r = width * rng.uniform(0.1, 0.2) * (1.25 - abs(i - 2.5) / 5)
        md.ellipse((px - r * 1.3, base - r * 2, px + r * 1.3, base), fill=round(255 * alpha))
    md.rectangle(
        (mask.width * 0.12, base - width * 0.06, mask.width * 0.88, base), fill=round(255 * alpha)
    )
    c.img.paste(color, (int(x - mask.width / 2), int(y - base)), mask)


def _clouds(c: _Canvas, pal: _Palette, top: float, bottom: float, count: int) -> None:
    tint = _lighten(pal.sky[1], 0.45) if pal.mood != "night" else _mix(pal.sky[1], pal.sky[2], 0.5)
    for _ in range(count):
        x, y = c.rng.uniform(-0.05, 1.05) * c.w, c.rng.uniform(top, bottom)
        _cloud(c, x, y, c.w * c.rng.uniform(0.12, 0.26), tint, c.rng.uniform(0.45, 0.8))


def _water(c: _Canvas, pal: _Palette, top: float, bottom: float | None = None) -> None:
    bottom = c.h if bottom is None else bottom
    near = _mix(pal.water, pal.land, 0.35)
    far = _mix(pal.horizon, pal.sky[1], 0.35)
    _fill_gradient(c, top, bottom, [(0, far), (0.25, _mix(far, pal.water, 0.6)), (1, near)])


def _water_marks(c: _Canvas, pal: _Palette, top: float, bottom: float, count: int = 90) -> None:
    light = _mix(pal.sky[1], pal.light, 0.3)
    for _ in range(count):
        t = c.rng.random()
        y = top + (bottom - top) * t**1.5
        length = c.w * (0.01 + 0.06 * t) * c.rng.uniform(0.5, 1.3)
        x = c.rng.uniform(-0.05, 1.0) * c.w
        c.draw.line(
            (x, y, x + length, y), fill=_rgba(light, 0.18 + 0.3 * t), width=c.px(0.8 + 2 * t)
        )


def _sun_path(c: _Canvas, pal: _Palette, x: float, top: float, bottom: float) -> None:
    for i in range(34):
        t = i / 33
        y = top + (bottom - top) * t**1.3
        half = c.w * (0.008 + 0.05 * t) * c.rng.uniform(0.5, 1.2)
        dx = c.rng.uniform(-0.3, 0.3) * half
        c.draw.line(
            (x + dx - half, y, x + dx + half, y),
            fill=_rgba(pal.light, 0.55 - 0.35 * t),
            width=c.px(1 + 3 * t),
        )


def _gull(c: _Canvas, x: float, y: float, s: float, color: Color) -> None:
    c.draw.line(
        [
            (x - s, y - s * 0.15),
            (x - s * 0.45, y - s * 0.45),
            (x, y),
            (x + s * 0.45, y - s * 0.45),
            (x + s, y - s * 0.15),
        ],
        fill=color,
        width=c.px(s / c.u / 9),
        joint="curve",
    )


def _windows(
    c: _Canvas, box, facade: Color, pal: _Palette, size: float, lit: float, day_glass: Color
) -> None:
    """A grid of windows: lit ones warm, the rest glass tinted towards the sky."""
    x0, y0, x1, y1 = box
    cell = size * 2.1
    cols, rows = int((x1 - x0) / cell), int((y1 - y0) / (cell * 1.25))
    if cols < 1 or rows < 1:
        return
    mx = (x1 - x0 - cols * cell) / 2 + (cell - size) / 2
    dark = _mix(facade, day_glass, 0.35) if pal.mood == "day" else _darken(facade, 0.35)
    for row in range(rows):
        wy = y0 + row * cell * 1.25 + cell * 0.3
        for col in range(cols):
            wx = x0 + mx + col * cell
            on = c.rng.random() < lit
            c.draw.rectangle((wx, wy, wx + size, wy + size * 1.3), fill=pal.window if on else dark)


def _buildings(
    c: _Canvas,
    pal: _Palette,
    x0: float,
    x1: float,
    base: float,
    heights: tuple[float, float],
    widths: tuple[float, float],
    color: Color,
    window: float,
    lit: float,
    roofs: bool = True,
) -> list[tuple[float, float, float]]:
    """A row of buildings from x0 to x1 standing on `base`; returns their x, width and top."""
    rng = c.rng
    tops = []
    x = x0
    while x < x1:
        bw = c.w * rng.uniform(*widths)
        bh = c.h * rng.uniform(*heights)
        top = base - bh
        facade = _mix(color, rng.choice(pal.accents), rng.uniform(0.0, 0.12))
        c.draw.rectangle((x, top, x + bw, base), fill=facade)
        if roofs:
            kind = rng.random()
            if kind < 0.2:
                c.draw.polygon(
                    [(x, top), (x + bw / 2, top - bw * 0.35), (x + bw, top)], fill=facade
                )
            elif kind < 0.4:
                c.draw.rectangle((x + bw * 0.2, top - bh * 0.08, x + bw * 0.8, top), fill=facade)
            elif kind < 0.55:
                tx = x + bw * rng.uniform(0.2, 0.6)
                c.draw.rectangle((tx, top - bw * 0.16, tx + bw * 0.2, top), fill=facade)
            elif kind < 0.7:
                ax = x + bw * rng.uniform(0.3, 0.7)
                c.draw.line((ax, top, ax, top - bh * 0.25), fill=facade, width=c.px(1.5))
        if window > 0:
            pad = bw * 0.12
            _windows(
                c,
                (x + pad, top + pad, x + bw - pad, base - pad),
                facade,
                pal,
                window * c.w,
                lit,
                pal.sky[1],
            )
        tops.append((x, bw, top))
        x += bw + c.w * rng.uniform(-0.004, 0.006)
    return tops


def _boat(c: _Canvas, pal: _Palette, x: float, y: float, length: float, facing: int) -> None:
    """A small boat floating at waterline `y`, bow towards `facing` (1 right, -1 left)."""
    rng = c.rng
    kind = rng.choice(("sail", "fishing", "fishing", "ferry"))
    hull = rng.choice(pal.accents) if kind != "ferry" else _lighten(pal.accents[0], 0.75)
    hull = _mix(hull, pal.horizon, 0.15)
    trim = _lighten(pal.accents[1], 0.6) if kind != "ferry" else pal.accents[1]
    cabin = _lighten(pal.accents[2], 0.7)
    L = length

    def p(dx: float, dy: float) -> Point:
        return (x + facing * dx * L, y - dy * L)

    depth = 0.12 if kind != "ferry" else 0.1
    c.draw.polygon(
        [p(-0.5, 0), p(0.5, 0), p(0.58, -0.45 * depth), p(0.58, -0.9 * depth)],
        fill=_rgba(_darken(hull, 0.4), 0.35),
    )
    if kind == "sail":
        mx = -0.08
        sail = _lighten(pal.light, 0.5)
        c.draw.line(
            [p(mx, depth), p(mx, depth + 1.0)], fill=_darken(hull, 0.5), width=c.px(L / c.u / 90)
        )
        c.draw.polygon(
            [p(mx - 0.02, depth + 0.95), p(mx - 0.02, depth + 0.08), p(mx - 0.46, depth + 0.08)],
            fill=sail,
        )
        c.draw.polygon(
            [p(mx + 0.02, depth + 0.85), p(mx + 0.02, depth + 0.1), p(0.52, depth + 0.02)],
            fill=_mix(sail, pal.horizon, 0.25),
        )
    elif kind == "fishing":
        c.draw.rectangle(
            (*p(-0.12, depth + 0.28), *p(0.16, depth))
            if facing > 0
            else (*p(0.16, depth + 0.28), *p(-0.12, depth)),
            fill=cabin,
        )
        for i in range(3):
            wx = -0.08 + i * 0.08
            box = (*p(wx, depth + 0.22), *p(wx + 0.05, depth + 0.15))
            c.draw.rectangle(
                _box(box), fill=pal.window if pal.lit else _mix(cabin, pal.sky[0], 0.5)
            )
        c.draw.line(
            [p(-0.3, depth), p(-0.3, depth + 0.62)],
            fill=_darken(hull, 0.5),
            width=c.px(L / c.u / 120),
        )
        c.draw.line(
            [p(-0.3, depth + 0.6), p(-0.5, depth + 0.2)],
            fill=_darken(hull, 0.5),
            width=c.px(L / c.u / 180),
        )
        c.draw.line(
            [p(0.05, depth + 0.28), p(0.05, depth + 0.5)],
            fill=_darken(hull, 0.5),
            width=c.px(L / c.u / 160),
        )
        if pal.lit:
            lx, ly = p(0.05, depth + 0.5)
            _glow(c, lx, ly, L * 0.08, pal.window, 0.9)
    else:
        c.draw.rectangle(_box((*p(-0.4, depth + 0.16), *p(0.36, depth))), fill=cabin)
        c.draw.rectangle(
            _box((*p(-0.3, depth + 0.27), *p(0.2, depth + 0.16))), fill=_lighten(cabin, 0.3)
        )
        c.draw.rectangle(_box((*p(-0.12, depth + 0.38), *p(-0.02, depth + 0.27))), fill=trim)
        for i in range(9):
            wx = -0.36 + i * 0.08
            c.draw.rectangle(
                _box((*p(wx, depth + 0.12), *p(wx + 0.05, depth + 0.05))),
                fill=pal.window if pal.lit else _mix(cabin, pal.sky[0], 0.55),
            )
    c.draw.polygon([p(-0.5, depth), p(0.56, depth * 1.3), p(0.44, 0), p(-0.44, 0)], fill=hull)
    c.draw.line([p(-0.5, depth * 0.85), p(0.54, depth * 1.12)], fill=trim, width=c.px(L / c.u / 60))


def _box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _conifer(c: _Canvas, x: float, base: float, height: float, color: Color) -> None:
    width = height * 0.42
    tiers = 3
    for i in range(tiers):
        t0 = i / tiers
        top = base - height * (0.38 + 0.62 * (i + 1) / tiers)
        bottom = base - height * (0.12 + 0.7 * t0)
        half = width * (1 - 0.55 * t0) / 2
        c.draw.polygon([(x - half, bottom), (x, top), (x + half, bottom)], fill=color)
    c.draw.rectangle(
        (x - width * 0.05, base - height * 0.14, x + width * 0.05, base), fill=_darken(color, 0.3)
    )


def _round_tree(c: _Canvas, x: float, base: float, height: float, color: Color) -> None:
    r = height * 0.32
    trunk = _darken(color, 0.45)
    c.draw.rectangle((x - r * 0.09, base - height * 0.45, x + r * 0.09, base), fill=trunk)
    for dx, dy, k in ((-0.45, 0.62, 0.75), (0.45, 0.6, 0.78), (0, 0.78, 1.0)):
        cx, cy = x + dx * r, base - height * dy
        c.draw.ellipse((cx - r * k, cy - r * k, cx + r * k, cy + r * k), fill=color)
    hx, hy = x - r * 0.25, base - height * 0.85
    c.draw.ellipse(
        (hx - r * 0.35, hy - r * 0.3, hx + r * 0.35, hy + r * 0.3),
        fill=_rgba(_lighten(color, 0.3), 0.35),
    )


def _person(
    c: _Canvas, x: float, base: float, height: float, body: Color, head: Color, arm_up: bool = False
) -> None:
    hr = height * 0.085
    shoulders = base - height * 0.8
    c.draw.rounded_rectangle(
        (x - height * 0.14, shoulders, x + height * 0.14, base), radius=height * 0.08, fill=body
    )
    if arm_up:
        c.draw.line(
            [(x + height * 0.1, shoulders + hr), (x + height * 0.2, shoulders - height * 0.28)],
            fill=body,
            width=max(1, int(height * 0.07)),
        )
    c.draw.ellipse((x - hr, shoulders - hr * 2.1, x + hr, shoulders - hr * 0.1), fill=head)


def _bunting(
    c: _Canvas, p0: Point, p1: Point, sag: float, colors: Sequence[Color], flags: int
) -> None:
    line = _catenary(p0, p1, sag, flags * 2)
    c.draw.line(line, fill=_rgba((40, 30, 30), 0.6), width=c.px(1))
    size = abs(p1[0] - p0[0]) / flags * 0.42
    for i in range(1, len(line) - 1, 2):
        (ax, ay), (bx, by) = line[i - 1], line[i + 1]
        mx, my = (ax + bx) / 2, (ay + by) / 2
        color = colors[(i // 2) % len(colors)]
        c.draw.polygon([(mx - size, my), (mx + size, my), (mx, my + size * 1.8)], fill=color)


def _string_lights(c: _Canvas, p0: Point, p1: Point, sag: float, color: Color, bulbs: int) -> None:
    line = _catenary(p0, p1, sag, bulbs)
    c.draw.line(line, fill=_rgba((20, 15, 20), 0.7), width=c.px(1))
    r = c.px(3.2)
    for x, y in line[1:-1]:
        c.draw.ellipse(
            (x - r * 3, y - r * 3 + r, x + r * 3, y + r * 3 + r), fill=_rgba(color, 0.16)
        )
        c.draw.ellipse((x - r, y, x + r, y + 2 * r), fill=_lighten(color, 0.35))


def _draw_harbour(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng)
    hz = h * rng.uniform(0.5, 0.58)
    _sky(c, pal, hz)
    low = pal.mood in ("dawn", "dusk")
    sun_x = w * rng.uniform(0.15, 0.85)
    sun_y = hz - h * (rng.uniform(0.06, 0.16) if low else rng.uniform(0.2, 0.34))
    _sun(c, pal, sun_x, sun_y, h * rng.uniform(0.04, 0.06))
    _clouds(c, pal, h * 0.06, hz - h * 0.14, rng.randint(2, 5))
    _hill(c, hz - h * 0.05, h * 0.05, pal.haze(pal.land, 0.72), freq=1.1)
    _hill(c, hz - h * 0.012, h * 0.02, pal.haze(pal.land, 0.55), freq=2.4)
    town0 = w * rng.uniform(-0.05, 0.3)
    town1 = town0 + w * rng.uniform(0.4, 0.65)
    _buildings(
        c,
        pal,
        town0,
        town1,
        hz + h * 0.004,
        (0.02, 0.075),
        (0.012, 0.03),
        pal.haze(pal.land, 0.4),
        0.0032,
        pal.lit,
    )
    crane_color = pal.haze(_mix(pal.accents[0], pal.land, 0.4), 0.35)
    crane_x = town1 + w * rng.uniform(0.01, 0.05)
    for i in range(rng.randint(2, 3)):
        cx = crane_x + i * w * rng.uniform(0.045, 0.06)
        ch = h * rng.uniform(0.1, 0.14)
        legs = ch * 0.3
        width = c.px(3)
        d.line([(cx, hz), (cx, hz - ch)], fill=crane_color, width=width)
        d.line([(cx + legs, hz), (cx + legs, hz - ch)], fill=crane_color, width=width)
        d.line([(cx, hz - ch * 0.55), (cx + legs, hz - ch * 0.55)], fill=crane_color, width=width)
        d.line(
            [(cx, hz - ch * 0.55), (cx + legs, hz - ch * 0.95)], fill=crane_color, width=c.px(1.5)
        )
        d.line(
            [(cx - ch * 0.6, hz - ch * 0.9), (cx + legs + ch * 0.25, hz - ch * 0.9)],
            fill=crane_color,
            width=c.px(4),
        )
        d.line(
            [(cx + legs * 0.5, hz - ch * 1.15), (cx - ch * 0.6, hz - ch * 0.9)],
            fill=crane_color,
            width=c.px(1),
        )
        d.line(
            [(cx + legs * 0.5, hz - ch * 1.15), (cx + legs * 0.5, hz - ch * 0.9)],
            fill=crane_color,
            width=c.px(2),
        )
    _water(c, pal, hz)
    if pal.mood != "night" or rng.random() < 0.6:
        _sun_path(c, pal, sun_x, hz + h * 0.004, h * 0.92)
    _water_marks(c, pal, hz + h * 0.01, h)

    quay_top = h * rng.uniform(0.8, 0.86)
    side = rng.choice((-1, 1))
    quay_len = w * rng.uniform(0.28, 0.42)
    qx0, qx1 = (0, quay_len) if side < 0 else (w - quay_len, w)
    stone = _mix(pal.land, pal.accents[3], 0.25)
    boats = sorted(rng.uniform(0.12, 0.95) for _ in range(rng.randint(2, 4)))
    for t in boats:
        y = hz + (quay_top - hz) * t + h * 0.02
        length = w * (0.05 + 0.13 * t)
        # Near boats keep to open water so they never sit on the quay.
        if t < 0.55:
            x = rng.uniform(0.12 * w, 0.88 * w)
        elif side < 0:
            x = rng.uniform(qx1 + length * 0.7, w - length * 0.7)
        else:
            x = rng.uniform(length * 0.7, qx0 - length * 0.7)
        _boat(c, pal, x, y, length, rng.choice((-1, 1)))
    d.rectangle((qx0, quay_top, qx1, h), fill=_darken(stone, 0.15))
    d.rectangle((qx0, quay_top - h * 0.018, qx1, quay_top), fill=_lighten(stone, 0.12))
    rows = 5
    for r in range(rows):
        y = quay_top + (h - quay_top) * r / rows
        d.line([(qx0, y), (qx1, y)], fill=_rgba(_darken(stone, 0.5), 0.5), width=c.px(1.2))
        off = (r % 2) * 0.5
        for k in range(7):
            x = qx0 + (qx1 - qx0) * (k + off) / 7
            d.line(
                [(x, y), (x, y + (h - quay_top) / rows)],
                fill=_rgba(_darken(stone, 0.5), 0.4),
                width=c.px(1),
            )
    edge = qx1 if side < 0 else qx0
    for k in range(3):
        bx = edge + side * w * (0.03 + 0.09 * k)
        br = w * 0.008
        d.rounded_rectangle(
            (bx - br, quay_top - h * 0.045, bx + br, quay_top - h * 0.01),
            radius=br,
            fill=_darken(pal.land, 0.3),
        )
    lamp_x = edge + side * w * rng.uniform(0.16, 0.22)
    lamp_top = quay_top - h * 0.32
    d.line(
        [(lamp_x, quay_top - h * 0.01), (lamp_x, lamp_top)],
        fill=_darken(pal.land, 0.4),
        width=c.px(3),
    )
    d.line(
        [(lamp_x, lamp_top), (lamp_x - side * w * 0.025, lamp_top)],
        fill=_darken(pal.land, 0.4),
        width=c.px(3),
    )
    lx = lamp_x - side * w * 0.025
    if pal.lit:
        _glow(c, lx, lamp_top + h * 0.02, h * 0.09, pal.window, 0.7)
    d.polygon(
        [
            (lx - w * 0.008, lamp_top + h * 0.028),
            (lx + w * 0.008, lamp_top + h * 0.028),
            (lx + w * 0.004, lamp_top),
            (lx - w * 0.004, lamp_top),
        ],
        fill=pal.window if pal.lit else _darken(pal.land, 0.2),
    )
    gull = _darken(pal.land, 0.2) if pal.mood != "night" else _lighten(pal.sky[1], 0.4)
    for _ in range(rng.randint(2, 5)):
        _gull(
            c,
            w * rng.uniform(0.1, 0.9),
            h * rng.uniform(0.1, 0.4),
            w * rng.uniform(0.008, 0.018),
            gull,
        )


def _draw_skyline(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng)
    ground = h * rng.uniform(0.8, 0.86)
    _sky(c, pal, ground)
    _sun(
        c, pal, w * rng.uniform(0.1, 0.9), h * rng.uniform(0.14, 0.4), h * rng.uniform(0.045, 0.07)
    )
    _clouds(c, pal, h * 0.05, h * 0.35, rng.randint(1, 4))
    layers = (
        (0.62, (0.3, 0.58), (0.035, 0.07), 0.0),
        (0.38, (0.2, 0.45), (0.05, 0.09), 0.0035),
        (0.12, (0.1, 0.3), (0.07, 0.13), 0.0055),
    )
    for i, (depth, heights, widths, window) in enumerate(layers):
        color = pal.haze(_mix(pal.land, pal.accents[i], 0.22), depth)
        _buildings(
            c,
            pal,
            -w * rng.uniform(0, 0.05),
            w * 1.02,
            ground,
            heights,
            widths,
            color,
            window,
            pal.lit,
        )
    street = _darken(pal.land, 0.25)
    _fill_gradient(c, ground, h, [(0, _mix(street, pal.horizon, 0.15)), (1, _darken(street, 0.4))])
    d.rectangle((0, ground, w, ground + h * 0.012), fill=_lighten(street, 0.18))
    tree = _mix(_hsl(0.3, 0.35, 0.22), pal.land, 0.45)
    x = rng.uniform(0.0, 0.05) * w
    while x < w:
        if rng.random() < 0.55:
            _round_tree(c, x, ground + h * 0.02, h * rng.uniform(0.13, 0.18), tree)
        else:
            post = _darken(pal.land, 0.45)
            top = ground - h * 0.17
            d.line([(x, ground + h * 0.02), (x, top)], fill=post, width=c.px(2.4))
            d.ellipse(
                (x - w * 0.006, top - w * 0.006, x + w * 0.006, top + w * 0.006),
                fill=pal.window if pal.lit else post,
            )
            if pal.lit:
                _glow(c, x, top, h * 0.05, pal.window, 0.6)
        x += w * rng.uniform(0.08, 0.16)
    for _ in range(rng.randint(1, 4)):
        _gull(
            c,
            w * rng.uniform(0.1, 0.9),
            h * rng.uniform(0.08, 0.3),
            w * rng.uniform(0.008, 0.014),
            _darken(pal.sky[0], 0.2),
        )


def _draw_coast(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng)
    hz = h * rng.uniform(0.42, 0.5)
    _sky(c, pal, hz)
    side = rng.choice((-1, 1))
    sun_x = w * (0.5 + side * rng.uniform(0.1, 0.35))
    low = pal.mood in ("dawn", "dusk")
    _sun(
        c,
        pal,
        sun_x,
        hz - h * (rng.uniform(0.05, 0.12) if low else rng.uniform(0.18, 0.3)),
        h * rng.uniform(0.04, 0.06),
    )
    _clouds(c, pal, h * 0.05, hz - h * 0.12, rng.randint(2, 5))
    for _ in range(rng.randint(1, 3)):
        ix = w * rng.uniform(0.1, 0.9)
        iw = w * rng.uniform(0.05, 0.14)
        ih = h * rng.uniform(0.01, 0.03)
        d.chord((ix - iw, hz - ih, ix + iw, hz + ih), 180, 360, fill=pal.haze(pal.land, 0.7))
    _water(c, pal, hz)
    _sun_path(c, pal, sun_x, hz + 2, h * 0.85)
    _water_marks(c, pal, hz + h * 0.006, h, 110)
    sx = w * rng.uniform(0.3, 0.7)
    ship = pal.haze(pal.land, 0.5)
    sl = w * 0.07
    d.polygon(
        [
            (sx - sl, hz - h * 0.008),
            (sx + sl, hz - h * 0.008),
            (sx + sl * 0.92, hz),
            (sx - sl * 0.95, hz),
        ],
        fill=ship,
    )
    for k in range(6):
        bx = sx - sl * 0.8 + k * sl * 0.24
        d.rectangle(
            (bx, hz - h * (0.016 + 0.006 * (k % 3)), bx + sl * 0.22, hz - h * 0.008),
            fill=_mix(ship, pal.accents[k % 5], 0.25),
        )
    d.rectangle((sx + sl * 0.7, hz - h * 0.03, sx + sl * 0.85, hz - h * 0.008), fill=ship)

    # The headland is built left-facing, then flipped by mapping x through `fx`.
    def fx(x: float) -> float:
        return x if side < 0 else w - x

    edge = w * rng.uniform(0.3, 0.4)
    top0, top1 = hz - h * rng.uniform(0.16, 0.22), hz - h * rng.uniform(0.07, 0.1)
    bumps = _ridge(rng, 3, 2.0)

    def crest(x: float) -> float:
        return top0 + (top1 - top0) * (x / edge) ** 1.4 + h * 0.01 * bumps(x / edge)

    profile = [(x, crest(x)) for x in (edge * i / 40 for i in range(41))]
    grass = _mix(_hsl(0.25 + rng.uniform(-0.04, 0.05), 0.35, 0.38), pal.sky[1], 0.15)
    rock = _mix(_hsl(0.08, 0.2, 0.58), pal.horizon, 0.15)
    if pal.mood in ("dusk", "night"):
        grass, rock = _mix(grass, pal.land, 0.5), _mix(rock, pal.land, 0.5)
    # The cliff edge runs from the crest towards the viewer; the waterline follows it,
    # offset seawards, and the rock face is the band between the two.
    brink = [
        (edge + w * 0.15 * t**1.3, top1 + (h * 1.05 - top1) * t)
        for t in (i / 12 for i in range(13))
    ]
    shore = [
        (x + w * (0.06 + 0.04 * t), y + h * (0.11 * (1 - t) + 0.02))
        for (x, y), t in zip(brink, (i / 12 for i in range(13)), strict=True)
    ]
    d.polygon([(fx(x), y) for x, y in [*profile, *brink, (0, h)]], fill=grass)
    for k in range(1, 6):
        drop = h * 0.045 * k
        hedge = [
            (x, crest(x) + drop + h * 0.006 * math.sin(x / w * 25 + k)) for x, _ in profile[::4]
        ]
        d.line(
            [(fx(x), y) for x, y in hedge], fill=_rgba(_darken(grass, 0.35), 0.55), width=c.px(2.5)
        )
    d.polygon([(fx(x), y) for x, y in [*brink, *reversed(shore)]], fill=rock)
    shade = [
        (x + (sx - x) * 0.55, y + (sy - y) * 0.55)
        for (x, y), (sx, sy) in zip(brink, shore, strict=True)
    ]
    d.polygon([(fx(x), y) for x, y in [*shade, *reversed(shore)]], fill=_darken(rock, 0.22))
    for (x, y), (sx, sy) in zip(brink, shore, strict=True):
        for f in (0.3, 0.7):
            d.line(
                [(fx(x + (sx - x) * f * 0.3), y + h * 0.01), (fx(x + (sx - x) * f), sy - h * 0.01)],
                fill=_rgba(_darken(rock, 0.45), 0.35),
                width=c.px(1.5),
            )
    d.line([(fx(x), y) for x, y in [*profile, *brink]], fill=_lighten(grass, 0.18), width=c.px(4))
    for _ in range(rng.randint(2, 4)):
        bx, by = shore[rng.randint(1, 8)]
        rr = w * rng.uniform(0.007, 0.016)
        bx += w * rng.uniform(0.0, 0.04)
        d.chord(
            _box((fx(bx - rr), by - rr, fx(bx + rr), by + rr)), 180, 360, fill=_darken(rock, 0.35)
        )
        d.line(
            [(fx(bx - rr * 1.6), by + h * 0.002), (fx(bx + rr * 1.6), by + h * 0.002)],
            fill=_rgba(_lighten(pal.sky[1], 0.8), 0.6),
            width=c.px(2),
        )
    lx = edge * rng.uniform(0.45, 0.75)
    ly = crest(lx) + h * 0.005
    th, tw = h * 0.15, w * 0.018
    white = _lighten(pal.sky[1], 0.75)
    stripe = pal.accents[0]
    for k in range(5):
        y0, y1 = ly - th * k / 5, ly - th * (k + 1) / 5
        half0, half1 = tw * (1 - 0.3 * k / 5), tw * (1 - 0.3 * (k + 1) / 5)
        d.polygon(
            [
                (fx(lx - half0), y0),
                (fx(lx + half0), y0),
                (fx(lx + half1), y1),
                (fx(lx - half1), y1),
            ],
            fill=white if k % 2 == 0 else stripe,
        )
    top = ly - th
    d.rectangle(_box((fx(lx - tw), top - h * 0.006, fx(lx + tw), top)), fill=_darken(pal.land, 0.3))
    lamp = pal.window if pal.mood != "day" else _lighten(pal.sky[1], 0.5)
    d.rectangle(
        _box((fx(lx - tw * 0.5), top - h * 0.03, fx(lx + tw * 0.5), top - h * 0.006)), fill=lamp
    )
    d.pieslice(
        _box((fx(lx - tw * 0.6), top - h * 0.05, fx(lx + tw * 0.6), top - h * 0.01)),
        180,
        360,
        fill=_darken(stripe, 0.3),
    )
    if pal.mood in ("dusk", "night"):
        bx, by = fx(lx), top - h * 0.018
        reach = fx(lx + w * 0.55)
        d.polygon(
            [
                (bx, by - h * 0.006),
                (reach, by - h * 0.07),
                (reach, by + h * 0.05),
                (bx, by + h * 0.006),
            ],
            fill=_rgba(pal.window, 0.18),
        )
        _glow(c, bx, by, h * 0.06, pal.window, 0.9)

    for _ in range(rng.randint(1, 2)):
        t = rng.uniform(0.35, 0.7)
        _boat(
            c,
            pal,
            fx(edge + w * rng.uniform(0.2, 0.55)),
            hz + (h - hz) * t * 0.7,
            w * (0.04 + 0.06 * t),
            rng.choice((-1, 1)),
        )
    for _ in range(rng.randint(3, 6)):
        bx, by = fx(edge + w * rng.uniform(0.14, 0.6)), hz + (h - hz) * rng.uniform(0.15, 0.5)
        br = w * 0.003
        d.ellipse(
            (bx - br, by - br, bx + br, by + br * 0.6), fill=_mix(pal.accents[1], pal.water, 0.3)
        )
        d.line([(bx, by), (bx, by - br * 4)], fill=_darken(pal.land, 0.2), width=c.px(1))

    sand = _mix(_hsl(0.1, 0.4, 0.72), pal.sky[1], 0.2)
    if pal.mood == "night":
        sand = _mix(sand, pal.land, 0.55)
    shore = _ridge(rng, 2, 0.8)
    beach_y = h * rng.uniform(0.82, 0.88)
    line = [(w * i / 60, beach_y + h * 0.03 * shore(i / 60)) for i in range(61)]
    for k in range(3, 0, -1):
        foam = [(x, y - h * 0.012 * k - h * 0.004 * math.sin(x / w * 30 + k)) for x, y in line]
        d.line(foam, fill=_rgba(_lighten(pal.sky[1], 0.8), 0.25 + 0.15 * (3 - k)), width=c.px(2.5))
    d.polygon([*line, (w, h), (0, h)], fill=_darken(sand, 0.2))
    d.polygon([*((x, y + h * 0.015) for x, y in line), (w, h), (0, h)], fill=sand)
    for _ in range(rng.randint(2, 5)):
        _gull(
            c,
            w * rng.uniform(0.1, 0.9),
            h * rng.uniform(0.1, 0.35),
            w * rng.uniform(0.008, 0.016),
            _darken(pal.land, 0.1) if pal.mood != "night" else _lighten(pal.sky[1], 0.4),
        )


def _draw_forest(c: _Canvas) -> None:
    rng, w, h = c.rng, c.w, c.h
    pal = _palette(rng, ("dawn", "day", "day", "dusk"))
    _sky(c, pal, h)
    _sun(
        c,
        pal,
        w * rng.uniform(0.15, 0.85),
        h * rng.uniform(0.15, 0.35),
        h * rng.uniform(0.05, 0.07),
    )
    _clouds(c, pal, h * 0.05, h * 0.3, rng.randint(1, 3))
    green = _hsl(rng.uniform(0.24, 0.4), rng.uniform(0.3, 0.5), 0.32)
    layers = 5
    for i in range(layers):
        t = i / (layers - 1)
        base = h * (0.42 + 0.46 * t)
        color = pal.haze(_mix(green, pal.land, 0.2 + 0.5 * t), 0.6 * (1 - t) ** 1.3)
        ground = _hill(c, base, h * (0.07 - 0.03 * t), color, freq=0.8 + t)
        tree_h = h * (0.035 + 0.17 * t**1.3)
        x = -rng.uniform(0, tree_h * 0.3)
        while x < w + tree_h * 0.3:
            shade = _mix(color, _darken(color, 0.25), rng.random())
            size = tree_h * rng.uniform(0.7, 1.3)
            if rng.random() < 0.78:
                _conifer(c, x, ground(x) + h * 0.01, size, shade)
            else:
                _round_tree(c, x, ground(x) + h * 0.01, size * 0.8, shade)
            x += tree_h * rng.uniform(0.18, 0.4)
        if i < layers - 1:
            _band(c, base + h * 0.02, h * 0.07, pal.horizon, 0.22 * (1 - t))
    fg = _darken(_mix(green, pal.land, 0.7), 0.35)
    side = rng.choice((-1, 1))
    for k in range(rng.randint(1, 3)):
        x = (w * (0.03 + 0.08 * k)) if side < 0 else w * (0.97 - 0.08 * k)
        _conifer(c, x, h * 1.02, h * rng.uniform(0.6, 0.95), fg)
    _fill_gradient(c, h * 0.96, h, [(0, fg), (1, _darken(fg, 0.3))])


def _draw_festival(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng, ("dusk", "night", "night"))
    _sky(c, pal, h)
    _sun(c, pal, w * rng.uniform(0.08, 0.92), h * rng.uniform(0.08, 0.2), h * 0.035)
    shore = h * 0.6
    _buildings(
        c,
        pal,
        -w * 0.02,
        w * 1.02,
        shore,
        (0.03, 0.1),
        (0.02, 0.045),
        pal.haze(pal.land, 0.45),
        0.0026,
        pal.lit + 0.15,
        roofs=True,
    )
    _water(c, pal, shore, h)
    _water_marks(c, pal, shore, h * 0.75, 50)
    cx = w * rng.uniform(0.4, 0.6)
    sw = w * rng.uniform(0.44, 0.52)
    floor = h * 0.64
    roof = h * rng.uniform(0.22, 0.28)
    x0, x1 = cx - sw / 2, cx + sw / 2
    back = rng.choice(pal.accents)
    _fill_gradient(c, roof, floor, [(0, _darken(back, 0.7)), (1, _darken(back, 0.1))], x0, x1)
    truss = _darken(pal.land, 0.5)
    tw = w * 0.014
    for tx in (x0 - tw, x1):
        d.rectangle((tx, roof - h * 0.04, tx + tw, floor), fill=truss)
        for k in range(12):
            y = roof + (floor - roof) * k / 12
            d.line(
                [(tx, y), (tx + tw, y + (floor - roof) / 12)],
                fill=_lighten(truss, 0.25),
                width=c.px(1),
            )
    d.polygon(
        [
            (x0 - w * 0.04, roof),
            (x1 + w * 0.04, roof),
            (x1 + w * 0.01, roof - h * 0.08),
            (x0 - w * 0.01, roof - h * 0.08),
        ],
        fill=_darken(pal.land, 0.35),
    )
    d.rectangle((x0 - tw, roof, x1 + tw, roof + h * 0.018), fill=truss)
    beams = rng.randint(5, 8)
    lamps = [x0 + sw * (k + 0.5) / beams for k in range(beams)]
    colors = [pal.accents[k % len(pal.accents)] for k in range(beams)]

    def paint_beams(md: ImageDraw.ImageDraw, s: float) -> None:
        for lx in lamps:
            target = lx + rng.uniform(-0.2, 0.2) * sw
            spread = sw * rng.uniform(0.05, 0.09)
            md.polygon(
                [
                    (lx * s, roof * s),
                    ((target - spread) * s, floor * s),
                    ((target + spread) * s, floor * s),
                ],
                fill=70,
            )

    _soft(c, _lighten(pal.window, 0.5), paint_beams)
    for lx, col in zip(lamps, colors, strict=True):
        _glow(c, lx, roof + h * 0.02, h * 0.05, _lighten(col, 0.5), 0.9)
        d.ellipse(
            (lx - w * 0.006, roof + h * 0.01, lx + w * 0.006, roof + h * 0.03),
            fill=_lighten(col, 0.7),
        )
    players = rng.randint(3, 5)
    for k in range(players):
        px = x0 + sw * (k + 0.5 + rng.uniform(-0.15, 0.15)) / players
        ph = h * rng.uniform(0.13, 0.16)
        figure = _darken(back, 0.75)
        _person(c, px, floor, ph, figure, figure, arm_up=False)
        inst = rng.random()
        if inst < 0.35:
            d.ellipse(
                (px - ph * 0.1, floor - ph * 0.75, px + ph * 0.22, floor - ph * 0.05),
                fill=_mix(figure, _hsl(0.07, 0.6, 0.4), 0.6),
            )
            d.line(
                [(px + ph * 0.06, floor - ph * 0.75), (px + ph * 0.06, floor - ph * 1.05)],
                fill=figure,
                width=c.px(2),
            )
        elif inst < 0.7:
            d.line(
                [
                    (px + ph * 0.05, floor - ph * 0.7),
                    (px + ph * 0.3, floor - ph * 0.45),
                    (px + ph * 0.28, floor - ph * 0.3),
                ],
                fill=_hsl(0.12, 0.8, 0.55),
                width=c.px(4),
                joint="curve",
            )
        else:
            d.line(
                [(px + ph * 0.25, floor), (px + ph * 0.25, floor - ph * 0.85)],
                fill=_lighten(figure, 0.2),
                width=c.px(1.5),
            )
    d.rectangle(
        (x0 - w * 0.03, floor, x1 + w * 0.03, floor + h * 0.035), fill=_darken(pal.land, 0.3)
    )
    d.rectangle(
        (x0 - w * 0.03, floor, x1 + w * 0.03, floor + h * 0.006),
        fill=_mix(_darken(pal.land, 0.3), back, 0.5),
    )
    flags = [_mix(a, pal.land, 0.15) for a in pal.accents]
    _bunting(c, (-w * 0.02, h * 0.03), (w * 1.02, h * 0.04), h * 0.07, flags, 26)
    _string_lights(c, (-w * 0.02, h * 0.3), (x0 - tw, roof), h * 0.05, pal.window, 12)
    _string_lights(c, (x1 + tw, roof), (w * 1.02, h * 0.3), h * 0.05, pal.window, 12)
    rim = _mix(pal.land, back, 0.35)
    rows = 6
    for r in range(rows):
        t = r / (rows - 1)
        base = h * (0.76 + 0.28 * t)
        ph = h * (0.09 + 0.16 * t)
        body = _darken(_mix(pal.land, rim, 0.5 * (1 - t)), 0.2 + 0.5 * t)
        x = -rng.uniform(0, ph * 0.3)
        while x < w + ph * 0.3:
            _person(c, x, base, ph * rng.uniform(0.85, 1.1), body, body, arm_up=rng.random() < 0.12)
            x += ph * rng.uniform(0.3, 0.5)


def _draw_library(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng, ("day", "day", "dusk", "dawn"))
    hue = rng.uniform(0.03, 0.13)
    wall = _hsl(hue + rng.choice((0.0, 0.35, 0.5)), rng.uniform(0.2, 0.35), rng.uniform(0.5, 0.62))
    wood = _hsl(hue, rng.uniform(0.35, 0.5), rng.uniform(0.2, 0.3))
    floor_y = h * 0.8
    _fill_gradient(c, 0, floor_y, [(0, _darken(wall, 0.35)), (0.6, wall), (1, _darken(wall, 0.15))])
    _fill_gradient(c, floor_y, h, [(0, _darken(wood, 0.15)), (1, _lighten(wood, 0.12))])
    cx = w / 2
    for k in range(-12, 13):
        x = cx + k * w * 0.09
        d.line(
            [(cx + (x - cx) * 0.45, floor_y), (x, h)],
            fill=_rgba(_darken(wood, 0.5), 0.45),
            width=c.px(1.5),
        )
    wx0, wx1 = w * rng.uniform(0.37, 0.4), w * rng.uniform(0.6, 0.63)
    wy0, wy1 = h * 0.08, h * 0.62
    ww, wh = int(wx1 - wx0), int(wy1 - wy0)
    view = _Canvas((ww, wh), rng)
    view_pal = _palette(rng, (pal.mood,))
    _sky(view, view_pal, wh)
    _sun(view, view_pal, ww * rng.uniform(0.2, 0.8), wh * rng.uniform(0.25, 0.45), ww * 0.06)
    _clouds(view, view_pal, wh * 0.1, wh * 0.5, 2)
    view.u = c.u
    _buildings(
        view,
        view_pal,
        -ww * 0.05,
        ww * 1.05,
        wh,
        (0.12, 0.3),
        (0.1, 0.2),
        view_pal.haze(view_pal.land, 0.45),
        0.0,
        0.0,
    )
    mask = Image.new("L", (ww, wh), 0)
    ImageDraw.Draw(mask).rectangle((0, ww / 2, ww, wh), fill=255)
    ImageDraw.Draw(mask).pieslice((0, 0, ww, ww), 180, 360, fill=255)
    c.img.paste(view.img, (int(wx0), int(wy0)), mask)
    frame = _lighten(wall, 0.55)
    fw = c.px(9)
    d.arc((wx0, wy0, wx1, wy0 + ww), 180, 360, fill=frame, width=fw)
    d.line([(wx0 + fw / 2, wy0 + ww / 2), (wx0 + fw / 2, wy1)], fill=frame, width=fw)
    d.line([(wx1 - fw / 2, wy0 + ww / 2), (wx1 - fw / 2, wy1)], fill=frame, width=fw)
    d.rectangle((wx0 - w * 0.015, wy1, wx1 + w * 0.015, wy1 + h * 0.02), fill=frame)
    for k in range(1, 3):
        x = wx0 + ww * k / 3
        d.line(
            [(x, wy0 + ww * 0.5 - ww * 0.47 * math.sin(math.pi * k / 3)), (x, wy1)],
            fill=frame,
            width=c.px(4),
        )
    for k in range(1, 4):
        y = wy0 + ww / 2 + (wy1 - wy0 - ww / 2) * k / 4
        d.line([(wx0, y), (wx1, y)], fill=frame, width=c.px(4))

    def paint_light(md: ImageDraw.ImageDraw, s: float) -> None:
        spread = w * 0.12
        md.polygon(
            [
                (wx0 * s, wy1 * s),
                (wx1 * s, wy1 * s),
                ((wx1 + spread) * s, h * s),
                ((wx0 - spread * 0.4) * s, h * s),
            ],
            fill=60,
        )

    _soft(c, _lighten(pal.light, 0.4), paint_light)

    books = [_mix(_mix(a, (128, 128, 128), 0.3), wood, rng.uniform(0.2, 0.4)) for a in pal.accents]
    books += [_hsl(hue + 0.02, 0.3, 0.78), _darken(pal.accents[0], 0.45), _hsl(0.6, 0.3, 0.28)]
    top_y = h * 0.05
    shelves = 7
    shelf_h = (floor_y - top_y) / shelves
    for sx0, sx1 in ((-w * 0.01, w * 0.31), (w * 0.69, w * 1.01)):
        d.rectangle((sx0, top_y, sx1, floor_y), fill=_darken(wood, 0.45))
        bays = 3
        for b in range(bays):
            bx0 = sx0 + (sx1 - sx0) * b / bays + w * 0.008
            bx1 = sx0 + (sx1 - sx0) * (b + 1) / bays - w * 0.008
            for s in range(shelves):
                y1 = top_y + shelf_h * (s + 1)
                x = bx0
                while x < bx1 - w * 0.006:
                    roll = rng.random()
                    bw = w * rng.uniform(0.006, 0.014)
                    if roll < 0.05:
                        x += bw * 1.5
                        continue
                    bw = min(bw, bx1 - x)
                    color = rng.choice(books)
                    if roll < 0.09 and bx1 - x > w * 0.04:
                        for k in range(rng.randint(2, 4)):
                            th = shelf_h * 0.09
                            d.rectangle(
                                (x, y1 - th * (k + 1), x + w * 0.035, y1 - th * k - 1),
                                fill=rng.choice(books),
                            )
                        x += w * 0.04
                        continue
                    bh = shelf_h * rng.uniform(0.55, 0.86)
                    if roll < 0.13 and x + bh * 0.45 < bx1:
                        d.polygon(
                            [
                                (x, y1),
                                (x + bw, y1),
                                (x + bw + bh * 0.4, y1 - bh * 0.9),
                                (x + bh * 0.4, y1 - bh * 0.9),
                            ],
                            fill=color,
                        )
                        x += bw + bh * 0.42
                        continue
                    d.rectangle((x, y1 - bh, x + bw - 1, y1), fill=color)
                    if rng.random() < 0.5:
                        band = _lighten(color, 0.35)
                        d.rectangle((x, y1 - bh * 0.85, x + bw - 1, y1 - bh * 0.8), fill=band)
                        d.rectangle((x, y1 - bh * 0.2, x + bw - 1, y1 - bh * 0.16), fill=band)
                    x += bw
                d.rectangle(
                    (bx0 - w * 0.008, y1, bx1 + w * 0.008, y1 + h * 0.012), fill=_lighten(wood, 0.1)
                )
            d.rectangle((bx1, top_y, bx1 + w * 0.016, floor_y), fill=wood)
        d.rectangle((sx0, top_y - h * 0.02, sx1, top_y), fill=_lighten(wood, 0.1))
    lamp_color = pal.window
    for lx in (w * 0.2, w * 0.8):
        ly = h * rng.uniform(0.22, 0.3)
        d.line([(lx, 0), (lx, ly)], fill=_darken(wood, 0.4), width=c.px(2))
        _glow(c, lx, ly + h * 0.03, h * 0.18, lamp_color, 0.45 if pal.mood == "day" else 0.75)
        d.pieslice(
            (lx - w * 0.04, ly - h * 0.02, lx + w * 0.04, ly + h * 0.06),
            180,
            360,
            fill=_darken(pal.accents[1], 0.2),
        )
        d.ellipse(
            (lx - w * 0.01, ly + h * 0.005, lx + w * 0.01, ly + h * 0.03),
            fill=_lighten(lamp_color, 0.5),
        )
    ladder = _lighten(wood, 0.15)
    lx0 = w * rng.uniform(0.04, 0.2)
    d.line([(lx0, h * 0.9), (lx0 + w * 0.05, h * 0.08)], fill=ladder, width=c.px(5))
    d.line([(lx0 + w * 0.05, h * 0.9), (lx0 + w * 0.1, h * 0.08)], fill=ladder, width=c.px(5))
    for k in range(1, 11):
        t = k / 11
        y = h * 0.9 - (h * 0.82) * t
        d.line(
            [(lx0 + w * 0.05 * t, y), (lx0 + w * 0.05 + w * 0.05 * t, y)],
            fill=ladder,
            width=c.px(4),
        )
    table = _darken(wood, 0.2)
    ty = h * 0.74
    d.rectangle((w * 0.3, ty, w * 0.7, ty + h * 0.025), fill=table)
    d.rectangle((w * 0.31, ty + h * 0.025, w * 0.69, ty + h * 0.04), fill=_darken(table, 0.3))
    for lx in (w * 0.32, w * 0.66):
        d.rectangle((lx, ty + h * 0.04, lx + w * 0.022, h * 0.97), fill=_darken(table, 0.3))
    lamp_x = w * rng.uniform(0.36, 0.44)
    d.rectangle(
        (lamp_x - w * 0.02, ty - h * 0.012, lamp_x + w * 0.02, ty), fill=_hsl(0.12, 0.6, 0.4)
    )
    d.line(
        [(lamp_x, ty - h * 0.01), (lamp_x, ty - h * 0.09)], fill=_hsl(0.12, 0.6, 0.4), width=c.px(3)
    )
    _glow(c, lamp_x, ty - h * 0.06, h * 0.12, lamp_color, 0.7)
    d.chord(
        (lamp_x - w * 0.04, ty - h * 0.12, lamp_x + w * 0.04, ty - h * 0.06),
        180,
        360,
        fill=_hsl(0.38, 0.5, 0.3),
    )
    stack_x = w * rng.uniform(0.5, 0.6)
    for k in range(rng.randint(3, 5)):
        bw = w * rng.uniform(0.05, 0.07)
        d.rectangle(
            (
                stack_x - bw / 2 + rng.uniform(-0.004, 0.004) * w,
                ty - h * 0.014 * (k + 1),
                stack_x + bw / 2,
                ty - h * 0.014 * k - 1,
            ),
            fill=rng.choice(books),
        )
    page = _lighten(pal.light, 0.6)
    ox = w * 0.47
    d.polygon(
        [
            (ox - w * 0.05, ty - h * 0.004),
            (ox, ty - h * 0.008),
            (ox, ty - h * 0.002),
            (ox - w * 0.05, ty),
        ],
        fill=page,
    )
    d.polygon(
        [
            (ox, ty - h * 0.008),
            (ox + w * 0.05, ty - h * 0.004),
            (ox + w * 0.05, ty),
            (ox, ty - h * 0.002),
        ],
        fill=_darken(page, 0.06),
    )


def _draw_chart(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    dark = rng.random() < 0.35
    hue = rng.random()
    series = (
        _hsl(hue, 0.5, 0.62 if dark else 0.45),
        _hsl(hue + 0.5, 0.65, 0.55),
        _hsl(hue + 0.08, 0.45, 0.78 if dark else 0.28),
        _hsl(hue - 0.1, 0.4, 0.68),
        _hsl(hue + 0.25, 0.45, 0.5),
    )
    paper = (
        _hsl(rng.uniform(0.05, 0.14), 0.35, 0.93)
        if not dark
        else _hsl(rng.uniform(0.55, 0.68), 0.35, 0.14)
    )
    ink = _hsl(0.6, 0.15, 0.25) if not dark else _hsl(0.6, 0.1, 0.85)
    _fill_gradient(c, 0, h, [(0, _lighten(paper, 0.15)), (1, _darken(paper, 0.06))])
    for k in range(0, 40):
        x = w * k / 40
        d.line([(x, 0), (x, h)], fill=_rgba(ink, 0.035), width=c.px(1))
    for k in range(0, 27):
        y = h * k / 27
        d.line([(0, y), (w, y)], fill=_rgba(ink, 0.035), width=c.px(1))
    card = _lighten(paper, 0.5) if not dark else _lighten(paper, 0.06)
    cx0, cy0, cx1, cy1 = w * 0.05, h * 0.08, w * 0.65, h * 0.92
    r = w * 0.015
    d.rounded_rectangle(
        (cx0 + w * 0.006, cy0 + w * 0.008, cx1 + w * 0.006, cy1 + w * 0.008),
        radius=r,
        fill=_rgba((0, 0, 0), 0.12),
    )
    d.rounded_rectangle((cx0, cy0, cx1, cy1), radius=r, fill=card)
    d.rectangle((cx0 + w * 0.04, cy0 + h * 0.06, cx0 + w * 0.1, cy0 + h * 0.075), fill=series[1])
    gx0, gx1, gy0, gy1 = cx0 + w * 0.05, cx1 - w * 0.04, cy0 + h * 0.16, cy1 - h * 0.1
    for k in range(6):
        y = gy1 - (gy1 - gy0) * k / 5
        d.line(
            [(gx0, y), (gx1, y)], fill=_rgba(ink, 0.25 if k else 0.8), width=c.px(1 if k else 2.5)
        )
    n = rng.randint(7, 12)
    value = rng.uniform(0.3, 0.6)
    values = []
    for _ in range(n):
        value = min(0.92, max(0.12, value + rng.uniform(-0.16, 0.18) + (0.55 - value) * 0.25))
        values.append(value)
    slot = (gx1 - gx0) / n
    highlight = rng.randrange(n)
    for i, v in enumerate(values):
        bx = gx0 + slot * i + slot * 0.18
        top = gy1 - (gy1 - gy0) * v
        fill = series[1] if i == highlight else series[0]
        d.rounded_rectangle(
            (bx, top, bx + slot * 0.64, gy1 - c.px(1)), radius=slot * 0.08, fill=fill
        )
    trend = []
    level = rng.uniform(0.3, 0.6)
    for i in range(n):
        level = min(0.95, max(0.08, level + rng.uniform(-0.12, 0.14)))
        trend.append((gx0 + slot * (i + 0.5), gy1 - (gy1 - gy0) * level))
    line_color = series[2]
    d.line(trend, fill=line_color, width=c.px(4), joint="curve")
    pr = w * 0.008
    for x, y in trend:
        d.ellipse((x - pr, y - pr, x + pr, y + pr), fill=card, outline=line_color, width=c.px(3))
    dx0, dx1 = w * 0.7, w * 0.95
    dy0 = h * 0.1
    size = dx1 - dx0
    d.rounded_rectangle(
        (dx0 - w * 0.015, dy0 - h * 0.02, dx1 + w * 0.015, h * 0.92), radius=r, fill=card
    )
    shares = [rng.uniform(0.5, 2.0) for _ in range(rng.randint(3, 5))]
    total = sum(shares)
    start = -90.0
    box = (dx0 + size * 0.1, dy0 + size * 0.05, dx1 - size * 0.1, dy0 + size * 0.85)
    for i, s in enumerate(shares):
        end = start + 360 * s / total
        d.pieslice(box, start, end, fill=series[i % len(series)])
        start = end
    ix0, iy0, ix1, iy1 = box
    inset = (ix1 - ix0) * 0.28
    d.ellipse((ix0 + inset, iy0 + inset, ix1 - inset, iy1 - inset), fill=card)
    ly = dy0 + size * 0.98
    for i in range(len(shares)):
        y = ly + i * h * 0.055
        d.rounded_rectangle(
            (dx0, y, dx0 + w * 0.02, y + w * 0.02), radius=w * 0.004, fill=series[i % len(series)]
        )
        d.rounded_rectangle(
            (dx0 + w * 0.035, y + w * 0.006, dx0 + w * rng.uniform(0.1, 0.2), y + w * 0.014),
            radius=w * 0.004,
            fill=_rgba(ink, 0.25),
        )


def _draw_market(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    pal = _palette(rng, ("dawn", "day", "day", "dusk"))
    _sky(c, pal, h * 0.5)
    _sun(c, pal, w * rng.uniform(0.1, 0.9), h * rng.uniform(0.06, 0.14), h * 0.04)
    _clouds(c, pal, h * 0.02, h * 0.12, rng.randint(1, 3))
    street = h * 0.64
    x = -w * rng.uniform(0, 0.05)
    while x < w:
        bw = w * rng.uniform(0.09, 0.15)
        top = h * rng.uniform(0.14, 0.26)
        facade = _mix(_lighten(rng.choice(pal.accents), 0.45), pal.horizon, 0.25)
        d.rectangle((x, top, x + bw, street), fill=facade)
        if rng.random() < 0.6:
            d.polygon(
                [(x - w * 0.004, top), (x + bw / 2, top - bw * 0.45), (x + bw + w * 0.004, top)],
                fill=_darken(facade, 0.25),
            )
        else:
            d.rectangle(
                (x - w * 0.004, top - h * 0.015, x + bw + w * 0.004, top), fill=_darken(facade, 0.2)
            )
        cols = 2 if bw < w * 0.12 else 3
        for row in range(3):
            for col in range(cols):
                wx = x + bw * (col + 0.5) / cols
                wy = top + h * 0.05 + row * h * 0.1
                ww, wh = bw * 0.12, h * 0.06
                glass = (
                    pal.window
                    if pal.lit and rng.random() < pal.lit
                    else _mix(facade, pal.sky[0], 0.45)
                )
                d.rectangle(
                    (wx - ww - w * 0.003, wy - h * 0.004, wx + ww + w * 0.003, wy + wh + h * 0.004),
                    fill=_lighten(facade, 0.4),
                )
                d.rectangle((wx - ww, wy, wx + ww, wy + wh), fill=glass)
                d.line([(wx, wy), (wx, wy + wh)], fill=_lighten(facade, 0.4), width=c.px(1.5))
        x += bw
    _fill_gradient(
        c,
        street,
        h,
        [(0, _mix(_hsl(0.08, 0.12, 0.55), pal.horizon, 0.2)), (1, _hsl(0.08, 0.12, 0.35))],
    )
    for row in range(14):
        t = row / 13
        y = street + (h - street) * t**1.4
        size = w * (0.012 + 0.03 * t)
        off = (row % 2) * size / 2
        cobble = _rgba(_hsl(0.08, 0.1, 0.28), 0.25)
        for k in range(int(w / size) + 2):
            cx = k * size + off
            d.arc(
                (cx - size / 2, y - size * 0.12, cx + size / 2, y + size * 0.12),
                0,
                180,
                fill=cobble,
                width=c.px(1.2),
            )
    stalls = rng.randint(3, 4)
    gap = w * 0.02
    stall_w = (w - gap * (stalls + 1)) / stalls
    produce = [
        _hsl(0.0, 0.75, 0.48),
        _hsl(0.07, 0.85, 0.55),
        _hsl(0.14, 0.85, 0.58),
        _hsl(0.28, 0.55, 0.42),
        _hsl(0.82, 0.4, 0.35),
        _hsl(0.55, 0.12, 0.75),
    ]
    _bunting(c, (-w * 0.02, h * 0.3), (w * 1.02, h * 0.31), h * 0.06, pal.accents, 24)
    for s in range(stalls):
        sx0 = gap + s * (stall_w + gap)
        sx1 = sx0 + stall_w
        at, ab = h * rng.uniform(0.38, 0.41), h * 0.5
        post = _darken(pal.land, 0.2)
        for px_ in (sx0 + stall_w * 0.04, sx1 - stall_w * 0.04):
            d.rectangle((px_ - w * 0.004, ab, px_ + w * 0.004, h * 0.88), fill=post)
        stripe_a = rng.choice(pal.accents)
        stripe_b = _lighten(pal.light, 0.6)
        stripes = 8
        inset = stall_w * 0.05
        for k in range(stripes):
            t0, t1 = k / stripes, (k + 1) / stripes
            top0 = sx0 + inset + (stall_w - 2 * inset) * t0
            top1 = sx0 + inset + (stall_w - 2 * inset) * t1
            bot0 = sx0 - w * 0.01 + (stall_w + w * 0.02) * t0
            bot1 = sx0 - w * 0.01 + (stall_w + w * 0.02) * t1
            fill = stripe_a if k % 2 == 0 else stripe_b
            d.polygon([(top0, at), (top1, at), (bot1, ab), (bot0, ab)], fill=fill)
            d.pieslice(
                (bot0, ab - (bot1 - bot0) / 2, bot1, ab + (bot1 - bot0) / 2), 0, 180, fill=fill
            )
        d.line([(sx0 + inset, at), (sx1 - inset, at)], fill=_darken(stripe_a, 0.35), width=c.px(3))
        _fill_gradient(
            c,
            ab + h * 0.03,
            h * 0.72,
            [(0, _darken(stripe_a, 0.55)), (1, _darken(stripe_a, 0.4))],
            sx0 + stall_w * 0.04,
            sx1 - stall_w * 0.04,
        )
        counter = h * 0.72
        cloth = _lighten(rng.choice(pal.accents), 0.3)
        d.rectangle((sx0, counter, sx1, h * 0.86), fill=cloth)
        for k in range(10):
            x = sx0 + stall_w * k / 10
            d.line(
                [(x, counter), (x, h * 0.86)], fill=_rgba(_darken(cloth, 0.2), 0.5), width=c.px(3)
            )
        d.rectangle(
            (sx0 - w * 0.005, counter - h * 0.012, sx1 + w * 0.005, counter),
            fill=_darken(pal.land, 0.1),
        )
        crates = rng.randint(3, 4)
        cw = stall_w / crates
        for k in range(crates):
            kx0 = sx0 + cw * k + cw * 0.06
            kx1 = kx0 + cw * 0.88
            fruit = rng.choice(produce)
            fr = cw * rng.uniform(0.07, 0.1)
            n = int((kx1 - kx0) / (2 * fr))
            for layer in range(3):
                for j in range(n - layer):
                    fx = kx0 + fr * (1 + layer) + j * 2 * fr
                    fy = counter - h * 0.012 - fr * (1 + 1.7 * layer) - h * 0.03
                    shade = _mix(fruit, _darken(fruit, 0.3), rng.random() * 0.5)
                    d.ellipse((fx - fr, fy - fr, fx + fr, fy + fr), fill=shade)
                    d.ellipse(
                        (fx - fr * 0.55, fy - fr * 0.6, fx - fr * 0.1, fy - fr * 0.2),
                        fill=_rgba(_lighten(fruit, 0.6), 0.55),
                    )
            crate = _hsl(0.09, 0.45, 0.55)
            d.rectangle(
                (kx0, counter - h * 0.012 - h * 0.045, kx1, counter - h * 0.012), fill=crate
            )
            for j in range(3):
                y = counter - h * 0.012 - h * 0.045 + j * h * 0.016
                d.line([(kx0, y), (kx1, y)], fill=_darken(crate, 0.25), width=c.px(1.5))
    people = rng.randint(3, 5)
    skins = [_hsl(0.07, 0.45, k) for k in (0.3, 0.45, 0.62, 0.75)]
    for k in range(people):
        x = w * (k + rng.uniform(0.2, 0.8)) / people
        ph = h * rng.uniform(0.34, 0.42)
        coat = _mix(_darken(rng.choice(pal.accents), 0.35), pal.land, 0.3)
        _person(c, x, h * 1.02, ph, coat, rng.choice(skins))
        if rng.random() < 0.5:
            bx = x + ph * 0.16
            d.rounded_rectangle(
                (bx, h * 1.02 - ph * 0.45, bx + ph * 0.14, h * 1.02 - ph * 0.3),
                radius=ph * 0.02,
                fill=_lighten(rng.choice(pal.accents), 0.2),
            )


def _draw_seagrass(c: _Canvas) -> None:
    rng, w, h, d = c.rng, c.w, c.h, c.draw
    hue = rng.uniform(0.46, 0.56)
    top = _hsl(hue, 0.5, rng.uniform(0.55, 0.65))
    deep = _hsl(hue + 0.06, 0.6, rng.uniform(0.12, 0.18))
    _fill_gradient(c, 0, h, [(0, top), (0.5, _mix(top, deep, 0.55)), (1, deep)])
    shimmer = _lighten(top, 0.55)
    for _ in range(40):
        x, y = rng.uniform(0, 1) * w, rng.uniform(0, 0.08) ** 1.2 * h
        length = w * rng.uniform(0.02, 0.08)
        d.line(
            [(x, y), (x + length, y + h * 0.004)],
            fill=_rgba(shimmer, rng.uniform(0.2, 0.5)),
            width=c.px(2),
        )
    rays = [
        (rng.uniform(0.0, 1.0) * w, rng.uniform(0.01, 0.04) * w, rng.uniform(-0.25, 0.25) * w)
        for _ in range(8)
    ]

    def paint_rays(md: ImageDraw.ImageDraw, s: float) -> None:
        for x, half, lean in rays:
            md.polygon(
                [
                    ((x - half) * s, 0),
                    ((x + half) * s, 0),
                    ((x + lean + half * 3) * s, h * 0.85 * s),
                    ((x + lean - half * 2) * s, h * 0.85 * s),
                ],
                fill=55,
            )

    _soft(c, shimmer, paint_rays)
    water_haze = _mix(top, deep, 0.45)
    sand = _mix(_hsl(0.11, 0.35, 0.62), water_haze, 0.45)
    floor = _hill(c, h * 0.84, h * 0.04, sand, freq=0.8)
    for _ in range(45):
        x = rng.uniform(0, 1) * w
        y = floor(x) + rng.uniform(0.02, 0.16) * h
        length = w * rng.uniform(0.02, 0.06)
        d.arc(
            (x - length, y - h * 0.01, x + length, y + h * 0.01),
            200,
            340,
            fill=_rgba(_lighten(sand, 0.3), 0.5),
            width=c.px(2),
        )
    for _ in range(rng.randint(4, 8)):
        x = rng.uniform(0, 1) * w
        y = floor(x) + rng.uniform(0.03, 0.12) * h
        r = w * rng.uniform(0.012, 0.03)
        d.ellipse(
            (x - r, y - r * 0.5, x + r, y + r * 0.5),
            fill=_mix(_hsl(0.08, 0.12, 0.45), water_haze, 0.3),
        )
        d.arc(
            (x - r, y - r * 0.5, x + r, y + r * 0.5),
            190,
            350,
            fill=_lighten(sand, 0.2),
            width=c.px(2),
        )
    green = _hsl(rng.uniform(0.25, 0.36), rng.uniform(0.4, 0.6), 0.35)
    for layer in range(3):
        t = layer / 2
        color = _mix(green, water_haze, 0.6 * (1 - t))
        blades = 70 + 40 * layer
        for _ in range(blades):
            x = rng.uniform(-0.02, 1.02) * w
            base = floor(x) + h * (0.01 + 0.1 * t) + rng.uniform(0, 0.03) * h
            height = h * rng.uniform(0.2, 0.45) * (0.7 + 0.6 * t)
            bend = rng.uniform(-0.35, 0.35) * height
            wave = rng.uniform(0, math.tau)
            half = w * rng.uniform(0.003, 0.006) * (0.8 + 0.6 * t)
            left, right = [], []
            for k in range(11):
                s = k / 10
                cx = x + bend * s * s + math.sin(wave + s * 4) * height * 0.04
                cy = base - height * s
                ww = half * (1 - s) ** 0.6 + half * 0.2
                left.append((cx - ww, cy))
                right.append((cx + ww, cy))
            shade = _mix(color, _lighten(color, 0.25), rng.random())
            d.polygon([*left, *reversed(right)], fill=shade)
    fish = _lighten(_mix(top, (230, 230, 220), 0.4), 0.1)
    for _ in range(rng.randint(1, 3)):
        sx, sy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.15, 0.55) * h
        facing = rng.choice((-1, 1))
        size = w * rng.uniform(0.012, 0.022)
        for _ in range(rng.randint(8, 18)):
            fx = sx + rng.gauss(0, 0.08) * w
            fy = sy + rng.gauss(0, 0.05) * h
            fs = size * rng.uniform(0.8, 1.2)
            d.ellipse((fx - fs, fy - fs * 0.38, fx + fs, fy + fs * 0.38), fill=_rgba(fish, 0.85))
            tx = fx - facing * fs * 0.9
            d.polygon(
                [
                    (tx, fy),
                    (tx - facing * fs * 0.6, fy - fs * 0.4),
                    (tx - facing * fs * 0.6, fy + fs * 0.4),
                ],
                fill=_rgba(fish, 0.85),
            )
    for _ in range(30):
        bx, by = rng.uniform(0, 1) * w, rng.uniform(0.05, 0.8) * h
        br = w * rng.uniform(0.002, 0.006)
        d.ellipse(
            (bx - br, by - br, bx + br, by + br), outline=_rgba(shimmer, 0.6), width=c.px(1.2)
        )


_PAINTERS: dict[str, Callable[[_Canvas], None]] = {
    "harbour": _draw_harbour,
    "skyline": _draw_skyline,
    "coast": _draw_coast,
    "forest": _draw_forest,
    "festival": _draw_festival,
    "library": _draw_library,
    "chart": _draw_chart,
    "market": _draw_market,
    "seagrass": _draw_seagrass,
}


def _vignette(img: Image.Image, strength: float) -> None:
    mask = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
    mask = mask.point(lambda v: round(255 * strength * max(0.0, (v - 110) / 145) ** 1.5))
    img.paste((12, 10, 20), (0, 0), mask)


def _grain(img: Image.Image, rng: random.Random) -> Image.Image:
    # Uniform noise from the seeded generator (not effect_noise, which is unseeded).
    w, h = (img.width + 1) // 2, (img.height + 1) // 2
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    noise = noise.resize(img.size, Image.Resampling.NEAREST).convert("RGB")
    return Image.blend(img, noise, 0.035)


def render_demo_image(motif: str, seed: int, size: tuple[int, int] = (2400, 1600)) -> bytes:
    """Return a JPEG illustrating `motif`, the same bytes for the same arguments."""
    painter = _PAINTERS.get(motif)
    if painter is None:
        raise ValueError(f"Unknown demo image motif {motif!r}; choose one of: {', '.join(MOTIFS)}")
    width, height = (int(v) for v in size)
    if width < 16 or height < 16:
        raise ValueError(f"Demo images must be at least 16x16 pixels, not {width}x{height}")
    scale = 2 if width * height < _SUPERSAMPLE_BELOW else 1
    rng = random.Random(seed)
    canvas = _Canvas((width * scale, height * scale), rng)
    painter(canvas)
    _vignette(canvas.img, 0.35)
    img = canvas.img
    if scale != 1:
        img = img.resize((width, height), Image.Resampling.LANCZOS)
    img = _grain(img, rng)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
