"""PDF intake: real PDFs written with fpdf2, ingested through the service.

Covers a Danish report (pages, offsets, paragraphs, language), a 200-page report, and
every way a PDF is refused: encrypted with a password, corrupt, without text, too many
pages, not a PDF at all, and a PDF that needs more memory than the child may take.
Every refusal must leave the library exactly as it was (rows and stored files).
"""

import datetime as dt
import textwrap
import zlib

import pytest
from fpdf import FPDF

from library.ingest.results import ADDED, FAILED
from library.ingest.services import bilag_ingest
from library.models import Bilag, Passage, Publisher
from tests.support import SEEDS, stored_files

WRAP = 90  # characters per PDF line; short last lines end a paragraph

REPORT_TITLE = "Syrien: Forholdene i lejrene i det nordøstlige Syrien"
# Three pages of a Danish report, paragraphs in reading order. The one paragraph given
# as a list of lines is laid out exactly so, with a word hyphenated across a break.
REPORT_PAGES: list[list[str | list[str]]] = [
    [
        "Dette notat beskriver forholdene i lejrene i det nordøstlige Syrien efter at de "
        "sidste områder under Islamisk Stat blev indtaget i marts 2019. Oplysningerne er "
        "indsamlet af Udlændingestyrelsen under en rejse til regionen.",
        "Ifølge FN's kontor for humanitær koordination opholder over 73.000 personer sig i "
        "al-Hol-lejren, og omkring 90 procent af dem er kvinder og børn. Lejren blev "
        "oprindeligt bygget til 10.000 mennesker.",
    ],
    [
        [
            "En repræsentant for de kurdiske myndigheder sagde, at de internt for-",
            "drevne familier fortsat kommer til lejren hver uge, og at der mangler både telte,",
            "vand og lægehjælp.",
        ],
        "Udenlandske kvinder og deres børn holdes i et særskilt afsnit af lejren. De kan "
        "ikke forlade afsnittet uden tilladelse, og adgangen for hjælpeorganisationer er "
        "stærkt begrænset, siger flere kilder.",
        "Flere kilder oplyser, at sikkerheden i lejren er blevet forværret i løbet af "
        "sommeren, og at der har været episoder med vold mod kvinder, som ikke ville følge "
        "gruppens regler om påklædning og adfærd.",
    ],
    [
        "Myndighederne har ikke kapacitet til at retsforfølge de tilbageholdte, og ingen af "
        "kilderne kunne sige, hvornår de udenlandske kvinder og børn vil blive sendt "
        "hjem til deres oprindelseslande.",
    ],
]
HYPHENATED = (
    "En repræsentant for de kurdiske myndigheder sagde, at de internt fordrevne familier "
    "fortsat kommer til lejren hver uge, og at der mangler både telte, vand og lægehjælp."
)
# (page, paragraph) as a caseworker should read them: lines joined, hyphen removed.
REPORT_PARAGRAPHS = [
    (page_no, paragraph if isinstance(paragraph, str) else HYPHENATED)
    for page_no, page in enumerate(REPORT_PAGES, start=1)
    for paragraph in page
]


def _lines(paragraph: str | list[str]) -> list[str]:
    if isinstance(paragraph, list):
        return paragraph
    lines = textwrap.wrap(paragraph, WRAP, break_on_hyphens=False)
    # A paragraph ends where a sentence ends on a clearly short line; keep test data so.
    assert len(lines[-1]) < 0.7 * WRAP, f"last line too long to end a paragraph: {lines[-1]!r}"
    return lines


def make_pdf(
    pages: list[list[str | list[str]]],
    *,
    title: str | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A text PDF: one list of paragraphs per page, each wrapped at WRAP characters."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    if title:
        pdf.set_title(title)
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password or "")
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            for line in _lines(paragraph):
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    return bytes(pdf.output())


def make_blank_pdf() -> bytes:
    """One page with a drawn rectangle and no text at all, like a scan without OCR."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def make_inflating_pdf(megabytes: int) -> bytes:
    """A small PDF whose one page holds `megabytes` MB of text once decompressed."""
    content = b"BT /F1 12 Tf 72 712 Td (" + b"A" * (megabytes * 1_000_000) + b") Tj ET"
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


METADATA = {"country": "Syrien", "published": "2019-03"}


@pytest.fixture
def library(db, media_root):
    """A library holding one bilag (seed 004), so "unchanged" is tested on real rows."""
    seed = SEEDS / "004_e1216e5ac3c25b1b.txt"
    result = bilag_ingest(name=seed.name, data=seed.read_bytes())
    assert result.outcome == ADDED, result.message
    return media_root


def snapshot(media_root):
    return {
        "bilag": list(Bilag.objects.values_list("number", "sha256").order_by("number")),
        "passages": Passage.objects.count(),
        "publishers": list(Publisher.objects.values_list("name", flat=True)),
        "files": stored_files(media_root),
    }


def assert_refused(library, name: str, data: bytes, message: str) -> None:
    before = snapshot(library)
    result = bilag_ingest(name=name, data=data, metadata={**METADATA, "publisher": "Ny Kilde"})
    assert (result.outcome, result.message) == (FAILED, message)
    assert result.bilag is None
    assert result.line() == f"{name}: {message}"
    assert snapshot(library) == before
    assert before["files"], "the library should hold files before the refusal"


# --- PDFs that ingest -----------------------------------------------------------------


def test_pdf_danish_report_ingests_with_pages_paragraphs_and_language(library):
    data = make_pdf(REPORT_PAGES, title=REPORT_TITLE)

    result = bilag_ingest(
        name="notat.pdf", data=data, metadata={**METADATA, "publisher": "Udlændingestyrelsen"}
    )

    assert result.outcome == ADDED, result.message
    bilag = result.bilag
    assert bilag.kind == "pdf"
    assert bilag.original_name == "notat.pdf"
    assert bilag.title == REPORT_TITLE
    assert bilag.country == "SY"
    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 3, 1), "month")
    assert bilag.publisher.name == "Udlændingestyrelsen"
    assert bilag.language == "da"
    assert "language detected: Danish" in result.notes
    pages = [[text for page, text in REPORT_PARAGRAPHS if page == n] for n in (1, 2, 3)]
    assert bilag.full_text == "\n\n".join("\n\n".join(page) for page in pages)
    passages = list(bilag.passages.order_by("ordinal"))
    assert [(p.ordinal, p.page, p.text) for p in passages] == [
        (ordinal, page, text) for ordinal, (page, text) in enumerate(REPORT_PARAGRAPHS, start=1)
    ]
    assert [p.text for p in passages if p.text != bilag.full_text[p.start : p.end]] == []
    assert {(p.boilerplate, p.language) for p in passages} == {(False, "da")}
    assert bilag.original.read() == data


def test_pdf_wrapped_lines_join_into_one_paragraph_with_hyphen_removed(library):
    result = bilag_ingest(name="notat.pdf", data=make_pdf(REPORT_PAGES), metadata=METADATA)

    assert result.outcome == ADDED, result.message
    passage = result.bilag.passages.get(ordinal=3)
    assert passage.text == HYPHENATED
    assert passage.page == 2
    assert "\n" not in passage.text


def test_pdf_compound_hyphen_at_line_end_is_kept(library):
    lines = [
        "Ifølge FN's kontor for humanitær koordination opholder over 73.000 personer sig i al-Hol-",
        "lejren, og omkring 90 procent af dem er kvinder og børn, siger organisationen.",
    ]
    result = bilag_ingest(name="hol.pdf", data=make_pdf([[lines]]), metadata=METADATA)

    assert result.outcome == ADDED, result.message
    assert result.bilag.passages.get(ordinal=1).text == (
        "Ifølge FN's kontor for humanitær koordination opholder over 73.000 personer sig i "
        "al-Hol-lejren, og omkring 90 procent af dem er kvinder og børn, siger organisationen."
    )


def test_pdf_owner_password_only_ingests(library):
    data = make_pdf(REPORT_PAGES, owner_password="ejer-hemmelig")
    assert b"/Encrypt" in data

    result = bilag_ingest(name="beskyttet.pdf", data=data, metadata=METADATA)

    assert result.outcome == ADDED, result.message
    assert result.bilag.passages.count() == len(REPORT_PARAGRAPHS)
    assert result.bilag.passages.get(ordinal=1).text == REPORT_PARAGRAPHS[0][1]


@pytest.mark.slow
def test_pdf_of_200_pages_ingests(library):
    pages = [
        [
            f"Side {n}, afsnit {k}: Ifølge kilderne blev {n * 10 + k} familier fordrevet fra "
            f"landsbyerne nær grænsen i løbet af uge {k + 1}, og de fleste af dem er kvinder "
            "og børn, som nu bor i lejren under vanskelige forhold."
            for k in range(1, 5)
        ]
        for n in range(1, 201)
    ]
    data = make_pdf(pages)

    result = bilag_ingest(name="rapport-200.pdf", data=data, metadata=METADATA)

    assert result.outcome == ADDED, result.message
    passages = list(result.bilag.passages.order_by("ordinal"))
    assert len(passages) == 800
    assert [p.page for p in passages] == [n for n in range(1, 201) for _ in range(4)]
    assert passages[-1].text == pages[199][3]
    full_text = result.bilag.full_text
    assert [p.ordinal for p in passages if p.text != full_text[p.start : p.end]] == []
    assert result.bilag.language == "da"


# --- PDFs that are refused ------------------------------------------------------------


def test_pdf_encrypted_with_user_password_is_refused(library):
    data = make_pdf(REPORT_PAGES, user_password="bruger", owner_password="ejer")

    assert_refused(library, "hemmelig.pdf", data, "the PDF is protected by a password")


def test_pdf_truncated_is_refused(library):
    data = make_pdf(REPORT_PAGES)

    assert_refused(
        library,
        "afbrudt.pdf",
        data[: len(data) // 2],
        "the PDF cannot be read (PDFium: Data format error)",
    )


def test_pdf_without_text_that_ocr_cannot_read_is_refused(library):
    assert_refused(
        library,
        "scanning.pdf",
        make_blank_pdf(),
        "the PDF has no text, and OCR could read none of its 1 page(s)",
    )


def test_pdf_without_text_asks_for_ocr_when_ocr_is_off(library, settings):
    settings.BAGGRUND_OCR = False
    assert_refused(
        library,
        "scanning.pdf",
        make_blank_pdf(),
        "the PDF has no extractable text (a scan needs OCR before it can be ingested)",
    )


def test_pdf_over_page_limit_is_refused_naming_page_count(library, settings):
    settings.BAGGRUND_PDF_MAX_PAGES = 5
    pages = [[f"Side {n}. Flygtninge i lejren siger, at de venter."] for n in range(1, 7)]

    assert_refused(library, "lang.pdf", make_pdf(pages), "the PDF has 6 pages; the limit is 5")


def test_pdf_at_page_limit_ingests(library, settings):
    settings.BAGGRUND_PDF_MAX_PAGES = 5
    pages = [[f"Side {n}. Flygtninge i lejren siger, at de venter."] for n in range(1, 6)]

    result = bilag_ingest(name="fem.pdf", data=make_pdf(pages), metadata=METADATA)

    assert result.outcome == ADDED, result.message
    assert result.bilag.passages.count() == 5


def test_pdf_name_on_plain_text_is_refused(library):
    data = b"Flygtninge i lejren siger, at de venter.\n"

    assert_refused(
        library, "rapport.pdf", data, "the file is not a PDF (it does not start with %PDF-)"
    )


def test_pdf_over_memory_limit_is_refused(library, settings):
    settings.BAGGRUND_PDF_MEMORY_BYTES = 64 * 1024 * 1024
    # The same limit lets an ordinary PDF through, so the refusal below is the limit
    # stopping a PDF that inflates to 40 MB of text, not the child failing to start.
    ordinary = bilag_ingest(name="notat.pdf", data=make_pdf(REPORT_PAGES), metadata=METADATA)
    assert ordinary.outcome == ADDED, ordinary.message

    assert_refused(
        library,
        "bombe.pdf",
        make_inflating_pdf(40),
        "the PDF needs more than 64 MiB to read",
    )


def test_pdf_inflating_to_one_100_mb_word_is_refused_in_one_line(library):
    # Within the memory limit poppler reads the whole stream: one "word" of 100 MB,
    # which is no text a caseworker can read; the admin gets one line naming why.
    assert_refused(
        library, "bombe.pdf", make_inflating_pdf(100), "the file has no text besides boilerplate"
    )
