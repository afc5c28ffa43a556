"""Every URL of the project, walked for every role, with the exact answer each one gets.

Roles: anonymous, a caseworker who is a member of the case, a caseworker who is not, and
a library admin (not a member either: admins see no case they are not a member of).
Outsiders get 404 on every URL naming the case, its notes or its citations, whatever the
method, and their requests change nothing and write nothing. Pages that list cases
(the case list, the API, the cite page, search hits, bilag pages) never show them the case.

`test_every_route_is_walked` enumerates the URL patterns, so a new URL cannot escape the
table below.
"""

import dataclasses
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from casefiles.models import AuditEntry, Case, Citation, Note, NoteVersion
from library.models import Bilag, Topic
from library.topics.services import tag_add
from tests.casefiles import payloads
from tests.casefiles.support import PASSAGE_TEXT
from tests.factories import LibraryAdminFactory

LOGIN = "/accounts/login/?next="
ADMIN_LOGIN = "/admin/login/?next="
AS_OF = "2026-01-01"

ANONYMOUS, MEMBER, OUTSIDER, LIBRARY_ADMIN = "anonymous", "member", "outsider", "admin"
ROLES = (ANONYMOUS, MEMBER, OUTSIDER, LIBRARY_ADMIN)
NON_MEMBERS = (OUTSIDER, LIBRARY_ADMIN)

OK = (200, None)
FORBIDDEN = (403, None)
NOT_FOUND = (404, None)
NOT_ALLOWED = (405, None)


def to(location: str) -> tuple[int, str]:
    return (302, location)


@dataclasses.dataclass(frozen=True)
class Row:
    """One request and what each role gets: (status, Location or None).

    `path` and Locations are templates over the walk's ids: {case}, {note}, {citation},
    {bilag}, {tag}, {topic}, and, after the request, {new_case}, {new_note},
    {new_citation} (the newest row of each).
    """

    method: str
    path: str
    anonymous: tuple
    member: tuple
    outsider: tuple
    admin: tuple
    payload: object = None
    # A member's request changes the case (its fields, notes, citations or members).
    writes_case: bool = False
    # The page lists the reader's own cases: the member's shows the case.
    lists_case: bool = False
    # Whoever succeeds creates a case of their own (rows written by them are expected).
    creates_own_case: bool = False
    # The page may show the case to a library admin (the audit log in the admin).
    admin_sees_case: bool = False

    def expected(self, role: str) -> tuple:
        return getattr(self, role)


def library(method, path, caseworker, admin, anonymous, **kwargs) -> Row:
    """A library URL: both caseworkers get the same answer."""
    return Row(method, path, anonymous, caseworker, caseworker, admin, **kwargs)


def on_case(method, path, member, anonymous, **kwargs) -> Row:
    """A URL naming the case: everyone who is not a member gets 404."""
    return Row(method, path, anonymous, member, NOT_FOUND, NOT_FOUND, **kwargs)


def logged_in(method, path, status, anonymous, **kwargs) -> Row:
    """Every logged-in role gets the same answer."""
    return Row(method, path, anonymous, status, status, status, **kwargs)


def login(quoted_path: str) -> tuple:
    return to(LOGIN + quoted_path)


ROWS = [
    # --- search ---
    library("get", "/", OK, OK, login("/")),
    library("get", "/?q=Baghouz", OK, OK, login("/%3Fq%3DBaghouz"), lists_case=True),
    library("get", "/api/search?q=Baghouz", OK, OK, login("/api/search%3Fq%3DBaghouz")),
    # --- library ---
    library("get", "/bilag/", OK, OK, login("/bilag/")),
    library("get", "/bilag/upload/", FORBIDDEN, OK, login("/bilag/upload/")),
    library(
        "post", "/bilag/upload/", FORBIDDEN, OK, login("/bilag/upload/"), payload=payloads.upload
    ),
    # Files waiting for their metadata: the admin's own; an unknown token is a plain 404.
    library("get", "/bilag/upload/waiting/", FORBIDDEN, OK, login("/bilag/upload/waiting/")),
    library(
        "post",
        "/bilag/upload/waiting/not-a-token/",
        FORBIDDEN,
        NOT_FOUND,
        login("/bilag/upload/waiting/not-a-token/"),
    ),
    library(
        "post",
        "/bilag/upload/waiting/not-a-token/discard/",
        FORBIDDEN,
        NOT_FOUND,
        login("/bilag/upload/waiting/not-a-token/discard/"),
    ),
    # Upload jobs: the admin's own (tests/library/test_upload_jobs.py); another is a 404.
    library(
        "get",
        "/bilag/upload/jobs/999999/",
        FORBIDDEN,
        NOT_FOUND,
        login("/bilag/upload/jobs/999999/"),
    ),
    library(
        "get",
        "/bilag/upload/jobs/999999/status/",
        FORBIDDEN,
        NOT_FOUND,
        login("/bilag/upload/jobs/999999/status/"),
    ),
    library(
        "post",
        "/bilag/upload/jobs/999999/retry/",
        FORBIDDEN,
        NOT_FOUND,
        login("/bilag/upload/jobs/999999/retry/"),
    ),
    library("get", "/bilag/{bilag}/", OK, OK, login("/bilag/{bilag}/"), lists_case=True),
    library("get", "/bilag/{bilag}/original/", OK, OK, login("/bilag/{bilag}/original/")),
    library("get", "/bilag/{bilag}/edit/", FORBIDDEN, OK, login("/bilag/{bilag}/edit/")),
    library(
        "post",
        "/bilag/{bilag}/edit/",
        FORBIDDEN,
        to("/bilag/{bilag}/"),
        login("/bilag/{bilag}/edit/"),
        payload=payloads.bilag_edit,
    ),
    library("get", "/bilag/{bilag}/withdraw/", FORBIDDEN, OK, login("/bilag/{bilag}/withdraw/")),
    library(
        "post",
        "/bilag/{bilag}/withdraw/",
        FORBIDDEN,
        to("/bilag/{bilag}/"),
        login("/bilag/{bilag}/withdraw/"),
        payload=payloads.withdraw,
    ),
    library("get", "/api/bilag/{bilag}", OK, OK, login("/api/bilag/{bilag}")),
    # --- topic tags ---
    library(
        "get",
        "/bilag/{bilag}/passages/1/topics/",
        NOT_ALLOWED,
        NOT_ALLOWED,
        login("/bilag/{bilag}/passages/1/topics/"),
    ),
    library(
        "post",
        "/bilag/{bilag}/passages/1/topics/",
        to("/bilag/{bilag}/#p1"),
        to("/bilag/{bilag}/#p1"),
        login("/bilag/{bilag}/passages/1/topics/"),
        payload=payloads.tag_add,
    ),
    library(
        "get",
        "/topic-tags/{tag}/decide/",
        NOT_ALLOWED,
        NOT_ALLOWED,
        login("/topic-tags/{tag}/decide/"),
    ),
    library(
        "post",
        "/topic-tags/{tag}/decide/",
        to("/bilag/{bilag}/#p1"),
        to("/bilag/{bilag}/#p1"),
        login("/topic-tags/{tag}/decide/"),
        payload=payloads.tag_decide,
    ),
    library("get", "/topics/review/", FORBIDDEN, OK, login("/topics/review/")),
    library(
        "post",
        "/topics/review/confirm/",
        to("/topics/review/"),
        to("/topics/review/"),
        login("/topics/review/confirm/"),
        payload=payloads.review_confirm,
    ),
    # --- case files: lists and creation (not tied to the case) ---
    logged_in("get", "/cases/", OK, login("/cases/"), lists_case=True),
    logged_in("get", "/api/cases", OK, login("/api/cases"), lists_case=True),
    logged_in("get", "/cases/new/", OK, login("/cases/new/")),
    logged_in(
        "post",
        "/cases/new/",
        to("/cases/{new_case}/"),
        login("/cases/new/"),
        payload=payloads.case_new,
        creates_own_case=True,
    ),
    # --- case files: URLs naming the case, a note or a citation ---
    on_case("get", "/cases/{case}/", OK, login("/cases/{case}/")),
    on_case("get", "/cases/{case}/edit/", OK, login("/cases/{case}/edit/")),
    on_case(
        "post",
        "/cases/{case}/edit/",
        to("/cases/{case}/"),
        login("/cases/{case}/edit/"),
        payload=payloads.case_edit,
        writes_case=True,
    ),
    # POST-only: a wrong method is 405 for everyone logged in, before the case is looked
    # up, so the answer says nothing about the case.
    logged_in("get", "/cases/{case}/notes/", NOT_ALLOWED, login("/cases/{case}/notes/")),
    on_case(
        "post",
        "/cases/{case}/notes/",
        to("/cases/{case}/#note-{new_note}"),
        login("/cases/{case}/notes/"),
        payload=payloads.note_add,
        writes_case=True,
    ),
    on_case(
        "get", "/cases/{case}/notes/{note}/edit/", OK, login("/cases/{case}/notes/{note}/edit/")
    ),
    on_case(
        "post",
        "/cases/{case}/notes/{note}/edit/",
        to("/cases/{case}/#note-{note}"),
        login("/cases/{case}/notes/{note}/edit/"),
        payload=payloads.note_edit,
        writes_case=True,
    ),
    on_case(
        "get",
        "/cases/{case}/notes/{note}/versions/",
        OK,
        login("/cases/{case}/notes/{note}/versions/"),
    ),
    # Removing asks once (GET: the excerpt and its comment), then POST takes it off.
    on_case(
        "get",
        "/cases/{case}/citations/{citation}/remove/",
        OK,
        login("/cases/{case}/citations/{citation}/remove/"),
    ),
    on_case(
        "post",
        "/cases/{case}/citations/{citation}/remove/",
        to("/cases/{case}/#note-{note}"),
        login("/cases/{case}/citations/{citation}/remove/"),
        writes_case=True,
    ),
    # Undo of a removal; the walked citation is not removed, so nothing changes.
    on_case(
        "post",
        "/cases/{case}/citations/{citation}/restore/",
        to("/cases/{case}/#note-{note}"),
        login("/cases/{case}/citations/{citation}/restore/"),
    ),
    on_case("get", "/cases/{case}/sheet/", OK, login("/cases/{case}/sheet/")),
    on_case(
        "get",
        f"/cases/{{case}}/sheet/?as_of={AS_OF}",
        OK,
        login(f"/cases/{{case}}/sheet/%3Fas_of%3D{AS_OF}"),
    ),
    on_case("get", "/cases/{case}/sheet/text/", OK, login("/cases/{case}/sheet/text/")),
    on_case("get", "/api/cases/{case}", OK, login("/api/cases/{case}")),
    # --- citing: the page lists the reader's own cases; saving names a note or a case ---
    logged_in(
        "get",
        "/cite/?bilag={bilag}&ordinal=1",
        OK,
        login("/cite/%3Fbilag%3D{bilag}%26ordinal%3D1"),
        lists_case=True,
    ),
    on_case(
        "post",
        "/cite/",
        to("/cases/{case}/?cited={new_citation}#citation-{new_citation}"),
        login("/cite/"),
        payload=payloads.cite_into_note,
        writes_case=True,
    ),
    on_case(
        "post",
        "/cite/",
        to("/cases/{case}/?cited={new_citation}#citation-{new_citation}"),
        login("/cite/"),
        payload=payloads.cite_into_new_note,
        writes_case=True,
    ),
    # --- monitoring: open to all, names nothing of the library ---
    logged_in("get", "/healthz", OK, OK),
    # --- the Django admin: staff only; it sends everyone else to its own login ---
    Row("get", "/admin/", to(ADMIN_LOGIN + "/admin/"), *[to(ADMIN_LOGIN + "/admin/")] * 2, OK),
    # Anonymous: LoginRequiredMiddleware answers before the admin does. Django gives the
    # admin site's own views a `login_url` (admin login), but not a ModelAdmin's views,
    # so the change list sends anonymous users to the site login (see the report; the
    # rule asked for /admin/login/). Pinned here as it is.
    Row(
        "get",
        "/admin/casefiles/auditentry/",
        to(ADMIN_LOGIN + "/admin/casefiles/auditentry/"),
        *[to(ADMIN_LOGIN + "/admin/casefiles/auditentry/")] * 2,
        OK,
        admin_sees_case=True,
    ),
    Row(
        "get",
        "/admin/casefiles/loginevent/",
        to(ADMIN_LOGIN + "/admin/casefiles/loginevent/"),
        *[to(ADMIN_LOGIN + "/admin/casefiles/loginevent/")] * 2,
        OK,
    ),
    # The admin's "view on site" redirect: never for case files (it would tell staff
    # which case ids exist and which case a note belongs to); bilag still work.
    Row(
        "get",
        "/admin/r/{case_type}/{case}/",
        to(ADMIN_LOGIN + "/admin/r/{case_type}/{case}/"),
        *[to(ADMIN_LOGIN + "/admin/r/{case_type}/{case}/")] * 2,
        NOT_FOUND,
    ),
    Row(
        "get",
        "/admin/r/{note_type}/{note}/",
        to(ADMIN_LOGIN + "/admin/r/{note_type}/{note}/"),
        *[to(ADMIN_LOGIN + "/admin/r/{note_type}/{note}/")] * 2,
        NOT_FOUND,
    ),
    Row(
        "get",
        "/admin/r/{bilag_type}/{bilag_pk}/",
        to(ADMIN_LOGIN + "/admin/r/{bilag_type}/{bilag_pk}/"),
        *[to(ADMIN_LOGIN + "/admin/r/{bilag_type}/{bilag_pk}/")] * 2,
        to("http://testserver/bilag/{bilag}/"),
    ),
    # --- accounts and language ---
    logged_in("get", "/accounts/login/", OK, OK),
    logged_in("post", "/accounts/logout/", to("/accounts/login/"), login("/accounts/logout/")),
    logged_in("get", "/accounts/password_change/", OK, login("/accounts/password_change/")),
    logged_in(
        "get", "/accounts/password_change/done/", OK, login("/accounts/password_change/done/")
    ),
    logged_in("post", "/i18n/setlang/", to("/bilag/"), to("/bilag/"), payload=payloads.setlang),
]


def _row_id(row: Row) -> str:
    payload = f"[{row.payload.__name__.lstrip('_')}]" if row.payload else ""
    return f"{row.method.upper()} {row.path}{payload}"


WALK = [pytest.param(row, role, id=f"{role}-{_row_id(row)}") for row in ROWS for role in ROLES]


# --- fixtures ---


@pytest.fixture
def library_admin_user(db):
    return LibraryAdminFactory(username="bibliotekar")


@pytest.fixture
def tag(passage, member):
    return tag_add(passage=passage, topic=Topic.objects.order_by("slug").first(), user=member)


@pytest.fixture
def ids(case, note, citation, bilag, tag) -> dict:
    return {
        "case": case.pk,
        "note": note.pk,
        "citation": citation.pk,
        "bilag": bilag.number,
        "bilag_pk": bilag.pk,
        "tag": tag.pk,
        "topic": Topic.objects.order_by("slug").first().pk,
        "case_type": ContentType.objects.get_for_model(Case).pk,
        "note_type": ContentType.objects.get_for_model(Note).pk,
        "bilag_type": ContentType.objects.get_for_model(Bilag).pk,
    }


@pytest.fixture
def users(member, outsider, library_admin_user) -> dict:
    return {MEMBER: member, OUTSIDER: outsider, LIBRARY_ADMIN: library_admin_user}


@pytest.fixture
def clients(users) -> dict:
    made = {ANONYMOUS: Client()}
    for role, user in users.items():
        made[role] = Client()
        made[role].force_login(user)
    return made


# --- helpers ---


def case_snapshot(case: Case) -> dict:
    """Everything about `case` that a request could change, read fresh from the database."""
    case = Case.objects.get(pk=case.pk)
    notes = Note.objects.filter(case=case).order_by("pk")
    return {
        "case": (case.reference, case.title, case.country, case.status, case.updated_at),
        "members": sorted(case.members.values_list("pk", flat=True)),
        "notes": list(notes.values_list("pk", "body", "version", "edited_at", "edited_by")),
        "versions": list(
            NoteVersion.objects.filter(note__case=case).order_by("pk").values_list("pk", "body")
        ),
        "citations": list(
            Citation.objects.filter(note__case=case)
            .order_by("pk")
            .values_list("pk", "quote", "removed_at", "removed_by")
        ),
        "audit": list(AuditEntry.objects.filter(case=case).order_by("pk").values_list("pk")),
    }


def written_by(user) -> dict:
    """Rows of the case files that `user` wrote, anywhere."""
    return {
        "cases": Case.objects.filter(created_by=user).count(),
        "notes": Note.objects.filter(author=user).count(),
        "note edits": Note.objects.filter(edited_by=user).count(),
        "versions": NoteVersion.objects.filter(written_by=user).count(),
        "citations": Citation.objects.filter(created_by=user).count(),
        "removals": Citation.objects.filter(removed_by=user).count(),
        "audit": AuditEntry.objects.filter(user=user).count(),
    }


def body_of(response) -> str:
    # Reading a streamed response to the end closes it (the test client's wrapper does it
    # without closing the database connection; calling response.close() here would).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def newest_ids(case: Case) -> dict:
    def newest(model, **filters):
        return model.objects.filter(**filters).order_by("-pk").values_list("pk", flat=True).first()

    return {
        "new_case": newest(Case),
        "new_note": newest(Note, case=case),
        "new_citation": newest(Citation, note__case=case),
    }


def request(client: Client, row: Row, ids: dict):
    path = row.path.format(**ids)
    if row.method == "get":
        return client.get(path)
    data = row.payload(ids) if row.payload else {}
    return client.post(path, data)


# --- the walk ---


@pytest.mark.parametrize(("row", "role"), WALK)
def test_url_for_role(row, role, ids, clients, users, case, note):
    before = case_snapshot(case)
    before_written = {r: written_by(u) for r, u in users.items() if r != MEMBER}

    response = request(clients[role], row, ids)

    status, location = row.expected(role)
    expected_location = location.format(**ids, **newest_ids(case)) if location else None
    assert (response.status_code, response.get("Location")) == (status, expected_location)
    body = body_of(response)

    after = case_snapshot(case)
    if role == MEMBER:
        if row.writes_case:
            assert after != before, "the member's request should have changed the case"
        if row.lists_case:
            assert case.reference in body
        return

    # Nobody but the member changed anything in the case, or wrote about it.
    assert after == before
    for other, counts in before_written.items():
        if other == role and row.creates_own_case:
            continue
        assert written_by(users[other]) == counts, f"{other} wrote case-file rows"
    # ...and the case shows nowhere for them.
    if not (role == LIBRARY_ADMIN and row.admin_sees_case):
        for secret in (case.reference, case.title, note.body):
            assert secret not in body, f"{role} sees {secret!r}"


def test_admin_audit_log_shows_the_case_to_admins(ids, clients, case):
    """The one place a library admin sees a case they are not a member of: the audit log."""
    response = clients[LIBRARY_ADMIN].get("/admin/casefiles/auditentry/")

    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_non_member_writes_leave_the_citation_and_note_in_place(ids, clients, citation, note):
    """Spelled out for the destructive POSTs: the citation stays, the note keeps its text."""
    for role in NON_MEMBERS:
        remove = clients[role].post(f"/cases/{ids['case']}/citations/{ids['citation']}/remove/")
        edit = clients[role].post(
            f"/cases/{ids['case']}/notes/{ids['note']}/edit/", {"body": "Overwritten."}
        )

        assert (remove.status_code, edit.status_code) == (404, 404)
    citation.refresh_from_db()
    note.refresh_from_db()
    assert (citation.removed_at, citation.removed_by) == (None, None)
    assert (note.body, note.version) == ("Kampene ramte civile.", 1)
    assert not NoteVersion.objects.exists()


# --- every route is in the walk ---

# The admin's own pages are Django's; only these of its routes are walked, plus the
# change list of any case-file model registered in the admin (so registering Case,
# Note or Citation there would have to be walked too).
ADMIN_ROUTES_WALKED = {"admin:index", "admin:casefiles_auditentry_changelist"}


def _routes(patterns, namespace="", prefix=""):
    """(namespace, name or None, route) of every URL pattern, recursively."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner, route)
        else:
            yield namespace, pattern.name and f"{namespace}{pattern.name}", route


def project_routes() -> set[str]:
    """The routes the walk must cover: every named route outside the admin site, and the
    admin's index and case-file change lists. An unnamed route outside the admin fails."""
    wanted = set()
    for namespace, name, route in _routes(get_resolver().url_patterns):
        if namespace.startswith("admin:"):
            if name == "admin:index" or (
                name and name.startswith("admin:casefiles_") and name.endswith("_changelist")
            ):
                wanted.add(name)
            continue
        if name is None:
            raise AssertionError(f"unnamed URL pattern {route!r}: name it and walk it")
        wanted.add(name)
    return wanted


def walked_routes(rows) -> set[str]:
    dummy = dict.fromkeys(
        ("case", "note", "citation", "bilag", "bilag_pk", "tag", "topic", "case_type"), 1
    ) | {"note_type": 1, "bilag_type": 1}
    return {resolve(urlsplit(row.path.format(**dummy)).path).view_name for row in rows}


def test_every_route_is_walked():
    wanted = project_routes()
    # The enumeration itself finds what it must.
    assert {"home", "login", "logout", "set_language"} <= wanted
    assert {n for n in wanted if n.startswith("library:")} >= {
        "library:bilag_detail",
        "library:tag_decide",
        "library:topic_review",
        "library:api_search",
    }
    assert {n for n in wanted if n.startswith("casefiles:")} >= {
        "casefiles:case_detail",
        "casefiles:cite",
        "casefiles:api_case",
    }
    assert wanted >= ADMIN_ROUTES_WALKED

    missing = wanted - walked_routes(ROWS)
    assert not missing, f"routes not in the permission walk: {sorted(missing)}"


def test_route_check_notices_a_missing_row():
    """Leaving one row out of the table makes the check fail."""
    wanted = project_routes()
    for dropped in ("/cases/{case}/sheet/text/", "/i18n/setlang/", "/topics/review/"):
        rows = [row for row in ROWS if row.path != dropped]
        assert wanted - walked_routes(rows), f"dropping {dropped} went unnoticed"


def test_every_row_is_a_distinct_request():
    keys = [(row.method, row.path, row.payload) for row in ROWS]
    assert len(keys) == len(set(keys))


# --- search hits and bilag pages show a case only to its members ---


def test_search_and_bilag_page_show_the_citing_case_only_to_members(clients, bilag, note, case):
    word = "Baghouz"
    assert word in PASSAGE_TEXT
    cited = clients[MEMBER].post(
        "/cite/", payloads.cite_into_note({"bilag": bilag.number, "note": note.pk})
    )
    assert cited.status_code == 302

    for url in (f"/?q={word}", f"/bilag/{bilag.number}/"):
        member_page = clients[MEMBER].get(url).content.decode()
        assert 'class="cited-in"' in member_page, url
        assert case.reference in member_page, url
        assert case.get_absolute_url() in member_page, url
        for role in NON_MEMBERS:
            response = clients[role].get(url)
            page = response.content.decode()
            assert response.status_code == 200
            assert word in page, f"{url}: {role} should see the passage itself"
            assert 'class="cited-in"' not in page, f"{url}: {role}"
            assert case.reference not in page, f"{url}: {role}"
            assert case.get_absolute_url() not in page, f"{url}: {role}"

    api = clients[OUTSIDER].get(f"/api/search?q={word}")
    assert api.status_code == 200
    assert api.json()["total"] == 1
    assert case.reference not in api.content.decode()
