"""PDF intake as the board receives it: the cover sheet, scans read by OCR, page numbers,
clean text (ligatures, control characters, line-end hyphens) and encrypted PDFs."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from library.ingest.formats.hyphens import Hyphens
from library.ingest.results import ADDED, FAILED
from library.ingest.services import bilag_ingest
from library.models import Bilag, Passage
from library.selectors import passages_with_live_tags
from library.serializers import bilag_as_dict

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TODAY = dt.date(2026, 11, 1)
COVER = [
    ("Bilagsnr.:", "1204"),
    ("Land:", "Irak"),
    ("Kilde:", "Landinfo"),
    ("Titel:", "Irak: Sikkerhedssituationen i Ninewa"),
    ("Udgivet:", "3. marts 2020"),
    ("Optaget på baggrundsmaterialet:", "15. april 2020"),
]
SOURCE = [
    "Sikkerhedssituationen i provinsen er fortsat alvorlig, og flere tusinde familier bor "
    "stadig i lejre uden for Mosul.",
    "Mange kan ikke vende hjem, fordi deres huse er ødelagt eller minelagt.",
]


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    return pdf


def _cover(pdf: FPDF, rows=COVER) -> None:
    pdf.set_font("DejaVu", size=16)
    pdf.cell(0, 12, "Flygtningenævnets baggrundsmateriale", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    pdf.ln(6)
    for label, value in rows:
        pdf.cell(75, 8, label)
        pdf.cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)


def _paragraphs(pdf: FPDF, paragraphs) -> None:
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)


def cover_pdf(*, alone: bool = True, rows=COVER, source=SOURCE) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    _cover(pdf, rows)
    if alone:
        pdf.add_page()
    _paragraphs(pdf, source)
    return bytes(pdf.output())


def ingest(name: str, data: bytes, **metadata):
    return bilag_ingest(name=name, data=data, metadata=metadata or None, today=TODAY)


def _exported(bilag: Bilag) -> dict:
    return bilag_as_dict(bilag, passages_with_live_tags(bilag))


# --- the cover sheet -------------------------------------------------------------------


def test_cover_alone_on_page_1_gives_the_metadata_and_no_passage():
    result = ingest("bilag-1204.pdf", cover_pdf(alone=True))

    assert result.outcome == ADDED, result.message
    bilag = result.bilag
    assert (bilag.number, bilag.country, bilag.publisher.name, bilag.title) == (
        1204,
        "IQ",
        "Landinfo",
        "Irak: Sikkerhedssituationen i Ninewa",
    )
    assert (bilag.published, bilag.published_precision, bilag.intake) == (
        dt.date(2020, 3, 3),
        "day",
        dt.date(2020, 4, 15),
    )
    assert bilag.shape == "board-header"
    passages = list(bilag.passages.order_by("ordinal"))
    assert [(p.ordinal, p.page, p.text) for p in passages] == [
        (1, 2, SOURCE[0]),
        (2, 2, SOURCE[1]),
    ]
    assert all(p.text == bilag.full_text[p.start : p.end] for p in passages)


def test_cover_at_the_top_of_page_1_leaves_the_text_below_it_as_passage_1():
    result = ingest("bilag-1204.pdf", cover_pdf(alone=False))

    assert result.outcome == ADDED, result.message
    assert result.bilag.number == 1204
    passages = list(result.bilag.passages.order_by("ordinal"))
    assert [(p.ordinal, p.page, p.text) for p in passages] == [
        (1, 1, SOURCE[0]),
        (2, 1, SOURCE[1]),
    ]


def test_what_the_admin_gives_wins_over_the_cover():
    result = ingest("bilag-1204.pdf", cover_pdf(), country="SY", publisher="UNHCR")

    assert result.outcome == ADDED, result.message
    assert (result.bilag.number, result.bilag.country, result.bilag.publisher.name) == (
        1204,
        "SY",
        "UNHCR",
    )


def test_a_cover_claiming_a_number_already_taken_is_refused():
    assert ingest("first.pdf", cover_pdf()).outcome == ADDED
    other = cover_pdf(source=["En helt anden rapport om lejrene i Syrien og Irak."])

    result = ingest("second.pdf", other)

    assert result.outcome == FAILED
    assert result.message.startswith("bilag number 1204 is already taken by another file")
    assert Bilag.objects.count() == 1


def test_a_cover_with_an_impossible_date_is_refused_naming_it():
    rows = [*COVER[:4], ("Udgivet:", "31. februar 2020"), COVER[5]]

    result = ingest("bilag.pdf", cover_pdf(rows=rows))

    assert result.outcome == FAILED
    assert "31. februar 2020" in result.message
    assert "header field 'Udgivet'" in result.message
    assert not Bilag.objects.exists()


# --- scans -----------------------------------------------------------------------------


def _scan_page(lines: list[tuple[str, str | None]]) -> Image.Image:
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    y = 300
    for text, value in lines:
        draw.text((200, y), text, font=font, fill=0)
        if value is not None:
            draw.text((1100, y), value, font=font, fill=0)
        y += 90
    return image


def scanned_pdf() -> bytes:
    cover = _scan_page([("Flygtningenævnets baggrundsmateriale", None), *COVER])
    text = _scan_page(
        [
            ("Mange familier bor stadig i lejre uden for Mosul.", None),
            ("De kan ikke vende hjem, fordi husene er ødelagt.", None),
        ]
    )
    out = io.BytesIO()
    cover.save(out, format="PDF", save_all=True, append_images=[text], resolution=300)
    return out.getvalue()


@pytest.mark.slow
def test_a_scanned_cover_and_text_are_read_by_ocr_and_marked(client, caseworker):
    result = ingest("scan.pdf", scanned_pdf())

    assert result.outcome == ADDED, result.message
    bilag = result.bilag
    assert (bilag.number, bilag.country, bilag.publisher.name) == (1204, "IQ", "Landinfo")
    assert (bilag.published, bilag.intake) == (dt.date(2020, 3, 3), dt.date(2020, 4, 15))
    assert bilag.ocr_pages == [1, 2]
    assert "read by OCR: page(s) 1, 2; check quotes against the original" in result.notes
    passages = list(bilag.passages.order_by("ordinal"))
    assert [p.page for p in passages] == [2, 2]  # the cover is no passage
    assert "familier bor stadig i lejre uden for Mosul" in passages[0].text
    assert "husene er ødelagt" in passages[1].text
    exported = _exported(bilag)
    assert exported["ocr_pages"] == [1, 2]
    assert [(p["page"], p["ocr"]) for p in exported["passages"]] == [(2, True), (2, True)]
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"
    page = client.get(f"/bilag/{bilag.number}/").content.decode()
    assert "Page(s) 1, 2 had no text layer and were read by OCR" in page
    assert page.count('<span class="ocr"') == 2


def test_a_text_pdf_is_not_marked_as_ocr():
    bilag = ingest("bilag.pdf", cover_pdf()).bilag

    assert bilag.ocr_pages == []
    assert [(p["page"], p["ocr"]) for p in _exported(bilag)["passages"]] == [
        (2, False),
        (2, False),
    ]


def test_page_numbers_in_the_api_and_on_the_bilag_page(client, caseworker):
    bilag = ingest("bilag.pdf", cover_pdf()).bilag
    client.force_login(caseworker)

    api = json.loads(client.get(f"/api/bilag/{bilag.number}").content)
    page = client.get(f"/bilag/{bilag.number}/").content.decode()

    assert [p["page"] for p in api["passages"]] == [2, 2]
    assert 'class="page"' in page


# --- clean, faithful text --------------------------------------------------------------


def test_ligatures_are_decomposed_in_pdf_text():
    pdf = _pdf()
    pdf.add_page()
    _paragraphs(pdf, ["Deﬁnitionen af en ﬂygtning er ﬁn og ﬀektiv."])

    result = ingest("lig.pdf", bytes(pdf.output()), country="SY", published="2020")

    assert result.outcome == ADDED, result.message
    text = result.bilag.full_text
    assert "Definitionen af en flygtning er fin og ffektiv." in text
    assert not any(0xFB00 <= ord(ch) <= 0xFB06 for ch in text)


def _broken(lines: list[str]) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # broken by the layout: joined (a dictionary of the language knows the word)
        ("Sagen blev behandlet af Udlændinge-", "styrelsen i marts.", "Udlændingestyrelsen"),
        ("Saken ble behandlet av Utlendings-", "direktoratet i mars.", "Utlendingsdirektoratet"),
        ("The case was a matter of inter-", "national concern.", "international"),
        # the hyphen belongs to the word: kept
        ("Kampene fortsatte i Ninewa-", "provinsen hele året.", "Ninewa-provinsen"),
        ("Myndighederne tilbageholdt mange IS-", "krigere i lejren.", "IS-krigere"),
        ("The camp is a well-", "known place.", "well-known"),
    ],
)
def test_line_end_hyphens(first, second, expected):
    result = ingest("h.pdf", _broken([first, second]), country="SY", published="2020")

    assert result.outcome == ADDED, result.message
    assert expected in result.bilag.passages.get(ordinal=1).text


def test_the_documents_own_words_decide_a_hyphen_no_dictionary_knows():
    hyphens = Hyphens(["Lejren i Hasakahregionen er stor.", "Raqqa-distriktet er roligt."])

    assert hyphens.joins("Hasakah", "regionen") is True  # written joined elsewhere
    assert hyphens.joins("Raqqa", "distriktet") is False  # written with its hyphen
    assert hyphens.joins("Deir", "ezzor") is False  # a name: kept when nothing says more
    assert hyphens.joins("flygt", "ningene") is True


def test_nul_in_a_txt_after_64_kib_is_refused_and_changes_nothing(media_root):
    data = ("Flygtninge i lejren fortæller om forholdene. " * 2000).encode() + b"\x00tail"
    assert len(data) > 65536

    result = ingest("nul.txt", data, country="SY", published="2020")

    assert (result.outcome, result.message) == (FAILED, "the file is binary data, not TXT text")
    assert not Bilag.objects.exists() and not Passage.objects.exists()
    assert not list(media_root.rglob("*.txt"))


def test_control_characters_in_a_txt_are_removed_and_counted():
    data = "Flygtninge\x07 i lejren\x1b fortæller om forholdene i lejren.\n".encode()

    result = ingest("ctl.txt", data, country="SY", published="2020")

    assert result.outcome == ADDED, result.message
    assert result.bilag.full_text == "Flygtninge i lejren fortæller om forholdene i lejren.\n"
    assert "2 control characters removed" in result.notes


# --- encrypted PDFs --------------------------------------------------------------------


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(cover_pdf())))
    writer.encrypt(user_password=user_password, owner_password="ejer", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_aes_pdf_that_the_empty_password_opens_is_added():
    result = ingest("aes.pdf", _encrypted(""))

    assert result.outcome == ADDED, result.message
    assert result.bilag.number == 1204


def test_an_aes_pdf_with_a_real_password_is_refused_naming_the_file():
    result = ingest("hemmelig.pdf", _encrypted("hemmelig"))

    assert result.outcome == FAILED
    assert result.line() == "hemmelig.pdf: the PDF is protected by a password"
    assert not Bilag.objects.exists()


# --- a folder never stops at one file --------------------------------------------------


def test_ingest_goes_on_after_a_file_that_breaks_baggrund(tmp_path, monkeypatch, capsys):
    from library.ingest import services

    (tmp_path / "a.txt").write_text("Flygtninge i lejren fortæller om forholdene.\n")
    (tmp_path / "b.txt").write_text("Kampene fortsatte i provinsen hele året.\n")
    real = services.split_passages

    def broken(text, **kwargs):
        if "Kampene" in text:
            raise RuntimeError("boom")
        return real(text, **kwargs)

    monkeypatch.setattr(services, "split_passages", broken)
    with pytest.raises(SystemExit):
        call_command("ingest", str(tmp_path), "--country", "SY", "--published", "2020")

    err = capsys.readouterr()
    assert "b.txt: could not be ingested because of an error in Baggrund" in err.err
    assert "RuntimeError: boom" in err.err
    assert "added 1, unchanged 0, failed 1" in err.out
    assert Bilag.objects.count() == 1


def test_the_citation_sheet_gives_the_page_beside_the_passage(client, caseworker):
    from casefiles import services as case_services

    bilag = ingest("bilag.pdf", cover_pdf()).bilag
    case = case_services.case_create(
        user=caseworker, reference="2026-0101", title="Sag", country="IQ"
    )
    note = case_services.note_create(case=case, user=caseworker, body="Om lejrene.")
    passage = bilag.passages.get(ordinal=2)
    case_services.citation_create(
        note=note, passage=passage, user=caseworker, start=0, end=len(passage.text)
    )
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"

    text = client.get(f"/cases/{case.pk}/sheet/text/").content.decode()
    html = client.get(f"/cases/{case.pk}/sheet/").content.decode()

    assert "Passage 2, p. 2: “Mange kan ikke vende hjem" in text
    assert "Passage 2, p. 2" in html


def test_a_two_column_page_is_read_column_by_column():
    left = [
        "Den første spalte begynder her og fortæller om lejrene i det nordøstlige Syrien.",
        "Anden del af første spalte handler om vandforsyningen i lejren al-Hol.",
    ]
    right = [
        "Den anden spalte fortæller om de udenlandske kvinder og deres børn i lejren.",
        "Sidste del af anden spalte handler om hjemtagelsen af børnene til Europa.",
    ]
    pdf = _pdf()
    pdf.add_page()
    for x, paragraphs in ((10, left), (110, right)):
        pdf.set_xy(x, 20)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(85, 6, paragraph, new_x="LEFT", new_y="NEXT")
            pdf.ln(6)

    result = ingest("spalter.pdf", bytes(pdf.output()), country="SY", published="2020")

    assert result.outcome == ADDED, result.message
    texts = list(result.bilag.passages.order_by("ordinal").values_list("text", flat=True))
    assert texts == left + right
