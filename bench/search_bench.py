"""Search latency on the loaded benchmark corpus: the selector, the page, raw Tantivy.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/search_bench.py --database postgres
    .venv/bin/python bench/search_bench.py --database sqlite --repeat 3 --profile

Runs a fixed query mix (rare word, frequent word, phrase, OR, leave-out, filters only,
filters + words; most with a country filter, as caseworkers search) against the database
search_corpus.py loaded and its Tantivy index, three ways, interleaved query by query in
each round: `passage_search` (the selector: first page of 20 with snippets, exact count,
facets), the page `/` (django.test.Client, logged in as a caseworker), and the raw
Tantivy calls that give the selector's answer on the same index (the same query, built
by library.search.query.parse and library.search.compile as the selector builds it, then
`aggregate` + `search` + `fast_field_values`: bench/searchcorpus/raw.py). One warm-up
pass, then --repeat timed rounds; prints p50/p95/max per kind and overall for each path,
the ratio selector/raw, what the page adds, and the targets. Then times the naive
search (`text__icontains`, current non-boilerplate passages, by id, first 20 + count)
for a sample of the same words against the selector; --profile shows where the
selector's time goes (cProfile). Nothing is written to the database but a caseworker
account (bench-caseworker).
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
from bench.searchcorpus import database, raw  # noqa: E402

PATHS = ("selector", "page", "raw")
TARGETS = {"ratio": 1.3, "p95": 50.0, "max": 150.0, "page": 20.0}  # ×, ms, ms, ms

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


def stats(values: list[float]) -> tuple[float, float, float]:
    """(p50, p95, max) in ms."""
    ms = [1000 * v for v in values]
    return percentile(ms, 0.5), percentile(ms, 0.95), max(ms)


def summary(values: list[float]) -> str:
    p50, p95, top = stats(values)
    return f"p50 {p50:8.1f}  p95 {p95:8.1f}  max {top:8.1f} ms  (n={len(values)})"


def label(query: str, filters: dict) -> str:
    parts = [query] if query else []
    parts += [f"{k}={v}" for k, v in filters.items()]
    return " ".join(parts) or "-"


def machine() -> list[str]:
    import tantivy
    from django.db import connection

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
        f"python          {platform.python_version()}, {tantivy.__version__}",
    ]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT version()")
            lines.append(f"database        {cur.fetchone()[0].split(' on ')[0]}")
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('library_passage')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            table, whole = cur.fetchone()
            lines.append(f"sizes           passages {table}, database {whole}")
        else:
            cur.execute("SELECT sqlite_version()")
            lines.append(f"database        SQLite {cur.fetchone()[0]}")
    return lines


def index_lines(content: int) -> list[str]:
    """The index folder, its size and documents; refuses an index out of step."""
    from library.search import engine

    index = engine.get_index()
    searcher = index.searcher()
    if not getattr(index, "built", lambda: True)() or searcher.num_docs != content:
        raise SystemExit(
            f"the index in {index.path} holds {searcher.num_docs:,} documents for "
            f"{content:,} content passages, or was never marked built (the first search "
            "would rebuild it): run bench/search_corpus.py --reindex-only"
        )
    return [
        f"search index    {index.path}: {engine.size_bytes() / 2**20:,.1f} MiB, "
        f"{searcher.num_docs:,} documents, {searcher.num_segments} segments"
    ]


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


def one_round(client, raws: list, times: dict | None = None) -> tuple[list, list]:
    """Every query once through each path, interleaved; the seconds go into `times`
    (path -> one list a query). A query's raw Tantivy query is built (raw.prepare) after
    its first selector run, so that a cold first pass stays cold. Returns the selector's
    results and the raw answers."""
    infos, answers = [], []
    for i, (_kind, query, filters) in enumerate(QUERIES):
        seconds = {"selector": 0.0, "page": 0.0}
        seconds["selector"], results = run_selector(query, filters)
        if client:
            seconds["page"] = run_page(client, query, filters)
        if raws[i] is None:
            raws[i] = raw.prepare(query, filters)
        seconds["raw"], answer = raw.run(raws[i])
        infos.append(results)
        answers.append(answer)
        if times is not None:
            for path in PATHS:
                times[path][i].append(seconds[path])
    return infos, answers


def warm_up(client, raws, cold_report: bool) -> tuple[list, list]:
    """One pass of every query through each path; returns the selector's results and the
    raw answers. With --cold this pass is measured too (right after a load)."""
    started = time.perf_counter()
    cold: dict = {path: [[] for _ in QUERIES] for path in PATHS}
    infos, answers = one_round(client, raws, cold)
    print(f"warm-up         {time.perf_counter() - started:.1f} s, {len(QUERIES)} queries")
    if cold_report:
        print("\nfirst pass (cold):")
        print_kinds(cold, client)
    return infos, answers


def kind_values(times: list[list[float]], kind: str | None) -> list[float]:
    """Every time of one kind of query (None: all of them)."""
    return [
        t
        for (k, _q, _f), values in zip(QUERIES, times, strict=True)
        if kind is None or k == kind
        for t in values
    ]


def print_queries(infos, answers, times, content: int, client) -> None:
    print(
        f"\n{'kind':<14} {'query':<56} {'hits':>9} {'%':>6} {'selector':>8} "
        f"{'page':>7} {'raw':>7} {'sel/raw':>7}  raw answer"
    )
    for i, (kind, query, filters) in enumerate(QUERIES):
        results = infos[i]
        p50 = {path: 1000 * statistics.median(times[path][i]) for path in PATHS}
        page = f"{p50['page']:7.1f}" if client else f"{'-':>7}"
        hits = f"{results.total:,}" + (f"+{results.via_total:,}" if results.via_total else "")
        print(
            f"{kind:<14} {label(query, filters)[:56]:<56} {hits:>9} "
            f"{100 * results.total / content:5.2f}% {p50['selector']:8.1f} {page} "
            f"{p50['raw']:7.1f} {p50['selector'] / p50['raw']:7.2f}  "
            f"{raw.same(results, answers[i])}"
        )


def print_kinds(times: dict, client) -> None:
    titles = {
        "selector": "selector: passage_search, first page of 20 with snippets, count, facets",
        "page": "page /: django.test.Client as a caseworker",
        "raw": "raw Tantivy: aggregate + search + fast_field_values, same query and index",
    }
    for path in PATHS:
        if path == "page" and not client:
            continue
        print(f"\n{titles[path]}")
        for kind in [*KINDS, None]:
            print(f"  {kind or 'overall':<14} {summary(kind_values(times[path], kind))}")


def print_ratios(times: dict, client) -> dict:
    """Selector/raw (p50, p95), what the selector adds to raw and the page to the
    selector (p50) per kind; returns the overall figures."""
    print(
        f"\n{'':<16} {'selector/raw p50':>16} {'p95':>6} {'selector - raw p50':>19} "
        f"{'page - selector p50':>20}"
    )
    overall = {}
    for kind in [*KINDS, None]:
        selector = stats(kind_values(times["selector"], kind))
        direct = stats(kind_values(times["raw"], kind))
        page = stats(kind_values(times["page"], kind)) if client else None
        adds = page[0] - selector[0] if page else float("nan")
        print(
            f"  {kind or 'overall':<14} {selector[0] / direct[0]:16.2f} "
            f"{selector[1] / direct[1]:6.2f} {selector[0] - direct[0]:16.1f} ms "
            f"{adds:17.1f} ms"
        )
        overall = {"selector": selector, "raw": direct, "page": page, "adds": adds}
    return overall


def print_targets(overall: dict) -> None:
    """Each target of the search issue against the overall figures."""
    selector, direct = overall["selector"], overall["raw"]
    rows = [
        (f"selector <= {TARGETS['ratio']}x raw (p50)", selector[0] / direct[0], "ratio", "x"),
        (f"p95 <= {TARGETS['p95']:.0f} ms", selector[1], "p95", " ms"),
        (f"max <= {TARGETS['max']:.0f} ms", selector[2], "max", " ms"),
    ]
    if overall["page"]:
        rows.append(
            (f"page adds <= {TARGETS['page']:.0f} ms (p50)", overall["adds"], "page", " ms")
        )
    print("\ntargets (overall; the selector unless said)")
    for name, value, key, unit in rows:
        verdict = "met" if value <= TARGETS[key] else "NOT met"
        print(f"  {name:<30} {value:8.2f}{unit:<3}  {verdict}")


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
            f"({results.total:,} hits)"
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
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (5)")
    parser.add_argument("--naive-repeat", type=int, default=3, help="icontains runs per word")
    parser.add_argument("--no-page", action="store_true", help="selector and raw only")
    parser.add_argument(
        "--cold", action="store_true", help="also report the warm-up pass (right after a load)"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the icontains comparison")
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=1,
        default=0,
        metavar="ROUNDS",
        help="then the selector over the mix under cProfile: where its time goes",
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
    for line in machine() + index_lines(content):
        print(line)
    print(
        f"corpus          {Bilag.objects.count():,} bilag, {total:,} passages ({content:,} content)"
    )
    client = None if args.no_page else caseworker_client()
    raws: list = [None] * len(QUERIES)
    infos, answers = warm_up(client, raws, args.cold)
    times: dict = {path: [[] for _ in QUERIES] for path in PATHS}
    for _round in range(args.repeat):
        one_round(client, raws, times)
    print_queries(infos, answers, times, content, client)
    print_kinds(times, client)
    print_targets(print_ratios(times, client))
    if not args.no_naive:
        compare_naive(args.naive_repeat)
    if args.profile:
        raw.profile([(query, filters) for _kind, query, filters in QUERIES], args.profile)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
