"""Text from outside made safe to store: one rule for every field, whichever edge it came in by.

PostgreSQL refuses NUL in text columns (SQLite takes it), and both refuse or mangle lone UTF-16
surrogates, which JSON can carry ("\\ud800"). Control characters nobody types would otherwise
reach moderators' screens and mails. Cleaning happens where input enters a service, so the
HTML form, the JSON API and the admin store the same thing.
"""

import re
import unicodedata

# Practical limit of an address: RFC 5321's 256-octet path, less its angle brackets. Every
# email column (Django's EmailField default) and every schema uses it, so what the API
# accepts always fits the database.
EMAIL_MAX_LENGTH = 254

# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def storable_text(value: str | None) -> str:
    """Return `value` as text every database stores the same: NFC, with newlines as "\\n",
    without control characters (tab and newline stay) or lone surrogates."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNSTORABLE.sub("", value))


def storable_line(value: str | None) -> str:
    """Return `value` as one storable line: runs of whitespace (newlines too) become one space."""
    return " ".join(storable_text(value).split())


def has_unstorable(value: str | None) -> bool:
    """Return whether `value` holds characters `storable_text` would remove (NUL, controls…).

    For values that select rather than describe something (keys, tokens): those are refused,
    not silently changed into another value.
    """
    return bool(value) and _UNSTORABLE.search(value) is not None
