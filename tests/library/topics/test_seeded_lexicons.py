"""The seeded lexicons of the three core topics, case by case, in Danish, Norwegian and
English: what must be tagged, and the traps that must not (the word in another sense,
civilians who flee, militants who are killed, local fighters, foreign troops)."""

import pytest

from library.ingest.services import bilag_ingest
from library.models import PassageTopic, Topic
from library.topics.lexicon import lexicon_errors
from library.topics.matching import compiled_topics, topics_for

MUST = [
    # refugee-camps
    ("refugee-camps", "da", "Over 3.000 mennesker ankom søndag til flygtningelejren al-Hol."),
    ("refugee-camps", "da", "I teltlejren ved grænsen mangler familierne vand."),
    ("refugee-camps", "da", "Lejren huser 20.000 fordrevne fra Idlib."),
    ("refugee-camps", "nb", "Kvinnene håndhever IS-justis i flyktningleirene de kommer til."),
    ("refugee-camps", "nb", "I leiren bor nå 65.000 internt fordrevne."),
    ("refugee-camps", "nb", "Barna i al-Hol-leiren får ikke gå på skole."),
    ("refugee-camps", "en", "More than 65,000 people now live in al-Hol camp in Syria."),
    ("refugee-camps", "en", "Conditions in the refugee camps on Lesbos have worsened."),
    ("refugee-camps", "en", "The camp shelters 12,000 internally displaced people."),
    # foreign-fighters
    ("foreign-fighters", "da", "Op mod 600 jihadister er i området - de fleste af dem udlændinge."),
    ("foreign-fighters", "da", "Regeringen vil ikke hjemtage danske fremmedkrigere fra Syrien."),
    (
        "foreign-fighters",
        "da",
        "SDF vil have landene til at tage imod IS-krigere med dansk statsborgerskab.",
    ),
    ("foreign-fighters", "nb", "Flertallet av de siste IS-soldatene er fremmedkrigere."),
    ("foreign-fighters", "nb", "Regjeringen vil hente hjem IS-krigere med norsk statsborgerskap."),
    ("foreign-fighters", "nb", "Mange av jihadistene i byen er utlendinger, sier kommandanten."),
    ("foreign-fighters", "en", "Thousands of foreign fighters travelled to Syria to join IS."),
    ("foreign-fighters", "en", "Many of the militants are foreigners, the commander said."),
    ("foreign-fighters", "en", "The UK has stripped the citizenship of several IS fighters."),
    # civilian-casualties
    ("civilian-casualties", "da", "Mindst 12 civile blev dræbt i luftangrebet."),
    ("civilian-casualties", "da", "Koalitionen afviser, at der var civile dødsfald."),
    ("civilian-casualties", "da", "Over 40 mennesker omkom, da bomben eksploderede på torvet."),
    ("civilian-casualties", "nb", "Det er det høyeste sivile dødstallet siden offensiven begynte."),
    ("civilian-casualties", "nb", "Lørdag ble minst 43 mennesker drept av luftangrep."),
    ("civilian-casualties", "nb", "Det er frykt for livene til tusenvis av sivile i lommen."),
    ("civilian-casualties", "en", "At least 20 civilians were killed in the air strikes."),
    ("civilian-casualties", "en", "The coalition denies any civilian casualties in Raqqa."),
    ("civilian-casualties", "en", "Dozens of people died when the market was shelled."),
]

MUST_NOT = [
    # refugee-camps: a political camp, a training camp, "campaign", nynorsk "fleire"
    ("refugee-camps", "da", "Flygtninge frygter at vende hjem, så længe Assad-lejren styrer."),
    ("refugee-camps", "da", "Fremmedkrigerne blev trænet i en træningslejr nær Raqqa."),
    ("refugee-camps", "nb", "Flere flyktninger sier de frykter Assad-leiren."),
    ("refugee-camps", "nb", "IS rekrutterte flyktninger til treningsleirene sine ved Raqqa."),
    ("refugee-camps", "nn", "Fleire hundre menneske har flykta frå byen."),
    ("refugee-camps", "en", "Defectors from the pro-government camp say refugees fear return."),
    ("refugee-camps", "en", "Refugees said foreign fighters trained at a training camp nearby."),
    ("refugee-camps", "en", "The force began a campaign to clear IS from north-eastern Syria."),
    # foreign-fighters: local fighters, fighters not said to be foreign, foreign troops
    ("foreign-fighters", "da", "Kurdiske og arabiske krigere rykkede frem mod byen."),
    ("foreign-fighters", "da", "Op mod 600 jihadister er omringet i byen."),
    ("foreign-fighters", "da", "Udenlandske styrker støtter SDF med luftangreb."),
    ("foreign-fighters", "nb", "Omtrent 600 IS-krigere er omringet, sier Bali."),
    ("foreign-fighters", "nb", "USA vil trekke sine 2.000 soldater ut av Nord-Irak."),
    ("foreign-fighters", "nb", "En kurdiskdominert allianse av kurdiske og arabiske krigere."),
    (
        "foreign-fighters",
        "en",
        "The coalition backing Kurdish and Arab fighters expects a fight.",
    ),
    (
        "foreign-fighters",
        "en",
        "The US estimated that IS still had 14,000 militants in Syria.",
    ),
    ("foreign-fighters", "en", "Foreign troops have been in the country since 2015."),
    # civilian-casualties: civilians who flee, fighters killed, civilian clothes
    ("civilian-casualties", "da", "Over 37.000 civile er flygtet fra krigszonen."),
    ("civilian-casualties", "da", "Mindst 15 IS-militante blev dræbt i kampene."),
    ("civilian-casualties", "da", "Fem krigere i civile klæder blev dræbt ved checkpointet."),
    ("civilian-casualties", "nb", "Tusenvis av sivile har flyktet fra Baghouz."),
    ("civilian-casualties", "nb", "Minst 15 IS-krigere ble drept i kampene."),
    ("civilian-casualties", "nb", "To IS-krigere i sivile klær ble drept ved sjekkpunktet."),
    ("civilian-casualties", "en", "At least 15 IS militants were killed in the first day."),
    ("civilian-casualties", "en", "The SDF set up a humanitarian corridor for civilians to flee."),
    (
        "civilian-casualties",
        "en",
        "At least 21 pro-government fighters were killed in an ambush.",
    ),
    ("civilian-casualties", "en", "Militants in civilian clothes were killed at the checkpoint."),
]


def tagged(slug: str, language: str, text: str) -> dict[str, str]:
    topics = compiled_topics()
    slugs = dict(Topic.objects.values_list("id", "slug"))
    return {slugs[tid]: why for tid, why in topics_for(text, language, topics).items()}


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "language", "text"), MUST)
def test_passage_is_tagged(slug, language, text):
    found = tagged(slug, language, text)

    assert slug in found, found
    assert " ← " in found[slug]


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "language", "text"), MUST_NOT)
def test_passage_is_not_tagged(slug, language, text):
    assert slug not in tagged(slug, language, text)


@pytest.mark.django_db
def test_every_seeded_lexicon_parses():
    topics = Topic.objects.all()
    assert topics.count() >= 8
    for topic in topics:
        assert lexicon_errors(topic) == {}, topic.slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        (
            "da",
            "Mindst 12 civile blev dræbt i luftangrebet.",
            "← civile, dræbt",
        ),
        ("nb", "Lørdag ble minst 43 mennesker drept av luftangrep.", "← mennesker, drept"),
        ("en", "At least 20 civilians were killed in the air strikes.", "← civilians, killed"),
    ],
)
def test_reason_names_the_entry_and_the_words(language, text, reason):
    found = tagged("civilian-casualties", language, text)["civilian-casualties"]

    assert found.endswith(reason)
    assert " + " in found  # the all-of entry, as written


NEWS = """ date 2019-02 Civile dræbt i luftangreb i Syrien

Mindst 12 civile blev dræbt, da fly bombede landsbyen nær Baghouz natten til søndag.

Ifølge SDF blev 15 IS-militante dræbt i de samme kampe, de fleste af dem udlændinge.

Over 3.000 mennesker er siden ankommet til flygtningelejren al-Hol.

Flygtninge frygter at vende hjem, så længe Assad-lejren styrer.
"""


@pytest.mark.django_db
def test_ingest_suggests_tags_with_their_reason():
    result = bilag_ingest(
        name="tags.txt", data=NEWS.encode(), metadata={"country": "SY", "language": "da"}
    )
    assert result.outcome == "added", result.message

    tags = {
        (t.passage.ordinal, t.topic.slug): t
        for t in PassageTopic.objects.filter(passage__bilag=result.bilag).select_related(
            "passage", "topic"
        )
    }
    by_passage = {}
    for ordinal, slug in tags:
        by_passage.setdefault(ordinal, set()).add(slug)

    texts = dict(result.bilag.passages.values_list("ordinal", "text"))
    killed = next(o for o, t in texts.items() if t.startswith("Mindst 12 civile"))
    militants = next(o for o, t in texts.items() if t.startswith("Ifølge SDF"))
    camp = next(o for o, t in texts.items() if t.startswith("Over 3.000"))
    assad = next(o for o, t in texts.items() if t.startswith("Flygtninge frygter"))

    civilian = tags[(killed, "civilian-casualties")]
    assert civilian.origin == PassageTopic.Origin.AUTO
    assert civilian.state == PassageTopic.State.SUGGESTED
    assert civilian.reason.startswith("civile | civil | civilist")
    assert civilian.reason.endswith("← civile, dræbt")

    assert "civilian-casualties" not in by_passage.get(militants, set())
    assert "foreign-fighters" in by_passage[militants]
    assert tags[(militants, "foreign-fighters")].reason.endswith("← militante, udlændinge")

    assert "refugee-camps" in by_passage[camp]
    assert "flygtningelejren" in tags[(camp, "refugee-camps")].reason
    assert "refugee-camps" not in by_passage.get(assad, set())


# --- a passage that refers back to the one before ("36 av dem …") ----------------------


@pytest.mark.parametrize(
    ("language", "before", "text"),
    [
        (
            "nb",
            "Lørdag ble minst 43 mennesker drept av luftangrep mot IS-lommen.",
            "Ifølge SOHR var 36 av dem familiemedlemmer, og minst 17 av dem barn.",
        ),
        (
            "da",
            "Mindst 40 mennesker blev dræbt ved angrebet på markedet.",
            "Blandt dem var 12 børn og 9 kvinder.",
        ),
        (
            "en",
            "At least 43 people were killed in the strikes on Saturday.",
            "Seventeen of them were children.",
        ),
    ],
)
def test_a_breakdown_of_the_previous_passage_reads_it(db, language, before, text):
    topics = compiled_topics()
    casualties = Topic.objects.get(slug="civilian-casualties").id

    alone = topics_for(text, language, topics)
    with_context = topics_for(text, language, topics, previous=before)

    assert casualties not in alone, "the passage alone names no harm"
    assert casualties in with_context
    assert "(in the passage before)" in with_context[casualties]


@pytest.mark.parametrize(
    ("language", "before", "text"),
    [
        # No back-reference: the previous passage is not read.
        (
            "nb",
            "Lørdag ble minst 43 mennesker drept av luftangrep.",
            "Barn i leirene mangler skolegang.",
        ),
        # A back-reference, but the passage's own part ("barn", "sivile") is missing.
        (
            "nb",
            "Lørdag ble minst 43 IS-krigere drept av luftangrep.",
            "36 av dem var utenlandske.",
        ),
        (
            "en",
            "Fifteen IS militants were killed in the ambush.",
            "Six of them were commanders.",
        ),
    ],
)
def test_the_previous_passage_is_read_only_for_a_breakdown_of_it(db, language, before, text):
    casualties = Topic.objects.get(slug="civilian-casualties").id

    assert casualties not in topics_for(text, language, compiled_topics(), previous=before)
