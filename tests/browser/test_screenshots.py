"""Screenshots of the main pages at 1366 px (desktop) and 390 px (phone), kept in
docs/screenshots/ for a person to look at (and for the issue's closing note).

Each page is taken as the role that uses it, in the UI's default language (Danish), as
NAME-1366.png and NAME-390.png: the whole page, cut off at MAX_HEIGHT px, in 256 colours
(Pillow, which fpdf2 brings), so the files stay small. The test checks every file was
written now and is a PNG of the right width.
"""

import time
from pathlib import Path

from PIL import Image

from tests.browser.support import (
    ANONYMOUS,
    BROWSER_MARKS,
    CASEWORKER,
    DESKTOP,
    LIBRARY_ADMIN,
    PHONE,
    browser_session,
    build_library,
    pages_of,
    png_size,
    skip_without_chromium,
)

pytestmark = BROWSER_MARKS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAX_HEIGHT = {DESKTOP["width"]: 3000, PHONE["width"]: 3000}

# File name: page name in tests.browser.support.PAGES.
SHOTS = {
    "login": "login",
    "search": "search-hits",
    "bilag": "bilag",
    "cases": "cases",
    "case": "case",
    "cite": "cite",
    "sheet": "sheet",
    "library": "library",
    "upload": "upload",
    "topic-review": "topic-review-topic",
}


def shoot(page, path: Path, width: int) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT[width])}
    page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled")
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path)


def test_screenshots_of_the_main_pages(live_server, seeds_dir):
    skip_without_chromium()
    library = build_library(seeds_dir)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    wanted = {page_name: file_name for file_name, page_name in SHOTS.items()}
    written = []

    with browser_session(live_server.url) as session:
        for viewport in (DESKTOP, PHONE):
            for who in (CASEWORKER, LIBRARY_ADMIN, ANONYMOUS):
                page = session.page(who, viewport=viewport)
                for name, path in pages_of(who, wanted):
                    session.goto(page, library.path(path), name)
                    target = SCREENSHOTS / f"{wanted[name]}-{viewport['width']}.png"
                    shoot(page, target, viewport["width"])
                    written.append((target, viewport["width"]))
                page.context.close()

    assert len(written) == 2 * len(SHOTS)
    for target, width in written:
        assert target.stat().st_mtime >= started - 1, f"{target} was not written now"
        shot_width, shot_height = png_size(target)
        assert shot_width == width, (target, shot_width)
        assert 0 < shot_height <= MAX_HEIGHT[width], (target, shot_height)
