"""The search page (/) and its JSON twin (/api/search): hits with snippets, stop words,
pages and filters, malformed queries and bad filters as messages (the API as 400s), the
API's shape, and the view permission."""

import pytest
from django.utils.html import escape

from library.search.query import NothingToSearch, QueryError, parse
from library.search.results import PER_PAGE
from library.search.selectors import passage_search
from tests.factories import UserFactory
from tests.library.search.corpus import DA, HIT_REF, SNIPPET, results_section

pytestmark = pytest.mark.usefixtures("without_topics")


def test_page_lists_the_hits_with_snippets(corpus, english):
    response = english.get("/", {"q": "lejren"})

    assert response.status_code == 200
    section = results_section(response)
    assert "2 passages" in section
    refs = {(int(n), int(o)) for n, o in HIT_REF.findall(section)}
    assert refs == {corpus.where["da_lejrene"], corpus.where["da_lejren"]}
    assert "Tusinder af kvinder og børn bor stadig i <mark>lejrene</mark> nord for byen." in (
        SNIPPET.findall(section)
    )


def test_page_shows_dropped_stop_words(corpus, english):
    response = english.get("/", {"q": "kvinder og lejren"})

    assert response.status_code == 200
    assert (
        "Too common to search for, left out in the languages where they are: og"
        in response.content.decode()
    )
    assert {(int(n), int(o)) for n, o in HIT_REF.findall(results_section(response))} == {
        corpus.where["da_lejrene"]
    }


def test_page_second_page_and_filters(wells, english):
    response = english.get("/", {"q": "wells", "page": "2"})

    section = results_section(response)
    assert len(SNIPPET.findall(section)) == 5
    assert "Page 2 of 2" in section
    assert 'rel="prev"' in section and 'rel="next"' not in section


MALFORMED = [
    '"al-Hol lejren',
    "-",
    "og i the",
    "-Irak",
    "OR lejr",
    "lejr OR",
    "lejr\x00",
    "a" * 201,
    " ".join(f"ord{i}" for i in range(17)),
    "fl*",
]


@pytest.mark.parametrize("raw", MALFORMED, ids=[repr(r[:20]) for r in MALFORMED])
def test_malformed_query_gives_the_page_with_its_message(corpus, english, raw):
    with pytest.raises(QueryError) as caught:
        parse(raw)
    message = str(caught.value)

    response = english.get("/", {"q": raw})

    # A query it reads but that leaves nothing to look for is answered with advice (200).
    assert response.status_code == (200 if isinstance(caught.value, NothingToSearch) else 400)
    content = response.content.decode()
    assert f'<p class="error" role="alert">{escape(message)}</p>' in content
    assert "<mark>" not in content
    assert not SNIPPET.findall(content)


@pytest.mark.parametrize("raw", MALFORMED, ids=[repr(r[:20]) for r in MALFORMED])
def test_malformed_query_gives_a_400_from_the_api(corpus, english, raw):
    with pytest.raises(QueryError) as caught:
        parse(raw)

    response = english.get("/api/search", {"q": raw})

    assert response.status_code == 400
    assert response.json() == {"error": str(caught.value)}


def test_api_without_query_or_filter_is_a_400(corpus, english):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = english.get("/api/search", params)
        assert response.status_code == 400
        assert response.json() == {"error": "Give a query (q) or at least one filter."}


def test_api_bad_filter_and_per_page_are_400(corpus, english):
    response = english.get("/api/search", {"q": "hajin", "number": "abc"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Bilag number: ")

    response = english.get("/api/search", {"q": "hajin", "per_page": "many"})
    assert response.status_code == 400
    assert response.json() == {"error": "per_page must be a whole number."}


def test_page_with_bad_filter_shows_the_message(corpus, english):
    response = english.get("/", {"q": "hajin", "number": "abc"})

    assert response.status_code == 400
    assert '<p class="error" role="alert">Bilag number: ' in response.content.decode()


def test_api_shape(corpus, english):
    response = english.get("/api/search", {"q": "lejren og", "per_page": "1"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "query",
        "ignored",
        "expanded_topics",
        "via_total",
        "sort",
        "total",
        "estimated",
        "page",
        "per_page",
        "num_pages",
        "hits",
        "facets",
    }
    assert {k: body[k] for k in body if k not in {"hits", "facets"}} == {
        "query": "lejren og",
        "ignored": ["og"],
        "expanded_topics": [],
        "sort": "relevance",
        "total": 2,
        "estimated": False,
        "via_total": 0,
        "page": 1,
        "per_page": 1,
        "num_pages": 2,
    }
    (hit,) = body["hits"]
    assert set(hit) == {
        "bilag",
        "ordinal",
        "snippet",
        "topics",
        "via_topic",
        "rank",
        "title",
        "publisher",
        "country",
        "published",
        "intake",
        "status",
        "url",
    }
    assert (hit["bilag"], hit["ordinal"]) in {corpus.where["da_lejrene"], corpus.where["da_lejren"]}
    assert "<mark>" in hit["snippet"]
    assert hit["topics"] == []
    assert isinstance(hit["rank"], float)
    assert {k: hit[k] for k in ("title", "publisher", "country", "published", "intake")} == {
        "title": DA.title,
        "publisher": "Landinfo",
        "country": "SY",
        "published": "2019-02-01",
        "intake": "2019-03-01",
    }
    assert hit["status"] == "current"
    assert hit["url"] == f"/bilag/{DA.number}/#p{hit['ordinal']}"
    assert body["facets"]["language"] == [{"value": "da", "label": "Danish", "count": 2}]
    assert set(body["facets"]) == {"country", "language", "publisher", "status", "topic"}


def test_api_pages_and_filters_match_the_selector(corpus, english):
    for params in (
        {"q": "hajin", "sort": "newest", "per_page": "4", "page": "2"},
        {"language": "nb", "sort": "oldest"},
        {"q": "camp", "status": "all"},
    ):
        response = english.get("/api/search", params)
        assert response.status_code == 200, params
        body = response.json()
        expected = passage_search(
            query=params.get("q", ""),
            filters=params,
            sort=params.get("sort", ""),
            page=params.get("page", 1),
            per_page=int(params.get("per_page", PER_PAGE)),
        )
        assert [(h["bilag"], h["ordinal"]) for h in body["hits"]] == [
            corpus.where[k] for k in corpus.keys(expected)
        ]
        assert body["total"] == expected.total


def test_api_rank_is_null_when_sorted_by_date(corpus, english):
    body = english.get("/api/search", {"q": "hajin", "sort": "intake"}).json()

    assert body["sort"] == "intake"
    assert [h["rank"] for h in body["hits"]] == [None] * 6


def test_api_per_page_is_capped_at_100(wells, english):
    body = english.get("/api/search", {"q": "wells", "per_page": "1000"}).json()

    assert (body["per_page"], len(body["hits"]), body["num_pages"]) == (100, 25, 1)


def test_search_needs_the_view_permission(db, client):
    client.force_login(UserFactory())
    assert client.get("/", {"q": "hajin"}).status_code == 403
    assert client.get("/api/search", {"q": "hajin"}).status_code == 403


@pytest.mark.parametrize(
    ("raw", "status"),
    [("mange", 200), ("og i the", 200), ("-Irak", 200), ("-", 400), ("lejr OR", 400)],
)
def test_a_query_of_common_words_only_is_advice_not_a_bad_request(corpus, english, raw, status):
    """'mange' is a query a caseworker types: the page says to add a more specific word,
    with 200 (the load test counted these 400s as errors); a query it cannot read is 400.
    The API answers every error with 400."""
    assert english.get("/", {"q": raw}).status_code == status
    assert english.get("/api/search", {"q": raw}).status_code == 400
