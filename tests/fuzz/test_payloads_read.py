"""The payload lists through every query parameter of the pages that only read: the
search page and /api/search, the library list, a bilag page, the topic review queue.

Never a 5xx, JSON that parses, no payload markup verbatim in a page (tests/fuzz/payloads.py).
"""

import pytest
from django.http import HttpResponse
from django.utils.html import escape

from tests.fuzz.payloads import Prober, plan
from tests.library.search.corpus import DA, EN, HOSTILE, Corpus

SEARCH_PARAMETERS = [
    "q",
    "country",
    "topic",
    "publisher",
    "language",
    "number",
    "published_min",
    "published_max",
    "intake_min",
    "intake_max",
    "status",
    "sort",
    "page",
    "per_page",
]
LIST_PARAMETERS = [
    "q",
    "number",
    "country",
    "publisher",
    "language",
    "status",
    "published_min",
    "published_max",
    "intake_min",
    "intake_max",
    "order",
    "page",
]
BILAG_PARAMETERS = ["q", "find", "p", "from", "to"]
REVIEW_PARAMETERS = ["topic", "page"]


@pytest.fixture
def library(db):
    return Corpus(DA, EN, HOSTILE)


def _probe(client, url: str, parameters: list[str], fixed: dict, allowed=(200, 400)) -> Prober:
    prober = Prober(client)
    for name in parameters:
        base = {k: v for k, v in fixed.items() if k != name}
        prober.baseline(name, "GET", url, {**base, name: "zz"})
        prober.baseline(name, "GET", url, {**base, name: "1"})
    for name, payload in prober.each(plan(parameters)):
        base = {k: v for k, v in fixed.items() if k != name}
        response = prober.send("GET", url, {**base, name: payload}, payload, name)
        prober.expect(
            response.status_code in allowed,
            f"GET {url} {name}={payload[:60]!r}: HTTP {response.status_code}",
        )
    return prober


def test_search_page_parameters(library, caseworker_client):
    prober = _probe(caseworker_client, "/", SEARCH_PARAMETERS, {"q": "lejr"})
    prober.verdict("search page")


def test_search_api_parameters(library, caseworker_client):
    prober = _probe(caseworker_client, "/api/search", SEARCH_PARAMETERS, {"q": "lejr"})
    prober.verdict("/api/search")


def test_library_list_filters(library, caseworker_client):
    prober = _probe(caseworker_client, "/bilag/", LIST_PARAMETERS, {})
    prober.verdict("library list")


def test_bilag_page_parameters(library, caseworker_client):
    prober = _probe(caseworker_client, f"/bilag/{DA.number}/", BILAG_PARAMETERS, {})
    prober.verdict("bilag page")


def test_topic_review_parameters(library, admin_client_):
    # An unknown topic is a 404.
    prober = _probe(admin_client_, "/topics/review/", REVIEW_PARAMETERS, {}, (200, 400, 404))
    prober.verdict("topic review queue")


class _EchoClient:
    """A client whose page puts the parameter in unescaped, or escaped: the check's control."""

    def __init__(self, escape: bool):
        self.escape = escape

    def get(self, url, data):
        value = data.get("q", "")
        return HttpResponse(f"<p>{escape(value) if self.escape else value}</p>")


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '" onmouseover="alert(1)', "x<img src=x>y"]
)
def test_the_check_flags_a_payload_echoed_as_markup_and_passes_it_escaped(payload):
    live, escaped = Prober(_EchoClient(escape=False)), Prober(_EchoClient(escape=True))
    for prober in (live, escaped):
        prober.baseline("q", "GET", "/", {"q": "zz"})
        prober.send("GET", "/", {"q": payload}, payload, "q")
    assert live.failures and "verbatim" in live.failures[0]
    assert not escaped.failures
