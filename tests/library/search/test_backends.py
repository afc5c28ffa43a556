"""The PostgreSQL backends (library.search.backends): the RUM index and the GIN/ts_rank
fallback find the same hits."""

import pytest
from django.db import connection

from library.search import backends
from tests.library.search.corpus import search

pytestmark = pytest.mark.usefixtures("without_topics")

# --- PostgreSQL: the RUM index and the GIN/ts_rank fallback agree ---------------------------

RUM_QUERIES = [
    "hajin",
    "lejren",
    "hajin -syrien",
    '"humanitarian corridor"',
    "byen lejrene OR leirene",
    "flygt*",
    "camp",
]


def test_rum_and_gin_paths_find_the_same_hits(corpus, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("RUM and GIN are PostgreSQL indexes")
    backends.uses_rum.cache_clear()
    if not backends.uses_rum():
        pytest.skip("the rum extension is not installed: only the GIN path exists")

    with_rum = {q: search(q) for q in RUM_QUERIES}
    monkeypatch.setattr(backends, "uses_rum", lambda: False)
    with_gin = {q: search(q) for q in RUM_QUERIES}

    for query in RUM_QUERIES:
        rum, gin = with_rum[query], with_gin[query]
        assert rum.total == gin.total, query
        assert set(corpus.keys(rum)) == set(corpus.keys(gin)), query
    assert sum(r.total for r in with_gin.values()) > 0
    # The fallback orders by ts_rank.
    for gin in with_gin.values():
        ranks = [hit.rank for hit in gin.hits]
        assert ranks == sorted(ranks, reverse=True)
