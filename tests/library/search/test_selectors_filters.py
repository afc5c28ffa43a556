"""Filters and facets of `passage_search`: each filter alone and combined, filters without
a query, invalid filters as a message, and facet counts that agree with the filtered totals."""

import pytest

from library.models import Passage
from library.search.results import SearchResults
from library.search.selectors import passage_search
from tests.library.search.corpus import AF_WITHDRAWN, DA, DOCS, IQ, NB, publisher_id, search

pytestmark = pytest.mark.usefixtures("without_topics")


# --- filters --------------------------------------------------------------------------------


def test_country_filter(corpus):
    assert corpus.found("", country="IQ") == corpus.content(IQ)
    assert corpus.found("flygt*", country="IQ") == {"iq_flygtningelejren"}
    assert corpus.found("flygt*", country="SY") == {"da_hajin"}
    assert corpus.found("hajin", country="IQ") == set()


def test_publisher_filter(corpus):
    assert corpus.found("hajin", publisher=publisher_id("VG")) == {"nb_hajin_syrien", "nb_hajin"}
    assert corpus.found("", publisher=publisher_id("Landinfo")) == corpus.content(DA, IQ)


def test_language_filter(corpus):
    assert corpus.found("hajin", language="en") == {"en_hajin_syrien", "en_hajin"}
    assert corpus.found("", language="nb") == corpus.content(NB)


def test_published_range_filter(corpus):
    assert corpus.found("hajin", published_min="2019-01-01") == {"da_hajin_syrien", "da_hajin"}
    assert corpus.found("hajin", published_max="2018-10-01") == {"en_hajin_syrien", "en_hajin"}
    assert corpus.found("hajin", published_min="2018-10-01", published_max="2018-12-31") == {
        "nb_hajin_syrien",
        "nb_hajin",
    }
    # Both ends are inclusive.
    assert corpus.found("", published_min="2020-05-01", published_max="2020-05-01") == (
        corpus.content(IQ)
    )


def test_intake_range_filter(corpus):
    assert corpus.found("hajin", intake_min="2019-03-15") == {"nb_hajin_syrien", "nb_hajin"}
    assert corpus.found("hajin", intake_max="2019-03-01") == {
        "da_hajin_syrien",
        "da_hajin",
        "en_hajin_syrien",
        "en_hajin",
    }


def test_bilag_number_filter(corpus):
    assert corpus.found("hajin", number="103") == {"en_hajin_syrien", "en_hajin"}
    assert corpus.found("", number="104") == corpus.content(IQ)


def test_withdrawn_bilag_are_left_out_unless_asked_for(corpus):
    assert corpus.found("camp") == {"en_camps", "en_camp"}
    assert corpus.found("camp", status="all") == {"en_camps", "en_camp", "af_camp"}
    assert corpus.found("camp", status="withdrawn") == {"af_camp"}
    assert corpus.found("kabul") == set()
    assert corpus.found("", status="withdrawn") == corpus.content(AF_WITHDRAWN)


def test_filters_combine(corpus):
    assert corpus.found("hajin OR lejren", language="da", published_max="2019-12-31") == {
        "da_lejrene",
        "da_lejren",
        "da_hajin_syrien",
        "da_hajin",
    }
    assert corpus.found("hajin", language="da", publisher=publisher_id("VG")) == set()


def test_filters_alone_browse_every_passage_they_select(corpus):
    results = search("", status="all")

    everything = corpus.content(*DOCS)
    assert set(corpus.keys(results)) == everything
    assert results.total == len(everything) == Passage.objects.filter(boilerplate=False).count()
    assert results.sort == "newest"
    assert all(hit.rank is None for hit in results.hits)


def test_nothing_asked_is_not_a_search(corpus):
    results = passage_search(query="", filters={})

    assert (results.searched, results.error, results.hits, results.total) == (False, "", [], 0)
    assert not passage_search(query="   ", filters={"status": ""}).searched


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"number": "abc"}, "Bilag number"),
        ({"number": "0"}, "Bilag number"),
        ({"country": "XX"}, "Country"),
        ({"language": "klingon"}, "Language"),
        ({"publisher": "999999"}, "Publisher"),
        ({"published_min": "2019-13-45"}, "Published (from – to)"),
        ({"status": "deleted"}, "Status"),
    ],
)
def test_invalid_filter_is_a_message_not_a_search(corpus, filters, field):
    results = passage_search(query="hajin", filters=filters)

    assert results.error.startswith(f"{field}: ")
    assert (results.searched, results.hits, results.total) == (False, [], 0)


# --- facets ---------------------------------------------------------------------------------


def _facet_counts(results: SearchResults) -> dict[str, dict[str, int]]:
    return {
        name: {value.value: value.count for value in values}
        for name, values in results.facets.items()
    }


def test_facets_count_the_hits(corpus):
    results = search("hajin")

    landinfo, vg, bbc = (publisher_id(n) for n in ("Landinfo", "VG", "BBC News"))
    assert results.total == 6
    assert _facet_counts(results) == {
        "country": {"SY": 6},
        "language": {"da": 2, "nb": 2, "en": 2},
        "publisher": {landinfo: 2, vg: 2, bbc: 2},
        "status": {"current": 6},
        "topic": {},
    }
    for name, values in results.facets.items():
        if name != "topic":  # a passage has any number of topics
            assert sum(v.count for v in values) == results.total


def test_facet_counts_agree_with_the_filtered_totals(corpus):
    results = search("", status="all")
    assert results.total == len(corpus.content(*DOCS))

    counts = _facet_counts(results)
    assert set(counts) == {"country", "language", "publisher", "status", "topic"}
    assert counts["country"] == {"SY": 14, "IQ": 2, "AF": 2}
    assert counts["status"] == {"current": 16, "withdrawn": 2}
    assert counts.pop("topic") == {}
    for name, values in counts.items():
        assert sum(values.values()) == results.total, name
        for value, count in values.items():
            if name == "status":
                # "current only" is the default, not a filter: an always-true one makes it
                # a search.
                status = "withdrawn" if value == "withdrawn" else ""
                narrowed = search("", published_min="1900-01-01", status=status)
            else:
                narrowed = search("", status="all", **{name: value})
            assert narrowed.total == count, (name, value)


def test_facet_labels_and_selection(corpus):
    results = search("hajin", language="nb")

    languages = {v.value: (v.label, v.selected) for v in results.facets["language"]}
    assert languages == {"nb": ("Norwegian Bokmål", True)}
    publishers = {v.label: v.count for v in results.facets["publisher"]}
    assert publishers == {"VG": 2}
    assert [v.label for v in results.facets["country"]] == ["Syria"]
