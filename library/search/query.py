"""What a caseworker types into the search box, read the way web search engines read it.

    flygtningelejr          a word (matched in each language with its own analysis)
    "al-Hol lejren"         an exact phrase (stemmed, in order, stop words kept)
    lejr OR leir            either word; OR binds tighter than the space between words
    -Irak  -"Islamisk Stat" leave out passages with that word or phrase
    flygt*                  a word beginning with flygt (at least three letters)
    IS  SDF  PKK            an all-capital word is an acronym, matched as written

Parsed here rather than by the engine's own parser so that every malformed query gets a
message saying what is wrong instead of being silently reinterpreted;
library.search.compile turns the result into the engine's query.
"""

import dataclasses
import unicodedata

from django.utils.translation import gettext as _

from library import languages
from library.search import stems

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MIN_PREFIX_LENGTH = 3

_QUOTES = {"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‟": '"', "″": '"'}


class QueryError(ValueError):
    """The query cannot be searched; the message says why and what to do."""


class NothingToSearch(QueryError):
    """A query read as typed that leaves nothing to look for (common words only, only
    left-out words, no letters): the search page answers it with its advice (HTTP 200),
    where a query it cannot read is a 400."""


@dataclasses.dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in order) or a prefix."""

    words: tuple[str, ...]  # lower-case words, as typed
    prefix: bool = False
    typed: str = dataclasses.field(default="", compare=False)  # as typed
    acronym: str = ""  # an all-capital word as typed (IS, SDF): matched case-sensitively
    quoted: bool = dataclasses.field(default=False, compare=False)  # "…" as typed

    @property
    def source(self) -> str:
        return self.typed or " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        if self.prefix:
            return joined + "*"
        return f'"{joined}"' if self.is_phrase else joined


@dataclasses.dataclass(frozen=True)
class Query:
    """Required clauses (each: one term, or several joined by OR) and left-out terms."""

    raw: str
    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    ignored: tuple[str, ...] = ()  # common words: dropped in the languages of their stop list
    most: bool = False  # relaxed: passages with all clauses but one (see relaxed())

    def positive_terms(self) -> list[Term]:
        return [term for clause in self.required for term in clause]

    def __bool__(self) -> bool:
        return bool(self.required)


@dataclasses.dataclass
class _Token:
    kind: str  # "term" or "or"
    text: str = ""
    negated: bool = False
    phrase: bool = False


def _tokens(raw: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-":
            if i + 1 >= n or raw[i + 1].isspace():
                raise QueryError(
                    _(
                        "A minus must be followed directly by the word to leave out, "
                        "e.g. -Irak (a lone '-' was found)."
                    )
                )
            negated = True
            i += 1
            ch = raw[i]
        if ch == '"':
            end = raw.find('"', i + 1)
            if end < 0:
                raise QueryError(
                    _(
                        'A quotation mark is not closed: put a " at the end of the phrase '
                        "that starts with %(start)s."
                    )
                    % {"start": raw[i : i + 20]}
                )
            tokens.append(_Token("term", raw[i + 1 : end], negated=negated, phrase=True))
            i = end + 1
            continue
        j = i
        while j < n and not raw[j].isspace() and raw[j] != '"':
            j += 1
        word = raw[i:j]
        i = j
        if not negated and word.upper() in {"OR", "|"}:
            tokens.append(_Token("or"))
        else:
            tokens.append(_Token("term", word, negated=negated))
    return tokens


def is_acronym(word: str) -> bool:
    """IS, SDF, PKK, ISIL, YPG: two or more capitals and no small letter."""
    return sum(ch.isupper() for ch in word) >= 2 and not any(ch.islower() for ch in word)


def _term(token: _Token) -> Term | None:
    written = languages.words(token.text)
    found = tuple(word.lower() for word in written)
    if not found:
        return None
    if len(written) == 1 and is_acronym(written[0]) and not token.text.endswith("*"):
        return Term(found, typed=token.text.strip(), acronym=written[0])
    if not token.phrase and token.text.endswith("*"):
        if len(found) != 1 or len(found[0]) < MIN_PREFIX_LENGTH:
            raise QueryError(
                _("A * search needs at least %(n)s letters before the *: %(word)s")
                % {"n": MIN_PREFIX_LENGTH, "word": token.text}
            )
        return Term(found, prefix=True)
    return Term(found, typed=token.text.strip(), quoted=token.phrase)


def _cleaned(raw: str) -> str:
    """The query with control characters as spaces and typographic quotes as '"'."""
    if "\x00" in raw:
        raise QueryError(_("The query contains a NUL character, which cannot be searched."))
    raw = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else _QUOTES.get(ch, ch) for ch in raw
    ).strip()
    if not raw:
        raise QueryError(_("Type one or more words to search for."))
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("The query is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(raw), "limit": MAX_QUERY_LENGTH}
        )
    return raw


def is_common(term: Term) -> bool:
    """A single word that some language drops as a stop word (og, i, the, is)."""
    return (
        not term.prefix
        and not term.is_phrase
        and not term.acronym
        and stems.is_stopword_anywhere(term.words[0])
    )


# The languages caseworkers type queries in: a query of only their stop words is
# refused; one of another language's stop words alone ("war", German "was") is searched.
QUERY_CONFIGS = ("danish", "norwegian", "english")


def _common_where_typed(term: Term) -> bool:
    return is_common(term) and any(
        term.words[0] in stems.stopwords(config) for config in QUERY_CONFIGS
    )


def _joined_by_or(tokens: list[_Token], index: int) -> bool:
    before = index > 0 and tokens[index - 1].kind == "or"
    after = index + 1 < len(tokens) and tokens[index + 1].kind == "or"
    return before or after


def _check_or(tokens: list[_Token], index: int) -> None:
    if index == 0 or index == len(tokens) - 1 or tokens[index + 1].kind == "or":
        raise QueryError(_("OR needs a word on each side, e.g. lejr OR leir."))
    if tokens[index - 1].negated or tokens[index + 1].negated:
        raise QueryError(_("A left-out word (-word) cannot be part of an OR; write it on its own."))


def parse(raw: str) -> Query:
    """Read a query; raises QueryError with a message for the caseworker.

    A common word (a stop word in some language) on its own is kept: library.search.
    compile drops it only in the languages where it is a stop word. As one side of an
    OR it is dropped with the OR ("lejr OR og" is "lejr"), since in those languages it
    would let every passage through.
    """
    raw = _cleaned(raw)
    tokens = _tokens(raw)
    required: list[list[Term]] = []
    excluded: list[Term] = []
    ignored: list[str] = []
    pending_or = False
    last_kept = False  # whether the term before an OR is in `required`
    for index, token in enumerate(tokens):
        if token.kind == "or":
            _check_or(tokens, index)
            pending_or = last_kept
            continue
        term = _term(token)
        if term is not None and not token.negated and is_common(term):
            ignored.append(term.words[0])
            if _joined_by_or(tokens, index):
                term = None
        if term is None:
            pending_or = last_kept = False
            continue
        if token.negated:
            excluded.append(term)
            last_kept = False
        elif pending_or:
            required[-1].append(term)
            pending_or, last_kept = False, True
        else:
            required.append([term])
            last_kept = True
    _refuse_unsearchable(required, excluded, ignored)
    return Query(
        raw=raw,
        required=tuple(tuple(clause) for clause in required),
        excluded=tuple(excluded),
        ignored=tuple(dict.fromkeys(ignored)),
    )


def _refuse_unsearchable(required, excluded, ignored) -> None:
    """Too many terms, or nothing left to look for: a QueryError saying which.

    Common words do not count towards the limit, and a query of common words only is
    refused: in the languages where they are not stop words they are rarely what is meant.
    """
    terms = sum(1 for clause in required for t in clause if not is_common(t)) + len(excluded)
    if terms > MAX_TERMS:
        raise QueryError(
            _("The query has %(count)s words or phrases; the limit is %(limit)s.")
            % {"count": terms, "limit": MAX_TERMS}
        )
    if all(len(clause) == 1 and _common_where_typed(clause[0]) for clause in required):
        if ignored:
            raise NothingToSearch(
                _("%(words)s: too common to search for. Add a more specific word.")
                % {"words": ", ".join(dict.fromkeys(ignored))}
            )
        if excluded:
            raise NothingToSearch(
                _("Say what to look for, not only what to leave out (e.g. lejr -Irak).")
            )
        raise NothingToSearch(_("The query has no letters or digits to search for."))


def relaxed(query: Query) -> Query | None:
    """The query a search that found nothing tries next, or None when there is none.

    Words joined by a hyphen or an apostrophe as typed ("IS-kvinder") become words of
    their own, and a passage needs all the clauses but one (`most`): "fordrevne Irak"
    then finds passages with either word, those with both (none here) first. A quoted
    phrase stays a phrase; a query of one clause is not relaxed.
    """
    clauses: list[tuple[Term, ...]] = []
    for clause in query.required:
        if len(clause) == 1 and clause[0].is_phrase and not clause[0].quoted:
            words = languages.words(clause[0].typed) or list(clause[0].words)
            for word in words:
                term = _term(_Token("term", word))
                if term is not None and not (is_common(term) and len(words) > 1):
                    clauses.append((term,))
        else:
            clauses.append(clause)
    if len(clauses) < 2:
        return None
    return dataclasses.replace(query, required=tuple(clauses), most=True)
