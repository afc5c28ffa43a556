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

from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from library.countries import country_name
from library.models import CONTENT_LANGUAGES, Bilag, Passage, PassageTopic, Publisher, Topic
from library.search import highlight
from library.search.backends import backend
from library.search.filters import SORTS, PassageSearchFilter
from library.search.query import Query, QueryError, parse
from library.topics import compiled_topics, expansion_topics

PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 10_000  # exact counts up to here; estimates past it (PostgreSQL)
ESTIMATE_AT = 2 * COUNT_CAP  # planner's row estimate past which the exact count is skipped
SAMPLE_PERCENT = 1.0
RUM_AT = 30_000  # (estimated) matches past which RUM order beats ranking them all
MAX_PAGED = 10_000  # hits reachable by paging; narrow the search for more
VIA_CAP = 1_000  # passages found through a topic, counted and listed at most
PUBLISHER_FACET_SIZE = 15

_ORDERINGS = {
    "newest": ("-published", "-bilag_id", "ordinal"),
    "oldest": ("published", "bilag_id", "ordinal"),
    "intake": ("-intake", "-bilag_id", "ordinal"),
}
_FACET_FIELDS = {
    "country": "country",
    "language": "language",
    "publisher": "publisher_id",
    "status": "withdrawn",
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
    snippet_start: int  # where the snippet's text starts in the passage
    snippet_cut: bool  # whether the passage goes on after the snippet (shown with "…")
    rank: float | None
    topics: list[Topic] = dataclasses.field(default_factory=list)  # tagged, not rejected
    via_topics: list[Topic] = dataclasses.field(default_factory=list)  # found only so

    @property
    def bilag(self) -> Bilag:
        return self.passage.bilag

    @property
    def snippet_offset_utf16(self) -> int:
        """Where the snippet starts in UTF-16 units, as a browser counts (for citing)."""
        return len(self.passage.text[: self.snippet_start].encode("utf-16-le")) // 2


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
    expanded_topics: list[Topic] = dataclasses.field(default_factory=list)
    via_total: int = 0  # passages found only through a topic, after `total` direct ones
    via_more: bool = False  # more than VIA_CAP of them

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
            if name == "status":
                value = Bilag.Status.WITHDRAWN if value else Bilag.Status.CURRENT
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


LIVE_STATES = (PassageTopic.State.SUGGESTED, PassageTopic.State.CONFIRMED)


def _expansions(results: SearchResults) -> dict[int, QuerySet]:
    """{clause index: ids of passages tagged with a topic one of its words names}.

    A single word of a clause that is an entry of a topic's lexicon (in any language)
    lets the clause also be met by that topic's passages, suggested or confirmed, so
    "camp" finds Danish "lejr" and Norwegian "leir" passages of refugee-camps.
    """
    expansions = {}
    chosen: dict[int, None] = {}
    if len(results.query.required) != 1:
        return {}  # "camp syria": which clause a topic stands for is not clear
    topics = compiled_topics()
    for index, clause in enumerate(results.query.required):
        ids = {
            topic.id
            for term in clause
            if not term.prefix and not term.is_phrase
            for topic in expansion_topics(term.words[0], topics)
        }
        if ids:
            expansions[index] = PassageTopic.objects.filter(
                topic_id__in=ids, state__in=LIVE_STATES
            ).values("passage_id")
            chosen |= dict.fromkeys(sorted(ids))
    results.expanded_topics = list(Topic.objects.filter(id__in=chosen))
    return expansions


def _topic_only(engine, base, compiled, expansions) -> QuerySet:
    """Passages tagged with a topic the query names that its words do not find (and that
    hold none of its left-out words). Listed after the direct matches, never ranked
    among them; only for a query of one clause (lejr, lejr OR leir, lejr -Irak)."""
    tagged = Q()
    for ids in expansions.values():
        tagged |= Q(id__in=ids)
    found = base.filter(tagged).exclude(engine.text_q(compiled))
    for left_out in compiled.excluded:
        found = found.exclude(engine.text_q(left_out))
    return found


def _live_tags(passage_ids) -> dict[int, list[Topic]]:
    tags: dict[int, list[Topic]] = {}
    for tag in (
        PassageTopic.objects.filter(passage_id__in=passage_ids, state__in=LIVE_STATES)
        .select_related("topic")
        .order_by("topic__slug")
    ):
        tags.setdefault(tag.passage_id, []).append(tag.topic)
    return tags


def _topic_facet(matches, filterset, rows=None) -> list[FacetValue]:
    """Matches per topic (suggested or confirmed tags); `rows` when already counted."""
    chosen = filterset.form.cleaned_data.get("topic") if filterset.form.is_valid() else None
    if rows is None:
        rows = list(
            PassageTopic.objects.filter(passage_id__in=matches.values("id"), state__in=LIVE_STATES)
            .values_list("topic")
            .annotate(n=Count("id"))
        )
    rows = sorted(rows, key=lambda row: -row[1])
    topics = Topic.objects.in_bulk([row[0] for row in rows])
    return [
        FacetValue(
            value=topics[topic_id].slug,
            label=topics[topic_id].name,
            count=count,
            selected=chosen is not None and chosen.pk == topic_id,
        )
        for topic_id, count in rows
        if topic_id in topics
    ]


def _facet_rows(matches) -> QuerySet:
    """(country, language, publisher, withdrawn, count) for every combination matched."""
    return matches.values(*_FACET_FIELDS.values()).annotate(n=Count("id")).order_by()


# The shown page's order as SQL over the single pass's columns (same as _ORDERINGS).
_PAGE_ORDER_SQL = {
    "relevance": "r DESC, id",
    **{
        sort: ", ".join(f"{f[1:]} DESC" if f.startswith("-") else f for f in fields)
        for sort, fields in _ORDERINGS.items()
    },
}


@dataclasses.dataclass
class _Counted:
    facet_rows: list[tuple]
    scale: float = 1.0
    estimated: bool = False
    page_rows: list[tuple] | None = None  # (id, rank) of the requested page, when known
    topic_rows: list[tuple] | None = None  # (topic id, count), when the pass counted them


def _count_and_page(engine, matches, compiled, sort, offset, limit) -> _Counted:
    """Count the matches, facet them, and where it is cheap find the page's ids too.

    Exact up to COUNT_CAP matches. On PostgreSQL that is one statement: the matches are
    read once (at most COUNT_CAP + 1 of them, ranked) and both the facets and the page
    come from that one read. Past the cap, total and facets are estimated from a page
    sample and the page is found separately (by RUM's rank order where installed). The
    planner's row estimate is asked first, so a word in a fifth of the library is never
    read row by row just to learn that it is common. SQLite always counts exactly.
    """
    if not engine.estimates:
        rows = [tuple(row.values()) for row in _facet_rows(matches)]
        return _Counted(rows)
    scale = 100.0 / SAMPLE_PERCENT
    if engine.planned_rows(matches) > ESTIMATE_AT:
        sample = engine.estimate(_facet_rows(matches), SAMPLE_PERCENT)
        if sum(row[-1] for row in sample) * scale > COUNT_CAP:
            return _Counted(sample, scale, estimated=True)
    columns = {f"f{i}": F(field) for i, field in enumerate(_FACET_FIELDS.values())}
    capped = matches.order_by().values(
        "id", "published", "intake", "bilag_id", "ordinal", **columns
    )
    count, rows, page_rows, topic_rows = engine.single_pass(
        capped,
        cap=COUNT_CAP,
        facets=[f"f{i}" for i in range(len(_FACET_FIELDS))],
        order=_PAGE_ORDER_SQL[sort],
        compiled=compiled,
        offset=offset,
        limit=limit,
    )
    if count > COUNT_CAP:
        return _Counted(engine.estimate(_facet_rows(matches), SAMPLE_PERCENT), scale, True)
    return _Counted(rows, page_rows=page_rows, topic_rows=topic_rows)


def passage_search(
    *,
    query: str = "",
    filters: Mapping | None = None,
    sort: str = "",
    page: int | str = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search passages; never raises for bad input (the result carries the message)."""
    with backend().session():
        return _search(query, filters, sort, page, per_page)


def _search(query, filters, sort, page, per_page) -> SearchResults:
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
    expansions = {}
    if results.query:
        compiled = engine.compile(results.query)
        if not compiled:
            results.error = _("The query has no words that can be searched.")
            return results
        expansions = _expansions(results)
        matches = engine.matching(matches, compiled)
    results.searched = True

    sort = sort if sort in dict(SORTS) else ""
    if not sort or (sort == "relevance" and not results.query):
        sort = "relevance" if results.query else "newest"
    results.sort = sort
    requested = _page_number(page, MAX_PAGED // results.per_page + 1)
    offset = (requested - 1) * results.per_page
    counted = _count_and_page(engine, matches, compiled, sort, offset, results.per_page)
    results.estimated = counted.estimated
    results.total = round(sum(row[-1] for row in counted.facet_rows) * counted.scale)
    if results.estimated:
        results.total = max(COUNT_CAP + 1, results.total)
    results.facets = _facets(counted.facet_rows, filterset, counted.scale)
    if not results.estimated:  # topic counts are exact or not shown
        results.facets["topic"] = _topic_facet(matches, filterset, counted.topic_rows)

    topic_only = None
    if expansions and not results.estimated and results.total < MAX_PAGED:
        topic_only = _topic_only(engine, filterset.qs, compiled, expansions)
        found = topic_only.values("id")[: VIA_CAP + 1].count()
        results.via_total, results.via_more = min(found, VIA_CAP), found > VIA_CAP

    shown = results.total + results.via_total
    results.num_pages = math.ceil(min(shown, MAX_PAGED) / results.per_page)
    results.page = _page_number(page, results.num_pages)
    rows = counted.page_rows
    if rows is None or results.page != requested:
        if sort == "relevance":
            # RUM's ranked index order pays off only for many matches, more so with
            # phrases (RUM checks positions slowly); fewer are ranked faster by ts_rank
            # after the bitmap intersection (bench/README.md has the figures).
            phrase = any(term.is_phrase for term in results.query.positive_terms())
            by_index = results.total > (3 * RUM_AT if phrase else RUM_AT)
            offset = (results.page - 1) * results.per_page
            rows = engine.ranked_page(
                matches, compiled, broad=by_index, offset=offset, limit=results.per_page
            )
        else:
            ordered = matches.order_by(*_ORDERINGS[sort])
            offset = (results.page - 1) * results.per_page
            rows = list(ordered.values_list("id")[offset : offset + results.per_page])
    found_through = set()
    first = (results.page - 1) * results.per_page
    if topic_only is not None and first + results.per_page > results.total:
        # The topic's passages follow every direct match, oldest tag first.
        skip = max(0, first - results.total)
        extra = list(
            topic_only.order_by("id").values_list("id", flat=True)[
                skip : skip + results.per_page - len(rows)
            ]
        )
        rows = list(rows) + [(pk, 0.0) for pk in extra]
        found_through = set(extra)
    page_ids = [r[0] for r in rows]
    passages = Passage.objects.select_related("bilag__publisher").in_bulk(page_ids)
    tags = _live_tags(page_ids)
    widened = {t.id for t in results.expanded_topics}
    results.hits = []
    for row in rows:
        passage = passages.get(row[0])
        if passage is None:
            continue
        snippet, snippet_start, snippet_end = highlight.snippet_window(
            passage.text, passage.language, results.query
        )
        results.hits.append(
            Hit(
                passage=passage,
                snippet=snippet,
                snippet_start=snippet_start,
                snippet_cut=snippet_end < len(passage.text),
                rank=row[1] if sort == "relevance" and len(row) > 1 else None,
                topics=tags.get(row[0], []),
                via_topics=[
                    t for t in tags.get(row[0], []) if row[0] in found_through and t.id in widened
                ],
            )
        )
    return results
