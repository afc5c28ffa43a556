"""The library's own history: who corrected or withdrew a bilag, and what it said before."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from library.models import BilagChange
from library.services import bilag_update, bilag_withdraw
from tests.factories import BilagFactory, PublisherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilag():
    return BilagFactory(
        number=870, country="SY", title="Gammel titel", publisher=PublisherFactory(name="BBC News")
    )


def test_update_records_who_and_each_field_before_and_after(bilag, library_admin):
    bilag_update(bilag=bilag, user=library_admin, publisher="Landinfo", title="Ny titel")

    change = BilagChange.objects.get()
    assert (change.bilag, change.user, change.action) == (bilag, library_admin, "corrected")
    assert change.changes == {
        "publisher": ["BBC News", "Landinfo"],
        "title": ["Gammel titel", "Ny titel"],
    }


def test_update_to_the_same_values_records_nothing(bilag, library_admin):
    bilag_update(bilag=bilag, user=library_admin, country="SY", publisher="BBC News")

    assert not BilagChange.objects.exists()


def test_refused_update_records_nothing(bilag, library_admin):
    with pytest.raises(ValidationError):
        bilag_update(bilag=bilag, user=library_admin, published="31. februar 2019")

    assert not BilagChange.objects.exists()


def test_withdrawal_records_the_reason(bilag, library_admin):
    bilag_withdraw(bilag=bilag, reason="Erstattet af bilag 871", user=library_admin)

    change = BilagChange.objects.get()
    assert (change.user, change.action) == (library_admin, "withdrawn")
    assert change.changes["withdrawn_reason"] == ["", "Erstattet af bilag 871"]
    assert change.changes["status"] == ["current", "withdrawn"]


def test_history_cannot_be_changed_or_deleted(bilag, library_admin):
    bilag_update(bilag=bilag, user=library_admin, title="Ny titel")
    change = BilagChange.objects.get()

    with pytest.raises(ValidationError):
        BilagChange.objects.update(action="withdrawn")
    with pytest.raises(ValidationError):
        BilagChange.objects.all().delete()
    with pytest.raises(ValidationError):
        change.delete()
    change.action = "withdrawn"
    with pytest.raises(ValidationError):
        change.save()
    assert BilagChange.objects.get().action == "corrected"


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the append-only triggers exist on PostgreSQL only; SQLite relies on the model",
)
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE library_bilagchange SET action = 'withdrawn'", "UPDATE"),
        ("DELETE FROM library_bilagchange", "DELETE"),
        ("TRUNCATE library_bilagchange", "TRUNCATE"),
    ],
)
def test_database_refuses_raw_changes_to_the_history(bilag, library_admin, sql, operation):
    """Even raw SQL, past the model: the triggers refuse (TRUNCATE unless the session
    sets baggrund.allow_truncate, which only the test suite's flush does)."""
    bilag_update(bilag=bilag, user=library_admin, title="Ny titel")
    with connection.cursor() as cursor:
        cursor.execute("SET baggrund.allow_truncate = 'off'")
        # Rows written in this test's transaction leave deferred foreign-key checks,
        # which PostgreSQL would name instead of the trigger: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        with (
            pytest.raises(DatabaseError, match=f"append-only: {operation} refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET baggrund.allow_truncate = 'on'")
    assert BilagChange.objects.get().action == "corrected"


def test_bilag_page_shows_the_history_to_library_admins_only(
    client, bilag, library_admin, caseworker
):
    bilag_update(bilag=bilag, user=library_admin, publisher="Landinfo")
    client.force_login(library_admin)
    page = client.get(f"/bilag/{bilag.number}/").content.decode()
    assert 'class="bilag-history"' in page
    assert "BBC News" in page and library_admin.get_username() in page

    client.force_login(caseworker)
    page = client.get(f"/bilag/{bilag.number}/").content.decode()
    assert 'class="bilag-history"' not in page


def test_corrections_in_the_edit_form_are_recorded_with_the_user(client, bilag, library_admin):
    client.force_login(library_admin)
    response = client.post(
        f"/bilag/{bilag.number}/edit/",
        {
            "country": "IQ",
            "publisher": "BBC News",
            "title": bilag.title,
            "published": bilag.published_iso(),
            "intake": bilag.intake.isoformat(),
            "language": bilag.language,
        },
    )

    assert response.status_code == 302
    change = BilagChange.objects.get()
    assert (change.user, change.changes) == (library_admin, {"country": ["SY", "IQ"]})
