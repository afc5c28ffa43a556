"""Every passage its own language: the bilag's is what most of its content says, a
quoted English tweet or Swedish newspaper keeps its own, Nynorsk is nn; a passage's
language decides its search entry and its topic lexicon."""

import datetime as dt

import pytest

from library import languages
from library.ingest.language import passage_languages
from library.ingest.services import bilag_ingest
from library.models import PassageTopic
from library.search.selectors import passage_search
from library.services import bilag_update

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)

DANISH = [
    "Kvinderne og børnene i lejren siger, at de ikke har fået rent vand siden december, "
    "og ifølge Røde Kors er flere af dem syge.",
    "Lægerne i lejren kan kun behandle de alvorligste tilfælde, fortæller en sygeplejerske, "
    "der har arbejdet der i et halvt år.",
]
ENGLISH_TWEET = (
    "Thousands of women and children are still held in the al-Hol camp, and the water "
    "supply has broken down again this week."
)
SWEDISH_PAPER = (
    "Enligt tidningen har flera svenska kvinnor och barn suttit i lägret i över två år "
    "utan att myndigheterna har gjort något för att hämta hem dem."
)
NYNORSK = [
    "Kvinnene og borna i leiren seier at dei ikkje har fått reint vatn sidan desember, og "
    "fleire av dei er sjuke.",
    "Legane i leiren kan berre behandle dei mest alvorlege tilfella, fortel ein sjukepleiar "
    "som har arbeidd der i eit halvt år.",
]


def ingest(paragraphs: list[str], **metadata):
    result = bilag_ingest(
        name="bilag.txt",
        data=("\n\n".join(paragraphs) + "\n").encode(),
        metadata={"country": "SY", "published": "2020", **metadata},
        today=TODAY,
    )
    assert result.outcome == "added", result.message
    return result


def _languages(bilag) -> list[str]:
    return list(bilag.passages.order_by("ordinal").values_list("language", flat=True))


def test_a_danish_article_quoting_an_english_tweet_and_a_swedish_paper():
    result = ingest([DANISH[0], ENGLISH_TWEET, DANISH[1], SWEDISH_PAPER])

    assert result.bilag.language == "da"
    assert _languages(result.bilag) == ["da", "en", "da", "sv"]
    assert "passages in other languages: English, Swedish" in result.notes


def test_a_nynorsk_text_is_nn_and_searched_with_the_norwegian_stems():
    result = ingest(NYNORSK)

    assert result.bilag.language == "nn"
    assert _languages(result.bilag) == ["nn", "nn"]
    assert languages.config_for("nn") == "norwegian"
    assert passage_search(query="leirens").total == 2  # the stem of leiren


def test_short_passages_take_the_bilags_language_unless_they_clearly_say_otherwise():
    bilag, each = passage_languages(
        [DANISH[0], "Syria, 2019.", "Myndighederne anholdt tre mænd.", DANISH[1]]
    )

    assert (bilag, each) == ("da", ["da", "da", "da", "da"])


def test_the_admins_language_stands_against_its_neighbours_but_not_against_english():
    bilag, each = passage_languages([DANISH[0], ENGLISH_TWEET], given="nb")

    assert (bilag, each) == ("nb", ["nb", "en"])


def test_an_english_passage_is_tagged_with_the_english_lexicon():
    result = ingest([DANISH[0], ENGLISH_TWEET])

    english = result.bilag.passages.get(ordinal=2)
    tags = PassageTopic.objects.filter(passage=english, topic__slug="refugee-camps")
    assert tags.exists()
    assert "camp" in tags.get().reason


def test_a_language_correction_moves_the_passages_that_had_the_old_language():
    bilag = ingest([DANISH[0], ENGLISH_TWEET, DANISH[1]]).bilag

    bilag_update(bilag=bilag, language="nb")

    assert _languages(bilag) == ["nb", "en", "nb"]


def test_the_bilag_page_marks_a_passage_in_another_language(client, caseworker):
    bilag = ingest([DANISH[0], ENGLISH_TWEET]).bilag
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"

    page = client.get(f"/bilag/{bilag.number}/").content.decode()

    assert page.count('<span class="language" lang="en">English</span>') == 1
