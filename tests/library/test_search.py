"""Full-text search: `passage_search`, the search page (/) and its JSON twin (/api/search).

Runs on whichever database DATABASE_URL names (PostgreSQL tsvector with a RUM or GIN
index, or SQLite FTS5). Every passage is ingested with the real service
(`bilag_ingest`), so the search index is filled exactly as in production; each test
asserts on the passages it made, by name (see DOCS).
"""

import dataclasses
import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils.html import escape

from library.ingest.services import bilag_ingest
from library.models import Bilag, Passage, Publisher, Topic
from library.search import backends, highlight, stems
from library.search.query import QueryError, parse
from library.search.results import PER_PAGE, SearchResults
from library.search.selectors import passage_search
from library.services import bilag_withdraw
from tests.conftest import SEEDS
from tests.factories import UserFactory
from tests.library.boarddocs import Doc

TODAY = dt.date(2024, 6, 1)
SEED_004 = "004_e1216e5ac3c25b1b.txt"


DA = Doc(
    101,
    "Syrien",
    "Landinfo",
    "Lejrene i det østlige Syrien",
    "2019-02-01",
    "2019-03-01",
    "da",
    {
        "da_lejrene": "Tusinder af kvinder og børn bor stadig i lejrene nord for byen.",
        "da_lejren": "Nødhjælpen til lejren blev standset efter angrebet i sidste uge.",
        "da_hajin_syrien": (
            "Kampene omkring Hajin i det østlige Syriens grænseområde fortsatte hele vinteren."
        ),
        "da_hajin": "Beboerne i Hajin siger, at de flygtede fra byen om natten.",
        # Boilerplate (a cookie notice): it mentions Hajin and lejrene but must never match.
        "da_cookie": "Vi bruger cookies til at følge nyhederne fra Hajin og lejrene.",
    },
)
NB = Doc(
    102,
    "Syrien",
    "VG",
    "Leirene i det østlige Syria",
    "2018-11-01",
    "2019-04-01",
    "nb",
    {
        "nb_leirene": "Tusenvis av kvinner og barn bor fortsatt i leirene nord for byen.",
        "nb_leiren": "Nødhjelpen til leiren ble stanset etter angrepet forrige uke.",
        "nb_hajin_syrien": "Kampene rundt Hajin i det østlige Syrien fortsatte hele vinteren.",
        "nb_hajin": "Innbyggerne i Hajin sier at de flyktet fra byen om natten.",
    },
)
EN = Doc(
    103,
    "Syrien",
    "BBC News",
    "The camps of eastern Syria",
    "2018-09-11",
    "2018-10-11",
    "en",
    {
        "en_camps": "Thousands of women and children still live in the camps north of the town.",
        "en_camp": "Aid to the camp was halted after the attack last week.",
        "en_hajin_syrien": (
            "The fighting around Hajin, which the Danish reports call Syrien, went on all winter."
        ),
        "en_hajin": "Residents of Hajin said they fled the town at night.",
        "en_corridor": "A humanitarian corridor was opened for civilians leaving the area.",
        "en_corridor_reversed": "The corridor was humanitarian in name only, aid workers said.",
    },
)
IQ = Doc(
    104,
    "Irak",
    "Landinfo",
    "Flygtningelejren ved Mosul",
    "2020-05-01",
    "2020-06-01",
    "da",
    {
        "iq_flygtningelejren": "Flygtningelejren ved Mosul rummer nu over tyve tusinde mennesker.",
        "iq_rapport": "Rapporten bygger på samtaler med myndighederne i Bagdad.",
    },
)
AF_WITHDRAWN = Doc(
    105,
    "Afghanistan",
    "UNHCR",
    "Returnees in Kabul",
    "2017-01-01",
    "2017-02-01",
    "en",
    {
        "af_camp": "Returned refugees in Kabul described the camp conditions as harsh.",
        "af_kabul": "Many families in Kabul have no shelter for the coming winter.",
    },
)
DOCS = [DA, NB, EN, IQ, AF_WITHDRAWN]
BOILERPLATE = {"da_cookie"}

WELLS = Doc(
    106,
    "Libanon",
    "Amnesty International",
    "Wells of the Bekaa valley",
    "2016-01-01",
    "2016-02-01",
    "en",
    {
        f"well_{n:02d}": f"Well number {n} in the Bekaa valley has been dry since the spring."
        for n in range(1, 26)
    },
)

HOSTILE = Doc(
    107,
    "Syrien",
    "Landinfo",
    "<script>alert(1)</script> leaflet report <b>bold</b>",
    "2019-05-01",
    "2019-06-01",
    "en",
    {
        "script": "Witnesses copied the leaflet <script>alert(1)</script> word for word.",
        "img": "An image tag <img src=x onerror=alert(1)> was pasted into the leaflet.",
        "entity": "The markup &lt;b&gt; appeared literally in the leaflet.",
        "unterminated": "The leaflet ended in the middle of <img src=x onerror=alert(1)",
    },
)


def ingest(doc: Doc) -> Bilag:
    return doc.ingest(TODAY)


class Corpus:
    """Ingested documents; knows each passage's name by (bilag number, ordinal)."""

    def __init__(self, *docs: Doc):
        self.where: dict[str, tuple[int, int]] = {}
        self.name: dict[tuple[int, int], str] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: Doc) -> Bilag:
        bilag = ingest(doc)
        passages = {p.text: p for p in bilag.passages.all()}
        assert len(passages) == len(doc.paragraphs), "each paragraph is one passage"
        for key, text in doc.paragraphs.items():
            passage = passages[text]
            assert passage.boilerplate == (key in BOILERPLATE), key
            assert passage.language == doc.language
            self.where[key] = (doc.number, passage.ordinal)
            self.name[(doc.number, passage.ordinal)] = key
        return bilag

    def key(self, hit) -> str:
        location = (hit.bilag.number, hit.passage.ordinal)
        return self.name.get(location, repr(location))

    def keys(self, results: SearchResults) -> list[str]:
        return [self.key(hit) for hit in results.hits]

    def found(self, query: str = "", **filters) -> set[str]:
        results = search(query, **filters)
        assert len(results.hits) == results.total, "every hit fits on one page"
        return set(self.keys(results))

    def content(self, *docs: Doc) -> set[str]:
        return {key for doc in docs for key in doc.paragraphs if key not in BOILERPLATE}


def search(query: str = "", sort: str = "", page=1, per_page: int = 100, **filters):
    results = passage_search(query=query, filters=filters, sort=sort, page=page, per_page=per_page)
    assert not results.error, results.error
    assert results.searched
    return results


@pytest.fixture
def corpus(db) -> Corpus:
    library = Corpus(*DOCS)
    bilag_withdraw(
        bilag=Bilag.objects.get(number=AF_WITHDRAWN.number),
        reason="Superseded by a newer report.",
        on=dt.date(2020, 1, 1),
    )
    return library


@pytest.fixture
def wells(db) -> Corpus:
    return Corpus(WELLS)


@pytest.fixture
def english(caseworker_client):
    """Messages in the source language: the language switch's cookie selects it."""
    caseworker_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return caseworker_client


def _publisher(name: str) -> str:
    return str(Publisher.objects.get(name=name).pk)


# --- words in every language, in any form --------------------------------------------------

STEMMING = [
    # query, what it must find: the other form of the word, and the form itself
    ("lejren", {"da_lejrene", "da_lejren"}),
    ("lejrene", {"da_lejrene", "da_lejren"}),
    ("Lejrene", {"da_lejrene", "da_lejren"}),
    ("leiren", {"nb_leirene", "nb_leiren"}),
    ("leirene", {"nb_leirene", "nb_leiren"}),
    ("camp", {"en_camps", "en_camp"}),
    ("camps", {"en_camps", "en_camp"}),
]


@pytest.mark.parametrize(("query", "expected"), STEMMING)
def test_inflected_forms_find_each_other_in_each_language(corpus, query, expected):
    assert corpus.found(query) == expected


def test_one_query_finds_passages_in_all_three_languages(corpus):
    results = search("Hajin")

    assert set(corpus.keys(results)) == {
        "da_hajin_syrien",
        "da_hajin",
        "nb_hajin_syrien",
        "nb_hajin",
        "en_hajin_syrien",
        "en_hajin",
    }
    assert {hit.passage.language for hit in results.hits} == {"da", "nb", "en"}


def test_a_word_in_one_language_does_not_find_a_different_word_in_another(corpus):
    # Danish "lejr" and Norwegian "leir" are different words: OR them to get both.
    assert not corpus.found("lejren") & corpus.found("leiren")
    assert corpus.found("lejren OR leiren") == corpus.found("lejren") | corpus.found("leiren")


def test_snippet_marks_the_inflected_form_found(corpus):
    results = search("lejren")

    snippets = {corpus.key(hit): str(hit.snippet) for hit in results.hits}
    assert snippets["da_lejrene"] == (
        "Tusinder af kvinder og børn bor stadig i <mark>lejrene</mark> nord for byen."
    )
    assert "<mark>lejren</mark>" in snippets["da_lejren"]


# --- leaving words out ----------------------------------------------------------------------


def test_left_out_word_excludes_passages_in_every_language(corpus):
    # The excluded word's stem differs between the languages: Danish and Norwegian make
    # "syri" of it, English keeps "syrien". The Danish passage even has another form
    # ("Syriens"). Each passage must be left out in its own language.
    assert stems.stem("syrien", "danish") == stems.stem("syriens", "danish") == "syri"
    assert stems.stem("syrien", "norwegian") == "syri"
    assert stems.stem("syrien", "english") == "syrien"

    assert corpus.found("hajin -syrien") == {"da_hajin", "nb_hajin", "en_hajin"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hajin -Syriens", {"da_hajin", "nb_hajin", "en_hajin"}),
        ('hajin -"hele vinteren"', {"da_hajin", "nb_hajin", "en_hajin_syrien", "en_hajin"}),
        (
            "hajin -flygt*",
            {"da_hajin_syrien", "nb_hajin_syrien", "nb_hajin", "en_hajin_syrien", "en_hajin"},
        ),
        ("hajin -byen -town", {"da_hajin_syrien", "nb_hajin_syrien", "en_hajin_syrien"}),
    ],
)
def test_left_out_forms_phrases_and_prefixes(corpus, query, expected):
    assert corpus.found(query) == expected


# --- phrases, OR, prefixes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"humanitarian corridor"', {"en_corridor"}),
        ('"humanitarian corridors"', {"en_corridor"}),  # stemmed, still in order
        ("„humanitarian corridor“", {"en_corridor"}),
        ('"corridor humanitarian"', set()),
        ("humanitarian corridor", {"en_corridor", "en_corridor_reversed"}),
        ("corridor humanitarian", {"en_corridor", "en_corridor_reversed"}),
        ('"nord for byen"', {"da_lejrene", "nb_leirene"}),  # a stop word inside
        ('"byen nord"', set()),
    ],
)
def test_phrase_matches_its_words_in_order_only(corpus, query, expected):
    assert corpus.found(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("leirene OR camps", {"nb_leirene", "nb_leiren", "en_camps", "en_camp"}),
        (
            "lejren | leiren | camp",
            {"da_lejrene", "da_lejren", "nb_leirene", "nb_leiren", "en_camps", "en_camp"},
        ),
        # OR binds tighter than AND: byen AND (lejrene OR leirene).
        ("byen lejrene OR leirene", {"da_lejrene", "nb_leirene"}),
        ("lejrene OR leirene byen", {"da_lejrene", "nb_leirene"}),
        ('"humanitarian corridor" OR lejren', {"en_corridor", "da_lejrene", "da_lejren"}),
    ],
)
def test_or_finds_either(corpus, query, expected):
    assert corpus.found(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flygt*", {"da_hajin", "iq_flygtningelejren"}),  # flygtede, Flygtningelejren
        ("flykt*", {"nb_hajin"}),  # flyktet
        ("humanit*", {"en_corridor", "en_corridor_reversed"}),
        ("kabu*", set()),  # only in the withdrawn bilag
        ("lejr*", {"da_lejrene", "da_lejren"}),  # not Flygtningelejren: a prefix, not infix
    ],
)
def test_prefix_finds_words_that_begin_with_it(corpus, query, expected):
    assert corpus.found(query) == expected


NUMBERS_AND_MARKUP = Doc(
    108,
    "Syrien",
    "Landinfo",
    "Tal og tegn",
    "2019-02-01",
    "2019-03-01",
    "da",
    {
        "number": "Efter at kampene tog til, er over 37.000 civile flygtet fra området.",
        "markup": "Rapporten gengiver beskeden <script>Baghouz</script> ordret.",
    },
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("37.000", {"number"}),
        ('"37.000 civile"', {"number"}),
        ("baghouz", {"markup"}),
    ],
)
def test_words_as_shown_are_found_on_every_database(db, query, expected):
    corpus = Corpus(NUMBERS_AND_MARKUP)

    assert corpus.found(query) == expected


def test_prefix_marks_the_words_in_the_snippet(corpus):
    results = search("flygt*", country="IQ")

    assert [str(hit.snippet) for hit in results.hits] == [
        "<mark>Flygtningelejren</mark> ved Mosul rummer nu over tyve tusinde mennesker."
    ]


# --- filters --------------------------------------------------------------------------------


def test_country_filter(corpus):
    assert corpus.found("", country="IQ") == corpus.content(IQ)
    assert corpus.found("flygt*", country="IQ") == {"iq_flygtningelejren"}
    assert corpus.found("flygt*", country="SY") == {"da_hajin"}
    assert corpus.found("hajin", country="IQ") == set()


def test_publisher_filter(corpus):
    assert corpus.found("hajin", publisher=_publisher("VG")) == {"nb_hajin_syrien", "nb_hajin"}
    assert corpus.found("", publisher=_publisher("Landinfo")) == corpus.content(DA, IQ)


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
    assert corpus.found("hajin", language="da", publisher=_publisher("VG")) == set()


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


@pytest.fixture(autouse=True)
def without_topics(request):
    """Text search alone: the seeded topics would widen queries (tests/library/test_topics.py
    covers search through topics)."""
    if "db" in request.fixturenames or any(
        name in request.fixturenames for name in ("corpus", "wells", "hostile", "english")
    ):
        request.getfixturevalue("db")
        Topic.objects.all().delete()


def _facet_counts(results: SearchResults) -> dict[str, dict[str, int]]:
    return {
        name: {value.value: value.count for value in values}
        for name, values in results.facets.items()
    }


def test_facets_count_the_hits(corpus):
    results = search("hajin")

    landinfo, vg, bbc = (_publisher(n) for n in ("Landinfo", "VG", "BBC News"))
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


# --- boilerplate ----------------------------------------------------------------------------


def test_boilerplate_never_matches(corpus):
    cookie = Passage.objects.get(bilag__number=DA.number, text=DA.paragraphs["da_cookie"])
    assert cookie.boilerplate and cookie.boilerplate_kind == "cookie"

    assert corpus.found("cookies") == set()
    assert "da_cookie" not in corpus.found("hajin")
    assert "da_cookie" not in corpus.found("lejrene")
    assert "da_cookie" not in corpus.found("nyhederne OR hajin")
    assert "da_cookie" not in corpus.found("", number=str(DA.number))


def test_seed_cookie_banner_never_matches(db):
    result = bilag_ingest(name=SEED_004, data=(SEEDS / SEED_004).read_bytes(), today=TODAY)
    assert result.outcome == "added", result.line()
    passages = list(result.bilag.passages.all())
    banner = [p for p in passages if p.boilerplate and re.search(r"\bcookies\b", p.text, re.I)]
    assert banner, "the seed's BBC cookie banner is boilerplate"
    cookie_content = {
        p.id for p in passages if not p.boilerplate and re.search(r"\bcookies?\b", p.text, re.I)
    }

    for query in ("cookies", "cookie", "agree", '"Yes, I agree"'):
        results = passage_search(query=query, per_page=100)
        assert not results.error
        assert not any(hit.passage.boilerplate for hit in results.hits), query
    assert {hit.passage.id for hit in search("cookies").hits} == cookie_content

    browse = search("", number=str(result.bilag.number))
    assert browse.total == sum(1 for p in passages if not p.boilerplate)
    assert not any(hit.passage.boilerplate for hit in browse.hits)


# --- the page and the API -------------------------------------------------------------------

_RESULTS_SECTION = re.compile(r'<section class="results"[^>]*>(.*?)</section>', re.S)
_SNIPPET = re.compile(r'<p class="snippet"[^>]*>(.*?)</p>', re.S)
_HIT_REF = re.compile(r'<a href="/bilag/(\d+)/[^"#]*#p(\d+)">')
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z]+)")


def _results_section(response) -> str:
    sections = _RESULTS_SECTION.findall(response.content.decode())
    assert len(sections) == 1
    return sections[0]


def test_page_lists_the_hits_with_snippets(corpus, english):
    response = english.get("/", {"q": "lejren"})

    assert response.status_code == 200
    section = _results_section(response)
    assert "2 passages" in section
    refs = {(int(n), int(o)) for n, o in _HIT_REF.findall(section)}
    assert refs == {corpus.where["da_lejrene"], corpus.where["da_lejren"]}
    assert "Tusinder af kvinder og børn bor stadig i <mark>lejrene</mark> nord for byen." in (
        _SNIPPET.findall(section)
    )


def test_page_shows_dropped_stop_words(corpus, english):
    response = english.get("/", {"q": "kvinder og lejren"})

    assert response.status_code == 200
    assert "Too common to search for, left out: og" in response.content.decode()
    assert {(int(n), int(o)) for n, o in _HIT_REF.findall(_results_section(response))} == {
        corpus.where["da_lejrene"]
    }


def test_page_second_page_and_filters(wells, english):
    response = english.get("/", {"q": "wells", "page": "2"})

    section = _results_section(response)
    assert len(_SNIPPET.findall(section)) == 5
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

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<p class="error" role="alert">{escape(message)}</p>' in content
    assert "<mark>" not in content
    assert not _SNIPPET.findall(content)


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

    assert response.status_code == 200
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


# --- security: nothing from a bilag or a query becomes markup -------------------------------


def _tags(html: str) -> set[str]:
    return {name.lower() for name in _TAG.findall(html)}


def _unmarked(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


@pytest.fixture
def hostile(db) -> Corpus:
    return Corpus(HOSTILE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Words outside the markup: PostgreSQL's parser skips what looks like tags and
        # entities (see test_words_as_shown_are_found_on_every_database), SQLite does not.
        ("leaflet", {"script", "img", "entity", "unterminated"}),
        ("onerror", {"img", "unterminated"}),
        ("literally", {"entity"}),
        ("leaflet -witnesses", {"img", "entity", "unterminated"}),
        # Markup in the query itself.
        ("witnesses OR <script>alert(1)</script>", {"script"}),
        ("<img src=x onerror=alert(1)>", {"img", "unterminated"}),
        ("<b>leaflet</b> OR literally", {"entity"}),
    ],
)
def test_snippets_never_carry_markup_from_text_or_query(hostile, english, query, expected):
    response = english.get("/", {"q": query})

    assert response.status_code == 200
    content = response.content.decode()
    section = _results_section(response)
    refs = {hostile.name[(int(n), int(o))] for n, o in _HIT_REF.findall(section)}
    assert refs == expected
    snippets = _SNIPPET.findall(section)
    assert len(snippets) == len(expected)
    for snippet in snippets:
        assert _tags(snippet) <= {"mark"}, snippet
    # The rest of the results section is the template's own markup only.
    assert _tags(section) <= {"p", "a", "ol", "li", "span", "cite", "mark", "nav"}
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>" not in content
    if "entity" in expected:
        assert "&amp;lt;b&amp;gt;" in _unmarked(section)

    body = english.get("/api/search", {"q": query}).json()
    assert {hostile.name[(h["bilag"], h["ordinal"])] for h in body["hits"]} == expected
    for hit in body["hits"]:
        assert _tags(hit["snippet"]) <= {"mark"}, hit["snippet"]
        assert "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")
    entity = [
        h["snippet"] for h in body["hits"] if hostile.name[(h["bilag"], h["ordinal"])] == "entity"
    ]
    for snippet in entity:
        assert "&amp;lt;b&amp;gt;" in _unmarked(snippet)


def test_bilag_page_from_a_hit_marks_words_safely(hostile, english):
    response = english.get(f"/bilag/{HOSTILE.number}/", {"q": "leaflet <script>alert(1)"})

    assert response.status_code == 200
    content = response.content.decode()
    texts = re.findall(r'<p class="passage-text"[^>]*>(.*?)</p>', content, re.S)
    assert len(texts) == len(HOSTILE.paragraphs)
    for text in texts:
        assert _tags(text) <= {"mark"}, text
        assert "<mark>leaflet</mark>" in text
    assert "<mark>alert</mark>" in texts[0] and "<mark>script</mark>" in texts[0]
    assert "&amp;lt;b&amp;gt;" in texts[2]
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>bold</b>" not in content


def test_query_is_echoed_escaped(hostile, english):
    response = english.get("/", {"q": '"><script>alert(1)</script>'})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- cost: snippets only for the page shown -------------------------------------------------


def test_snippets_are_made_only_for_the_shown_page(wells, monkeypatch):
    calls = []
    real = highlight.snippet_window

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(highlight, "snippet_window", counting)

    results = search("wells", per_page=PER_PAGE)

    assert results.total == 25
    assert len(results.hits) == PER_PAGE
    assert len(calls) == PER_PAGE
    assert calls == [hit.passage.text for hit in results.hits]

    calls.clear()
    search("wells", page=2, per_page=PER_PAGE)
    assert len(calls) == 5


# --- PostgreSQL: the RUM index and the GIN/ts_rank fallback agree ---------------------------

RUM_QUERIES = [
    "hajin",
    "lejren",
    "hajin -syrien",
    '"humanitarian corridor"',
    "byen lejrene OR leirene",
    "flygt*",
    "camp",
]


def test_rum_and_gin_paths_find_the_same_hits(corpus, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("RUM and GIN are PostgreSQL indexes")
    backends.uses_rum.cache_clear()
    if not backends.uses_rum():
        pytest.skip("the rum extension is not installed: only the GIN path exists")

    with_rum = {q: search(q) for q in RUM_QUERIES}
    monkeypatch.setattr(backends, "uses_rum", lambda: False)
    with_gin = {q: search(q) for q in RUM_QUERIES}

    for query in RUM_QUERIES:
        rum, gin = with_rum[query], with_gin[query]
        assert rum.total == gin.total, query
        assert set(corpus.keys(rum)) == set(corpus.keys(gin)), query
    assert sum(r.total for r in with_gin.values()) > 0
    # The fallback orders by ts_rank.
    for gin in with_gin.values():
        ranks = [hit.rank for hit in gin.hits]
        assert ranks == sorted(ranks, reverse=True)
