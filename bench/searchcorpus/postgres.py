"""Loading the search corpus into PostgreSQL: COPY, search vectors on a second connection.

Publishers and bilag are COPYed (psycopg 3 `cursor.copy`) straight into their tables;
passages are COPYed, a chunk at a time, into an UNLOGGED staging table and moved into
library_passage by `INSERT … SELECT … to_tsvector(<config>, text)` on a second
connection while the next chunk is generated, so Python and the database work at the
same time. The search index is dropped first and built once at the end
(`library.search.index.create_index()`, RUM where installed); then VACUUM ANALYZE.
--keep-index loads into the indexed table instead (slower: see bench/README.md).
"""

import os
import queue
import sys
import threading
import time

from bench.searchcorpus import rows
from bench.searchcorpus.generator import generate

STAGE_COLUMNS = (
    "id bigint, bilag_id bigint, ordinal integer, text text, start integer, "
    '"end" integer, page integer, language varchar(3), boilerplate boolean, '
    "boilerplate_kind varchar(20), country varchar(2), publisher_id bigint, "
    "published date, intake date, withdrawn boolean"
)
TABLES = ("library_publisher", "library_bilag", "library_passage")


class VectorWorker(threading.Thread):
    """Second connection: staging chunk -> library_passage with to_tsvector, in the database."""

    def __init__(self, url: str, insert_sql: str):
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET synchronous_commit = off")
        self.insert_sql = insert_sql
        self.tasks: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.busy_seconds = 0.0

    def run(self):
        while True:
            table = self.tasks.get()
            if table is None:
                return
            if self.error:
                continue
            try:
                started = time.perf_counter()
                with self.conn.transaction():
                    self.conn.execute(self.insert_sql.format(stage=table))
                self.conn.execute(f"DROP TABLE {table}")
                self.busy_seconds += time.perf_counter() - started
            except BaseException as exc:  # reported by the main thread
                self.error = exc

    def finish(self) -> None:
        """Wait for the chunks still queued, close, and raise what went wrong, if anything."""
        self.tasks.put(None)
        self.join()
        self.conn.close()
        if self.error:
            raise self.error


def load(args, url: str) -> dict:
    """Load --passages generated passages; returns counts, seconds and a timing per step."""
    from django.db import connection

    from library.search.backends import GIN_INDEX, RUM_INDEX, uses_rum, vector_sql

    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn = connection.cursor().connection  # psycopg 3 Connection under Django's wrapper
    conn.execute("SET synchronous_commit = off")
    cur = conn.cursor()
    bilag_id, number, passage_id, existing_passages = rows.next_ids(cur)
    missing = rows.missing_publishers(cur)
    if missing:
        with cur.copy("COPY library_publisher (name) FROM STDIN") as copy:
            copy.write(rows.copy_lines((name,) for name in missing))
    publisher_ids = rows.publisher_ids(cur)

    had_rum = uses_rum()
    if not args.keep_index:
        cur.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        cur.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    worker = VectorWorker(
        url,
        f"INSERT INTO library_passage ({rows.PASSAGE_COLUMNS}, search_vector) "
        f"SELECT {rows.PASSAGE_COLUMNS}, CASE WHEN boilerplate THEN NULL "
        f"ELSE {vector_sql()} END "
        "FROM {stage} ORDER BY id",
    )
    worker.start()
    chunks = generate(args.passages, args.seed, number + 1)
    loaded_bilag, loaded_passages = _stream(
        args, cur, worker, chunks, (bilag_id, passage_id, publisher_ids), timings, started
    )
    t0 = time.perf_counter()
    worker.finish()
    timings["wait for vectors"] = time.perf_counter() - t0
    timings["to_tsvector + insert (2nd connection)"] = worker.busy_seconds
    index_kind = _finish(cur, args, had_rum, timings)
    cur.close()
    return {
        "bilag": loaded_bilag,
        "passages": loaded_passages,
        "existing_passages": existing_passages,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "index": index_kind,
    }


def _stream(args, cur, worker, chunks, start, timings, started) -> tuple[int, int]:
    """COPY each chunk's bilag into library_bilag and its passages into a staging table
    the worker then moves; returns the bilag and passages loaded."""
    bilag_id, passage_id, publisher_ids = start
    generate_seconds = copy_seconds = 0.0
    loaded_bilag = loaded_passages = 0
    for k, chunk in enumerate(rows.timed(chunks, timings, "generate")):
        t0 = time.perf_counter()
        bilag_rows, passage_rows, next_bilag, next_passage = rows.row_tuples(
            chunk, bilag_id, passage_id, publisher_ids, zone="+00"
        )
        bilag_text, passage_text = rows.copy_lines(bilag_rows), rows.copy_lines(passage_rows)
        generate_seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        stage = f"bench_passage_stage_{os.getpid()}_{k}"
        cur.execute(f"CREATE UNLOGGED TABLE {stage} ({STAGE_COLUMNS})")
        with cur.copy(f"COPY library_bilag ({rows.BILAG_COLUMNS}) FROM STDIN") as copy:
            copy.write(bilag_text)
        with cur.copy(f"COPY {stage} ({rows.PASSAGE_COLUMNS}) FROM STDIN") as copy:
            copy.write(passage_text)
        copy_seconds += time.perf_counter() - t0
        if worker.error:
            break
        worker.tasks.put(stage)  # blocks while two chunks wait: bounded memory
        loaded_bilag += next_bilag - bilag_id
        loaded_passages += next_passage - passage_id
        bilag_id, passage_id = next_bilag, next_passage
        if args.progress:
            elapsed = time.perf_counter() - started
            print(
                f"  {loaded_passages:>10,} passages staged, {elapsed:6.1f} s",
                file=sys.stderr,
                flush=True,
            )
    timings["generate (python)"] = timings.pop("generate") + generate_seconds
    timings["copy (bilag + staging)"] = copy_seconds
    return loaded_bilag, loaded_passages


def _finish(cur, args, had_rum: bool, timings: dict) -> str:
    """Sequences past the loaded ids, the search index rebuilt, VACUUM ANALYZE; returns
    the index kind."""
    from library.search import index

    for table in TABLES:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    index_kind = "kept"
    if not args.keep_index:
        t0 = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        index_kind = index.create_index("rum" if had_rum or args.index == "rum" else args.index)
        cur.execute("RESET maintenance_work_mem")
        timings[f"create index ({index_kind})"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for table in TABLES:
        cur.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum analyze"] = time.perf_counter() - t0
    return index_kind
