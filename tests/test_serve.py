"""`scripts/serve` (production): refuses a development setup, then migrates, collects the
static files and serves through gunicorn, whitenoise handing out hashed static files;
SIGHUP reloads, SIGTERM stops."""

import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.support import ROOT

SERVE = str(ROOT / "scripts" / "serve")


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAGGRUND_")}
    env |= {
        "BAGGRUND_DEBUG": "0",
        "BAGGRUND_SECRET_KEY": secrets.token_urlsafe(50),
        "BAGGRUND_ALLOWED_HOSTS": "127.0.0.1",
        "BAGGRUND_HTTPS": "0",
        "BAGGRUND_WORKERS": "2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "BAGGRUND_MEDIA_ROOT": str(tmp_path / "media"),
        "BAGGRUND_SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }
    return env | extra


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.parametrize(
    ("change", "message"),
    [({"BAGGRUND_DEBUG": "1"}, "BAGGRUND_DEBUG=0"), ({"BAGGRUND_SECRET_KEY": ""}, "SECRET_KEY")],
)
def test_refuses_a_development_setup(tmp_path, change, message):
    done = subprocess.run(
        ["bash", SERVE], env=_env(tmp_path, **change), capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.slow
def test_serves_with_gunicorn_and_hashed_static_files(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["bash", SERVE],
        env=_env(tmp_path, BAGGRUND_ADDR=f"127.0.0.1:{port}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _headers, body = _get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.5)
        else:
            pytest.fail("scripts/serve did not answer within 120 s")
        assert status == 200, body
        status, _headers, page = _get(base + "/accounts/login/")
        assert status == 200
        stylesheet = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page links the hashed stylesheet"
        status, headers, _css = _get(base + stylesheet.group(1).decode())
        assert status == 200
        assert "max-age=315360000" in headers.get("Cache-Control", ""), headers
        os.killpg(server.pid, signal.SIGHUP)  # graceful reload of the workers
        time.sleep(2)
        assert _get(base + "/healthz")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert server.returncode == 0
