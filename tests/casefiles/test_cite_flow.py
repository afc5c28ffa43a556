"""The cite flow a caseworker relies on: the case they work on comes first, choices read
whole, nothing typed is dropped, a removal asks once and can be undone, and every
change says so."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.forms import shorten
from casefiles.models import Case, Citation, Note

CITE = reverse("casefiles:cite")


def cite_get(client, passage, **extra):
    return client.get(CITE, {"bilag": passage.bilag.number, "ordinal": passage.ordinal, **extra})


def chosen(response) -> str:
    return response.context["form"]["target"].value() or ""


def cite_post(client, passage, target, **extra):
    data = {
        "bilag": passage.bilag.number,
        "ordinal": passage.ordinal,
        "start": 0,
        "end": len(passage.text),
        "target": target,
        "new_note": "",
        "comment": "",
    }
    return client.post(CITE, {**data, **extra})


@pytest.fixture
def other_case(member):
    return services.case_create(user=member, reference="2026-0001", title="Ældre sag", country="IQ")


def test_nothing_remembered_preselects_nothing(member_client, passage, case, other_case):
    response = cite_get(member_client, passage)
    assert chosen(response) == ""
    html = response.content.decode()
    assert '<option value="" selected>Choose a case and a note…</option>' in html


def test_the_case_opened_last_is_preselected_with_a_new_note(
    member_client, passage, case, other_case
):
    member_client.get(other_case.get_absolute_url())
    assert chosen(cite_get(member_client, passage)) == f"new:{other_case.pk}"
    member_client.get(case.get_absolute_url())
    assert chosen(cite_get(member_client, passage)) == f"new:{case.pk}"


def test_after_citing_the_same_note_comes_first(member_client, passage, case, note, other_case):
    member_client.get(other_case.get_absolute_url())
    response = cite_post(member_client, passage, f"note:{note.pk}")
    assert response.status_code == 302
    assert chosen(cite_get(member_client, passage)) == f"note:{note.pk}"
    # Opening another case makes that one current again.
    member_client.get(other_case.get_absolute_url())
    assert chosen(cite_get(member_client, passage)) == f"new:{other_case.pk}"


def test_a_target_in_the_address_wins(member_client, passage, case, note, other_case):
    member_client.get(other_case.get_absolute_url())
    assert chosen(cite_get(member_client, passage, target=f"note:{note.pk}")) == f"note:{note.pk}"


def test_choices_name_the_case_and_the_note_in_whole_words(member_client, passage, case, member):
    body = "Luftangreb og landminer omkring lejren i Baghouz gjorde flugten farlig for alle"
    note = services.note_create(case=case, user=member, body=body)
    html = cite_get(member_client, passage).content.decode()
    label = f"2026-0042 › Note 1: {shorten(body)}"
    assert f'<option value="note:{note.pk}">{label}</option>' in html
    assert label.endswith(" gjorde…")  # cut after a whole word
    assert f'<option value="new:{case.pk}">2026-0042 › New note</option>' in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kort note.", "Kort note."),
        ("Første linje\nanden linje", "Første linje"),
        ("a" * 80, "a" * 60 + "…"),
        ("Et ord, " * 12, "Et ord, Et ord, Et ord, Et ord, Et ord, Et ord, Et ord, Et…"),
    ],
)
def test_shorten_cuts_between_words(text, expected):
    assert shorten(text) == expected


def test_new_note_text_with_an_existing_note_is_refused_and_kept(
    member_client, passage, case, note
):
    typed = "Teksten jeg skrev til et nyt notat"
    response = cite_post(
        member_client, passage, f"note:{note.pk}", new_note=typed, comment="Min kommentar"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "You wrote a text for a new note but chose an existing note." in html
    assert f"{typed}</textarea>" in html
    assert "Min kommentar</textarea>" in html
    assert not Citation.objects.exists()
    assert Note.objects.count() == 1


def test_no_target_chosen_is_refused_and_keeps_the_text(member_client, passage, case):
    response = cite_post(member_client, passage, "", new_note="Noget", comment="K")
    assert response.status_code == 400
    assert "Noget</textarea>" in response.content.decode()
    assert not Citation.objects.exists()


def test_the_new_citation_is_highlighted_on_the_case_page(member_client, passage, case, note):
    response = cite_post(member_client, passage, f"note:{note.pk}")
    citation = Citation.objects.get()
    html = member_client.get(response["Location"]).content.decode()
    assert 'class="citation-slot just-cited"' in html
    assert html.count("just-cited") == 1
    assert f"Cited bilag 863, afsnit {passage.ordinal} in 2026-0042." in html
    assert f'id="citation-{citation.pk}"' in html


def test_removal_asks_once_then_undo_brings_it_back_with_its_comment(
    member_client, case, note, passage, member
):
    start = passage.text.index("børn")
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + 4, comment="Vigtig"
    )
    url = reverse("casefiles:citation_remove", args=[case.pk, citation.pk])
    asked = member_client.get(url).content.decode()
    assert "Vigtig" in asked and "Remove the citation?" in asked
    assert Citation.objects.active().count() == 1

    response = member_client.post(url, follow=True)
    assert Citation.objects.active().count() == 0
    html = response.content.decode()
    restore = reverse("casefiles:citation_restore", args=[case.pk, citation.pk])
    assert f'action="{restore}"' in html
    assert "You can undo this at the note for 30 minutes." in html

    response = member_client.post(restore)
    assert response["Location"] == f"/cases/{case.pk}/?cited={citation.pk}#citation-{citation.pk}"
    row = Citation.objects.get(pk=citation.pk)
    assert (row.removed_at, row.removed_by, row.comment) == (None, None, "Vigtig")
    assert "is back on the note" in str(list(get_messages(response.wsgi_request))[-1])


def test_undo_is_for_the_remover_within_the_window(client, case, citation, member, colleague):
    case.members.add(colleague)
    services.citation_remove(citation=citation, user=member)
    restore = reverse("casefiles:citation_restore", args=[case.pk, citation.pk])

    client.force_login(colleague)
    assert f'action="{restore}"' not in client.get(case.get_absolute_url()).content.decode()
    client.post(restore)
    assert Citation.objects.get(pk=citation.pk).removed_at is not None

    late = timezone.now() - services.UNDO_WINDOW - dt.timedelta(minutes=1)
    Citation.objects.filter(pk=citation.pk).update(removed_at=late)
    client.force_login(member)
    assert f'action="{restore}"' not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(restore, follow=True)
    assert "kan ikke længere fortrydes" in response.content.decode()  # Danish by default
    assert Citation.objects.get(pk=citation.pk).removed_at == late


def test_undo_in_a_closed_case_is_refused(member_client, case, citation, member):
    services.citation_remove(citation=citation, user=member)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    restore = reverse("casefiles:citation_restore", args=[case.pk, citation.pk])
    member_client.post(restore)
    assert Citation.objects.get(pk=citation.pk).removed_at is not None


def test_creating_and_changing_say_so(member_client, case, note):
    response = member_client.post(
        reverse("casefiles:case_create"),
        {"reference": "2026-0777", "title": "Ny sag", "country": "SY", "status": "open"},
        follow=True,
    )
    assert "Case 2026-0777 was created." in response.content.decode()
    response = member_client.post(
        reverse("casefiles:note_edit", args=[case.pk, note.pk]), {"body": "Ny tekst"}, follow=True
    )
    assert "The note was saved as version 2" in response.content.decode()
    response = member_client.post(
        reverse("casefiles:note_add", args=[case.pk]), {"body": "Endnu en"}, follow=True
    )
    assert "The note was added." in response.content.decode()


def test_a_new_case_has_no_country_chosen(member_client, colleague):
    colleague.first_name, colleague.last_name = "Kirsten", "Holm"
    colleague.save()
    html = member_client.get(reverse("casefiles:case_create")).content.decode()
    assert '<option value="" selected>Choose the country…</option>' in html
    assert "Kirsten Holm (kollega)" in html
    assert "<legend>Members</legend>" in html
    response = member_client.post(
        reverse("casefiles:case_create"), {"reference": "X-1", "title": "T", "status": "open"}
    )
    assert response.status_code == 400
    assert not Case.objects.filter(reference="X-1").exists()
