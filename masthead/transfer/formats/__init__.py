"""The import formats: one module each, with `parse(path) -> Iterator[Record]` and
`looks_like(head: bytes) -> bool` (whether the first bytes of a file are this format's, so a
file given to the wrong command is refused with a message naming what it seems to be)."""

import importlib
from types import ModuleType

FORMATS = {
    "wordpress": ("masthead.transfer.formats.wxr", "WordPress (WXR)"),
    "disqus": ("masthead.transfer.formats.disqus", "Disqus"),
    "commento": ("masthead.transfer.formats.commento", "Commento"),
    "isso": ("masthead.transfer.formats.isso", "Isso"),
    "remark42": ("masthead.transfer.formats.remark42", "Remark42"),
    "masthead": ("masthead.transfer.formats.masthead_json", "Masthead (JSON)"),
}


def format_module(name: str) -> ModuleType:
    """Return the parser module of format `name` (a key of FORMATS)."""
    return importlib.import_module(FORMATS[name][0])


def format_label(name: str) -> str:
    return FORMATS[name][1]
