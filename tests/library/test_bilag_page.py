"""The bilag page reads calmly: boilerplate folded in runs ("7 lines of boilerplate"),
passages labelled "afsnit N" (never "§ N"), a counts line that cannot be misread, and a
find box that also works without JavaScript (?find=…), its words escaped."""

import copy
import re

import pytest
from django.conf import settings

from library import bilag_page, extensions
from library.models import Passage
from tests.factories import BilagFactory
from tests.library.pages import SEED_004, ingest_seed

_RUN = re.compile(r'<li class="boilerplate-run">\s*<details( open)?><summary>(.*?)</summary>', re.S)
_RUN_ITEMS = re.compile(r'<ol class="boilerplate-passages">(.*?)</ol>', re.S)
_ITEM_ID = re.compile(r'<li id="p(\d+)" value="\d+" class="passage( boilerplate)?">')
_LABEL = re.compile(r'<a class="anchor" href="#p(\d+)" title="[^"]*">([^<]*)</a>')


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def five_passages(db):
    """Bilag 4100: content, three boilerplate in a row, content."""
    bilag = BilagFactory(
        number=4100,
        full_text="First real paragraph.\n\nCookie one.\n\nMenu two.\n\nShare three.\n\nLast one.",
    )
    bilag.passages.filter(ordinal__in=[2, 3, 4]).update(boilerplate=True)
    bilag.passages.filter(ordinal=2).update(boilerplate_kind="cookie")
    bilag.passages.filter(ordinal=3).update(boilerplate_kind="menu")
    return bilag


def test_three_boilerplate_passages_in_a_row_fold_into_one_line(caseworker_client, five_passages):
    page = _english(caseworker_client).get("/bilag/4100/").content.decode()

    runs = _RUN.findall(page)
    assert len(runs) == 1
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", runs[0][1])) == (
        "3 lines of boilerplate (passages 2–4)"
    )
    (inside,) = _RUN_ITEMS.findall(page)
    assert [int(n) for n, _b in _ITEM_ID.findall(inside)] == [2, 3, 4]
    assert "cookie notice" in inside and "menu" in inside
    # Every passage keeps its anchor, in reading order, the folded ones too.
    assert [int(n) for n, _b in _ITEM_ID.findall(page)] == [1, 2, 3, 4, 5]


def test_seed_863_opens_with_one_fold_of_seven_lines_in_danish(caseworker_client, db):
    bilag = ingest_seed(SEED_004)
    flags = list(bilag.passages.order_by("ordinal").values_list("boilerplate", flat=True))
    expected_runs = []
    for index, flag in enumerate(flags):
        if flag and (index == 0 or not flags[index - 1]):
            expected_runs.append(0)
        if flag:
            expected_runs[-1] += 1

    page = caseworker_client.get("/bilag/863/").content.decode()

    runs = [re.sub(r"<[^>]+>", "", summary) for _open, summary in _RUN.findall(page)]
    assert [int(summary.split()[0]) for summary in runs] == expected_runs
    assert runs[0].startswith("7 linjer standardtekst")
    assert page.count("<details") - page.count('class="tag-add"') == len(expected_runs)
    # The first thing after the fold is afsnit 8, the bilag's headline.
    assert _LABEL.findall(page)[7] == ("8", "afsnit 8")


def test_passages_are_labelled_afsnit_not_paragraph_sign(caseworker_client, five_passages):
    page = caseworker_client.get("/bilag/4100/").content.decode()

    assert _LABEL.findall(page) == [(str(n), f"afsnit {n}") for n in range(1, 6)]
    assert "§" not in page


def test_passages_are_labelled_passage_in_english(caseworker_client, five_passages):
    page = _english(caseworker_client).get("/bilag/4100/").content.decode()

    assert _LABEL.findall(page)[0] == ("1", "passage 1")


def test_a_pdf_passage_shows_its_page(caseworker_client, five_passages):
    Passage.objects.filter(bilag=five_passages, ordinal=5).update(page=3)

    page = caseworker_client.get("/bilag/4100/").content.decode()

    assert '>afsnit 5</a> <span class="page">s. 3</span>' in page


def test_counts_line_says_lines_of_boilerplate_are_folded(caseworker_client, db):
    ingest_seed(SEED_004)

    danish = caseworker_client.get("/bilag/863/").content.decode()
    english = _english(caseworker_client).get("/bilag/863/").content.decode()

    assert "19 afsnit · 21 linjer standardtekst foldet sammen" in danish
    assert "med standardtekst" not in danish
    assert "19 passages · 21 lines of boilerplate folded away" in english


def test_counts_line_without_boilerplate_says_only_the_passages(caseworker_client, db):
    BilagFactory(number=4101)

    page = caseworker_client.get("/bilag/4101/").content.decode()

    assert '<span class="bilag-counts">2 afsnit</span>' in page


def test_cited_span_still_marks_and_opens_its_fold(caseworker_client, five_passages):
    page = caseworker_client.get("/bilag/4100/", {"p": 3, "from": 0, "to": 4}).content.decode()

    assert '<mark class="cited">Menu</mark> two.' in page
    assert [opened for opened, _summary in _RUN.findall(page)] == [" open"]


def test_search_words_are_still_marked(caseworker_client, five_passages):
    page = caseworker_client.get("/bilag/4100/", {"q": "paragraph"}).content.decode()

    assert "First real <mark>paragraph</mark>." in page


# --- find in this bilag (the server's part, for browsers without JavaScript) ----------


def test_find_marks_every_match_ignoring_case_and_counts_them(caseworker_client, five_passages):
    response = _english(caseworker_client).get("/bilag/4100/", {"find": "ONE"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'Cookie <mark class="find">one</mark>.' in page
    assert 'Last <mark class="find">one</mark>.' in page
    assert "2 matches for “ONE”" in page
    assert '<a href="#p2">go to the first</a>' in page
    # The match in folded boilerplate opens its fold.
    assert [opened for opened, _summary in _RUN.findall(page)] == [" open"]
    assert 'value="ONE"' in page


def test_find_without_a_match_says_so(caseworker_client, five_passages):
    page = _english(caseworker_client).get("/bilag/4100/", {"find": "absent"}).content.decode()

    assert "No match for “absent”" in page
    assert '<mark class="find">' not in page


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "one' onfocus='alert(1)"],
)
def test_find_escapes_the_query_everywhere(caseworker_client, five_passages, payload):
    page = caseworker_client.get("/bilag/4100/", {"find": payload}).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "onfocus='alert" not in page
    assert page.count("<script") == page.count("<script src=")


def test_find_in_a_hostile_text_marks_escaped_pieces(caseworker_client, db):
    BilagFactory(number=4102, full_text="A <b>bold</b> claim & more.\n\nSecond part.")

    page = caseworker_client.get("/bilag/4102/", {"find": "<b>bold"}).content.decode()

    assert 'A <mark class="find">&lt;b&gt;bold</mark>&lt;/b&gt; claim &amp; more.' in page


def test_find_and_search_marks_overlap_without_changing_the_text():
    text = "Civilians fled the camp & the town."
    marks = [(0, 9, bilag_page.QUERY), (4, 14, bilag_page.FOUND), (10, 14, bilag_page.CITED)]

    html = bilag_page.render(text, marks)

    assert html == (
        '<mark>Civi</mark><mark class="find">lians</mark><mark class="find"> </mark>'
        '<mark class="cited find">fled</mark> the camp &amp; the town.'
    )
    assert re.sub(r"<[^>]+>", "", html).replace("&amp;", "&") == text


def test_find_term_is_trimmed_and_cut(rf):
    request = rf.get("/", {"find": "  lejr   i  \n nord " + "x" * 200})

    term = bilag_page.find_term(request)

    assert term.startswith("lejr i nord x")
    assert len(term) == bilag_page.FIND_MAX_LENGTH


def test_find_matches_across_line_breaks():
    assert bilag_page.found_spans("the camp\nin the north", "camp in") == [(4, 11)]
    assert bilag_page.found_spans("anything", "") == []


def test_page_loads_its_own_stylesheet_and_script(caseworker_client, five_passages):
    page = caseworker_client.get("/bilag/4100/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/bilag.css">' in page
    assert '<script src="/static/js/bilag.js" defer></script>' in page
    assert 'style="' not in page


# --- the extension point's panel --------------------------------------------------------


@pytest.fixture
def panel_probe(settings, tmp_path):
    """An extension with a panel of its own, showing what its annotate returned."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "_panel.html").write_text(
        '<p class="probe-panel">{% for o in panel %}{{ o }};{% endfor %}</p>'
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates

    def annotate(request, passages):
        return [f"<i>{p.ordinal}</i>" for p in passages]

    extensions.register(
        extensions.PassageExtension(
            name="panel-probe", panel_template="probe/_panel.html", annotate=annotate
        )
    )
    yield
    extensions.unregister("panel-probe")


def test_an_extension_panel_is_rendered_once_on_the_bilag_page(caseworker_client, panel_probe):
    BilagFactory(number=4103)

    page = caseworker_client.get("/bilag/4103/").content.decode()
    search = caseworker_client.get("/", {"q": "camp"}).content.decode()

    assert page.count('<p class="probe-panel">&lt;i&gt;1&lt;/i&gt;;&lt;i&gt;2&lt;/i&gt;;</p>') == 1
    assert page.index("probe-panel") < page.index("data-passages")
    assert "probe-panel" not in search
