"""Highlighting (library.search.highlight): nothing from a bilag or a query becomes markup
in snippets, on the bilag page opened from a hit or in the echoed query; and snippets are
made only for the page shown."""

import re

import pytest

from library.search import highlight
from library.search.results import PER_PAGE
from tests.library.search.corpus import (
    HIT_REF,
    HOSTILE,
    SNIPPET,
    results_section,
    search,
    tag_names,
    unmarked,
)

pytestmark = pytest.mark.usefixtures("without_topics")


# --- security: nothing from a bilag or a query becomes markup -------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Words outside the markup: PostgreSQL's parser skips what looks like tags and
        # entities (see test_words_as_shown_are_found_on_every_database in
        # test_selectors_words.py), SQLite does not.
        ("leaflet", {"script", "img", "entity", "unterminated"}),
        ("onerror", {"img", "unterminated"}),
        ("literally", {"entity"}),
        ("leaflet -witnesses", {"img", "entity", "unterminated"}),
        # Markup in the query itself.
        ("witnesses OR <script>alert(1)</script>", {"script"}),
        ("<img src=x onerror=alert(1)>", {"img", "unterminated"}),
        ("<b>leaflet</b> OR literally", {"entity"}),
    ],
)
def test_snippets_never_carry_markup_from_text_or_query(hostile, english, query, expected):
    response = english.get("/", {"q": query})

    assert response.status_code == 200
    content = response.content.decode()
    section = results_section(response)
    refs = {hostile.name[(int(n), int(o))] for n, o in HIT_REF.findall(section)}
    assert refs == expected
    snippets = SNIPPET.findall(section)
    assert len(snippets) == len(expected)
    for snippet in snippets:
        assert tag_names(snippet) <= {"mark"}, snippet
    # The rest of the results section is the template's own markup only.
    assert tag_names(section) <= {"p", "a", "ol", "li", "span", "cite", "mark", "nav"}
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>" not in content
    if "entity" in expected:
        assert "&amp;lt;b&amp;gt;" in unmarked(section)

    body = english.get("/api/search", {"q": query}).json()
    assert {hostile.name[(h["bilag"], h["ordinal"])] for h in body["hits"]} == expected
    for hit in body["hits"]:
        assert tag_names(hit["snippet"]) <= {"mark"}, hit["snippet"]
        assert "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")
    entity = [
        h["snippet"] for h in body["hits"] if hostile.name[(h["bilag"], h["ordinal"])] == "entity"
    ]
    for snippet in entity:
        assert "&amp;lt;b&amp;gt;" in unmarked(snippet)


def test_bilag_page_from_a_hit_marks_words_safely(hostile, english):
    response = english.get(f"/bilag/{HOSTILE.number}/", {"q": "leaflet <script>alert(1)"})

    assert response.status_code == 200
    content = response.content.decode()
    texts = re.findall(r'<p class="passage-text"[^>]*>(.*?)</p>', content, re.S)
    assert len(texts) == len(HOSTILE.paragraphs)
    for text in texts:
        assert tag_names(text) <= {"mark"}, text
        assert "<mark>leaflet</mark>" in text
    assert "<mark>alert</mark>" in texts[0] and "<mark>script</mark>" in texts[0]
    assert "&amp;lt;b&amp;gt;" in texts[2]
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>bold</b>" not in content


def test_query_is_echoed_escaped(hostile, english):
    response = english.get("/", {"q": '"><script>alert(1)</script>'})

    content = response.content.decode()
    assert response.status_code == 400  # an unclosed quote: the page says so
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- cost: snippets only for the page shown -------------------------------------------------


def test_snippets_are_made_only_for_the_shown_page(wells, monkeypatch):
    calls = []
    real = highlight.snippet_window

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(highlight, "snippet_window", counting)

    results = search("wells", per_page=PER_PAGE)

    assert results.total == 25
    assert len(results.hits) == PER_PAGE
    assert len(calls) == PER_PAGE
    assert calls == [hit.passage.text for hit in results.hits]

    calls.clear()
    search("wells", page=2, per_page=PER_PAGE)
    assert len(calls) == 5
