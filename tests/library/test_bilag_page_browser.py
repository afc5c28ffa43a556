"""The bilag page in headless Chromium: find-in-bilag jumps from match to match without
changing the text that citing counts in, folded boilerplate opens for a link or a match,
per-passage actions show on hover and keyboard focus (always on touch screens), and
nothing is wider than a 390 px phone.

Uses the `chromium` fixture (tests/conftest.py, tests/browser/chromium.py).
"""

import pytest

from library.models import Passage
from tests.browser.chromium import PASSWORD, log_in, select_text
from tests.factories import CaseworkerFactory
from tests.library.pages import SEED_004, ingest_seed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORD = "SDF"  # in several passages of bilag 863


@pytest.fixture
def reader(db):
    """Bilag 863 and a caseworker to read it; (user, the passages holding WORD)."""
    bilag = ingest_seed(SEED_004)
    user = CaseworkerFactory(username="laeser", password=PASSWORD)
    texts = list(bilag.passages.order_by("ordinal").values_list("ordinal", "text", "boilerplate"))
    return user, texts


def _opacity(locator) -> float:
    return float(locator.evaluate("el => getComputedStyle(el).opacity"))


def test_find_counts_jumps_and_keeps_the_text_for_citing(live_server, chromium, reader):
    user, texts = reader
    expected = sum(text.upper().count(WORD) for _o, text, _b in texts)
    first = next(o for o, text, b in texts if WORD in text.upper() and not b)
    passage = Passage.objects.get(bilag__number=863, ordinal=first)
    sentence = next(s for s in passage.text.split(". ") if WORD in s)
    start = passage.text.index(sentence)
    assert passage.text.count(sentence) == 1 and expected >= 3

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/bilag/863/")
        text = page.locator(f"p.passage-text[data-ordinal='{first}']")
        before = text.text_content()
        status = page.locator("[data-find-status]")

        page.fill("#bilag-find", WORD.lower())
        page.press("#bilag-find", "Enter")
        assert status.inner_text() == f"1 af {expected}"
        assert page.locator("mark.find").count() >= expected
        assert page.locator("mark.find.current").count() == 1
        page.press("#bilag-find", "Enter")
        assert status.inner_text() == f"2 af {expected}"
        page.click("[data-find-prev]")
        page.click("[data-find-prev]")
        assert status.inner_text() == f"{expected} af {expected}"
        assert page.locator("mark.find.current").is_visible()

        # The marks wrap the text; they never change it, so citing still counts right.
        assert text.text_content() == before
        assert select_text(text, sentence) == sentence
        button = page.locator("#cite-button")
        button.wait_for(state="visible")
        assert f"start={start}&end={start + len(sentence)}" in button.get_attribute("href")

        page.press("#bilag-find", "Escape")
        assert page.locator("mark.find").count() == 0
        assert text.text_content() == before


def test_server_marks_are_taken_over_by_the_script(live_server, chromium, reader):
    user, _texts = reader

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/bilag/863/?find=cookies")

        assert page.locator("[data-find-status]").inner_text().startswith("1 af ")
        assert page.locator("[data-find-next]").is_visible()
        # The match is in the folded cookie notice: its fold is open.
        assert page.locator("li.boilerplate-run details").first.get_attribute("open") is not None


def test_a_link_to_a_folded_passage_opens_its_fold(live_server, chromium, reader):
    user, _texts = reader

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/bilag/863/#p3")

        assert page.locator("#p3").is_visible()
        assert page.locator("li.boilerplate-run").count() == 4


def test_actions_show_on_hover_and_keyboard_focus(live_server, chromium, reader):
    user, _texts = reader

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/bilag/863/")
        link = page.locator("#p11 .cite-link")
        other = page.locator("#p12 .cite-link")

        page.mouse.move(0, 0)
        assert _opacity(link) == 0
        page.hover("#p11 .passage-text")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('#p11 .cite-link')).opacity === '1'"
        )
        assert _opacity(other) == 0

        page.mouse.move(0, 0)
        page.focus("#p12 a.anchor")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('li').id") == "p12"
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('#p12 .cite-link')).opacity === '1'"
        )


def test_phone_shows_actions_and_never_scrolls_sideways(live_server, chromium, reader):
    user, _texts = reader

    with chromium() as page:
        context = page.context.browser.new_context(
            viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
        )
        phone = context.new_page()
        log_in(phone, live_server.url, user.username)
        phone.goto(f"{live_server.url}/bilag/863/?find=syria")

        assert phone.evaluate("matchMedia('(hover: none)').matches")
        assert _opacity(phone.locator("#p11 .cite-link")) == 1
        phone.locator("li.boilerplate-run summary").first.click()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide"
        labels = phone.locator("dl.bilag-header dt").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert min(labels) > 300, "labels and values should stack on a phone"
        context.close()
