"""The citation sheet: grouping and order, the reference labels, "as of", printing, the
css_string filter, plain text, and escaping."""

import datetime as dt
import re
import string

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from casefiles import services
from casefiles.templatetags.casefiles_tags import css_string
from library.models import Bilag
from tests.factories import BilagFactory, CaseworkerFactory, PublisherFactory

XSS = "<script>alert(1)</script>"


def sheet_url(case, **query):
    url = reverse("casefiles:sheet", args=[case.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text_url(case, **query):
    url = reverse("casefiles:sheet_text", args=[case.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sections(html: str) -> dict[int, str]:
    """Each bilag section of the sheet by bilag number, in page order."""
    parts = html.split('<section class="sheet-bilag" id="bilag-')[1:]
    return {int(p.split('"', 1)[0]): p.split("</section>", 1)[0] for p in parts}


def excerpts(section: str) -> list[str]:
    return [p.split("</li>", 1)[0] for p in section.split('<li class="excerpt">')[1:]]


@pytest.fixture
def colleague(case):
    """Unlike the folder's `colleague`: a member of the case (they write a note in it)."""
    user = CaseworkerFactory(username="kollega")
    case.members.add(user)
    return user


@pytest.fixture
def danish_client(client, member):
    """The member with the default language (Danish)."""
    client.force_login(member)
    return client


@pytest.fixture
def bilag_900(db):
    return BilagFactory(
        number=900,
        language="da",
        publisher=PublisherFactory(name="Amnesty International"),
        title="Irak: fanger i lejrene",
        published=dt.date(2020, 4, 11),
        published_precision=Bilag.Precision.DAY,
        intake=dt.date(2020, 5, 4),
        full_text="Fangerne sidder i overfyldte celler.\n\nIngen adgang til advokat.",
    )


@pytest.fixture
def cited(case, note, colleague, member, bilag, bilag_900):
    """Citations made out of order: bilag 900 first, then 863 § 2, then 863 § 1 twice."""
    note2 = services.note_create(case=case, user=colleague, body="Kvinderne mangler vand.")
    p863_1 = bilag.passages.get(ordinal=1)
    p863_2 = bilag.passages.get(ordinal=2)
    p900_1 = bilag_900.passages.get(ordinal=1)
    c900 = services.citation_create(note=note2, passage=p900_1, user=colleague, start=0, end=8)
    c863_2 = services.citation_create(
        note=note, passage=p863_2, user=member, start=0, end=len(p863_2.text)
    )
    c863_1b = services.citation_create(note=note2, passage=p863_1, user=colleague, start=30, end=45)
    c863_1a = services.citation_create(note=note, passage=p863_1, user=member, start=0, end=16)
    return {"note2": note2, "c900": c900, "c863_2": c863_2, "c863_1b": c863_1b, "c863_1a": c863_1a}


# --- grouping, order, reference ------------------------------------------------------


def test_bilag_in_number_order_regardless_of_citation_order(member_client, case, cited):
    response = member_client.get(sheet_url(case))
    assert response.status_code == 200
    assert [g.bilag.number for g in response.context["groups"]] == [863, 900]
    assert list(sections(response.content.decode())) == [863, 900]
    assert response.context["citation_count"] == 4
    assert "4 excerpts, 2 bilag" in response.content.decode()


def test_excerpts_by_note_in_passage_order_each_note_once(member_client, case, cited):
    html = member_client.get(sheet_url(case)).content.decode()
    found = sections(html)
    rows = excerpts(found[863])
    assert len(rows) == 3
    # Note 1's two excerpts in passage order, then note 2's one.
    assert ["Passage 1" in rows[0], "Passage 2" in rows[1], "Passage 1" in rows[2]] == [True] * 3
    assert '<blockquote class="quote">Flygtningelejren […]</blockquote>' in rows[0]
    assert '<blockquote class="quote">Anden del af rapporten om lejren.</blockquote>' in rows[1]
    assert '<blockquote class="quote">[…] børn og kvinder […]</blockquote>' in rows[2]
    # Each note's text once, before its excerpts.
    note1 = "<strong>Note 1 (member):</strong> Kampene ramte civile."
    note2 = "<strong>Note 2 (kollega):</strong> Kvinderne mangler vand."
    assert found[863].count("Kampene ramte civile.") == 1
    assert found[863].count("Kvinderne mangler vand.") == 1
    assert found[863].index(note1) < found[863].index("Flygtningelejren […]")
    assert found[863].index("Anden del af") < found[863].index(note2)
    assert found[863].index(note2) < found[863].index("[…] børn og kvinder")
    rows = excerpts(found[900])
    assert len(rows) == 1
    assert '<blockquote class="quote">Fangerne […]</blockquote>' in rows[0]
    assert found[900].count(note2) == 1


def test_each_bilag_reference_once_with_danish_labels(danish_client, case, cited, bilag):
    response = danish_client.get(sheet_url(case))
    assert response["Content-Language"] == "da"
    html = response.content.decode()
    assert html.count("<dt>Kilde</dt>") == 2
    assert html.count("<dt>Bilagsnr.</dt>") == 2
    found = sections(html)
    assert (
        "<dt>Bilagsnr.</dt><dd>863</dd>\n"
        f"      <dt>Kilde</dt><dd>{bilag.publisher.name}</dd>\n"
        f"      <dt>Titel</dt><dd>{bilag.title}</dd>\n"
        "      <dt>Udgivet</dt><dd>februar 2019</dd>\n"
        "      <dt>Optaget</dt><dd>1. marts 2019</dd>"
    ) in found[863]
    assert (
        "<dt>Bilagsnr.</dt><dd>900</dd>\n"
        "      <dt>Kilde</dt><dd>Amnesty International</dd>\n"
        "      <dt>Titel</dt><dd>Irak: fanger i lejrene</dd>\n"
        "      <dt>Udgivet</dt><dd>11. april 2020</dd>\n"
        "      <dt>Optaget</dt><dd>4. maj 2020</dd>"
    ) in found[900]
    # Once per bilag: the title is not repeated for each of 863's three excerpts.
    assert found[863].count(bilag.title) == 1


def test_plain_text_has_the_same_groups_and_danish_labels(danish_client, case, cited, bilag):
    text = danish_client.get(text_url(case)).content.decode()
    assert text.index("Bilagsnr.: 863") < text.index("Bilagsnr.: 900")
    assert text.count("Kilde: ") == 2
    assert f"Kilde: {bilag.publisher.name}\nTitel: {bilag.title}\n" in text
    assert "Udgivet: februar 2019\nOptaget: 1. marts 2019\n" in text
    assert "Kilde: Amnesty International\nTitel: Irak: fanger i lejrene\n" in text
    assert "Udgivet: 11. april 2020\nOptaget: 4. maj 2020\n" in text
    # A quote cut out of its passage shows "[…]" where the passage goes on; a bilag's
    # excerpts come note by note.
    quotes = re.findall(r"“(?:\[…\] )?([^”]*?)(?: \[…\])?”", text)
    assert quotes == [
        "Flygtningelejren",
        "Anden del af rapporten om lejren.",
        "børn og kvinder",
        "Fangerne",
    ]
    assert "“Flygtningelejren […]”" in text and "“[…] børn og kvinder […]”" in text


def test_removed_citation_leaves_the_sheet(member_client, case, cited, member):
    services.citation_remove(citation=cited["c900"], user=member)
    html = member_client.get(sheet_url(case)).content.decode()
    assert list(sections(html)) == [863]
    assert "Fangerne" not in html


def test_empty_sheet(member_client, case):
    html = member_client.get(sheet_url(case)).content.decode()
    assert sections(html) == {}
    assert "This case has no citations yet." in html
    text = member_client.get(text_url(case)).content.decode()
    assert "This case has no citations yet." in text


# --- as of -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "numbers"),
    [
        ("2019-02-28", []),
        ("2019-03-01", [863]),  # intake on the day counts
        ("2019-12-31", [863]),
        ("2020-05-03", [863]),
        ("2020-05-04", [863, 900]),
    ],
)
def test_as_of_keeps_bilag_taken_in_by_that_date(member_client, case, cited, as_of, numbers):
    response = member_client.get(sheet_url(case, as_of=as_of))
    assert response.status_code == 200
    assert response.context["as_of"] == dt.date.fromisoformat(as_of)
    html = response.content.decode()
    assert list(sections(html)) == numbers
    shown = date_format(dt.date.fromisoformat(as_of), "DATE_FORMAT")  # "Feb. 28, 2019"
    if numbers:
        assert f"bilag taken in by {shown}" in html
    else:
        assert "No citations from bilag taken in by this date." in html
    assert f'<input type="date" id="as-of" name="as_of" value="{as_of}">' in html
    text = member_client.get(text_url(case, as_of=as_of)).content.decode()
    assert f"Scope: bilag taken in by {shown}\n" in text
    assert [int(n) for n in re.findall(r"^Bilag no\.: (\d+)$", text, re.M)] == numbers


def test_sheet_links_the_text_version_with_the_same_date(member_client, case, cited):
    html = member_client.get(sheet_url(case, as_of="2019-12-31")).content.decode()
    assert f'href="{text_url(case)}?as_of=2019-12-31"' in html


@pytest.mark.parametrize("value", ["2026-13-45", "31-12-2019", "igår"])
def test_malformed_as_of_names_the_value_and_shows_everything(member_client, case, cited, value):
    response = member_client.get(reverse("casefiles:sheet", args=[case.pk]), {"as_of": value})
    assert response.status_code == 200
    assert response.context["as_of"] is None
    message = f"'{value}' is not a date (YYYY-MM-DD); the sheet shows everything."
    assert response.context["as_of_error"] == message
    html = response.content.decode()
    assert f'<p class="error no-print" role="alert">{escape(message)}</p>' in html
    assert list(sections(html)) == [863, 900]


def test_malformed_as_of_is_escaped(member_client, case, cited):
    response = member_client.get(reverse("casefiles:sheet", args=[case.pk]), {"as_of": XSS})
    html = response.content.decode()
    assert XSS not in html
    assert escape(XSS) in html


# --- printing ------------------------------------------------------------------------


def test_print_stylesheet_and_page_header(member_client, case, cited):
    html = member_client.get(sheet_url(case)).content.decode()
    assert f'<link rel="stylesheet" href="{static("css/sheet.css")}">' in html
    assert "@page {" in html
    assert '@top-left { content: "2026\\00002d 0042"; }' in html
    assert "counter(page)" in html and "counter(pages)" in html
    assert "<title>Citation sheet 2026-0042" in html


def test_print_stylesheet_file_sets_a4(db):
    path = settings.BASE_DIR / "static" / "css" / "sheet.css"
    assert "size: A4;" in path.read_text()


def test_hostile_reference_cannot_end_the_style(member_client, member):
    reference = 'R"</style><script>alert(1)</script>'
    case = services.case_create(user=member, reference=reference, title="T", country="SY")
    html = member_client.get(sheet_url(case)).content.decode()
    assert XSS not in html
    style = html.split("<style nonce=", 1)[1].split(">", 1)[1].split("</style>", 1)[0]
    assert f"@top-left {{ content: {css_string(reference)}; }}" in style
    assert "<" not in style and '"R"' not in style


def test_css_string_escapes_exactly():
    # Every escape is six hex digits and a space, which CSS reads as part of the escape.
    assert css_string('a"b\\c</style>\nd') == (
        '"a\\000022 b\\00005c c\\00003c \\00002f style\\00003e \\00000a d"'
    )
    assert css_string("2026-0042") == '"2026\\00002d 0042"'
    assert css_string("Side 3") == '"Side 3"'
    assert css_string("") == '""'
    assert css_string(42) == '"42"'
    assert css_string("æ🙂") == '"\\0000e6 \\01f642 "'
    assert isinstance(css_string("x"), SafeString)


CSS_STRING = re.compile(r'"(?:[A-Za-z0-9 ]|\\[0-9a-f]{6} )*"')


@pytest.mark.parametrize(
    "value",
    [
        '"; } body { display: none',
        "\\\"'",
        "</style><script>alert(1)</script>",
        "a\nb\r\nc\td\x0c\x00",
        "/* comment */ @import url(x);",
        "Sag 2026/0042 · Dødsfald æøå ÆØÅ",
        "emoji 🙂 and \u2028\u2029",
        "\\00003c",
    ],
)
def test_css_string_output_holds_only_safe_characters(value):
    out = css_string(value)
    assert CSS_STRING.fullmatch(out), out
    assert out.count('"') == 2
    assert "<" not in out and "\n" not in out and "'" not in out


def css_decode(quoted: str) -> str:
    """A CSS string token's value, per CSS Syntax 3 § 4.3.5 and § 4.3.7 (escapes)."""
    assert quoted[0] == quoted[-1] == '"'
    body, out, i = quoted[1:-1], [], 0
    while i < len(body):
        if body[i] != "\\":
            out.append(body[i])
            i += 1
            continue
        j = i + 1
        while j < len(body) and j - i <= 6 and body[j] in string.hexdigits:
            j += 1
        out.append(chr(int(body[i + 1 : j], 16)))
        if j < len(body) and body[j] in " \t\n":
            j += 1  # one white space after a hex escape belongs to the escape
        i = j
    return "".join(out)


@pytest.mark.parametrize(
    "value",
    [
        "2026-0042",
        "Printed 2026-01-02 12:30",
        'a"b\\c</style>\nd',
        "æøå🙂",
        "æøå 🙂",
        "Printed 2026-01-02 12:30 · as of 2026-01-01",
        "Sag / 12",
    ],
)
def test_css_string_reads_back_as_the_value(value):
    assert css_decode(css_string(value)) == value


# --- plain text ----------------------------------------------------------------------


def test_plain_text_is_not_html_escaped(member_client, case, note, member):
    text = '<script>alert(1)</script> Rapporten siger a < b & "c" er sandt.'
    bilag = BilagFactory(number=667, language="da", full_text=text + "\n\nTo.")
    passage = bilag.passages.get(ordinal=1)
    start = text.index("a < b")
    services.citation_create(
        note=note,
        passage=passage,
        user=member,
        start=start,
        end=start + len('a < b & "c" er sandt'),
        comment="Se 'note' & <bilag>",
    )
    services.note_update(note=note, user=member, body='Tom & Jerry <i> "citat"')
    response = member_client.get(text_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode("utf-8")
    assert '\n    Passage 1: “[…] a < b & "c" er sandt […]”\n' in body
    assert '\n  Note 1 (member): Tom & Jerry <i> "citat"\n' in body
    assert "\n      Comment: Se 'note' & <bilag>\n" in body
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;"):
        assert entity not in body
    assert body.startswith("Refugee Appeals Board · citation sheet\nCase 2026-0042: ")


# --- escaping on the sheet -------------------------------------------------------------


def test_sheet_escapes_everything_users_and_the_library_wrote(member_client, member):
    case = services.case_create(
        user=member, reference="2026-0666", title=f"Sag {XSS}", country="SY"
    )
    note = services.note_create(case=case, user=member, body=f"Note {XSS}")
    bilag = BilagFactory(
        number=666,
        language="da",
        title=f"Titel {XSS}",
        publisher=PublisherFactory(name=f"Kilde {XSS}"),
        full_text=f"Rapporten citerer {XSS} i lejren.\n\nTo.",
    )
    passage = bilag.passages.get(ordinal=1)
    services.citation_create(
        note=note,
        passage=passage,
        user=member,
        start=0,
        end=len(passage.text),
        comment=f"Kommentar {XSS}",
    )
    html = member_client.get(sheet_url(case)).content.decode()
    assert XSS not in html
    assert "<script>alert" not in html
    for text in (f"Sag {XSS}", f"Note {XSS}", f"Kommentar {XSS}", f"Titel {XSS}", f"Kilde {XSS}"):
        assert escape(text) in html, text
    assert f'<blockquote class="quote">{escape(passage.text)}</blockquote>' in html


def test_plain_text_keeps_a_multi_line_quote_and_comment_in_their_block(
    member_client, case, note, member
):
    text = "Første linje om lejren.\nAnden linje om vandet.\nTredje linje."
    bilag = BilagFactory(number=950, language="da", full_text=text + "\n\nSlut.")
    passage = bilag.passages.get(ordinal=1)
    assert passage.text == text
    services.citation_create(
        note=note,
        passage=passage,
        user=member,
        start=0,
        end=len(text),
        comment="Se især\nanden linje.",
    )

    body = member_client.get(text_url(case)).content.decode()

    assert (
        "\n    Passage 1: “Første linje om lejren.\n      Anden linje om vandet.\n"
        "      Tredje linje.”\n"
    ) in body
    assert "\n      Comment: Se især\n        anden linje.\n" in body


def test_sheet_says_who_printed_it(member_client, case, cited):
    response = member_client.get(sheet_url(case))
    html = response.content.decode()
    body = member_client.get(text_url(case)).content.decode()

    # In the UI language's style ("Jan. 2, 2026, 12:30 p.m."; Danish "2. januar 2026 12:30").
    printed = date_format(timezone.localtime(response.context["printed_at"]), "DATETIME_FORMAT")
    assert f"<dd>{printed} (member)</dd>" in html
    assert re.search(r"^Printed: \w{3}\.? \d{1,2}, \d{4}, .+ \(member\)$", body, re.M)
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", html.split("</style>", 1)[1] + body)
