"""Loading the search corpus into SQLite: executemany per chunk, then the Tantivy index.

Each chunk's bilag and passages go in with `executemany`, one transaction a chunk; then
ANALYZE updates the planner's statistics and `library.search.index.reindex_all()` builds
the Tantivy index from the database once (timed on its own: passages/s).
"""

import time

from bench.searchcorpus import rows
from bench.searchcorpus.generator import generate


def load(args) -> dict:
    """Load --passages generated passages; returns counts, seconds and a timing per step."""
    from django.db import connection, transaction

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cur:
        bilag_id, number, passage_id, existing = rows.next_ids(cur)
        missing = rows.missing_publishers(cur)
        with transaction.atomic():
            cur.executemany(
                "INSERT INTO library_publisher (name) VALUES (%s)", [(n,) for n in missing]
            )
        publisher_ids = rows.publisher_ids(cur)
    first_passage = passage_id
    loaded_bilag = 0
    bilag_sql = (
        f"INSERT INTO library_bilag ({rows.BILAG_COLUMNS}) "
        f"VALUES ({rows.placeholders(rows.BILAG_COLUMNS)})"
    )
    passage_sql = (
        f"INSERT INTO library_passage ({rows.PASSAGE_COLUMNS}) "
        f"VALUES ({rows.placeholders(rows.PASSAGE_COLUMNS)})"
    )
    chunks = generate(args.passages, args.seed, number + 1)
    for chunk in rows.timed(chunks, timings, "generate (python)"):
        t0 = time.perf_counter()
        bilag_rows, passage_rows, bilag_id, passage_id = rows.row_tuples(
            chunk, bilag_id, passage_id, publisher_ids
        )
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(bilag_sql, bilag_rows)
            cur.executemany(passage_sql, passage_rows)
        loaded_bilag += len(bilag_rows)
        timings["insert"] = timings.get("insert", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    reindex = rows.reindex_timed(args.progress, timings)
    return {
        "bilag": loaded_bilag,
        "passages": passage_id - first_passage,
        "existing_passages": existing,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "reindex": reindex,
    }
