"""Compressed answers: brotli or gzip, as the reader's browser accepts, for text of every kind.

Pages the page cache stores are compressed once, when stored (`variants`), and answered from
those bytes; everything else is compressed on its way out by `CompressionMiddleware`. Static
files are WhiteNoise's business (compressed once by `collectstatic`). Event streams, files and
answers that are already encoded are left alone.

Django's own GZipMiddleware knows gzip only, and compresses every answer per request, cached
or not; brotli (the reference library's binding) is 15–25 % smaller on HTML.
"""

import gzip
import re

import brotli
from django.utils.cache import patch_vary_headers

COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/manifest+json",
    "image/svg+xml",
)
# Below this, the headers outweigh what compressing saves.
MIN_SIZE = 200
# Fast settings: a miss of the page cache compresses in the request (≈1 ms for 100 kB).
BROTLI_QUALITY = 5
GZIP_LEVEL = 6

_CODING = re.compile(r"\s*([a-z*]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*", re.IGNORECASE)


def encoding_accepted(accept_encoding: str) -> str | None:
    """Return "br", "gzip" or None for an Accept-Encoding header (q=0 refuses a coding)."""
    accepted = {}
    for part in (accept_encoding or "").split(","):
        match = _CODING.fullmatch(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        accepted[match.group(1).lower()] = quality
    wildcard = accepted.get("*", 0.0)
    for coding in ("br", "gzip"):
        if accepted.get(coding, wildcard) > 0:
            return coding
    return None


def compressible(content_type: str, size: int) -> bool:
    return size >= MIN_SIZE and content_type.split(";")[0].strip().lower() in COMPRESSIBLE


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    # mtime=0: the same page gives the same bytes (ETags and caches agree).
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def variants(body: bytes, content_type: str) -> dict[str, bytes]:
    """The compressed copies of a body worth storing beside it ({} when none is)."""
    if not compressible(content_type, len(body)):
        return {}
    return {coding: compress(body, coding) for coding in ("br", "gzip")}


def response_encode(response, coding: str | None, body: bytes) -> None:
    """Give `response` the `body` encoded as `coding` (None: as it is), with its headers."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if coding is None:
        response.content = body
        return
    response.content = body
    response["Content-Encoding"] = coding
    if response.has_header("ETag"):
        # A strong ETag names exact bytes; these are other bytes of the same page.
        etag = response["ETag"]
        response["ETag"] = etag if etag.startswith("W/") else f"W/{etag}"


class CompressionMiddleware:
    """Compress what the views answer, unless already encoded (a cached page's stored copy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not compressible(response.get("Content-Type", ""), len(response.content))
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = encoding_accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if coding is None:
            return response
        compressed = compress(response.content, coding)
        if len(compressed) >= len(response.content):
            return response
        response_encode(response, coding, compressed)
        response["Content-Length"] = str(len(compressed))
        return response
