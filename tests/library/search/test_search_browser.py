"""The search page in headless Chromium (issue 15): on 360 and 390 px phones the hits come
first and nothing scrolls sideways, a link leads to the filters; on a desktop the filters
stand left of the hits; the notice of hits in withdrawn bilag leads to them; the first
hit's cite link is reached by keyboard; axe-core finds no serious or critical violation
in the page's states (notice, withdrawn hits, a chosen facet, no hits)."""

import re

import pytest

from tests.browser.support import (
    BROWSER_MARKS,
    DESKTOP,
    PASSWORD,
    PHONE,
    SMALL_PHONE,
    browser_session,
    skip_without_chromium,
)
from tests.browser.test_axe import AXE, describe, violations
from tests.factories import CaseworkerFactory

pytestmark = BROWSER_MARKS

USER = "soeger"
CAMP = "/?q=camp"  # 2 direct hits, 1 through a topic, 1 in a withdrawn bilag
STATES = {
    "notice": CAMP,
    "withdrawn-hits": CAMP + "&status=all",
    "chosen-facet": CAMP + "&country=SY&published_min=2018-01-01",
    "no-hits": "/?q=zyxwvu",
    "browse": "/?country=AF",
}


@pytest.fixture
def searcher(corpus):
    return CaseworkerFactory(username=USER, password=PASSWORD)


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def sideways(page) -> int:
    """How far the page scrolls sideways (0: not at all)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE], ids=["360px", "390px"])
def test_phone_hits_first_no_sideways_scrolling(live_server, searcher, viewport):
    skip_without_chromium()
    with browser_session(live_server.url) as session:
        page = session.page(USER, viewport=viewport)
        for name, path in STATES.items():
            session.goto(page, path)
            assert sideways(page) <= 0, f"{name} scrolls sideways at {viewport['width']} px"
        session.goto(page, CAMP + "&country=SY")
        hit, filters = box(page, "li.hit"), box(page, "aside.filters")
        assert hit["y"] < viewport["height"], f"the first hit starts {hit['y']:.0f} px down"
        assert hit["y"] < filters["y"]
        jump = page.locator(".filters-jump a")
        assert re.search(r"\(1 \w+\)$", jump.inner_text()), jump.inner_text()  # 1 active
        jump.click()
        page.wait_for_url(re.compile(r"#filters$"))
        top = page.evaluate("document.getElementById('filters').getBoundingClientRect().top")
        assert abs(top) < 5, "the link should bring the filters to the top of the screen"


def test_desktop_filters_left_of_the_hits(live_server, searcher):
    skip_without_chromium()
    with browser_session(live_server.url) as session:
        page = session.page(USER, viewport=DESKTOP)
        session.goto(page, CAMP)
        filters, results = box(page, "aside.filters"), box(page, "section.results")
        assert filters["x"] + filters["width"] <= results["x"]
        assert abs(filters["y"] - results["y"]) < 5, "side by side, on one row"
        assert box(page, ".filters-jump")["x"] < 0, "the link to the filters waits for focus"
        assert sideways(page) <= 0


def test_withdrawn_notice_leads_to_the_withdrawn_hits(live_server, searcher):
    skip_without_chromium()
    with browser_session(live_server.url) as session:
        page = session.page(USER, viewport=PHONE)
        session.goto(page, "/?q=Kabul")
        assert page.locator("li.hit").count() == 0
        notice = page.locator(".withdrawn-notice")
        assert re.match(r"^2\D", notice.inner_text()), notice.inner_text()
        notice.locator("a").click()
        page.wait_for_url(re.compile(r"[?&]status=all"))
        assert page.locator("li.hit.withdrawn").count() == 2
        assert page.locator(".withdrawn-notice").count() == 0
        assert page.locator("#id_status").input_value() == "all"


def test_keyboard_reaches_the_first_hits_cite_link(live_server, searcher):
    skip_without_chromium()
    with browser_session(live_server.url) as session:
        page = session.page(USER, viewport=DESKTOP)
        session.goto(page, CAMP)
        page.locator("#q").focus()
        for _press in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('cite-link')"):
                break
        else:
            pytest.fail("Tab never reached a hit's cite link")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        assert href.startswith("/cite/?bilag=")


def test_axe_finds_no_serious_violation_in_the_search_states(live_server, searcher):
    skip_without_chromium()
    failures = {}
    with browser_session(live_server.url) as session:
        for viewport in (DESKTOP, PHONE):
            page = session.page(USER, viewport=viewport, init_script=AXE)
            for name, path in STATES.items():
                session.goto(page, path)
                if found := violations(page):
                    failures[f"{name}@{viewport['width']}"] = found
            page.context.close()
    report = describe(failures)
    assert not failures, f"axe found serious or critical violations:\n{report}"
