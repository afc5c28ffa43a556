"""Who may open which page: every library URL for every role, and CSRF on the writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from library.models import Bilag, Passage, Publisher
from tests.factories import BilagFactory, CaseworkerFactory, LibraryAdminFactory, UserFactory
from tests.support import stored_files

NUMBER = 4242
LOGIN = "/accounts/login/?next="
ADMIN_LOGIN = "/admin/login/?next="

ANONYMOUS, NO_ROLE, CASEWORKER, LIBRARY_ADMIN = "anonymous", "no role", "caseworker", "admin"

UPLOAD_TEXT = b" date 2019-02 Civile flygter fra lejren.\n\nKampene fortsatte i flere dage.\n"


def _upload_data() -> dict:
    return {
        "files": SimpleUploadedFile("upload.txt", UPLOAD_TEXT, content_type="text/plain"),
        "country": "SY",
    }


def _edit_data() -> dict:
    return {
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Corrected title",
        "published": "2019-03",
        "intake": "2019-04-01",
        "language": "en",
    }


def _withdraw_data() -> dict:
    return {"reason": "Superseded by a newer report."}


PAYLOADS = {"upload": _upload_data, "edit": _edit_data, "withdraw": _withdraw_data}

# (method, url, payload) -> {role: (status, Location header or None)}
URLS = [
    (
        "get",
        "/",
        None,
        {
            ANONYMOUS: (302, LOGIN + "/"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        "/?q=kamp",
        None,
        {
            ANONYMOUS: (302, LOGIN + "/%3Fq%3Dkamp"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        "/api/search?q=kamp",
        None,
        {
            ANONYMOUS: (302, LOGIN + "/api/search%3Fq%3Dkamp"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        "/bilag/",
        None,
        {
            ANONYMOUS: (302, LOGIN + "/bilag/"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        "/bilag/upload/",
        None,
        {
            ANONYMOUS: (302, LOGIN + "/bilag/upload/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "post",
        "/bilag/upload/",
        "upload",
        {
            ANONYMOUS: (302, LOGIN + "/bilag/upload/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        f"/bilag/{NUMBER}/",
        None,
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        f"/bilag/{NUMBER}/original/",
        None,
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/original/"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        f"/bilag/{NUMBER}/edit/",
        None,
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/edit/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "post",
        f"/bilag/{NUMBER}/edit/",
        "edit",
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/edit/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (302, f"/bilag/{NUMBER}/"),
        },
    ),
    (
        "get",
        f"/bilag/{NUMBER}/withdraw/",
        None,
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/withdraw/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "post",
        f"/bilag/{NUMBER}/withdraw/",
        "withdraw",
        {
            ANONYMOUS: (302, LOGIN + f"/bilag/{NUMBER}/withdraw/"),
            NO_ROLE: (403, None),
            CASEWORKER: (403, None),
            LIBRARY_ADMIN: (302, f"/bilag/{NUMBER}/"),
        },
    ),
    (
        "get",
        f"/api/bilag/{NUMBER}",
        None,
        {
            ANONYMOUS: (302, LOGIN + f"/api/bilag/{NUMBER}"),
            NO_ROLE: (403, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        # The Django admin sends everyone who is not staff to its own login page.
        "get",
        "/admin/",
        None,
        {
            ANONYMOUS: (302, ADMIN_LOGIN + "/admin/"),
            NO_ROLE: (302, ADMIN_LOGIN + "/admin/"),
            CASEWORKER: (302, ADMIN_LOGIN + "/admin/"),
            LIBRARY_ADMIN: (200, None),
        },
    ),
    (
        "get",
        "/accounts/login/",
        None,
        {
            ANONYMOUS: (200, None),
            NO_ROLE: (200, None),
            CASEWORKER: (200, None),
            LIBRARY_ADMIN: (200, None),
        },
    ),
]

CASES = [
    pytest.param(method, url, payload, role, status, location, id=f"{role}-{method}-{url}")
    for method, url, payload, expected in URLS
    for role, (status, location) in expected.items()
]


@pytest.fixture
def bilag(db) -> Bilag:
    return BilagFactory(number=NUMBER)


def _client_for(role: str) -> Client:
    client = Client()
    if role == NO_ROLE:
        client.force_login(UserFactory())
    elif role == CASEWORKER:
        client.force_login(CaseworkerFactory())
    elif role == LIBRARY_ADMIN:
        client.force_login(LibraryAdminFactory())
    return client


@pytest.mark.parametrize(("method", "url", "payload", "role", "status", "location"), CASES)
def test_url_status_for_role(bilag, method, url, payload, role, status, location):
    client = _client_for(role)
    data = PAYLOADS[payload]() if payload else None

    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)

    assert response.status_code == status
    assert response.get("Location") == location


@pytest.mark.parametrize(
    ("method", "url", "payload", "role", "status", "location"),
    [c for c in CASES if c.values[3] in (NO_ROLE, CASEWORKER) and c.values[4] == 403],
)
def test_url_forbidden_for_role_changes_nothing(
    bilag, media_root, method, url, payload, role, status, location
):
    client = _client_for(role)
    files_before = stored_files(media_root)
    before = _snapshot(bilag)
    data = PAYLOADS[payload]() if payload else None

    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)

    bilag.refresh_from_db()
    assert response.status_code == 403
    assert list(Bilag.objects.values_list("number", flat=True)) == [NUMBER]
    assert _snapshot(bilag) == before
    assert stored_files(media_root) == files_before


def _snapshot(bilag: Bilag) -> tuple:
    return (
        bilag.title,
        bilag.publisher_id,
        bilag.published,
        bilag.published_precision,
        bilag.status,
        bilag.withdrawn_on,
        bilag.withdrawn_reason,
    )


@pytest.fixture
def csrf_admin_client(library_admin) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(library_admin)
    return client


def test_upload_without_csrf_token_is_refused(csrf_admin_client, media_root):
    response = csrf_admin_client.post("/bilag/upload/", _upload_data())

    assert response.status_code == 403
    assert Bilag.objects.count() == 0
    assert Passage.objects.count() == 0
    assert stored_files(media_root) == []


def test_edit_without_csrf_token_is_refused(csrf_admin_client, bilag):
    before = _snapshot(bilag)

    response = csrf_admin_client.post(f"/bilag/{NUMBER}/edit/", _edit_data())

    bilag.refresh_from_db()
    assert response.status_code == 403
    assert _snapshot(bilag) == before
    assert not Publisher.objects.filter(name="Landinfo").exists()


def test_withdraw_without_csrf_token_is_refused(csrf_admin_client, bilag):
    response = csrf_admin_client.post(f"/bilag/{NUMBER}/withdraw/", _withdraw_data())

    bilag.refresh_from_db()
    assert response.status_code == 403
    assert (bilag.status, bilag.withdrawn_on, bilag.withdrawn_reason) == (
        Bilag.Status.CURRENT,
        None,
        "",
    )
    assert Bilag.objects.filter(status=Bilag.Status.WITHDRAWN).count() == 0


def test_upload_with_csrf_token_is_accepted(csrf_admin_client):
    """The refusals above are about the token: the same POST with it goes through."""
    csrf_admin_client.get("/bilag/upload/")
    token = csrf_admin_client.cookies["csrftoken"].value

    response = csrf_admin_client.post(
        "/bilag/upload/", {**_upload_data(), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert Bilag.objects.count() == 1
