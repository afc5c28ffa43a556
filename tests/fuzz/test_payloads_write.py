"""The payload lists through every field of the forms that write: case, note, cite,
bilag correction and withdrawal (as a library admin), upload (metadata, file name, and
the file's own text: its header's title and a passage), login.

Besides the checks of every answer (tests/fuzz/payloads.py): a write either succeeds
with the payload stored as text (stripped, as a form field strips it) or is refused and
changes nothing. Refusals are 400 or 422; the bilag correction and withdrawal forms
answer a refusal with 200 (the form shown again), as tests/library/test_views_edit.py
expects.
"""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casefiles import services as case_services
from casefiles.models import Case, Citation, Note
from library.forms import BilagEditForm
from library.ingest.shapes import BOARD_TITLE
from library.models import Bilag, BilagChange, Passage
from tests.fuzz.payloads import Prober, plan
from tests.library.search.corpus import DA, Corpus
from tests.support import stored_files

_serial = itertools.count(1)


@pytest.fixture
def bilag(db):
    Corpus(DA)
    return Bilag.objects.get(number=DA.number)


@pytest.fixture
def case(caseworker):
    return case_services.case_create(
        user=caseworker, reference="FUZZ-CASE", title="Fuzz", country="SY"
    )


def _refused(prober, response, where, before, after, codes=(400, 422)) -> None:
    prober.expect(response.status_code in codes, f"{where}: HTTP {response.status_code}")
    prober.expect(after == before, f"{where}: refused but changed {before} -> {after}")


def test_case_form(caseworker_client):
    prober = Prober(caseworker_client)
    prober.baseline("case", "POST", "/cases/new/", {"reference": "", "title": "zz"})
    for field, payload in prober.each(plan(["reference", "title", "country", "status"])):
        data = {"reference": f"FZ-{next(_serial)}", "title": "T", "country": "SY", "status": "open"}
        data[field] = payload
        before = Case.objects.count()
        response = prober.send("POST", "/cases/new/", data, payload, "case")
        where = f"case {field}={payload[:50]!r}"
        if response.status_code == 302:
            stored = Case.objects.order_by("-pk").first()
            # The reference is the board's case number: its white space is normalised
            # (Case.clean; str.split counts \x1c-\x1f as white space too).
            typed = " ".join(payload.split()) if field == "reference" else payload.strip()
            prober.expect(getattr(stored, field) == typed, f"{where}: stored otherwise")
        else:
            _refused(prober, response, where, before, Case.objects.count())
    prober.verdict("case form")


def test_note_form(caseworker_client, case):
    prober = Prober(caseworker_client)
    url = f"/cases/{case.pk}/notes/"
    prober.baseline("note", "POST", url, {"body": ""})
    # The case page as it is after a note is added: with its message, and the script
    # that lets the message be closed (whose "<script" a payload's "<script<" matched).
    caseworker_client.post(url, {"body": "Baseline note"})
    prober.baseline("case page", "GET", f"/cases/{case.pk}/", {})
    for index, (_field, payload) in enumerate(prober.each(plan(["body"])), 1):
        if index % 200 == 0:  # a fresh case now and then: a page of thousands of notes is slow
            case = case_services.case_create(
                user=case.created_by, reference=f"FUZZ-{index}", title="Fuzz", country="SY"
            )
            url = f"/cases/{case.pk}/notes/"
        before = Note.objects.count()
        response = prober.send("POST", url, {"body": payload}, payload, "note")
        where = f"note body={payload[:50]!r}"
        if response.status_code == 302:
            stored = Note.objects.order_by("-pk").first()
            prober.expect(stored.body == payload.strip(), f"{where}: stored {stored.body[:50]!r}")
            prober.send("GET", f"/cases/{case.pk}/", {}, payload, "case page")
        else:
            _refused(prober, response, where, before, Note.objects.count())
    prober.verdict("note form")


def test_cite_form(caseworker_client, case, bilag):
    prober = Prober(caseworker_client)
    note = case_services.note_create(case=case, user=case.created_by, body="Note")
    base = {"bilag": bilag.number, "ordinal": 1, "start": 0, "end": 5}
    prober.baseline("cite", "POST", "/cite/", {**base, "target": f"new:{case.pk}"})
    for field, payload in prober.each(plan(["target", "new_note", "comment"])):
        data = {**base, "target": f"new:{case.pk}", "new_note": "N", "comment": "C"}
        if field == "comment":
            data.update(target=f"note:{note.pk}", new_note="")
        data[field] = payload
        before = (Citation.objects.count(), Note.objects.count())
        response = prober.send("POST", "/cite/", data, payload, "cite")
        where = f"cite {field}={payload[:50]!r}"
        if response.status_code == 302:
            citation = Citation.objects.order_by("-pk").first()
            stored = citation.comment if field == "comment" else citation.note.body
            prober.expect(field == "target" or stored == payload.strip(), f"{where}: {stored!r}")
        else:  # an unknown note or case among the user's: 404
            after = (Citation.objects.count(), Note.objects.count())
            _refused(prober, response, where, before, after, (400, 404))
    prober.verdict("cite form")


def _bilag_state(bilag) -> tuple:
    fresh = Bilag.objects.get(pk=bilag.pk)
    return (*BilagEditForm.initial_for(fresh).values(), fresh.status, BilagChange.objects.count())


def test_bilag_correction_form(admin_client_, bilag):
    prober = Prober(admin_client_)
    url = f"/bilag/{bilag.number}/edit/"
    prober.baseline("edit", "POST", url, {"title": ""})
    prober.baseline("bilag page", "GET", f"/bilag/{bilag.number}/", {})
    fields = ["country", "publisher", "title", "published", "intake", "language"]
    for field, payload in prober.each(plan(fields)):
        fresh = Bilag.objects.get(pk=bilag.pk)
        data = {k: str(v) for k, v in BilagEditForm.initial_for(fresh).items()}
        data[field] = payload
        before = _bilag_state(bilag)
        response = prober.send("POST", url, data, payload, "edit")
        where = f"edit {field}={payload[:50]!r}"
        if response.status_code == 302:
            fresh = Bilag.objects.get(pk=bilag.pk)
            stored = BilagEditForm.initial_for(fresh)[field]
            if field in ("title", "publisher"):
                prober.expect(stored == payload.strip(), f"{where}: stored {stored!r}")
            prober.send("GET", f"/bilag/{bilag.number}/", {}, payload, "bilag page")
        else:
            _refused(prober, response, where, before, _bilag_state(bilag), (200,))
    prober.verdict("bilag correction form")


def test_withdraw_form(admin_client_, bilag):
    prober = Prober(admin_client_)
    url = f"/bilag/{bilag.number}/withdraw/"
    prober.baseline("withdraw", "POST", url, {"reason": ""})
    prober.baseline("bilag page", "GET", f"/bilag/{bilag.number}/", {})
    for _field, payload in prober.each(plan(["reason"])):
        before = _bilag_state(bilag)
        response = prober.send("POST", url, {"reason": payload}, payload, "withdraw")
        where = f"withdraw reason={payload[:50]!r}"
        if response.status_code == 302:
            fresh = Bilag.objects.get(pk=bilag.pk)
            prober.expect(fresh.withdrawn_reason == payload.strip(), f"{where}: stored otherwise")
            prober.send("GET", f"/bilag/{bilag.number}/", {}, payload, "bilag page")
            # Current again for the next payload (a test-only reset, not a service).
            Bilag.objects.filter(pk=bilag.pk).update(
                status=Bilag.Status.CURRENT, withdrawn_on=None, withdrawn_reason=""
            )
            Passage.objects.filter(bilag=bilag).update(withdrawn=False)
        else:
            _refused(prober, response, where, before, _bilag_state(bilag), (200,))
    prober.verdict("withdraw form")


UPLOAD_BASE = {"country": "SY", "publisher": "VG", "published": "2019-02", "language": "da"}
UPLOAD_FIELDS = ["number", "country", "publisher", "title", "published", "intake", "language"]


def _upload_state(media_root) -> tuple:
    return Bilag.objects.count(), len(stored_files(media_root / "originals"))


def test_upload_form(admin_client_, media_root, bilag):
    prober = Prober(admin_client_)
    prober.baseline("upload", "POST", "/bilag/upload/", {"title": "zz"})
    prober.baseline("bilag page", "GET", f"/bilag/{bilag.number}/", {})
    prober.baseline("search page", "GET", "/", {"q": "lejrene", "number": bilag.number})
    for field, payload in prober.each(plan([*UPLOAD_FIELDS, "file name", "file text"])):
        serial = next(_serial)
        text = f"Lejrene i det østlige Syrien, rapport {serial}. Kvinder og børn bor i lejrene."
        if field == "file text":  # the payload as the title in the header, and as a passage
            title = " ".join(payload.split())
            text = f"{BOARD_TITLE}\n\nTitel:\t{title}\n\n{text}\n\n{payload}\n"
        name = f"{payload[:80]}.txt" if field == "file name" else f"upload-{serial}.txt"
        data = {**UPLOAD_BASE, "files": SimpleUploadedFile(name, text.encode())}
        if field in UPLOAD_FIELDS:
            data[field] = payload
        before = _upload_state(media_root)
        response = prober.send("POST", "/bilag/upload/", data, payload, "upload")
        where = f"upload {field}={payload[:50]!r}"
        after = _upload_state(media_root)
        if response.status_code == 200:
            prober.expect(after == (before[0] + 1, before[1] + 1), f"{where}: {before}->{after}")
            added = Bilag.objects.order_by("-pk").first()
            if field == "title":
                prober.expect(added.title == payload.strip(), f"{where}: {added.title!r}")
            prober.send("GET", f"/bilag/{added.number}/", {}, payload, "bilag page")
            if field == "file text":  # its hit on the search page: title and snippet
                found = {"q": "lejrene", "number": added.number}
                prober.send("GET", "/", found, payload, "search page")
        else:
            _refused(prober, response, where, before, after)
    prober.verdict("upload form")


def test_login_form(db, caseworker):
    prober = Prober(Client())
    prober.baseline("login", "POST", "/accounts/login/", {"username": "zz", "password": "zz"})
    for field, payload in prober.each(plan(["username", "password"])):
        # A user name of its own for each attempt: a lockout would hide the form.
        data = {"username": f"fuzz-{next(_serial)}", "password": "wrong", field: payload}
        response = prober.send("POST", "/accounts/login/", data, payload, "login")
        prober.expect(
            response.status_code in (200, 400, 403, 429),
            f"login {field}={payload[:50]!r}: HTTP {response.status_code}",
        )
        prober.expect("_auth_user_id" not in prober.client.session, "a payload logged in")
    prober.verdict("login form")
