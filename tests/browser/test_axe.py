"""axe-core on every page of the permission walk: no serious or critical violation.

axe-core (tests/browser/vendor/axe-core/axe.min.js, MPL-2.0, the npm package's build,
kept with its licence) is injected into each page by Playwright, not served by the site.
It checks WCAG 2.0/2.1 A and AA: labels, contrast, landmarks, names of links and
buttons, ARIA. Every page is checked as the role that reads it: a caseworker (member of
the demo case), a library admin, and the login page anonymously (also after a wrong
password); the admin's page after uploading a batch with a broken file; the
caseworker's main pages once more on a 390 px phone.

The test collects every page's violations and fails once at the end, listing page, rule,
impact and the selectors of the offending elements. It is strict: every page must pass.
"""

from pathlib import Path

from tests.browser.support import (
    ANONYMOUS,
    BROWSER_MARKS,
    CASEWORKER,
    LIBRARY_ADMIN,
    PASSWORD,
    PHONE,
    browser_session,
    build_library,
    pages_of,
    skip_without_chromium,
)

pytestmark = BROWSER_MARKS

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Checked again on a phone, where the layout differs (tables scroll or reflow, the
# header wraps): the caseworker's pages that have tables, sidebars or long headers.
PHONE_PAGES = {"search-hits", "library", "bilag", "cases", "case", "sheet", "cite"}
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
    const result = await window.axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return {
        passes: result.passes.length,
        violations: result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")),
        })),
    };
}"""


def violations(page) -> list[dict]:
    """axe's violations of the page as loaded, serious or critical ones only."""
    page.wait_for_load_state("load")
    result = page.evaluate(RUN_AXE, TAGS)
    assert result["passes"] > 0, f"axe checked nothing on {page.url}"
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(failures: dict) -> str:
    lines = []
    for name, found in failures.items():
        for v in found:
            targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
            lines.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


# An upload of two files: one without a country (it waits for its metadata), one broken.
UPLOAD = [
    {
        "name": "lejren.txt",
        "mimeType": "text/plain",
        "buffer": b" date 2019-02 Civile flygter fra lejren.\n\nKampene fortsatte i flere dage.\n",
    },
    {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 not a PDF"},
]


def upload_results(session, page) -> None:
    """Upload UPLOAD as the admin; the page shows each file's outcome."""
    session.goto(page, "/bilag/upload/", "upload")
    page.set_input_files("input[type=file]", UPLOAD)
    page.click("main form button[type=submit].primary")
    page.wait_for_load_state("load")
    assert "broken.pdf" in page.locator("main").inner_text()


def test_axe_finds_no_serious_violation_on_any_page(live_server, seeds_dir):
    skip_without_chromium()
    library = build_library(seeds_dir)
    failures = {}
    checked = []

    with browser_session(live_server.url) as session:
        for who in (CASEWORKER, LIBRARY_ADMIN, ANONYMOUS):
            page = session.page(who, init_script=AXE)
            for name, path in pages_of(who):
                session.goto(page, library.path(path), name)
                checked.append(name)
                if found := violations(page):
                    failures[name] = found
            if who == LIBRARY_ADMIN:
                upload_results(session, page)
                checked.append("upload-results")
                if found := violations(page):
                    failures["upload-results"] = found
            page.context.close()

        page = session.page(CASEWORKER, viewport=PHONE, init_script=AXE)
        for name, path in pages_of(CASEWORKER, PHONE_PAGES):
            session.goto(page, library.path(path), name)
            checked.append(f"{name}@{PHONE['width']}")
            if found := violations(page):
                failures[f"{name}@{PHONE['width']}"] = found
        page.context.close()

        # The login page after a wrong password: its one error, announced.
        page = session.page(ANONYMOUS, init_script=AXE)
        session.goto(page, "/accounts/login/")
        page.fill("#id_username", CASEWORKER)
        page.fill("#id_password", PASSWORD + "wrong")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("load")
        errors = page.locator("main [role=alert]").all_inner_texts()
        checked.append("login-failed")
        if found := violations(page):
            failures["login-failed"] = found

    everyone = pages_of(CASEWORKER) + pages_of(LIBRARY_ADMIN) + pages_of(ANONYMOUS)
    assert len(checked) == len(everyone) + len(PHONE_PAGES) + 2
    assert len(errors) == 1, f"the login error should show once: {errors}"
    report = describe(failures)
    print(report)
    assert not failures, f"axe found serious or critical violations:\n{report}"
