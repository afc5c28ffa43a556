"""What the bilag page shows beside the text: boilerplate folded in runs, the counts line,
and the words marked in a passage (the cited words, a search's words, the words found
with the page's own find box).

Marking never changes a passage's text: every piece of it is HTML-escaped on its own and
only then wrapped in `<mark>` (so the browser's textContent, which citing counts in, is
the passage's text exactly).
"""

import dataclasses
import itertools
import re
from collections.abc import Sequence

from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FIND_MAX_LENGTH = 100  # characters of a ?find= term; the rest is dropped

# Kinds of marks, each with its opening tag (fixed strings from the code, never text).
CITED, QUERY, FOUND = "cited", "query", "find"
_ORDER = (CITED, QUERY, FOUND)
_CLASS = {CITED: "cited", QUERY: "", FOUND: "find"}


@dataclasses.dataclass
class Run:
    """Consecutive boilerplate passages, folded together into one line."""

    passages: list
    open: bool = False

    @property
    def first(self) -> int:
        """The ordinal of the run's first passage."""
        return self.passages[0].ordinal

    @property
    def last(self) -> int:
        """The ordinal of the run's last passage."""
        return self.passages[-1].ordinal


@dataclasses.dataclass
class Item:
    """One entry of the page's list: a passage of content, or a run of boilerplate."""

    passage: object = None
    run: Run | None = None


def items(passages: Sequence, opened: int = 0) -> list[Item]:
    """The passages in order, with each run of consecutive boilerplate as one item.

    A run is open when it holds passage `opened` (the cited one) or a found word.
    """
    result: list[Item] = []
    for passage in passages:
        if not passage.boilerplate:
            result.append(Item(passage=passage))
            continue
        if not result or result[-1].run is None:
            result.append(Item(run=Run(passages=[])))
        run = result[-1].run
        run.passages.append(passage)
        if passage.ordinal == opened or getattr(passage, "found", 0):
            run.open = True
    return result


def counts(passages: Sequence) -> dict[str, int]:
    """Passages of content, and lines of boilerplate (folded away)."""
    boilerplate = sum(1 for p in passages if p.boilerplate)
    return {"content": len(passages) - boilerplate, "boilerplate": boilerplate}


def find_term(request: HttpRequest) -> str:
    """The words to find in the bilag (?find=…), trimmed; '' when none."""
    return " ".join(request.GET.get("find", "").split())[:FIND_MAX_LENGTH]


def found_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where `term` occurs in `text`, ignoring case (white space matches any white space)."""
    if not term:
        return []
    pattern = r"\s+".join(re.escape(word) for word in term.split())
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE) if m.end() > m.start()]


def found(passages: Sequence, term: str) -> dict[str, object]:
    """The find box's state: the term, how many matches, the first passage with one."""
    total = sum(getattr(p, "found", 0) for p in passages)
    first = next((p.ordinal for p in passages if getattr(p, "found", 0)), None)
    return {"term": term, "count": total, "first": first}


def _opening(kinds: frozenset) -> str:
    classes = " ".join(_CLASS[k] for k in _ORDER if k in kinds and _CLASS[k])
    return f'<mark class="{classes}">' if classes else "<mark>"


def render(text: str, marks: Sequence[tuple[int, int, str]]) -> SafeString:
    """`text` escaped, with each (start, end, kind) span in a `<mark>` of its kind.

    Spans may overlap: the text is cut at every span's start and end, and each piece is
    marked with the kinds of all spans over it (`<mark class="cited find">`).
    """
    spans = [(max(0, s), min(len(text), e), k) for s, e, k in marks if e > s]
    cuts = sorted({0, len(text), *(s for s, _e, _k in spans), *(e for _s, e, _k in spans)})
    out = []
    for start, end in itertools.pairwise(cuts):
        piece = escape(text[start:end])
        kinds = frozenset(k for s, e, k in spans if s <= start and end <= e)
        out.append(f"{_opening(kinds)}{piece}</mark>" if kinds else piece)
    return mark_safe("".join(out))  # every piece of text above went through escape()
