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
from django.utils.translation import gettext as _

from library.countries import country_name
from library.languages import CONTENT_LANGUAGES
from library.models import Bilag, Passage, PassageTopic, Publisher, Topic
from library.search import highlight
from library.search.backends import backend
from library.search.filters import SORTS, PassageSearchFilter
from library.search.query import QueryError, parse
from library.search.results import MAX_PAGED, PER_PAGE, FacetValue, Hit, SearchResults
from library.topics.matching import compiled_topics, expansion_topics

MAX_PER_PAGE = 100
COUNT_CAP = 10_000  # exact counts up to here; estimates past it (PostgreSQL)
ESTIMATE_AT = 2 * COUNT_CAP  # planner's row estimate past which the exact count is skipped
SAMPLE_PERCENT = 1.0
RUM_AT = 30_000  # (estimated) matches past which RUM order beats ranking them all
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
            tagged = PassageTopic.objects.live().filter(topic_id__in=ids)
            expansions[index] = tagged.values("passage_id")
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
        PassageTopic.objects.live()
        .filter(passage_id__in=passage_ids)
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
            PassageTopic.objects.live()
            .filter(passage_id__in=matches.values("id"))
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
    results, filterset = _prepare(query, filters, per_page)
    if results.error or (results.query is None and not filterset.is_filtering()):
        return results  # a message, or nothing asked yet (the page shows the search form)
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
    results.sort = _sort(sort, results)
    requested = _page_number(page, MAX_PAGED // results.per_page + 1)
    offset = (requested - 1) * results.per_page
    counted = _count_and_page(engine, matches, compiled, results.sort, offset, results.per_page)
    _totals(results, counted, matches, filterset)
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
        rows = _page_rows(engine, results, matches, compiled)
    rows, found_through = _with_topic_only(results, rows, topic_only)
    results.hits = _hits(results, rows, found_through)
    return results


def _prepare(query, filters, per_page) -> tuple[SearchResults, PassageSearchFilter]:
    """The filters read and the query parsed; a message on the results if either is bad."""
    base = Passage.objects.filter(boilerplate=False)
    filterset = PassageSearchFilter(filters or {}, queryset=base)
    results = SearchResults(filterset=filterset, raw_query=query or "")
    results.per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    if not filterset.is_valid():
        results.error = _filter_error(filterset)
    elif query and query.strip():
        try:
            results.query = parse(query)
        except QueryError as exc:
            results.error = str(exc)
    return results, filterset


def _sort(sort: str, results: SearchResults) -> str:
    """The sort asked for if it applies; relevance for a query, newest for browsing."""
    sort = sort if sort in dict(SORTS) else ""
    if not sort or (sort == "relevance" and not results.query):
        sort = "relevance" if results.query else "newest"
    return sort


def _totals(results: SearchResults, counted: "_Counted", matches, filterset) -> None:
    results.estimated = counted.estimated
    results.total = round(sum(row[-1] for row in counted.facet_rows) * counted.scale)
    if results.estimated:
        results.total = max(COUNT_CAP + 1, results.total)
    results.facets = _facets(counted.facet_rows, filterset, counted.scale)
    if not results.estimated:  # topic counts are exact or not shown
        results.facets["topic"] = _topic_facet(matches, filterset, counted.topic_rows)


def _page_rows(engine, results: SearchResults, matches, compiled) -> list[tuple]:
    """(id, rank) of the shown page's direct matches, when the count did not find them."""
    offset = (results.page - 1) * results.per_page
    if results.sort == "relevance":
        # RUM's ranked index order pays off only for many matches, more so with
        # phrases (RUM checks positions slowly); fewer are ranked faster by ts_rank
        # after the bitmap intersection (bench/README.md has the figures).
        phrase = any(term.is_phrase for term in results.query.positive_terms())
        by_index = results.total > (3 * RUM_AT if phrase else RUM_AT)
        return engine.ranked_page(
            matches, compiled, broad=by_index, offset=offset, limit=results.per_page
        )
    ordered = matches.order_by(*_ORDERINGS[results.sort])
    return list(ordered.values_list("id")[offset : offset + results.per_page])


def _with_topic_only(results: SearchResults, rows, topic_only) -> tuple[list, set[int]]:
    """The page's rows, then the topic's passages that follow every direct match (oldest
    tag first) where the page reaches past them; and the ids found through a topic."""
    first = (results.page - 1) * results.per_page
    if topic_only is None or first + results.per_page <= results.total:
        return list(rows), set()
    skip = max(0, first - results.total)
    extra = list(
        topic_only.order_by("id").values_list("id", flat=True)[
            skip : skip + results.per_page - len(rows)
        ]
    )
    return list(rows) + [(pk, 0.0) for pk in extra], set(extra)


def _hits(results: SearchResults, rows, found_through: set[int]) -> list[Hit]:
    """The page's passages loaded (one query, plus one for their tags), with snippets."""
    page_ids = [r[0] for r in rows]
    passages = Passage.objects.select_related("bilag__publisher").in_bulk(page_ids)
    tags = _live_tags(page_ids)
    widened = {t.id for t in results.expanded_topics}
    hits = []
    for row in rows:
        passage = passages.get(row[0])
        if passage is None:
            continue
        snippet, snippet_start, snippet_end = highlight.snippet_window(
            passage.text, passage.language, results.query
        )
        hits.append(
            Hit(
                passage=passage,
                snippet=snippet,
                snippet_start=snippet_start,
                snippet_cut=snippet_end < len(passage.text),
                rank=row[1] if results.sort == "relevance" and len(row) > 1 else None,
                topics=tags.get(row[0], []),
                via_topics=[
                    t for t in tags.get(row[0], []) if row[0] in found_through and t.id in widened
                ],
            )
        )
    return hits
