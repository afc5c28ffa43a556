"""HTML pages: the visible text in reading order, with the ranges that sat in navigation,
footers, cookie and share blocks (flagged as boilerplate later), and the page's own
title and publication date."""

import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from library.ingest.formats.base import (
    Extracted,
    ExtractError,
    clean_text,
    decode_text,
    removed_note,
)


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
    return decode_text(data)[0]


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
# Inline styles that hide an element (a copy of the article for search engines, a menu).
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
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
        self.og_title: str | None = None  # <meta property="og:title">, after <title>
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
        # `<p hidden>` has the attribute without a value (None): its presence hides.
        if (
            "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(attributes.get("style") or "")
        ):
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
        if key == "og:title" and self.og_title is None:
            self.og_title = content


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
        title=" ".join((parser.h1 or parser.title or parser.og_title or "").split()) or None,
        published=published,
    )


def read_html(data: bytes) -> Extracted:
    """The page's visible text (all of it: the article is marked later, nothing is
    thrown away), the article as trafilatura finds it, and what the page says of
    itself: title, date and site name (a publisher hint)."""
    source, removed = clean_text(decode_html(data))
    extracted = _extract_html(source)
    extracted.notes = removed_note(removed)
    extracted.main_text = _main_text(source)
    meta = _metadata(source)
    if meta is not None:
        # A heading of the page's own (<h1>) first, then the page's metadata title.
        if not _has_h1(source):
            extracted.title = " ".join((meta.title or "").split()) or extracted.title
        extracted.published = extracted.published or _day(meta.date)
        extracted.publisher = " ".join((meta.sitename or "").split())[:200] or None
    return extracted


def _main_text(source: str) -> str | None:
    """trafilatura's main text: its precise reading, or its default one when the precise
    one kept under half of what the default found (it sometimes keeps a notice only)."""
    import trafilatura

    def run(**options) -> str:
        return (
            trafilatura.extract(source, output_format="txt", include_comments=False, **options)
            or ""
        )

    precise, default = run(favor_precision=True), run()

    def words(text: str) -> set:
        tokens = re.findall(r"\w+", text.casefold())
        return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}

    if len(words(precise)) < 0.5 * len(words(default)):
        precise = default
    return precise or None


def _metadata(source: str):
    import trafilatura

    try:
        return trafilatura.extract_metadata(source)
    except Exception:  # metadata is a hint: a page it cannot read still has its text
        return None


def _has_h1(source: str) -> bool:
    return re.search(r"<h1[\s>]", source, re.I) is not None


def _day(value: str | None) -> str | None:
    """YYYY-MM-DD from trafilatura's date, when it has one."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", value or "")
    return m.group(1) if m else None
