"""A parsed query and the search filters, as one Tantivy query.

A word is matched in each language with that language's analysis only, against the
passages in that language (their `text_<config>` field):

    krigere  ->  text_danish:kriger | text_norwegian:kriger | text_english:krigere | …

so Danish "krigere" never meets Norwegian "krig". A word that is a stop word in a
language is dropped there only: in that language the clause holds for every passage, in
the others it is searched. A phrase keeps its stop words. Acronyms (IS, SDF, PKK) are
matched as written in every language (the `acronym` field); a capitalised word the
library never writes so is read as a word. Prefixes (`flygt*`) match any passage's
unstemmed words. A left-out word or phrase removes a passage in any language.

Whole query, per language configuration L of the library (C: the clauses with a word
or phrase; G: those of acronyms and prefixes only):

    AND(G)  AND  OR over L of ( language in L  AND  AND over c in C not dropped in L )
            AND NOT (any left-out form)  AND filters

Filters and the language restriction score nothing; the words score BM25, each passage
weighted by its length (engine.PRIOR_CAP).
"""

import dataclasses
from collections.abc import Mapping

import tantivy

from library import languages
from library.models import Bilag
from library.search import engine, stems
from library.search.filters import WITHDRAWN
from library.search.index import day_number
from library.search.query import Query, Term

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
_term_q = tantivy.Query.term_query
_S = engine.SCHEMA
# The languages of each configuration ("norwegian": nb and nn).
_CODES = {
    config: [lang.code for lang in languages.LANGUAGES if lang.config == config]
    for config in languages.CONFIGS
}
_DROPPED = object()  # the word is a stop word of this language: the clause holds here


def _all(parts: list) -> tantivy.Query:
    if len(parts) == 1 and parts[0][0] == Must:
        return parts[0][1]
    return tantivy.Query.boolean_query(parts)


def _any(queries: list) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(Should, q) for q in queries])


def _silent(query: tantivy.Query) -> tantivy.Query:
    """A condition that scores nothing (filters, language)."""
    return tantivy.Query.const_score_query(query, 0.0)


def tagged(topic_ids) -> tantivy.Query:
    """Passages tagged with any of these topics. Term queries, not a term set: Tantivy
    reads a term set into a bitset of the whole index first (bench/README.md)."""
    return _any([_term_q(_S, "topic", pk) for pk in topic_ids])


def is_free(term: Term) -> bool:
    """Matched the same way in every language (an acronym or a prefix)."""
    return term.prefix or bool(term.acronym)


def free_form(term: Term) -> tantivy.Query:
    if term.prefix:
        return tantivy.Query.regex_query(_S, "words", f"{_regex_literal(term.words[0])}.*")
    return tantivy.Query.term_query(_S, "acronym", term.acronym)


def _regex_literal(word: str) -> str:
    # Words are letters and digits only (languages.WORD_RE); escape anything else.
    return "".join(ch if ch.isalnum() else f"\\{ch}" for ch in word)


def language_form(term: Term, config: str):
    """The term in one language's field; _DROPPED for a stop word of that language."""
    field = engine.TEXT_FIELDS[config]
    if not term.is_phrase and term.words[0] in stems.stopwords(config):
        return _DROPPED
    analysed = [token for word in term.words for token in engine.analyze(word, config)]
    if not analysed:
        return None  # only characters the analysis drops (a word over LONGEST_WORD)
    if len(analysed) == 1:
        return tantivy.Query.term_query(_S, field, analysed[0])
    return tantivy.Query.phrase_query(_S, field, analysed)


def _clause_in(clause, config: str, extra: list):
    """One clause in one language: the OR of its forms; None when it is dropped there."""
    forms = list(extra)
    for term in clause:
        form = free_form(term) if is_free(term) else language_form(term, config)
        if form is _DROPPED:
            return None
        if form is not None:
            forms.append(form)
    return _any(forms) if forms else tantivy.Query.empty_query()


def read_acronyms(query: Query, searcher: tantivy.Searcher, filters=()) -> Query:
    """The query with each acronym that no passage under the filters writes so (NATO
    where the library writes Nato) read as a word instead."""

    def written(acronym: str) -> bool:
        found = combine(_term_q(_S, "acronym", acronym), list(filters), [])
        return searcher.search(found, limit=1, count=True).count > 0

    def checked(term: Term) -> Term:
        if term.acronym and not written(term.acronym):
            return dataclasses.replace(term, acronym="")
        return term

    return dataclasses.replace(
        query,
        required=tuple(tuple(checked(t) for t in clause) for clause in query.required),
        excluded=tuple(checked(t) for t in query.excluded),
    )


def text_query(query: Query, topics: Mapping[int, list[int]] | None = None) -> tantivy.Query:
    """The query's required clauses; `topics` ({clause index: topic ids}) lets a clause
    also be met by a passage tagged with a topic one of its words names."""
    topics = topics or {}

    def widening(index: int) -> list:
        ids = topics.get(index)
        return [_silent(tagged(ids))] if ids else []

    free = [
        _any([free_form(t) for t in clause] + widening(i))
        for i, clause in enumerate(query.required)
        if all(is_free(t) for t in clause)
    ]
    worded = [(i, c) for i, c in enumerate(query.required) if not all(is_free(t) for t in c)]
    if not worded:
        return _most(free) if query.most else _all([(Must, q) for q in free])
    branches = []
    for config in languages.CONFIGS:
        held = [_clause_in(clause, config, widening(i)) for i, clause in worded]
        held = [q for q in held if q is not None]
        if not held and not free:
            continue
        restriction = [
            (Must, _silent(_any([_term_q(_S, "language", code) for code in _CODES[config]])))
        ]
        if query.most:
            branches.append(_most(held + free, restriction))
        else:
            branches.append(_all(restriction + [(Must, q) for q in held]))
    if not branches:
        return tantivy.Query.empty_query()
    if query.most:
        return _any(branches)
    return _all([(Must, q) for q in free] + [(Must, _any(branches))])


def _most(clauses: list, required: list | None = None) -> tantivy.Query:
    """All clauses but one (and `required`); BM25 ranks passages with more of them first."""
    parts = (required or []) + [(Should, q) for q in clauses]
    return tantivy.Query.boolean_query(parts, max(1, len(clauses) - 1))


def left_out(query: Query) -> list[tantivy.Query]:
    """One query per left-out term, each matching it in any language."""
    found = []
    for term in query.excluded:
        if is_free(term):
            found.append(free_form(term))
            continue
        forms = [language_form(term, config) for config in languages.CONFIGS]
        forms = [f for f in forms if f is not None and f is not _DROPPED]
        if not term.is_phrase:
            forms.append(tantivy.Query.term_query(_S, "words", term.words[0]))
        found.append(_any(forms))
    return found


def _range(field: str, value) -> tantivy.Query | None:
    if not value or not (value.start or value.stop):
        return None
    return tantivy.Query.range_query(
        _S,
        field,
        tantivy.FieldType.Integer,
        day_number(value.start) if value.start else None,
        day_number(value.stop) if value.stop else None,
    )


def filter_queries(cleaned: Mapping) -> list[tantivy.Query]:
    """The search form's filters (validated cleaned_data) as Tantivy conditions."""
    term = _term_q
    found = []
    if cleaned.get("country"):
        found.append(term(_S, "country", cleaned["country"]))
    if cleaned.get("publisher") is not None:
        found.append(term(_S, "publisher", cleaned["publisher"].pk))
    if cleaned.get("language"):
        found.append(term(_S, "language", cleaned["language"]))
    if cleaned.get("number") is not None:
        found.append(term(_S, "number", int(cleaned["number"])))
    if cleaned.get("topic") is not None:
        found.append(term(_S, "topic", cleaned["topic"].pk))
    for name in ("published", "intake"):
        if (found_range := _range(name, cleaned.get(name))) is not None:
            found.append(found_range)
    status = cleaned.get("status")
    if not status:
        found.append(term(_S, "withdrawn", 0))
    elif status == WITHDRAWN:
        found.append(term(_S, "withdrawn", 1))
    return found


def combine(
    text: tantivy.Query | None,
    filters: list[tantivy.Query],
    excluded: list[tantivy.Query],
    *,
    not_also: tantivy.Query | None = None,
) -> tantivy.Query:
    """Text (scored) AND filters (unscored) AND NOT each left-out (and NOT `not_also`)."""
    parts = [(Must, text if text is not None else tantivy.Query.all_query())]
    parts += [(Must, _silent(f)) for f in filters]
    parts += [(MustNot, q) for q in excluded]
    if not_also is not None:
        parts.append((MustNot, not_also))
    return _all(parts)


STATUS_OF = {0: Bilag.Status.CURRENT, 1: Bilag.Status.WITHDRAWN}
