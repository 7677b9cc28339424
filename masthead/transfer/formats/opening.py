"""Opening an export file safely: compressed or not, bounded in size, XML without entities.

Every parser reads through `source_open` (and XML parsers through `xml_elements`), so the
limits hold for every format: a file (or what a compressed file unpacks to) larger than
TRANSFER_MAX_FILE_BYTES is refused, a gzip or zip bomb stops at that limit, and an XML
document type that declares entities (the "billion laughs") is refused before parsing.
"""

import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from masthead.transfer.records import FileRefused

_HEAD_BYTES = 64 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "TRANSFER_MAX_FILE_BYTES", 1024**3))


class _Bounded(io.RawIOBase):
    """A reader that refuses to give more than `limit` bytes (what a bomb would unpack to)."""

    def __init__(self, inner: BinaryIO, limit: int):
        self._inner = inner
        self._left = limit
        self._limit = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._inner.read(min(len(buffer), self._left + 1))
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            raise FileRefused(
                _("The file is damaged or cut short: %(error)s") % {"error": error}
            ) from error
        if len(data) > self._left:
            raise FileRefused(
                _("The file unpacks to more than %(limit)s bytes, the most Masthead imports.")
                % {"limit": f"{self._limit:,}"}
            )
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def source_open(path: Path | str) -> BinaryIO:
    """Open an export for reading: plain, gzip (Disqus and Remark42 send .gz) or a zip holding
    one file. Raises FileRefused for a missing, empty, too large or unreadable file."""
    path = Path(path)
    limit = max_bytes()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FileRefused(_("The file cannot be opened: %(error)s") % {"error": error}) from error
    if size == 0:
        raise FileRefused(_("The file is empty."))
    raw = path.open("rb")
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        inner = gzip.GzipFile(fileobj=raw)
    elif magic == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(raw)
            members = [m for m in archive.infolist() if not m.is_dir()]
        except zipfile.BadZipFile as error:
            raw.close()
            raise FileRefused(_("The zip file is damaged.")) from error
        if len(members) != 1:
            raw.close()
            raise FileRefused(
                _("The zip file holds %(count)d files; unpack it and import the export itself.")
                % {"count": len(members)}
            )
        inner = archive.open(members[0])
    else:
        if size > limit:
            raw.close()
            raise FileRefused(
                _("The file is %(size)s bytes, more than the %(limit)s Masthead imports.")
                % {"size": f"{size:,}", "limit": f"{limit:,}"}
            )
        inner = raw
    return io.BufferedReader(_Bounded(inner, limit), buffer_size=1024 * 1024)


def source_head(path: Path | str, size: int = _HEAD_BYTES) -> bytes:
    """Return the first bytes of the (unpacked) file: enough to tell its format."""
    with source_open(path) as stream:
        return stream.read(size)


# Control characters XML 1.0 forbids (all below 0x20 but tab, newline and carriage return):
# pasted into a post from a word processor, they make libxml2 drop the rest of the text.
_FORBIDDEN_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))


class _SkipLeadingJunk(io.RawIOBase):
    """Starts the stream at the first "<": Disqus exports have been seen with bytes (a BOM,
    blank lines, a stray log line) before the XML declaration. Drops the control characters
    XML forbids on the way (in UTF-8 those bytes never occur inside another character)."""

    def __init__(self, inner: BinaryIO):
        self._inner = inner
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._started:
            chunk = self._inner.read(len(buffer))
            if not chunk:
                return 0
            start = chunk.find(b"<")
            if start < 0:
                continue
            self._started = True
            return self._give(buffer, chunk[start:])
        return self._give(buffer, self._inner.read(len(buffer)))

    @staticmethod
    def _give(buffer, data: bytes) -> int:
        if data:
            # A chunk of nothing but controls must not read as the end of the file.
            data = data.translate(None, _FORBIDDEN_CONTROLS) or b" "
        buffer[: len(data)] = data
        return len(data)


def xml_elements(path: Path | str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Yield each complete element named in `tags` (Clark notation for namespaced ones), in
    file order; the caller reads it and the element is freed once the caller moves on.

    The parser never expands entities, loads a DTD or touches the network, and it recovers
    from the small defects real exports have (a stray "&", an undeclared entity such as
    "&nbsp;", invalid UTF-8 bytes), as WordPress's own importer does.
    """
    head = source_head(path)
    if b"<!ENTITY" in head.upper():
        raise FileRefused(
            _("The file declares XML entities, which exports never do; it is refused as unsafe.")
        )
    if b"<" not in head:
        raise FileRefused(_("This is not an XML file."))
    stream = io.BufferedReader(_SkipLeadingJunk(source_open(path)), buffer_size=1024 * 1024)
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
    )
    seen_any = False
    try:
        for _event, element in parser:
            if next(element.iterancestors(*tags), None) is not None:
                # Part of an entry being read (a Disqus post's <thread dsq:id/>): the caller
                # gets it with its entry; clearing it here would cut the entry short.
                continue
            seen_any = True
            yield element
            # Free what was read: memory stays flat however long the file is.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        if not seen_any:
            raise FileRefused(
                _("This is not a readable XML file: %(error)s") % {"error": error}
            ) from error
        raise FileRefused(
            _("The file is cut short or broken after its last readable entry: %(error)s")
            % {"error": error}
        ) from error
    finally:
        stream.close()
    # Recover mode closes a document cut short as if it were whole: its log tells.
    if any(entry.type_name == "ERR_TAG_NOT_FINISHED" for entry in parser.error_log):
        raise FileRefused(
            _("The file is cut short: it ends in the middle of an entry. Export it again.")
        )


def json_lines(
    stream: BinaryIO, *, max_line_bytes: int, cut_short: str
) -> Iterator[tuple[int, str, dict | None]]:
    """Yield (line number, a short excerpt, the parsed object or None) for each non-empty line
    of a JSON Lines file (Remark42 backups, Masthead exports).

    A line that cannot be read, or holds no object, gives None and an excerpt for the report,
    and the next one is read; a line longer than `max_line_bytes` is skipped without being
    held in memory. The last line breaking off without its newline means the file was cut
    short: FileRefused with the message `cut_short` (given "%(line)d").
    """
    number = 0
    while True:
        raw = stream.readline(max_line_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            while (rest := stream.readline(max_line_bytes)) and not rest.endswith(b"\n"):
                pass
            yield number, _("a line longer than %(size)s bytes") % {"size": max_line_bytes}, None
            continue
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except UnicodeDecodeError:
            yield number, _("not UTF-8 text"), None
            continue
        except ValueError as error:
            if not raw.endswith(b"\n"):
                raise FileRefused(cut_short % {"line": number}) from error
            yield number, raw[:80].decode("utf-8", "replace"), None
            continue
        if not isinstance(item, dict):
            yield number, raw[:80].decode("utf-8", "replace"), None
            continue
        yield number, "", item
