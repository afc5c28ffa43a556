"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium through Playwright.

Playwright never downloads a browser here. `open_page()` yields a page of a fresh
browser whose JavaScript errors fail the test; the `chromium` fixture (tests/conftest.py)
hands it out, or skips without Chromium (fails with BAGGRUND_REQUIRE_BROWSER=1, as CI
sets). `log_in` and `select_text` act as a reader would.
"""

import os
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REQUIRE_BROWSER = os.environ.get("BAGGRUND_REQUIRE_BROWSER") == "1"
PASSWORD = "correct horse battery staple"  # what tests.factories gives every user
TIMEOUT_MS = 30_000  # per action: the machine is small and often busy


def chromium_or_skip():
    """open_page, or a skip (a failure with BAGGRUND_REQUIRE_BROWSER=1) without Chromium."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (Debian package chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"{message}, and BAGGRUND_REQUIRE_BROWSER=1 requires it")
        pytest.skip(f"{message}; BAGGRUND_REQUIRE_BROWSER=1 makes this a failure")
    return open_page


@contextmanager
def open_page():
    """A page in a fresh headless Chromium; JavaScript errors in it fail the test.

    Touch the database only outside this block. While Playwright's sync API is open it
    marks an asyncio event loop as running in this thread, and Django takes that for
    async code: the ORM refuses to run (SynchronousOnlyOperation), and with
    DJANGO_ALLOW_ASYNC_UNSAFE it would quietly open a second connection kept in a
    context variable instead of the one pytest-django prepared, which holds what the
    serialized rollback restores (the roles). So no DJANGO_ALLOW_ASYNC_UNSAFE here: the
    error is the better guard.
    """
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page
        finally:
            browser.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    assert page.locator(".site-header .user").inner_text() == username


def select_text(element, text: str) -> str:
    """Select `text` inside `element` as a reader's mouse would, and fire selectionchange.

    Builds a DOM Range from the text nodes under `element` (the text may run across
    <mark> elements) and puts it in the document's selection. Returns what the browser
    then reports as selected.
    """
    return element.evaluate(
        """(el, wanted) => {
            const full = el.textContent;
            const start = full.indexOf(wanted);
            if (start < 0 || full.indexOf(wanted, start + 1) >= 0) {
                throw new Error("the text is not in the element exactly once: " + wanted);
            }
            const end = start + wanted.length;
            const range = document.createRange();
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let pos = 0;
            let startSet = false;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const len = node.data.length;
                if (!startSet && start < pos + len) {
                    range.setStart(node, start - pos);
                    startSet = true;
                }
                if (startSet && end <= pos + len) {
                    range.setEnd(node, end - pos);
                    break;
                }
                pos += len;
            }
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return selection.toString();
        }""",
        text,
    )
