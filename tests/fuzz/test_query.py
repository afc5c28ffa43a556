"""The query parser with arbitrary text, and its queries through the real search.

Properties: `parse` raises nothing but QueryError (with a message); a parsed query can
be relaxed; and any text, with any filter values, given to the search on a small
indexed library ends as hits or a message, never an exception.
"""

import pytest
from django.http import QueryDict
from hypothesis import event, given
from hypothesis import strategies as st

from library.search.query import MAX_QUERY_LENGTH, QueryError, parse, relaxed
from library.search.selectors import passage_search
from tests.fuzz import examples
from tests.library.search.corpus import DA, EN, Corpus

# Pieces of the query language, so that many examples reach deep into the parser.
PIECES = [
    "lejr",
    "Hajin",
    "camps",
    '"',
    "„",
    "»",
    "-",
    "- ",
    "OR",
    "or",
    "|",
    "*",
    "flygt*",
    "fl*",
    "IS",
    "SDF*",
    "al-Hol",
    "og",
    "the",
    "i",
    "-Irak",
    '-"Islamisk Stat"',
    '"al Hol lejren"',
    "\t",
    "\u2028",
    "\x00",
    "\x7f",
    "ǅ",
    "İ",
    "ß",
    "١٢٣",
    "𝔘𝔫𝔦",
    "\u200b",
    "😀",
]
query_text = st.one_of(
    st.text(max_size=MAX_QUERY_LENGTH + 20),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=24).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=24).map("".join),
)


@examples(600)
@given(query_text)
def test_parse_raises_only_its_own_error_with_a_message(raw):
    try:
        query = parse(raw)
    except QueryError as exc:
        assert str(exc).strip()
        return
    assert query.required, "a parsed query has something to look for"
    for clause in query.required:
        for term in clause:
            assert term.words and all(term.words)
    again = relaxed(query)
    assert again is None or again.most


FILTER_NAMES = [
    "country",
    "publisher",
    "language",
    "number",
    "topic",
    "status",
    "published_min",
    "published_max",
    "intake_min",
    "intake_max",
]
filter_value = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    st.sampled_from(["SY", "da", "all", "withdrawn", "2019-02-01", "2019-13-45", "9" * 40, "-1"]),
)


@pytest.fixture
def small_library(db):
    return Corpus(DA, EN)


def _search(query: str, filters: dict, sort: str, page: str):
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        data[name] = value
    return passage_search(query=query, filters=data, sort=sort, page=page, per_page=5)


@examples(120)
@given(
    query=query_text,
    filters=st.dictionaries(st.sampled_from(FILTER_NAMES), filter_value, max_size=4),
    sort=st.sampled_from(["", "relevance", "newest", "oldest", "intake", "x<y>"]),
    page=st.one_of(st.sampled_from(["1", "2", "", "0", "-1", "last", "9" * 30]), st.text()),
)
def test_any_query_and_filters_end_as_hits_or_a_message(small_library, query, filters, sort, page):
    results = _search(query, filters, sort, page)
    event("message" if results.error else f"{min(results.total, 3)}+ hits")
    if results.error:
        assert isinstance(results.error, str) and results.error.strip()
        assert not results.hits
    else:
        assert len(results.hits) <= 5
        assert results.total >= len(results.hits)


@examples(40)
@given(st.lists(st.sampled_from(PIECES[:22]), min_size=1, max_size=8).map(" ".join))
def test_queries_of_the_language_search_without_an_error_or_say_why(small_library, query):
    try:
        parse(query)
    except QueryError as exc:
        assert _search(query, {}, "", "1").error == str(exc)
        return
    results = _search(query, {}, "", "1")
    assert not results.error, results.error
    assert results.searched
