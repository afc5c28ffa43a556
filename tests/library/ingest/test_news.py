"""News text as it comes: a ` date` line with a month or a day, and a headline found
below section labels, bylines, datelines, breadcrumbs and photo captions (each flagged
as boilerplate of its kind), in text with or without a date line."""

import datetime as dt

import pytest

from library.ingest.passages import classify
from library.ingest.results import ADDED
from library.ingest.services import bilag_ingest

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)


def ingest(text: str, **metadata):
    result = bilag_ingest(
        name="news.txt",
        data=text.encode(),
        metadata={"country": "SY", **metadata},
        today=TODAY,
    )
    assert result.outcome == ADDED, result.message
    return result.bilag


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("NTB utenriks", "section"),
        ("Relateret indhold Artikler", "section"),
        ("Latest Updates", "section"),
        ("Home / Latest Updates / Syria", "breadcrumb"),
        ("Forside › Nyheder › Udland", "breadcrumb"),
        ("Af Jens Hansen", "byline"),
        ("Av Kari Nordmann, NTB", "byline"),
        ("By John Smith | Reuters", "byline"),
        ("Tekst: Anne Holm", "byline"),
        ("Publisert: 10.02.19 20:59", "dateline"),
        ("I KAMP: Dette bildet viser krigere i ørkenen. Foto: AP / NTB scanpix", "caption"),
        # headlines and sentences stay content
        ("Blodig krig", ""),
        ("De siste IS-krigerne kjemper til døden", ""),
        ("Syria: camps / prisons", ""),
        ("Av og til kommer de tilbake", ""),
        ("By Monday the camp was full.", ""),
    ],
)
def test_labels_above_a_headline_are_boilerplate_of_their_kind(text, kind):
    assert classify(text) == kind


def test_the_title_is_the_headline_below_a_section_label_and_a_byline():
    bilag = ingest(
        " date 2019-03 NTB utenriks\n\n"
        "Av Kari Nordmann, NTB\n\n"
        "Tusenvis flykter fra Baghouz\n\n"
        "Mange av dem er kvinner og barn, opplyser den kurdiske militsen SDF.\n"
    )

    assert bilag.title == "Tusenvis flykter fra Baghouz"
    kinds = list(bilag.passages.order_by("ordinal").values_list("boilerplate_kind", flat=True))
    assert kinds == ["section", "byline", "", ""]


def test_a_date_line_with_a_day_gives_a_day_precise_date():
    bilag = ingest(
        " date 2019-03-17 Home / Latest Updates / Syria\n\n"
        "Families leave Baghouz as the fighting ends\n\n"
        "Thousands of people, many of them women and children, have left the town.\n"
    )

    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 3, 17), "day")
    assert bilag.title == "Families leave Baghouz as the fighting ends"
    assert bilag.passages.get(ordinal=1).boilerplate_kind == "breadcrumb"


def test_plain_text_without_a_date_line_gets_the_same_reading():
    bilag = ingest(
        "Relateret indhold Artikler\n\n"
        "Af Jens Hansen\n\n"
        "Lejren i al-Hol er overfyldt\n\n"
        "Over 70.000 mennesker bor nu i lejren, siger FN.\n",
        published="2019-04",
    )

    assert bilag.title == "Lejren i al-Hol er overfyldt"
    assert bilag.shape == "plain"
