"""Split a bilag's text into passages and flag boilerplate.

A passage is a paragraph: a run of non-blank lines. Its text is exactly
`full_text[start:end]`, so citations can point into the text as received. Boilerplate
(cookie notices, menus, share buttons, photo captions and credits, datelines, bylines,
breadcrumbs, section labels, link lists, page footers) is flagged with a kind, never
dropped: a caseworker can still see
it, but search and tagging leave it out.
"""

import bisect
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from library.ingest.article import article_mask


@dataclass(frozen=True)
class PassageDraft:
    ordinal: int
    start: int
    end: int
    text: str
    boilerplate_kind: str = ""  # "" for real content
    page: int | None = None

    @property
    def boilerplate(self) -> bool:
        return bool(self.boilerplate_kind)


_COOKIE = re.compile(
    r"\bcookies?\b|\bcookie-|^(yes, i agree|no, take me to settings|accept all|"
    r"accepter alle|godta alle|jeg accepterer|jeg giver samtykke|jeg samtykker)\.?$",
    re.I,
)
_SHARE = re.compile(
    r"^(share this (story|article)|about sharing|del på|tweet|print this page|"
    r"del (denne )?(artikel|artiklen|artikkel|artikkelen))\b",
    re.I,
)
# Names of web-page icons that leak into copied text ("arrow-left", "vg-expand-down").
_UI_TOKENS = re.compile(r"^(?:(?:[a-z]+-)?(?:arrow|expand|chevron|icon)-[a-z-]+\s*)+")
# "Foto: AP", "Photo: Reuters", "Image copyright Getty Images", "(Foto: Scanpix)".
_CREDIT = re.compile(
    r"\b(foto|photo|billede|bilde|image source|image copyright|image caption|getty images)"
    r"\s*:?",
    re.I,
)
# VG-style captions: an upper-case label, a colon, then the caption ("I KAMP: Dette …").
_CAPTION_LABEL = re.compile(r"^[A-ZÆØÅÄÖ0-9][A-ZÆØÅÄÖ0-9 .,'’-]{1,40}:\s")
_DATELINE = re.compile(
    r"^((publisert|publiceret|oppdatert|opdateret|updated|published|sist oppdatert)"
    r"\s*:?\s*.{0,40}|\d{1,2}\.?\s+[A-Za-zæøå]+\.?\s+\d{4}(\s+\d{1,2}[.:]\d{2})?|"
    r"[A-Za-z]+\s+\d{1,2},\s+\d{4})$",
    re.I,
)
# "Home / Latest Updates / Syria", "Forside › Nyheder › Udland": a path of short links.
_BREADCRUMB = re.compile(r"^[^/›>»\n]{1,40}(?:\s+[/›>»]\s+[^/›>»\n]{1,60}){2,6}$")
# "Af Jens Hansen", "Av Kari Nordmann, NTB", "By John Smith | Reuters": who wrote it.
_BYLINE = re.compile(
    r"^(?i:af|av|by|skrevet af|skrevet av|tekst|text|journalist|reporter)\s*:?\s+"
    r"[A-ZÆØÅÄÖÜ][\w.'’-]+(?:\s+(?:[A-ZÆØÅÄÖÜ][\w.'’-]+|von|van|de|af|av|og|and)){0,5}"
    r"(?:\s*[,/|·–-]\s*[\w .@'’-]{1,60})?$",
)
# Words of an agency's or a site's section label above a headline ("NTB utenriks",
# "Relateret indhold Artikler", "Latest Updates"): a label is made of these only.
_SECTION_WORDS = frozenset(
    """
    ntb ritzau afp ap reuters tt dpa anp efe ansa bbc cnn vg dr nrk tv2 tv 2 svt
    utenriks innenriks udland indland udlandet utland inland nyheter nyheder
    nyhet nyhed news world verden politik politikk samfund samfunn konflikt krig
    krigen relateret relaterte relaterade relaterede related indhold innhold
    innehåll content artikler artikkel artiklar artikel articles article latest
    updates update breaking top stories mere mer more læs les read også also
    live
    """.split()  # noqa: SIM905 (one word after the other, not one a line)
)
# Headings that start a page footer: everything from them to the end is footer.
_FOOTER_START = re.compile(
    r"^(related topics|more on this story|relaterede emner|relaterte saker|"
    r"mest læste|mest lest|top stories)$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…\"”»]\s*$")


def classify(text: str) -> str:
    """The boilerplate kind of one paragraph, or "" when it is content."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    flat = " ".join(text.split())
    if _UI_TOKENS.match(flat):
        flat = _UI_TOKENS.sub("", flat)
        if not flat:
            return "share"
    if len(flat) <= 3 or not any(ch.isalpha() for ch in flat):
        return "fragment"
    if any(line.count("\t") >= 3 for line in text.splitlines()) or text.count("\t") >= 5:
        return "menu"
    if len(flat) <= 400 and _COOKIE.search(flat):
        return "cookie"
    if _SHARE.search(flat):
        return "share"
    if (
        _CAPTION_LABEL.match(flat)
        and len(flat) <= 600
        and (_CREDIT.search(flat) or len(flat) <= 300)
    ):
        return "caption"
    if len(flat) <= 300 and _CREDIT.search(flat) and re.search(r"\b(foto|photo)\s*:", flat, re.I):
        return "caption"
    if len(flat) <= 300 and re.match(r"(image|media) (copyright|source|caption)\b", flat, re.I):
        return "caption"
    words = flat.split()
    if len(words) <= 4 and not any(ch.islower() for ch in flat):
        return "credit"  # "REUTERS TV", "AFP", stray upper-case labels
    if len(flat) <= 60 and _DATELINE.match(flat):
        return "dateline"
    if len(flat) <= 100 and _BYLINE.match(flat):
        return "byline"
    if len(flat) <= 200 and "\n" not in text.strip() and _BREADCRUMB.match(flat):
        return "breadcrumb"
    if len(words) <= 5 and all(w.casefold().strip(".,:|–-") in _SECTION_WORDS for w in words):
        return "section"
    if (
        len(lines) >= 2
        and all(re.match(r"^[-•*]\s", line) for line in lines)
        and not any(_SENTENCE_END.search(line) for line in lines)
    ):
        return "links"
    return ""


class PassageTable(Sequence[PassageDraft]):
    """A text's passages as offsets and kind codes: about 20 bytes a passage, whatever
    their number, where a list of PassageDraft objects (with their texts) took some 350.

    Reads as a sequence of PassageDraft, each made (and its text sliced from the full
    text) when it is read, so that a file of a million short paragraphs is never held
    as a million objects (bench/many_paragraphs.py).
    """

    def __init__(self, text: str, paged: bool = False):
        self.text = text
        self._starts = array("q")
        self._ends = array("q")
        self._kinds = bytearray()  # an index into _names
        self._pages = array("q") if paged else None
        self._names = [""]
        self._codes = {"": 0}

    def append(self, start: int, end: int, kind: str, page: int | None = None) -> None:
        self._starts.append(start)
        self._ends.append(end)
        self._kinds.append(self._code(kind))
        if self._pages is not None:
            self._pages.append(page or 0)

    def _code(self, kind: str) -> int:
        code = self._codes.get(kind)
        if code is None:
            code = self._codes[kind] = len(self._names)
            self._names.append(kind)
        return code

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start, end = self._starts[index], self._ends[index]
        return PassageDraft(
            ordinal=range(len(self))[index] + 1,
            start=start,
            end=end,
            text=self.text[start:end],
            boilerplate_kind=self._names[self._kinds[index]],
            page=self._pages[index] if self._pages is not None else None,
        )

    def __iter__(self) -> Iterator[PassageDraft]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # mutable

    def spans(self) -> Iterator[tuple[int, int, int, str, int | None]]:
        """(ordinal, start, end, kind, page) of each passage, in order, made as read."""
        pages = self._pages
        for i, (start, end, code) in enumerate(
            zip(self._starts, self._ends, self._kinds, strict=True)
        ):
            yield i + 1, start, end, self._names[code], pages[i] if pages is not None else None

    def text_of(self, index: int) -> str:
        return self.text[self._starts[index] : self._ends[index]]

    def kind(self, index: int) -> str:
        return self._names[self._kinds[index]]

    def set_kind(self, index: int, kind: str) -> None:
        self._kinds[index] = self._code(kind)

    def content(self) -> "ContentTexts":
        """The texts of the passages that are not boilerplate, in order (made as read)."""
        return ContentTexts(self, array("q", (i for i, k in enumerate(self._kinds) if not k)))


class ContentTexts(Sequence[str]):
    """The content passages' texts of a PassageTable, each sliced when it is read; `ordinal(i)`
    is the passage number of the i-th."""

    def __init__(self, table: PassageTable, indexes: array):
        self._table, self._indexes = table, indexes

    def __len__(self) -> int:
        return len(self._indexes)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._table.text_of(self._indexes[index])

    def __iter__(self) -> Iterator[str]:
        return (self._table.text_of(i) for i in self._indexes)

    def ordinal(self, index: int) -> int:
        return self._indexes[index] + 1


def split_passages(
    text: str,
    *,
    start: int = 0,
    page_starts: list[int] | None = None,
    hints: list[tuple[int, int, str]] | None = None,
    article: str | None = None,
) -> PassageTable:
    """Paragraphs of text[start:] in reading order, numbered from 1 (a PassageTable: a
    sequence of PassageDraft).

    `page_starts` (offsets where each PDF page begins) gives each passage its page;
    `hints` (ranges the markup marked as navigation, footer…) flag what they cover.
    `article` (a web page's main text, as trafilatura found it) decides instead which
    passages are content (library.ingest.article); the rest are flagged with the kind
    Baggrund's own reading gave them, or "extra" (outside the article).
    """
    table = _own_reading(text, start, page_starts, hints)
    if article is None:
        return table
    flagged = [bool(table.kind(i)) for i in range(len(table))]
    mask = article_mask([table.text_of(i) for i in range(len(table))], flagged, article)
    if any(mask):
        for i, keep in enumerate(mask):
            table.set_kind(i, "" if keep else (table.kind(i) or "extra"))
    elif all(flagged):
        # Neither the extractor nor Baggrund's reading found an article: a page is never
        # refused for that, so everything but fragments is read as content.
        for i in range(len(table)):
            if table.kind(i) != "fragment":
                table.set_kind(i, "")
    return table


def _own_reading(text, start, page_starts, hints) -> PassageTable:
    """The paragraphs with the kinds Baggrund's own rules give them (hints, classify,
    a footer heading, a topic link the footer repeats)."""
    table = PassageTable(text, paged=bool(page_starts))
    in_footer = False
    hint_kind = _HintSweep(hints)
    for p_start, p_end in _paragraph_spans(text, start):
        body = text[p_start:p_end]
        kind = hint_kind(p_start, p_end) or classify(body)
        if not kind and _FOOTER_START.match(" ".join(body.split())):
            in_footer = True
        if in_footer:
            kind = kind or "footer"
        page = bisect.bisect_right(page_starts, p_start) if page_starts else None
        table.append(p_start, p_end, kind, page)
    _footer_links_as_menu(table)
    return table


def _footer_links_as_menu(table: PassageTable) -> None:
    """A topic link near the top that the page's footer repeats ("Syrian civil war") is
    navigation, not the article. The footer's texts are kept by hash (then compared),
    not as a set of copies."""
    footer: dict[int, list[int]] = {}
    for i in range(len(table)):
        if table.kind(i) == "footer":
            footer.setdefault(hash(table.text_of(i).casefold()), []).append(i)
    if not footer:
        return
    for i in range(len(table)):
        if table.kind(i):
            continue
        text = table.text_of(i)
        key = text.casefold()
        same = footer.get(hash(key), ())
        if (
            same
            and not _SENTENCE_END.search(text)
            and any(table.text_of(j).casefold() == key for j in same)
        ):
            table.set_kind(i, "menu")


MAX_PASSAGE_CHARS = 8000  # a longer paragraph is cut between sentences (see _bounded)
_CUT = re.compile(r"[.!?…:;»”\"')\]]\s+|\s+")


def _bounded(text: str, p_start: int, p_end: int) -> list[tuple[int, int]]:
    """One paragraph as spans of at most MAX_PASSAGE_CHARS, cut after the last sentence
    end (else the last space) before the limit: a megabyte on one line becomes citable
    passages, and tagging and indexing work on bounded pieces."""
    spans = []
    while p_end - p_start > MAX_PASSAGE_CHARS:
        limit = p_start + MAX_PASSAGE_CHARS
        window = text[limit - MAX_PASSAGE_CHARS // 2 : limit]
        cuts = [m for m in _CUT.finditer(window) if not m.group().isspace()]
        cut = cuts[-1] if cuts else next(reversed(list(_CUT.finditer(window))), None)
        if cut is None:  # no space in half the limit: cut the run of characters
            end = next_start = limit
        else:
            base = limit - MAX_PASSAGE_CHARS // 2
            end = base + cut.start() + len(cut.group().rstrip())
            next_start = base + cut.end()
        spans.append((p_start, end))
        p_start = next_start
    spans.append((p_start, p_end))
    return spans


def _paragraph_spans(text: str, start: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-blank lines, trimmed of surrounding white space,
    and no longer than MAX_PASSAGE_CHARS (_bounded), one at a time.

    Walks lines rather than using one regular expression, so that hostile input (a
    megabyte of spaces on one line) costs linear time.
    """
    block_start = block_end = None
    position = start
    length = len(text)
    while position <= length:
        newline = text.find("\n", position)
        line_end = length if newline == -1 else newline
        line = text[position:line_end]
        stripped = line.strip()
        if stripped:
            first = position + (len(line) - len(line.lstrip()))
            last = position + len(line.rstrip())
            if block_start is None:
                block_start = first
            block_end = last
        elif block_start is not None:
            yield from _bounded(text, block_start, block_end)
            block_start = None
        if newline == -1:
            break
        position = newline + 1
    if block_start is not None:
        yield from _bounded(text, block_start, block_end)


class _HintSweep:
    """The kind of the first hint (in the markup's order) that covers most of a
    paragraph, for paragraphs asked in reading order: hints are taken in order of their
    start and dropped once ended, so a page of many hints costs linear time, not
    paragraphs x hints."""

    def __init__(self, hints: list[tuple[int, int, str]] | None):
        self._waiting = sorted(enumerate(hints or ()), key=lambda item: item[1][0], reverse=True)
        self._open: list[tuple[int, tuple[int, int, str]]] = []

    def __call__(self, start: int, end: int) -> str:
        while self._waiting and self._waiting[-1][1][0] < end:
            self._open.append(self._waiting.pop())
        if not self._open:
            return ""
        self._open = [item for item in self._open if item[1][1] > start]
        for _order, (h_start, h_end, kind) in sorted(self._open):
            # Most of the paragraph inside the marked range.
            overlap = min(end, h_end) - max(start, h_start)
            if overlap > 0 and overlap >= 0.5 * (end - start):
                return kind
        return ""
