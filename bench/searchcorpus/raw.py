"""The search benchmark's raw Tantivy path, and where the selector's own time goes.

`prepare(query, filters)` builds, once per query of the mix, the very Tantivy queries
`library.search.selectors.passage_search` builds, through the selector's own steps
(`_prepare` for the filters and the parsed query, `matches` for the index's queries and
the relaxed retry, `_sort`). `run(raw)` then times only the engine calls that
give the selector's answer: one aggregation (exact count and every facet), the first
page (BM25 weighted by `prior`, or a date order's key) and its ids from the `id` fast
field, plus, when a query word names a topic, the count (and, for a short page, the
rest of the page) of the passages found only through that topic.

`profile(queries)` runs the selector under cProfile and reads the cumulative time of
its steps and of the Tantivy calls, with the SQL it sends (Django's execute_wrapper).
"""

import cProfile
import dataclasses
import pstats
import time

PER_PAGE = 20


@dataclasses.dataclass
class Raw:
    """One query of the mix, compiled as the selector compiles it."""

    direct: object  # tantivy.Query
    topic_only: object | None
    sort: str


@dataclasses.dataclass
class Answer:
    total: int
    ids: list[int]
    scores: list[float]  # by relevance; empty for a date order
    via_total: int = 0


def prepare(query: str, filters: dict) -> Raw:
    """The Tantivy queries passage_search would run for `query` and `filters` (with its
    fallback to the relaxed query when the query finds nothing)."""
    from library.search import selectors

    results, filterset = selectors._prepare(query, filters, PER_PAGE)
    if results.error:
        raise SystemExit(f"query {query!r} {filters}: {results.error}")
    results, direct, topic_only = selectors.matches(results, filterset, selectors.fresh_searcher())
    return Raw(direct=direct, topic_only=topic_only, sort=selectors._sort("", results))


def _page(searcher, query, sort: str, limit: int) -> tuple[list[int], list[float]]:
    """Ids (and scores, by relevance) of the first `limit` hits."""
    from library.search.selectors import _DATE_ORDERS

    if limit <= 0:
        return [], []
    if sort in _DATE_ORDERS:
        field, order = _DATE_ORDERS[sort]
        found = searcher.search(query, limit=limit, order_by_field=field, order=order, count=False)
        scores = []
    else:
        found = searcher.search(query, limit=limit, count=False, weight_by_field="prior")
        scores = [score for score, _address in found.hits]
    return searcher.fast_field_values("id", [address for _key, address in found.hits]), scores


def run(raw: Raw) -> tuple[float, Answer]:
    """Seconds the engine takes to answer like the selector, and the answer."""
    from library.search import engine
    from library.search.selectors import _AGGREGATION

    started = time.perf_counter()
    searcher = engine.get_index().searcher()
    aggregated = searcher.aggregate(raw.direct, _AGGREGATION)
    total = sum(bucket["doc_count"] for bucket in aggregated["language"]["buckets"])
    ids, scores = _page(searcher, raw.direct, raw.sort, min(PER_PAGE, total))
    via = 0
    if raw.topic_only is not None:
        via = searcher.search(raw.topic_only, limit=1, count=True).count
        more, more_scores = _page(searcher, raw.topic_only, raw.sort, PER_PAGE - len(ids))
        ids, scores = ids + more, scores + more_scores
    seconds = time.perf_counter() - started
    return seconds, Answer(total=total, ids=ids, scores=scores, via_total=via)


def same(results, answer: Answer) -> str:
    """Whether the raw calls gave the selector's answer: 'same'; 'same, ties reordered'
    (the same passages, equal scores in another order); 'same scores, other ties' (the
    selector takes the lowest ids among equal scores past the page, Tantivy the first it
    met); or what differs."""
    ids = [hit.passage.id for hit in results.hits]
    if results.total != answer.total or results.via_total != answer.via_total:
        return f"count {results.total}+{results.via_total} vs {answer.total}+{answer.via_total}"
    if ids == answer.ids:
        return "same"
    if sorted(ids) == sorted(answer.ids):
        return "same, ties reordered"
    ranks = sorted(round(hit.rank or 0.0, 4) for hit in results.hits)
    if answer.scores and ranks == sorted(round(score, 4) for score in answer.scores):
        return f"same scores, other ties ({len(set(ids) - set(answer.ids))} ids)"
    return f"{len(set(ids) ^ set(answer.ids))} ids differ"


STEPS = [  # (label, module, attribute) of the selector's steps; two spaces a level
    ("passage_search", "selectors", "passage_search"),
    ("  _prepare (filter form, parse)", "selectors", "_prepare"),
    ("  fresh_searcher", "selectors", "fresh_searcher"),
    ("    index.ensure_built", "index", "ensure_built"),
    ("    index.stale (outbox, SQL)", "index", "stale"),
    ("    SearchIndex.searcher", "engine", "SearchIndex.searcher"),
    ("  compile.filter_queries", "compile", "filter_queries"),
    ("  compile.read_acronyms", "compile", "read_acronyms"),
    ("  _count", "selectors", "_count"),
    ("    compile.text_query", "compile", "text_query"),
    ("    compile.left_out", "compile", "left_out"),
    ("    _expansions (topics named)", "selectors", "_expansions"),
    ("      compiled_topics", "matching", "compiled_topics"),
    ("    Searcher.aggregate", "tantivy", "Searcher.aggregate"),
    ("    _facets (publishers, topics: SQL)", "selectors", "_facets"),
    ("    count (topic-only)", "selectors", "count"),
    ("  ranked", "selectors", "ranked"),
    ("    Searcher.search", "tantivy", "Searcher.search"),
    ("    Searcher.fast_field_values", "tantivy", "Searcher.fast_field_values"),
    ("  _hits (passages: SQL, snippets)", "selectors", "_hits"),
    ("    highlight.snippet_window", "highlight", "snippet_window"),
    ("    _live_tags (SQL)", "selectors", "_live_tags"),
]
MODULES = {
    "selectors": "library.search.selectors",
    "index": "library.search.index",
    "engine": "library.search.engine",
    "compile": "library.search.compile",
    "highlight": "library.search.highlight",
    "matching": "library.topics.matching",
    "tantivy": "tantivy",
}


def _step(module: str, attribute: str):
    """The function a step names, or None when the library has no such name (any more)."""
    import importlib

    found = importlib.import_module(MODULES[module])
    for part in attribute.split("."):
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def _key(function) -> tuple:
    import inspect

    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return "~", 0, repr(function)  # a method written in C (Tantivy's)
    return code.co_filename, code.co_firstlineno, code.co_name


def profile(queries: list[tuple[str, dict]], rounds: int) -> None:
    """The selector over the mix `rounds` times under cProfile: time and calls a step."""
    from django.db import connection

    from library.search.selectors import passage_search

    sql = [0, 0.0]

    def count_sql(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql[0] += 1
            sql[1] += time.perf_counter() - started

    profiler = cProfile.Profile()
    searches = rounds * len(queries)
    with connection.execute_wrapper(count_sql):
        profiler.enable()
        for _round in range(rounds):
            for query, filters in queries:
                passage_search(query=query, filters=filters)
        profiler.disable()
    stats = pstats.Stats(profiler).stats
    print(
        f"\nwhere the selector's time goes (cProfile, {searches} searches; ms a search, "
        "cumulative; cProfile slows the Python steps)"
    )
    print(f"  {'ms':>8} {'calls':>7}  step")
    for label, module, attribute in STEPS:
        function = _step(module, attribute)
        entry = stats.get(_key(function)) if function is not None else None
        if entry is None:
            missing = "not called" if function is not None else "not in the library"
            print(f"  {'-':>8} {0:7d}  {label} ({missing})")
            continue
        print(f"  {1000 * entry[3] / searches:8.2f} {entry[1]:7d}  {label}")
    print(
        f"  SQL: {sql[0] / searches:.1f} statements a search, "
        f"{1000 * sql[1] / searches:.2f} ms a search"
    )
