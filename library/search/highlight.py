"""Snippets with the query's words marked, built safely.

The passage text is cut into pieces at word boundaries; every piece is HTML-escaped on
its own and only then are `<mark>` and `</mark>` put around the pieces that match. No
text from a bilag or a query reaches the page any other way. A word matches when its
stem in the passage's language is a stem of a query word in that language (so
"lejrene" is marked for the query "lejr"), or when it starts with a query prefix.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from library import languages
from library.search import stems
from library.search.query import Query

SNIPPET_LENGTH = 320  # characters of passage text shown in a hit
LEAD = 80  # characters kept before the first marked word
ELLIPSIS = "…"


def _targets(query: Query | None, config: str) -> tuple[set[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    if query is None:
        return exact, ()
    for term in query.positive_terms():
        if term.prefix:
            prefixes.append(term.words[0])
            continue
        for word in term.words:
            if stems.is_stopword_anywhere(word) and term.is_phrase:
                continue  # "kamp mod isis": mark the words, not every "mod"
            stem = stems.stem(word, config)
            if stem:
                exact.add(stem)
            exact.add(word)
    return exact, tuple(prefixes)


def marked_spans(text: str, language: str, query: Query | None) -> list[tuple[int, int]]:
    """Character spans of the words in `text` that the query matches."""
    config = languages.config_for(language)
    exact, prefixes = _targets(query, config)
    if not exact and not prefixes:
        return []
    found = list(languages.WORD_RE.finditer(text))
    lowered = [m.group().lower() for m in found]
    stemmed = languages.stem_tokens(lowered, config)
    spans = []
    for match, word, stem in zip(found, lowered, stemmed, strict=True):
        if stem in exact or word in exact or (prefixes and word.startswith(prefixes)):
            spans.append(match.span())
    return spans


def _window(text: str, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    if len(text) <= length:
        return 0, len(text)
    start = max(0, spans[0][0] - LEAD) if spans else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def render(
    text: str,
    spans: list[tuple[int, int]],
    start: int = 0,
    end: int | None = None,
    mark: str = "<mark>",
):
    """Escape each piece of text[start:end], then wrap the marked spans in `mark`.

    `mark` is a fixed opening tag from the code (`<mark class="cited">`), never text.
    """
    end = len(text) if end is None else end
    out = [ELLIPSIS if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[position:span_start]))
        out.append(mark + escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    out.append(ELLIPSIS if end < len(text) else "")
    return mark_safe("".join(out))  # every piece of text above went through escape()


def snippet(
    text: str, language: str, query: Query | None, length: int = SNIPPET_LENGTH
) -> SafeString:
    """Up to `length` characters of the passage around its first match, words marked."""
    return snippet_window(text, language, query, length)[0]


def snippet_window(
    text: str, language: str, query: Query | None, length: int = SNIPPET_LENGTH
) -> tuple[SafeString, int, int]:
    """The snippet, and where its text starts and ends in the passage (for citing)."""
    spans = marked_spans(text, language, query)
    start, end = _window(text, spans, length)
    return render(text, spans, start, end), start, end
