"""How a citation reads beside its bilag as the library holds it now.

The cut marks ("[…]", as Danish legal practice marks an omission), the stored context cut
at whole words, what changed in the bilag's reference since it was cited (from what to
what) and the reference as it stood when cited. The functions take a `Citation` (with
`passage__bilag__publisher` loaded) and never import the models, which call them.
"""

import re

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

CUT = "[…]"  # an omission, in every output (HTML sheet, plain-text sheet, case page)


def _quoted(text: str) -> str:
    """A title or a name in the UI language's quotation marks (Danish »…«)."""
    return _("“%(text)s”") % {"text": text}


def words_after(text: str, cut_mid_word: bool) -> str:
    """`text` from its first whole word: a word cut off at the start is dropped."""
    if cut_mid_word:
        space = re.search(r"\s", text)
        text = text[space.start() :] if space else ""
    return text.lstrip()


def words_before(text: str, cut_mid_word: bool) -> str:
    """`text` up to its last whole word: a word cut off at the end is dropped."""
    if cut_mid_word:
        space = re.search(r"\s\S*\Z", text)
        text = text[: space.start()] if space else ""
    return text.rstrip()


def cut_inside_word(left: str, right: str) -> bool:
    """Whether a cut between these two characters falls inside a word."""
    return bool(left) and bool(right) and not left.isspace() and not right.isspace()


def context_before(citation) -> str:
    """The stored text before the quote, from its first whole word where the passage
    goes on before it (the reader sees "[…]" there, never half a word)."""
    before = citation.before
    if not citation.context_cut_before:
        return before
    text = citation.passage.text
    begin = citation.start - len(before)
    if text[begin : citation.start] == before:
        mid_word = cut_inside_word(text[begin - 1 : begin], before[:1])
    else:  # the passage changed since: assume the worst
        mid_word = not before[:1].isspace()
    return words_after(before, mid_word)


def context_after(citation) -> str:
    """The stored text after the quote, up to its last whole word where the passage
    goes on after it."""
    after = citation.after
    if not citation.context_cut_after:
        return after
    text = citation.passage.text
    stop = citation.end + len(after)
    if text[citation.end : stop] == after:
        mid_word = cut_inside_word(after[-1:], text[stop : stop + 1])
    else:
        mid_word = not after[-1:].isspace()
    return words_before(after, mid_word)


def reference_changes(citation) -> list[str]:
    """What of the bilag's reference changed after citing, each from what to what:
    ["title changed from “Old” to “New”", …] (publisher, title, published, intake)."""
    bilag = citation.passage.bilag
    found = []
    publisher = bilag.publisher.name if bilag.publisher else ""
    if publisher != citation.publisher:
        unknown = _("unknown")
        found.append(
            _("publisher changed from %(old)s to %(new)s")
            % {
                "old": _quoted(citation.publisher) if citation.publisher else unknown,
                "new": _quoted(publisher) if publisher else unknown,
            }
        )
    if bilag.title != citation.title:
        found.append(
            _("title changed from %(old)s to %(new)s")
            % {"old": _quoted(citation.title), "new": _quoted(bilag.title)}
        )
    if (bilag.published, bilag.published_precision) != (
        citation.published,
        citation.published_precision,
    ):
        found.append(
            _("publication date changed from %(old)s to %(new)s")
            % {"old": citation.published_display(), "new": bilag.published_display()}
        )
    if bilag.intake != citation.intake:
        found.append(
            _("intake date changed from %(old)s to %(new)s")
            % {"old": citation.intake_display(), "new": bilag.intake_display()}
        )
    return found


def as_cited(citation) -> str:
    """The reference as it stood when cited, one line for every output."""
    return _(
        "As cited: %(publisher)s, “%(title)s”, published %(published)s, intake %(intake)s."
    ) % {
        "publisher": citation.publisher or _("unknown publisher"),
        "title": citation.title,
        "published": citation.published_display(),
        "intake": citation.intake_display(),
    }


def problems(citation) -> list[str]:
    """What has changed in the library since the citation was made, worded for the reader."""
    found = []
    passage = citation.passage
    bilag = passage.bilag
    if passage.text[citation.start : citation.end] != citation.quote:
        found.append(_("The quoted text no longer matches the passage."))
    if bilag.is_withdrawn:
        found.append(
            _("Bilag %(number)s was withdrawn on %(date)s: %(reason)s")
            % {
                "number": bilag.number,
                "date": date_format(bilag.withdrawn_on, "DATE_FORMAT"),
                "reason": bilag.withdrawn_reason,
            }
        )
    changes = reference_changes(citation)
    if changes:
        found.append(capfirst("; ".join(changes)) + ".")
    return found
