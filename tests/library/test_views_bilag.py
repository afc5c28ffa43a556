"""The bilag pages: the list (filters, order, pages), the detail page (the board's header,
passages with boilerplate folded), markup in a bilag escaped, the original file as
received, and the interface language."""

import datetime as dt
import re

import pytest

from library.ingest.services import bilag_ingest
from library.models import Bilag, Publisher
from tests.factories import BilagFactory, PublisherFactory
from tests.library.pages import (
    SEED_000,
    SEED_004,
    SEED_004_TITLE,
    header,
    header_values,
    ingest_seed,
    listed_numbers,
    seed_bytes,
)

_PASSAGE_ITEM = re.compile(r'<li id="p(\d+)" value="(\d+)" class="passage( boilerplate)?">')


# --- list -----------------------------------------------------------------------------


@pytest.fixture
def four_bilag(db) -> dict[str, Publisher]:
    """101-104, differing in every filtered field."""
    landinfo = PublisherFactory(name="Landinfo")
    bbc = PublisherFactory(name="BBC News")
    BilagFactory(
        number=101,
        country="SY",
        publisher=landinfo,
        language="da",
        title="Camp conditions in Idlib",
        published=dt.date(2018, 9, 11),
        published_precision=Bilag.Precision.DAY,
        intake=dt.date(2018, 10, 11),
    )
    BilagFactory(
        number=102,
        country="IQ",
        publisher=bbc,
        language="en",
        title="Fighters return home",
        published=dt.date(2019, 2, 1),
        published_precision=Bilag.Precision.MONTH,
        intake=dt.date(2019, 3, 1),
    )
    BilagFactory(
        number=103,
        country="SY",
        publisher=bbc,
        language="nb",
        title="Leirene i nord",
        published=dt.date(2020, 5, 5),
        published_precision=Bilag.Precision.DAY,
        intake=dt.date(2020, 6, 1),
        status=Bilag.Status.WITHDRAWN,
        withdrawn_on=dt.date(2021, 1, 4),
        withdrawn_reason="Superseded",
    )
    BilagFactory(
        number=104,
        country="AF",
        publisher=None,
        language="en",
        title="Annual report on CAMPS",
        published=dt.date(2017, 1, 1),
        published_precision=Bilag.Precision.YEAR,
        intake=dt.date(2017, 12, 1),
    )
    return {"Landinfo": landinfo, "BBC News": bbc}


def test_list_without_filters_shows_all_newest_number_first(caseworker_client, four_bilag):
    response = caseworker_client.get("/bilag/")

    assert response.status_code == 200
    assert listed_numbers(response) == [104, 103, 102, 101]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"country": "SY"}, [103, 101]),
        ({"country": "AF"}, [104]),
        ({"language": "en"}, [104, 102]),
        ({"language": "nb"}, [103]),
        ({"status": "withdrawn"}, [103]),
        ({"status": "current"}, [104, 102, 101]),
        ({"published_min": "2019-01-01"}, [103, 102]),
        ({"published_max": "2018-12-31"}, [104, 101]),
        ({"published_min": "2018-01-01", "published_max": "2019-12-31"}, [102, 101]),
        ({"intake_min": "2019-01-01", "intake_max": "2019-12-31"}, [102]),
        ({"intake_max": "2018-10-11"}, [104, 101]),
        ({"number": "103"}, [103]),
        ({"number": "999"}, []),
        ({"q": "camp"}, [104, 101]),
        ({"q": "leirene"}, [103]),
        ({"country": "SY", "status": "current"}, [101]),
    ],
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_list_filter_narrows_results(caseworker_client, four_bilag, query, numbers):
    response = caseworker_client.get("/bilag/", query)

    assert response.status_code == 200
    assert listed_numbers(response) == numbers


@pytest.mark.parametrize(("publisher", "numbers"), [("BBC News", [103, 102]), ("Landinfo", [101])])
def test_list_filter_by_publisher_narrows_results(
    caseworker_client, four_bilag, publisher, numbers
):
    response = caseworker_client.get("/bilag/", {"publisher": four_bilag[publisher].pk})

    assert listed_numbers(response) == numbers


@pytest.mark.parametrize(
    ("order", "numbers"),
    [
        ("number", [101, 102, 103, 104]),
        ("-number", [104, 103, 102, 101]),
        ("published", [104, 101, 102, 103]),
        ("-published", [103, 102, 101, 104]),
        ("-intake", [103, 102, 101, 104]),
    ],
)
def test_list_order_sorts_results(caseworker_client, four_bilag, order, numbers):
    response = caseworker_client.get("/bilag/", {"order": order})

    assert listed_numbers(response) == numbers


def test_list_row_shows_fields_and_withdrawn_badge(caseworker_client, four_bilag):
    response = caseworker_client.get("/bilag/", {"number": "103"})

    content = response.content.decode()
    assert '<tr class="withdrawn">' in content
    assert '<a href="/bilag/103/">Leirene i nord</a>' in content
    assert '<td data-label="Udgivet">5. maj 2020</td>' in content
    assert '<td data-label="Optaget">1. juni 2020</td>' in content


def test_list_paginates_fifty_per_page(caseworker_client, db):
    BilagFactory.create_batch(51, country="SY")
    numbers = sorted(Bilag.objects.values_list("number", flat=True), reverse=True)

    first = caseworker_client.get("/bilag/")
    second = caseworker_client.get("/bilag/", {"page": "2"})

    assert listed_numbers(first) == numbers[:50]
    assert listed_numbers(second) == numbers[50:]
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()


def test_list_pagination_links_keep_the_filters(caseworker_client, db):
    BilagFactory.create_batch(51, country="SY")
    BilagFactory(country="IQ")

    response = caseworker_client.get("/bilag/", {"country": "SY"})

    assert len(listed_numbers(response)) == 50
    assert 'href="?country=SY&amp;page=2" rel="next"' in response.content.decode()


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_board_header_values(caseworker_client, db):
    ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    assert response.status_code == 200
    assert header_values(response) == [
        "863",
        "Syrien (SY)",
        "BBC News",
        SEED_004_TITLE,
        "11. september 2018",
        "11. oktober 2018",
    ]


def test_detail_header_labels_are_the_boards_danish_terms(caseworker_client, db):
    ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    assert [label for label, _value in header(response)] == [
        "Bilagsnr.",
        "Land",
        "Kilde",
        "Titel",
        "Udgivet",
        "Optaget på baggrundsmaterialet",
    ]


def test_detail_shows_month_precision_as_month_and_year(caseworker_client, db):
    bilag = ingest_seed(SEED_000, country="SY", intake="2019-03-01")

    response = caseworker_client.get(f"/bilag/{bilag.number}/")

    values = header_values(response)
    assert values[:2] == [str(bilag.number), "Syrien (SY)"]
    assert values[2].startswith('<span class="unknown">')
    assert values[3:] == [bilag.title, "februar 2019", "1. marts 2019"]


def test_detail_numbers_passages_and_folds_boilerplate(caseworker_client, db):
    bilag = ingest_seed(SEED_004)
    expected = [
        (str(o), str(o), " boilerplate" if b else "")
        for o, b in bilag.passages.order_by("ordinal").values_list("ordinal", "boilerplate")
    ]

    response = caseworker_client.get("/bilag/863/")

    page = response.content.decode()
    assert _PASSAGE_ITEM.findall(page) == expected
    assert len(expected) == 40
    assert sum(1 for item in expected if item[2]) == 21
    # Runs of boilerplate fold together: 1-7, 9-10, 18 and 30-40.
    assert page.count('<li class="boilerplate-run">') == 4


def test_detail_for_unknown_number_is_404(caseworker_client, db):
    BilagFactory(number=5)

    response = caseworker_client.get("/bilag/6/")

    assert response.status_code == 404


# --- escaping -------------------------------------------------------------------------

HOSTILE_TXT = (
    b"<script>alert(1)</script> Angreb paa lejren <img src=x onerror=alert(1)>\n\n"
    b"Civile flygtede fra lejren, og 5 &lt; 7 siger kilden. Et billede <img src=x fulgte\n"
)
HOSTILE_HTML = (
    b"<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt; Rapport</title></head><body>"
    b"<p>&lt;img src=x onerror=alert(1)&gt; tekst om lejren og mere tekst her.</p>"
    b"<p>Et ufaerdigt &lt;img og &amp;lt; her i teksten.</p></body></html>"
)


@pytest.mark.parametrize(
    ("name", "data"), [("hostile.txt", HOSTILE_TXT), ("hostile.html", HOSTILE_HTML)]
)
def test_detail_and_list_escape_markup_in_the_text(caseworker_client, db, name, data):
    result = bilag_ingest(
        name=name, data=data, metadata={"country": "SY", "published": "2019-02", "language": "da"}
    )
    assert result.outcome == "added", result.line()
    assert result.bilag.title.startswith("<script>alert(1)</script>")

    detail = caseworker_client.get(f"/bilag/{result.bilag.number}/").content.decode()
    listing = caseworker_client.get("/bilag/").content.decode()

    # The page's own scripts (selecting words to cite them, finding words in the bilag)
    # are the only script tags.
    own_scripts = [
        '<script src="/static/js/cite.js" defer></script>',
        '<script src="/static/js/bilag.js" defer></script>',
    ]
    for own_script in own_scripts:
        assert detail.count(own_script) == 1
        detail = detail.replace(own_script, "")
    for content in (detail, listing):
        assert "<script" not in content
        assert "<img" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail
    assert "&amp;lt;" in detail


# --- original file --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        (SEED_004, f'attachment; filename="{SEED_004}"'),
        ("rapport_ø.txt", "attachment; filename*=utf-8''rapport_%C3%B8.txt"),
    ],
)
def test_original_is_downloaded_byte_for_byte(caseworker_client, db, name, disposition):
    data = seed_bytes(SEED_004)
    bilag = bilag_ingest(name=name, data=data).bilag

    response = caseworker_client.get(f"/bilag/{bilag.number}/original/")

    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert body == data


def test_original_of_html_is_never_served_as_html(caseworker_client, db):
    result = bilag_ingest(
        name="page.html", data=HOSTILE_HTML, metadata={"country": "SY", "published": "2019"}
    )

    response = caseworker_client.get(f"/bilag/{result.bilag.number}/original/")

    body = b"".join(response.streaming_content)
    response.close()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert body == HOSTILE_HTML


# --- language -------------------------------------------------------------------------


def test_ui_is_danish_by_default(caseworker_client, db):
    ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "<dd>Syrien (SY)</dd>" in content


def test_set_language_switches_to_english(caseworker_client, db):
    ingest_seed(SEED_004)

    switch = caseworker_client.post("/i18n/setlang/", {"language": "en", "next": "/bilag/863/"})
    response = caseworker_client.get("/bilag/863/")

    assert (switch.status_code, switch["Location"]) == (302, "/bilag/863/")
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert header_values(response)[1] == "Syria (SY)"
    assert header_values(response)[4] == "11 September 2018"


def test_ui_stays_danish_whatever_the_browser_asks_for(caseworker_client, db):
    response = caseworker_client.get("/bilag/", headers={"accept-language": "en"})

    assert '<html lang="da">' in response.content.decode()


def test_set_language_works_on_the_login_page(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"number": "abc"},
        {"number": "0"},
        {"number": "2147483648"},
        {"published_min": "2020-13-45"},
        {"intake_max": "igår"},
        {"country": "XX"},
        {"publisher": "999999"},
        {"publisher": "NTB"},
        {"language": "zz"},
        {"status": "deleted"},
        {"order": "title"},
    ],
    ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()),
)
def test_list_answers_a_filter_it_cannot_read_with_400_and_lists_nothing(
    caseworker_client, four_bilag, params
):
    response = caseworker_client.get("/bilag/", params)

    assert response.status_code == 400
    assert listed_numbers(response) == []
    assert 'class="errorlist' in response.content.decode()  # the field says what is wrong


def test_list_with_readable_filters_is_200(caseworker_client, four_bilag):
    response = caseworker_client.get(
        "/bilag/", {"number": "103", "published_min": "2020-01-01", "order": "-number"}
    )

    assert response.status_code == 200
    assert listed_numbers(response) == [103]
