"""What a query matches (`passage_search`): words in every language and any form, words
left out, phrases, OR, prefixes, words as shown on every database; never boilerplate.

Runs on whichever database DATABASE_URL names (the Tantivy index is the same for both);
most tests assert on the passages of tests/library/search/corpus.py by name.
"""

import re

import pytest

from library.ingest.services import bilag_ingest
from library.models import Passage
from library.search import engine
from library.search.selectors import passage_search
from tests.library.boarddocs import Doc
from tests.library.search.corpus import DA, TODAY, Corpus, search
from tests.support import SEEDS

pytestmark = pytest.mark.usefixtures("without_topics")

SEED_004 = "004_e1216e5ac3c25b1b.txt"


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
    assert engine.analyze("syrien", "danish") == engine.analyze("syriens", "danish") == ["syri"]
    assert engine.analyze("syrien", "norwegian") == ["syri"]
    assert engine.analyze("syrien", "english") == ["syrien"]

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


# --- a query that finds nothing as typed ---------------------------------------------------


def _texts(query: str) -> list[str]:
    results = passage_search(query=query)
    assert not results.error, results.error
    return [hit.passage.text for hit in results.hits]


def test_no_passage_with_every_word_shows_those_with_all_but_one(db):
    from tests.factories import BilagFactory

    BilagFactory(
        language="da",
        full_text=(
            "Mange fordrevne familier bor i lejre i Syrien.\n\n"
            "Situationen i Irak er fortsat uafklaret efter valget."
        ),
    )
    results = passage_search(query="fordrevne Irak")

    assert results.query.most, "nothing has both words: relaxed to either"
    assert results.total == 2
    assert any("all of them but one" in notice for notice in results.notices)
    assert all("<mark>" in str(hit.snippet) for hit in results.hits)


def test_a_search_that_finds_something_is_never_relaxed(db):
    from tests.factories import BilagFactory

    BilagFactory(language="da", full_text="Fordrevne fra Irak.\n\nFordrevne fra Syrien.")
    results = passage_search(query="fordrevne Irak")

    assert not results.query.most
    assert results.total == 1
    assert not results.notices


def test_a_hyphenated_word_is_a_phrase_first_then_its_words(db):
    from tests.factories import BilagFactory

    BilagFactory(
        language="da",
        full_text=(
            "Kvinderne med tilknytning til IS bor i lejren.\n\nKvinder i lejren taler om maden."
        ),
    )
    texts = _texts("IS-kvinder")

    assert texts[0].startswith("Kvinderne med tilknytning til IS"), "both words rank first"
    assert len(texts) == 2


def test_a_quoted_phrase_is_not_relaxed(db):
    from tests.factories import BilagFactory

    BilagFactory(language="da", full_text="Kvinder og mænd.\n\nBørn og unge.")

    assert _texts('"kvinder og børn"') == []


def test_capitals_the_library_never_writes_are_read_as_a_word(db):
    from tests.factories import BilagFactory

    BilagFactory(language="da", full_text="Situationen i Irak.\n\nIS i Syrien.")

    assert _texts("IRAK") == ["Situationen i Irak."]
    assert _texts("IS") == ["IS i Syrien."]


def test_an_acronym_only_a_withdrawn_bilag_writes_is_read_as_a_word(db):
    import datetime as dt

    from library.services import bilag_withdraw
    from tests.factories import BilagFactory

    old = BilagFactory(language="en", full_text="NATO troops left.\n\nMore text here.")
    bilag_withdraw(bilag=old, reason="Superseded.", on=dt.date(2020, 1, 1))
    BilagFactory(language="en", full_text="Nato troops arrived.\n\nOther text here.")

    assert _texts("NATO") == ["Nato troops arrived."]
