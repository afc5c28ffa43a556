"""The topic review page in headless Chromium: decisions by key and by button without a
reload (static/js/review.js), undo, the keys ignored in a form field, and the page at
390 px. Uses the `chromium` fixture (tests/browser/chromium.py)."""

from pathlib import Path

import pytest

from library.models import TagDecision
from tests.browser.chromium import log_in
from tests.factories import LibraryAdminFactory
from tests.library.topics.corpus import (
    CAMPS,
    CONFIRMED,
    DA,
    DOCS,
    REJECTED,
    SUGGESTED,
    Corpus,
)

pytestmark = [
    pytest.mark.browser,
    # As in test_e2e_browser: the flush after a live-server test would otherwise empty the
    # groups and topics that migrations create.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKER = "window.reviewMarker"  # set once; a reload would lose it
AXE = Path(__file__).resolve().parents[2] / "browser" / "vendor" / "axe-core" / "axe.min.js"


def _serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings in the page's <main> (evaluated through
    the DevTools protocol, so the page's Content-Security-Policy does not block it)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run({include: [["main"]]})).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "))"""
    )
    return found


def _active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_keys_and_buttons_decide_in_place_and_undo(live_server, chromium):
    corpus = Corpus(*DOCS)
    first, second, third = [corpus.tag(k, CAMPS) for k in ("da_lejren", "nb_leiren", "en_camp")]
    user = LibraryAdminFactory(username="e2e-review")
    base = live_server.url
    review = f"{base}/topics/review/?topic={CAMPS}"

    with chromium() as page:
        log_in(page, base, user.username)
        page.goto(review)
        assert page.locator("#review-keys").is_visible()  # the script shows the keys
        page.evaluate(f"{MARKER} = 'no reload'")

        # Keys are ignored while a form field has the focus.
        page.focus("#language-switch")
        page.keyboard.press("r")
        assert page.locator(f"#tag-{first.id}").get_attribute("data-state") == SUGGESTED

        # "a" confirms the first item in place; the focus moves on to the next one.
        page.locator(f"#tag-{first.id} p.snippet").click()  # back into the list
        page.keyboard.press("a")
        page.wait_for_selector(f"#tag-{first.id}[data-state='{CONFIRMED}']")
        assert page.evaluate(MARKER) == "no reload"
        assert page.locator(f"#tag-{first.id} form.review-decide").is_hidden()
        assert page.locator(f"#tag-{first.id} .review-undo").is_visible()
        assert f"{DA.number}" in page.locator("#review-status").inner_text()
        assert _active_id(page) == f"tag-{second.id}"
        assert "2" in page.locator("#review-bulk button").inner_text()
        # The server has it: its queue no longer lists the tag.
        assert f'id="tag-{first.id}"' not in page.request.get(review).text()

        # "u" undoes it, through the same endpoint.
        page.keyboard.press("u")
        page.wait_for_selector(f"#tag-{first.id}[data-state='{SUGGESTED}']")
        assert page.locator(f"#tag-{first.id} form.review-decide").is_visible()
        assert _active_id(page) == f"tag-{first.id}"
        assert f'id="tag-{first.id}"' in page.request.get(review).text()
        assert "3" in page.locator("#review-bulk button").inner_text()

        # j / k move between the items.
        page.keyboard.press("j")
        assert _active_id(page) == f"tag-{second.id}"
        page.keyboard.press("k")
        assert _active_id(page) == f"tag-{first.id}"

        # A button decides in place too, and the focus lands on its undo.
        page.locator(f"#tag-{third.id} button.review-reject").click()
        page.wait_for_selector(f"#tag-{third.id}[data-state='{REJECTED}']")
        assert page.evaluate("document.activeElement.classList.contains('review-undo')")
        assert page.evaluate(MARKER) == "no reload"
        assert _serious_violations(page) == []

        # At 390 px nothing of the review runs off the screen.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(review)
        overflow = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    '#review, #review .review-item, #review button, .topic-list'))
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map((el) => el.id || el.className)"""
        )
        assert overflow == []

    def decisions(tag):
        return list(
            TagDecision.objects.filter(tag=tag).order_by("id").values_list("before", "after")
        )

    assert decisions(first) == [(SUGGESTED, CONFIRMED), (CONFIRMED, SUGGESTED)]
    assert decisions(second) == []
    assert decisions(third) == [(SUGGESTED, REJECTED)]
    for tag, state in ((first, SUGGESTED), (second, SUGGESTED), (third, REJECTED)):
        tag.refresh_from_db()
        assert tag.state == state
