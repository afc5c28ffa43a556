"""A large upload in the browser: the admin lands on the job's page, whose script shows
the job's phase as it moves and reloads the page once the job has ended, which then
shows the bilag it became. axe-core checks the page while it waits and when it is done.
"""

import re
import threading
from pathlib import Path

from playwright.sync_api import expect

from library import jobs
from library.ingest.services import PHASES
from library.models import IngestJob
from tests.browser.support import (
    BROWSER_MARKS,
    LIBRARY_ADMIN,
    PASSWORD,
    browser_session,
    skip_without_chromium,
)
from tests.browser.test_axe import AXE, violations
from tests.factories import LibraryAdminFactory
from tests.library.pages import SEED_004, seed_bytes

pytestmark = BROWSER_MARKS


def _in_thread(work) -> None:
    """ORM work while Playwright's sync API holds this thread's event loop."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_the_job_page_follows_the_job_and_shows_the_bilag(live_server, settings, tmp_path):
    skip_without_chromium()
    settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES = 1000  # the 4 KB seed counts as large
    LibraryAdminFactory(username=LIBRARY_ADMIN, password=PASSWORD)
    upload = tmp_path / SEED_004
    upload.write_bytes(seed_bytes(SEED_004))
    job_ids = []

    with browser_session(live_server.url) as session:
        page = session.page(LIBRARY_ADMIN, init_script=AXE)
        session.goto(page, "/bilag/upload/", "upload")
        page.set_input_files("input[type=file]", str(Path(upload)))
        page.click("main form button[type=submit].primary")
        page.wait_for_url("**/bilag/upload/jobs/*/")
        assert page.locator("#job-text").inner_text() == "Venter på at gå i gang…"
        waiting = violations(page)

        _in_thread(lambda: job_ids.append(IngestJob.objects.get().pk))
        _in_thread(lambda: (jobs._claim(job_ids[0]), jobs._progress(job_ids[0], PHASES[3])))
        expect(page.locator("#job-text")).to_have_text(re.compile(r"^Trin 4 af 6: "))
        assert page.locator("progress").get_attribute("value") == "4"  # updated in place

        # The job ends (run from the start again): the script reloads the page.
        _in_thread(lambda: IngestJob.objects.filter(pk=job_ids[0]).update(status="queued"))
        _in_thread(lambda: jobs.run(job_ids[0]))
        page.wait_for_selector(".job-outcome.job-added", timeout=15_000)
        text = page.locator("main").inner_text()
        done = violations(page)

    assert "blev tilføjet som" in text and "bilag 863" in text
    assert not waiting and not done, (waiting, done)
