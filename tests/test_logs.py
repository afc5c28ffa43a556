"""Logs (config.logs): a request id on every response and log line, one line per
request, JSON lines, and a 500 page that gives the id to quote."""

import json
import logging

import pytest
from django.test import Client
from django.urls import path

from config import logs
from config.urls import urlpatterns as project_urls


def _boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [*project_urls, path("boom/", _boom)]
handler500 = "config.logs.server_error"


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="baggrund.requests"):
        response = client.get("/healthz")
        given = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-42")
        refused = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")

    assert len(response["X-Request-ID"]) == 32
    assert given["X-Request-ID"] == "proxy-id-42"
    assert refused["X-Request-ID"] != "<script>"
    lines = [r for r in caplog.records if r.name == "baggrund.requests"]
    assert [r.getMessage().split(" ")[:3] for r in lines] == [["GET", "/healthz", "200"]] * 3


def test_json_lines_carry_the_request_id_and_the_traceback():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), None)
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.request_id, record.user = "abc", "anna"

    entry = json.loads(logs.JsonFormatter().format(record))

    assert entry["message"] == "failed here"
    assert (entry["request_id"], entry["user"], entry["level"]) == ("abc", "anna", "ERROR")
    assert "ValueError: bad" in entry["traceback"]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_logs")
def test_a_server_error_is_logged_with_its_traceback_and_shows_the_id(caseworker, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)

    response = client.get("/boom/", HTTP_X_REQUEST_ID="trace-me-7")

    assert response.status_code == 500
    assert "trace-me-7" in response.content.decode()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert errors and "broken on purpose" in str(errors[0].exc_info[1])
    assert errors[0].request_id == "trace-me-7"


def test_the_project_uses_this_500_page():
    from config import urls

    assert urls.handler500 == "config.logs.server_error"
