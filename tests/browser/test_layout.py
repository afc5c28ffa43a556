"""Narrow screens: no page scrolls sideways at 390 or 360 px, and what matters comes first.

At a 390 px phone (and a 360 px one) the page is never wider than the screen: the header
wraps, tables scroll inside their own frame, long words break. The bilag page's
label/value pairs stand under each other, the first search hit is on the first screen
(the filters come after the hits), and a message after an action that jumps to an
#anchor is on screen, clear of what it jumped to, and can be dismissed.
"""

import re

from tests.browser.support import (
    ANONYMOUS,
    BROWSER_MARKS,
    CASEWORKER,
    LIBRARY_ADMIN,
    PHONE,
    SMALL_PHONE,
    browser_session,
    build_library,
    pages_of,
    skip_without_chromium,
)

pytestmark = BROWSER_MARKS

# The pages the issue names for phones; at 360 px every page of the walk is checked.
PHONE_PAGES = {"login", "search-hits", "library", "bilag", "case", "sheet", "cite", "cases"}

OVERFLOW = """() => {
    const width = window.innerWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        if (rect.right > width + 1 && !(el.parentElement && wide.includes(el.parentElement))) {
            wide.push(el);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: width,
        culprits: wide.slice(0, 5).map((el) =>
            el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            (el.className && typeof el.className === "string"
                ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
            " (right " + Math.round(el.getBoundingClientRect().right) + ")"),
    };
}"""


def sideways(page) -> str | None:
    """None when the page fits the screen; else what sticks out."""
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["innerWidth"]:
        return None
    return f"{found['scrollWidth']} px wide at {found['innerWidth']}: {found['culprits']}"


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def check_widths(session, library, viewport, names) -> dict:
    """{page name: what sticks out} for the pages `names` (None: all) at `viewport`."""
    failures = {}
    for who in (CASEWORKER, LIBRARY_ADMIN, ANONYMOUS):
        page = session.page(who, viewport=viewport)
        for name, path in pages_of(who, names):
            session.goto(page, library.path(path), name)
            if problem := sideways(page):
                failures[f"{name}@{viewport['width']}"] = problem
        page.context.close()
    return failures


def check_phone_layout(session, library) -> None:
    """Header, bilag header, search hits and messages on a 390 px phone."""
    page = session.page(CASEWORKER, viewport=PHONE)
    header = page.locator(".site-header")
    assert header.evaluate("(h) => h.scrollWidth <= h.clientWidth"), "the header overflows"
    user, bar = box(page, ".site-header .user"), header.bounding_box()
    assert bar["x"] <= user["x"] and user["x"] + user["width"] <= bar["x"] + bar["width"]
    assert bar["y"] <= user["y"] and user["y"] + user["height"] <= bar["y"] + bar["height"]

    session.goto(page, library.path("/bilag/{bilag}/"))
    dt, dd = box(page, "dl.bilag-header dt"), box(page, "dl.bilag-header dd")
    assert dd["y"] >= dt["y"] + dt["height"] - 1, "label and value should stand stacked"

    session.goto(page, library.path("/?q={query}"))
    hit = box(page, "li.hit")
    assert hit["y"] < PHONE["height"], f"the first hit starts {hit['y']:.0f} px down"
    assert hit["y"] < box(page, ".filters")["y"], "the hits should come before the filters"

    # Adding a note redirects to the note's #anchor with a message.
    session.goto(page, library.path("/cases/{case}/"))
    form = page.locator("form[action$='/notes/']")
    form.locator("textarea").fill("En note skrevet på telefonen.")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"#note-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    message = page.locator("main .messages .message")
    assert message.count() == 1
    assert page.locator("main .messages [role=status]").count() == 1
    assert page.evaluate("window.scrollY") > 0, "the page should have jumped to the note"
    shown, note = message.bounding_box(), box(page, f"#{anchor}")
    assert shown["y"] >= 0, "the message is above the screen"
    assert shown["y"] + shown["height"] <= PHONE["height"], "the message is below the screen"
    assert note["y"] >= shown["y"] + shown["height"] - 1, "the message hides the note"
    message.locator("button.message-close").click()
    assert page.locator("main .messages").count() == 0
    page.context.close()


def test_no_page_scrolls_sideways_on_a_phone(live_server, seeds_dir):
    skip_without_chromium()
    library = build_library(seeds_dir)

    with browser_session(live_server.url) as session:
        failures = check_widths(session, library, PHONE, PHONE_PAGES)
        failures |= check_widths(session, library, SMALL_PHONE, None)
        check_phone_layout(session, library)

    report = "\n".join(f"{name}: {problem}" for name, problem in failures.items())
    print(report)
    assert not failures, f"pages wider than the screen:\n{report}"
