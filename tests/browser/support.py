"""What the page-wide browser tests share: the library they walk, the pages, one browser.

Each test module launches Chromium once (`browser_session`) and opens as many pages as
it needs in it: the machine is small. The library is the seed bilag, ingested as the
end-to-end test does, with the demo case of a caseworker, a note edited once (so it has
versions), a library admin, and a cited bilag whose publisher the admin corrected (so it
has a history). Build it with `build_library` before the browser opens:
while Playwright's sync API runs, the ORM refuses to (see open_page in
tests/browser/chromium.py).
"""

import io
import struct
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

from casefiles import services
from casefiles.management.commands.demo_case import REFERENCE as DEMO_REFERENCE
from casefiles.models import Case, Citation
from library.models import Passage, PassageTopic
from library.services import bilag_update
from tests.browser.chromium import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    TIMEOUT_MS,
    chromium_or_skip,
    log_in,
)
from tests.factories import CaseworkerFactory, LibraryAdminFactory

CASEWORKER, LIBRARY_ADMIN, ANONYMOUS = "sagsbehandler", "bibliotekar", "anonymous"
QUERY = "Baghouz"  # a word with hits in several seed bilag
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}

BROWSER_MARKS = [
    pytest.mark.browser,
    # As in the end-to-end test: the flush after a live-server test would otherwise empty
    # the groups and topics that migrations create.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@dataclass
class Library:
    """The ids the page paths are made of."""

    case: int
    note: int
    citation: int
    bilag: int
    ordinal: int
    topic: str
    values: dict = field(default_factory=dict)

    def path(self, template: str) -> str:
        return template.format(
            case=self.case,
            note=self.note,
            citation=self.citation,
            bilag=self.bilag,
            ordinal=self.ordinal,
            topic=self.topic,
            query=QUERY,
        )


def build_library(seeds_dir: Path) -> Library:
    """The seed bilag, the demo case of CASEWORKER (a note edited once), LIBRARY_ADMIN."""
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    user = CaseworkerFactory(username=CASEWORKER, password=PASSWORD)
    admin = LibraryAdminFactory(username=LIBRARY_ADMIN, password=PASSWORD)
    call_command("demo_case", member=user.username, stdout=io.StringIO())
    case = Case.objects.get(reference=DEMO_REFERENCE)
    note = case.notes.order_by("pk").first()
    services.note_update(note=note, user=user, body=note.body + " Forklaringen er detaljeret.")
    # A content passage with the query word: the bilag page and the passage to cite.
    passage = (
        Passage.objects.filter(boilerplate=False, text__icontains=QUERY)
        .select_related("bilag")
        .order_by("bilag__number", "ordinal")
        .first()
    )
    # Corrected after it was cited: the bilag page has a history table, the case page
    # and the sheet say what changed.
    bilag_update(bilag=passage.bilag, user=admin, publisher="NTB")
    tag = (
        PassageTopic.objects.filter(state=PassageTopic.State.SUGGESTED)
        .select_related("topic")
        .first()
    )
    return Library(
        case=case.pk,
        note=note.pk,
        citation=Citation.objects.filter(note__case=case).order_by("pk").first().pk,
        bilag=passage.bilag.number,
        ordinal=passage.ordinal,
        topic=tag.topic.slug if tag else "",
    )


# (name, who, path): every HTML page of the permission walk
# (tests/casefiles/test_permission_walk.py) a person reads, plus the error pages.
# The Django admin's own pages (/admin/…) are Django's and not walked here.
PAGES = [
    ("login", ANONYMOUS, "/accounts/login/"),
    ("search", CASEWORKER, "/"),
    ("search-hits", CASEWORKER, "/?q={query}"),
    ("library", CASEWORKER, "/bilag/"),
    ("bilag", CASEWORKER, "/bilag/{bilag}/"),
    ("bilag-marked", CASEWORKER, "/bilag/{bilag}/?q={query}"),
    ("cases", CASEWORKER, "/cases/"),
    ("case-new", CASEWORKER, "/cases/new/"),
    ("case", CASEWORKER, "/cases/{case}/"),
    ("case-edit", CASEWORKER, "/cases/{case}/edit/"),
    ("note-edit", CASEWORKER, "/cases/{case}/notes/{note}/edit/"),
    ("note-versions", CASEWORKER, "/cases/{case}/notes/{note}/versions/"),
    ("citation-remove", CASEWORKER, "/cases/{case}/citations/{citation}/remove/"),
    ("sheet", CASEWORKER, "/cases/{case}/sheet/"),
    ("sheet-as-of", CASEWORKER, "/cases/{case}/sheet/?as_of=2026-01-01"),
    ("cite", CASEWORKER, "/cite/?bilag={bilag}&ordinal={ordinal}"),
    ("password-change", CASEWORKER, "/accounts/password_change/"),
    ("password-change-done", CASEWORKER, "/accounts/password_change/done/"),
    ("forbidden", CASEWORKER, "/bilag/upload/"),
    ("not-found", CASEWORKER, "/cases/0/"),
    ("admin-search-hits", LIBRARY_ADMIN, "/?q={query}"),
    ("admin-library", LIBRARY_ADMIN, "/bilag/"),
    ("admin-bilag", LIBRARY_ADMIN, "/bilag/{bilag}/"),
    ("upload", LIBRARY_ADMIN, "/bilag/upload/"),
    ("upload-waiting", LIBRARY_ADMIN, "/bilag/upload/waiting/"),
    ("bilag-edit", LIBRARY_ADMIN, "/bilag/{bilag}/edit/"),
    ("bilag-withdraw", LIBRARY_ADMIN, "/bilag/{bilag}/withdraw/"),
    ("topic-review", LIBRARY_ADMIN, "/topics/review/"),
    ("topic-review-topic", LIBRARY_ADMIN, "/topics/review/?topic={topic}"),
    ("admin-cases", LIBRARY_ADMIN, "/cases/"),
    ("admin-cite", LIBRARY_ADMIN, "/cite/?bilag={bilag}&ordinal={ordinal}"),
]


# Every page answers 200 but these.
STATUS = {"forbidden": 403, "not-found": 404}


def pages_of(who: str, names=None) -> list[tuple[str, str]]:
    """(name, path template) of `who`'s pages, optionally only those named."""
    return [(n, p) for n, w, p in PAGES if w == who and (names is None or n in names)]


def skip_without_chromium() -> None:
    """Skip (fail with BAGGRUND_REQUIRE_BROWSER=1) when Debian's Chromium is missing."""
    chromium_or_skip()


class Session:
    """One headless Chromium; `page()` opens a page in a fresh context (own cookies)."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.errors: list[str] = []

    def page(self, who: str = ANONYMOUS, viewport=DESKTOP, init_script: Path | None = None):
        """A page of its own context, logged in as `who` (unless anonymous)."""
        context = self.browser.new_context(viewport=viewport, device_scale_factor=1)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        if init_script is not None:
            # Runs in the page's main world through the DevTools protocol: the strict
            # Content-Security-Policy (no inline script) does not stop it.
            context.add_init_script(path=str(init_script))
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        if who != ANONYMOUS:
            log_in(page, self.base_url, who)
        return page

    def goto(self, page, path: str, name: str = ""):
        """Open `path`, and check it answers as page `name` should (error pages are
        pages too)."""
        response = page.goto(self.base_url + path)
        assert response.status == STATUS.get(name, 200), (name, path, response.status)
        return response


@contextmanager
def browser_session(base_url: str):
    """One Chromium for a whole test; JavaScript errors in any of its pages fail it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        session = Session(browser, base_url)
        try:
            yield session
        finally:
            browser.close()
    assert not session.errors, f"JavaScript errors in the pages: {session.errors}"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, from its IHDR chunk; fails for anything else."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert head[12:16] == b"IHDR", f"{path} has no IHDR chunk first"
    return struct.unpack(">II", head[16:24])
