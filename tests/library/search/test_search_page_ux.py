"""The search page as people meet it (issue 15): the notice of hits left out in withdrawn
bilag and its link, labels and landmarks, "passage N" (afsnit) in hits, dates in the UI
language's style, country names, and the hits before the filters in the page's source."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from library.search.selectors import passage_search
from tests.library.search.corpus import AF_WITHDRAWN, EN, HIT_REF, results_section

pytestmark = pytest.mark.usefixtures("without_topics")

NOTICE = re.compile(
    r'<p class="notice withdrawn-notice">(\d+) hits? in (?:a )?withdrawn bilag (?:is|are) not '
    r'shown — <a href="([^"]+)">show (?:it|them)</a></p>'
)


def _search(query="", **filters):
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    return results


def _withdrawn_hits(results) -> set[tuple[int, int]]:
    return {(h.bilag.number, h.passage.ordinal) for h in results.hits if h.bilag.is_withdrawn}


# --- the notice of hits in withdrawn bilag ---------------------------------------------------

# (query, filters, hits in withdrawn bilag). "camp": 2 current, 1 withdrawn; "Kabul": only
# withdrawn; "Kabul winter": no passage has both words in current bilag (the default search
# relaxes it), one withdrawn passage has both (the search with withdrawn bilag finds it and
# is not relaxed); country AF: browsing, every passage of the withdrawn bilag.
WITHDRAWN_CASES = [
    ("camp", {}, 1),
    ("Kabul", {}, 2),
    ("Kabul winter", {}, 1),
    ("", {"country": "AF"}, 2),
    ("camp", {"language": "en"}, 1),
]


@pytest.mark.parametrize(("query", "filters", "hidden"), WITHDRAWN_CASES)
def test_hidden_count_is_what_including_withdrawn_bilag_adds(corpus, query, filters, hidden):
    default = _search(query, **filters)
    with_withdrawn = _search(query, status="all", **filters)

    assert default.withdrawn_hidden == hidden
    assert len(_withdrawn_hits(with_withdrawn)) == hidden
    assert not _withdrawn_hits(default)


def test_relaxed_default_search_counts_what_the_search_with_withdrawn_finds(corpus):
    default = _search("Kabul winter")
    with_withdrawn = _search("Kabul winter", status="all")

    assert default.query.most and default.total >= 1  # relaxed: one of the two words
    assert not with_withdrawn.query.most  # one withdrawn passage has both
    assert default.withdrawn_hidden == with_withdrawn.total == 1


@pytest.mark.parametrize(("query", "filters", "hidden"), WITHDRAWN_CASES)
def test_notice_says_how_many_and_its_link_shows_them(corpus, english, query, filters, hidden):
    params = {"q": query, **filters} if query else dict(filters)
    page = english.get("/", params)

    ((count, href),) = NOTICE.findall(results_section(page))
    assert int(count) == hidden
    link = html.unescape(href)
    assert parse_qs(urlsplit(link).query)["status"] == ["all"]

    shown = english.get("/" + link)
    refs = {(int(n), int(o)) for n, o in HIT_REF.findall(results_section(shown))}
    assert len({ref for ref in refs if ref[0] == AF_WITHDRAWN.number}) == hidden
    assert "withdrawn-notice" not in shown.content.decode()


def test_link_keeps_the_query_and_filters_and_drops_the_page(corpus, english):
    page = english.get("/", {"q": "camp", "language": "en", "sort": "newest", "page": "1"})

    ((_count, href),) = NOTICE.findall(page.content.decode())
    query = parse_qs(urlsplit(html.unescape(href)).query)
    assert query == {"q": ["camp"], "language": ["en"], "sort": ["newest"], "status": ["all"]}


def test_no_notice_without_hits_in_withdrawn_bilag(corpus, english):
    assert _search("lejren").withdrawn_hidden == 0
    page = english.get("/", {"q": "lejren"}).content.decode()
    assert "2 passages" in page
    assert "withdrawn-notice" not in page


@pytest.mark.parametrize("status", ["all", "withdrawn"])
def test_no_notice_when_the_status_filter_includes_withdrawn(corpus, english, status):
    assert _search("camp", status=status).withdrawn_hidden == 0
    page = english.get("/", {"q": "camp", "status": status}).content.decode()
    assert "withdrawn-notice" not in page
    assert "not shown" not in page


def test_no_notice_before_a_search(corpus, english):
    page = english.get("/").content.decode()
    assert "withdrawn-notice" not in page


def test_danish_notice(corpus, caseworker_client):
    page = caseworker_client.get("/", {"q": "Kabul"}).content.decode()
    assert "2 træf i tilbagetrukne bilag vises ikke — <a" in page
    assert ">vis dem</a>" in page


# --- labels, landmarks, headings ---------------------------------------------------------


class _Controls(HTMLParser):
    """The page's form controls, labels, landmarks and headings, as a screen reader meets them."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: dict[str, str] = {}
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids[attrs["id"]] = tag
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def _read(page: str) -> _Controls:
    parser = _Controls()
    parser.feed(page)
    return parser


def _unlabelled(parser: _Controls) -> list[str]:
    return [
        control.get("name") or repr(control)
        for control in parser.controls
        if not (
            control.get("id") in parser.label_for
            or (control.get("aria-label") or "").strip()
            or control.get("aria-labelledby")
        )
    ]


@pytest.mark.parametrize(
    "params", [{}, {"q": "camp"}, {"q": "hajin", "country": "SY", "published_min": "2018-01-01"}]
)
def test_every_control_has_a_label(corpus, english, params):
    parser = _read(english.get("/", params).content.decode())

    names = {control.get("name") for control in parser.controls}
    assert {"q", "sort", "country", "publisher", "language", "number", "topic", "status"} <= names
    assert {"published_min", "published_max", "intake_min", "intake_max"} <= names
    assert _unlabelled(parser) == []


def test_date_ranges_have_distinct_labels(corpus, english):
    parser = _read(english.get("/", {"q": "camp"}).content.decode())

    labels = {c["name"]: c.get("aria-label") for c in parser.controls if "_m" in c["name"]}
    assert labels == {
        "published_min": "Published from",
        "published_max": "Published to",
        "intake_min": "Intake from",
        "intake_max": "Intake to",
    }


def test_labels_fail_for_an_unlabelled_control():
    """The label check itself: a control without label or aria-label is reported."""
    parser = _read('<label for="a">A</label><input id="a" name="a"><select name="b"></select>')
    assert _unlabelled(parser) == ["b"]


def test_landmarks_and_heading_order(corpus, english):
    page = english.get("/", {"q": "camp"}).content.decode()
    parser = _read(page)

    roles = [attrs.get("role") for _tag, attrs in parser.tags]
    assert roles.count("search") == 1
    asides = [attrs for tag, attrs in parser.tags if tag == "aside"]
    assert asides == [{"class": "filters", "id": "filters", "aria-label": "Filters"}]
    assert parser.headings[0] == 1 and parser.headings.count(1) == 1
    for before, after in zip(parser.headings, parser.headings[1:], strict=False):
        assert after <= before + 1, parser.headings  # no level skipped


def test_hits_come_before_the_filters_and_a_link_leads_to_them(corpus, english):
    page = english.get("/", {"q": "camp", "language": "en"}).content.decode()

    assert page.index('<ol class="hits"') < page.index('<aside class="filters" id="filters"')
    assert page.index('<div class="search-head" role="search">') < page.index('<ol class="hits"')
    assert '<a href="#filters">Filters (1 active)</a>' in page
    assert 'href="/static/css/search.css"' in page


def test_facet_counts_are_read_with_their_word(corpus, english):
    section = english.get("/", {"q": "camp"}).content.decode().split('class="facets"', 1)[1]

    assert (
        '<a href="?q=camp&amp;country=SY">Syria</a>\n'
        '            <span class="facet-count" aria-hidden="true">2</span>'
        '<span class="visually-hidden">2 passages</span>'
    ) in section


def test_a_chosen_facet_says_it_removes_the_filter(corpus, english):
    page = english.get("/", {"q": "camp", "country": "SY"}).content.decode()

    assert (
        '<a href="?q=camp" aria-current="true">Syria <span aria-hidden="true">✕</span>'
        '<span class="visually-hidden"> (Remove this filter)</span></a>'
    ) in page


def test_country_filter_offers_all_countries_first(corpus, english):
    """Without an empty first option the browser sent the first country with every search."""
    page = english.get("/", {"q": "camp"}).content.decode()

    select = re.search(r'<select id="id_country" name="country">(.*?)</select>', page).group(1)
    assert select.startswith('<option value="" selected>All countries</option>')
    for name in ("publisher", "language", "topic"):
        select = re.search(rf'<select id="id_{name}" name="{name}">(.*?)</select>', page).group(1)
        assert select.startswith('<option value="" selected>All '), name


def test_active_filters_are_counted(corpus):
    results = _search("camp", country="SY", language="en", published_min="2018-01-01")
    assert results.active_filters == 3
    assert _search("camp").active_filters == 0


# --- the hit line: "passage N", dates, names -------------------------------------------------


def test_hit_says_passage_not_section_sign(corpus, english):
    section = results_section(english.get("/", {"q": "hajin"}))

    assert f"Bilag {EN.number}, passage " in section
    assert "§" not in section


def test_hit_says_afsnit_in_danish(corpus, caseworker_client):
    section = results_section(caseworker_client.get("/", {"q": "hajin"}))

    assert f"Bilag {EN.number}, afsnit " in section
    assert "§" not in section


def test_hit_dates_in_english_style(corpus, english):
    section = results_section(english.get("/", {"q": "corridor"}))

    assert (
        'Syria · Published <span class="date">11 September 2018</span>'
        ' · Intake <span class="date">11 October 2018</span> · English'
    ) in section


def test_hit_dates_in_danish_style(corpus, caseworker_client):
    danish = results_section(caseworker_client.get("/", {"q": "corridor"}))

    assert 'Udgivet <span class="date">11. september 2018</span>' in danish
    assert 'Optaget <span class="date">11. oktober 2018</span>' in danish
    visible = re.sub(r"<[^>]+>", "", danish)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", visible), "an ISO date is shown"


def test_country_and_language_names_not_codes(corpus, english):
    page = english.get("/", {"q": "camp", "status": "all"}).content.decode()
    visible = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])

    assert "Afghanistan" in visible and "Syria" in visible and "English" in visible
    assert not re.search(r"(?<![\w-])(SY|AF|IQ|en|da|nb)(?![\w-])", visible)
