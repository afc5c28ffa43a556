"""The cases the lexicons missed on real text: a camp named once and then "the camp",
foreign fighters described rather than named, and the languages that had no lexicon
(Swedish, Nynorsk, German) — each with the reason a caseworker reads."""

import pytest

from library.ingest.services import bilag_ingest
from library.models import PassageTopic, Topic
from library.topics.matching import CONTEXT_WINDOW, compiled_topics, tag_passages

pytestmark = pytest.mark.django_db


def _tags(text: str, language: str) -> dict[int, dict[str, PassageTopic]]:
    """{ordinal: {slug: tag}} after ingesting `text` as one bilag."""
    result = bilag_ingest(
        name=f"context-{language}.txt",
        data=text.encode(),
        metadata={"country": "SY", "language": language},
    )
    assert result.outcome == "added", result.message
    found: dict[int, dict[str, PassageTopic]] = {}
    for tag in PassageTopic.objects.filter(passage__bilag=result.bilag).select_related(
        "passage", "topic"
    ):
        found.setdefault(tag.passage.ordinal, {})[tag.topic.slug] = tag
    return found


def _ordinal(text: str, start: str) -> int:
    from library.models import Passage

    return Passage.objects.get(text__startswith=start).ordinal


ANAPHORIC_CAMPS = {
    "da": (
        " date 2019-07 Danske børn i al-Hol\n\n"
        "Over 70.000 mennesker bor nu i flygtningelejren al-Hol i det nordøstlige Syrien.\n\n"
        "I lejren mangler børnene rent vand, og sygdomme breder sig i varmen.\n\n"
        "Regeringen har endnu ikke svaret på henvendelsen fra organisationen.\n",
        "I lejren mangler",
        "Regeringen har",
    ),
    "nb": (
        " date 2019-07 Norske barn i al-Hol\n\n"
        "Over 70 000 mennesker bor nå i flyktningleiren al-Hol nordøst i Syria.\n\n"
        "I leiren mangler barna rent vann, og sykdom sprer seg i varmen.\n\n"
        "Regjeringen har ennå ikke svart på henvendelsen fra organisasjonen.\n",
        "I leiren mangler",
        "Regjeringen har",
    ),
    "nn": (
        " date 2019-07 Norske born i al-Hol\n\n"
        "Over 70 000 menneske bur no i flyktningleiren al-Hol nordaust i Syria.\n\n"
        "I leirane manglar borna reint vatn, og sjukdom spreier seg i varmen.\n\n"
        "Regjeringa har enno ikkje svart på førespurnaden frå organisasjonen.\n",
        "I leirane manglar",
        "Regjeringa har",
    ),
    "sv": (
        " date 2019-07 Svenska barn i al-Hol\n\n"
        "Över 70 000 människor bor nu i flyktinglägret al-Hol i nordöstra Syrien.\n\n"
        "I lägret saknar barnen rent vatten, och sjukdomar sprids i värmen.\n\n"
        "Regeringen har ännu inte svarat på organisationens begäran.\n",
        "I lägret saknar",
        "Regeringen har",
    ),
    "de": (
        " date 2019-07 Deutsche Kinder in al-Hol\n\n"
        "Mehr als 70.000 Menschen leben im Flüchtlingslager al-Hol im Nordosten Syriens.\n\n"
        "Im Lager fehlt den Kindern sauberes Wasser, und Krankheiten breiten sich aus.\n\n"
        "Die Regierung hat auf die Anfrage der Organisation noch nicht geantwortet.\n",
        "Im Lager fehlt",
        "Die Regierung hat",
    ),
    "en": (
        " date 2019-07 British children in al-Hol\n\n"
        "More than 70,000 people now live in al-Hol, a camp for displaced people in Syria.\n\n"
        "Inside the camp, children lack clean water and disease is spreading in the heat.\n\n"
        "The government has not yet answered the organisation's request.\n",
        "Inside the camp",
        "The government has",
    ),
}


@pytest.mark.parametrize("language", sorted(ANAPHORIC_CAMPS))
def test_the_camp_named_once_tags_the_passage_that_refers_back(language):
    text, refers_back, unrelated = ANAPHORIC_CAMPS[language]

    tags = _tags(text, language)

    ordinal = _ordinal(text, refers_back)
    tag = tags[ordinal]["refugee-camps"]
    evidence = tag.evidence[0]
    assert {e["kind"] for e in tag.evidence} == {"context"}
    assert evidence["ordinal"] == ordinal - 1  # the passage that named the camp
    assert tags[ordinal - 1]["refugee-camps"].evidence[0]["kind"] == "lexicon"
    assert tag.explanation.startswith("refers back to “")
    assert f"in afsnit {ordinal - 1}" in tag.explanation
    assert "refugee-camps" not in tags.get(_ordinal(text, unrelated), {})


def test_the_camp_alone_without_an_established_camp_is_not_tagged():
    tags = _tags(
        " date 2019-07 Militærlejren\n\n"
        "Soldaterne vendte tilbage til lejren efter øvelsen i Jylland.\n\n"
        "I lejren var der nye barakker.\n",
        "da",
    )

    assert all("refugee-camps" not in found for found in tags.values())


def test_a_context_entry_reaches_only_the_window_after_the_established_passage(db):
    topics = compiled_topics()
    camps = Topic.objects.get(slug="refugee-camps").id
    named = "Over 70.000 mennesker bor nu i flygtningelejren al-Hol."
    filler = [f"Afsnit {i} handler om noget helt andet end emnet." for i in range(CONTEXT_WINDOW)]
    later = "I lejren mangler børnene rent vand."
    passages = [(i + 1, t, "da") for i, t in enumerate([named, *filler, later])]

    within = tag_passages(passages[:2] + passages[-1:], topics)
    beyond = tag_passages(passages, topics)

    assert camps in within[-1]
    assert camps not in beyond[-1]


DESCRIBED_FIGHTERS = [
    ("en", "Three British jihadists who left for Syria were sentenced in London."),
    ("en", "She was one of the so-called ISIS brides from the Netherlands."),
    ("da", "Flere danske jihadister tilsluttede sig Islamisk Stat i 2014."),
    ("nb", "Over 100 norske jihadister har sluttet seg til IS, ifølge PST."),
    ("nn", "Fleire framandkrigarar frå Noreg er no i fangeleirar i Syria."),
    ("sv", "Flera svenska IS-resenärer har återvänt från Syrien."),
    ("sv", "Många utländska stridande anslöt sig till Islamiska staten."),
    ("de", "Rund 1000 Islamisten sind aus Deutschland nach Syrien ausgereist."),
    ("de", "Viele ausländische Kämpfer des IS sitzen in kurdischen Gefängnissen."),
]


@pytest.mark.parametrize(("language", "text"), DESCRIBED_FIGHTERS)
def test_foreign_fighters_described_rather_than_named(db, language, text):
    fighters = Topic.objects.get(slug="foreign-fighters").id

    (hits,) = tag_passages([(1, text, language)], compiled_topics())

    assert fighters in hits
    assert hits[fighters].evidence[0]["kind"] == "lexicon"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Syrian rebels joined forces with local tribes near Deir ez-Zor."),
        ("da", "Kurdiske krigere blev dømt for drab i Qamishli."),
        ("sv", "Kurdiska styrkor stred mot IS i Raqqa."),
        ("de", "Kurdische Kämpfer eroberten die Stadt zurück."),
    ],
)
def test_local_fighters_are_not_foreign_fighters(db, language, text):
    fighters = Topic.objects.get(slug="foreign-fighters").id

    (hits,) = tag_passages([(1, text, language)], compiled_topics())

    assert fighters not in hits


@pytest.mark.parametrize(
    ("slug", "language", "text", "matched"),
    [
        (
            "refugee-camps",
            "sv",
            "Över 60 000 personer bor i flyktinglägret al-Hol.",
            "“flyktinglägret”",
        ),
        (
            "refugee-camps",
            "nn",
            "Fleire tusen born bur i flyktningleirane i Syria.",
            "“flyktningleirane”",
        ),
        (
            "refugee-camps",
            "de",
            "Im Flüchtlingslager Zaatari leben 80.000 Menschen.",
            "“Flüchtlingslager”",
        ),
        (
            "civilian-casualties",
            "sv",
            "Minst tolv civila dödades i flyganfallet.",
            "“civila” + “dödades”",
        ),
        (
            "civilian-casualties",
            "nn",
            "Minst tolv sivile vart drepne i åtaket.",
            "“sivile” + “drepne”",
        ),
        (
            "civilian-casualties",
            "de",
            "Bei dem Luftangriff wurden zwölf Zivilisten getötet.",
            "“Zivilisten” + “getötet”",
        ),
    ],
)
def test_swedish_nynorsk_and_german_passages_are_read_with_their_own_lexicon(
    slug, language, text, matched
):
    tags = _tags(f" date 2019-03 Test\n\n{text}\n", language)

    tag = tags[_ordinal(text, text[:12])][slug]
    assert tag.explanation.startswith(f"matched {matched} (entry ")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "Soldaterna återvände till militärlägret efter övningen."),
        ("de", "Die Lage in der Stadt ist nach den Kämpfen ruhig."),
        ("sv", "Tolv IS-krigare dödades i striderna vid Baghuz."),
        ("de", "Zwölf IS-Kämpfer wurden bei den Gefechten getötet."),
    ],
)
def test_hard_negatives_in_the_new_languages(db, language, text):
    (hits,) = tag_passages([(1, text, language)], compiled_topics())
    slugs = dict(Topic.objects.values_list("id", "slug"))

    assert {slugs[t] for t in hits} & {"refugee-camps", "civilian-casualties"} == set()


def test_reasons_are_in_the_ui_language():
    text = "Over 3.000 mennesker ankom søndag til flygtningelejren al-Hol."
    tags = _tags(f" date 2019-03 Test\n\n{text}\n", "da")
    tag = tags[_ordinal(text, "Over 3.000")]["refugee-camps"]

    from django.utils import translation

    with translation.override("da"):
        danish = tag.explanation
    with translation.override("en"):
        english = tag.explanation

    assert english == (
        'matched “flygtningelejren” (entry *flygtningelejr*); matched “al Hol” (entry "al hol")'
    )
    assert danish == (
        'fandt “flygtningelejren” (opslag *flygtningelejr*); fandt “al Hol” (opslag "al hol")'
    )
