"""Staged rows (library/topics/bulk.py): one temporary table a connection, emptied after
each use; many ingests inside one transaction do not pile up locks (PostgreSQL)."""

import pytest
from django.db import connection, transaction

from library.models import Passage
from library.topics.bulk import StagedRows

FIELDS = [Passage._meta.get_field(name) for name in ("ordinal", "text")]


def _locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
        return cursor.fetchone()[0]


def _count(staged: StagedRows) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {staged.table}")
        return cursor.fetchone()[0]


def test_each_use_starts_empty_and_leaves_nothing(db):
    with StagedRows("baggrund_test_staged", FIELDS) as staged:
        staged.add((n, f"tekst {n}") for n in range(1, 12_001))  # more than one batch
        assert (staged.rows, _count(staged)) == (12_000, 12_000)
    with StagedRows("baggrund_test_staged", FIELDS) as again:
        assert _count(again) == 0
        again.add([(1, "en")])
        assert _count(again) == 1
    assert _count(again) == 0


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_locks is PostgreSQL's")
def test_many_uses_in_one_transaction_hold_no_more_locks(db):
    """Made and dropped each time, every use left its dropped table's locks until the
    transaction ended: a test ingesting 1,200 files ran out of them."""
    with transaction.atomic():
        with StagedRows("baggrund_test_staged", FIELDS) as staged:
            staged.add([(1, "en")])
        after_one = _locks()
        for n in range(30):
            with StagedRows("baggrund_test_staged", FIELDS) as staged:
                staged.add([(n, "to")])
        assert _locks() <= after_one
