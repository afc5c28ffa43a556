"""Turn a received file (.txt, .html/.htm, .pdf) into text, checking it is what it says.

Each extractor returns the text Baggrund keeps as the bilag's full text, plus what the
markup itself says (a title, a date, ranges that sat in navigation or footers).
Anything that is not what its name says raises ExtractError with a message that names
the problem; the caller adds the file name.
"""

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


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


def extract(name: str, data: bytes) -> Extracted:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ExtractError(
            _("unsupported file type '%(suffix)s': Baggrund takes %(types)s")
            % {"suffix": suffix or _("(none)"), "types": ", ".join(SUPPORTED_SUFFIXES)}
        )
    if not data.strip():
        raise ExtractError(_("the file is empty"))
    sniffed = _sniff_binary(data)
    if suffix == ".pdf":
        if sniffed != "PDF":
            raise ExtractError(_("the file is not a PDF (it does not start with %PDF-)"))
        return _extract_pdf(data)
    if sniffed:
        sniffed = str(_SNIFFED_NAMES.get(sniffed, sniffed))
        raise ExtractError(
            _("the file is %(what)s, not %(type)s text")
            % {"what": sniffed, "type": suffix[1:].upper()}
        )
    if suffix == ".txt":
        return Extracted(kind="txt", text=_normalise_newlines(decode_text(data)))
    return _extract_html(decode_html(data))


_SNIFFED_NAMES = {
    "PDF": gettext_lazy("a PDF"),
    "zip": gettext_lazy("a ZIP archive or Office document"),
    "image": gettext_lazy("an image"),
    "binary": gettext_lazy("binary data"),
}


def _sniff_binary(data: bytes) -> str | None:
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


def _normalise_newlines(text: str) -> str:
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


def decode_html(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_.:-]+)", data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return decode_text(data)


# --- HTML -----------------------------------------------------------------------------

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "head",
    "canvas",
    "math",
    "select",
}
_BOILERPLATE_TAGS = {
    "nav": "menu",
    "footer": "footer",
    "aside": "aside",
    "form": "form",
    "button": "share",
    "figcaption": "caption",
}
_BOILERPLATE_CLASS = re.compile(r"cookie|consent|share|social|newsletter|breadcrumb|menu")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


class _VisibleText(HTMLParser):
    """Visible text in reading order, paragraphs separated by blank lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, boilerplate kind, skip
        self.skip_depth = 0
        self.hints: list[tuple[int, int, str]] = []
        self.open_hints: list[tuple[int, str]] = []
        self.title: str | None = None
        self.in_title = False
        self.published: str | None = None
        self.h1: str | None = None
        self.in_h1 = False
        self.tags_seen = 0

    # Text is appended through these two so that offsets (for hints) stay exact.
    def _emit(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def _break(self, newlines: int) -> None:
        if not self.parts:
            return
        last = self.parts[-1]
        if last.endswith(" "):
            self.parts[-1] = last.rstrip(" ")
            self.length -= len(last) - len(self.parts[-1])
        tail = "".join(self.parts[-3:])
        have = len(tail) - len(tail.rstrip("\n"))
        if have < newlines:
            self._emit("\n" * (newlines - have))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags_seen += 1
        attributes = dict(attrs)
        if tag == "meta":
            self._meta(attributes)
            return
        if tag == "title":
            self.in_title = True
            return
        if tag == "time" and self.published is None and attributes.get("datetime"):
            self.published = attributes["datetime"]
        if tag == "br":
            if not self.skip_depth:
                self._break(1)
            return
        if tag in _VOID:
            return
        skip = tag in _SKIP
        kind = _BOILERPLATE_TAGS.get(tag)
        css = " ".join(filter(None, [attributes.get("class"), attributes.get("id")])).lower()
        if kind is None and css and _BOILERPLATE_CLASS.search(css):
            kind = "menu" if "menu" in css or "breadcrumb" in css else "share"
            if "cookie" in css or "consent" in css:
                kind = "cookie"
        if attributes.get("role") == "navigation":
            kind = "menu"
        if attributes.get("hidden") is not None or attributes.get("aria-hidden") == "true":
            skip = True
        self.stack.append((tag, kind, skip))
        if skip:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self._break(2)
        if kind:
            self.open_hints.append((self.length, kind))
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in _VOID:
            return
        # Close up to the matching open tag; HTML in the wild leaves tags open.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _open_tag, kind, skip in reversed(self.stack[index:]):
                    self._close(_open_tag, kind, skip)
                del self.stack[index:]
                return

    def _close(self, tag: str, kind: str | None, skip: bool) -> None:
        if skip:
            self.skip_depth -= 1
            return
        if tag in _BLOCK:
            self._break(2)
        if kind and self.open_hints:
            start, hint_kind = self.open_hints.pop()
            if self.length > start:
                self.hints.append((start, self.length, hint_kind))
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = (self.title or "") + data
            return
        if self.skip_depth:
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip():
            if self.parts and not self.parts[-1].endswith((" ", "\n")):
                self._emit(" ")
            return
        if not self.parts or self.parts[-1].endswith("\n"):
            text = text.lstrip()
        elif self.parts[-1].endswith(" "):
            text = text.lstrip() if text.startswith(" ") else text
        self._emit(text)
        if self.in_h1:
            self.h1 = (self.h1 or "") + text

    def _meta(self, attributes: dict[str, str | None]) -> None:
        key = (attributes.get("property") or attributes.get("name") or "").lower()
        content = attributes.get("content")
        if not content:
            return
        if (
            key
            in {
                "article:published_time",
                "date",
                "dc.date",
                "dcterms.date",
                "pubdate",
                "publish-date",
            }
            and self.published is None
        ):
            self.published = content
        if key == "og:title" and self.title is None:
            self.title = content


def _extract_html(source: str) -> Extracted:
    parser = _VisibleText()
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError) as exc:
        raise ExtractError(_("the HTML cannot be parsed (%(error)s)") % {"error": exc}) from exc
    if parser.tags_seen == 0:
        raise ExtractError(_("the file has no HTML markup (save it as .txt if it is plain text)"))
    for start, kind in parser.open_hints:  # unclosed boilerplate elements run to the end
        parser.hints.append((start, parser.length, kind))
    text = "".join(parser.parts).strip("\n ")
    offset = len("".join(parser.parts)) - len("".join(parser.parts).lstrip("\n "))
    hints = [(max(0, s - offset), max(0, e - offset), k) for s, e, k in parser.hints]
    if not text.strip():
        raise ExtractError(_("the HTML has no visible text"))
    published = parser.published
    if published and re.match(r"^\d{4}-\d{2}-\d{2}T", published):
        published = published[:10]
    return Extracted(
        kind="html",
        text=text,
        hints=hints,
        title=" ".join((parser.h1 or parser.title or "").split()) or None,
        published=published,
    )


# --- PDF ------------------------------------------------------------------------------


_PDF_REFUSALS = {
    "encrypted": gettext_lazy("the PDF is encrypted and needs a password"),
    "no_pages": gettext_lazy("the PDF has no pages"),
    "too_many_pages": gettext_lazy("the PDF has %(count)s pages; the limit is %(limit)s"),
    "unreadable": gettext_lazy("the PDF cannot be read (%(detail)s)"),
    "memory": gettext_lazy("the PDF needs more than %(mib)s MiB to read"),
}


def _extract_pdf(data: bytes) -> Extracted:
    memory = settings.BAGGRUND_PDF_MEMORY_BYTES
    cpu = settings.BAGGRUND_PDF_TIMEOUT_SECONDS

    try:
        proc = subprocess.run(
            [sys.executable, "-m", "library.pdftext"],
            input=data,
            capture_output=True,
            timeout=cpu + 10,
            cwd=settings.BASE_DIR,
            # The child caps its own memory and CPU first thing (library.pdftext);
            # preexec_fn is not safe in a threaded web server.
            env={
                "BAGGRUND_PDF_MAX_PAGES": str(settings.BAGGRUND_PDF_MAX_PAGES),
                "BAGGRUND_PDF_MEMORY_BYTES": str(memory),
                "BAGGRUND_PDF_CPU_SECONDS": str(cpu),
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(settings.BASE_DIR),
            },
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(
            _("the PDF took longer than %(seconds)s s to read") % {"seconds": cpu + 10}
        ) from exc
    if proc.returncode == 0:
        payload = json.loads(proc.stdout.decode("utf-8"))
        return _join_pages(payload["pages"], payload.get("title"))
    message = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
    if proc.returncode in (2, 3) and message:
        try:
            payload = json.loads(message[-1])
        except ValueError:
            payload = {}
        payload.setdefault("mib", memory // (1024 * 1024))
        if payload.get("code") in _PDF_REFUSALS:
            raise ExtractError(str(_PDF_REFUSALS[payload.pop("code")]) % payload)
    if proc.returncode == 3 or (message and "MemoryError" in message[-1]):
        raise ExtractError(
            _("the PDF needs more than %(mib)s MiB to read") % {"mib": memory // (1024 * 1024)}
        )
    if proc.returncode < 0:
        raise ExtractError(
            _("the PDF needed more than %(seconds)s s of CPU time to read") % {"seconds": cpu}
        )
    detail = message[-1] if message else _("exit status %(code)s") % {"code": proc.returncode}
    raise ExtractError(_("the PDF cannot be read (%(detail)s)") % {"detail": detail})


_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")


def unwrap_page(text: str) -> str:
    """Join a PDF page's wrapped lines into paragraphs separated by blank lines.

    A line ends a paragraph when a blank line follows, or when it ends a sentence and is
    clearly shorter than the page's full lines. A lower-case word hyphenated across a
    line break is joined; a compound's own hyphen is kept.
    """
    lines = [line.strip() for line in _normalise_newlines(text).split("\n")]
    full = sorted(len(line) for line in lines if line)
    width = full[int(len(full) * 0.8)] if full else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and line[:1].islower():
            # "flygt-" + "ninge" is one word broken by the layout; "al-Hol-" + "lejren" is
            # a compound whose hyphen belongs to the text (the fragment has a hyphen or a
            # capital of its own).
            fragment = current.rsplit(None, 1)[-1][:-1]
            hyphen_is_layout = fragment.isalpha() and fragment.islower()
            current = (current[:-1] if hyphen_is_layout else current) + line
        else:
            current = f"{current} {line}"
        if _SENTENCE_END.search(line) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _join_pages(pages: list[str], title: str | None) -> Extracted:
    texts = [unwrap_page(page) for page in pages]
    if not any(t.strip() for t in texts):
        raise ExtractError(
            _("the PDF has no extractable text (a scan needs OCR before it can be ingested)")
        )
    starts: list[int] = []
    parts: list[str] = []
    position = 0
    for text in texts:
        starts.append(position)
        parts.append(text)
        position += len(text) + 2
    return Extracted(kind="pdf", text="\n\n".join(parts), page_starts=starts, title=title or None)
