"""Loading the search corpus into SQLite: executemany per chunk, then FTS5 built once.

Each chunk's bilag and passages go in with `executemany`, one transaction a chunk; then
`library.search.index.reindex_all()` fills the FTS5 table and ANALYZE updates the
planner's statistics.
"""

import time

from bench.searchcorpus import rows
from bench.searchcorpus.generator import generate


def load(args) -> dict:
    """Load --passages generated passages; returns counts, seconds and a timing per step."""
    from django.db import connection, transaction

    from library.search.index import reindex_all

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
        f"INSERT INTO library_bilag ({rows.BILAG_COLUMNS}) VALUES ({', '.join(['%s'] * 21)})"
    )
    passage_sql = (
        f"INSERT INTO library_passage ({rows.PASSAGE_COLUMNS}) VALUES ({', '.join(['%s'] * 15)})"
    )
    chunks = generate(args.passages, args.seed, number + 1)
    for chunk in rows.timed(chunks, timings, "generate"):
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
    reindex_all(progress=args.progress)
    timings["FTS5 (reindex_all)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    return {
        "bilag": loaded_bilag,
        "passages": passage_id - first_passage,
        "existing_passages": existing,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "index": "fts5",
    }
