"""Right-to-left layout and the dark theme, read from the stylesheets a reader's browser gets.

Direction: Arabic pages carry <html dir="rtl">; the CSS uses logical properties only, so the
layout mirrors without a second stylesheet. Colour: every colour comes from a variable defined
in site.css with a light and a dark value, and both palettes meet WCAG 2.2 AA on the pairs the
stylesheets actually put together.
"""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parent.parent / "masthead"
SITE_CSS = ROOT / "static" / "masthead" / "site.css"
CSS_FILES = sorted(ROOT.glob("**/static/*/*.css"))
# These two are only used inside Wagtail's admin, which has a dark theme of its own: they take
# Wagtail's colour variables (with a light fallback) rather than the site's.
ADMIN_CSS = {"moderation.css", "import.css"}


# --- A small CSS reader: enough for hand-written stylesheets, not a general parser ----------


def rules(css: str, context: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str, str]]:
    """Return (at-rule and selector chain, property, value) for every declaration in `css`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    position = 0
    while True:
        opening = css.find("{", position)
        if opening == -1:
            return found
        prelude = " ".join(css[position:opening].split())
        depth, index = 1, opening + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        body = css[opening + 1 : index - 1]
        if prelude.startswith(("@media", "@supports")):
            found += rules(body, (*context, prelude))
        elif prelude.startswith("@keyframes"):
            # Keyframes' declarations count too, each under its step ("0%, 40%").
            found += [((*context, prelude, step), *pair) for step, pair in _keyframe_steps(body)]
        else:
            found += [((*context, prelude), *pair) for pair in _declarations(body)]
        position = index


def _declarations(body: str) -> list[tuple[str, str]]:
    pairs = []
    for part in re.split(r";(?![^(]*\))", body):
        if ":" in part:
            name, value = part.split(":", 1)
            pairs.append((name.strip().lower(), " ".join(value.split())))
    return pairs


def _keyframe_steps(body: str):
    for step, inner in re.findall(r"([^{}]+)\{([^{}]*)\}", body):
        for pair in _declarations(inner):
            yield " ".join(step.split()), pair


def declarations(path: Path):
    return rules(path.read_text())


def all_declarations():
    for path in CSS_FILES:
        for chain, name, value in declarations(path):
            yield path, chain, name, value


def test_every_stylesheet_of_the_site_is_read():
    names = {path.name for path in CSS_FILES}
    assert {"site.css", "discussion.css", "funding.css", "notify.css"} <= names
    assert names >= ADMIN_CSS
    assert all(declarations(path) for path in CSS_FILES)


# --- Direction ------------------------------------------------------------------------------

PHYSICAL_NAME = re.compile(r"(^|-)(left|right)(-|$)")
PHYSICAL_VALUE = {"float", "clear", "text-align", "caption-side"}


def _words(value: str) -> list[str]:
    """Split a value at the spaces outside parentheses: `calc(1px + 2px) 0` is two words."""
    words, depth, word = [], 0, ""
    for character in value + " ":
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == " " and depth == 0:
            if word:
                words.append(word)
            word = ""
        else:
            word += character
    return words


def test_no_stylesheet_names_a_physical_left_or_right():
    offenders = []
    for path, chain, name, value in all_declarations():
        if name.startswith("--"):
            continue
        where = f"{path.name}: {chain[-1]} {{ {name}: {value} }}"
        sideways_value = name in PHYSICAL_VALUE and re.search(r"\b(left|right)\b", value)
        if PHYSICAL_NAME.search(name) or sideways_value:
            offenders.append(where)
        elif name in {"margin", "padding", "inset", "border-width", "border-style", "border-color"}:
            words = _words(value)  # top, right, bottom, left: only four can make the sides differ
            if len(words) == 4 and words[1] != words[3]:
                offenders.append(where)
        elif name == "border-radius" and len(set(value.replace("/", " ").split())) > 1:
            # Uneven corners swap sides in RTL: written with border-start-start-radius etc.
            offenders.append(where)
    assert offenders == []


def test_direction_dependent_values_have_a_right_to_left_variant():
    """Transforms, gradients and horizontal shadows that point one way are mirrored for RTL.

    (Only the direction-dependent ones: translateY, scale() or a shadow straight down mirror
    by themselves.)"""
    missing = []
    for path in CSS_FILES:
        found = declarations(path)
        rtl = {chain[-1] for chain, _, _ in found if '[dir="rtl"]' in chain[-1]}
        for chain, name, value in found:
            selector = chain[-1]
            if (
                '[dir="rtl"]' in selector
                or name.startswith("--")
                or "@keyframes" in " ".join(chain)
            ):
                continue
            sideways = (
                re.search(r"translateX\((?!0\))", value)
                or re.search(r"to (left|right)", value)
                or (
                    name == "box-shadow" and re.search(r"(^|,\s*)(inset\s+)?-?[1-9][\d.]*px", value)
                )
                or (
                    name.startswith("background-position") and re.search(r"\b(left|right)\b", value)
                )
            )
            if not sideways:
                continue
            variants = {f'[dir="rtl"] {part.strip()}' for part in selector.split(",")}
            if not variants <= rtl:
                missing.append(f"{path.name}: {selector} {{ {name}: {value} }}")
    assert missing == []


# --- Colour: everything through variables ----------------------------------------------------

COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(|"
    r"\b(?:white|black|red|green|blue|gray|grey|silver|yellow|orange|navy|maroon)\b",
    re.I,
)


def _without_var_fallbacks(value: str) -> str:
    return re.sub(r"var\(\s*--[\w-]+\s*,[^()]*(?:\([^()]*\))?[^()]*\)", "var()", value)


def test_colours_are_written_only_in_the_palettes():
    """A colour anywhere else would stay the same in the dark theme."""
    offenders = []
    for path, chain, name, value in all_declarations():
        if name.startswith("--") and path == SITE_CSS and chain[-1].startswith(":root"):
            continue  # the palettes themselves
        if name in {"mask-image", "-webkit-mask-image", "mask", "-webkit-mask"}:
            continue  # a mask uses only the alpha of what it is given: not a colour on screen
        if name == "--speech-icon":
            continue  # an SVG used as a mask, likewise
        checked = _without_var_fallbacks(value) if path.name in ADMIN_CSS else value
        if COLOUR.search(checked):
            offenders.append(f"{path.name}: {chain[-1]} {{ {name}: {value} }}")
    assert offenders == []


def test_the_admin_stylesheets_use_wagtails_themed_variables():
    for path in CSS_FILES:
        if path.name not in ADMIN_CSS:
            continue
        for _, name, value in declarations(path):
            for used in re.findall(r"var\(\s*(--[\w-]+)", value):
                assert used.startswith("--w-color-"), (path.name, name, value)


def light_palette() -> dict[str, str]:
    return _palette_where(lambda chain: chain == (":root",))


def dark_palettes() -> list[dict[str, str]]:
    """The dark values, both copies: the device's preference, and the reader's own choice."""
    system = _palette_where(
        lambda chain: (
            any("prefers-color-scheme: dark" in part for part in chain)
            and chain[-1] == ':root:not([data-theme="light"])'
        )
    )
    chosen = _palette_where(lambda chain: chain[-1] == ':root[data-theme="dark"]')
    return [system, chosen]


def _palette_where(wanted) -> dict[str, str]:
    return {
        name[2:]: value.lower()
        for chain, name, value in declarations(SITE_CSS)
        if name.startswith("--") and wanted(chain) and COLOUR.search(value)
    }


def test_both_dark_copies_are_the_same_and_cover_every_light_colour():
    system, chosen = dark_palettes()
    light = light_palette()
    assert system == chosen
    assert set(system) == set(light)
    assert len(light) > 30


def test_the_dark_palette_is_in_force_on_screens_only():
    """A printout keeps dark ink on white paper, whatever the theme on screen."""
    for chain, name, _ in declarations(SITE_CSS):
        if name.startswith("--") and "dark" in " ".join(chain):
            assert chain[0].startswith("@media screen"), chain


def test_every_variable_a_stylesheet_uses_is_defined():
    defined = {name for _, _, name, _ in all_declarations() if name.startswith("--")}
    for path, chain, _, value in all_declarations():
        if path.name in ADMIN_CSS:
            continue
        for used in re.findall(r"var\(\s*(--[\w-]+)", value):
            assert used in defined, (path.name, chain[-1], used)


# --- Contrast ------------------------------------------------------------------------------


def rgb(colour: str, behind: str = "#ffffff") -> tuple[float, float, float]:
    """The colour as 0–255 channels; a translucent one composited over `behind`."""
    colour = colour.strip().lower()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(digit * 2 for digit in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    under = rgb(behind)
    return tuple(alpha * numbers[i] + (1 - alpha) * under[i] for i in range(3))


def luminance(colour: str, behind: str = "#ffffff") -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(colour, behind)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str, behind: str = "#ffffff") -> float:
    light, dark = sorted((luminance(one, behind), luminance(other, behind)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


BACKGROUNDS = ("paper", "panel", "surface")
TEXT = 4.5
UI = 3.0
# (foreground, background, minimum): what the stylesheets put together.
PAIRS = [
    *[(text, ground, TEXT) for text in ("ink", "ink-soft", "ink-faint") for ground in BACKGROUNDS],
    *[(text, ground, TEXT) for text in ("accent", "accent-dark") for ground in BACKGROUNDS],
    *[(text, ground, TEXT) for text in ("support", "support-dark") for ground in BACKGROUNDS],
    # Filled buttons, badges, active votes, the "new comments" bar, the selection button.
    ("on-ink", "ink", TEXT),
    ("on-ink", "ink-soft", TEXT),
    ("on-accent", "accent", TEXT),
    ("on-support", "support", TEXT),
    ("on-support", "support-dark", TEXT),
    # Tinted states: highlighted, linked, new, held, marked passages, notices, errors.
    *[("ink", tint, TEXT) for tint in ("highlight", "located-tint", "mark", "mark-flash")],
    *[
        (text, tint, TEXT)
        for text in ("ink-soft", "ink-faint", "accent-dark", "support-dark")
        for tint in ("highlight", "located-tint")
    ],
    ("ink", "support-tint", TEXT),
    ("ink", "warning-tint", TEXT),
    ("accent-dark", "error-tint", TEXT),
    ("pending-ink", "pending-tint", TEXT),
    # The feedback marker (a pill on the article's panel).
    ("support-dark", "surface", TEXT),
    ("support-border", "surface", UI),
    ("support-border", "panel", UI),
    # Footer.
    ("footer-ink", "footer-bg", TEXT),
    ("footer-ink-faint", "footer-bg", TEXT),
    # Over a photograph: the label's backdrop, composited over the lightest picture possible.
    ("on-overlay", "overlay", TEXT),
    # Controls and indicators: field outlines, the goal bar's fill on its track, focus rings.
    *[("field-border", ground, UI) for ground in BACKGROUNDS],
    ("support", "panel", UI),
    ("support-dark", "panel", UI),
    *[("focus", ground, UI) for ground in BACKGROUNDS],
]


def _palettes():
    system, _ = dark_palettes()
    return [("light", light_palette()), ("dark", system)]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_colour_pairs_meet_wcag_aa(theme, foreground, background, minimum):
    colours = dict(_palettes())[theme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_dark_theme_is_dark_and_focus_is_not_the_error_colour(theme):
    colours = dict(_palettes())[theme]
    assert colours["focus"] != colours["accent"]
    paper = luminance(colours["paper"])
    assert (paper < 0.05) if theme == "dark" else (paper > 0.9)


def test_avatar_initials_are_legible_on_every_avatar_colour():
    from masthead.discussion.presentation import AVATAR_COLOURS

    for _, colours in _palettes():
        for colour in AVATAR_COLOURS:
            assert contrast(colours["on-avatar"], colour) >= TEXT, colour


# --- The theme switch ------------------------------------------------------------------------


def test_the_theme_switch_has_an_accessible_name_and_states():
    html = render_to_string("_theme_toggle.html")
    group = re.search(r"<div ([^>]*)>", html).group(1)
    assert 'role="group"' in group
    label_id = re.search(r'aria-labelledby="([^"]+)"', group).group(1)
    label = re.search(rf'id="{label_id}"[^>]*>([^<]+)<', html).group(1)
    assert label.strip() == "Theme"
    buttons = re.findall(r"<button ([^>]*)>([^<]*)</button>", html)
    assert [(text.strip()) for _, text in buttons] == ["Light", "Dark", "System"]
    for attributes, _ in buttons:
        assert 'type="button"' in attributes
        assert 'aria-pressed="false"' in attributes
    choices = [re.search(r'data-theme-choice="(\w+)"', a).group(1) for a, _ in buttons]
    assert choices == ["light", "dark", "system"]


def test_the_theme_switch_passes_the_content_security_policy():
    """No inline style or script: the page's policy allows neither from a template."""
    html = render_to_string("_theme_toggle.html")
    assert "style=" not in html
    assert "<script" not in html
    assert not re.search(r"\son\w+=", html)


def test_the_theme_script_reads_the_choice_before_the_page_is_drawn():
    script = (ROOT / "static" / "masthead" / "theme.js").read_text()
    # The saved choice is applied at the top level (while <head> is parsed), the switch later.
    top_level = script.split('document.addEventListener("DOMContentLoaded"')[0]
    assert '"masthead-theme"' in script
    assert "apply(saved());" in top_level
    assert 'setAttribute("data-theme"' in script


# --- In a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dark_theme_follows_the_device_and_a_choice_survives_a_reload(live_server):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH

    def page_luminance(tab) -> float:
        colour = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(n) for n in re.findall(r"\d+", colour)[:3])
        return luminance(f"#{red:02x}{green:02x}{blue:02x}")

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
            tab = browser.new_context(color_scheme="dark").new_page()
            tab.set_default_timeout(15_000)
            tab.goto(live_server.url + "/")

            assert page_luminance(tab) < 0.05
            switch = tab.get_by_role("group", name="Theme")
            assert (
                switch.get_by_role("button", name="System").get_attribute("aria-pressed") == "true"
            )

            switch.get_by_role("button", name="Light").click()
            assert page_luminance(tab) > 0.9
            assert (
                switch.get_by_role("button", name="Light").get_attribute("aria-pressed") == "true"
            )

            tab.reload()
            assert tab.evaluate("document.documentElement.dataset.theme") == "light"
            assert page_luminance(tab) > 0.9
            switch = tab.get_by_role("group", name="Theme")
            assert (
                switch.get_by_role("button", name="Light").get_attribute("aria-pressed") == "true"
            )
            assert (
                switch.get_by_role("button", name="System").get_attribute("aria-pressed") == "false"
            )

            switch.get_by_role("button", name="System").click()
            assert page_luminance(tab) < 0.05
            tab.reload()
            assert page_luminance(tab) < 0.05
            browser.close()
    finally:
        connections.close_all()
