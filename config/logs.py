"""Logs an operator can follow a request through: a request id on every request and
every log line, one line per request, and JSON lines when BAGGRUND_LOG_FORMAT=json.

`RequestLogMiddleware` takes the proxy's `X-Request-ID` (letters, digits, dashes, at
most 64) or makes one, sends it back as `X-Request-ID`, and logs
`baggrund.requests` at INFO: method, path, status, milliseconds, user. `RequestFilter`
puts the request id and user on every record logged while the request runs;
`JsonFormatter` writes each record as one JSON object (with the traceback, if any).
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.http import HttpResponseServerError
from django.template import loader

_context: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "baggrund_request", default=("", "")
)
_GIVEN_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
requests_log = logging.getLogger("baggrund.requests")


def request_id() -> str:
    """The id of the request being answered ('' outside a request)."""
    return _context.get()[0]


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        token = _context.set((request.id, ""))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else ""
            _context.set((request.id, name))
            response["X-Request-ID"] = request.id
            requests_log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                extra={"status": response.status_code, "method": request.method},
            )
            return response
        finally:
            _context.reset(token)


class RequestFilter(logging.Filter):
    """Adds `request_id` and `user` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id, record.user = _context.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, user, and the
    traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "user": getattr(record, "user", ""),
        }
        for key in ("status", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def server_error(request, *args, **kwargs):
    """The 500 page (urls.handler500): says that the error is logged and gives the
    request id to quote; rendered without the site's context, which may be what broke."""
    page = loader.get_template("500.html").render({"request_id": getattr(request, "id", "")})
    return HttpResponseServerError(page)
