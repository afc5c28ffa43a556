"""Fixtures of the search tests: the libraries of tests/library/search/corpus.py ingested,
an English-reading caseworker, and a library without topics."""

import datetime as dt

import pytest

from library.models import Bilag, Topic
from library.services import bilag_withdraw
from tests.library.search.corpus import AF_WITHDRAWN, DOCS, HOSTILE, WELLS, Corpus
from tests.support import in_english


@pytest.fixture
def corpus(db) -> Corpus:
    library = Corpus(*DOCS)
    bilag_withdraw(
        bilag=Bilag.objects.get(number=AF_WITHDRAWN.number),
        reason="Superseded by a newer report.",
        on=dt.date(2020, 1, 1),
    )
    return library


@pytest.fixture
def wells(db) -> Corpus:
    return Corpus(WELLS)


@pytest.fixture
def hostile(db) -> Corpus:
    return Corpus(HOSTILE)


@pytest.fixture
def english(caseworker_client):
    """Messages in the source language: the language switch's cookie selects it."""
    return in_english(caseworker_client)


@pytest.fixture
def without_topics(request):
    """Text search alone: the seeded topics would widen queries (tests/library/topics/
    test_search.py covers search through topics). The text-search modules use it for every
    test (`pytestmark`); the index and query tests keep the seeded topics."""
    if "db" in request.fixturenames or any(
        name in request.fixturenames for name in ("corpus", "wells", "hostile", "english")
    ):
        request.getfixturevalue("db")
        Topic.objects.all().delete()
