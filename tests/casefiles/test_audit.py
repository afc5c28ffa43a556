"""The audit log: one entry per view or change of a case, none for refused requests, and
rows that can never be changed or deleted (model, queryset, and on PostgreSQL the
database itself), readable but not writable in the admin."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.urls import reverse

from casefiles import services
from casefiles.models import AuditEntry, Case, Citation, Note

CREATE, CHANGE, VIEW, REMOVE = "create", "change", "view", "remove"


def mark() -> int:
    return AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0


def since(before: int) -> list[tuple]:
    """(user, action, target, case id, object id, detail) of the entries after `before`."""
    return [
        (e.user.get_username(), e.action, e.target, e.case_id, e.object_id, e.detail)
        for e in AuditEntry.objects.filter(id__gt=before).select_related("user").order_by("id")
    ]


@pytest.fixture
def member_client(client, member):
    """Unlike the folder's `member_client`: the member reads the site in the default
    language (Danish), with no language cookie."""
    client.force_login(member)
    return client


# --- one entry per action --------------------------------------------------------------


def test_case_create_writes_one_entry(member_client, member):
    before = mark()
    response = member_client.post(
        reverse("casefiles:case_create"),
        {"reference": "2026-0100", "title": "Ny sag", "country": "IQ", "status": "open"},
    )
    assert response.status_code == 302
    case = Case.objects.get(reference="2026-0100")
    assert since(before) == [("member", CREATE, "case", case.pk, case.pk, "members member")]


def test_case_create_service_writes_one_entry(member):
    case = services.case_create(user=member, reference="2026-0101", title="T", country="SY")
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.target, entry.case, entry.object_id) == (
        member,
        CREATE,
        "case",
        case,
        case.pk,
    )
    assert entry.at is not None


def test_case_change_names_the_changed_fields_and_members(member_client, case, colleague):
    before = mark()
    response = member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        {
            "reference": "2026-0042",
            "title": "Ny titel",
            "country": "SY",
            "status": "decided",
            "members": [colleague.pk],
        },
    )
    assert response.status_code == 302
    assert since(before) == [
        ("member", CHANGE, "case", case.pk, case.pk, "title, status, members +kollega")
    ]

    before = mark()
    member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        {"reference": "2026-0042", "title": "Ny titel", "country": "SY", "status": "decided"},
    )
    assert since(before) == [("member", CHANGE, "case", case.pk, case.pk, "members -kollega")]


def test_case_change_without_changes_writes_nothing(member_client, case):
    before = mark()
    response = member_client.post(
        reverse("casefiles:case_edit", args=[case.pk]),
        {"reference": case.reference, "title": case.title, "country": "SY", "status": "open"},
    )
    assert response.status_code == 302
    assert since(before) == []


def test_case_change_service_detail(case, member):
    before = mark()
    services.case_update(case=case, user=member, reference="2026-0043", country="IQ")
    assert since(before) == [("member", CHANGE, "case", case.pk, case.pk, "reference, country")]


def test_note_create_writes_one_entry(member_client, case):
    before = mark()
    response = member_client.post(
        reverse("casefiles:note_add", args=[case.pk]), {"body": "En note."}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert since(before) == [("member", CREATE, "note", case.pk, note.pk, "")]


def test_note_edit_writes_one_entry(member_client, case, note):
    before = mark()
    response = member_client.post(
        reverse("casefiles:note_edit", args=[case.pk, note.pk]), {"body": "Ny tekst."}
    )
    assert response.status_code == 302
    assert since(before) == [("member", CHANGE, "note", case.pk, note.pk, "version 2")]
    # Saving the same text again is no change and leaves no entry.
    before = mark()
    member_client.post(
        reverse("casefiles:note_edit", args=[case.pk, note.pk]), {"body": "Ny tekst."}
    )
    assert since(before) == []


def test_citation_create_writes_one_entry(member_client, case, note, passage):
    before = mark()
    response = member_client.post(
        reverse("casefiles:cite"),
        {"bilag": 863, "ordinal": 1, "start": 30, "end": 45, "target": f"note:{note.pk}"},
    )
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert since(before) == [
        ("member", CREATE, "citation", case.pk, citation.pk, "bilag 863 § 1 [30:45]")
    ]


def test_citation_into_a_new_note_writes_the_note_then_the_citation(member_client, case, passage):
    before = mark()
    member_client.post(
        reverse("casefiles:cite"),
        {
            "bilag": 863,
            "ordinal": 1,
            "start": 0,
            "end": 64,
            "target": f"new:{case.pk}",
            "new_note": "Ny note.",
        },
    )
    note, citation = Note.objects.get(), Citation.objects.get()
    assert since(before) == [
        ("member", CREATE, "note", case.pk, note.pk, ""),
        ("member", CREATE, "citation", case.pk, citation.pk, "bilag 863 § 1 [0:64]"),
    ]


def test_refused_citation_writes_nothing(member_client, case, note, passage):
    before = mark()
    response = member_client.post(
        reverse("casefiles:cite"),
        {
            "bilag": 863,
            "ordinal": 1,
            "start": 29,
            "end": 30,
            "target": f"new:{case.pk}",
            "new_note": "Ny note.",
        },
    )
    assert response.status_code == 400
    assert since(before) == []


def test_citation_remove_writes_one_entry(member_client, case, citation):
    before = mark()
    url = reverse("casefiles:citation_remove", args=[case.pk, citation.pk])
    assert member_client.post(url).status_code == 302
    assert since(before) == [("member", REMOVE, "citation", case.pk, citation.pk, "bilag 863 § 1")]
    # Removing it again changes nothing and writes nothing.
    before = mark()
    assert member_client.post(url).status_code == 302
    assert since(before) == []


@pytest.mark.parametrize(
    ("name", "query", "target", "detail"),
    [
        ("casefiles:case_detail", "", "case", ""),
        ("casefiles:sheet", "", "sheet", "html as of -"),
        ("casefiles:sheet", "?as_of=2026-01-31", "sheet", "html as of 2026-01-31"),
        ("casefiles:sheet", "?as_of=bad", "sheet", "html as of -"),
        ("casefiles:sheet_text", "", "sheet", "text as of -"),
        ("casefiles:sheet_text", "?as_of=2026-01-31", "sheet", "text as of 2026-01-31"),
        ("casefiles:api_case", "", "case", "api"),
    ],
)
def test_each_view_writes_one_entry(member_client, case, citation, name, query, target, detail):
    before = mark()
    response = member_client.get(reverse(name, args=[case.pk]) + query)
    assert response.status_code == 200
    assert since(before) == [("member", VIEW, target, case.pk, case.pk, detail)]


def test_note_versions_view_writes_one_entry(member_client, case, note):
    before = mark()
    response = member_client.get(reverse("casefiles:note_versions", args=[case.pk, note.pk]))
    assert response.status_code == 200
    assert since(before) == [("member", VIEW, "note", case.pk, note.pk, "versions")]


def test_views_that_show_no_case_write_nothing(member_client, case, passage):
    before = mark()
    assert member_client.get(reverse("casefiles:case_list")).status_code == 200
    assert member_client.get(reverse("casefiles:api_case_list")).status_code == 200
    assert (
        member_client.get(reverse("casefiles:cite"), {"bilag": 863, "ordinal": 1}).status_code
        == 200
    )
    assert since(before) == []


@pytest.mark.parametrize(
    ("name", "method", "with_note", "with_citation"),
    [
        ("casefiles:case_detail", "get", False, False),
        ("casefiles:case_edit", "get", False, False),
        ("casefiles:case_edit", "post", False, False),
        ("casefiles:sheet", "get", False, False),
        ("casefiles:sheet_text", "get", False, False),
        ("casefiles:api_case", "get", False, False),
        ("casefiles:note_add", "post", False, False),
        ("casefiles:note_edit", "get", True, False),
        ("casefiles:note_edit", "post", True, False),
        ("casefiles:note_versions", "get", True, False),
        ("casefiles:citation_remove", "post", False, True),
    ],
)
def test_non_member_gets_404_and_writes_nothing(
    client, outsider, case, note, citation, name, method, with_note, with_citation
):
    args = [case.pk]
    if with_note:
        args.append(note.pk)
    if with_citation:
        args.append(citation.pk)
    client.force_login(outsider)
    before = mark()
    data = {"body": "Indtrængen", "reference": "X", "title": "X", "country": "SY"}
    response = getattr(client, method)(reverse(name, args=args), data if method == "post" else {})
    assert response.status_code == 404
    assert since(before) == []
    note.refresh_from_db()
    case.refresh_from_db()
    assert (note.body, case.title) == ("Kampene ramte civile.", "Ung mand fra Deir ez-Zor")
    assert Citation.objects.get(pk=citation.pk).removed_at is None


def test_library_admin_who_is_not_a_member_gets_404_too(client, library_admin, case):
    client.force_login(library_admin)
    before = mark()
    assert client.get(reverse("casefiles:case_detail", args=[case.pk])).status_code == 404
    assert since(before) == []


# --- never changed or deleted ------------------------------------------------------------


def test_entries_cannot_be_changed_or_deleted_through_the_model(case, member):
    from django.core.exceptions import ValidationError

    entry = AuditEntry.objects.get()
    entry.detail = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().update(detail="rewritten")
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError), transaction.atomic():  # bulk_update is atomic
        AuditEntry.objects.bulk_update([entry], ["detail"])
    fresh = AuditEntry.objects.get()
    assert (fresh.pk, fresh.detail, fresh.action) == (entry.pk, "members member", CREATE)


def test_case_with_entries_cannot_be_deleted(case):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        case.delete()
    assert AuditEntry.objects.filter(case=case).count() == 1


def test_append_only_migration_sql_survives_postgres_parameter_merging():
    """Regression: with the default params=() the lone % in RAISE EXCEPTION made psycopg
    fail ('incomplete placeholder'), so the migration and every PostgreSQL run failed."""
    module = importlib.import_module("casefiles.migrations.0002_roles_and_append_only_audit")
    calls = []

    class Editor:
        connection = SimpleNamespace(vendor="postgresql")

        def execute(self, sql, params=()):
            calls.append((sql, params))

    module.append_only(None, Editor())
    module.drop_append_only(None, Editor())
    assert len(calls) == 2
    for sql, params in calls:
        # Django's PostgreSQL schema editor merges `params` into `sql` client-side unless
        # params is None, and a lone % in `sql` then breaks the merge.
        assert params is None or "%" not in sql.replace("%%", "")


POSTGRES_ONLY = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the append-only trigger exists on PostgreSQL only; SQLite relies on the model",
)


@POSTGRES_ONLY
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE casefiles_auditentry SET detail = 'x'", "UPDATE"),
        ("DELETE FROM casefiles_auditentry", "DELETE"),
    ],
)
def test_database_refuses_raw_update_and_delete(case, member, sql, operation):
    services.audit(user=member, action=VIEW, case=case, target="case", obj=case)
    with (
        pytest.raises(DatabaseError, match=f"append-only: {operation} refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert sorted(AuditEntry.objects.values_list("action", "detail")) == [
        (CREATE, "members member"),
        (VIEW, ""),
    ]


@POSTGRES_ONLY
def test_database_refuses_a_bypassing_queryset_update(case):
    # Even Django's base QuerySet (past the model's own refusals) meets the trigger.
    from django.db.models import QuerySet

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        QuerySet(model=AuditEntry).update(detail="x")
    assert AuditEntry.objects.get().detail == "members member"


@POSTGRES_ONLY
@pytest.mark.parametrize("table", ["casefiles_auditentry", "casefiles_loginevent"])
def test_database_refuses_truncate(case, table):
    """TRUNCATE passes the row triggers by; a statement trigger refuses it, unless the
    session says baggrund.allow_truncate = on (only the test suite's flush does)."""
    with connection.cursor() as cursor:
        cursor.execute("SET baggrund.allow_truncate = 'off'")
        # Rows written in this test's transaction leave deferred foreign-key checks,
        # which PostgreSQL would name instead of the trigger: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        with (
            pytest.raises(DatabaseError, match=f"{table} is append-only: TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"TRUNCATE {table} CASCADE")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET baggrund.allow_truncate = 'on'")
    assert AuditEntry.objects.get().detail == "members member"


# --- the admin -------------------------------------------------------------------------


def test_library_admin_reads_the_log(admin_client_, case, member):
    services.audit(user=member, action=VIEW, case=case, target="sheet", obj=case, detail="d1")
    response = admin_client_.get(reverse("admin:casefiles_auditentry_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-0042" in html
    assert "d1" in html
    assert response.context["cl"].result_count == 2


def test_library_admin_can_search_the_log_by_reference(admin_client_, case, member):
    other = services.case_create(user=member, reference="2026-9999", title="T", country="SY")
    response = admin_client_.get(
        reverse("admin:casefiles_auditentry_changelist"), {"q": "2026-9999"}
    )
    assert [e.case_id for e in response.context["cl"].result_list] == [other.pk]


def test_admin_cannot_add_change_or_delete(admin_client_, case):
    entry = AuditEntry.objects.get()
    assert admin_client_.get(reverse("admin:casefiles_auditentry_add")).status_code == 403
    assert (
        admin_client_.post(reverse("admin:casefiles_auditentry_add"), {"detail": "x"}).status_code
        == 403
    )
    change = reverse("admin:casefiles_auditentry_change", args=[entry.pk])
    response = admin_client_.get(change)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="detail"' not in html  # read-only: no input fields
    assert 'name="_save"' not in html
    assert admin_client_.post(change, {"detail": "rewritten"}).status_code == 403
    delete = reverse("admin:casefiles_auditentry_delete", args=[entry.pk])
    assert admin_client_.get(delete).status_code == 403
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    # No bulk delete action either.
    response = admin_client_.post(
        reverse("admin:casefiles_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert list(AuditEntry.objects.values_list("pk", "detail")) == [(entry.pk, "members member")]


def test_caseworker_has_no_admin(member_client, case):
    response = member_client.get(reverse("admin:casefiles_auditentry_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_cases_notes_and_citations_are_not_in_the_admin(admin_client_):
    from django.urls import NoReverseMatch

    for model in ("case", "note", "citation", "noteversion"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:casefiles_{model}_changelist")


# --- found in review ------------------------------------------------------------------


def test_forms_that_show_a_case_are_logged_as_views(client, case, note, member):
    client.force_login(member)
    before = AuditEntry.objects.count()

    client.get(reverse("casefiles:case_edit", args=[case.pk]))
    client.get(reverse("casefiles:note_edit", args=[case.pk, note.pk]))
    client.post(reverse("casefiles:note_add", args=[case.pk]), {"body": ""})  # refused: 400

    new = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "target", "detail"))
    assert new == [
        ("view", "case", "edit form"),
        ("view", "note", "edit form"),
        ("view", "case", ""),
    ]


def test_case_creation_records_who_got_access(member, outsider):
    case = services.case_create(
        user=member, reference="2026-0101", title="T", country="SY", members=[outsider]
    )
    entry = AuditEntry.objects.get(case=case, action="create")
    assert entry.detail == "members member,outsider"


def test_internal_manager_and_upserts_cannot_rewrite_the_log(case):
    entry = AuditEntry.objects.filter(case=case).first()
    with pytest.raises(ValidationError):
        AuditEntry._base_manager.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(ValidationError):
        AuditEntry.objects.bulk_create(
            [AuditEntry(pk=entry.pk, user=entry.user, case=case, action="view", target="case")],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["detail"],
        )
    entry.refresh_from_db()
    assert entry.detail != "rewritten"
