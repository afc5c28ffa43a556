"""What every format reader shares: the extracted text, the refusal, decoding, sniffing."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class ExtractError(ValueError):
    """The file cannot be turned into text; the message says why."""


@dataclass
class Extracted:
    kind: str
    text: str
    page_starts: list[int] | None = None
    # (start, end, kind) ranges of text that the markup marks as navigation, footer…
    hints: list[tuple[int, int, str]] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    main_text: str | None = None  # a web page's article as trafilatura found it
    publisher: str | None = None  # what the file says of its publisher (a site name)
    ocr_pages: list[int] = field(default_factory=list)  # PDF pages read by OCR
    unread_pages: list[int] = field(default_factory=list)  # pages neither text nor OCR gave
    notes: list[str] = field(default_factory=list)  # what reading the file changed


SNIFFED_NAMES = {
    "PDF": gettext_lazy("a PDF"),
    "zip": gettext_lazy("a ZIP archive or Office document"),
    "image": gettext_lazy("an image"),
    "binary": gettext_lazy("binary data"),
}


def sniff_binary(data: bytes) -> str | None:
    """What the bytes are when they are not text: 'PDF', 'zip', 'image', 'binary'."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if b"\x00" in data:  # anywhere in the file, not only at its start
        return "binary"
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Typographic ligatures (U+FB00-FB06) as the letters they stand for, so "Definition"
# finds a PDF's "Deﬁnition".
LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
# Control characters other than tab and newline (a form feed or vertical tab is a line
# break); nothing else of category Cc ever reaches the database.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\x0b\x0c]")


def clean_text(text: str) -> tuple[str, int]:
    """The text with ligatures decomposed, form feeds and vertical tabs as newlines, and
    every other control character removed; and how many were removed."""
    text = _BREAKS.sub("\n", normalise_newlines(text).translate(LIGATURES))
    cleaned, removed = _CONTROL.subn("", text)
    return cleaned, removed


# A multi-byte UTF-8 sequence: a file holding one is UTF-8, whatever else it holds.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
LEGACY_NOTE = gettext_lazy("read as Windows-1252: the file is not UTF-8")


def decode_text(data: bytes) -> tuple[str, bool]:
    """UTF-8 (with or without BOM), strictly; an older file with no UTF-8 in it at all
    as Windows-1252; and whether it was read so. A UTF-8 file with bytes that are not UTF-8
    is refused, naming the first: decoding it whole as Windows-1252 would garble every
    æ, ø and å in it (and its header)."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            raise ExtractError(
                _(
                    "the file is UTF-8 but byte %(position)s (0x%(byte)02x) is not; "
                    "save it again as UTF-8"
                )
                % {"position": exc.start, "byte": data[exc.start]}
            ) from exc
        text = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > len(text) / 100 or text.count("\ufffd") > len(text) / 100:
        raise ExtractError(_("the file is not readable text (neither UTF-8 nor Windows-1252)"))
    return text, True


def removed_note(removed: int) -> list[str]:
    """The note for an ingest result when control characters were taken out."""
    if not removed:
        return []
    return [
        ngettext(
            "%(count)s control character removed",
            "%(count)s control characters removed",
            removed,
        )
        % {"count": removed}
    ]
