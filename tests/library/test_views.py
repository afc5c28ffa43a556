"""The library's pages: upload, list, detail, original, edit, withdraw, API, language."""

import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape

from library.ingest.services import bilag_ingest
from library.models import Bilag, Passage, Publisher
from tests.conftest import SEEDS, stored_files
from tests.factories import BilagFactory, PublisherFactory

SEED_000 = "000_091d3380eedcd8de.txt"
SEED_001 = "001_eb9eaf48cf008476.txt"
SEED_002 = "002_5dca1336a18c5cf3.txt"
SEED_003 = "003_95a891455d9b7643.txt"
SEED_004 = "004_e1216e5ac3c25b1b.txt"
SEED_004_TITLE = "US-backed force attacks IS pocket in eastern Syria"

_RESULT_ROW = re.compile(r'<tr class="result-(\w+)">\s*<td>([^<]*)</td>')
_LIST_NUMBER = re.compile(r'<td class="num">(\d+)</td>')
_HEADER_PAIR = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.S)
_PASSAGE_ITEM = re.compile(
    r'<li id="p(\d+)" value="(\d+)" class="passage( boilerplate)?">\s*(<details>)?'
)
_WARNING = re.compile(r'<p class="warning" role="alert">(.*?)</p>', re.S)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed_bytes(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def _seed_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _seed_bytes(name), content_type="text/plain")


def _ingest_seed(name: str, **metadata) -> Bilag:
    result = bilag_ingest(name=name, data=_seed_bytes(name), metadata=metadata or None)
    assert result.outcome == "added", result.line()
    return result.bilag


def _result_rows(response) -> list[tuple[str, str]]:
    return _RESULT_ROW.findall(response.content.decode())


def _listed_numbers(response) -> list[int]:
    return [int(n) for n in _LIST_NUMBER.findall(response.content.decode())]


def _in_english(client):
    """Messages are asserted in the source language: the switch's cookie selects it."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _form_errors(response) -> dict[str, list[str]]:
    """The form's errors in English (lazy messages are read after the request ended)."""
    with translation.override("en"):
        return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def _header(response) -> list[tuple[str, str]]:
    return _HEADER_PAIR.findall(response.content.decode())


def _header_values(response) -> list[str]:
    return [value for _label, value in _header(response)]


# --- upload ---------------------------------------------------------------------------


def test_upload_single_file_with_metadata_adds_it(admin_client_, media_root):
    data = {
        "files": _seed_upload(SEED_000),
        "number": "500",
        "country": "SY",
        "publisher": "Ritzau",
        "title": "Civile flygter fra Baghouz",
        "published": "2019-02-17",
        "intake": "2019-03-01",
        "language": "da",
    }

    response = admin_client_.post("/bilag/upload/", data)

    assert response.status_code == 200
    assert _result_rows(response) == [("added", SEED_000)]
    assert 'href="/bilag/500/"' in response.content.decode()
    bilag = Bilag.objects.get()
    assert (
        bilag.number,
        bilag.country,
        bilag.publisher.name,
        bilag.title,
        bilag.published,
        bilag.published_precision,
        bilag.intake,
        bilag.language,
        bilag.status,
        bilag.original_name,
    ) == (
        500,
        "SY",
        "Ritzau",
        "Civile flygter fra Baghouz",
        dt.date(2019, 2, 17),
        Bilag.Precision.DAY,
        dt.date(2019, 3, 1),
        "da",
        Bilag.Status.CURRENT,
        SEED_000,
    )
    assert len(stored_files(media_root)) == 1


def test_upload_several_files_lists_a_result_for_each(admin_client_, media_root):
    names = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]
    data = {"files": [_seed_upload(n) for n in names], "country": "SY"}

    response = admin_client_.post("/bilag/upload/", data)

    assert response.status_code == 200
    assert _result_rows(response) == [("added", n) for n in names]
    assert dict(Bilag.objects.values_list("original_name", "number")) == {
        SEED_000: 1,
        SEED_001: 2,
        SEED_002: 3,
        SEED_003: 4,
        SEED_004: 863,
    }
    assert set(Bilag.objects.values_list("country", flat=True)) == {"SY"}
    assert len(stored_files(media_root)) == 5


def test_upload_same_files_again_reports_them_unchanged(admin_client_, media_root):
    names = [SEED_000, SEED_004]
    admin_client_.post(
        "/bilag/upload/", {"files": [_seed_upload(n) for n in names], "country": "SY"}
    )

    response = admin_client_.post(
        "/bilag/upload/", {"files": [_seed_upload(n) for n in names], "country": "SY"}
    )

    assert response.status_code == 200
    assert _result_rows(response) == [("unchanged", SEED_000), ("unchanged", SEED_004)]
    assert Bilag.objects.count() == 2
    assert len(stored_files(media_root)) == 2


def test_upload_bad_file_among_good_ones_fails_only_that_file(admin_client_, media_root):
    bad = SimpleUploadedFile("broken.pdf", b"this is plain text, not a PDF", "application/pdf")
    data = {"files": [_seed_upload(SEED_000), bad, _seed_upload(SEED_001)], "country": "SY"}

    response = _in_english(admin_client_).post("/bilag/upload/", data)

    assert response.status_code == 422
    assert _result_rows(response) == [
        ("added", SEED_000),
        ("failed", "broken.pdf"),
        ("added", SEED_001),
    ]
    assert "the file is not a PDF (it does not start with %PDF-)" in response.content.decode()
    assert sorted(Bilag.objects.values_list("original_name", flat=True)) == [SEED_000, SEED_001]
    assert Passage.objects.exclude(bilag__original_name__in=[SEED_000, SEED_001]).count() == 0
    files = stored_files(media_root)
    assert len(files) == 2
    assert {f.suffix for f in files} == {".txt"}


@pytest.mark.parametrize(("field", "value"), [("number", "77"), ("title", "One title")])
def test_upload_number_or_title_with_several_files_is_a_form_error(
    admin_client_, media_root, field, value
):
    data = {
        "files": [_seed_upload(SEED_000), _seed_upload(SEED_001)],
        "country": "SY",
        field: value,
    }

    response = _in_english(admin_client_).post("/bilag/upload/", data)

    assert response.status_code == 400
    assert _form_errors(response) == {field: ["Only with a single file."]}
    assert Bilag.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_unsupported_extension_is_a_form_error_naming_the_file(admin_client_, media_root):
    data = {
        "files": [
            _seed_upload(SEED_000),
            SimpleUploadedFile("notes.docx", b"PK\x03\x04 not really", "application/msword"),
        ],
        "country": "SY",
    }

    response = _in_english(admin_client_).post("/bilag/upload/", data)

    # The ingest service's own wording (one rule, library.ingest.formats.check_file).
    message = "notes.docx: unsupported file type '.docx': Baggrund takes .txt, .html, .htm, .pdf"
    assert response.status_code == 400
    assert _form_errors(response) == {"files": [message]}
    assert escape(message) in response.content.decode()
    assert Bilag.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_file_over_size_limit_is_a_form_error_naming_the_file(
    admin_client_, media_root, settings
):
    settings.BAGGRUND_MAX_FILE_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.txt", b"ord " * (3 * 1024 * 1024 // 8), "text/plain")

    response = _in_english(admin_client_).post("/bilag/upload/", {"files": big, "country": "SY"})

    message = "big.txt: the file is too large (1.5\xa0MB); the limit is 1.0\xa0MB"
    assert response.status_code == 400
    assert _form_errors(response) == {"files": [message]}
    assert message in response.content.decode()
    assert Bilag.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_results_escape_a_hostile_file_name(admin_client_):
    name = "<img src=x onerror=alert(1)>.pdf"
    data = {"files": SimpleUploadedFile(name, b"not a pdf", "application/pdf"), "country": "SY"}

    response = _in_english(admin_client_).post("/bilag/upload/", data)

    content = response.content.decode()
    assert response.status_code == 422
    assert "<img" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in content


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
    assert _listed_numbers(response) == [104, 103, 102, 101]


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
    assert _listed_numbers(response) == numbers


@pytest.mark.parametrize(("publisher", "numbers"), [("BBC News", [103, 102]), ("Landinfo", [101])])
def test_list_filter_by_publisher_narrows_results(
    caseworker_client, four_bilag, publisher, numbers
):
    response = caseworker_client.get("/bilag/", {"publisher": four_bilag[publisher].pk})

    assert _listed_numbers(response) == numbers


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

    assert _listed_numbers(response) == numbers


def test_list_row_shows_fields_and_withdrawn_badge(caseworker_client, four_bilag):
    response = caseworker_client.get("/bilag/", {"number": "103"})

    content = response.content.decode()
    assert '<tr class="withdrawn">' in content
    assert '<a href="/bilag/103/">Leirene i nord</a>' in content
    assert "<td>5. maj 2020</td>" in content
    assert "<td>2020-06-01</td>" in content


def test_list_paginates_fifty_per_page(caseworker_client, db):
    BilagFactory.create_batch(51, country="SY")
    numbers = sorted(Bilag.objects.values_list("number", flat=True), reverse=True)

    first = caseworker_client.get("/bilag/")
    second = caseworker_client.get("/bilag/", {"page": "2"})

    assert _listed_numbers(first) == numbers[:50]
    assert _listed_numbers(second) == numbers[50:]
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()


def test_list_pagination_links_keep_the_filters(caseworker_client, db):
    BilagFactory.create_batch(51, country="SY")
    BilagFactory(country="IQ")

    response = caseworker_client.get("/bilag/", {"country": "SY"})

    assert len(_listed_numbers(response)) == 50
    assert 'href="?country=SY&amp;page=2" rel="next"' in response.content.decode()


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_board_header_values(caseworker_client, db):
    _ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    assert response.status_code == 200
    assert _header_values(response) == [
        "863",
        "Syrien (SY)",
        "BBC News",
        SEED_004_TITLE,
        "11. september 2018",
        "11. oktober 2018",
    ]


def test_detail_header_labels_are_the_boards_danish_terms(caseworker_client, db):
    _ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    assert [label for label, _value in _header(response)] == [
        "Bilagsnr.",
        "Land",
        "Kilde",
        "Titel",
        "Udgivet",
        "Optaget på baggrundsmaterialet",
    ]


def test_detail_shows_month_precision_as_month_and_year(caseworker_client, db):
    bilag = _ingest_seed(SEED_000, country="SY", intake="2019-03-01")

    response = caseworker_client.get(f"/bilag/{bilag.number}/")

    values = _header_values(response)
    assert values[:2] == [str(bilag.number), "Syrien (SY)"]
    assert values[2].startswith('<span class="unknown">')
    assert values[3:] == [bilag.title, "februar 2019", "1. marts 2019"]


def test_detail_numbers_passages_and_folds_boilerplate(caseworker_client, db):
    bilag = _ingest_seed(SEED_004)
    expected = [
        (str(o), str(o), " boilerplate" if b else "", "<details>" if b else "")
        for o, b in bilag.passages.order_by("ordinal").values_list("ordinal", "boilerplate")
    ]

    response = caseworker_client.get("/bilag/863/")

    assert _PASSAGE_ITEM.findall(response.content.decode()) == expected
    assert len(expected) == 40
    assert sum(1 for item in expected if item[2]) == 21


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

    # The page's own script (selecting words to cite them) is the only script tag.
    own_script = '<script src="/static/js/cite.js" defer></script>'
    assert detail.count(own_script) == 1
    for content in (detail.replace(own_script, ""), listing):
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
    data = _seed_bytes(SEED_004)
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


# --- edit -----------------------------------------------------------------------------


def _edit_data(**overrides) -> dict:
    data = {
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Kampe ved Hajin",
        "published": "2019-03",
        "intake": "2018-10-11",
        "language": "en",
    }
    return {**data, **overrides}


def test_edit_corrects_publisher_title_and_month_precise_date(admin_client_, db):
    _ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data())
    detail = admin_client_.get("/bilag/863/")

    bilag = Bilag.objects.get(number=863)
    assert (response.status_code, response["Location"]) == (302, "/bilag/863/")
    assert (bilag.publisher.name, bilag.title, bilag.published, bilag.published_precision) == (
        "Landinfo",
        "Kampe ved Hajin",
        dt.date(2019, 3, 1),
        Bilag.Precision.MONTH,
    )
    assert _header_values(detail) == [
        "863",
        "Syrien (SY)",
        "Landinfo",
        "Kampe ved Hajin",
        "marts 2019",
        "11. oktober 2018",
    ]


def test_edit_form_starts_from_the_current_values(admin_client_, db):
    _ingest_seed(SEED_004)

    response = admin_client_.get("/bilag/863/edit/")

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "country": "SY",
        "publisher": "BBC News",
        "title": SEED_004_TITLE,
        "published": "2018-09-11",
        "intake": dt.date(2018, 10, 11),
        "language": "en",
    }


def test_edit_with_impossible_date_is_a_form_error_naming_the_value(admin_client_, db):
    _ingest_seed(SEED_004)

    response = _in_english(admin_client_).post(
        "/bilag/863/edit/", _edit_data(published="31. februar 2019")
    )

    bilag = Bilag.objects.get(number=863)
    message = "'31. februar 2019' is not a valid date: February 2019 has 28 days"
    assert response.status_code == 200
    assert _form_errors(response) == {"published": [message]}
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert (bilag.title, bilag.published) == (SEED_004_TITLE, dt.date(2018, 9, 11))


def test_edit_impossible_date_error_reads_as_danish_by_default(admin_client_, db):
    _ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data(published="31. februar 2019"))

    assert response.status_code == 200
    assert (
        "&#x27;31. februar 2019&#x27; er ikke en gyldig dato: februar 2019 har 28 dage"
        in response.content.decode()
    )


def test_edit_cannot_change_the_number(admin_client_, db):
    _ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data(number="999"))

    assert response.status_code == 302
    assert list(Bilag.objects.values_list("number", "title")) == [(863, "Kampe ved Hajin")]


def test_edit_of_unknown_number_is_404(admin_client_, db):
    response = admin_client_.post("/bilag/863/edit/", _edit_data())

    assert response.status_code == 404
    assert Publisher.objects.count() == 0


# --- withdraw -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdraw_without_reason_is_a_form_error(admin_client_, db, reason):
    _ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/withdraw/", {"reason": reason})

    bilag = Bilag.objects.get(number=863)
    assert response.status_code == 200
    assert _form_errors(response) == {"reason": ["This field is required."]}
    assert "Dette felt er påkrævet." in response.content.decode()
    assert (bilag.status, bilag.withdrawn_on, bilag.withdrawn_reason) == (
        Bilag.Status.CURRENT,
        None,
        "",
    )


def test_withdraw_keeps_the_bilag_marked_with_date_and_reason(admin_client_, db):
    _ingest_seed(SEED_004)
    passages = Passage.objects.count()
    reason = "Erstattet af nyere rapport <b>fra 2019</b>"

    response = admin_client_.post("/bilag/863/withdraw/", {"reason": reason})
    detail = admin_client_.get("/bilag/863/")

    bilag = Bilag.objects.get(number=863)
    assert (response.status_code, response["Location"]) == (302, "/bilag/863/")
    assert (bilag.status, bilag.withdrawn_on, bilag.withdrawn_reason) == (
        Bilag.Status.WITHDRAWN,
        dt.date.today(),
        reason,
    )
    assert Passage.objects.count() == passages
    assert detail.status_code == 200
    warnings = _WARNING.findall(detail.content.decode())
    assert len(warnings) == 1
    assert dt.date.today().isoformat() in warnings[0]
    assert "Erstattet af nyere rapport &lt;b&gt;fra 2019&lt;/b&gt;" in warnings[0]
    assert 'href="/bilag/863/withdraw/"' not in detail.content.decode()


def test_withdrawn_bilag_is_found_by_status_filter(admin_client_, db):
    _ingest_seed(SEED_004)
    _ingest_seed(SEED_000, country="SY")
    admin_client_.post("/bilag/863/withdraw/", {"reason": "Forældet"})

    withdrawn = admin_client_.get("/bilag/", {"status": "withdrawn"})
    current = admin_client_.get("/bilag/", {"status": "current"})

    assert _listed_numbers(withdrawn) == [863]
    assert _listed_numbers(current) == [864]


def test_withdraw_twice_keeps_the_first_date_and_reason(admin_client_, db):
    _ingest_seed(SEED_004)
    Bilag.objects.filter(number=863).update(
        status=Bilag.Status.WITHDRAWN, withdrawn_on=dt.date(2020, 1, 2), withdrawn_reason="Først"
    )

    response = _in_english(admin_client_).post("/bilag/863/withdraw/", {"reason": "Igen"})

    bilag = Bilag.objects.get(number=863)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["bilag 863 is already withdrawn"]
    assert (bilag.withdrawn_on, bilag.withdrawn_reason) == (dt.date(2020, 1, 2), "Først")


def test_django_admin_delete_is_forbidden_even_for_a_superuser(admin_client, db):
    bilag = BilagFactory()
    url = f"/admin/library/bilag/{bilag.pk}/delete/"

    get = admin_client.get(url)
    post = admin_client.post(url, {"post": "yes"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert Bilag.objects.filter(pk=bilag.pk).exists()
    assert Passage.objects.filter(bilag=bilag).count() == 2


def test_django_admin_bulk_delete_action_deletes_nothing(admin_client, db):
    bilag = BilagFactory()

    admin_client.post(
        "/admin/library/bilag/",
        {"action": "delete_selected", "_selected_action": [bilag.pk], "post": "yes"},
    )

    assert list(Bilag.objects.values_list("pk", flat=True)) == [bilag.pk]


def test_bilag_delete_raises_and_removes_nothing(db):
    from django.core.exceptions import ValidationError

    bilag = BilagFactory()
    BilagFactory()

    with pytest.raises(ValidationError):
        bilag.delete()
    with pytest.raises(ValidationError):
        Bilag.objects.all().delete()
    with pytest.raises(ValidationError):
        Bilag.objects.filter(pk=bilag.pk).delete()

    assert Bilag.objects.count() == 2
    assert Passage.objects.count() == 4


# --- API ------------------------------------------------------------------------------


def test_api_bilag_returns_the_export_shape(caseworker_client, db):
    bilag = BilagFactory(
        number=77,
        publisher=PublisherFactory(name="Landinfo"),
        title="Lejre i nord",
        published=dt.date(2019, 2, 1),
        published_precision=Bilag.Precision.MONTH,
        intake=dt.date(2019, 3, 1),
        language="en",
    )

    response = caseworker_client.get("/api/bilag/77")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "number": 77,
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Lejre i nord",
        "published": "2019-02",
        "intake": "2019-03-01",
        "language": "en",
        "status": "current",
        "withdrawn_on": None,
        "withdrawn_reason": None,
        "sha256": bilag.sha256,
        "passages": [
            {
                "ordinal": 1,
                "text": "Civilians fled the camp.",
                "boilerplate": False,
                "topics": [],
            },
            {
                "ordinal": 2,
                "text": "The fighting went on for days.",
                "boilerplate": False,
                "topics": [],
            },
        ],
    }


def test_api_bilag_matches_the_export_command(caseworker_client, db):
    _ingest_seed(SEED_004)
    out = io.StringIO()
    call_command("export", stdout=out)

    response = caseworker_client.get("/api/bilag/863")

    assert response.json() == json.loads(out.getvalue().splitlines()[0])


def test_api_bilag_unknown_number_is_404(caseworker_client, db):
    response = caseworker_client.get("/api/bilag/863")

    assert response.status_code == 404


# --- language -------------------------------------------------------------------------


def test_ui_is_danish_by_default(caseworker_client, db):
    _ingest_seed(SEED_004)

    response = caseworker_client.get("/bilag/863/")

    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "<dd>Syrien (SY)</dd>" in content


def test_set_language_switches_to_english(caseworker_client, db):
    _ingest_seed(SEED_004)

    switch = caseworker_client.post("/i18n/setlang/", {"language": "en", "next": "/bilag/863/"})
    response = caseworker_client.get("/bilag/863/")

    assert (switch.status_code, switch["Location"]) == (302, "/bilag/863/")
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert _header_values(response)[1] == "Syria (SY)"
    assert _header_values(response)[4] == "11 September 2018"


def test_ui_stays_danish_whatever_the_browser_asks_for(caseworker_client, db):
    response = caseworker_client.get("/bilag/", headers={"accept-language": "en"})

    assert '<html lang="da">' in response.content.decode()


def test_set_language_works_on_the_login_page(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
