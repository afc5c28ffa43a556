"""`passage_search`: the one entry point to search, for the page, the API and the benchmark.

The filters are validated by django-filter and the query by library.search.query; both
become one Tantivy query (library.search.compile), and the index answers everything but
the shown passages themselves:
1. one aggregation gives the exact number of matches and every facet's counts;
2. one search gives the shown page's passage ids, by BM25 (ties by passage id) or by a
   date order's unique key;
3. the database loads those passages (one query, plus one for their tags) and their
   snippets are marked.
Passages found only through a topic a query word names follow the direct matches.
"""

import dataclasses
import logging
import math
from collections.abc import Mapping

import tantivy
from django.utils.translation import gettext as _

from library.countries import country_name
from library.languages import CONTENT_LANGUAGES
from library.models import Bilag, Passage, PassageTopic, Publisher, Topic
from library.search import compile as search_compile
from library.search import engine, highlight
from library.search import index as search_index
from library.search.filters import ALL, SORTS, WITHDRAWN, PassageSearchFilter
from library.search.query import NothingToSearch, QueryError, parse, relaxed
from library.search.results import MAX_PAGED, PER_PAGE, FacetValue, Hit, SearchResults
from library.topics.matching import compiled_from, expansion_topics

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 100
PUBLISHER_FACET_SIZE = 15
ALL_VALUES = 1_000_000  # bucket limit of the facet aggregations: every value, exactly

# The index field of each date order (see library.search.index._sort_key), and whether
# it is read descending.
_DATE_ORDERS = {
    "newest": ("sort_newest", tantivy.Order.Desc),
    "oldest": ("sort_oldest", tantivy.Order.Asc),
    "intake": ("sort_intake", tantivy.Order.Desc),
}
_FACET_FIELDS = ("country", "language", "publisher", "withdrawn", "topic")
_AGGREGATION = {
    name: {"terms": {"field": name, "size": ALL_VALUES, "min_doc_count": 1}}
    for name in _FACET_FIELDS
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


def _buckets(aggregated: dict, name: str) -> list[tuple]:
    """(value, count) of one facet, most first, then by value (a stable order)."""
    rows = [(bucket["key"], bucket["doc_count"]) for bucket in aggregated[name]["buckets"]]
    rows = [(int(key) if isinstance(key, float) else key, count) for key, count in rows]
    return sorted(rows, key=lambda row: (-row[1], str(row[0])))


def _facets(results: SearchResults, aggregated: dict, filterset) -> dict[str, list[FacetValue]]:
    chosen = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    languages = dict(CONTENT_LANGUAGES)
    statuses = dict(Bilag.Status.choices)
    publisher_rows = _buckets(aggregated, "publisher")[:PUBLISHER_FACET_SIZE]
    publishers = Publisher.objects.in_bulk([pk for pk, _n in publisher_rows if pk])
    topic_rows = _buckets(aggregated, "topic")
    topics = results.topics()

    def facet(value, label, selected, count):
        return FacetValue(value=value, label=label, count=count, selected=selected)

    facets = {
        "country": [
            facet(code, country_name(code), chosen.get("country") == code, count)
            for code, count in _buckets(aggregated, "country")
        ],
        "language": [
            facet(code, str(languages.get(code, code)), chosen.get("language") == code, count)
            for code, count in _buckets(aggregated, "language")
        ],
        "publisher": [
            facet(
                str(pk) if pk else "",
                publishers[pk].name if pk in publishers else _("unknown"),
                chosen.get("publisher") is not None and chosen["publisher"].pk == pk,
                count,
            )
            for pk, count in publisher_rows
        ],
        "status": [
            facet(
                str(search_compile.STATUS_OF[value]),
                str(statuses[search_compile.STATUS_OF[value]]),
                False,
                count,
            )
            for value, count in _buckets(aggregated, "withdrawn")
        ],
        "topic": [
            facet(
                topics[pk].slug,
                topics[pk].name,
                chosen.get("topic") is not None and chosen["topic"].pk == pk,
                count,
            )
            for pk, count in topic_rows
            if pk in topics
        ],
    }
    return facets


def _expansions(results: SearchResults) -> dict[int, list[int]]:
    """{clause index: ids of topics one of its words names}.

    A single word of a clause that is an entry of a topic's lexicon (in any language)
    lets the clause also be met by that topic's passages, suggested or confirmed, so
    "camp" finds Danish "lejr" and Norwegian "leir" passages of refugee-camps, and
    "camp Syria" those of them that name Syria.
    """
    topics = compiled_from(results.topics().values())
    expansions: dict[int, list[int]] = {}
    for index, clause in enumerate(results.query.required):
        ids = {
            topic.id
            for term in clause
            if not term.prefix and not term.is_phrase and not term.acronym
            for topic in expansion_topics(term.words[0], topics)
        }
        if ids:
            expansions[index] = sorted(ids)
    chosen = sorted({pk for ids in expansions.values() for pk in ids})
    results.expanded_topics = [results.topics()[pk] for pk in chosen]
    return expansions


def _live_tags(passage_ids, topics: dict[int, Topic]) -> dict[int, list[Topic]]:
    """{passage id: its suggested and confirmed topics, by slug}."""
    return {
        pk: sorted((topics[t] for t in ids if t in topics), key=lambda topic: topic.slug)
        for pk, ids in PassageTopic.objects.live().topic_ids_by_passage(passage_ids).items()
    }


def ranked(searcher, query, sort: str, offset: int, limit: int) -> list[tuple]:
    """(passage id, score or None) of hits offset…offset+limit in the sort's order.

    By relevance the index returns the best hits by BM25 weighted by length; equal
    scores are put in passage id order here, reading past the page until the score
    changes, so the order never depends on how the index is laid out in segments.
    """
    if limit <= 0:
        return []
    if sort in _DATE_ORDERS:
        field, order = _DATE_ORDERS[sort]
        found = searcher.search(
            query, limit=limit, offset=offset, order_by_field=field, order=order, count=False
        )
        addresses = [address for _key, address in found.hits]
        return [(pk, None) for pk in searcher.fast_field_values("id", addresses)]
    wanted = offset + limit
    # Ties at the page's last score often run to hundreds of hits (a frequent word in
    # passages of one length); top-k costs about the same for 20 or 500.
    fetch = max(wanted + 8, 4 * wanted, 500)
    while True:
        found = searcher.search(query, limit=fetch, count=False, weight_by_field="prior")
        scores = [score for score, _address in found.hits]
        ids = searcher.fast_field_values("id", [address for _score, address in found.hits])
        if len(scores) < fetch or scores[-1] < scores[min(wanted, len(scores)) - 1]:
            break
        fetch *= 8
    pairs = sorted(zip(ids, scores, strict=True), key=lambda pair: (-pair[1], pair[0]))
    return pairs[offset:wanted]


def count(searcher, query) -> int:
    return searcher.search(query, limit=1, count=True).count


def passage_search(
    *,
    query: str = "",
    filters: Mapping | None = None,
    sort: str = "",
    page: int | str = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search passages; never raises for bad input (the result carries the message)."""
    results, filterset = _prepare(query, filters, per_page)
    if results.error or (results.query is None and not filterset.is_filtering()):
        return results  # a message, or nothing asked yet (the page shows the search form)
    try:
        return _search(results, filterset, sort, page)
    except (engine.IndexUnavailable, OSError, ValueError) as exc:
        logger.exception("search failed: the index cannot be read")
        results.searched, results.hits, results.unavailable = False, [], True
        results.error = _(
            "Search is unavailable: the search index cannot be read (%(error)s). "
            "A library admin rebuilds it from the library with manage.py reindex."
        ) % {"error": exc}
        return results


def _search(results: SearchResults, filterset, sort: str, page) -> SearchResults:
    """passage_search's work on the index, once the query and filters are read."""
    searcher = fresh_searcher()
    typed = results.query
    results, direct, topic_only = matches(results, filterset, searcher)
    results.searched = True
    results.withdrawn_hidden = withdrawn_hidden(results, filterset, searcher, typed)
    results.sort = _sort(sort, results)
    shown = results.total + results.via_total
    results.num_pages = math.ceil(min(shown, MAX_PAGED) / results.per_page)
    results.page = _page_number(page, results.num_pages)
    first = (results.page - 1) * results.per_page
    rows = ranked(
        searcher, direct, results.sort, first, min(results.per_page, results.total - first)
    )
    through: list[tuple] = []
    if topic_only is not None and len(rows) < results.per_page:
        skip = max(0, first - results.total)
        through = ranked(searcher, topic_only, results.sort, skip, results.per_page - len(rows))
    results.hits = _hits(results, rows + through, {pk for pk, _score in through})
    return results


def matches(results: SearchResults, filterset, searcher) -> tuple:
    """(results, direct matches, topic-only or None): the query read against the index
    (acronyms), counted and faceted; a query that finds nothing is tried once more
    relaxed, and those results are returned if they find something. Also the benchmark's
    raw path (bench/searchcorpus/raw.py), so both build the same queries."""
    conditions = search_compile.filter_queries(filterset.form.cleaned_data)
    if results.query:
        results.query = search_compile.read_acronyms(results.query, searcher, conditions)
    direct, topic_only = _count(results, searcher, conditions, filterset)
    wider = relaxed(results.query) if results.query and not results.total else None
    if wider is not None and not results.via_total:
        found = dataclasses.replace(results, query=wider)
        found_direct, found_topic_only = _count(found, searcher, conditions, filterset)
        if found.total or found.via_total:
            return found, found_direct, found_topic_only
    return results, direct, topic_only


def _count(results: SearchResults, searcher, conditions, filterset):
    """The direct matches and those only through a topic (None: no topic named), with
    the exact total, the facets and the topic-only count set on `results`."""
    direct, topic_only = _engine_queries(results, conditions)
    aggregated = searcher.aggregate(direct, _AGGREGATION)
    results.total = sum(n for _value, n in _buckets(aggregated, "language"))
    results.facets = _facets(results, aggregated, filterset)
    results.via_total = count(searcher, topic_only) if topic_only is not None else 0
    return direct, topic_only


def withdrawn_hidden(results: SearchResults, filterset, searcher, typed) -> int:
    """How many hits in withdrawn bilag the search would show with them included (status
    "current and withdrawn"), for the page's notice; 0 when the status filter is set.

    Exactly as that search finds them: the query as typed (`typed`) is read against every
    bilag (acronyms) and relaxed only when it then finds nothing, current or withdrawn.
    Usually one count on the index (two with a topic widening the query).
    """
    cleaned = filterset.form.cleaned_data
    if cleaned.get("status"):
        return 0
    withdrawn = search_compile.filter_queries({**cleaned, "status": WITHDRAWN})
    if typed is None:  # browsing by the filters alone
        return _counted(results, None, withdrawn, searcher)
    everything = search_compile.filter_queries({**cleaned, "status": ALL})
    query = search_compile.read_acronyms(typed, searcher, everything)
    found = _counted(results, query, withdrawn, searcher)
    current_found = (results.total or results.via_total) and not results.query.most
    if found or current_found:
        return found
    wider = relaxed(query)
    return _counted(results, wider, withdrawn, searcher) if wider is not None else 0


def _counted(results: SearchResults, query, conditions, searcher) -> int:
    """The number of passages the query (None: every passage) finds under the conditions,
    directly or through a topic one of its words names."""
    probe = dataclasses.replace(results, query=query)  # _expansions writes on it
    direct, topic_only = _engine_queries(probe, conditions)
    found = count(searcher, direct)
    return found + (count(searcher, topic_only) if topic_only is not None else 0)


def _engine_queries(results: SearchResults, conditions) -> tuple:
    """(direct matches, found only through a topic or None) as Tantivy queries, for the
    results' parsed query and the filters' conditions."""
    text, excluded, topic_only = None, [], None
    if results.query:
        text = search_compile.text_query(results.query)
        excluded = search_compile.left_out(results.query)
        if topics := _expansions(results):
            widened = search_compile.text_query(results.query, topics)
            # Found only through a topic: it carries one of them (the cheap condition
            # first, so the direct matches are not read again).
            tagged = search_compile.tagged(sorted({pk for ids in topics.values() for pk in ids}))
            topic_only = search_compile.combine(
                widened, [*conditions, tagged], excluded, not_also=text
            )
    return search_compile.combine(text, conditions, excluded), topic_only


def fresh_searcher() -> tantivy.Searcher:
    """A searcher of the index with every committed change in it: a new index is built,
    and what a process that died after its commit left in the outbox is applied."""
    search_index.ensure_built()
    if search_index.stale():
        search_index.apply_pending(blocking=False)
    return engine.get_index().searcher()


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
            results.nothing_to_search = isinstance(exc, NothingToSearch)
    return results, filterset


def _sort(sort: str, results: SearchResults) -> str:
    """The sort asked for if it applies; relevance for a query, newest for browsing."""
    sort = sort if sort in dict(SORTS) else ""
    if not sort or (sort == "relevance" and not results.query):
        sort = "relevance" if results.query else "newest"
    return sort


def _hits(results: SearchResults, rows, found_through: set[int]) -> list[Hit]:
    """The page's passages loaded (one query, plus one for their tags), with snippets."""
    page_ids = [r[0] for r in rows]
    passages = (
        Passage.objects.select_related("bilag__publisher")
        .defer("bilag__full_text")
        .in_bulk(page_ids)
    )
    tags = _live_tags(page_ids, results.topics()) if page_ids else {}
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
                rank=row[1] if results.sort == "relevance" else None,
                topics=tags.get(row[0], []),
                via_topics=[
                    t for t in tags.get(row[0], []) if row[0] in found_through and t.id in widened
                ],
            )
        )
    return hits
