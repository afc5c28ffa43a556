"""The Content-Security-Policy (config.middleware.ContentSecurityPolicyMiddleware): on
every page, scripts and styles from Baggrund's files only, the citation sheet's one
inline style block allowed by the request's nonce, no inline handlers anywhere."""

import re

import pytest

from tests.support import ROOT


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_pages_without_a_login_have_the_policy(client, db, path):
    policy = _policy(client.get(path))

    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_the_sheet_style_carries_the_nonce_of_its_own_response(member_client, citation):
    response = member_client.get(f"/cases/{citation.note.case_id}/sheet/")
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["style-src"]).group(1)

    assert f'<style nonce="{nonce}">' in response.content.decode()
    again = member_client.get(f"/cases/{citation.note.case_id}/sheet/")
    assert nonce not in again["Content-Security-Policy"], "a new nonce for every response"


def test_the_original_file_keeps_its_own_sandbox(member_client, bilag):
    response = member_client.get(f"/bilag/{bilag.number}/original/")

    assert response["Content-Security-Policy"] == "sandbox"


def test_no_template_has_inline_scripts_or_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            found.append(str(path.relative_to(ROOT)))
    assert not found, f"inline script or event handler: {found}"
