"""Keeping the search index in step with the passages.

The ingest and metadata services call `index_bilag` inside their own transaction, so a
bilag is searchable exactly when it is committed. `manage.py reindex` calls
`reindex_all` after a change to how passages are indexed.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from tqdm import tqdm

from library.search.backends import backend

REINDEX_BATCH = 5_000


def vector_value(text: str, language: str, boilerplate: bool):
    """What a new Passage's search_vector is set to (an SQL expression, or None)."""
    return None if boilerplate else backend().vector_value(text, language)


def index_new_bilag(bilag_id: int) -> None:
    """Index a just-created bilag whose passages were made with vector_value()."""
    backend().index_new_bilag(bilag_id)


def index_bilag(bilag_ids: Iterable[int]) -> None:
    """(Re)index every passage of these bilag; boilerplate is left out of the index."""
    ids = list(bilag_ids)
    if ids:
        backend().index_bilag(ids)


def tags_changed_in_bulk() -> None:
    """After a bulk change of topic tags (retag): PostgreSQL gets fresh statistics at
    once. With stale ones (before autovacuum gets to it) the planner reads every tag to
    find the tags of a search's 20 hits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_passagetopic")


def drop_index() -> None:
    """Drop the search index (PostgreSQL) so a bulk rebuild need not maintain it."""
    backend().drop_index()


def create_index(kind: str = "auto") -> str:
    """(Re)create the database's search index; returns its kind (rum, gin or fts5)."""
    return backend().create_index(kind)


def reindex_all(*, progress: bool = True, batch: int = REINDEX_BATCH) -> int:
    """Rebuild every passage's search entry in batches of ids, one transaction each."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM library_passage")
        first, last, total = cursor.fetchone()
    if not total:
        return 0
    engine = backend()
    done = 0
    with tqdm(total=total, unit="passage", disable=not progress) as bar:
        for start in range(first, last + 1, batch):
            with transaction.atomic():
                count = engine.reindex_range(start, start + batch - 1)
            done += count
            bar.update(count)
    return done
