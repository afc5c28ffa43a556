"""CSRF on every case-file write: refused without the token, accepted with it.

The client enforces CSRF checks the way a browser meets them and is logged in as a
member of the case, so the only thing missing from the refused requests is the token.
"""

import pytest
from django.test import Client

from casefiles.models import AuditEntry, Case, Citation, Note, NoteVersion
from tests.casefiles import payloads


def _citation_remove(ids) -> dict:
    return {}


def _cite(ids) -> dict:
    return {
        "bilag": ids["bilag"],
        "ordinal": 1,
        "start": 0,
        "end": len("Flygtningelejren"),
        "target": f"note:{ids['note']}",
        "comment": "Om lejren.",
    }


# (path, payload, Location the member is sent to when the token is there)
POSTS = [
    pytest.param("/cases/new/", payloads.case_new, "/cases/{new_case}/", id="case-create"),
    pytest.param("/cases/{case}/edit/", payloads.case_edit, "/cases/{case}/", id="case-edit"),
    pytest.param(
        "/cases/{case}/notes/", payloads.note_add, "/cases/{case}/#note-{new_note}", id="note-add"
    ),
    pytest.param(
        "/cases/{case}/notes/{note}/edit/",
        payloads.note_edit,
        "/cases/{case}/#note-{note}",
        id="note-edit",
    ),
    pytest.param(
        "/cases/{case}/citations/{citation}/remove/",
        _citation_remove,
        "/cases/{case}/#note-{note}",
        id="citation-remove",
    ),
    pytest.param(
        "/cite/", _cite, "/cases/{case}/?cited={new_citation}#citation-{new_citation}", id="cite"
    ),
]


@pytest.fixture
def ids(case, note, citation, bilag) -> dict:
    return {"case": case.pk, "note": note.pk, "citation": citation.pk, "bilag": bilag.number}


@pytest.fixture
def csrf_client(member) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def everything() -> dict:
    """Every case-file row there is, read fresh."""
    return {
        "cases": list(
            Case.objects.order_by("pk").values_list(
                "pk", "reference", "title", "country", "status", "updated_at"
            )
        ),
        "members": list(Case.members.through.objects.order_by("pk").values_list("pk")),
        "notes": list(
            Note.objects.order_by("pk").values_list("pk", "body", "version", "edited_at")
        ),
        "versions": list(NoteVersion.objects.order_by("pk").values_list("pk")),
        "citations": list(
            Citation.objects.order_by("pk").values_list("pk", "removed_at", "removed_by")
        ),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk")),
    }


def _newest(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first()


@pytest.mark.parametrize(("path", "payload", "location"), POSTS)
def test_post_without_token_is_refused(csrf_client, ids, path, payload, location):
    # A page first, so the client holds a CSRF cookie: only the token is missing.
    assert csrf_client.get(f"/cases/{ids['case']}/").status_code == 200
    assert "csrftoken" in csrf_client.cookies
    before = everything()

    response = csrf_client.post(path.format(**ids), payload(ids))

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert everything() == before


@pytest.mark.parametrize(("path", "payload", "location"), POSTS)
def test_post_with_token_is_accepted(csrf_client, ids, path, payload, location):
    """The refusals are about the token: the same POST with it goes through."""
    csrf_client.get(f"/cases/{ids['case']}/")
    token = csrf_client.cookies["csrftoken"].value
    before = everything()

    response = csrf_client.post(path.format(**ids), {**payload(ids), "csrfmiddlewaretoken": token})

    new = {"new_case": _newest(Case), "new_note": _newest(Note), "new_citation": _newest(Citation)}
    assert response.status_code == 302
    assert response["Location"] == location.format(**ids, **new)
    assert everything() != before


def test_token_in_header_is_accepted(csrf_client, ids):
    """Scripts send the token in the X-CSRFToken header instead of the form."""
    csrf_client.get(f"/cases/{ids['case']}/")
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        f"/cases/{ids['case']}/notes/", {"body": "Via the header."}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 302
    assert Note.objects.filter(body="Via the header.").exists()
