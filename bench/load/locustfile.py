"""Simulated caseworkers for Locust: log in once, then search, read, cite and print.

Run through bench/load/run.py, which writes the plan (BAGGRUND_LOAD_PLAN: accounts, their
cases and notes, the library's countries and topics, a sample of bilag numbers) and
reads the exact timings back (BAGGRUND_LOAD_TIMINGS: one line per request). By hand:

    BAGGRUND_LOAD_PLAN=plan.json .venv/bin/locust -f bench/load/locustfile.py \
        --host http://127.0.0.1:8000 --headless --users 10 --spawn-rate 5 --run-time 1m

Each caseworker takes the next account of the plan, logs in (login page, then the form
with its CSRF token; the answer must be the redirect a good login gets), lands on the
search page, then does one of these at a time, weighted (each request named by its kind
so Locust's table is per kind):

weight, what, request names:

- 20 search with words: `search: words`
- 12 search with words and filters (country, language, years, intake, topic, sort):
  `search: words + filters`
- 8 search with filters only: `search: filters`
- 6 the next page of the last search: `search: next page`
- 16 a bilag from the last hits, with ?q= as the hit links it: `bilag`
- 5 a bilag with words in its find box: `bilag ?find=`
- 6 cite a passage of the last bilag read into a note of their own case: the cite page,
  a think, the form sent (302), then the case page it leads to: `cite GET`,
  `cite POST`, `case`
- 10 one of their cases: `case`
- 3 their case list: `case list`
- 4 a case's citation sheet: `sheet HTML`; 3 its text version: `sheet text`

Every GET must answer 200 exactly (redirects are not followed: a lost session, which
redirects to the login page, is a failure), every POST 302; anything else is a failure.

Think time: between 2 and 8 seconds after each page. A caseworker reads what a page
shows before the next click: a page of 20 snippets, a bilag of about 27 passages, a
case's notes. Real reading takes longer (half a minute or more for a bilag), so 2-8 s
is a pessimistic pace: 50 simulated caseworkers here ask as much of the server as
several times as many people at their desks would.
"""

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from locust import HttpUser, between, events, task  # noqa: E402

from bench.load import queries  # noqa: E402

PLAN = json.loads(Path(os.environ["BAGGRUND_LOAD_PLAN"]).read_text(encoding="utf-8"))
SEED = int(os.environ.get("BAGGRUND_LOAD_SEED", "16"))
WAIT = (
    float(os.environ.get("BAGGRUND_LOAD_WAIT_MIN", "2")),
    float(os.environ.get("BAGGRUND_LOAD_WAIT_MAX", "8")),
)
HIT = re.compile(r'href="/bilag/(\d+)/(?:\?q=[^"#]*)?#p(\d+)"')
CITE = re.compile(r'href="/cite/\?bilag=(\d+)&amp;ordinal=(\d+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_accounts = itertools.count()
_timings = None


@events.init.add_listener
def _open_timings(environment, **_kwargs) -> None:
    """One line per request (name, milliseconds, ok) for run.py's exact percentiles
    (Locust's own table rounds times above 100 ms to two significant digits)."""
    global _timings
    path = os.environ.get("BAGGRUND_LOAD_TIMINGS")
    if path:
        _timings = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed on quit)


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    if _timings is not None:
        _timings.write(f"{name}\t{response_time:.3f}\t{0 if exception else 1}\n")


@events.quitting.add_listener
def _close_timings(environment, **_kwargs) -> None:
    if _timings is not None:
        _timings.close()


class Caseworker(HttpUser):
    """One caseworker: an account of the plan, its cases, what it last searched and read."""

    wait_time = between(*WAIT)

    def on_start(self) -> None:
        index = next(_accounts)
        self.account = PLAN["users"][index % len(PLAN["users"])]
        self.rng = random.Random(SEED * 1000 + index)
        self.query = ""
        self.last_search: dict[str, str] = {}
        self.has_next = False
        self.hits: list[tuple[str, str]] = []
        self.citable: list[tuple[str, str]] = []
        self.log_in()

    def log_in(self) -> None:
        """The login page, then the form with its CSRF token; the search page after it."""
        text = self.get("/accounts/login/", "login page")
        token = dict(HIDDEN.findall(text or "")).get("csrfmiddlewaretoken", "")
        data = {
            "username": self.account["username"],
            "password": PLAN["password"],
            "csrfmiddlewaretoken": token,
            "next": "",
        }
        if self.post("/accounts/login/", data, "login POST"):
            self.get("/", "home")

    def get(self, url: str, name: str) -> str | None:
        """GET `url`; its text when it answered 200, else None (and a failure)."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {url}")
                return None
            return r.text

    def post(self, url: str, data: dict, name: str) -> str | None:
        """POST a form; the redirect's Location when it answered 302, else None."""
        headers = {"Referer": f"{self.host}{url}"}
        with self.client.post(
            url, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code} for POST {url}")
                return None
            return r.headers.get("Location", "")

    def search(self, params: dict[str, str], name: str) -> None:
        """The search page; keeps the query, the hits and whether there is a next page."""
        text = self.get("/?" + urlencode(params), name)
        if text is None:
            return
        self.last_search = params
        self.query = params.get("q", "")
        self.has_next = 'rel="next"' in text
        self.hits = HIT.findall(text) or self.hits

    @task(20)
    def search_words(self) -> None:
        self.search({"q": queries.words(self.rng)}, "search: words")

    @task(12)
    def search_words_filters(self) -> None:
        params = {"q": queries.words(self.rng)}
        params.update(queries.filters(self.rng, PLAN["countries"], PLAN["topics"]))
        self.search(params, "search: words + filters")

    @task(8)
    def search_filters(self) -> None:
        self.search(queries.filters(self.rng, PLAN["countries"], PLAN["topics"]), "search: filters")

    @task(6)
    def search_next_page(self) -> None:
        if not (self.last_search and self.has_next):
            return self.search_words()
        params = dict(self.last_search)
        params["page"] = str(int(params.get("page", "1")) + 1)
        self.search(params, "search: next page")
        return None

    def _bilag_number(self) -> str:
        if self.hits:
            return self.rng.choice(self.hits)[0]
        return str(self.rng.choice(PLAN["bilag"]))

    @task(16)
    def bilag(self) -> None:
        """A bilag from the last hits, its words marked (?q=) as the hit links it."""
        number = self._bilag_number()
        suffix = "?" + urlencode({"q": self.query}) if self.query else ""
        text = self.get(f"/bilag/{number}/{suffix}", "bilag")
        if text:
            self.citable = CITE.findall(text)

    @task(5)
    def bilag_find(self) -> None:
        number = self._bilag_number()
        find = urlencode({"find": queries.find_word(self.rng)})
        text = self.get(f"/bilag/{number}/?{find}", "bilag ?find=")
        if text:
            self.citable = CITE.findall(text)

    @task(6)
    def cite(self) -> None:
        """Cite a passage of the last bilag read: the cite page, a think, the form sent
        (the whole passage or a part of it, into a note of their own, now and then a new
        note), then the case page the answer leads to."""
        if not self.citable:
            self.bilag()
            self.wait()
        if not self.citable:
            return
        number, ordinal = self.rng.choice(self.citable)
        text = self.get(f"/cite/?bilag={number}&ordinal={ordinal}", "cite GET")
        if text is None:
            return
        form = dict(HIDDEN.findall(text))
        self.wait()
        location = self.post("/cite/", self._cite_form(form), "cite POST")
        if location:
            parts = urlsplit(location)
            self.get(parts.path + (f"?{parts.query}" if parts.query else ""), "case")

    def _cite_form(self, form: dict[str, str]) -> dict[str, str]:
        start, end = int(form.get("start") or 0), int(form.get("end") or 0)
        if end - start > 80 and self.rng.random() < 0.5:  # a selection inside the passage
            start = self.rng.randrange(start, start + (end - start) // 2)
            end = min(end, start + self.rng.randint(30, 250))
        case = self.rng.choice(self.account["cases"])
        data = {
            "csrfmiddlewaretoken": form.get("csrfmiddlewaretoken", ""),
            "bilag": form.get("bilag", ""),
            "ordinal": form.get("ordinal", ""),
            "start": str(start),
            "end": str(end),
            "target": f"note:{self.rng.choice(case['notes'])}",
            "new_note": "",
            "comment": "",
        }
        if self.rng.random() < 0.1:
            data["target"], data["new_note"] = f"new:{case['id']}", "Nyt notat fra belastningstest."
        elif self.rng.random() < 0.3:
            data["comment"] = "Relevant for sagens vurdering."
        return data

    def _case_id(self) -> int:
        return self.rng.choice(self.account["cases"])["id"]

    @task(10)
    def case(self) -> None:
        self.get(f"/cases/{self._case_id()}/", "case")

    @task(3)
    def case_list(self) -> None:
        self.get("/cases/", "case list")

    @task(4)
    def sheet_html(self) -> None:
        self.get(f"/cases/{self._case_id()}/sheet/", "sheet HTML")

    @task(3)
    def sheet_text(self) -> None:
        self.get(f"/cases/{self._case_id()}/sheet/text/", "sheet text")
