"""The payload lists as file names and file contents: through the upload form (a batch
of files, each named with a payload, its headline and a passage the payload), through
`manage.py ingest` (a folder of files named with the payloads, as far as the filesystem
allows a name), and through the form that completes a staged upload's metadata (each
field, the staged file's name, the token in the URL).

Besides the checks of every answer (tests/fuzz/payloads.py): every file ends added (a
bilag, one stored original, its page and its download answer) or failed with a message
naming it, never with a traceback or "an error in Baggrund" (a crash the service
caught); a refused completion changes nothing and leaves the file waiting.
"""

import io
import itertools
import os
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from library import upload_staging
from library.ingest.manifest import MANIFEST_NAMES
from library.ingest.results import ADDED, FAILED
from library.ingest.services import bilag_ingest
from library.ingest.shapes import BOARD_TITLE
from library.models import Bilag
from tests.fuzz import FULL
from tests.fuzz.payloads import Prober, all_payloads, plan, sample
from tests.library.search.corpus import DA, TODAY, Corpus
from tests.support import stored_files

_serial = itertools.count(1)
CRASH = "error in Baggrund"  # the service's words for an exception it caught
BATCH = 10  # files per upload request
FOLDER_SIZE = 400  # files per `manage.py ingest` run


@pytest.fixture
def bilag(db):
    Corpus(DA)
    return Bilag.objects.get(number=DA.number)


def payload_files() -> list[str]:
    """The payloads sent as files: a sample (the normal suite), every one (full)."""
    if FULL:
        return list(all_payloads())
    return list(dict.fromkeys(p for i in range(3) for p in sample(i)))


def news_text(payload: str, serial: int) -> bytes:
    """A news text (published 2019-02) whose headline and last passage are the payload."""
    headline = " ".join(payload.split())
    body = f"Lejrene i det østlige Syrien, rapport {serial}. Kvinder og børn bor i lejrene."
    return f" date 2019-02 {headline}\n\n{body}\n\n{payload}\n".encode("utf-8", "replace")


def _state(media_root) -> tuple[int, int]:
    return Bilag.objects.count(), len(stored_files(media_root / "originals"))


def _added_pages(prober: Prober, bilag, payload: str) -> None:
    """An added file's bilag page (no payload markup) and its download (the bytes)."""
    prober.send("GET", f"/bilag/{bilag.number}/", {}, payload, "bilag page")
    download = prober.send("GET", f"/bilag/{bilag.number}/original/", {}, payload, "download")
    prober.expect(
        download.status_code == 200 and prober.text.encode() == bilag.original.open("rb").read(),
        f"download of bilag {bilag.number} ({payload[:50]!r}): HTTP {download.status_code}",
    )


# --- the upload form: payloads as file names and as the files' text ---------------------


_SERIAL = re.compile(r"~(\d+)\.txt$")


def _upload_batch(prober: Prober, media_root, batch: list[str]) -> None:
    """One request with a file per payload, named `<payload>~<serial>.txt`; each result
    row is matched to its payload by the serial (a name the multipart encoding mangled
    past its serial is counted as dropped, not failed)."""
    serials = {next(_serial): payload for payload in batch}
    files = [SimpleUploadedFile(f"{p}~{n}.txt", news_text(p, n)) for n, p in serials.items()]
    data = {"files": files, "country": "SY", "publisher": "VG"}
    before = _state(media_root)
    response = prober.send("POST", "/bilag/upload/", data, batch[0], "upload")
    where = f"upload of {[p[:30] for p in batch]!r}"
    if response.status_code not in (200, 422):
        prober.expect(False, f"{where}: HTTP {response.status_code}")
        return
    page, added = prober.text, []
    for row in response.context["rows"]:
        result, found = row.result, _SERIAL.search(row.result.name)
        payload = serials.pop(int(found.group(1)), "") if found else ""
        prober.markup(page, payload, "upload", f"{where} {payload[:40]!r}")
        prober.markup(page, result.name, "upload", f"{where} name {result.name[:40]!r}")
        if result.outcome == ADDED:
            added.append((result.bilag, payload or result.name))
            prober.expect(result.bilag.original_name == result.name, f"{where}: stored name")
        else:
            message = f"{result.message} {row.reason}"
            prober.expect(message.strip() and CRASH not in message, f"{where}: {message!r}")
    prober.counts["files dropped in the multipart parse"] += len(serials)
    prober.expect(_state(media_root) == (before[0] + len(added), before[1] + len(added)), where)
    for bilag, payload in added:
        _added_pages(prober, bilag, payload)


def test_upload_file_names_and_texts(admin_client_, media_root, bilag):
    prober = Prober(admin_client_)
    prober.baseline("upload", "POST", "/bilag/upload/", {"title": "zz"})
    prober.baseline("bilag page", "GET", f"/bilag/{bilag.number}/", {})
    every = payload_files()
    for start in range(0, len(every), BATCH):
        batch = list(prober.each(every[start : start + BATCH]))
        _upload_batch(prober, media_root, batch)
    prober.verdict("upload file names and texts")


# --- manage.py ingest: a folder of files named with the payloads --------------------------


def file_name(payload: str, serial: int) -> str | None:
    """The payload as a file name, as far as the filesystem allows: "/" (a folder on
    POSIX) becomes "\\", cut to 255 bytes with its serial and suffix; None when no name
    can be made (a NUL, or characters the filesystem encoding cannot write)."""
    if "\x00" in payload:
        return None
    tail = f"~{serial}.txt"
    name = payload.replace("/", "\\")
    try:
        while len(os.fsencode(name + tail)) > 255:
            name = name[:-1]
    except UnicodeEncodeError:
        return None
    return name + tail


def _skipped(name: str) -> bool:
    """What the command passes over in a folder by design (its README): hidden files,
    READMEs and manifests."""
    return name.startswith(".") or name.lower().startswith("readme") or name in MANIFEST_NAMES


def _ingest_folder(prober: Prober, media_root, folder, names: dict[str, str]) -> None:
    before = _state(media_root)
    out, err = io.StringIO(), io.StringIO()
    prober.requests += 1
    try:
        options = ["--country", "SY", "--publisher", "VG"]
        call_command("ingest", str(folder), *options, verbosity=2, stdout=out, stderr=err)
    except SystemExit as exc:
        prober.expect(exc.code == 1, f"ingest {folder}: exit {exc.code}")
    except Exception as exc:  # a traceback: the finding
        prober.expect(False, f"ingest {folder}: {type(exc).__name__}: {exc}")
        return
    said, lines = out.getvalue() + err.getvalue(), out.getvalue().strip().splitlines()
    prober.expect("Traceback" not in said and CRASH not in said, f"ingest {folder}: a crash")
    counted = [int(part.split()[-1]) for part in lines[-1].split(",")]
    expected = {name: p for name, p in names.items() if not _skipped(name)}
    prober.expect(sum(counted) == len(expected), f"ingest {folder}: {lines[-1]} of {len(names)}")
    for name in expected:
        prober.expect(f"{folder / name}: " in said, f"ingest: {name[:60]!r} not named")
    added = Bilag.objects.filter(original_name__in=list(expected)).order_by("pk")
    prober.expect(len(added) == counted[0], f"ingest {folder}: {len(added)} added")
    prober.expect(_state(media_root) == (before[0] + counted[0], before[1] + counted[0]), said)
    for bilag in added:
        _added_pages(prober, bilag, expected[bilag.original_name])


def test_ingest_command_with_files_named_with_the_payloads(admin_client_, media_root, tmp_path):
    prober = Prober(admin_client_)
    Corpus(DA)
    prober.baseline("bilag page", "GET", f"/bilag/{DA.number}/", {})
    every = payload_files()
    for start in range(0, len(every), FOLDER_SIZE):
        folder = tmp_path / f"incoming-{start}"
        folder.mkdir()
        names: dict[str, str] = {}
        for payload in prober.each(every[start : start + FOLDER_SIZE]):
            serial = next(_serial)
            name = file_name(payload, serial)
            if name is None:
                continue
            (folder / name).write_bytes(news_text(payload, serial))
            names[name] = payload
        _ingest_folder(prober, media_root, folder, names)
    prober.verdict("manage.py ingest, payload file names")


# --- completing a staged upload's metadata --------------------------------------------------


def _stage(prober: Prober, name: str = "", payload: str = "") -> upload_staging.Staged | None:
    """Upload a file that needs its country (it does not say it), to be kept waiting."""
    serial = next(_serial)
    upload = SimpleUploadedFile(name or f"staged-{serial}.txt", news_text("Lejre", serial))
    data = {"files": upload, "publisher": "VG"}
    response = prober.send("POST", "/bilag/upload/", data, payload or "Lejre", "upload")
    if response.status_code != 422:
        prober.expect(False, f"staging {name[:50]!r}: HTTP {response.status_code}")
        return None
    rows = response.context["staged_rows"]
    prober.expect(len(rows) == 1 or name, f"staging {name[:50]!r}: {len(rows)} waiting")
    return rows[0].staged if rows else None


STAGED_FIELDS = ["number", "country", "publisher", "title", "published", "intake", "language"]


def _complete(prober: Prober, staged, field: str, payload: str, user) -> bool:
    """Post the completion form with `payload` in `field`; True when it used the file."""
    token = staged.token
    url = f"/bilag/upload/waiting/{token}/"
    data = {f"{token}-country": "SY", f"{token}-{field}": payload}
    before = Bilag.objects.count()
    response = prober.send("POST", url, data, payload, "waiting")
    where = f"complete {field}={payload[:50]!r}"
    if response.status_code == 302:
        added = Bilag.objects.order_by("-pk").first()
        prober.expect(response["Location"].startswith("/"), f"{where}: {response['Location']}")
        if field == "title":  # one line: its white space normalised, as ingest does
            typed = " ".join(payload.split())[:500]
            prober.expect(added.title == typed, f"{where}: stored {added.title!r}")
        prober.send("GET", f"/bilag/{added.number}/", {}, payload, "bilag page")
        return True
    prober.expect(response.status_code == 422, f"{where}: HTTP {response.status_code}")
    prober.expect(Bilag.objects.count() == before, f"{where}: refused but a bilag was added")
    waiting = [s.token for s in upload_staging.waiting(user)]
    prober.expect(token in waiting, f"{where}: refused but the file is no longer waiting")
    return False


def _staged_name(prober: Prober, payload: str) -> None:
    """A file named with the payload: its results row and waiting page, then given up."""
    named = _stage(prober, f"{payload}.txt", payload)
    if named is None:
        return
    prober.send("GET", "/bilag/upload/waiting/", {}, payload, "waiting")
    url = f"/bilag/upload/waiting/{named.token}/discard/"
    response = prober.send("POST", url, {}, payload, "waiting")
    prober.expect(response.status_code == 302, f"discard {payload[:50]!r}: HTTP {response}")


def test_staged_upload_completion_form(admin_client_, library_admin, media_root, bilag):
    prober = Prober(admin_client_)
    staged = _stage(prober)
    prober.baseline("upload", "POST", "/bilag/upload/", {"title": "zz"})
    prober.baseline("waiting", "GET", "/bilag/upload/waiting/", {})
    prober.baseline("waiting", "POST", f"/bilag/upload/waiting/{staged.token}/", {})
    prober.baseline("bilag page", "GET", f"/bilag/{bilag.number}/", {})
    for field, payload in prober.each(plan([*STAGED_FIELDS, "file name", "token"])):
        if field == "file name":
            _staged_name(prober, payload)
        elif field == "token":  # an unknown token: not found, nothing changes
            for url in ("/bilag/upload/waiting/{}/", "/bilag/upload/waiting/{}/discard/"):
                url = url.format(quote(payload, safe=""))
                response = prober.send("POST", url, {}, payload, "waiting")
                prober.expect(response.status_code == 404, f"{url}: {response.status_code}")
        elif _complete(prober, staged, field, payload, library_admin):
            staged = _stage(prober)
    waiting = {s.token for s in upload_staging.waiting(library_admin)}
    prober.expect(waiting == {staged.token}, f"waiting at the end: {len(waiting)} files")
    prober.verdict("staged upload completion")


# --- found by this run (regression tests) -------------------------------------------------


def board_text(number: str, country_line: str = "Land:\tSyrien\n") -> bytes:
    """A board-header text stating `number` as its Bilagsnr."""
    return (
        f"{BOARD_TITLE}\n\nBilagsnr.:\t{number}\n{country_line}Kilde:\tVG\nTitel:\tT\n"
        "Udgivet:\t1. februar 2019\n\nLejrene i det østlige Syrien. Kvinder og børn bor i "
        f"lejrene, rapport {next(_serial)}.\n"
    ).encode()


# str.isdigit() takes '²' for a digit that int() refuses, and int() refuses more than
# 4,300 digits: both were a crash (library.models.whole_number reads them now).
BAD_NUMBERS = ["²", "1²", "⁴⁵", "9" * 5000, "0" * 5000 + "7"]
NUMBER_IDS = ["sup2", "1sup2", "sup45", "9x5000", "0x5000+7"]


@pytest.mark.parametrize("number", BAD_NUMBERS, ids=NUMBER_IDS)
def test_a_bilag_number_int_cannot_read_is_refused_with_a_message(db, number):
    result = bilag_ingest(name="a.txt", data=board_text(number), metadata={}, today=TODAY)
    assert CRASH not in result.message, result.message
    if result.outcome == FAILED:
        assert result.fields == ("number",)
    else:
        assert result.bilag.number == int(number.lstrip("0"))


@pytest.mark.parametrize("number", BAD_NUMBERS[:4], ids=NUMBER_IDS[:4])
def test_a_file_whose_number_int_cannot_read_waits_for_its_country(admin_client_, number):
    """Was HTTP 500 (ValueError in staged_initial) after the file was staged, so the
    admin's waiting page answered 500 too until the file was a day old."""
    upload = SimpleUploadedFile("a.txt", board_text(number, country_line=""))
    response = admin_client_.post("/bilag/upload/", {"files": upload})
    assert response.status_code == 422
    assert len(response.context["staged_rows"]) == 1
    assert admin_client_.get("/bilag/upload/waiting/").status_code == 200
