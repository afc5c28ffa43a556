"""Logins in the audit log (casefiles.LoginEvent, from the auth and django-axes
signals): a login, a failed login naming no account, a lockout, a logout; append-only;
library admins read them in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from casefiles.models import LoginEvent

PASSWORD = "correct horse battery staple"


def _events() -> list[tuple[str, str]]:
    return [(e.event, e.username) for e in LoginEvent.objects.order_by("id")]


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_failure_and_logout_are_recorded(caseworker):
    client = Client()
    assert _login(client, "nobody-here", "x").status_code == 200
    assert _login(client, caseworker.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    assert _events() == [
        ("failed", "nobody-here"),
        ("login", caseworker.username),
        ("logout", caseworker.username),
    ]
    login = LoginEvent.objects.get(event="login")
    assert login.user == caseworker
    assert login.address == "127.0.0.1"


@pytest.mark.django_db
def test_a_lockout_is_recorded(caseworker, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, caseworker.username, "wrong")

    assert ("locked", caseworker.username) in _events()


@pytest.mark.django_db
def test_login_events_are_never_changed(caseworker):
    _login(Client(), caseworker.username, PASSWORD)
    event = LoginEvent.objects.get()

    event.username = "someone else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        LoginEvent.objects.all().delete()


@pytest.mark.django_db
def test_library_admins_read_them_in_the_admin(admin_client_, caseworker):
    _login(Client(), caseworker.username, PASSWORD)

    response = admin_client_.get("/admin/casefiles/loginevent/")
    assert response.status_code == 200
    assert caseworker.username in response.content.decode()
