"""Search latency on the loaded benchmark corpus: the selector, the page, and icontains.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/search_bench.py --database postgres
    .venv/bin/python bench/search_bench.py --database postgres --explain 2
    .venv/bin/python bench/search_bench.py --database sqlite --repeat 3

Runs a fixed query mix (rare word, frequent word, phrase, OR, leave-out, filters only,
filters + words; most with a country filter, as caseworkers search) against the database
search_corpus.py loaded, through `passage_search` (first page of 20, snippets and facets)
and through the page `/` (django.test.Client, logged in as a caseworker). One warm-up
pass, then --repeat timed runs of each query; prints p50/p95/max per kind and overall,
for the selector and for the page. Then times the naive search (`text__icontains`,
current non-boilerplate passages, by id, first 20 + count) for a sample of the same
words against the selector on the same words, and prints the p50 ratio. --explain N
prints EXPLAIN (ANALYZE, BUFFERS) of the main SQL of the N slowest queries (PostgreSQL).
Nothing is written to the database but a caseworker account (bench-caseworker).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import accounts  # noqa: E402
from bench.searchcorpus import database  # noqa: E402

# (kind, query, filters). Words chosen from the search corpus's vocabulary; the share of the
# passages each matches is printed with the results. Frequent words are in 15-20 % of
# all passages (SDF, kampene, området), rare ones in a few hundred of a million.
SY, IQ, AF, SO, ER = ({"country": c} for c in ("SY", "IQ", "AF", "SO", "ER"))
QUERIES = [
    ("rare", "kolera", SY),
    ("rare", "cholera", IQ),
    ("rare", "fodlænke", {}),
    ("rare", "meslinger", AF),
    ("rare", "tvangsrekruttering", ER),
    ("frequent", "SDF", SY),
    ("frequent", "kampene", IQ),
    ("frequent", "området", AF),
    ("frequent", "SDF", {}),
    ("frequent", "landet", SO),
    ("phrase", '"kvinder og børn"', SY),
    ("phrase", '"women and children"', IQ),
    ("phrase", '"foreign fighters"', {}),
    ("phrase", '"Mustafa Bali"', SY),
    ("phrase", '"kvinner og barn" leiren', AF),
    ("or", "lejr OR leir OR camp", SY),
    ("or", "luftangreb OR luftangrep OR airstrikes", IQ),
    ("or", 'fremmedkrigere OR "foreign fighters"', {}),
    ("or", "kolera OR cholera", SO),
    ("exclude", "fremmedkrigere -Irak", SY),
    ("exclude", "camp -Iraq -Syria", AF),
    ("exclude", "SDF -Raqqa", {}),
    ("exclude", "tilbageholdt -fængsel", IQ),
    (
        "filters",
        "",
        {"country": "SY", "published_min": "2018-01-01", "published_max": "2019-12-31"},
    ),
    (
        "filters",
        "",
        {"country": "AF", "published_min": "2021-08-01", "published_max": "2022-12-31"},
    ),
    ("filters", "", {"country": "ER"}),
    ("filters", "", {"country": "IQ", "intake_min": "2024-01-01"}),
    ("filters", "", {"country": "SO", "language": "da"}),
    (
        "filters+words",
        "luftangreb",
        {"country": "SY", "published_min": "2017-01-01", "published_max": "2019-12-31"},
    ),
    ("filters+words", "detention", {"country": "IQ", "published_min": "2015-01-01"}),
    ("filters+words", "tilbageholdt", {"country": "AF", "language": "da"}),
    (
        "filters+words",
        "flyktningleir",
        {"country": "SY", "published_min": "2019-01-01", "published_max": "2019-12-31"},
    ),
    ("filters+words", "kolera", {"country": "SO", "published_min": "2012-01-01"}),
]
KINDS = ["rare", "frequent", "phrase", "or", "exclude", "filters", "filters+words"]
# For the icontains comparison: rare and frequent words, no filters on either side.
NAIVE_WORDS = ["kolera", "cholera", "fodlænke", "meslinger", "SDF", "kampene", "området"]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> str:
    ms = [1000 * v for v in values]
    return (
        f"p50 {percentile(ms, 0.5):8.1f}  p95 {percentile(ms, 0.95):8.1f}  "
        f"max {max(ms):8.1f} ms  (n={len(ms)})"
    )


def label(query: str, filters: dict) -> str:
    parts = [query] if query else []
    parts += [f"{k}={v}" for k, v in filters.items()]
    return " ".join(parts) or "-"


def machine() -> list[str]:
    from django.db import connection

    from library.search.backends import uses_rum

    mem_kb = 0
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"machine         nproc {os.cpu_count()}, {cpu}, RAM {mem_kb / 1024 / 1024:.1f} GiB",
        f"python          {platform.python_version()}",
    ]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT version()")
            lines.append(f"database        {cur.fetchone()[0].split(' on ')[0]}")
            settings = []
            for name in (
                "shared_buffers",
                "work_mem",
                "effective_cache_size",
                "jit",
                "max_parallel_workers_per_gather",
                "random_page_cost",
            ):
                cur.execute(f"SHOW {name}")
                settings.append(f"{name}={cur.fetchone()[0]}")
            lines.append(f"settings        {', '.join(settings)}")
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('library_passage')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            table, database = cur.fetchone()
            cur.execute(
                "SELECT indexname, pg_size_pretty(pg_relation_size(indexname::regclass)) "
                "FROM pg_indexes WHERE indexname IN ('passage_search_rum', 'passage_search_gin')"
            )
            index = ", ".join(f"{name} {size}" for name, size in cur.fetchall()) or "none"
            lines.append(f"sizes           passages {table}, database {database}; {index}")
            lines.append(f"RUM index       {'in use' if uses_rum() else 'not in use'}")
        else:
            cur.execute("SELECT sqlite_version()")
            lines.append(f"database        SQLite {cur.fetchone()[0]} (FTS5)")
    return lines


def caseworker_client():
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(accounts.caseworker("bench-caseworker"))
    return client


def run_selector(query: str, filters: dict):
    from library.search.selectors import passage_search

    started = time.perf_counter()
    results = passage_search(query=query, filters=filters)
    seconds = time.perf_counter() - started
    if results.error or not results.searched:
        raise SystemExit(f"query {label(query, filters)!r} failed: {results.error or 'not run'}")
    return seconds, results


def run_page(client, query: str, filters: dict) -> float:
    params = dict(filters)
    if query:
        params["q"] = query
    started = time.perf_counter()
    response = client.get("/", params)
    seconds = time.perf_counter() - started
    if response.status_code != 200 or b'class="count"' not in response.content:
        raise SystemExit(f"page for {label(query, filters)!r}: HTTP {response.status_code}")
    return seconds


def naive(word: str) -> tuple[float, int]:
    from library.models import Passage

    started = time.perf_counter()
    queryset = Passage.objects.filter(
        text__icontains=word, boilerplate=False, bilag__status="current"
    ).order_by("id")
    list(queryset[:20])
    count = queryset.count()
    return time.perf_counter() - started, count


def explain(query: str, filters: dict, statements: int = 3) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) the slowest queries of one search (SELECT / WITH only:
    Django also logs its transaction statements, SET LOCAL and COMMIT)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_selector(query, filters)
    ranked = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in ranked)
    print(
        f"\n=== EXPLAIN: {label(query, filters)} - {len(ranked)} statements, "
        f"{1000 * total:.1f} ms in SQL ==="
    )
    queries = [q for q in ranked if q["sql"].split(None, 1)[0].upper() in ("SELECT", "WITH")]
    for entry in queries[:statements]:
        sql = entry["sql"]
        print(f"\n--- {1000 * float(entry['time']):.1f} ms ---\n{sql}\n")
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cur.fetchall()))


def warm_up(client, cold_report: bool) -> list:
    """Every query once through each path; returns the selector's results. With --cold
    this pass is the measurement (the first queries after a bulk load), printed per kind."""
    started = time.perf_counter()
    infos = []
    cold: list[float] = []
    for _kind, query, filters in QUERIES:
        seconds, results = run_selector(query, filters)
        cold.append(seconds)
        infos.append(results)
        if client:
            run_page(client, query, filters)
    print(f"warm-up         {time.perf_counter() - started:.1f} s, {len(QUERIES)} queries")
    if cold_report:
        print("first pass (cold), selector:")
        for kind in KINDS:
            times = [t for (k, _q, _f), t in zip(QUERIES, cold, strict=True) if k == kind]
            print(f"  {kind:<14} {summary(times)}")
        print(f"  {'overall':<14} {summary(cold)}")
    return infos


def timed_rounds(client, repeat: int) -> tuple[list[list[float]], list[list[float]]]:
    """`repeat` rounds of every query: seconds per query through the selector and the page."""
    selector_times: list[list[float]] = [[] for _ in QUERIES]
    page_times: list[list[float]] = [[] for _ in QUERIES]
    for _round in range(repeat):
        for i, (_kind, query, filters) in enumerate(QUERIES):
            selector_times[i].append(run_selector(query, filters)[0])
            if client:
                page_times[i].append(run_page(client, query, filters))
    return selector_times, page_times


def print_queries(infos, selector_times, page_times, content: int, client) -> None:
    print(
        f"\n{'kind':<14} {'query':<62} {'hits':>10} {'% of content':>12} "
        f"{'selector p50':>12} {'page p50':>9}"
    )
    for i, (kind, query, filters) in enumerate(QUERIES):
        results = infos[i]
        hits = f"{'~' if results.estimated else ''}{results.total:,}"
        page = f"{1000 * statistics.median(page_times[i]):9.1f}" if client else f"{'-':>9}"
        print(
            f"{kind:<14} {label(query, filters)[:62]:<62} {hits:>10} "
            f"{100 * results.total / content:11.2f}% "
            f"{1000 * statistics.median(selector_times[i]):12.1f} {page}"
        )


def print_kinds(selector_times, page_times, client) -> None:
    for path, times in (("selector", selector_times), ("page /", page_times)):
        if path == "page /" and not client:
            continue
        print(
            f"\n{path}: passage_search, first page of 20 with snippets and facets"
            if path == "selector"
            else "\npage /: django.test.Client as a caseworker"
        )
        every = []
        for kind in KINDS:
            values = [
                t for (k, _q, _f), ts in zip(QUERIES, times, strict=True) if k == kind for t in ts
            ]
            every += values
            print(f"  {kind:<14} {summary(values)}")
        print(f"  {'overall':<14} {summary(every)}")


def compare_naive(repeat: int) -> None:
    """icontains against the selector on NAIVE_WORDS, p50 of each and their ratio."""
    print(
        "\nnaive icontains (current, non-boilerplate, by id, first 20 + count) "
        "vs the selector, same words, no filters"
    )
    naive_all, selector_all = [], []
    for word in NAIVE_WORDS:
        naive(word)  # warm
        n_times, count = [], 0
        for _ in range(repeat):
            seconds, count = naive(word)
            n_times.append(seconds)
        run_selector(word, {})
        s_times, results = [], None
        for _ in range(repeat):
            seconds, results = run_selector(word, {})
            s_times.append(seconds)
        naive_all += n_times
        selector_all += s_times
        print(
            f"  {word:<14} icontains p50 {1000 * statistics.median(n_times):8.1f} ms "
            f"({count:,} hits)   selector p50 {1000 * statistics.median(s_times):7.1f} ms "
            f"({'~' if results.estimated else ''}{results.total:,} hits)"
        )
    ratio = statistics.median(naive_all) / statistics.median(selector_all)
    print(
        f"  p50 icontains {1000 * statistics.median(naive_all):.1f} ms, selector "
        f"{1000 * statistics.median(selector_all):.1f} ms: ratio icontains/selector "
        f"{ratio:.1f}"
    )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-name", default=database.PG_NAME)
    parser.add_argument("--sqlite-path", type=Path, default=database.SQLITE_PATH)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (5)")
    parser.add_argument("--naive-repeat", type=int, default=3, help="icontains runs per word")
    parser.add_argument("--no-page", action="store_true", help="selector only")
    parser.add_argument(
        "--cold", action="store_true", help="also report the warm-up pass (right after a load)"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the icontains comparison")
    parser.add_argument(
        "--explain",
        type=int,
        nargs="?",
        const=1,
        default=0,
        metavar="N",
        help="EXPLAIN (ANALYZE, BUFFERS) the main SQL of the N slowest queries",
    )
    return parser


def main() -> int:
    args = parser().parse_args()
    database.open_database(args.database, pg_name=args.pg_name, sqlite_path=args.sqlite_path)
    from django.db import connection

    from library.models import Bilag, Passage

    content = Passage.objects.filter(boilerplate=False).count()
    total = Passage.objects.count()
    if not total:
        raise SystemExit("the database is empty: run bench/search_corpus.py first")
    for line in machine():
        print(line)
    print(
        f"corpus          {Bilag.objects.count():,} bilag, {total:,} passages ({content:,} content)"
    )
    client = None if args.no_page else caseworker_client()
    infos = warm_up(client, args.cold)
    selector_times, page_times = timed_rounds(client, args.repeat)
    print_queries(infos, selector_times, page_times, content, client)
    print_kinds(selector_times, page_times, client)
    if not args.no_naive:
        compare_naive(args.naive_repeat)
    if args.explain:
        slowest = sorted(range(len(QUERIES)), key=lambda i: -statistics.median(selector_times[i]))
        for i in slowest[: args.explain]:
            _kind, query, filters = QUERIES[i]
            explain(query, filters)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
