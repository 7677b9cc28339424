"""The palette's text colours meet WCAG 2.2 AA on the backgrounds they are used on."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "masthead" / "static" / "masthead" / "site.css"


def palette() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("text", ["ink", "ink-soft", "ink-faint", "accent", "support"])
@pytest.mark.parametrize("background", ["paper", "panel"])
def test_small_text_colours_reach_4_5_to_1(text, background):
    colours = palette()
    assert contrast(colours[text], colours[background]) >= 4.5


@pytest.mark.parametrize("background", ["paper", "panel"])
def test_focus_rings_stand_out_at_3_to_1_and_are_not_the_error_red(background):
    colours = palette()
    assert contrast(colours["focus"], colours[background]) >= 3
    assert colours["focus"] != colours["accent"]
