"""`passage_search`: the one entry point to search, for the page, the API and the benchmark.

Order of work, so the cost follows the page and not the size of the library:
1. filters (django-filter) and the parsed query make one queryset of matching passages;
2. the number of matches, and the facet counts, come from one GROUP BY over them. On
   PostgreSQL the matches are first counted up to COUNT_CAP; past it, total and facets
   are estimated from a repeatable page sample and shown as estimates;
3. the ids of the shown page only are fetched in rank (or date) order;
4. those passages are loaded and their snippets highlighted.
"""

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping

from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from library.countries import country_name
from library.models import CONTENT_LANGUAGES, Bilag, Passage, Publisher
from library.search import highlight
from library.search.backends import backend
from library.search.filters import SORTS, PassageSearchFilter
from library.search.query import Query, QueryError, parse

PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 10_000  # exact counts up to here; estimates past it (PostgreSQL)
SAMPLE_PERCENT = 2.0  # share of the passage table's pages sampled for an estimate
MAX_PAGED = 10_000  # hits reachable by paging; narrow the search for more
PUBLISHER_FACET_SIZE = 15

_ORDERINGS = {
    "newest": ("-bilag__published", "-bilag__number", "ordinal"),
    "oldest": ("bilag__published", "bilag__number", "ordinal"),
    "intake": ("-bilag__intake", "-bilag__number", "ordinal"),
}
_FACET_FIELDS = {
    "country": "bilag__country",
    "language": "language",
    "publisher": "bilag__publisher_id",
    "status": "bilag__status",
}


@dataclasses.dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    href: str = ""  # set by the page


@dataclasses.dataclass
class Hit:
    passage: Passage
    snippet: SafeString
    rank: float | None

    @property
    def bilag(self) -> Bilag:
        return self.passage.bilag


@dataclasses.dataclass
class SearchResults:
    filterset: PassageSearchFilter
    raw_query: str = ""
    query: Query | None = None
    sort: str = "relevance"
    error: str = ""
    searched: bool = False
    hits: list[Hit] = dataclasses.field(default_factory=list)
    total: int = 0
    estimated: bool = False
    facets: dict[str, list[FacetValue]] = dataclasses.field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    num_pages: int = 0

    @property
    def notices(self) -> list[str]:
        if self.query and self.query.ignored:
            return [
                _("Too common to search for, left out: %(words)s")
                % {"words": ", ".join(self.query.ignored)}
            ]
        return []

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)

    @property
    def capped(self) -> bool:
        """More hits than paging reaches."""
        return self.total > MAX_PAGED

    @cached_property
    def sort_choices(self):
        return SORTS


def _page_number(value, num_pages: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), max(num_pages, 1))


def _filter_error(filterset: PassageSearchFilter) -> str:
    problems = []
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        problems.append(f"{label}: {' '.join(errors)}")
    return "; ".join(problems)


def _facets(rows, filterset: PassageSearchFilter, scale: float = 1.0):
    counters = {name: Counter() for name in _FACET_FIELDS}
    for row in rows:
        *values, count = row
        for name, value in zip(_FACET_FIELDS, values, strict=True):
            counters[name][value] += count
    chosen = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    languages = dict(CONTENT_LANGUAGES)
    statuses = dict(Bilag.Status.choices)
    publisher_ids = [pk for pk, _n in counters["publisher"].most_common(PUBLISHER_FACET_SIZE)]
    publishers = Publisher.objects.in_bulk([pk for pk in publisher_ids if pk is not None])

    def label(name, value):
        if name == "country":
            return country_name(value)
        if name == "language":
            return str(languages.get(value, value))
        if name == "publisher":
            return publishers[value].name if value in publishers else _("unknown")
        return str(statuses.get(value, value))

    def selected(name, value):
        if name == "publisher":
            return chosen.get("publisher") is not None and chosen["publisher"].pk == value
        if name == "status":
            return False
        return chosen.get(name) == value

    facets = {}
    for name, counter in counters.items():
        size = PUBLISHER_FACET_SIZE if name == "publisher" else None
        facets[name] = [
            FacetValue(
                value="" if value is None else str(value),
                label=label(name, value),
                count=round(count * scale),
                selected=selected(name, value),
            )
            for value, count in counter.most_common(size)
        ]
    return facets


def passage_search(
    *,
    query: str = "",
    filters: Mapping | None = None,
    sort: str = "",
    page: int | str = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search passages; never raises for bad input (the result carries the message)."""
    base = Passage.objects.filter(boilerplate=False)
    filterset = PassageSearchFilter(filters or {}, queryset=base)
    results = SearchResults(filterset=filterset, raw_query=query or "")
    results.per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    if not filterset.is_valid():
        results.error = _filter_error(filterset)
        return results
    if query and query.strip():
        try:
            results.query = parse(query)
        except QueryError as exc:
            results.error = str(exc)
            return results
    elif not filterset.is_filtering():
        return results  # nothing asked yet: the page shows the search form

    engine = backend()
    matches = filterset.qs
    compiled = ""
    if results.query:
        compiled = engine.compile(results.query)
        if not compiled:
            results.error = _("The query has no words that can be searched.")
            return results
        matches = engine.matching(matches, compiled)
    results.searched = True

    facet_rows = matches.values(*_FACET_FIELDS.values()).annotate(n=Count("id")).order_by()
    scale = 1.0
    if engine.estimates and matches.order_by().values("id")[: COUNT_CAP + 1].count() > COUNT_CAP:
        rows = engine.estimate(facet_rows, SAMPLE_PERCENT)
        scale = 100.0 / SAMPLE_PERCENT
        results.estimated = True
        results.total = max(COUNT_CAP + 1, round(sum(row[-1] for row in rows) * scale))
    else:
        rows = [tuple(row.values()) for row in facet_rows]
        results.total = sum(row[-1] for row in rows)
    results.facets = _facets(rows, filterset, scale)

    sort = sort if sort in dict(SORTS) else ""
    if not sort or (sort == "relevance" and not results.query):
        sort = "relevance" if results.query else "newest"
    results.sort = sort
    if sort == "relevance":
        ordered = engine.ranked(matches, compiled)
        fields = ("id", "rank")
    else:
        ordered = matches.order_by(*_ORDERINGS[sort])
        fields = ("id",)

    results.num_pages = math.ceil(min(results.total, MAX_PAGED) / results.per_page)
    results.page = _page_number(page, results.num_pages)
    offset = (results.page - 1) * results.per_page
    rows = list(ordered.values_list(*fields)[offset : offset + results.per_page])
    passages = Passage.objects.select_related("bilag__publisher").in_bulk([r[0] for r in rows])
    results.hits = [
        Hit(
            passage=passages[row[0]],
            snippet=highlight.snippet(
                passages[row[0]].text, passages[row[0]].language, results.query
            ),
            rank=row[1] if len(row) > 1 else None,
        )
        for row in rows
        if row[0] in passages
    ]
    return results
