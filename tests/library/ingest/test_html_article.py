"""Web pages as they really come: the article found by trafilatura, everything else of
the page kept as flagged boilerplate, no page with an article refused."""

import datetime as dt

import pytest

from library.ingest.services import bilag_ingest

pytestmark = pytest.mark.django_db

ARTICLE = [
    "Thousands of women and children are still held in the al-Hol camp in north-east "
    "Syria, more than a year after the last territory of the Islamic State fell.",
    "Aid workers say the water supply has broken down again this week, and that the "
    "clinics in the camp can only treat the most serious cases of illness.",
    "The Kurdish-led administration has asked the home countries of the foreign women "
    "to take them back, but few governments have answered the request so far.",
]


def page(body: str, *, body_attrs: str = "", head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>Al-Hol camp | World News</title>{head}</head>"
        f"<body {body_attrs}>{body}</body></html>"
    ).encode()


def article_html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"<article><h1>Women and children still held in al-Hol</h1>{paragraphs}</article>"


def ingest(data: bytes):
    result = bilag_ingest(
        name="page.html",
        data=data,
        metadata={"country": "SY", "published": "2020-05"},
        today=dt.date(2026, 11, 1),
    )
    assert result.outcome == "added", result.message
    return result.bilag


def content(bilag) -> list[str]:
    return list(
        bilag.passages.filter(boilerplate=False).order_by("ordinal").values_list("text", flat=True)
    )


def kinds(bilag) -> dict[str, str]:
    return dict(bilag.passages.values_list("text", "boilerplate_kind"))


def test_a_body_whose_class_names_a_menu_and_a_cookie_state_keeps_its_article():
    bilag = ingest(
        page(
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>" + article_html(),
            body_attrs='class="menu-type-dropdownmenu cookies-not-set"',
        )
    )

    assert content(bilag)[-3:] == ARTICLE
    assert kinds(bilag)["Home World"] != ""


def test_a_top_stories_heading_above_the_article_does_not_make_it_footer():
    bilag = ingest(
        page(
            "<section><h2>Top Stories</h2><ul><li><a href='/a'>Markets fall</a></li>"
            "<li><a href='/b'>Storm in the north</a></li></ul></section>" + article_html()
        )
    )

    assert content(bilag)[-3:] == ARTICLE
    assert kinds(bilag)["Top Stories"] != ""


def test_comments_related_stories_and_advertisement_lines_are_flagged():
    bilag = ingest(
        page(
            article_html()
            + "<p>Advertisement</p>"
            + "<section class='related'><h2>Related stories</h2>"
            "<p><a href='/c'>Camps in Iraq close as families return to Mosul</a></p></section>"
            + "<section id='comments'><h3>Comments</h3>"
            "<div class='comment'><p>John, 3 hours ago: This is terrible, someone should "
            "do something about these camps right now.</p></div></section>"
        )
    )

    assert ARTICLE[0] in content(bilag) and ARTICLE[2] in content(bilag)
    flagged = {text for text, kind in kinds(bilag).items() if kind}
    assert "Advertisement" in flagged
    assert any(text.startswith("John, 3 hours ago") for text in flagged)
    assert "Camps in Iraq close as families return to Mosul" in flagged
    # nothing is thrown away: every visible text is in the bilag
    assert "This is terrible" in bilag.full_text


def test_an_article_hidden_twice_for_search_engines_is_read_once():
    hidden = "<div style='display: none'>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</div>"
    bilag = ingest(page(article_html() + hidden))

    assert bilag.full_text.count(ARTICLE[0]) == 1


def test_the_page_metadata_gives_title_date_and_a_publisher_hint():
    result = bilag_ingest(
        name="page.html",
        data=page(
            article_html().replace("<h1>Women and children still held in al-Hol</h1>", ""),
            head='<meta property="og:title" content="Women still held in al-Hol">'
            '<meta property="og:site_name" content="World News">'
            '<meta property="article:published_time" content="2020-05-04T08:00:00Z">',
        ),
        metadata={"country": "SY"},
        today=dt.date(2026, 11, 1),
    )

    assert result.outcome == "added", result.message
    bilag = result.bilag
    assert bilag.title == "Women still held in al-Hol"
    assert (bilag.published, bilag.published_precision) == (dt.date(2020, 5, 4), "day")
    assert bilag.publisher.name == "World News"
