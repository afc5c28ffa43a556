"""Snippets with the query's words marked, built safely.

The passage text is cut into pieces at word boundaries; every piece is HTML-escaped on
its own and only then are `<mark>` and `</mark>` put around the pieces that match. No
text from a bilag or a query reaches the page any other way. A word is marked by the
same analysis that matched it (library.search.engine): its term in the passage's
language equals a query word's term in that language (so "lejrene" is marked for the
query "lejr"), it is a query acronym as written, or it starts with a query prefix.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from library import languages
from library.search import engine, stems
from library.search.query import Query

SNIPPET_LENGTH = 320  # characters of passage text shown in a hit
LEAD = 80  # characters kept before the first marked word
ELLIPSIS = "…"


def _targets(query: Query | None, config: str):
    terms: set[str] = set()
    acronyms: set[str] = set()
    prefixes: list[str] = []
    if query is None:
        return terms, acronyms, ()
    stop = stems.stopwords(config)
    for term in query.positive_terms():
        if term.prefix:
            prefixes.append(term.words[0])
        elif term.acronym:
            acronyms.add(term.acronym)
        else:
            for word in term.words:
                if word not in stop:  # dropped here; in a phrase, "mod" is not marked
                    terms.update(engine.analyze(word, config))
    return terms, acronyms, tuple(prefixes)


def _analysed(words: list[str], config: str) -> list[str]:
    """Each word's term in `config` ('' where the analysis makes none)."""
    joined = engine.analyze(" ".join(words), config)
    if len(joined) == len(words):
        return joined
    return [(engine.analyze(word, config) or [""])[0] for word in words]


def marked_spans(text: str, language: str, query: Query | None) -> list[tuple[int, int]]:
    """Character spans of the words in `text` that the query matches."""
    config = languages.config_for(language)
    terms, acronyms, prefixes = _targets(query, config)
    if not terms and not acronyms and not prefixes:
        return []
    found = list(languages.WORD_RE.finditer(text))
    lowered = [m.group().lower() for m in found]
    analysed = _analysed(lowered, config) if terms else [""] * len(found)
    spans = []
    for match, word, term in zip(found, lowered, analysed, strict=True):
        if (
            (term and term in terms)
            or match.group() in acronyms
            or (prefixes and word.startswith(prefixes))
        ):
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
