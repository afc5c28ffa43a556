"""Production settings from the environment alone (config/settings.py): `check --deploy`
clean with only a secret key and the allowed hosts, the plain-HTTP intranet switch,
CSRF origins from the allowed hosts, and a login through an HTTPS-terminating proxy."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.support import ROOT

HOST = "baggrund.example.dk"


def _environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAGGRUND_")}
    env |= {
        "BAGGRUND_DEBUG": "0",
        "BAGGRUND_SECRET_KEY": secrets.token_urlsafe(50),
        "BAGGRUND_ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return env | extra


def _run(*args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_environment(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(**extra) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ('SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS')}))"
    )
    done = _run("-c", code, **extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_is_clean_with_only_a_key_and_the_hosts():
    done = _run("manage.py", "check", "--deploy")

    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout + done.stderr, done.stdout + done.stderr


def test_production_defaults_are_https_behind_a_proxy():
    found = _settings(BAGGRUND_ALLOWED_HOSTS=f"{HOST},.board.example.dk")

    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}", "https://*.board.example.dk"]


def test_a_plain_http_intranet_is_one_switch():
    found = _settings(BAGGRUND_HTTPS="0")

    assert not found["SECURE_SSL_REDIRECT"]
    assert not found["SECURE_HSTS_SECONDS"]
    assert not found["SESSION_COOKIE_SECURE"]
    assert found["CSRF_TRUSTED_ORIGINS"] == [f"http://{HOST}"]


@pytest.mark.django_db
def test_login_through_an_https_terminating_proxy(settings, caseworker):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = [f"https://{HOST}"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)
    proxied = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}

    page = client.get("/accounts/login/", **proxied)
    assert page.status_code == 200, "no redirect loop: the proxy's header says HTTPS"
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {
            "username": caseworker.username,
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": token,
        },
        HTTP_ORIGIN=f"https://{HOST}",
        HTTP_REFERER=f"https://{HOST}/accounts/login/",
        **proxied,
    )

    assert response.status_code == 302, response.content.decode()[:300]
    assert response["Location"] == "/"
    assert client.get("/accounts/login/", HTTP_HOST=HOST).status_code == 301, "plain HTTP"


def test_every_setting_from_the_environment_is_in_the_readme():
    import re

    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\"(BAGGRUND_[A-Z_]+)\"", source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration (environment)")[1].split("\n## ")[0]

    assert "BAGGRUND_HTTPS" in read, "the scan finds the settings"
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"not in the README's configuration table: {missing}"
