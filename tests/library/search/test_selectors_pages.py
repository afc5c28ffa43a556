"""Pages and order of `passage_search`: pagination (clamped), sorting by date, relevance
as the default order of a query, and ranking by occurrences."""

import dataclasses

import pytest

from library.search.results import PER_PAGE
from tests.library.search.corpus import EN, WELLS, Corpus, search

pytestmark = pytest.mark.usefixtures("without_topics")


# --- pagination and sorting -----------------------------------------------------------------


def test_second_page_holds_the_next_hits(wells):
    first = search("wells", per_page=PER_PAGE)
    second = search("wells", page=2, per_page=PER_PAGE)

    assert first.total == second.total == 25
    assert (first.num_pages, first.page, second.page) == (2, 1, 2)
    assert (len(first.hits), len(second.hits)) == (20, 5)
    assert (first.start_index, first.end_index, second.start_index, second.end_index) == (
        1,
        20,
        21,
        25,
    )
    first_keys, second_keys = wells.keys(first), wells.keys(second)
    assert not set(first_keys) & set(second_keys)
    assert set(first_keys) | set(second_keys) == set(WELLS.paragraphs)
    assert (first.has_previous, first.has_next, second.has_previous, second.has_next) == (
        False,
        True,
        True,
        False,
    )


@pytest.mark.parametrize(("asked", "shown"), [(99, 2), ("3", 2), (0, 1), (-4, 1), ("abc", 1)])
def test_page_out_of_range_is_clamped(wells, asked, shown):
    results = search("wells", page=asked, per_page=PER_PAGE)
    expected = search("wells", page=shown, per_page=PER_PAGE)

    assert results.page == shown
    assert wells.keys(results) == wells.keys(expected)


def test_sorted_pages_follow_on_from_each_other(wells):
    pages = [search("wells", sort="oldest", page=n, per_page=10) for n in (1, 2, 3)]

    keys = [key for page in pages for key in wells.keys(page)]
    # One bilag: "oldest" orders by passage within it.
    assert keys == list(WELLS.paragraphs)


HAJIN_BY_PASSAGE = ["_hajin_syrien", "_hajin"]


@pytest.mark.parametrize(
    ("sort", "languages"),
    [
        ("newest", ["da", "nb", "en"]),  # published 2019-02, 2018-11, 2018-09-11
        ("oldest", ["en", "nb", "da"]),
        ("intake", ["nb", "da", "en"]),  # intake 2019-04-01, 2019-03-01, 2018-10-11
    ],
)
def test_sort_by_date(corpus, sort, languages):
    results = search("hajin", sort=sort)

    assert results.sort == sort
    assert corpus.keys(results) == [
        language + suffix for language in languages for suffix in HAJIN_BY_PASSAGE
    ]


def test_relevance_is_the_default_order_of_a_query(corpus):
    results = search("hajin")

    assert results.sort == "relevance"
    assert all(isinstance(hit.rank, float) for hit in results.hits)
    assert search("hajin", sort="bogus").sort == "relevance"


def test_more_occurrences_rank_first(db):
    corpus = Corpus(
        dataclasses.replace(
            EN,
            number=110,
            paragraphs={
                "once": "A report from Raqqa about the winter and the shortages of food.",
                "thrice": "Raqqa, Raqqa and again Raqqa: the city was named three times.",
            },
        )
    )

    assert corpus.keys(search("raqqa")) == ["thrice", "once"]
