"""People: `manage.py user_add`, `user_role`, `user_disable` (library.services), and
login throttling (django-axes): a user name locked after repeated failed logins, with
a message saying so, and unlocked by `manage.py axes_reset_username`."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from library.roles import CASEWORKERS, LIBRARY_ADMINS

PASSWORD = "correct horse battery staple"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return str(path)


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_user_add_gives_the_role_and_the_password(password_file, client):
    out = io.StringIO()
    call_command(
        "user_add", "anna", "--role", "caseworker", "--password-file", password_file, stdout=out
    )

    user = get_user_model().objects.get(username="anna")
    assert out.getvalue().strip() == "added anna as caseworker"
    assert list(user.groups.values_list("name", flat=True)) == [CASEWORKERS]
    assert not user.is_staff
    assert _login(client, "anna", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_user_add_refuses_a_weak_password_and_a_taken_name(tmp_path, password_file):
    weak = tmp_path / "weak"
    weak.write_text("123\n", encoding="utf-8")
    with pytest.raises(CommandError, match="too short"):
        call_command("user_add", "bo", "--role", "caseworker", "--password-file", str(weak))
    assert not get_user_model().objects.filter(username="bo").exists()

    call_command(
        "user_add",
        "bo",
        "--role",
        "caseworker",
        "--password-file",
        password_file,
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="taken"):
        call_command("user_add", "BO", "--role", "caseworker", "--password-file", password_file)


@pytest.mark.django_db
def test_user_role_and_user_disable(password_file, client):
    call_command(
        "user_add",
        "cai",
        "--role",
        "caseworker",
        "--password-file",
        password_file,
        stdout=io.StringIO(),
    )
    call_command("user_role", "cai", "--role", "library-admin", stdout=io.StringIO())
    user = get_user_model().objects.get(username="cai")
    assert list(user.groups.values_list("name", flat=True)) == [LIBRARY_ADMINS]
    assert user.is_staff

    call_command("user_disable", "cai", stdout=io.StringIO())
    assert _login(client, "cai", PASSWORD).status_code == 200, "refused: the form again"
    call_command("user_disable", "cai", "--enable", stdout=io.StringIO())
    assert _login(client, "cai", PASSWORD).status_code == 302

    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("user_role", "nobody", "--role", "caseworker")


@pytest.mark.django_db
def test_a_user_name_is_locked_after_ten_failures_and_unlocked_by_the_command(caseworker, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, caseworker.username, "wrong").status_code == 200
    locked = _login(client, caseworker.username, "wrong")
    assert locked.status_code == 429
    assert "låst i 15 minutter" in locked.content.decode(), "Danish, the board's language"

    assert _login(client, caseworker.username, PASSWORD).status_code == 429, "even the right one"
    call_command("axes_reset_username", caseworker.username, stdout=io.StringIO())
    assert _login(client, caseworker.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_another_user_name_is_not_locked(caseworker, settings):
    from tests.factories import CaseworkerFactory

    other = CaseworkerFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, caseworker.username, "wrong")

    assert _login(client, other.username, PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2id_and_older_hashes_upgraded_at_login(settings, db):
    """The project's hashers (not the tests' fast one): a new password is an Argon2id
    hash; a PBKDF2 hash from before still logs in and is then rehashed with Argon2id."""
    from django.contrib.auth.hashers import make_password

    from config import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = get_user_model().objects.create_user("argon", password="a long pass phrase 7")
    assert user.password.startswith("argon2$argon2id$")
    older = make_password("an older pass phrase 8", hasher="pbkdf2_sha256")
    get_user_model().objects.filter(pk=user.pk).update(password=older)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "argon", "password": "an older pass phrase 8"}
    )
    assert response.status_code == 302, response.content[:300]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
