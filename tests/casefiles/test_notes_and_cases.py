"""Notes (kept versions) and cases (members, unique references, status), and escaping of
what users and the library write on the case, cite and versions pages."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from casefiles import services
from casefiles.models import Case, Citation, Note, NoteVersion
from tests.factories import BilagFactory, CaseworkerFactory, UserFactory

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def case_data(**overrides):
    data = {"reference": "2026-0100", "title": "Kvinde fra Mosul", "country": "IQ"}
    data["status"] = "open"
    data.update(overrides)
    return data


# --- notes and their versions --------------------------------------------------------


def test_note_create(case, member):
    note = services.note_create(case=case, user=member, body="  Første udkast.  ")
    assert note.body == "Første udkast."
    assert note.version == 1
    assert note.author == member
    assert (note.edited_at, note.edited_by) == (None, None)
    assert not note.versions.exists()


@pytest.mark.parametrize("body", ["", "   ", "\n\t"])
def test_note_without_text_is_refused(case, member, body):
    with pytest.raises(ValidationError) as exc:
        services.note_create(case=case, user=member, body=body)
    assert exc.value.message_dict == {"body": ["A note needs some text."]}
    assert not Note.objects.exists()


def test_editing_keeps_every_earlier_version_in_order(note, member, colleague, case):
    case.members.add(colleague)
    created_at = note.created_at
    note = services.note_update(note=note, user=colleague, body="Anden version.")
    assert note.version == 2
    assert (note.body, note.edited_by) == ("Anden version.", colleague)
    assert note.edited_at is not None
    first_edit = note.edited_at
    note = services.note_update(note=note, user=member, body="Tredje version.")
    assert note.version == 3

    note.refresh_from_db()
    assert (note.body, note.version, note.edited_by) == ("Tredje version.", 3, member)
    rows = list(NoteVersion.objects.filter(note=note).order_by("version"))
    assert [(v.version, v.body) for v in rows] == [
        (1, "Kampene ramte civile."),
        (2, "Anden version."),
    ]
    # Each earlier version says who wrote it and when.
    assert [(v.written_by, v.written_at) for v in rows] == [
        (member, created_at),
        (colleague, first_edit),
    ]
    # The model's default order is newest first.
    assert [v.version for v in note.versions.all()] == [2, 1]


def test_unchanged_text_creates_no_version(note, member):
    note = services.note_update(note=note, user=member, body="Kampene ramte civile.")
    assert note.version == 1
    note = services.note_update(note=note, user=member, body="  Kampene ramte civile.\n")
    assert note.version == 1
    assert not NoteVersion.objects.exists()
    note.refresh_from_db()
    assert (note.version, note.edited_at, note.edited_by) == (1, None, None)


def test_edit_to_empty_is_refused_and_changes_nothing(note, member):
    with pytest.raises(ValidationError) as exc:
        services.note_update(note=note, user=member, body="   ")
    assert exc.value.message_dict == {"body": ["A note needs some text."]}
    note.refresh_from_db()
    assert (note.body, note.version) == ("Kampene ramte civile.", 1)
    assert not NoteVersion.objects.exists()


def test_note_edit_view_saves_a_version(member_client, case, note):
    url = reverse("casefiles:note_edit", args=[case.pk, note.pk])
    response = member_client.get(url)
    assert response.status_code == 200
    assert "Kampene ramte civile.</textarea>" in response.content.decode()

    response = member_client.post(url, {"body": "Kampene ramte civile i Baghouz."})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#note-{note.pk}"
    note.refresh_from_db()
    assert (note.body, note.version) == ("Kampene ramte civile i Baghouz.", 2)
    assert list(note.versions.values_list("version", "body")) == [(1, "Kampene ramte civile.")]


def test_note_edit_view_refuses_empty_text(member_client, case, note):
    url = reverse("casefiles:note_edit", args=[case.pk, note.pk])
    response = member_client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    note.refresh_from_db()
    assert (note.body, note.version) == ("Kampene ramte civile.", 1)
    assert not NoteVersion.objects.exists()


def test_note_add_view(member_client, case, member):
    url = reverse("casefiles:note_add", args=[case.pk])
    response = member_client.post(url, {"body": "Ny note om vand."})
    assert response.status_code == 302
    note = Note.objects.get(body="Ny note om vand.")
    assert response["Location"] == f"/cases/{case.pk}/#note-{note.pk}"
    assert (note.case, note.author, note.version) == (case, member, 1)

    response = member_client.post(url, {"body": ""})
    assert response.status_code == 400
    assert Note.objects.count() == 1


def test_versions_page_lists_the_versions_newest_first(member_client, case, note, member):
    services.note_update(note=note, user=member, body="Anden version.")
    services.note_update(note=note, user=member, body="Tredje version.")
    response = member_client.get(reverse("casefiles:note_versions", args=[case.pk, note.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert [v.version for v in response.context["versions"]] == [2, 1]
    positions = [
        html.index("Version 3 (now)"),
        html.index(
            'Tredje<span class="visually-hidden">]</span></ins>'
        ),  # what version 3 changed in version 2
        html.index("Version 2<"),
        html.index('Anden<span class="visually-hidden">]</span></ins>'),
        html.index("Version 1<"),
        html.index("<p>Kampene ramte civile.</p>"),  # the first version, whole
    ]
    assert positions == sorted(positions)


def test_versions_page_marks_removed_and_added_words(member_client, case, note, member):
    services.note_update(note=note, user=member, body="Kampene ramte mange civile i byen.")
    html = member_client.get(
        reverse("casefiles:note_versions", args=[case.pk, note.pk])
    ).content.decode()
    diff = html[html.index('class="note-body note-diff"') :]
    diff = diff[: diff.index("</div>")]
    assert "Kampene ramte " in diff
    assert '<ins><span class="visually-hidden">[added: </span>mange <' in diff
    assert 'i byen<span class="visually-hidden">]</span></ins>' in diff
    assert "<del>" not in diff


def test_word_diff_keeps_every_word_once():
    from casefiles.diff import word_diff

    parts = word_diff("Lejren er lukket. Børn bor der.", "Lejren er åben. Børn bor der stadig.")
    assert ("removed", "lukket") in parts and ("added", "åben") in parts
    old = "".join(t for kind, t in parts if kind != "added")
    new = "".join(t for kind, t in parts if kind != "removed")
    assert (old, new) == ("Lejren er lukket. Børn bor der.", "Lejren er åben. Børn bor der stadig.")


def test_case_page_links_to_versions_after_an_edit(member_client, case, note, member):
    versions_url = reverse("casefiles:note_versions", args=[case.pk, note.pk])
    assert versions_url not in member_client.get(case.get_absolute_url()).content.decode()
    services.note_update(note=note, user=member, body="Anden version.")
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert versions_url in html
    assert "version 2, edited by member" in html


def test_note_of_another_case_is_404(member_client, case, member):
    other = services.case_create(user=member, reference="2026-0200", title="Anden", country="IQ")
    foreign = services.note_create(case=other, user=member, body="Andetsteds.")
    url = reverse("casefiles:note_edit", args=[case.pk, foreign.pk])
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, {"body": "Ændret"}).status_code == 404
    url = reverse("casefiles:note_versions", args=[case.pk, foreign.pk])
    assert member_client.get(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.body == "Andetsteds."


# --- cases ---------------------------------------------------------------------------


def test_case_create_service_adds_the_creator_as_member(member, colleague):
    case = services.case_create(
        user=member, reference=" 2026-0300 ", title=" Titel ", country="SY", members=[colleague]
    )
    assert (case.reference, case.title, case.status) == ("2026-0300", "Titel", "open")
    assert case.created_by == member
    assert set(case.members.all()) == {member, colleague}


def test_case_create_view_with_chosen_members(member_client, member, colleague):
    response = member_client.post(
        reverse("casefiles:case_create"), case_data(members=[colleague.pk])
    )
    assert response.status_code == 302
    case = Case.objects.get(reference="2026-0100")
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.title, case.country, case.status) == ("Kvinde fra Mosul", "IQ", "open")
    assert set(case.members.values_list("username", flat=True)) == {"member", "kollega"}
    assert case.created_by == member


def test_case_create_view_without_members_has_only_the_creator(member_client, member):
    response = member_client.post(reverse("casefiles:case_create"), case_data())
    assert response.status_code == 302
    assert list(Case.objects.get().members.all()) == [member]


def test_members_are_chosen_among_caseworkers(member_client, member, colleague):
    nobody = UserFactory(username="udenrolle")
    response = member_client.get(reverse("casefiles:case_create"))
    members_field = response.context["form"].fields["members"]
    assert list(members_field.queryset) == [colleague]  # not the creator, not a roleless user
    response = member_client.post(reverse("casefiles:case_create"), case_data(members=[nobody.pk]))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_reference_is_unique_case_insensitively_without_revealing_the_case(client, outsider):
    owner = CaseworkerFactory(username="hemmelig-ejer")
    services.case_create(user=owner, reference="FLN-2026-7", title="Hemmelig titel", country="SY")
    client.force_login(outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("casefiles:case_create"), case_data(reference="  fln-2026-7 ", title="Min sag")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The case reference fln-2026-7 is already in use." in html
    assert response.context["form"].errors == {
        "reference": ["The case reference fln-2026-7 is already in use."]
    }
    assert "Hemmelig titel" not in html
    assert "FLN-2026-7" not in html  # not even the existing spelling
    existing = Case.objects.get()
    assert f"/cases/{existing.pk}/" not in html
    assert Case.objects.count() == 1


def test_reference_whitespace_is_normalised_before_the_uniqueness_check(member_client, case):
    response = member_client.post(
        reverse("casefiles:case_create"), case_data(reference=" 2026-0042 ")
    )
    assert response.status_code == 400
    assert "The case reference 2026-0042 is already in use." in response.content.decode()


def test_service_refuses_a_duplicate_reference(case, member):
    with pytest.raises(ValidationError):
        services.case_create(user=member, reference="2026-0042", title="Igen", country="SY")
    assert Case.objects.count() == 1


def test_editing_keeps_its_own_reference_and_changes_the_status(member_client, case, member):
    url = reverse("casefiles:case_edit", args=[case.pk])
    response = member_client.post(
        url, case_data(reference="2026-0042", title=case.title, country="SY", status="decided")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided"
    assert case.reference == "2026-0042"
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert "<dd>decided</dd>" in html


def test_edit_to_another_cases_reference_is_refused(member_client, case, member):
    services.case_create(user=member, reference="2026-0500", title="Anden", country="IQ")
    response = member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        case_data(reference="2026-0500", title=case.title, country="SY"),
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.reference == "2026-0042"


def test_edit_members_keeps_the_editor(member_client, case, member, colleague):
    url = reverse("casefiles:case_edit", args=[case.pk])
    base = case_data(reference=case.reference, title=case.title, country="SY")
    member_client.post(url, {**base, "members": [colleague.pk]})
    assert set(case.members.all()) == {member, colleague}
    response = member_client.get(url)
    assert [u.pk for u in response.context["form"].initial["members"]] == [colleague.pk]
    member_client.post(url, base)  # colleague unticked
    assert list(case.members.all()) == [member]


def test_case_update_refuses_unknown_fields(case, member):
    with pytest.raises(ValidationError):
        services.case_update(case=case, user=member, created_by=None)


def test_invalid_status_is_refused(case, member):
    with pytest.raises(ValidationError):
        services.case_update(case=case, user=member, status="archived")
    case.refresh_from_db()
    assert case.status == "open"


def test_case_list_shows_only_own_cases_and_filters_by_status(
    member_client, case, member, outsider
):
    services.case_create(user=outsider, reference="2026-0900", title="Fremmed", country="AF")
    closed = services.case_create(
        user=member, reference="2026-0901", title="Lukket sag", country="IQ", status="closed"
    )
    response = member_client.get(reverse("casefiles:case_list"))
    assert {c.reference for c in response.context["cases"]} == {"2026-0042", "2026-0901"}
    assert "2026-0900" not in response.content.decode()
    response = member_client.get(reverse("casefiles:case_list"), {"status": "closed"})
    assert [c.pk for c in response.context["cases"]] == [closed.pk]


def test_closed_case_is_not_offered_on_the_cite_page(member_client, case, note, member, passage):
    closed = services.case_create(
        user=member, reference="2026-0777", title="Afsluttet", country="SY"
    )
    closed_note = services.note_create(case=closed, user=member, body="Gammel note.")
    services.case_update(case=closed, user=member, status="closed")
    decided = services.case_create(
        user=member, reference="2026-0778", title="Afgjort", country="SY", status="decided"
    )
    response = member_client.get(reverse("casefiles:cite"), {"bilag": 863, "ordinal": 1})
    assert response.status_code == 200
    assert [c.reference for c in response.context["cases"]] == ["2026-0042", "2026-0778"]
    html = response.content.decode()
    assert "2026-0777" not in html
    assert f'value="note:{closed_note.pk}"' not in html
    assert f'value="new:{closed.pk}"' not in html
    assert f'value="note:{note.pk}"' in html
    assert f'value="new:{decided.pk}"' in html

    # Posting into the closed case anyway finds no such note.
    response = member_client.post(
        reverse("casefiles:cite"),
        {"bilag": 863, "ordinal": 1, "start": 0, "end": 5, "target": f"note:{closed_note.pk}"},
    )
    assert response.status_code == 404
    assert not Citation.objects.exists()


def test_cite_page_with_only_closed_cases_says_so(member_client, case, member, passage):
    services.case_update(case=case, user=member, status="closed")
    response = member_client.get(reverse("casefiles:cite"), {"bilag": 863, "ordinal": 1})
    assert response.status_code == 200
    assert "You have no open case to cite in." in response.content.decode()


# --- escaping --------------------------------------------------------------------------


@pytest.fixture
def hostile(member):
    """A case, note, citation and passage that all contain a script tag."""
    case = services.case_create(
        user=member, reference="2026-0666", title=f"Sag {XSS}", country="SY"
    )
    note = services.note_create(case=case, user=member, body=f"Note {XSS}")
    bilag = BilagFactory(
        number=666, language="da", full_text=f"Rapporten citerer {XSS} i lejren.\n\nTo."
    )
    passage = bilag.passages.get(ordinal=1)
    citation = services.citation_create(
        note=note,
        passage=passage,
        user=member,
        start=0,
        end=len(passage.text),
        comment=f"Kommentar {XSS}",
    )
    return SimpleNamespace(case=case, note=note, passage=passage, citation=citation)


def assert_escaped(html: str, *expected: str) -> None:
    assert XSS not in html
    assert "<script>alert" not in html
    for text in expected:
        assert escape(text) in html, text


def test_case_page_escapes(member_client, hostile):
    case = hostile.case
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert_escaped(
        html, f"Sag {XSS}", f"Note {XSS}", f"Kommentar {XSS}", f"Rapporten citerer {XSS}"
    )
    assert f"<q>Rapporten citerer {XSS_ESCAPED} i lejren.</q>" in html


def test_cite_page_escapes(member_client, hostile):
    note = hostile.note
    response = member_client.get(reverse("casefiles:cite"), {"bilag": 666, "ordinal": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert_escaped(html, f"Sag {XSS}", f"Note {XSS}", f"Rapporten citerer {XSS} i lejren.")
    # A refused citation keeps the comment in its field, escaped.
    response = member_client.post(
        reverse("casefiles:cite"),
        {
            "bilag": 666,
            "ordinal": 1,
            "start": 0,
            "end": 500,
            "target": f"note:{note.pk}",
            "comment": f"Ny kommentar {XSS}",
        },
    )
    assert response.status_code == 400
    assert_escaped(response.content.decode(), f"Ny kommentar {XSS}")


def test_versions_page_escapes(member_client, hostile, member):
    case, note = hostile.case, hostile.note
    services.note_update(note=note, user=member, body=f"Ny tekst {XSS}")
    response = member_client.get(reverse("casefiles:note_versions", args=[case.pk, note.pk]))
    html = response.content.decode()
    # The diff shows the words that changed and those kept (the script among them).
    assert_escaped(html, "Ny tekst")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_case_list_escapes(member_client, hostile):
    html = member_client.get(reverse("casefiles:case_list")).content.decode()
    assert_escaped(html, f"Sag {XSS}")


def test_withdrawal_reason_is_escaped_in_the_warning(member_client, hostile):
    from library import services as library_services

    case, passage = hostile.case, hostile.passage
    library_services.bilag_withdraw(bilag=passage.bilag, reason=f"Forkert {XSS}")
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert_escaped(html, f"Forkert {XSS}")


def test_service_refuses_a_reference_differing_only_in_case(member, outsider):
    services.case_create(user=member, reference="FLN-2026-7", title="Første", country="SY")
    with pytest.raises(ValidationError):
        services.case_create(user=outsider, reference="fln-2026-7", title="Anden", country="SY")
    assert Case.objects.count() == 1


# --- a closed case is read-only until it is reopened ---------------------------------


def test_closed_case_refuses_changes_until_reopened(member_client, case, note, member, citation):
    services.case_update(case=case, user=member, status="closed")
    before = (Note.objects.count(), NoteVersion.objects.count(), Citation.objects.count())

    for call in (
        lambda: services.note_create(case=case, user=member, body="Ny."),
        lambda: services.note_update(note=note, user=member, body="Ændret."),
        lambda: services.citation_create(
            note=note, passage=citation.passage, user=member, start=0, end=5
        ),
        lambda: services.citation_remove(citation=citation, user=member),
    ):
        with pytest.raises(ValidationError, match="2026-0042 is closed"):
            call()

    add = member_client.post(reverse("casefiles:note_add", args=[case.pk]), {"body": "Ny."})
    edit = member_client.post(
        reverse("casefiles:note_edit", args=[case.pk, note.pk]), {"body": "Ændret."}
    )
    remove = member_client.post(
        reverse("casefiles:citation_remove", args=[case.pk, citation.pk]), follow=True
    )
    page = member_client.get(reverse("casefiles:case_detail", args=[case.pk])).content.decode()

    assert add.status_code == edit.status_code == 400
    assert "is closed" in add.content.decode() and "is closed" in edit.content.decode()
    assert "is closed" in remove.content.decode()
    citation.refresh_from_db()
    assert citation.removed_at is None
    assert (Note.objects.count(), NoteVersion.objects.count(), Citation.objects.count()) == before
    assert reverse("casefiles:note_add", args=[case.pk]) not in page
    assert reverse("casefiles:note_edit", args=[case.pk, note.pk]) not in page
    assert reverse("casefiles:citation_remove", args=[case.pk, citation.pk]) not in page
    assert reverse("casefiles:sheet", args=[case.pk]) in page  # still readable and printable

    services.case_update(case=case, user=member, status="open")
    services.note_update(note=note, user=member, body="Ændret efter genåbning.")
    note.refresh_from_db()
    assert note.version == 2


# --- found in review ------------------------------------------------------------------


def test_editing_a_case_keeps_members_the_form_cannot_offer(member_client, case, member):
    """A deactivated member, or one given the case permissions one by one, has no box
    on the form; saving a title must not drop them."""
    from django.contrib.auth.models import Permission

    away = CaseworkerFactory(username="away", is_active=False)
    direct = UserFactory(username="direct")
    direct.user_permissions.add(*Permission.objects.filter(content_type__app_label="casefiles"))
    case.members.add(away, direct)

    response = member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        {"reference": case.reference, "title": "Ny titel", "country": "SY", "status": "open"},
    )

    assert response.status_code == 302
    assert sorted(u.username for u in case.members.all()) == ["away", "direct", "member"]


def test_unticking_a_member_removes_them(member_client, case, outsider):
    case.members.add(outsider)
    response = member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        {"reference": case.reference, "title": case.title, "country": "SY", "status": "open"},
    )
    assert response.status_code == 302
    assert [u.username for u in case.members.all()] == ["member"]


def test_a_note_typed_into_a_case_closed_meanwhile_is_shown_back(member_client, case, member):
    services.case_update(case=case, user=member, status="closed")

    response = member_client.post(
        reverse("casefiles:note_add", args=[case.pk]), {"body": "Mit lange notat."}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "is closed" in html
    assert "Mit lange notat." in html  # the typed text, to copy
    assert not Note.objects.filter(body="Mit lange notat.").exists()
