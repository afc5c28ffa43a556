"""End to end in headless Chromium: search, select one sentence, cite it, print the sheet.

Runs Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's
live server; Playwright never downloads a browser. Without /usr/bin/chromium the tests
are skipped, unless BAGGRUND_REQUIRE_BROWSER=1 (CI sets it), when they fail.

The printed sheets are checked through their text (pypdf). The demo case's sheet is kept
in artifacts/ (with page 1 as PNG where pdftoppm exists) for a person to look at.
"""

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from casefiles import services
from casefiles.management.commands.demo_case import REFERENCE as DEMO_REFERENCE
from casefiles.models import Case, Citation
from library.models import Bilag, Passage
from tests.browser.chromium import PASSWORD, log_in, select_text
from tests.factories import CaseworkerFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

# One sentence in the middle of a three-sentence passage of seed bilag VG (Norwegian).
# The query word is inside it, so the bilag page marks it and the selection spans the
# <mark> element: three text nodes.
QUERY = "minelagt"
SENTENCE = (
    "Området er minelagt, og et stort antall sivile befinner seg fortsatt inne i det "
    "IS-kontrollerte området og har havnet midt i kamphandlingene."
)
NOTE = "Området omkring Baghouz var minelagt."
COMMENT = "Bekræfter ansøgerens forklaring om miner."

pytestmark = [
    pytest.mark.browser,
    # Serialized rollback: the flush after a live-server test would otherwise empty the
    # groups and topics that migrations create, and the next test has no caseworkers.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def print_pdf(page) -> bytes:
    page.emulate_media(media="print")
    return page.pdf(format="A4", prefer_css_page_size=True, print_background=True)


def pdf_pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def printed_text(pages: list[str]) -> str:
    """The pages' text as one line: a line that breaks after a word's hyphen
    ("IS-\nkontrollerte") is joined without a space, the rest as squash() does."""
    return squash(re.sub(r"(?<=\w)-\n", "-", "\n".join(pages)))


def squash(text: str) -> str:
    """White space made single spaces; NFKC, because Chromium's PDF text gives the font's
    ligatures as their own characters ("befinner" comes out as "be\ufb01nner")."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_cite_one_sentence_and_print_the_sheet(live_server, chromium, seeds_dir):
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    user = CaseworkerFactory(username="e2e-sagsbehandler", password=PASSWORD)
    case = services.case_create(
        user=user, reference="E2E-2026-0007", title="Kvinde fra Baghouz", country="SY"
    )
    passage = Passage.objects.select_related("bilag__publisher").get(
        text__contains=SENTENCE, boilerplate=False
    )
    assert passage.text != SENTENCE, "the sentence should be only part of its passage"
    start = passage.text.index(SENTENCE)
    bilag = passage.bilag
    # The bilag reference as the sheet gives it, in Danish (the board's language).
    reference = [
        ("Bilagsnr.", str(bilag.number)),
        ("Kilde", bilag.publisher.name),
        ("Titel", bilag.title),
        ("Udgivet", bilag.published_display("da")),
        ("Optaget", bilag.intake_display("da")),
    ]
    base = live_server.url

    with chromium() as page:
        log_in(page, base, user.username)

        # Search, and open the hit's passage on the bilag page.
        page.fill("#q", QUERY)
        page.click("form.search .search-box button[type=submit]")
        page.wait_for_url(re.compile(r"[?&]q=minelagt"))
        snippet = f"p.snippet[data-bilag='{bilag.number}'][data-ordinal='{passage.ordinal}']"
        hit = page.locator("li.hit").filter(has=page.locator(snippet))
        assert hit.count() == 1, f"no hit for bilag {bilag.number} § {passage.ordinal}"
        hit.locator("p.ref a").first.click()
        page.wait_for_url(re.compile(rf"/bilag/{bilag.number}/\?q=minelagt#p{passage.ordinal}$"))

        text = page.locator(f"p.passage-text[data-ordinal='{passage.ordinal}']")
        assert text.locator("mark").count() >= 1, "the bilag page should mark the query word"
        button = page.locator("#cite-button")
        assert button.is_hidden()

        # Select the sentence; cite.js shows its button once selectionchange settles.
        assert select_text(text, SENTENCE) == SENTENCE
        button.wait_for(state="visible")
        assert f"start={start}&end={start + len(SENTENCE)}" in button.get_attribute("href")
        button.click()
        page.wait_for_url(re.compile(r"/cite/\?"))

        assert page.locator("blockquote.cite-preview q").inner_text() == SENTENCE
        page.select_option("select[name=target]", label=f"{case.reference} › Nyt notat")
        page.fill("textarea[name=new_note]", NOTE)
        page.fill("textarea[name=comment]", COMMENT)
        page.click("main form.cite-form button.primary")
        page.wait_for_url(re.compile(rf"/cases/{case.pk}/\?cited=\d+#citation-\d+$"))

        cited = page.locator("figure.citation")
        assert cited.count() == 1
        assert cited.locator("q").inner_text() == SENTENCE
        assert cited.locator("p.comment").inner_text() == COMMENT
        assert page.locator(".note-body").inner_text() == NOTE

        # The sheet, printed on A4.
        page.goto(f"{base}/cases/{case.pk}/sheet/")
        pages = pdf_pages(print_pdf(page))

    # The database holds exactly that sentence, with offsets into its passage.
    assert Citation.objects.count() == 1
    saved = Citation.objects.select_related("passage", "note").get()
    assert saved.quote == SENTENCE
    assert saved.passage_id == passage.pk
    assert saved.passage.text[saved.start : saved.end] == SENTENCE
    assert (saved.start, saved.end) == (start, start + len(SENTENCE))
    assert saved.note.case_id == case.pk

    printed = printed_text(pages)
    assert SENTENCE in printed
    for label, value in reference:
        assert f"{label} {squash(value)}" in printed, (label, value, printed)
    assert f"Sag {case.reference}: {case.title}" in printed
    # The page margin boxes: case reference and print date at the top, page numbers below
    # (pypdf gives the top boxes as the page's first line).
    for number, text_of_page in enumerate(pages, 1):
        top = text_of_page.splitlines()[0]
        # The print date in Danish style: "Udskrevet 7. december 2026 04:54".
        printed = rf"{re.escape(case.reference)} Udskrevet \d{{1,2}}\. [a-zæøå]+ 20\d\d \d\d:\d\d"
        assert re.match(printed, top), text_of_page
        assert f"Side {number} af {len(pages)}" in text_of_page, text_of_page


def test_print_the_demo_case_sheet(live_server, chromium, seeds_dir):
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    user = CaseworkerFactory(username="e2e-demo", password=PASSWORD)
    call_command("demo_case", member=user.username, stdout=io.StringIO())
    case = Case.objects.get(reference=DEMO_REFERENCE)
    quotes = list(
        Citation.objects.filter(note__case=case).order_by("pk").values_list("quote", flat=True)
    )
    assert len(quotes) == 4
    cited = list(
        Bilag.objects.filter(passages__citations__note__case=case)
        .distinct()
        .values_list("number", "title")
    )

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/cases/{case.pk}/sheet/")
        pdf = print_pdf(page)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"citation-sheet-{DEMO_REFERENCE}.pdf"
    target.write_bytes(pdf)

    pages = pdf_pages(pdf)
    printed = printed_text(pages)
    for quote in quotes:
        assert squash(quote) in printed, quote
    assert len(cited) == 4
    for number, title in cited:
        assert f"Bilag {number} Bilagsnr. {number}" in printed, number
        assert f"Titel {squash(title)}" in printed, title
    for number in range(1, len(pages) + 1):
        assert f"Side {number} af {len(pages)}" in pages[number - 1]
    # A bilag's reference is never split across pages: its number and its intake date
    # are printed on the same page.
    for number, _title in cited:
        page_text = next(p for p in pages if f"Bilagsnr. {number}" in squash(p))
        after = squash(page_text).split(f"Bilagsnr. {number}", 1)[1]
        assert "Optaget" in after.split("Bilagsnr.", 1)[0], (number, page_text)

    # Page 1 as a picture, for a person to look at (poppler-utils).
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(target), str(target)[:-4]],
            check=True,
            timeout=60,
        )
        assert list(ARTIFACTS.glob(f"citation-sheet-{DEMO_REFERENCE}-*1.png"))


# A passage longer than a snippet, with a character outside the BMP (two UTF-16 units in
# the browser, one character in Python) long before the quoted words: the hit's snippet
# starts mid-passage behind "…", so cite.js must add the snippet's offset and drop the
# ellipsis, in UTF-16 units, and the server must convert them.
LONG_PASSAGE = (
    "Rapporten 🙂 om forholdene i lejrene nord for byen beskriver, hvordan familier med "
    "børn har levet under åben himmel i månedsvis, uden adgang til rent vand, skoler "
    "eller sundhedsydelser, og hvordan de lokale myndigheder gentagne gange har lovet "
    "forbedringer, som aldrig er blevet gennemført. Flere kilder oplyser desuden, at "
    "kvinder og ældre er særligt udsatte, og at vinteren har gjort forholdene værre. "
    "Ifølge vidner blev flere mænd ført til et tilbageholdelsescenter uden for byen, "
    "hvor de blev forhørt i flere dage uden adgang til advokat."
)
SNIPPET_QUOTE = "ført til et tilbageholdelsescenter uden for byen"


def test_cite_from_a_search_hit_snippet(live_server, chromium, seeds_dir):
    from library.ingest.services import bilag_ingest

    result = bilag_ingest(
        name="lejrene.txt",
        data=f" date 2019-03 Forholdene i lejrene\n\n{LONG_PASSAGE}\n".encode(),
        metadata={"country": "SY", "publisher": "Landinfo", "language": "da"},
    )
    assert result.outcome == "added", result.line()
    passage = Passage.objects.select_related("bilag").get(bilag=result.bilag, text=LONG_PASSAGE)
    user = CaseworkerFactory(username="e2e-snippet", password=PASSWORD)
    case = services.case_create(
        user=user, reference="E2E-2026-0008", title="Tilbageholdelse", country="SY"
    )
    base = live_server.url

    with chromium() as page:
        log_in(page, base, user.username)
        page.fill("#q", "tilbageholdelsescenter")
        page.click("form.search .search-box button[type=submit]")
        snippet = page.locator(
            f"p.snippet[data-bilag='{passage.bilag.number}'][data-ordinal='{passage.ordinal}']"
        )
        snippet.wait_for()
        assert snippet.get_attribute("data-lead") == "1", "the snippet should start mid-passage"
        assert snippet.inner_text().startswith("…")
        assert select_text(snippet, SNIPPET_QUOTE) == SNIPPET_QUOTE
        button = page.locator("#cite-button")
        button.wait_for(state="visible")
        # Offsets in UTF-16 units, as the browser counts: the emoji counts twice.
        start16 = len(LONG_PASSAGE[: LONG_PASSAGE.index(SNIPPET_QUOTE)].encode("utf-16-le")) // 2
        assert f"start={start16}&end={start16 + len(SNIPPET_QUOTE)}&" in button.get_attribute(
            "href"
        )
        button.click()
        page.wait_for_url(re.compile(r"/cite/\?"))
        assert page.locator("blockquote.cite-preview q").inner_text() == SNIPPET_QUOTE
        page.select_option("select[name=target]", label=f"{case.reference} › Nyt notat")
        page.fill("textarea[name=new_note]", "Tilbageholdt uden advokat.")
        page.click("main form.cite-form button.primary")
        page.wait_for_url(re.compile(rf"/cases/{case.pk}/\?cited=\d+#citation-\d+$"))

    saved = Citation.objects.get()
    start = LONG_PASSAGE.index(SNIPPET_QUOTE)
    assert (saved.start, saved.end) == (start, start + len(SNIPPET_QUOTE))
    assert saved.quote == SNIPPET_QUOTE


def test_triple_click_cites_the_whole_passage(live_server, chromium, seeds_dir):
    """A triple click selects a paragraph and ends the range after it, in the next
    element: the button must still offer the passage, not an error."""
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    user = CaseworkerFactory(username="e2e-triple", password=PASSWORD)
    passage = Passage.objects.select_related("bilag").get(
        text__contains=SENTENCE, boilerplate=False
    )
    number, ordinal, length16 = (
        passage.bilag.number,
        passage.ordinal,
        len(passage.text.encode("utf-16-le")) // 2,
    )

    with chromium() as page:
        log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/bilag/{number}/#p{ordinal}")
        page.locator(f"p.passage-text[data-ordinal='{ordinal}']").click(click_count=3)
        button = page.locator("#cite-button")
        button.wait_for(state="visible")
        href = button.get_attribute("href")

    assert href is not None, "the button shows the one-passage error instead of a link"
    assert f"ordinal={ordinal}&start=0&end={length16}" in href
