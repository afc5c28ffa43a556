"""Where ingestion time goes: the steps of bilag_ingest, read from cProfile, and its SQL.

    .venv/bin/python bench/ingest_phases.py --count 1000 --database postgres

Ingests N generated bilag (see bench/corpus.py) into a fresh database with
`library.ingest.services.bilag_ingest` under cProfile, then reads from the profile the
cumulative time and calls of the public steps of library.ingest (extract, parse_text,
split_passages, metadata.resolve and its passage_languages), of the store step (the
function of library.ingest.services that calls Model.full_clean, found in the call
graph, so nothing is named or patched) and of what it calls: Django's full_clean,
validate_unique, validate_constraints, Storage.save, Model.save, QuerySet.bulk_create
and the COMMIT, and the project's tag_new_bilag and search index steps: queue_bilag
(the outbox row, inside the transaction) and apply_pending (run by transaction.on_commit
after the COMMIT: the bilag's passages read back and written to the Tantivy index, with
the index writer's commit and merge wait). As in `manage.py ingest` the loop runs inside
`search_index.batched()` (the outbox applied every few seconds and at the end);
--unbatched applies it after every bilag's commit, as a lone upload does. Nested steps
are indented; a parent's time includes its children's. A second table gives the SQL by
statement (Django's execute_wrapper). cProfile adds its overhead to every Python call,
so Python-heavy steps weigh more here than unprofiled; --no-profile times the ingest
alone for comparison.
"""

import argparse
import contextlib
import cProfile
import inspect
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus, dbsetup  # noqa: E402

PG_NAME = "bench_ingest_phases"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--no-profile", action="store_true", help="time the ingest alone, without cProfile"
    )
    parser.add_argument(
        "--unbatched",
        action="store_true",
        help="one index commit per bilag (a lone upload), not batched as the ingest command",
    )
    args = parser.parse_args()
    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        return run(args)
    finally:
        workspace.cleanup(PG_NAME)


def steps() -> list[tuple[str, object]]:
    """(label, function) of each step, in the table's order; two leading spaces a level.
    None stands for the store step, found in the profile."""
    import tantivy
    from django.core.files.storage import Storage
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model, QuerySet

    from library.ingest import metadata
    from library.ingest.formats import extract
    from library.ingest.language import passage_languages
    from library.ingest.passages import split_passages
    from library.ingest.shapes import parse_text
    from library.models.search import SearchOutboxQuerySet
    from library.search import index as search_index
    from library.topics.suggestions import suggest_tags, tag_new_bilag

    return [
        ("extract (txt/html)", extract),
        ("parse_text", parse_text),
        ("split_passages (classify)", split_passages),
        ("metadata.resolve", metadata.resolve),
        ("  passage_languages (detect_language)", passage_languages),
        ("suggest_tags (topic suggestions, before the transaction)", suggest_tags),
        (None, None),
        ("  Model.full_clean", Model.full_clean),
        ("    validate_unique", Model.validate_unique),
        ("    validate_constraints", Model.validate_constraints),
        ("  Storage.save (original)", Storage.save),
        ("  Model.save (bilag, publishers)", Model.save),
        ("  QuerySet.bulk_create (passages, tags)", QuerySet.bulk_create),
        ("  tag_new_bilag (storing the suggestions)", tag_new_bilag),
        ("  SearchOutbox.objects.queue_bilag (outbox row)", SearchOutboxQuerySet.queue_bilag),
        ("  COMMIT", BaseDatabaseWrapper.commit),
        (
            "search_index.apply_pending (on_commit or batched: the index)",
            search_index.apply_pending,
        ),
        ("  search_index.documents (passages read back)", search_index.documents),
        ("  IndexWriter.add_document", tantivy.IndexWriter.add_document),
        ("  IndexWriter.commit", tantivy.IndexWriter.commit),
        ("  IndexWriter.wait_merging_threads", tantivy.IndexWriter.wait_merging_threads),
    ]


def key(function) -> tuple[str, int, str]:
    """The profile's key of a function: (file, first line, name) of its own code, or
    ("~", 0, its repr) for a method written in C (Tantivy's)."""
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return "~", 0, repr(function)
    return code.co_filename, code.co_firstlineno, code.co_name


def store_step(stats: dict, full_clean) -> tuple[str, int, str] | None:
    """The function of library.ingest.services that calls Model.full_clean: the store step."""
    import library.ingest.services

    entry = stats.get(key(full_clean))
    if entry is None:
        return None
    callers = [c for c in entry[4] if c[0] == library.ingest.services.__file__]
    return callers[0] if callers else None


def print_steps(profiler: cProfile.Profile, total: float) -> None:
    stats = pstats.Stats(profiler).stats
    table = steps()
    full_clean = next(f for label, f in table if label == "  Model.full_clean")
    print(f"\n{'seconds':>9} {'%':>6} {'calls':>7}  step (cProfile, cumulative)")
    for label, function in table:
        if label is None:
            found = store_step(stats, full_clean)
            label = f"store step ({found[2]}), one transaction" if found else "store step"
        else:
            found = key(function)
        entry = stats.get(found) if found else None
        if entry is None:
            print(f"{'-':>9} {'-':>6} {0:7d}  {label} (not in the profile)")
            continue
        calls, seconds = entry[1], entry[3]
        print(f"{seconds:9.2f} {100 * seconds / total:6.1f} {calls:7d}  {label}")


def statement_kind(sql: str) -> str:
    """'INSERT library_passage', 'SELECT library_bilag', 'SAVEPOINT'…: verb and table."""
    words = sql.split(None, 3)
    verb = words[0].upper() if words else "?"
    if verb in ("INSERT", "DELETE") and len(words) > 2:
        table = words[2]
    elif verb == "UPDATE" and len(words) > 1:
        table = words[1]
    elif verb == "SELECT":
        match = re.search(r'\bFROM\s+"?(\w+)', sql, re.IGNORECASE)
        table = match.group(1) if match else ""
    else:
        table = ""
    return f"{verb} {table.strip(chr(34))}".strip()


def index_check() -> str:
    """The Tantivy index after the ingest: its documents, the content passages, the outbox."""
    from library.models import Passage, SearchOutbox
    from library.search import engine

    documents = engine.get_index().searcher().num_docs
    content = Passage.objects.filter(boilerplate=False).count()
    return (
        f"search index: {documents} documents for {content} content passages, "
        f"{SearchOutbox.objects.count()} outbox rows left, {engine.size_bytes() / 2**20:.1f} MiB"
    )


def run(args) -> int:
    from django.db import connection

    from library.ingest.results import ADDED
    from library.ingest.services import bilag_ingest
    from library.search import index as search_index

    sql: dict[str, list] = {}

    def count_sql(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            entry = sql.setdefault(statement_kind(statement), [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    files = corpus.generate(args.count)
    profiler = None if args.no_profile else cProfile.Profile()
    started = time.perf_counter()
    batch = contextlib.nullcontext() if args.unbatched else search_index.batched()
    with connection.execute_wrapper(count_sql):
        if profiler:
            profiler.enable()
        with batch:
            results = [bilag_ingest(name=f.name, data=f.data, metadata=f.manifest) for f in files]
        if profiler:
            profiler.disable()
    total = time.perf_counter() - started
    for result in results:
        if result.outcome != ADDED:
            print(result.line())
    statements = sum(count for count, _s in sql.values())
    print(
        f"{args.database}: {len(files)} bilag in {total:.2f} s "
        f"({1000 * total / len(files):.1f} ms each{', under cProfile' if profiler else ''}); "
        f"{statements} SQL statements ({statements / len(files):.1f} per bilag) took "
        f"{sum(s for _c, s in sql.values()):.2f} s"
    )
    print(index_check())
    if profiler:
        print_steps(profiler, total)
    print(f"\n{'seconds':>9} {'%':>6} {'calls':>7}  SQL statement")
    for kind, (count, seconds) in sorted(sql.items(), key=lambda item: -item[1][1]):
        print(f"{seconds:9.2f} {100 * seconds / total:6.1f} {count:7d}  {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
