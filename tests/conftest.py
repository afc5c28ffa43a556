"""Fixtures every test may use: isolated media, users in each role, the seed folder."""

from pathlib import Path

import pytest
from django.db.backends.signals import connection_created
from django.utils import translation

from tests.browser.chromium import chromium_or_skip
from tests.factories import CaseworkerFactory, LibraryAdminFactory
from tests.support import SEEDS


def _allow_truncate(sender, connection, **kwargs):
    """Let this process's PostgreSQL connections TRUNCATE the append-only tables.

    pytest-django flushes its databases with TRUNCATE between transactional tests; the
    triggers refuse it unless the session says `baggrund.allow_truncate = on`, which
    only the test suite does (casefiles 0004, library 0017)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET baggrund.allow_truncate = 'on'")


connection_created.connect(_allow_truncate, dispatch_uid="baggrund-tests-allow-truncate")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Each test stores originals in its own folder, so file counts are exact."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def search_index_dir(settings, tmp_path) -> Path:
    """Each test has a search index of its own, and its searches apply the outbox rows of
    its own transaction (which is rolled back at the end, folder and all)."""
    settings.BAGGRUND_SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.BAGGRUND_SEARCH_APPLY_IN_TRANSACTION = True
    return settings.BAGGRUND_SEARCH_INDEX_DIR


@pytest.fixture(autouse=True)
def topic_jobs_in_line(settings):
    """Retraining and lexicon application run in the test's own thread and transaction."""
    settings.BAGGRUND_TOPIC_JOBS_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def upload_jobs_by_hand(settings):
    """Upload jobs are not started as processes (which could not see a test's database):
    a test runs them with library.jobs.run, or opts in with BAGGRUND_JOB_LAUNCH."""
    settings.BAGGRUND_JOB_LAUNCH = "manual"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Service messages in English when a test calls code directly.

    Outside a request Django would use LANGUAGE_CODE (Danish). Requests still get their
    own language from BoardLanguageMiddleware; tests of Danish wording override this.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are made with a password; the slow default hasher only costs time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def caseworker(db):
    return CaseworkerFactory()


@pytest.fixture
def library_admin(db):
    return LibraryAdminFactory()


@pytest.fixture
def caseworker_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def admin_client_(client, library_admin):
    """A client logged in as a library admin (not a Django superuser)."""
    client.force_login(library_admin)
    return client


@pytest.fixture
def chromium():
    """Headless Chromium for the browser tests (tests/browser/chromium.py): open_page, or
    a skip without /usr/bin/chromium (a failure with BAGGRUND_REQUIRE_BROWSER=1)."""
    return chromium_or_skip()
