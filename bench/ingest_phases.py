"""Where ingestion time goes: wall time per step of bilag_ingest, without cProfile's overhead.

    .venv/bin/python bench/ingest_phases.py --count 1000 --database postgres

Wraps the steps of library.services (extract, parse_text, split_passages,
detect_language, _store) and what _store calls (full_clean and its validate_unique /
validate_constraints, storage.save, Bilag.save, Passage bulk_create, COMMIT) with
timers, ingests N generated bilag (see bench/corpus.py) into a fresh database and prints
seconds and share of the total per step. Nested steps are indented: a parent's time
includes its children's.
"""

import argparse
import functools
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
    args = parser.parse_args()
    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        return run(args)
    finally:
        workspace.cleanup(PG_NAME)


def run(args) -> int:
    from django.core.files.storage import FileSystemStorage
    from django.db import connection, connections
    from django.db.models import Model

    import library.services as services
    from library.models import Bilag, Passage

    timers: dict[str, list] = {}

    def timed(owner, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        timers[label] = [0, 0.0]

        @functools.wraps(original)
        def wrapper(*a, **k):
            started = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                timers[label][0] += 1
                timers[label][1] += time.perf_counter() - started

        setattr(owner, attr, wrapper)

    timed(services, "extract", "extract (txt/html)")
    timed(services, "parse_text", "parse_text")
    timed(services, "split_passages", "split_passages")
    timed(services, "detect_language", "detect_language")
    timed(services, "_store", "_store (one transaction)")
    timed(Model, "full_clean", "  full_clean")
    timed(Model, "validate_unique", "    validate_unique")
    timed(Model, "validate_constraints", "    validate_constraints")
    timed(FileSystemStorage, "save", "  storage.save (original file)")
    timed(Bilag, "save", "  Bilag.save")
    timed(type(Passage.objects), "bulk_create", "  Passage bulk_create")
    timed(type(connections["default"]), "_commit", "  COMMIT")

    sql = [0, 0.0]

    def count_sql(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql[0] += 1
            sql[1] += time.perf_counter() - started

    files = corpus.generate(args.count)
    started = time.perf_counter()
    with connection.execute_wrapper(count_sql):
        for generated in files:
            result = services.bilag_ingest(
                name=generated.name, data=generated.data, metadata=generated.manifest
            )
            if result.outcome != services.ADDED:
                print(result.line())
    total = time.perf_counter() - started
    print(
        f"{args.database}: {len(files)} bilag in {total:.2f} s "
        f"({1000 * total / len(files):.1f} ms each); {sql[0]} SQL statements "
        f"({sql[0] / len(files):.1f} per bilag) took {sql[1]:.2f} s"
    )
    for label, (calls, seconds) in timers.items():
        print(f"{seconds:7.2f} s {100 * seconds / total:5.1f} % {calls:6d}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
