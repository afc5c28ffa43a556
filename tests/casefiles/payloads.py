"""Form data for the case-file and library POSTs that the permission walk and the CSRF
test make: functions of the walk's ids (see `ids` in test_permission_walk.py), so every
test gets fresh data. A test's id names the function (the walk's row ids show it)."""

from django.core.files.uploadedfile import SimpleUploadedFile


def upload(ids) -> dict:
    text = b" date 2019-02 Civile flygter fra lejren.\n\nKampene fortsatte i flere dage.\n"
    return {
        "files": SimpleUploadedFile("upload.txt", text, content_type="text/plain"),
        "country": "SY",
    }


def bilag_edit(ids) -> dict:
    return {
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Corrected title",
        "published": "2019-03",
        "intake": "2019-04-01",
        "language": "da",
    }


def withdraw(ids) -> dict:
    return {"reason": "Superseded by a newer report."}


def tag_add(ids) -> dict:
    return {"topic": ids["topic"]}


def tag_decide(ids) -> dict:
    return {"state": "rejected"}


def case_new(ids) -> dict:
    return {"reference": "2026-0999", "title": "Ny sag", "country": "AF", "status": "open"}


def case_edit(ids) -> dict:
    return {
        "reference": "2026-0042",
        "title": "Changed title",
        "country": "IQ",
        "status": "decided",
    }


def note_add(ids) -> dict:
    return {"body": "A new note."}


def note_edit(ids) -> dict:
    return {"body": "The note, changed."}


def cite_into_note(ids) -> dict:
    return {
        "bilag": ids["bilag"],
        "ordinal": 1,
        "start": 0,
        "end": len("Flygtningelejren"),
        "target": f"note:{ids['note']}",
        "comment": "",
    }


def cite_into_new_note(ids) -> dict:
    return {
        "bilag": ids["bilag"],
        "ordinal": 1,
        "start": 0,
        "end": len("Flygtningelejren"),
        "target": f"new:{ids['case']}",
        "new_note": "A note for the citation.",
        "comment": "",
    }


def setlang(ids) -> dict:
    return {"language": "en", "next": "/bilag/"}


def review_confirm(ids) -> dict:
    """Confirm the walked tag with the review page's "Confirm all on this page"."""
    return {"topic": ids["topic"], "tag": [ids["tag"]], "next": "/topics/review/"}
