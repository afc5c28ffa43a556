"""A large, realistic search corpus, generated and loaded in bulk.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/search_corpus.py --passages 20000 --database sqlite --fresh
    .venv/bin/python bench/search_corpus.py --passages 200000 --generate-only   # no database

The command line of bench/searchcorpus: generator.py makes Danish, Norwegian and English
bilag from bench/vocabulary and the seeds (about 27 passages each, a few % boilerplate,
15 countries, 60 publishers, 2010-2026, about 2 % withdrawn; everything from --seed, so
the same arguments give the same corpus); postgres.py loads them by COPY on a second
connection while the next chunk is generated, sqlite.py by executemany; both then build
the Tantivy search index from the database once (`reindex_all`, timed: passages/s).
Then it prints the timings, what is in the database and the index, and a spot check.
--reindex-only rebuilds the index of the kept database without loading anything.

The database is `baggrund_bench_search` on BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432), or a SQLite file in the temp folder, and its index
folder bench/out/search-index-<database> (bench/searchcorpus/database.py). Both are kept
for bench/search_bench.py; --fresh drops and recreates them. Loading into an existing one
adds to it: ids and bilag numbers continue after the highest.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.searchcorpus import database  # noqa: E402
from bench.searchcorpus.generator import LANGUAGES, generate  # noqa: E402


def check(sample: int = 300) -> str:
    """Spot check: passage text is its bilag's full_text[start:end]."""
    from library.models import Bilag

    ids = list(Bilag.objects.order_by("-id").values_list("id", flat=True)[:sample])
    bad = 0
    for bilag in Bilag.objects.filter(id__in=ids).prefetch_related("passages"):
        for passage in bilag.passages.all():
            if bilag.full_text[passage.start : passage.end] != passage.text:
                bad += 1
    return f"{len(ids)} newest bilag, {bad} passages not matching their full_text"


def generate_only(args) -> int:
    """Time generation alone and print the share of passages holding some query words
    (each word and passage analysed as the search index analyses them)."""
    from library import languages
    from library.search import engine

    started = time.perf_counter()
    bilag = passages = plates = 0
    df: dict[tuple[str, str], int] = {}
    words = args.words.split(",") if args.words else []
    configs = {code: languages.config_for(code) for code in LANGUAGES}
    targets = {(w, c): (engine.analyze(w, c) or [""])[0] for w in words for c in configs.values()}
    sample_every = max(1, args.passages // 100_000)
    sampled = 0
    for chunk in generate(args.passages, args.seed, 1):
        for item in chunk:
            bilag += 1
            for _o, text, _s, _e, _p, language, plate in item["passages"]:
                passages += 1
                plates += bool(plate)
                if words and not plate and passages % sample_every == 0:
                    sampled += 1
                    config = configs[language]
                    present = set(engine.analyze(text, config))
                    for word in words:
                        if targets[(word, config)] in present:
                            df[(word, language)] = df.get((word, language), 0) + 1
    seconds = time.perf_counter() - started
    print(
        f"generated {bilag:,} bilag, {passages:,} passages ({plates:,} boilerplate) "
        f"in {seconds:.1f} s: {passages / seconds:,.0f} passages/s"
    )
    for word in words:
        share = sum(df.get((word, lang), 0) for lang in LANGUAGES) / max(sampled, 1)
        print(f"  {word:<24} {100 * share:6.2f} % of {sampled:,} sampled content passages")
    return 0


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="drop, recreate and migrate first")
    parser.add_argument("--pg-name", default=database.PG_NAME)
    parser.add_argument("--sqlite-path", type=Path, default=database.SQLITE_PATH)
    parser.add_argument(
        "--reindex-only",
        action="store_true",
        help="load nothing: rebuild the search index of the kept database and time it",
    )
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="no database: time it")
    parser.add_argument("--words", default="", help="with --generate-only: words to count")
    return parser


def report(args, result: dict) -> None:
    """What was loaded and how long each step took, what the database and the index now
    hold, a check."""
    seconds = result["seconds"]
    print(f"database        {args.database}: {os.environ['DATABASE_URL']}")
    print(
        f"loaded          {result['bilag']:,} bilag, {result['passages']:,} passages, "
        f"{result['publishers']} new publishers (seed {args.seed}; "
        f"{result['existing_passages']:,} passages were there before)"
    )
    for name, value in result["timings"].items():
        print(f"  {name:<38} {value:7.1f} s")
    print(f"seconds         {seconds:.1f} (generation, load, analyze, search index)")
    print(f"passages/s      {result['passages'] / seconds:,.0f} (the whole load)")
    report_reindex(result["reindex"])
    report_contents()


def report_reindex(reindex: dict) -> None:
    """The reindex: passages, seconds, passages/s, and the index folder with its size."""
    print(
        f"search index    {reindex['passages']:,} passages in {reindex['seconds']:.1f} s: "
        f"{reindex['rate']:,.0f} passages/s (reindex_all)"
    )
    print(f"index on disk   {reindex['bytes'] / 2**20:,.1f} MiB in {reindex['folder']}")


def report_contents() -> None:
    """What the database and the index now hold, their sizes, and the spot check."""
    from django.db import connection

    from library.models import Bilag, Passage
    from library.search import engine

    total = Passage.objects.count()
    plates = Passage.objects.filter(boilerplate=True).count()
    print(
        f"now in database {Bilag.objects.count():,} bilag "
        f"({Bilag.objects.filter(status='withdrawn').count():,} withdrawn), "
        f"{total:,} passages ({100 * plates / max(total, 1):.1f} % boilerplate)"
    )
    searcher = engine.get_index().searcher()
    print(
        f"now in index    {searcher.num_docs:,} documents "
        f"(content passages: {total - plates:,}), {searcher.num_segments} segments"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('library_passage')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            table, whole = cur.fetchone()
            print(f"sizes           library_passage {table} total; database {whole}")
    print(f"check           {check()}")


def main() -> int:
    args = parser().parse_args()
    if args.generate_only:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        return generate_only(args)

    database.open_database(
        args.database, fresh=args.fresh, pg_name=args.pg_name, sqlite_path=args.sqlite_path
    )
    if args.reindex_only:
        from bench.searchcorpus import rows

        report_reindex(rows.reindex_timed(args.progress, {}))
        report_contents()
        return 0
    if args.database == "postgres":
        from bench.searchcorpus import postgres

        result = postgres.load(args, os.environ["DATABASE_URL"])
    else:
        from bench.searchcorpus import sqlite

        result = sqlite.load(args)
    report(args, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
