"""What both loaders share: column lists, a chunk's rows, COPY text, ids, the reindex.

A generated chunk (bench/searchcorpus/generator.py) becomes bilag rows and passage rows
in BILAG_COLUMNS / PASSAGE_COLUMNS order, with ids and bilag numbers continuing after
the highest already in the database. PostgreSQL gets them as COPY text. Both loaders
end with `reindex_timed`: the Tantivy index built from the database, timed.
"""

import time

from bench import vocabulary

BILAG_COLUMNS = (
    "id, number, country, publisher_id, title, published, published_precision, intake, "
    "language, status, withdrawn_on, withdrawn_reason, original, original_name, kind, sha256, "
    "full_text, shape, ocr_pages, unread_pages, created_at, created_by_id, updated_at"
)
PASSAGE_COLUMNS = (
    'id, bilag_id, ordinal, text, start, "end", page, language, boilerplate, boilerplate_kind, '
    "country, publisher_id, published, intake, withdrawn"
)


def placeholders(columns: str) -> str:
    """Placeholders for executemany: one %s per column of a column list."""
    return ", ".join(["%s"] * len(columns.split(",")))


def next_ids(cursor) -> tuple[int, int, int, int]:
    """(next bilag id, highest bilag number, next passage id, passages already there)."""
    cursor.execute("SELECT coalesce(max(id), 0), coalesce(max(number), 0) FROM library_bilag")
    bilag_id, number = cursor.fetchone()
    cursor.execute("SELECT coalesce(max(id), 0), count(*) FROM library_passage")
    passage_id, existing = cursor.fetchone()
    return bilag_id + 1, number, passage_id + 1, existing


def missing_publishers(cursor) -> list[str]:
    """The corpus's publishers not yet in library_publisher (matched by name)."""
    cursor.execute("SELECT name FROM library_publisher")
    known = {name for (name,) in cursor.fetchall()}
    return [name for name in vocabulary.PUBLISHERS if name not in known]


def publisher_ids(cursor) -> list[int]:
    """The id of each of the corpus's publishers, in vocabulary.PUBLISHERS order."""
    cursor.execute("SELECT name, id FROM library_publisher")
    known = dict(cursor.fetchall())
    return [known[name] for name in vocabulary.PUBLISHERS]


def row_tuples(chunk, bilag_id: int, passage_id: int, publisher_ids: list[int], zone=""):
    """Bilag and passage rows (in BILAG_COLUMNS / PASSAGE_COLUMNS order) of a chunk, and
    the next free ids."""
    bilag_rows, passage_rows = [], []
    for item in chunk:
        created = f"{item['intake'].isoformat()} 10:00:00{zone}"
        publisher = None if item["publisher"] is None else publisher_ids[item["publisher"]]
        bilag_rows.append(
            (
                bilag_id,
                item["number"],
                item["country"],
                publisher,
                item["title"],
                item["published"].isoformat(),
                item["precision"],
                item["intake"].isoformat(),
                item["language"],
                item["status"],
                item["withdrawn_on"].isoformat() if item["withdrawn_on"] else None,
                item["withdrawn_reason"],
                item["original"],
                item["original_name"],
                item["kind"],
                item["sha256"],
                item["full_text"],
                item["shape"],
                "[]",
                "[]",
                created,
                None,
                created,
            )
        )
        for ordinal, text, start, end, page, language, plate in item["passages"]:
            passage_rows.append(
                (
                    passage_id,
                    bilag_id,
                    ordinal,
                    text,
                    start,
                    end,
                    page,
                    language,
                    bool(plate),
                    plate,
                    item["country"],
                    publisher,
                    item["published"].isoformat(),
                    item["intake"].isoformat(),
                    item["status"] == "withdrawn",
                )
            )
            passage_id += 1
        bilag_id += 1
    return bilag_rows, passage_rows, bilag_id, passage_id


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
    return str(value)


def copy_lines(rows) -> str:
    """Rows in PostgreSQL's COPY text format (tab-separated, \\N for NULL)."""
    return "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)


def timed(iterable, timings: dict, key: str):
    """Yield from `iterable`, adding the time spent inside it to timings[key]."""
    timings.setdefault(key, 0.0)
    iterator = iter(iterable)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            timings[key] += time.perf_counter() - t0
            return
        timings[key] += time.perf_counter() - t0
        yield item


def reindex_timed(progress: bool, timings: dict) -> dict:
    """The Tantivy index rebuilt from the database (both loaders): passages, seconds, rate."""
    from library.search import engine
    from library.search.index import reindex_all

    t0 = time.perf_counter()
    done = reindex_all(progress=progress)
    seconds = time.perf_counter() - t0
    timings["Tantivy index (reindex_all)"] = seconds
    return {
        "passages": done,
        "seconds": seconds,
        "rate": done / seconds if seconds else 0.0,
        "bytes": engine.size_bytes(),
        "folder": str(engine.index_dir()),
    }
