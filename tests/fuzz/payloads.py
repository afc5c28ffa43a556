"""The public payload lists (../shared/corpora/payloads/, read in place, never copied) and
a client wrapper that sends them and checks every answer.

Checked for every response: no 5xx (the test client re-raises a view's exception); JSON
answers parse; an HTML answer holds no markup of the payload verbatim (the payload with a "<" or a
quote, its stripped form, and each opening tag in it, unless the same page without the payload
already holds that text). The normal suite sends a fixed sample of the lists (PER_FIELD
payloads) through every field; BAGGRUND_FUZZ_FULL=1 also sends every payload through
each form or page, the field chosen in turn.
"""

import collections
import dataclasses
import functools
import json
import re
import traceback

import pytest

from tests.fuzz import FULL
from tests.support import ROOT

PAYLOADS = ROOT.parent / "shared" / "corpora" / "payloads"  # next to the checkout
PER_FIELD = 8  # payloads per field in the normal suite: the curated ones, then the lists'
# Always sent: markup in each position a template can put text in.
CURATED = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg/onload=alert(1)>{{ 7*7 }}",
]
_TAG_LIKE = re.compile(r"<[A-Za-z!?][^<>]*>?")  # an opening tag, a comment, a declaration
# What each Prober.verdict counted, read (and emptied) by tests/fuzz/conftest.py's report.
TALLIES: list[dict] = []


@functools.cache
def all_payloads() -> tuple[str, ...]:
    """Every payload of both lists, in order, without repeats; a skip when absent."""
    blns, xss = PAYLOADS / "blns.json", PAYLOADS / "xss-payload-list.txt"
    if not (blns.is_file() and xss.is_file()):
        pytest.skip(f"the payload lists are not at {PAYLOADS} (../shared/corpora/payloads)")
    found = [str(item) for item in json.loads(blns.read_text(encoding="utf-8"))]
    found += xss.read_text(encoding="utf-8", errors="replace").splitlines()
    return tuple(dict.fromkeys(p for p in found if p.strip()))


def sample(index: int) -> list[str]:
    """The payloads for a form's or page's `index`th field: the curated ones, then a fixed,
    evenly spaced selection of the lists that starts further on for each field (so the
    fields of one form together cover many payloads)."""
    every = all_payloads()
    count = PER_FIELD - len(CURATED)
    step = len(every) // count
    return [*CURATED, *(every[(index * 37 + k * step) % len(every)] for k in range(count))]


def plan(fields: list[str]) -> list[tuple[str, str]]:
    """(field, payload) pairs: a sample through every field; with BAGGRUND_FUZZ_FULL=1
    also every payload once, through the fields in turn."""
    pairs = [(field, payload) for i, field in enumerate(fields) for payload in sample(i)]
    if FULL:
        pairs += [(fields[i % len(fields)], p) for i, p in enumerate(all_payloads())]
    return pairs


def fragments(payload: str) -> list[str]:
    """What of a payload must not appear verbatim in HTML: itself, stripped, and each
    opening tag ("<img src=x onerror=alert(1)>") of four characters or more. A closing
    tag alone is no markup (and every page has a "</script>"). A payload with a quote
    verbatim would end an attribute (" onmouseover=alert(1) x=")."""
    quoted = len(payload.strip()) >= 3 and ('"' in payload or "'" in payload)
    if "<" not in payload and not quoted:
        return []
    found = [payload, payload.strip()]
    found += [m.group(0) for m in _TAG_LIKE.finditer(payload) if len(m.group(0)) >= 4]
    return [f for f in dict.fromkeys(found) if f]


class _Crashed:
    """What Prober.send returns when the view raised: status 500, no headers."""

    status_code = 500
    streaming = False
    content = b""

    def get(self, name: str, default=None):
        return default

    def __getitem__(self, name: str) -> str:
        return ""


@dataclasses.dataclass
class Prober:
    """Sends requests through a Django test client, checks each answer, counts them."""

    client: object
    cases: int = 0  # the (field, payload) pairs sent, each with its follow-up requests
    requests: int = 0
    failures: list = dataclasses.field(default_factory=list)
    baselines: dict = dataclasses.field(default_factory=dict)
    statuses: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    text: str = ""  # the last answer's body
    counts: collections.Counter = dataclasses.field(default_factory=collections.Counter)

    def each(self, pairs):
        """The (field, payload) pairs of a plan, counted as the test's cases."""
        for pair in pairs:
            self.cases += 1
            yield pair

    def send(self, method: str, url: str, data: dict, payload: str, baseline_key) -> object:
        """One request; the answer checked against the page without the payload. A view's
        exception (the test client re-raises it) is a failure with its traceback's tail,
        and the run goes on; the answer's text is kept in `text`."""
        self.requests += 1
        self.text = ""
        send = self.client.post if method == "POST" else self.client.get
        where = f"{method} {url} {baseline_key} {payload[:60]!r}"
        try:
            response = send(url, data)
        except Exception as exc:  # every crash is a finding, with its traceback
            self.statuses["exception"] += 1
            tail = "".join(traceback.format_exception(exc)[-4:])
            self.failures.append(f"{where}: {type(exc).__name__}\n{tail}")
            return _Crashed()
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{where}: HTTP {response.status_code}")
            return response
        body = b"".join(response) if response.streaming else response.content
        self.text = body.decode("utf-8", "replace")
        kind = response.get("Content-Type", "")
        if "json" in kind:
            try:
                json.loads(self.text)
            except ValueError:
                self.failures.append(f"{where}: not JSON")
        elif "html" in kind:
            self.markup(self.text, payload, baseline_key, where)
        return response

    def markup(self, text: str, payload: str, baseline_key, where: str) -> None:
        """A failure when an HTML page holds the payload's markup verbatim (and the page
        for `baseline_key` without the payload does not)."""
        baseline = self.baselines.get(baseline_key, "")
        for fragment in fragments(payload):
            if fragment in text and fragment not in baseline:
                self.failures.append(f"{where}: {fragment[:60]!r} verbatim in the page")
                return

    def baseline(self, key, method: str, url: str, data: dict) -> None:
        """The page for `key` without the payload (what it holds anyway)."""
        send = self.client.post if method == "POST" else self.client.get
        response = send(url, data)
        body = b"".join(response) if response.streaming else response.content
        self.baselines[key] = self.baselines.get(key, "") + body.decode("utf-8", "replace")

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.failures.append(message)

    def verdict(self, name: str) -> None:
        """Fail with the first failures found; the counts go to the session's report
        (tests/fuzz/conftest.py: BAGGRUND_FUZZ_REPORT=1 or BAGGRUND_FUZZ_FULL=1)."""
        TALLIES.append(
            {
                "name": name,
                "cases": self.cases or self.requests,
                "requests": self.requests,
                "failures": len(self.failures),
                "statuses": dict(self.statuses),
                "counts": dict(self.counts),  # what else a test counted
            }
        )
        assert not self.failures, f"{name}: {len(self.failures)} failures:\n" + "\n".join(
            self.failures[:15]
        )
