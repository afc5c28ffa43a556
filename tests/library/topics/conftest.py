"""Fixtures of the topic tests: a library with only the test topics, and English-reading
clients for a caseworker and a library admin."""

import pytest
from django.test import Client

from library.models import Topic
from tests.library.topics.corpus import DOCS, Corpus
from tests.support import in_english


@pytest.fixture
def only_test_topics(request):
    """No seeded topics: they would tag these passages with their own lexicons. The modules
    on the test topics use it for every test (`pytestmark`); the seeded lexicons' and the
    quality tests keep the seeded topics."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        Topic.objects.all().delete()


@pytest.fixture
def corpus(db) -> Corpus:
    return Corpus(*DOCS)


@pytest.fixture
def cw(caseworker_client) -> Client:
    return in_english(caseworker_client)


@pytest.fixture
def admin(admin_client_) -> Client:
    return in_english(admin_client_)
