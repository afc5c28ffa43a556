"""What every format reader shares: the extracted text, the refusal, decoding, sniffing."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
    if b"\x00" in data[:65536]:
        return "binary"
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); older Windows-1252 files as a fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > len(text) / 100 or text.count("\ufffd") > len(text) / 100:
        raise ExtractError(_("the file is not readable text (neither UTF-8 nor Windows-1252)"))
    return text
