"""The search index follows the library: ingest, language corrections, `manage.py reindex`,
the choice of PostgreSQL index, and estimated counts past the cap."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from library.ingest.services import bilag_ingest
from library.search import backends, selectors
from library.search.selectors import passage_search
from library.services import bilag_update

TODAY = dt.date(2026, 11, 22)

DANISH = (
    "Flygtningenævnets baggrundsmateriale\n\n"
    "Bilagsnr.:\t901\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\tLejrene i nord\n"
    "Udgivet:\t1. marts 2019\nOptaget på baggrundsmaterialet:\t1. april 2019\n\n"
    "Familierne bor stadig i lejrene nær grænsen.\n\n"
    "Forholdene i området er fortsat vanskelige for de mange familier.\n"
)


def _hits(query: str, **filters) -> list[tuple[int, int]]:
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    return [(hit.bilag.number, hit.passage.ordinal) for hit in results.hits]


@pytest.fixture
def danish(db):
    result = bilag_ingest(
        name="lejre.txt", data=DANISH.encode(), metadata={"language": "da"}, today=TODAY
    )
    assert result.outcome == "added", result.line()
    return result.bilag


def _wipe_index():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE library_passage SET search_vector = NULL")
        else:
            cursor.execute(f"DELETE FROM {backends.FTS_TABLE}")


def test_ingest_makes_a_bilag_searchable_at_once(danish):
    assert _hits("lejr") == [(901, 1)]


def test_reindex_rebuilds_a_lost_index(danish):
    _wipe_index()
    assert _hits("lejr") == []

    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out)

    assert "reindexed 2 passages" in out.getvalue()
    assert _hits("lejr") == [(901, 1)]
    assert set(_hits("familie")) == {(901, 1), (901, 2)}


def test_a_language_correction_restems_the_bilag(danish):
    assert _hits("lejr") == [(901, 1)]

    # Read as English, "lejrene" is no longer a form of "lejr" (English stems it "lejren").
    bilag_update(bilag=danish, language="en")
    assert _hits("lejr") == []
    assert _hits("lejrene") == [(901, 1)]

    bilag_update(bilag=danish, language="da")
    assert _hits("lejr") == [(901, 1)]


def test_boilerplate_has_no_index_entry(db, seeds_dir):
    name = "004_e1216e5ac3c25b1b.txt"
    result = bilag_ingest(name=name, data=(seeds_dir / name).read_bytes(), today=TODAY)
    bilag = result.bilag
    boilerplate = set(bilag.passages.filter(boilerplate=True).values_list("id", flat=True))
    assert boilerplate, "the BBC page has a cookie banner and menus"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM library_passage WHERE bilag_id = %s AND search_vector IS NOT NULL",
                [bilag.id],
            )
        else:
            cursor.execute(f"SELECT rowid FROM {backends.FTS_TABLE}")
        indexed = {row[0] for row in cursor.fetchall()}
    content = set(bilag.passages.filter(boilerplate=False).values_list("id", flat=True))
    assert indexed == content
    assert not indexed & boilerplate


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL index kinds")
def test_reindex_can_switch_between_rum_and_gin(danish):
    out = io.StringIO()
    call_command("reindex", "--no-progress", "--index", "gin", stdout=out)
    assert "search index: gin" in out.getvalue()
    assert not backends.uses_rum()
    assert _hits("lejr") == [(901, 1)]

    call_command("reindex", "--no-progress", "--index", "auto", stdout=out)
    assert backends.uses_rum() == backends.PostgresBackend().rum_available()
    assert _hits("lejr") == [(901, 1)]


def test_counts_past_the_cap(danish, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    results = passage_search(query="familie")
    assert [(h.bilag.number, h.passage.ordinal) for h in results.hits] != []
    assert len(results.hits) == 2, "the hits themselves are never estimated"
    if connection.vendor == "postgresql":
        assert results.estimated
        assert results.total >= 2, "an estimate past the cap is at least the cap + 1"
    else:
        assert not results.estimated, "SQLite always counts exactly"
        assert results.total == 2


def test_passages_follow_their_bilag_corrections_and_withdrawal(danish):
    from library.services import bilag_withdraw

    assert _hits("lejr", country="SY") == [(901, 1)]

    bilag_update(bilag=danish, country="IQ", publisher="UNHCR", published="2019-05")
    assert _hits("lejr", country="SY") == []
    assert _hits("lejr", country="IQ") == [(901, 1)]
    assert _hits("lejr", published_min="2019-05-01", published_max="2019-05-31") == [(901, 1)]
    copies = set(danish.passages.values_list("country", "publisher__name", "published"))
    assert copies == {("IQ", "UNHCR", dt.date(2019, 5, 1))}

    bilag_withdraw(bilag=danish, reason="Superseded by a newer report")
    assert _hits("lejr") == []
    assert _hits("lejr", status="all") == [(901, 1)]
    assert set(danish.passages.values_list("withdrawn", flat=True)) == {True}
