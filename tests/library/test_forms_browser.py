"""The admins' forms in headless Chromium: an upload batch with one bad file, a file
completed without picking it again, and the metadata form saved as it opens.

Uses the `chromium` fixture of tests/browser/chromium.py (Debian's Chromium,
never a downloaded browser; skipped without it unless BAGGRUND_REQUIRE_BROWSER=1).
"""

import re

import pytest
from django.conf import settings

from library.models import Bilag, BilagChange
from tests.browser.chromium import PASSWORD, log_in
from tests.factories import LibraryAdminFactory
from tests.library.pages import SEED_000, SEED_004, ingest_seed
from tests.support import SEEDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MISSING_COUNTRY = "Country missing: the text does not say which country; choose it below."


def _in_english(page, base: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])


def test_upload_batch_with_a_bad_file_then_complete_the_missing_country(
    live_server,
    chromium,
    tmp_path,
):
    admin = LibraryAdminFactory(username="e2e-bibliotekar", password=PASSWORD)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"plain text, not a PDF")
    files = [str(SEEDS / SEED_004), str(bad), str(SEEDS / SEED_000)]
    base = live_server.url

    with chromium() as page:
        log_in(page, base, admin.username)
        _in_english(page, base)
        page.goto(f"{base}/bilag/upload/")
        page.set_input_files("#id_files", files)
        page.click("main form.stacked button[type=submit]")
        page.wait_for_selector("table.upload-results")

        rows = page.locator("table.upload-results tbody tr")
        assert rows.count() == 3
        good, broken, waiting = (rows.nth(i) for i in range(3))
        assert good.locator("td").nth(0).inner_text() == SEED_004
        assert good.locator("td").nth(1).inner_text() == "added"
        assert good.locator("a[href='/bilag/863/']").inner_text() == "Bilag 863"
        assert broken.locator("td").nth(0).inner_text() == "broken.pdf"
        assert broken.locator("td").nth(1).inner_text() == "failed"
        assert "the file is not a PDF" in broken.locator("td").nth(2).inner_text()
        assert waiting.locator("td").nth(0).inner_text() == SEED_000
        assert MISSING_COUNTRY in waiting.locator("td").nth(2).inner_text()

        # On a 390 px phone the results and the form fit the screen's width.
        page.set_viewport_size({"width": 390, "height": 844})
        widths = page.evaluate(
            """() => [...document.querySelectorAll('main table.upload-results, main article')]
                .map(el => el.getBoundingClientRect().right)"""
        )
        assert widths and max(widths) <= 390, widths

        # Complete the file that names no country: its form is right there, prefilled.
        staged = page.locator("article.upload-staged-file")
        assert staged.count() == 1
        assert staged.locator("h3").inner_text() == SEED_000
        assert staged.locator("input[name$='-published']").input_value() == "2019-02"
        staged.locator("select[name$='-country']").select_option("SY")
        staged.locator("form.stacked button[type=submit]").click()
        page.wait_for_url(re.compile(r"/bilag/864/$"))
        message = page.locator(".messages").inner_text()

    assert f"{SEED_000} added as bilag 864." in message
    assert dict(Bilag.objects.values_list("number", "original_name")) == {
        863: SEED_004,
        864: SEED_000,
    }
    assert Bilag.objects.get(number=864).country == "SY"


def test_metadata_form_saves_as_it_opens(live_server, chromium):
    bilag = ingest_seed(SEED_004)
    before = (bilag.country, bilag.publisher_id, bilag.title, bilag.published_iso(), bilag.intake)
    admin = LibraryAdminFactory(username="e2e-rettelse", password=PASSWORD)
    base = live_server.url

    with chromium() as page:
        log_in(page, base, admin.username)  # the Danish UI, where dates read 11.10.2018
        page.goto(f"{base}/bilag/863/edit/")
        intake = page.input_value("#id_intake")
        published = page.input_value("#id_published")
        page.click("main form.stacked button[type=submit]")
        page.wait_for_url(re.compile(r"/bilag/863/$"))
        message = page.locator(".messages").inner_text()

    assert (intake, published) == ("2018-10-11", "2018-09-11")
    assert "Bilag 863" in message
    bilag.refresh_from_db()
    after = (bilag.country, bilag.publisher_id, bilag.title, bilag.published_iso(), bilag.intake)
    assert after == before
    assert not BilagChange.objects.filter(action=BilagChange.Action.CORRECTED).exists()
