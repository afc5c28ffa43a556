"""Topics in search, the API and the export: the topic filter and facet, a topic's words
finding its passages in other languages, which query words widen a query, and the
topics listed per passage (never the rejected ones)."""

import pytest

from library.search.selectors import passage_search
from library.selectors import passages_with_live_tags
from library.serializers import bilag_as_dict
from library.topics.matching import expansion_topics
from library.topics.services import tag_add, tag_decide
from tests.library.topics.corpus import (
    CAMPS,
    CIVILIANS,
    CONFIRMED,
    DA,
    EN,
    FIGHTERS,
    REFUGEES,
    REJECTED,
    Corpus,
)

pytestmark = pytest.mark.usefixtures("only_test_topics")


def search(query: str = "", **filters):
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    assert results.searched
    assert len(results.hits) == results.total + results.via_total
    return results


def _found(corpus: Corpus, query: str = "", **filters) -> set[str]:
    return {corpus.key(hit) for hit in search(query, **filters).hits}


def test_topic_filter_counts_suggested_and_confirmed_never_rejected(corpus, caseworker):
    assert _found(corpus, topic=CAMPS) == {"da_lejren", "nb_leiren", "en_camp"}
    assert _found(corpus, topic=CIVILIANS) == {"da_civile_dræbt", "da_civile_omkom"}

    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)
    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_add(passage=corpus.passages["nb_vinter"], topic=corpus.topic(CAMPS), user=caseworker)

    assert _found(corpus, topic=CAMPS) == {"da_lejren", "en_camp", "nb_vinter"}
    assert _found(corpus, "angrebet", topic=CAMPS) == {"da_lejren"}
    assert _found(corpus, topic=CAMPS, language="en") == {"en_camp"}


def test_topic_filter_with_an_unknown_slug_is_an_error(corpus):
    results = passage_search(query="", filters={"topic": "test-nope"})

    assert results.error
    assert not results.hits


def test_topic_facet_counts(corpus, caseworker):
    results = search(country="SY")
    facet = {f.value: (f.count, f.selected) for f in results.facets["topic"]}
    assert facet == {
        CAMPS: (3, False),
        CIVILIANS: (2, False),
        FIGHTERS: (1, False),
        REFUGEES: (1, False),
    }

    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)

    results = search(country="SY", topic=CAMPS)
    assert {f.value: (f.count, f.selected) for f in results.facets["topic"]} == {CAMPS: (2, True)}
    # Over a query's matches only.
    results = search("civile")
    assert {f.value: f.count for f in results.facets["topic"]} == {CIVILIANS: 2}
    assert results.total == 3


def test_a_topic_word_finds_the_topics_passages_in_other_languages(corpus):
    results = search("camp")

    keys = [corpus.key(hit) for hit in results.hits]
    # The direct matches first (the training camp is found by its words, untagged),
    # then the Danish and Norwegian passages found only through the topic.
    assert set(keys[:2]) == {"en_camp", "en_training"}
    assert set(keys[2:]) == {"da_lejren", "nb_leiren"}
    assert [t.slug for t in results.expanded_topics] == [CAMPS]
    hits = {corpus.key(hit): hit for hit in results.hits}
    assert [t.slug for t in hits["da_lejren"].via_topics] == [CAMPS]
    assert [t.slug for t in hits["nb_leiren"].via_topics] == [CAMPS]
    assert hits["en_camp"].via_topics == []
    assert [t.slug for t in hits["en_camp"].topics] == [CAMPS]
    assert hits["en_training"].topics == hits["en_training"].via_topics == []
    for key in ("da_lejren", "nb_leiren"):
        assert "camp" not in hits[key].passage.text.lower()
    # Another form of the word, in another language's lexicon, widens the same way.
    assert _found(corpus, "leirene") == {"nb_leiren", "da_lejren", "en_camp"}


def test_a_rejected_tag_is_not_found_through_the_topic(corpus, caseworker):
    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_decide(tag=corpus.tag("da_lejren", CAMPS), state=CONFIRMED, user=caseworker)

    assert _found(corpus, "camp") == {"en_camp", "en_training", "da_lejren"}


def test_which_query_words_widen_a_query(corpus):
    # A single-word entry, a word a glob matches ("flygtning*") and the first word of an
    # all-of line ("civile + dræbt*") name their topic; a word only in an exclusion
    # ("training") or in a later part of an all-of line ("dræbt") names none.
    assert [t.slug for t in expansion_topics("lejrene")] == [CAMPS]
    assert [t.slug for t in expansion_topics("Camps")] == [CAMPS]
    assert [t.slug for t in expansion_topics("civile")] == [CIVILIANS]
    assert [t.slug for t in expansion_topics("flygtningene")] == [REFUGEES]
    assert expansion_topics("training") == []
    assert expansion_topics("dræbt") == []

    results = search("civile")
    assert [t.slug for t in results.expanded_topics] == [CIVILIANS]
    assert {corpus.key(h) for h in results.hits} == {
        "da_civile_dræbt",
        "da_civile_omkom",
        "da_civile",
    }
    # Every passage tagged test-civilians says "civile" itself: none is found only so.
    assert all(hit.via_topics == [] for hit in results.hits)
    # A phrase or a prefix does not widen.
    assert search('"the camp"').expanded_topics == []
    assert search("camp*").expanded_topics == []


def test_api_returns_topics_via_topic_and_expanded_topics(corpus, cw):
    response = cw.get("/api/search", {"q": "camp"})

    assert response.status_code == 200
    data = response.json()
    assert data["expanded_topics"] == [CAMPS]
    hits = {(h["bilag"], h["ordinal"]): h for h in data["hits"]}

    def hit(key):
        passage = corpus.passages[key]
        return hits[(passage.bilag.number, passage.ordinal)]

    assert (hit("en_camp")["topics"], hit("en_camp")["via_topic"]) == ([CAMPS], [])
    assert (hit("en_training")["topics"], hit("en_training")["via_topic"]) == ([], [])
    assert (hit("da_lejren")["topics"], hit("da_lejren")["via_topic"]) == ([CAMPS], [CAMPS])
    assert (hit("nb_leiren")["topics"], hit("nb_leiren")["via_topic"]) == ([CAMPS], [CAMPS])
    # Facets count the direct matches; the two found through the topic follow them.
    assert {f["value"]: f["count"] for f in data["facets"]["topic"]} == {CAMPS: 1}
    assert (data["total"], data["via_total"]) == (2, 2)

    data = cw.get("/api/search", {"q": "vinteren", "topic": CAMPS}).json()
    assert data["expanded_topics"] == []
    assert data["total"] == 0


def _exported(bilag):
    return bilag_as_dict(bilag, passages_with_live_tags(bilag))


def test_export_lists_the_topics_not_rejected_per_passage(corpus, caseworker):
    tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=REJECTED, user=caseworker)
    tag_add(passage=corpus.passages["da_lejren"], topic=corpus.topic(REFUGEES), user=caseworker)
    tag_decide(tag=corpus.tag("da_civile_dræbt", CIVILIANS), state=CONFIRMED, user=caseworker)

    exported = _exported(corpus.bilag[DA.number])

    topics = {p["text"]: p["topics"] for p in exported["passages"]}
    by_key = {key: topics[DA.paragraphs[key]] for key in DA.paragraphs}
    assert by_key == {
        "da_lejren": [CAMPS, REFUGEES],
        "da_flygtningelejrene": [REFUGEES],
        "da_civile_dræbt": [CIVILIANS],
        "da_civile_omkom": [CIVILIANS],
        "da_civile": [],
        "da_krigere": [],  # rejected
        "da_krigere_spredt": [],
        "da_cookie": [],
    }
    assert [p["topics"] for p in _exported(corpus.bilag[EN.number])["passages"]] == [
        [CAMPS],
        [],
        [],
    ]
