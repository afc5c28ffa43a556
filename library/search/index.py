"""Keeping the Tantivy index in step with the database: the outbox, applied after commit.

Services call `SearchOutbox.objects.queue_bilag` / `queue_passages` inside their own
transaction (the model layer, so that topics need not import search): the rows
they add (library.models.SearchOutbox) commit or roll back with the change itself. After
the commit `apply_pending` takes the index's write lock, reads the rows, replaces the
index entries of those bilag and passages by what the database now holds, commits the
index and deletes the rows it applied. A process that dies between the database commit
and the index commit leaves its rows; the next `apply_pending` (any search, any write,
`manage.py reindex --pending`) applies them. Applying is idempotent, and the rows are
read before the passages, so a change committed meanwhile is never lost: its own row
is still there for the next round.

`reindex_all` rebuilds the whole index from the database in one index commit (readers
keep the old entries until it lands).
"""

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from library import languages
from library.models import Bilag, Passage, PassageTopic, SearchOutbox
from library.models.search import register_applier
from library.search import engine

logger = logging.getLogger(__name__)

APPLY_BATCH = 500  # outbox rows per index commit
BATCH_SECONDS = 5.0
# A search applies outbox rows older than this itself: a writer that died after its
# commit left them (younger rows are its writer's to apply, within BATCH_SECONDS).
STALE_SECONDS = 15.0
REINDEX_BATCH = 5_000  # passages made into documents at a time (their tags read at once)
BATCH_CHARS = 4_000_000  # … or fewer, when their text is this long
FETCH_ROWS = 500  # rows fetched from the database at a time
# Text handed to the index writer between two of its commits while changes are applied.
# Tantivy queues up to 10,000 documents for its indexing thread, each with its text
# three times (its language's field, words, acronyms): passages of 8,000 characters
# queued that way held some 240 MB (bench/long_paragraph_memory.py, the index phase).
APPLY_COMMIT_CHARS = 8_000_000
REINDEX_HEAP = 400_000_000
_PRECISION = {Bilag.Precision.YEAR: 1, Bilag.Precision.MONTH: 2, Bilag.Precision.DAY: 3}
_ROW = ("id", "bilag_id", "ordinal", "text", "language", "country", "publisher_id")
_ROW += ("published", "intake", "withdrawn")
_TEXT = _ROW.index("text")
# Room for each part of a sort key (see _sort_key); beyond it the order of ties is kept
# by the next part only.
_ID_BITS, _ORDINAL_BITS = 24, 20


# Inside `batched()`: apply after a commit only when this many seconds have passed since
# the last apply (each index commit costs tens of milliseconds of fsync).
_batch = threading.local()


def _after_commit() -> None:
    interval = getattr(_batch, "seconds", None)
    if interval is not None and time.monotonic() - _batch.applied < interval:
        return  # the rows wait; any search applies them too
    _apply_after_commit()
    if interval is not None:
        _batch.applied = time.monotonic()


def _apply_after_commit() -> None:
    """apply_pending after a commit, which has happened: a failure of the index is
    logged and the outbox keeps the change, never reported as a failed write."""
    try:
        apply_pending()
    except engine.IndexLockTimeout as exc:
        logger.warning("search index not updated now (%s); the outbox keeps the change", exc)
    except Exception:
        logger.exception("search index not updated; the outbox keeps the change")


@contextlib.contextmanager
def batched(seconds: float = BATCH_SECONDS):
    """Many writes in a row (the ingest command): the outbox is applied at most every
    `seconds` and once at the end, instead of one index commit per transaction. A
    search meanwhile applies what is waiting, so nothing committed is missed."""
    outer = getattr(_batch, "seconds", None)
    _batch.seconds, _batch.applied = seconds, time.monotonic()
    try:
        yield
    finally:
        _batch.seconds = outer
        if outer is None:
            _apply_after_commit()


register_applier(_after_commit)


def can_apply() -> bool:
    """Whether this connection sees only committed rows (or the tests say it may apply
    its own transaction's rows: every test runs in one transaction that is rolled back,
    with an index folder of its own)."""
    return not connection.in_atomic_block or settings.BAGGRUND_SEARCH_APPLY_IN_TRANSACTION


def apply_pending(*, blocking: bool = True, progress: bool = False) -> int:
    """Apply the outbox to the index; returns the number of rows applied.

    `blocking=False` (searches) returns at once when another process is applying.
    """
    if not can_apply():
        return 0
    applied = ensure_built()
    index = engine.get_index()
    with index.write_lock(blocking=blocking) as locked:
        if not locked:
            return 0
        total = SearchOutbox.objects.count() if progress else 0
        with tqdm(total=total, unit="change", disable=not progress) as bar:
            while rows := list(
                SearchOutbox.objects.order_by("id").values_list("id", "bilag_id", "passage_id")[
                    :APPLY_BATCH
                ]
            ):
                _apply(index, rows)
                SearchOutbox.objects.filter(id__in=[row[0] for row in rows]).delete()
                applied += len(rows)
                bar.update(len(rows))
    return applied


_stale_checked = 0.0  # when this process last looked (monotonic seconds)


def stale() -> bool:
    """Whether the outbox holds rows no writer will apply (see STALE_SECONDS), asked of
    the database at most once a second per process; in the tests' single transaction,
    any row, every time."""
    global _stale_checked
    rows = SearchOutbox.objects.all()
    if not settings.BAGGRUND_SEARCH_APPLY_IN_TRANSACTION:
        now = time.monotonic()
        if now - _stale_checked < 1.0:
            return False
        _stale_checked = now
        rows = rows.filter(queued__lt=timezone.now() - dt.timedelta(seconds=STALE_SECONDS))
    return rows.exists()


def _apply(index: engine.SearchIndex, rows) -> None:
    whole = {bilag_id for _id, bilag_id, passage_id in rows if passage_id is None}
    single = {p for _id, bilag_id, p in rows if p is not None and bilag_id not in whole}
    with index.writer() as writer:
        # By query: delete_documents_by_term reads a Python int as a signed term, which
        # never equals an unsigned field's.
        if whole:
            writer.delete_documents_by_query(_term_set("bilag", whole))
        if single:
            writer.delete_documents_by_query(_term_set("id", single))
        found = Passage.objects.filter(Q(bilag_id__in=whole) | Q(id__in=single))
        queued = 0
        for document, length in documents(found.filter(boilerplate=False), lengths=True):
            writer.add_document(document)
            queued += length
            if queued > APPLY_COMMIT_CHARS:
                _commit_part(writer)
                queued = 0


def _commit_part(writer) -> None:
    """Commit what _apply has added so far. Searches may meanwhile see part of a large
    bilag's passages; its outbox rows go only when all are in (apply_pending), so a
    failure is applied again from the start."""
    writer.commit()


def _term_set(field: str, values) -> tantivy.Query:
    return tantivy.Query.term_set_query(engine.SCHEMA, field, sorted(values))


def _sort_key(day: int, bilag_id: int, ordinal: int, *, descending: bool) -> int:
    """One unsigned number that orders by date, then bilag (newer first when descending),
    then passage number (always ascending), so a date sort has one stable order."""
    bilag_part = min(bilag_id, (1 << _ID_BITS) - 1)
    ordinal = min(ordinal, (1 << _ORDINAL_BITS) - 1)
    ordinal_part = ((1 << _ORDINAL_BITS) - 1 - ordinal) if descending else ordinal
    return (day << (_ID_BITS + _ORDINAL_BITS)) | (bilag_part << _ORDINAL_BITS) | ordinal_part


def day_number(value: dt.date) -> int:
    """Days since 1 January of year 1 (the published and intake fields)."""
    return value.toordinal()


def documents(passages, *, lengths: bool = False) -> Iterable:
    """The index documents of a queryset of passages, read in batches (REINDEX_BATCH
    passages or BATCH_CHARS of text, whichever comes first); with `lengths`, (document,
    its text's length) each."""
    rows = passages.order_by("id").values_list(*_ROW)
    batch: list[tuple] = []
    chars = 0
    for row in rows.iterator(chunk_size=FETCH_ROWS):
        batch.append(row)
        chars += len(row[_TEXT])
        if len(batch) >= REINDEX_BATCH or chars >= BATCH_CHARS:
            yield from _batch_documents(batch, lengths)
            batch, chars = [], 0
    if batch:
        yield from _batch_documents(batch, lengths)


def _batch_documents(rows: list[tuple], lengths: bool = False):
    tags = PassageTopic.objects.live().topic_ids_by_passage([row[0] for row in rows])
    bilag = {
        pk: (number, _PRECISION.get(precision, 3))
        for pk, number, precision in Bilag.objects.filter(
            id__in={row[1] for row in rows}
        ).values_list("id", "number", "published_precision")
    }
    for pk, bilag_id, ordinal, text, language, country, publisher, published, intake, gone in rows:
        number, precision = bilag.get(bilag_id, (0, 3))
        published_day, intake_day = day_number(published), day_number(intake)
        config = languages.config_for(language)
        values = {
            "id": pk,
            "bilag": bilag_id,
            "number": number,
            "ordinal": ordinal,
            "publisher": publisher or 0,
            "withdrawn": int(gone),
            "published_precision": precision,
            "published": published_day,
            "intake": intake_day,
            "sort_newest": _sort_key(published_day, bilag_id, ordinal, descending=True),
            "sort_oldest": _sort_key(published_day, bilag_id, ordinal, descending=False),
            "sort_intake": _sort_key(intake_day, bilag_id, ordinal, descending=True),
            "prior": float(min(len(languages.WORD_RE.findall(text)), engine.PRIOR_CAP)),
            "language": language,
            "country": country,
            engine.TEXT_FIELDS[config]: text,
            "words": text,
            "acronym": text,
            "topic": tags.get(pk, []),
        }
        document = tantivy.Document.from_dict(values, engine.SCHEMA)
        yield (document, len(text)) if lengths else document


def reindex_all(*, progress: bool = True) -> int:
    """Rebuild the whole index from the database; the outbox is emptied with it."""
    index = engine.get_index()
    with index.write_lock():
        return _rebuild(index, progress)


def _rebuild(index: engine.SearchIndex, progress: bool) -> int:
    """reindex_all's work, inside the write lock: one index commit, then marked built."""
    total = Passage.objects.filter(boilerplate=False).count()
    done = 0
    last_row = SearchOutbox.objects.order_by("-id").values_list("id", flat=True).first()
    with (
        tqdm(total=total, unit="passage", disable=not progress) as bar,
        index.writer(heap=REINDEX_HEAP, threads=2) as writer,
    ):
        writer.delete_all_documents()
        for document in documents(Passage.objects.filter(boilerplate=False)):
            writer.add_document(document)
            done += 1
            if done % 1000 == 0:
                bar.update(1000)
        bar.update(done % 1000)
    if last_row is not None:
        SearchOutbox.objects.filter(id__lte=last_row).delete()
    index.mark_built()
    return done


def ensure_built() -> int:
    """At a process's first use of the index: an index never filled from the database (a
    new folder, another schema, a rebuild that did not finish) is built from it, and
    whatever the outbox holds is applied (a process that died after its commit left it).
    While another process holds the write lock (building it), this waits for nothing and
    asks again at the next use. Returns the outbox rows this took care of."""
    index = engine.get_index()
    if index.started or not can_apply():
        return 0
    waiting = SearchOutbox.objects.count()
    if not index.built():
        with index.write_lock(blocking=False) as locked:
            if not locked:
                return 0
            if not index.built():  # not built by the process that held the lock
                logger.info("building the search index in %s from the database", index.path)
                _rebuild(index, progress=False)
    index.started = True
    if waiting and SearchOutbox.objects.exists():
        apply_pending(blocking=False)
    return waiting and waiting - SearchOutbox.objects.count()
