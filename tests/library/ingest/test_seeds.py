"""Ingesting the five real seeds: every parsed field, every boilerplate decision, export.

The seeds are ingested the way an admin would, with `manage.py ingest seeds/`, so
seeds/manifest.toml supplies what the news texts do not say (country; VG for 002).
"""

import datetime as dt
import hashlib
import io
import itertools
import json

import pytest
from django.core.management import call_command

from library.models import Bilag, Passage
from tests.support import SEEDS

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))

# file -> what a caseworker must see. `intake` None means "the day of ingestion".
EXPECTED = {
    "000_091d3380eedcd8de.txt": {
        "number": 1,
        "country": "SY",
        "publisher": None,
        "title": (
            "Over 37.000 civile er flygtet fra krigszone - først og fremmest koner og "
            "børn til jihadister fra IS."
        ),
        "published": dt.date(2019, 2, 1),
        "published_precision": "month",
        "published_iso": "2019-02",
        "intake": None,
        "language": "da",
        "shape": "news",
        "passages": 13,
        # All thirteen paragraphs are article text, including the two quotes that
        # open with "- " (Danish press style for speech).
        "boilerplate": [],
    },
    "001_eb9eaf48cf008476.txt": {
        "number": 2,
        "country": "SY",
        "publisher": None,
        "title": (
            "Over sju år inn i den blodige borgerkrigen i Syria kjemper flere styrker på "
            "flere fronter for å drive jihadistgruppa IS ut av sine gjenværende territorier."
        ),
        "published": dt.date(2018, 11, 1),
        "published_precision": "month",
        "published_iso": "2018-11",
        "intake": None,
        "language": "nb",
        "shape": "news",
        "passages": 20,
        # Subheadings ("Luftangrep", "Drevet ut i ørkenen", "Blodig krig") and the
        # quotes opening with "– " are content.
        "boilerplate": [],
    },
    "002_5dca1336a18c5cf3.txt": {
        "number": 3,
        "country": "SY",
        "publisher": "VG",
        "title": "De siste IS-krigerne kjemper til døden",
        # "Publisert: 10.02.19 20:59" is more precise than the " date 2019-02" line.
        "published": dt.date(2019, 2, 10),
        "published_precision": "day",
        "published_iso": "2019-02-10",
        "intake": None,
        "language": "nb",
        "shape": "news",
        "passages": 33,
        "boilerplate": [
            (1, "caption"),  # I KAMP: Dette bildet … Foto: AP / NTB scanpix …
            (4, "dateline"),  # Publisert: 10.02.19 20:59
            (7, "caption"),  # RULLER FREM: … Foto: Foto: AP
            (11, "caption"),  # SDF-TALSMANN: … Foto: SDF
            (14, "caption"),  # FRYKTET VÅPEN: … Foto: TT NYHETSBYRÅN
            (22, "share"),  # arrow-left (gallery button)
            (23, "caption"),  # arrow-right expand-left FLYKTNINGER: Kvinner og barn …
            (29, "caption"),  # SLIK ER SYRIA I DAG: (map legend) … Foto: Foto: Skjermdump
        ],
    },
    "003_95a891455d9b7643.txt": {
        "number": 4,
        "country": "SY",
        "publisher": None,
        "title": (
            "Tusenvis av mennesker, mange av dem kvinner og barn, har de siste ukene "
            "flyktet fra Baghouz, den siste IS-bastionen i Syria."
        ),
        "published": dt.date(2019, 3, 1),
        "published_precision": "month",
        "published_iso": "2019-03",
        "intake": None,
        "language": "nb",
        "shape": "news",
        "passages": 20,
        # "– Målet var å terrorisere IS-krigerne" is a subheading, content.
        "boilerplate": [(3, "credit")],  # REUTERS TV (video credit)
    },
    "004_e1216e5ac3c25b1b.txt": {
        "number": 863,
        "country": "SY",
        "publisher": "BBC News",
        "title": "US-backed force attacks IS pocket in eastern Syria",
        "published": dt.date(2018, 9, 11),
        "published_precision": "day",
        "published_iso": "2018-09-11",
        "intake": dt.date(2018, 10, 11),
        "language": "en",
        "shape": "board-header",
        "passages": 40,
        "boilerplate": [
            (1, "cookie"),  # Let us know you agree to cookies
            (2, "cookie"),  # We use cookies …
            (3, "cookie"),  # Yes, I agree
            (4, "cookie"),  # No, take me to settings
            (5, "menu"),  # Home News Sport Weather …
            (6, "menu"),  # Home Video World UK …
            (7, "fragment"),  # AL
            (9, "dateline"),  # 11 September 2018
            # "Syrian civil war" sits between the dateline and the article as a topic
            # link (it recurs under "Related Topics"); it is page navigation, not text a
            # caseworker would cite, and it would answer searches for "civil war".
            (10, "menu"),
            (18, "links"),  # - IS 'releases new audio' … (related-story links)
            (30, "footer"),  # Related Topics
            (31, "footer"),
            (32, "footer"),
            (33, "footer"),
            (34, "share"),  # Share this story About sharing
            (35, "footer"),  # More on this story
            (36, "footer"),
            (37, "footer"),
            (38, "footer"),
            (39, "footer"),
            (40, "footer"),  # Middle East
        ],
    },
}


@pytest.fixture
def ingested(db, seeds_dir) -> dict[str, Bilag]:
    """The five seeds ingested with `manage.py ingest seeds/`, by original file name."""
    out = io.StringIO()
    call_command("ingest", str(seeds_dir), stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == "added 5, unchanged 0, failed 0"
    return {b.original_name: b for b in Bilag.objects.select_related("publisher")}


def test_seed_folder_holds_the_five_expected_files():
    assert sorted(EXPECTED) == SEED_FILES


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_metadata_parsed_exactly(ingested, name):
    expected = EXPECTED[name]
    bilag = ingested[name]

    assert bilag.number == expected["number"]
    assert bilag.country == expected["country"]
    assert (bilag.publisher.name if bilag.publisher else None) == expected["publisher"]
    assert bilag.title == expected["title"]
    assert bilag.published == expected["published"]
    assert bilag.published_precision == expected["published_precision"]
    assert bilag.published_iso() == expected["published_iso"]
    assert bilag.intake == (expected["intake"] or dt.date.today())
    assert bilag.language == expected["language"]
    assert bilag.shape == expected["shape"]
    assert bilag.kind == "txt"
    assert bilag.status == "current"


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_original_and_full_text_kept_as_received(ingested, name):
    data = (SEEDS / name).read_bytes()
    bilag = ingested[name]

    assert bilag.sha256 == hashlib.sha256(data).hexdigest()
    assert bilag.full_text == data.decode("utf-8")
    with bilag.original.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_passage_count_and_boilerplate_exact(ingested, name):
    expected = EXPECTED[name]
    passages = list(ingested[name].passages.order_by("ordinal"))

    boilerplate = [(p.ordinal, p.boilerplate_kind) for p in passages if p.boilerplate]
    unflagged_kinds = [p.ordinal for p in passages if not p.boilerplate and p.boilerplate_kind]

    assert len(passages) == expected["passages"]
    assert boilerplate == expected["boilerplate"]
    assert unflagged_kinds == []


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_passages_are_exact_slices_in_reading_order(ingested, name):
    bilag = ingested[name]
    passages = list(bilag.passages.order_by("ordinal"))

    assert [p.ordinal for p in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert passage.text == bilag.full_text[passage.start : passage.end]
        assert passage.text == passage.text.strip()
        assert passage.language == bilag.language
        assert passage.page is None
    starts = [p.start for p in passages]
    assert starts == sorted(starts)
    assert all(a.end < b.start for a, b in itertools.pairwise(passages))


def test_seed_board_header_is_not_a_passage(ingested):
    bilag = ingested["004_e1216e5ac3c25b1b.txt"]
    first = bilag.passages.get(ordinal=1)

    assert first.text == "Let us know you agree to cookies"
    assert "Bilagsnr." not in " ".join(bilag.passages.values_list("text", flat=True))


def test_seed_news_date_line_is_not_in_the_first_passage(ingested):
    bilag = ingested["000_091d3380eedcd8de.txt"]
    first = bilag.passages.get(ordinal=1)

    assert first.start == len(" date 2019-02 ")
    assert first.text.startswith("Over 37.000 civile er flygtet")


def test_seed_total_rows(ingested):
    assert Bilag.objects.count() == 5
    assert Passage.objects.count() == 13 + 20 + 33 + 20 + 40


def test_seed_export_is_json_lines_in_the_design_shape(ingested):
    out = io.StringIO()

    call_command("export", stdout=out)

    lines = out.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(lines) == 5
    assert [r["number"] for r in records] == [1, 2, 3, 4, 863]
    for record in records:
        name = next(n for n, b in ingested.items() if b.number == record["number"])
        expected = EXPECTED[name]
        bilag = ingested[name]
        assert set(record) == {
            "number",
            "country",
            "publisher",
            "title",
            "published",
            "intake",
            "language",
            "status",
            "withdrawn_on",
            "withdrawn_reason",
            "sha256",
            "ocr_pages",
            "unread_pages",
            "passages",
        }
        assert record["country"] == expected["country"]
        assert record["publisher"] == expected["publisher"]
        assert record["title"] == expected["title"]
        assert record["published"] == expected["published_iso"]
        assert record["intake"] == (expected["intake"] or dt.date.today()).isoformat()
        assert record["language"] == expected["language"]
        assert record["status"] == "current"
        assert record["withdrawn_on"] is None
        assert record["withdrawn_reason"] is None
        assert record["sha256"] == bilag.sha256
        passages = list(bilag.passages.order_by("ordinal"))
        assert record["passages"] == [
            {
                "ordinal": p.ordinal,
                "page": None,  # not a PDF
                "ocr": False,
                "language": p.language,
                "text": p.text,
                "boilerplate": p.boilerplate,
                "topics": sorted(
                    p.topic_tags.exclude(state="rejected").values_list("topic__slug", flat=True)
                ),
            }
            for p in passages
        ]
        tagged = [p for p in record["passages"] if p["topics"]]
        assert tagged, "the seeds are tagged at ingestion"
        assert not any(p["topics"] for p in record["passages"] if p["boilerplate"])


def test_seed_export_month_precision_as_year_month(ingested):
    out = io.StringIO()

    call_command("export", stdout=out)

    first = json.loads(out.getvalue().splitlines()[0])
    assert first["number"] == 1
    assert first["published"] == "2019-02"
    assert first["passages"][0] == {
        "ordinal": 1,
        "page": None,
        "ocr": False,
        "language": "da",
        "text": (
            "Over 37.000 civile er flygtet fra krigszone - først og fremmest koner og "
            "børn til jihadister fra IS."
        ),
        "boilerplate": False,
        "topics": ["displacement", "women-children"],  # seeds/topic_labels.toml agrees
    }
