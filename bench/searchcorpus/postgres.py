"""Loading the search corpus into PostgreSQL: COPY on a second connection, then Tantivy.

Publishers are COPYed (psycopg 3 `cursor.copy`) into their table; then, a chunk at a
time, a second connection COPYs the chunk's bilag and passages straight into
library_bilag and library_passage (one transaction a chunk) while Python generates the
next, so both cores work. Then the sequences are moved past the loaded ids, VACUUM
ANALYZE, and the Tantivy index is built from the database once
(`library.search.index.reindex_all()`, timed on its own: passages/s).
"""

import queue
import sys
import threading
import time

from bench.searchcorpus import rows
from bench.searchcorpus.generator import generate

TABLES = ("library_publisher", "library_bilag", "library_passage")


class CopyWorker(threading.Thread):
    """Second connection: each chunk's bilag and passages COPYed in one transaction."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET synchronous_commit = off")
        self.tasks: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.busy_seconds = 0.0

    def run(self):
        while True:
            task = self.tasks.get()
            if task is None:
                return
            if self.error:
                continue
            bilag_text, passage_text = task
            try:
                started = time.perf_counter()
                with self.conn.transaction(), self.conn.cursor() as cur:
                    with cur.copy(f"COPY library_bilag ({rows.BILAG_COLUMNS}) FROM STDIN") as copy:
                        copy.write(bilag_text)
                    sql = f"COPY library_passage ({rows.PASSAGE_COLUMNS}) FROM STDIN"
                    with cur.copy(sql) as copy:
                        copy.write(passage_text)
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

    worker = CopyWorker(url)
    worker.start()
    chunks = generate(args.passages, args.seed, number + 1)
    try:
        loaded_bilag, loaded_passages = _stream(
            args, worker, chunks, (bilag_id, passage_id, publisher_ids), timings, started
        )
    finally:
        t0 = time.perf_counter()
        worker.finish()
        timings["wait for the last COPY"] = time.perf_counter() - t0
    timings["COPY bilag + passages (2nd connection)"] = worker.busy_seconds
    _finish(cur, timings)
    cur.close()
    reindex = rows.reindex_timed(args.progress, timings)
    return {
        "bilag": loaded_bilag,
        "passages": loaded_passages,
        "existing_passages": existing_passages,
        "publishers": len(missing),
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "reindex": reindex,
    }


def _stream(args, worker, chunks, start, timings, started) -> tuple[int, int]:
    """Each chunk's rows as COPY text, handed to the worker; returns the bilag and
    passages loaded."""
    bilag_id, passage_id, publisher_ids = start
    rows_seconds = 0.0
    loaded_bilag = loaded_passages = 0
    for chunk in rows.timed(chunks, timings, "generate"):
        t0 = time.perf_counter()
        bilag_rows, passage_rows, next_bilag, next_passage = rows.row_tuples(
            chunk, bilag_id, passage_id, publisher_ids, zone="+00"
        )
        task = (rows.copy_lines(bilag_rows), rows.copy_lines(passage_rows))
        rows_seconds += time.perf_counter() - t0
        if worker.error:
            break
        worker.tasks.put(task)  # blocks while two chunks wait: bounded memory
        loaded_bilag += next_bilag - bilag_id
        loaded_passages += next_passage - passage_id
        bilag_id, passage_id = next_bilag, next_passage
        if args.progress:
            elapsed = time.perf_counter() - started
            print(
                f"  {loaded_passages:>10,} passages queued, {elapsed:6.1f} s",
                file=sys.stderr,
                flush=True,
            )
    timings["generate (python)"] = timings.pop("generate") + rows_seconds
    return loaded_bilag, loaded_passages


def _finish(cur, timings: dict) -> None:
    """Sequences past the loaded ids, then VACUUM ANALYZE."""
    for table in TABLES:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
    t0 = time.perf_counter()
    for table in TABLES:
        cur.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum analyze"] = time.perf_counter() - t0
