"""The search's relevance promises, one test each, on data made in the test: acronyms
(IS is not "is"), each word matched in its own language only, stop words dropped only
where they are stop words, phrases that keep theirs, a mark in every hit's snippet,
headings that do not outrank the paragraph about their subject, BM25 order with a
left-out word, stable ties, and exact facets of held values only.

Bilag are made with tests.factories.BilagFactory (one passage per paragraph, each in the
bilag's language, no topic tags, so every hit is a direct match of the words).
"""

import re
from collections import Counter

import pytest

from library import languages
from library.models import Bilag, Passage
from library.search import engine, stems
from library.search.selectors import fresh_searcher, passage_search
from library.services import bilag_update, bilag_withdraw
from tests.factories import BilagFactory

MARK = re.compile(r"<mark>(.*?)</mark>")


def make(language: str, *paragraphs: str, **fields) -> Bilag:
    """One bilag in `language` whose passages are `paragraphs`, in order."""
    bilag = BilagFactory(language=language, full_text="\n\n".join(paragraphs), **fields)
    assert [p.text for p in bilag.passages.order_by("ordinal")] == list(paragraphs)
    return bilag


def search(query: str, **filters):
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    assert len(results.hits) == results.total, "every hit fits on one page"
    return results


def texts(query: str, **filters) -> list[str]:
    """The hits' passage texts, in rank order."""
    return [hit.passage.text for hit in search(query, **filters).hits]


def found(query: str, **filters) -> set[str]:
    return set(texts(query, **filters))


# --- acronyms --------------------------------------------------------------------------------

DA_IS_FIGHTERS = "Flere IS-krigere blev taget til fange ved grænsen i foråret."
DA_IS_CALIPHATE = "IS' kalifat faldt, da de sidste byer blev indtaget."
EN_IS_FIGHTERS = "IS fighters held the town for three years."
EN_VERB_ONLY = "The situation in the camp is difficult, and food is scarce."
EN_FIGHTERS_ONLY = "The fighters left the town before dawn."
EN_SDF_ONLY = "The SDF took control of the prison in the north."
EN_SDF_AND_IS = "The SDF fought IS for months in the old city."


@pytest.fixture
def acronyms(db):
    make("da", DA_IS_FIGHTERS, DA_IS_CALIPHATE)
    make("en", EN_IS_FIGHTERS, EN_VERB_ONLY, EN_FIGHTERS_ONLY, EN_SDF_ONLY, EN_SDF_AND_IS)


IS_PASSAGES = {DA_IS_FIGHTERS, DA_IS_CALIPHATE, EN_IS_FIGHTERS, EN_SDF_AND_IS}


@pytest.mark.parametrize("query", ["IS", '"IS"'])
def test_is_finds_the_acronym_in_every_language_not_the_verb(acronyms, query):
    assert found(query) == IS_PASSAGES
    assert EN_VERB_ONLY not in found(query)


def test_two_acronyms_are_both_required(acronyms):
    assert found("SDF") == {EN_SDF_ONLY, EN_SDF_AND_IS}
    assert found("SDF IS") == {EN_SDF_AND_IS}
    assert found("IS SDF") == {EN_SDF_AND_IS}


def test_lower_case_is_is_not_the_acronym(acronyms):
    # "is" is an English stop word: dropped in English, so only "fighters" is required
    # there, with or without IS; the acronym requires IS as written.
    assert found("IS fighters") == {EN_IS_FIGHTERS}
    assert found("is fighters") == {EN_IS_FIGHTERS, EN_FIGHTERS_ONLY}
    results = passage_search(query="is")
    assert results.error and not results.hits, "a stop word alone is refused, not IS"


def test_an_acronym_the_library_never_writes_is_read_as_a_word(db):
    make("da", "Nato har baser i regionen.", "Alliancen holdt møde i Bruxelles.")
    assert found("NATO") == {"Nato har baser i regionen."}


# --- each word in its own language -----------------------------------------------------------

NB_WAR_HEADING = "Blodig krig"
NB_WAR = "Det var krig i landet i mange år."
NB_FIGHTERS = "Mange utenlandske krigere reiste til Syria."
DA_THE_FIGHTERS = "Krigerne blev sendt til fængslerne i nordøst."


def test_danish_krigere_does_not_meet_norwegian_krig(db):
    # Danish stems krigere, krigerne (and krig) to "krig"; Norwegian keeps "kriger"
    # apart from "krig". A query word meets a passage in the passage's language only.
    assert engine.analyze("krigere", "danish") == engine.analyze("krigerne", "danish")
    assert engine.analyze("krigere", "norwegian") != engine.analyze("krig", "norwegian")
    make("nb", NB_WAR_HEADING, NB_WAR, NB_FIGHTERS)
    make("da", DA_THE_FIGHTERS)

    assert found("krigere") == {DA_THE_FIGHTERS, NB_FIGHTERS}
    assert found("krig") >= {NB_WAR_HEADING, NB_WAR}
    assert found("krigere", language="nb") == {NB_FIGHTERS}


# --- stop words ------------------------------------------------------------------------------

DA_CAMP = "Lejren ligger tæt ved grænsen."
DA_CAMP_AND = "Lejren og byen ligger tæt ved grænsen."
EN_CAMP = "Aid reached a camp near Mosul."
DA_CAMP_NAME = "Flygtningene i Camp Ashraf venter stadig."
DA_THE_CAMP = "Rapporten The Camp beskriver forholdene."


@pytest.fixture
def camps(db):
    make("da", DA_CAMP, DA_CAMP_AND, DA_CAMP_NAME, DA_THE_CAMP)
    make("en", EN_CAMP)


def test_a_stop_word_is_dropped_only_in_its_languages(camps):
    assert {c for c in languages.CONFIGS if "og" in stems.stopwords(c)} == {"danish", "norwegian"}
    assert {c for c in languages.CONFIGS if "the" in stems.stopwords(c)} == {"english"}
    # "og" is a Danish stop word: a Danish passage without it is found.
    assert found("og lejren") == {DA_CAMP, DA_CAMP_AND}
    # "the" is an English stop word only: English passages need just "camp", Danish
    # ones must hold the word "the" itself.
    assert found("camp") == {EN_CAMP, DA_CAMP_NAME, DA_THE_CAMP}
    assert found("the camp") == {EN_CAMP, DA_THE_CAMP}


def test_an_english_word_that_is_a_german_stop_word_is_searched_alone(db):
    # Only a query of stop words of the languages caseworkers type in is refused; war
    # (German "was") is dropped in German passages only.
    assert {c for c in languages.CONFIGS if "war" in stems.stopwords(c)} == {"german"}
    make("en", "The war in the north went on for years.", "Aid reached the camp.")

    assert found("war") == {"The war in the north went on for years."}
    assert passage_search(query="the").error, "an English stop word alone is still refused"


def test_a_phrase_keeps_its_stop_words(db):
    together = "Mange kvinder og børn bor stadig i lejren."
    listed = "Lejren huser mænd, kvinder, børn og ældre."
    make("da", together, listed)

    assert found('"kvinder og børn"') == {together}
    assert found("kvinder og børn") == {together, listed}
    assert found('"kvinder børn"') == {listed}


# --- marks -----------------------------------------------------------------------------------

LONG_DA = (
    "Rapporten beskriver i detaljer forholdene i de nordlige provinser, hvor kampene "
    "mellem regeringens styrker og oprørsgrupperne har varet i flere år, og hvor "
    "adgangen for humanitære organisationer fortsat er stærkt begrænset af både "
    "myndighederne og de lokale militser, der kontrollerer vejene mellem byerne og "
    "landsbyerne i området. Ifølge kilderne flygtede mere end tusind familier fra "
    "landsbyerne i løbet af vinteren."
)
MARKED = [
    # query, the number of passages it finds, and their languages
    ("flygtede OR flyktet OR fled", 4, {"da", "nb", "en"}),
    ("flygt*", 3, {"da"}),
    ("flygt* OR flykt* OR fled", 5, {"da", "nb", "en"}),
    ("IS", 3, {"da", "nb", "en"}),
    ('"IS-krigere"', 1, {"da"}),
    ("familier OR families", 2, {"da", "en"}),
]


@pytest.fixture
def refugees(db):
    make(
        "da",
        "Beboerne flygtede fra byen om natten.",
        "Flygtningelejren rummer nu over tyve tusinde mennesker, der er flygtet.",
        LONG_DA,
        "IS-krigere holdt byen i to år.",
    )
    make("nb", "Innbyggerne flyktet fra byen om natten.", "IS kontrollerte byen i to år.")
    make("en", "Residents said they fled the town at night.", "IS held the families captive.")


@pytest.mark.parametrize(("query", "count", "held"), MARKED)
def test_every_hit_has_a_mark(refugees, query, count, held):
    results = search(query)

    assert results.total == count
    assert {hit.passage.language for hit in results.hits} == held
    for hit in results.hits:
        assert MARK.search(str(hit.snippet)), (query, hit.passage.language, str(hit.snippet))
    assert LONG_DA.index("flygtede") > 320, "its match lies past the first snippet's length"


def test_the_mark_is_on_the_form_in_the_passage(refugees):
    marks = {
        hit.passage.language: MARK.findall(str(hit.snippet))
        for hit in search("flygtede OR flyktet OR fled").hits
        if "om natten" in hit.passage.text or "at night" in hit.passage.text
    }
    assert marks == {"da": ["flygtede"], "nb": ["flyktet"], "en": ["fled"]}
    acronyms = [MARK.findall(str(hit.snippet)) for hit in search("IS").hits]
    assert all(found == ["IS"] for found in acronyms), acronyms


# --- headings do not outrank paragraphs ------------------------------------------------------

PARAGRAPHS = {
    "da": (
        "krig",
        "Blodig krig",
        "Siden oprøret begyndte, har konflikten i provinsen kostet tusinder af civile livet. "
        "Den krig, som regeringen førte mod oprørsgrupperne, ramte især landsbyerne langs "
        "floden, hvor skoler, hospitaler og markeder blev bombet gentagne gange. Mange "
        "familier flygtede til nabolandene, og de, der blev tilbage, lever i dag under "
        "meget vanskelige forhold uden adgang til rent vand eller lægehjælp.",
    ),
    "nb": (
        "krig",
        "Blodig krig",
        "Siden opprøret startet, har konflikten i provinsen kostet tusenvis av sivile livet. "
        "Regimets krig mot opprørsgruppene rammet særlig landsbyene langs elven, der skoler, "
        "sykehus og markeder ble bombet gang på gang. Mange familier flyktet til nabolandene, "
        "og de som ble igjen, lever i dag under svært vanskelige forhold uten tilgang til "
        "rent vann eller legehjelp. Krig har preget hele regionen.",
    ),
    "en": (
        "fighting",
        "Heavy fighting",
        "Since the uprising began, the conflict in the province has cost thousands of "
        "civilian lives. The fighting between the government and the rebel groups hit "
        "the villages along the river hardest, where schools, hospitals and markets were "
        "bombed again and again. Many families fled to neighbouring countries, and those "
        "who stayed now live in very difficult conditions without clean water or doctors.",
    ),
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_a_two_word_heading_does_not_outrank_the_paragraph(db, language):
    word, heading, paragraph = PARAGRAPHS[language]
    assert 40 <= len(languages.words(paragraph)) <= 80
    make(language, heading, paragraph)

    results = search(word)
    assert [hit.passage.text for hit in results.hits] == [paragraph, heading]
    assert results.hits[0].rank > results.hits[1].rank


AVERAGE_PASSAGE = (
    "Rapporten siger videre, at situationen i området er uændret ifølge kilderne, og at "
    "myndighederne ikke har offentliggjort nye tal for antallet af hjemvendte familier."
)
LONGER = (
    " Kilderne oplyser desuden, at adgangen til området fortsat er begrænset, og at de "
    "humanitære organisationer kun sjældent får lov til at besøge landsbyerne."
)


def test_a_heading_does_not_outrank_an_80_word_paragraph_among_average_passages(db):
    # The length weight must reach far enough: among passages of 24 words on average
    # (the judged corpus has 22), a cap of 40 words let Blodig krig outrank this.
    _word, heading, paragraph = PARAGRAPHS["da"]
    paragraph += LONGER
    assert len(languages.words(paragraph)) == 80
    assert paragraph.count("krig") == 1
    make("da", heading, paragraph, *[f"{AVERAGE_PASSAGE} ({n})" for n in range(10)])

    assert texts("krig") == [paragraph, heading]


# --- BM25 order with a left-out word, and ties -----------------------------------------------

CAMP_THRICE = (
    "The camp is crowded: the camp has one clinic, and families who reach the camp "
    "often wait for days before they get a tent or any food at all."
)
CAMP_ONCE = (
    "The camp is crowded: the site has one clinic, and families who reach the area "
    "often wait for days before they get a tent or any food at all."
)
CAMP_IRAQ = "The camp in Iraq is crowded, and the camp has one clinic for the camp."


def test_a_left_out_word_keeps_the_bm25_order(db):
    assert len(languages.words(CAMP_THRICE)) == len(languages.words(CAMP_ONCE))
    make("en", CAMP_ONCE, CAMP_IRAQ, CAMP_THRICE)

    results = search("camp -Iraq")
    assert [hit.passage.text for hit in results.hits] == [CAMP_THRICE, CAMP_ONCE]
    ranks = [hit.rank for hit in results.hits]
    assert ranks[0] > ranks[1] > 0, ranks
    assert search("camp").hits[0].passage.text == CAMP_THRICE


def test_equal_scores_come_in_passage_id_order_on_every_search(db):
    same = "The camp was closed after the attack."
    first = make("en", same, "Nothing else here.")
    make("en", same, "Nothing more here.")
    make("en", same, "Still nothing here.")
    assert len(texts("camp")) == 3  # indexed in one commit
    # The first bilag is written to the index again, in a commit of its own: its passage
    # (the lowest id) now lies in the newest segment, after the others.
    bilag_update(bilag=first, title="Report, corrected")
    assert fresh_searcher().num_segments == 2
    expected = list(Passage.objects.filter(text=same).order_by("id").values_list("id", flat=True))

    for _attempt in range(3):
        results = search("camp")
        assert [hit.passage.id for hit in results.hits] == expected
        assert len({hit.rank for hit in results.hits}) == 1
    paged = [
        hit.passage.id
        for page in (1, 2, 3)
        for hit in passage_search(query="camp", per_page=1, page=page).hits
    ]
    assert paged == expected


# --- facets ----------------------------------------------------------------------------------

FACET_COUNTRIES = ("SY", "IQ", "AF")


@pytest.fixture
def thirty(db) -> list[Bilag]:
    """6 bilag of 5 passages over 3 countries and 2 languages; "Mosul" in some of them."""
    made = []
    for n in range(6):
        language = ("da", "en")[n % 2]
        paragraphs = [
            f"Passage {i} of bilag {n} " + ("names Mosul." if (n + i) % 3 else "does not.")
            for i in range(5)
        ]
        made.append(make(language, *paragraphs, country=FACET_COUNTRIES[n % 3]))
    return made


def expected_counts(query_word: str) -> dict[str, Counter]:
    passages = Passage.objects.filter(
        boilerplate=False, withdrawn=False, text__icontains=query_word
    )
    return {
        "country": Counter(passages.values_list("country", flat=True)),
        "language": Counter(passages.values_list("language", flat=True)),
        "publisher": Counter(str(pk) for pk in passages.values_list("publisher_id", flat=True)),
    }


def facet_counts(results) -> dict[str, Counter]:
    return {
        name: Counter({value.value: value.count for value in results.facets[name]})
        for name in ("country", "language", "publisher")
    }


def test_facet_counts_are_exact_and_list_only_held_values(thirty):
    assert Passage.objects.count() == 30
    results = search("Mosul")
    expected = expected_counts("mosul")
    assert results.total == sum(expected["country"].values()) == 20
    assert facet_counts(results) == expected
    assert set(expected["country"]) == set(FACET_COUNTRIES)

    # The only Afghan bilag with Mosul moves to Lebanon, one Syrian bilag is withdrawn:
    # Afghanistan is no longer held, withdrawn passages count only under their status.
    for bilag in thirty:
        if bilag.country == "AF":
            bilag_update(bilag=bilag, country="LB")
    bilag_withdraw(bilag=thirty[0], reason="Superseded by a newer report.")
    results = search("Mosul")
    expected = expected_counts("mosul")
    assert facet_counts(results) == expected
    assert "AF" not in {value.value for value in results.facets["country"]}
    assert {value.value for value in results.facets["country"]} == {"SY", "IQ", "LB"}
    everything = search("Mosul", status="all")
    statuses = {value.value: value.count for value in everything.facets["status"]}
    gone = Passage.objects.filter(bilag=thirty[0], text__icontains="mosul").count()
    assert statuses == {"current": results.total, "withdrawn": gone}
    assert everything.total == results.total + gone > results.total
