"""An upload batch file by file: each file added, unchanged or failed on its own, named,
with a reason an admin understands; a file that failed for its metadata kept and
completed without picking it again; the metadata form saving as it opens; the messages
after correcting and withdrawing a bilag."""

import html
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from library import upload_staging
from library.models import Bilag, BilagChange
from tests.factories import LibraryAdminFactory
from tests.library.pages import SEED_000, SEED_001, SEED_004, ingest_seed, seed_upload
from tests.support import in_english, stored_files

GONE = "This file is no longer waiting for its metadata"
_RESULT_ROW = re.compile(
    r'<tr class="result-(\w+)">\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>(.*?)</td>\s*</tr>',
    re.S,
)


def _rows(response) -> list[tuple[str, str, str, str]]:
    """(outcome, file name, result word, details text without tags) per file."""
    rows = _RESULT_ROW.findall(response.content.decode())
    return [(o, n, w, _text(d)) for o, n, w, d in rows]


def _text(fragment: str) -> str:
    """An HTML fragment's text, its runs of spaces and newlines made one space."""
    return re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _staging(media_root) -> list:
    folder = media_root / upload_staging.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def _upload_missing_country(client) -> str:
    """Upload SEED_000 (which names no country) alone; the token it waits under."""
    response = in_english(client).post("/bilag/upload/", {"files": seed_upload(SEED_000)})
    assert response.status_code == 422
    (row,) = response.context["staged_rows"]
    return row.staged.token


# --- the batch --------------------------------------------------------------------------


def test_batch_each_file_on_its_own_with_name_and_reason(admin_client_, media_root):
    bad = SimpleUploadedFile("broken.pdf", b"plain text, not a PDF", "application/pdf")
    files = [seed_upload(SEED_004), bad, seed_upload(SEED_000)]

    response = in_english(admin_client_).post("/bilag/upload/", {"files": files})

    rows = _rows(response)
    assert response.status_code == 422
    assert [(o, n, w) for o, n, w, _d in rows] == [
        ("added", SEED_004, "added"),
        ("failed", "broken.pdf", "failed"),
        ("failed", SEED_000, "waiting for metadata"),
    ]
    assert rows[0][3].startswith("Bilag 863 Bilag no. 863 Country Syria Source BBC News")
    assert "Language English" in rows[0][3]
    assert rows[1][3] == "the file is not a PDF (it does not start with %PDF-)"
    assert rows[2][3] == (
        "Country missing: the text does not say which country; choose it below. Complete it"
    )
    assert "angiv" not in response.content.decode()
    assert list(Bilag.objects.values_list("number", flat=True)) == [863]
    assert len(_staging(media_root)) == 1  # the bad PDF is not kept: no metadata would help


def test_staged_form_is_prefilled_with_what_the_file_states(admin_client_):
    in_english(admin_client_).post("/bilag/upload/", {"files": seed_upload(SEED_000)})
    response = admin_client_.get("/bilag/upload/waiting/")

    (row,) = response.context["staged_rows"]
    assert row.form.initial == {"published": "2019-02"}
    content = response.content.decode()
    assert f'id="id_{row.staged.token}-published"' in content
    assert f'action="/bilag/upload/waiting/{row.staged.token}/"' in content


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (
            SimpleUploadedFile("notes.docx", b"PK\x03\x04 not really", "application/msword"),
            "unsupported file type '.docx': Baggrund takes .txt, .html, .htm, .pdf",
        ),
        (SimpleUploadedFile("empty.txt", b"", "text/plain"), "the file is empty"),
    ],
)
def test_unsupported_or_empty_file_fails_alone(admin_client_, media_root, bad, reason):
    files = [seed_upload(SEED_001), bad]

    response = in_english(admin_client_).post("/bilag/upload/", {"files": files, "country": "SY"})

    rows = _rows(response)
    assert response.status_code == 422
    assert [(o, n) for o, n, _w, _d in rows] == [("added", SEED_001), ("failed", bad.name)]
    assert rows[1][3] == reason
    assert Bilag.objects.count() == 1
    assert _staging(media_root) == []


def test_file_over_size_limit_fails_alone(admin_client_, media_root, settings):
    settings.BAGGRUND_MAX_FILE_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.txt", b"ord " * (3 * 1024 * 1024 // 8), "text/plain")
    files = [big, seed_upload(SEED_001)]

    response = in_english(admin_client_).post("/bilag/upload/", {"files": files, "country": "SY"})

    rows = _rows(response)
    assert [(o, n) for o, n, _w, _d in rows] == [("failed", "big.txt"), ("added", SEED_001)]
    assert rows[0][3] == "the file is too large (1.5\xa0MB); the limit is 1.0\xa0MB"
    assert Bilag.objects.count() == 1


def test_no_file_at_all_is_a_form_error(admin_client_):
    response = in_english(admin_client_).post("/bilag/upload/", {"country": "SY"})

    assert response.status_code == 400
    assert "files" in response.context["form"].errors


# --- completing a staged file -----------------------------------------------------------


def test_completing_a_staged_file_ingests_it_once(admin_client_, media_root):
    token = _upload_missing_country(admin_client_)
    data = {f"{token}-country": "SY", f"{token}-published": "2019-02"}

    response = admin_client_.post(f"/bilag/upload/waiting/{token}/", data, follow=True)

    bilag = Bilag.objects.get()
    assert response.redirect_chain == [(f"/bilag/{bilag.number}/", 302)]
    assert (bilag.original_name, bilag.country, bilag.published_iso()) == (
        SEED_000,
        "SY",
        "2019-02",
    )
    assert f"{SEED_000} added as bilag {bilag.number}." in response.content.decode()
    assert _staging(media_root) == []
    again = in_english(admin_client_).post(f"/bilag/upload/waiting/{token}/", data)
    assert again.status_code == 404
    assert GONE in again.content.decode()
    assert Bilag.objects.count() == 1
    assert len(stored_files(media_root)) == 1  # the original only


def test_failed_completion_changes_nothing_and_says_why(admin_client_, media_root):
    token = _upload_missing_country(admin_client_)
    before = sorted(p.name for p in stored_files(media_root))

    response = in_english(admin_client_).post(
        f"/bilag/upload/waiting/{token}/", {f"{token}-published": "2019-02"}
    )

    assert response.status_code == 422
    assert Bilag.objects.count() == 0
    assert sorted(p.name for p in stored_files(media_root)) == before
    (row,) = response.context["staged_rows"]
    assert row.form.errors["country"] == [
        "Country missing: the text does not say which country; choose it below."
    ]


def test_invalid_date_in_completion_is_a_form_error(admin_client_):
    token = _upload_missing_country(admin_client_)

    response = in_english(admin_client_).post(
        f"/bilag/upload/waiting/{token}/",
        {f"{token}-country": "SY", f"{token}-published": "2019-02-31"},
    )

    assert response.status_code == 422
    assert "published" in response.context["staged_rows"][0].form.errors
    assert Bilag.objects.count() == 0


@pytest.mark.parametrize("token", ["A" * 32, "." * 32, "x" * 31])
def test_unknown_or_malformed_token_is_404(admin_client_, token):
    _upload_missing_country(admin_client_)

    response = in_english(admin_client_).post(
        f"/bilag/upload/waiting/{token}/", {f"{token}-country": "SY"}
    )

    assert response.status_code == 404
    assert GONE in response.content.decode()
    assert Bilag.objects.count() == 0


def test_another_admins_staged_file_is_404(admin_client_, db):
    token = _upload_missing_country(admin_client_)
    other = Client()
    other.force_login(LibraryAdminFactory())

    response = in_english(other).post(f"/bilag/upload/waiting/{token}/", {f"{token}-country": "SY"})
    waiting = other.get("/bilag/upload/waiting/")

    assert response.status_code == 404
    assert GONE in response.content.decode()
    assert SEED_000 not in response.content.decode()
    assert waiting.context["staged_rows"] == []
    assert Bilag.objects.count() == 0


def test_caseworker_cannot_complete(admin_client_, caseworker):
    token = _upload_missing_country(admin_client_)
    client = Client()
    client.force_login(caseworker)

    response = client.post(f"/bilag/upload/waiting/{token}/", {f"{token}-country": "SY"})

    assert response.status_code == 403
    assert Bilag.objects.count() == 0


def test_discard_removes_the_staged_file(admin_client_, media_root):
    token = _upload_missing_country(admin_client_)

    response = admin_client_.post(f"/bilag/upload/waiting/{token}/discard/")

    assert response.status_code == 302
    assert _staging(media_root) == []
    assert Bilag.objects.count() == 0


def test_stale_staged_files_are_cleaned(admin_client_, media_root):
    token = _upload_missing_country(admin_client_)

    upload_staging.clean_stale(now=time.time() + upload_staging.MAX_AGE_SECONDS - 60)
    assert len(_staging(media_root)) == 1
    upload_staging.clean_stale(now=time.time() + upload_staging.MAX_AGE_SECONDS + 60)

    assert _staging(media_root) == []
    response = admin_client_.post(f"/bilag/upload/waiting/{token}/", {f"{token}-country": "SY"})
    assert response.status_code == 404


# --- the metadata form and the messages -------------------------------------------------


def test_edit_form_dates_are_iso_whatever_the_language(admin_client_, db):
    ingest_seed(SEED_004)

    content = admin_client_.get("/bilag/863/edit/").content.decode()  # Danish UI

    assert re.search(r'<input type="date" name="intake" value="2018-10-11"', content)
    assert re.search(r'name="published" value="2018-09-11"', content)
    assert "11.10.2018" not in content


def test_edit_saved_as_it_opens_changes_nothing(admin_client_, db):
    ingest_seed(SEED_004)
    form = admin_client_.get("/bilag/863/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["intake"] = form["intake"].as_widget().split('value="')[1].split('"')[0]

    response = in_english(admin_client_).post("/bilag/863/edit/", data, follow=True)

    assert response.redirect_chain == [("/bilag/863/", 302)]
    assert "Bilag 863: nothing changed." in response.content.decode()
    assert BilagChange.objects.filter(action=BilagChange.Action.CORRECTED).count() == 0


def test_edit_message_names_what_changed(admin_client_, db):
    bilag = ingest_seed(SEED_004)
    data = {
        "country": "SY",
        "publisher": "BBC News",
        "title": "Ny titel",
        "published": "2018-09-11",
        "intake": "2018-10-12",
        "language": bilag.language,
    }

    response = in_english(admin_client_).post("/bilag/863/edit/", data, follow=True)

    assert "Bilag 863: title and intake date corrected." in response.content.decode()


def test_withdraw_message_names_the_bilag(admin_client_, db):
    ingest_seed(SEED_004)

    response = in_english(admin_client_).post(
        "/bilag/863/withdraw/", {"reason": "Erstattet af nyere rapport."}, follow=True
    )

    assert response.redirect_chain == [("/bilag/863/", 302)]
    assert "Bilag 863 withdrawn" in response.content.decode()
