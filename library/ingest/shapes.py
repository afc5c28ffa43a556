"""Read what a bilag's text says about itself: the board's header or the news shape.

Two shapes reach the board as text:
- the board's own header: "Flygtningenævnets baggrundsmateriale", then tab- or
  space-separated "Felt:\tværdi" lines (Bilagsnr., Land, Kilde, Titel, Udgivet,
  Optaget på baggrundsmaterialet), then the source as extracted;
- news text whose first line starts " date YYYY-MM" and runs on into the headline.
Anything else is plain text. This module only reads; it returns raw strings with where
each came from, and the ingest service validates them.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BOARD_TITLE = "Flygtningenævnets baggrundsmateriale"

# Header labels (case-insensitive, without the colon) -> metadata field.
HEADER_FIELDS = {
    "bilagsnr.": "number",
    "bilagsnr": "number",
    "bilag nr.": "number",
    "land": "country",
    "kilde": "publisher",
    "titel": "title",
    "udgivet": "published",
    "optaget på baggrundsmaterialet": "intake",
    "optaget": "intake",
    "sprog": "language",
}

_HEADER_LINE = re.compile(r"^([^\t:\n]{1,60}?)\s*:[ \t]*(.*?)\s*$")
_NEWS_DATE = re.compile(r"^\s*date[ \t]+(\d{4}(?:-\d{1,2}){0,2})(?=\s)[ \t]*")
_TEXT_PUBLISHED = re.compile(
    r"^[ \t]*(Publisert|Publiceret|Published|Udgivet)[ \t]*:?[ \t]*"
    r"(\d{1,2}\.\d{1,2}\.\d{2,4}(?:[ \t]+\d{1,2}[:.]\d{2})?|\d{4}-\d{2}-\d{2})[ \t]*$",
    re.M | re.I,
)


class HeaderError(ValueError):
    """The board's header is malformed; the message says where."""


@dataclass
class Found:
    """A metadata value as the text states it, with where it was found."""

    value: str
    origin: str


@dataclass
class ParsedText:
    shape: str  # "board-header", "news" or "plain"
    body_start: int
    fields: dict[str, Found] = field(default_factory=dict)


def parse_text(text: str) -> ParsedText:
    """Recognise the shape of `text` and collect the metadata it states."""
    header = _parse_board_header(text)
    if header is not None:
        return header
    fields: dict[str, Found] = {}
    body_start = 0
    shape = "plain"
    if m := _NEWS_DATE.match(text):
        shape = "news"
        fields["published"] = Found(m.group(1), _("the ' date' line"))
        body_start = m.end()
    # A plainly stated, day-precise publication time ("Publisert: 10.02.19 20:59") near
    # the top is more precise than the month on the date line.
    head = text[: min(len(text), 4000)]
    if m := _TEXT_PUBLISHED.search(head):
        fields["published"] = Found(
            m.group(2), _("the text ('%(line)s')") % {"line": m.group(0).strip()}
        )
    return ParsedText(shape=shape, body_start=body_start, fields=fields)


def _parse_board_header(text: str) -> ParsedText | None:
    lines = text.split("\n")
    offset = 0
    seen_title = False
    fields: dict[str, Found] = {}
    header_end = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        line_end = offset + len(line) + 1
        if not fields:
            if stripped.casefold() == BOARD_TITLE.casefold():
                seen_title = True
            elif stripped and not _HEADER_LINE.match(stripped) and not seen_title:
                return None  # text before any header: not the board's shape
            if index > 30 and not fields:
                return None
        m = _HEADER_LINE.match(stripped) if stripped else None
        label = m.group(1).strip().casefold() if m else None
        if m and label in HEADER_FIELDS:
            name = HEADER_FIELDS[label]
            if name in fields:
                raise HeaderError(
                    _("the header gives %(label)s twice ('%(first)s' and '%(second)s')")
                    % {
                        "label": m.group(1).strip(),
                        "first": fields[name].value,
                        "second": m.group(2),
                    }
                )
            fields[name] = Found(
                m.group(2), _("header field '%(label)s'") % {"label": m.group(1).strip()}
            )
        elif fields:
            header_end = offset
            break
        offset = line_end
    if not fields:
        return None
    if header_end is None:
        header_end = len(text)
    return ParsedText(shape="board-header", body_start=min(header_end, len(text)), fields=fields)


def headline(text: str, limit: int = 250) -> str:
    """A title from a headline or lead paragraph: its first sentence when it is long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    m = re.search(rf"^(.{{20,{limit}}}?[.!?])\s", flat)
    if m:
        return m.group(1)
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"
