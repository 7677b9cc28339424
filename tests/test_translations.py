"""The interface speaks every shipped language completely, and nothing a reader sees is unmarked.

Four guarantees, checked on the committed files:
- every template's visible text and readable attributes go through `{% translate %}` or
  `{% blocktranslate %}` (the words of tests/data/untranslated_template_words.txt excepted);
- the catalogs hold every message the code marks (re-extracted into a scratch copy with
  Django's own `makemessages`);
- every catalog of every language translates every message, none fuzzy, with the same
  placeholders and HTML tags as the English and every plural form its language needs, so a
  translator's slip fails here and never on a page;
- the compiled `.mo` files say what their `.po` files say.
"""

import html.parser
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "masthead"
LOCALE = PACKAGE / "locale"
DOMAINS = ("django", "djangojs")
ALLOWED_WORDS = {
    line.split("#", 1)[0].strip()
    for line in (ROOT / "tests" / "data" / "untranslated_template_words.txt")
    .read_text()
    .splitlines()
} - {""}

# Attributes a reader hears or sees; the others (class, href, data-*) are for machines.
READABLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
# Elements whose content is not prose: code, data, or the outlet's own scripts.
OPAQUE_ELEMENTS = {"script", "style", "pre", "code", "svg"}
# Blocks that base.html places inside an attribute (class names), not in the text.
ATTRIBUTE_BLOCKS = {"body_class"}
WORD = re.compile(r"[^\W\d_]{2,}")
# What a translated template tag leaves in the skeleton: no letters, so never flagged.
MARK = "\x00"


def _templates():
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            yield path


def _skeleton(source: str) -> str:
    """The template's literal text, with everything a tag or variable produces replaced by MARK."""
    out = []
    depth = 0  # inside blocktranslate, comment or verbatim: all of it is marked or invisible
    blocks = []  # the {% block %}s open here: whether each one fills an attribute of base.html
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split()
            name = words[0] if words else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
            elif name == "block":
                attribute = len(words) > 1 and words[1] in ATTRIBUTE_BLOCKS
                blocks.append(attribute)
                depth += attribute
            elif name == "endblock" and blocks:
                depth -= blocks.pop()
            out.append(MARK)
        elif token.token_type == TokenType.TEXT and depth == 0:
            out.append(token.contents)
        else:
            out.append(MARK)
    return "".join(out)


class _TextFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._opaque = 0

    def handle_starttag(self, tag, attrs):
        if tag in OPAQUE_ELEMENTS:
            self._opaque += 1
        input_button = tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if value and (name in READABLE_ATTRIBUTES or (name == "value" and input_button)):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in OPAQUE_ELEMENTS and self._opaque:
            self._opaque -= 1

    def handle_data(self, data):
        if not self._opaque:
            self.found.append(data)


def _unmarked(path: Path) -> list[str]:
    skeleton = _skeleton(path.read_text())
    if path.suffix == ".html":
        finder = _TextFinder()
        finder.feed(skeleton)
        finder.close()
        pieces = finder.found
    else:
        pieces = skeleton.split(MARK)
    return [
        " ".join(piece.split())
        for piece in pieces
        if any(word not in ALLOWED_WORDS for word in WORD.findall(piece))
    ]


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_text_is_marked_for_translation(path):
    assert _unmarked(path) == []


def test_the_template_check_finds_unmarked_text_and_accepts_marked_text(tmp_path):
    sample = tmp_path / "templates" / "sample.html"
    sample.parent.mkdir()
    sample.write_text(
        "{% load i18n %}<p>Load more</p>"
        '<input type="search" placeholder="Search">'
        "<p>{% translate 'View all comments' %}</p>"
        "{% blocktranslate trimmed %}Would love your thoughts{% endblocktranslate %}"
        '<a href="/feed/" class="feed">RSS</a>'
        "<script>const words = 'not prose';</script>"
    )
    assert _unmarked(sample) == ["Load more", "Search"]


def _catalog(language: str, domain: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run scripts/messages"
    return polib.pofile(str(path))


PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")


def _shape(text: str) -> tuple:
    """What a translation must keep: placeholders, and which HTML tags it opens and closes."""
    named = Counter(p for p in PYTHON_PLACEHOLDER.findall(text) if p != "%%")
    braces = Counter(BRACE_PLACEHOLDER.findall(text))
    tags = Counter(match.group(0).lower() for match in TAG.finditer(text))
    return named, braces, tags


def _problems(catalog: polib.POFile, language: str) -> list[str]:
    problems = []
    plural_forms = catalog.metadata.get("Plural-Forms", "")
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    nplurals = int(found.group(1)) if found else 2
    for entry in catalog:
        if entry.obsolete:
            continue
        label = f"{language}: {entry.msgid[:60]!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{label} is fuzzy")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if not all(forms):
                problems.append(f"{label} lacks some of its {nplurals} plural forms")
                continue
            # Every form keeps the plural's placeholders (a language may drop the count in
            # its singular, as English "one comment" could; the named ones stay).
            expected = _shape(entry.msgid_plural)
            for form in forms:
                named, braces, tags = _shape(form)
                if set(named) - set(expected[0]) or braces != expected[1] or tags != expected[2]:
                    problems.append(f"{label}: plural form {form[:60]!r} breaks a placeholder")
        else:
            if not entry.msgstr:
                problems.append(f"{label} is not translated")
            elif _shape(entry.msgstr) != _shape(entry.msgid):
                problems.append(f"{label}: {entry.msgstr[:60]!r} breaks a placeholder or tag")
    return problems


LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated_with_its_placeholders(language, domain):
    assert _problems(_catalog(language, domain), language) == []


def test_the_catalog_check_catches_a_broken_placeholder():
    catalog = polib.POFile()
    catalog.metadata = {"Plural-Forms": "nplurals=3; plural=(n%10==1 ? 0 : 1);"}
    catalog.append(polib.POEntry(msgid="Support %(name)s", msgstr="Поддержите %(nom)s"))
    catalog.append(polib.POEntry(msgid="Read <a>rules</a>", msgstr="Правила"))
    catalog.append(
        polib.POEntry(
            msgid="%(count)s comment",
            msgid_plural="%(count)s comments",
            msgstr_plural={0: "%(count)s комментарий", 1: "%(count)s комментария", 2: ""},
        )
    )
    catalog.append(polib.POEntry(msgid="Oldest", msgstr="Старые", flags=["fuzzy"]))
    assert len(_problems(catalog, "ru")) == 4


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogs_match_their_sources(language, domain):
    source = _catalog(language, domain)
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.mo"))

    def entries(catalog):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalog
            if not e.obsolete and e.msgid
        }

    assert entries(compiled) == entries(source), "run scripts/messages --compile"


@pytest.mark.gettext
def test_the_catalogs_hold_every_marked_message(tmp_path):
    """Extract afresh into a scratch copy of the package and compare with the English catalog."""
    copy = tmp_path / "masthead"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.bin", "*.npz", "*.mo", "locale"),
    )
    (copy / "locale").mkdir()
    # makemessages writes into LOCALE_PATHS: point it at the copy, never at the real catalogs.
    (tmp_path / "scratch_settings.py").write_text(
        "from masthead.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scratch_settings",
        "PYTHONPATH": str(tmp_path),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    for domain in DOMAINS:
        subprocess.run(
            [
                str(Path(sys.executable).parent / "django-admin"),
                "makemessages",
                "--locale=en",
                f"--domain={domain}",
                "--no-location",
                "--no-wrap",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env=environment,
        )
        fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"))
        ours = _catalog("en", domain)
        want = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
        have = {(e.msgctxt, e.msgid) for e in ours if not e.obsolete}
        assert sorted(want - have, key=str) == [], f"{domain}: run scripts/messages"
