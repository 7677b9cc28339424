"""storable_text: what every text field keeps of what a reader sent."""

import pytest

from masthead.core.text import has_unstorable, storable_line, storable_text


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("plain words", "plain words"),
        ("NUL\x00 gone", "NUL gone"),
        ("bell\x07, escape\x1b[31m and DEL\x7f", "bell, escape[31m and DEL"),
        ("C1 next line\x85 and CSI\x9b", "C1 next line and CSI"),
        ("lone \ud800surrogate\udfff", "lone surrogate"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("windows\r\nand old mac\rlines", "windows\nand old mac\nlines"),
        ("cafe\u0301", "caf\u00e9"),  # NFC: one code point, as people type it
        ("émoji 🎉 and ß", "émoji 🎉 and ß"),
        (None, ""),
    ],
)
def test_storable_text_keeps_what_people_type_and_drops_what_databases_refuse(sent, kept):
    assert storable_text(sent) == kept


def test_storable_line_is_one_line_of_single_spaces():
    assert storable_line("  Ada\x00\n  Lovelace\t ") == "Ada Lovelace"


def test_has_unstorable_spots_what_storable_text_would_remove():
    assert has_unstorable("intro\x00") and has_unstorable("\ud800")
    assert not has_unstorable("intro-2") and not has_unstorable("")
