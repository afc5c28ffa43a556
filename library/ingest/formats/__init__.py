"""File formats Baggrund reads, behind one registry: suffix -> reader.

`extract(name, data)` checks that a file is what its name says and returns its text
(`Extracted`): the text Baggrund keeps as the bilag's full text, plus what the format
itself states (a title, a date, pages, ranges that sat in navigation or footers).
`check_file(name, size)` is the one place the accepted types and the size limit are
stated; the upload form and the ingest service both ask it. Anything wrong raises
ExtractError with a message that names the problem; the caller adds the file name.
"""

import dataclasses
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from library.ingest.formats.base import (
    LEGACY_NOTE,
    SNIFFED_NAMES,
    Extracted,
    ExtractError,
    clean_text,
    decode_text,
    removed_note,
    sniff_binary,
)
from library.ingest.formats.html import read_html
from library.ingest.formats.pdf import read_pdf

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "ExtractError", "Extracted", "check_file", "extract"]


def read_txt(data: bytes) -> Extracted:
    decoded, legacy = decode_text(data)
    text, removed = clean_text(decoded)
    notes = removed_note(removed) + ([str(LEGACY_NOTE)] if legacy else [])
    return Extracted(kind="txt", text=text, notes=notes)


@dataclasses.dataclass(frozen=True)
class Format:
    kind: str  # Bilag.kind
    suffixes: tuple[str, ...]
    read: Callable[[bytes], Extracted]
    signature: str | None  # what sniff_binary must find (binary formats), None for text
    content_type: str  # how the original is sent back as a download


FORMATS = (
    Format("txt", (".txt",), read_txt, None, "text/plain; charset=utf-8"),
    Format("html", (".html", ".htm"), read_html, None, "text/plain; charset=utf-8"),
    Format("pdf", (".pdf",), read_pdf, "PDF", "application/pdf"),
)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
_BY_KIND = {fmt.kind: fmt for fmt in FORMATS}
SUPPORTED_SUFFIXES = tuple(_BY_SUFFIX)


def content_type(kind: str) -> str:
    fmt = _BY_KIND.get(kind)
    return fmt.content_type if fmt else "application/octet-stream"


def check_file(name: str, size: int) -> Format:
    """The format of a file called `name` of `size` bytes; ExtractError if Baggrund
    does not take that type or the file is over BAGGRUND_MAX_FILE_BYTES."""
    suffix = Path(name).suffix.lower()
    fmt = _BY_SUFFIX.get(suffix)
    if fmt is None:
        raise ExtractError(
            _("unsupported file type '%(suffix)s': Baggrund takes %(types)s")
            % {"suffix": suffix or _("(none)"), "types": ", ".join(SUPPORTED_SUFFIXES)}
        )
    limit = settings.BAGGRUND_MAX_FILE_BYTES
    if size > limit:
        raise ExtractError(
            _("the file is too large (%(size)s); the limit is %(limit)s")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    return fmt


def extract(name: str, data: bytes) -> Extracted:
    """The text of a file, read by the reader its suffix names, once its bytes agree."""
    fmt = check_file(name, len(data))
    if not data.strip():
        raise ExtractError(_("the file is empty"))
    sniffed = sniff_binary(data)
    if fmt.signature is not None:
        if sniffed != fmt.signature:
            raise ExtractError(_("the file is not a PDF (it does not start with %PDF-)"))
    elif sniffed:
        raise ExtractError(
            _("the file is %(what)s, not %(type)s text")
            % {
                "what": str(SNIFFED_NAMES.get(sniffed, sniffed)),
                "type": Path(name).suffix[1:].upper(),
            }
        )
    return fmt.read(data)
