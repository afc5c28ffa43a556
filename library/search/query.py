"""What a caseworker types into the search box, read the way web search engines read it.

    flygtningelejr          a word (stemmed in every language)
    "al-Hol lejren"         an exact phrase (stemmed, in order)
    lejr OR leir            either word; OR binds tighter than the space between words
    -Irak  -"Islamisk Stat" leave out passages with that word or phrase
    flygt*                  a word beginning with flygt (at least three letters)

This is PostgreSQL's `websearch_to_tsquery` syntax, parsed here rather than in the
database for two reasons: every malformed query gets a message saying what is wrong
instead of being silently reinterpreted, and each word is turned into its stems in every
language separately, so that a leave-out holds whatever language a passage is in (ORing
whole per-language queries would let a Danish passage pass the English branch).
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


@dataclasses.dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in order) or a prefix."""

    words: tuple[str, ...]  # lower-case words, as typed
    prefix: bool = False
    typed: str = dataclasses.field(default="", compare=False)  # as typed, for PostgreSQL

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
    ignored: tuple[str, ...] = ()  # stop words dropped from the query

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


def _term(token: _Token) -> Term | None:
    found = tuple(word.lower() for word in languages.words(token.text))
    if not found:
        return None
    if not token.phrase and token.text.endswith("*"):
        if len(found) != 1 or len(found[0]) < MIN_PREFIX_LENGTH:
            raise QueryError(
                _("A * search needs at least %(n)s letters before the *: %(word)s")
                % {"n": MIN_PREFIX_LENGTH, "word": token.text}
            )
        return Term(found, prefix=True)
    return Term(found, typed=token.text.strip())


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


def parse(raw: str) -> Query:
    """Read a query; raises QueryError with a message for the caseworker."""
    raw = _cleaned(raw)
    tokens = _tokens(raw)

    required: list[list[Term]] = []
    excluded: list[Term] = []
    ignored: list[str] = []
    pending_or = False
    for index, token in enumerate(tokens):
        if token.kind == "or":
            if index == 0 or index == len(tokens) - 1 or tokens[index + 1].kind == "or":
                raise QueryError(_("OR needs a word on each side, e.g. lejr OR leir."))
            if tokens[index - 1].negated or tokens[index + 1].negated:
                raise QueryError(
                    _("A left-out word (-word) cannot be part of an OR; write it on its own.")
                )
            if not required:
                continue  # the word before it was too common and was dropped
            pending_or = True
            continue
        term = _term(token)
        if (
            term is not None
            and not term.prefix
            and not term.is_phrase
            and stems.is_stopword_anywhere(term.words[0])
        ):
            ignored.append(term.words[0])
            term = None
        if term is None:
            if pending_or:
                # "lejr OR og": drop the OR with the word it joined.
                pending_or = False
            continue
        if token.negated:
            excluded.append(term)
        elif pending_or:
            required[-1].append(term)
            pending_or = False
        else:
            required.append([term])
    _refuse_unsearchable(required, excluded, ignored)
    return Query(
        raw=raw,
        required=tuple(tuple(clause) for clause in required),
        excluded=tuple(excluded),
        ignored=tuple(dict.fromkeys(ignored)),
    )


def _refuse_unsearchable(required, excluded, ignored) -> None:
    """Too many terms, or nothing left to look for: a QueryError saying which."""
    terms = sum(len(clause) for clause in required) + len(excluded)
    if terms > MAX_TERMS:
        raise QueryError(
            _("The query has %(count)s words or phrases; the limit is %(limit)s.")
            % {"count": terms, "limit": MAX_TERMS}
        )
    if not required:
        if ignored:
            raise QueryError(
                _("%(words)s: too common to search for. Add a more specific word.")
                % {"words": ", ".join(dict.fromkeys(ignored))}
            )
        if excluded:
            raise QueryError(
                _("Say what to look for, not only what to leave out (e.g. lejr -Irak).")
            )
        raise QueryError(_("The query has no letters or digits to search for."))
