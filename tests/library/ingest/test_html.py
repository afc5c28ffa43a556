"""HTML pages (library.ingest.formats.html): the visible text in reading order, the page's
own title and date, the ranges its markup marks as navigation, cookie notice or footer,
and a file named .html without any markup refused.

`read_html` needs no database; the last test ingests a page through the service to show
what becomes of the title, the date and the marked ranges.
"""

import datetime as dt

import pytest

from library.ingest.formats.base import ExtractError
from library.ingest.formats.html import read_html
from library.ingest.results import ADDED
from library.ingest.services import bilag_ingest


def test_title_is_the_h1_rather_than_the_title_element():
    page = read_html(
        b"<html><head><title>Side titel</title></head>"
        b"<body><h1>Overskrift her</h1><p>Tekst.</p></body></html>"
    )

    assert (page.kind, page.text, page.title) == (
        "html",
        "Overskrift her\n\nTekst.",
        "Overskrift her",
    )


def test_title_is_the_title_element_when_there_is_no_h1():
    page = read_html(
        b"<html><head><title>  Side\n titel </title></head><body><p>Tekst.</p></body></html>"
    )

    assert (page.text, page.title) == ("Tekst.", "Side titel")


@pytest.mark.parametrize(
    ("html", "published"),
    [
        pytest.param(
            b'<head><meta property="article:published_time" content="2019-02-10T20:59:00+01:00">'
            b"</head><body><p>Tekst.</p></body>",
            "2019-02-10",
            id="article-published-time-cut-to-the-day",
        ),
        pytest.param(
            b'<body><p>Udgivet <time datetime="2019-02-10">10. februar 2019</time>.</p></body>',
            "2019-02-10",
            id="time-datetime",
        ),
        pytest.param(
            b'<head><meta name="date" content="2019-03"></head><body><p>Tekst.</p></body>',
            "2019-03",
            id="meta-date-month",
        ),
        pytest.param(
            b'<head><meta property="article:published_time" content="2019-02-10T20:59:00Z">'
            b'</head><body><p>Se <time datetime="2018-01-01">1. januar 2018</time>.</p></body>',
            "2019-02-10",
            id="the-first-date-wins",
        ),
        pytest.param(b"<body><p>Tekst.</p></body>", None, id="none"),
    ],
)
def test_published_date_from_the_page(html, published):
    assert read_html(html).published == published


def test_script_style_and_hidden_elements_are_not_text():
    page = read_html(
        b'<html><head><style>p { color: red }</style><script>var x = "skjult";</script></head>'
        b"<body><p>Synlig.</p><script>alert(1)</script>"
        b'<div aria-hidden="true">Heller ikke synlig.</div>'
        b'<p hidden="hidden">Skjult afsnit.</p>'
        b"<noscript>Aktiver JavaScript</noscript><p>Sidste.</p></body></html>"
    )

    assert page.text == "Synlig.\n\nSidste."
    assert page.hints == []


def test_a_bare_hidden_attribute_hides_the_element():
    page = read_html(b"<html><body><p>Synlig.</p><p hidden>Skjult afsnit.</p></body></html>")

    assert page.text == "Synlig."


def test_og_title_before_the_title_element_is_not_glued_to_it():
    page = read_html(
        b'<html><head><meta property="og:title" content="OG titel">'
        b"<title>Side titel</title></head><body><p>Tekst.</p></body></html>"
    )

    # Without an <h1>, the page's metadata title (trafilatura's reading: og:title first).
    assert page.title == "OG titel"


def test_og_title_is_the_title_when_the_page_has_no_other():
    page = read_html(
        b'<html><head><meta property="og:title" content="OG titel"></head>'
        b"<body><p>Tekst.</p></body></html>"
    )

    assert page.title == "OG titel"


def test_navigation_cookie_notice_and_footer_are_marked_with_exact_offsets():
    page = read_html(
        b'<html><body><nav><a href="/">Forside</a> <a href="/nyheder">Nyheder</a></nav>'
        b"<article><h1>Lejren</h1><p>Flygtninge venter.</p></article>"
        b'<div class="cookie-banner">Vi bruger cookies.</div>'
        b"<footer>Kontakt os</footer></body></html>"
    )

    assert page.text == (
        "Forside Nyheder\n\nLejren\n\nFlygtninge venter.\n\nVi bruger cookies.\n\nKontakt os"
    )
    # A range runs to the break after its element; the footer's is counted before the
    # page's trailing break is stripped, so it ends two past the text.
    assert page.hints == [(0, 17, "menu"), (45, 65, "cookie"), (65, 77, "footer")]
    assert [page.text[start:end] for start, end, _kind in page.hints] == [
        "Forside Nyheder\n\n",
        "Vi bruger cookies.\n\n",
        "Kontakt os",
    ]


def test_offsets_follow_the_text_when_leading_whitespace_is_stripped():
    page = read_html(
        b"<html><body>\n\n  <nav>Forside</nav>\n<p>Tekst.</p><footer>Kontakt</footer>\n"
        b"</body></html>"
    )

    assert page.text == "Forside\n\nTekst.\n\nKontakt"
    assert page.hints == [(0, 9, "menu"), (17, 26, "footer")]


def test_charset_named_in_the_page_decodes_it():
    page = read_html(b'<meta charset="iso-8859-1"><p>Caf\xe9 i lejren</p>')

    assert page.text == "Café i lejren"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            "Flygtninge fortæller om forholdene i lejren.\n\nDer mangler vand.\n".encode(),
            "the file has no HTML markup (save it as .txt if it is plain text)",
            id="no-markup",
        ),
        pytest.param(
            b"<html><body><script>alert(1)</script></body></html>",
            "the HTML has no visible text",
            id="no-visible-text",
        ),
    ],
)
def test_a_page_without_markup_or_visible_text_is_refused(data, message):
    with pytest.raises(ExtractError) as caught:
        read_html(data)

    assert str(caught.value) == message


PAGE = (
    '<!doctype html><html lang="da"><head><meta charset="utf-8">'
    "<title>Lejrene i nord | Nyhedssiden</title>"
    '<meta property="article:published_time" content="2019-02-10T20:59:00+01:00">'
    '<script>window.track = "lejrene";</script><style>p { color: red }</style></head>'
    '<body><nav><a href="/">Forside</a> <a href="/syrien">Syrien</a></nav>'
    '<div class="cookie-consent"><p>Vi bruger cookies for at forbedre din oplevelse.</p></div>'
    "<article><h1>Flygtningelejren ved al-Hol er overfyldt</h1>"
    "<p>Over 70.000 mennesker bor nu i lejren, og de fleste af dem er kvinder og børn.</p>"
    "<p>Ifølge Røde Kors mangler familierne både rent vand, telte og lægehjælp i lejren.</p>"
    "</article><footer><p>Kontakt redaktionen</p></footer></body></html>"
).encode()


def test_ingested_page_takes_its_title_and_date_and_flags_the_marked_passages(db):
    result = bilag_ingest(name="lejr.html", data=PAGE, metadata={"country": "SY"})

    assert result.outcome == ADDED, result.line()
    bilag = result.bilag
    assert (bilag.kind, bilag.title, bilag.language) == (
        "html",
        "Flygtningelejren ved al-Hol er overfyldt",
        "da",
    )
    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 2, 10), "day")
    passages = list(bilag.passages.order_by("ordinal"))
    assert [(p.ordinal, p.boilerplate, p.boilerplate_kind, p.text) for p in passages] == [
        (1, True, "menu", "Forside Syrien"),
        (2, True, "cookie", "Vi bruger cookies for at forbedre din oplevelse."),
        (3, False, "", "Flygtningelejren ved al-Hol er overfyldt"),
        (
            4,
            False,
            "",
            "Over 70.000 mennesker bor nu i lejren, og de fleste af dem er kvinder og børn.",
        ),
        (
            5,
            False,
            "",
            "Ifølge Røde Kors mangler familierne både rent vand, telte og lægehjælp i lejren.",
        ),
        (6, True, "footer", "Kontakt redaktionen"),
    ]
    assert [p.text for p in passages if p.text != bilag.full_text[p.start : p.end]] == []
    assert "window.track" not in bilag.full_text
    with bilag.original.open("rb") as stored:
        assert stored.read() == PAGE
