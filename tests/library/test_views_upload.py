"""The upload page: one file with its metadata, several at once (a result for each), the
same files again, a bad file among good ones, and what the form refuses."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library.models import Bilag, Passage
from tests.library.pages import (
    SEED_000,
    SEED_001,
    SEED_002,
    SEED_003,
    SEED_004,
    form_errors,
    seed_upload,
)
from tests.support import in_english, stored_files

_RESULT_ROW = re.compile(r'<tr class="result-(\w+)">\s*<td>([^<]*)</td>')


def _result_rows(response) -> list[tuple[str, str]]:
    return _RESULT_ROW.findall(response.content.decode())


def test_upload_single_file_with_metadata_adds_it(admin_client_, media_root):
    data = {
        "files": seed_upload(SEED_000),
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
    data = {"files": [seed_upload(n) for n in names], "country": "SY"}

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
        "/bilag/upload/", {"files": [seed_upload(n) for n in names], "country": "SY"}
    )

    response = admin_client_.post(
        "/bilag/upload/", {"files": [seed_upload(n) for n in names], "country": "SY"}
    )

    assert response.status_code == 200
    assert _result_rows(response) == [("unchanged", SEED_000), ("unchanged", SEED_004)]
    assert Bilag.objects.count() == 2
    assert len(stored_files(media_root)) == 2


def test_upload_bad_file_among_good_ones_fails_only_that_file(admin_client_, media_root):
    bad = SimpleUploadedFile("broken.pdf", b"this is plain text, not a PDF", "application/pdf")
    data = {"files": [seed_upload(SEED_000), bad, seed_upload(SEED_001)], "country": "SY"}

    response = in_english(admin_client_).post("/bilag/upload/", data)

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
        "files": [seed_upload(SEED_000), seed_upload(SEED_001)],
        "country": "SY",
        field: value,
    }

    response = in_english(admin_client_).post("/bilag/upload/", data)

    assert response.status_code == 400
    assert form_errors(response) == {field: ["Only with a single file."]}
    assert Bilag.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_results_escape_a_hostile_file_name(admin_client_):
    name = "<img src=x onerror=alert(1)>.pdf"
    data = {"files": SimpleUploadedFile(name, b"not a pdf", "application/pdf"), "country": "SY"}

    response = in_english(admin_client_).post("/bilag/upload/", data)

    content = response.content.decode()
    assert response.status_code == 422
    assert "<img" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in content
