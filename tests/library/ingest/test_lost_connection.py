"""A lost database connection in the middle of `manage.py ingest` (PostgreSQL).

The server ends the ingest's connection (`pg_terminate_backend`) while the second of
three files is being written. That file is reported on its own line, nothing of it is
kept (no bilag, no stored original), the command connects again and adds the third,
the summary counts it, and a re-run adds exactly what is missing.
"""

import io
import shutil
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from library.ingest import services as ingest_services
from library.models import Bilag
from tests.support import SEEDS

pytestmark = [
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="pg_terminate_backend is PostgreSQL's"
    ),
    # The ingest commits file by file on its own connection: no test transaction.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FILES = ["000_091d3380eedcd8de.txt", "001_eb9eaf48cf008476.txt", "002_5dca1336a18c5cf3.txt"]


def _terminate(pid: int) -> None:
    """End the backend `pid` from a connection of our own, as an admin or a failover would."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _ingest(folder: Path) -> tuple[list[str], list[str], int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", str(folder), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return out.getvalue().splitlines(), err.getvalue().splitlines(), code


def test_lost_connection_fails_only_that_file_and_the_rest_goes_on(
    tmp_path, media_root, monkeypatch
):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name in [*FILES, "manifest.toml"]:
        shutil.copy(SEEDS / name, folder / name)
    real_tag = ingest_services.tag_new_bilag

    def tag_then_lose_the_connection(bilag, *args):
        real_tag(bilag, *args)
        if bilag.original_name == FILES[1]:  # mid-transaction: rows and file written
            _terminate(connection.connection.info.backend_pid)

    monkeypatch.setattr(ingest_services, "tag_new_bilag", tag_then_lose_the_connection)
    out, err, code = _ingest(folder)

    assert code == 1
    assert out[-1] == "added 2, unchanged 0, failed 1"
    lost = [line for line in err if FILES[1] in line]
    assert len(lost) == 1 and "the database connection was lost" in lost[0], err
    assert sorted(Bilag.objects.values_list("original_name", flat=True)) == [FILES[0], FILES[2]]
    stored = sorted(p.name for p in (media_root / "originals").rglob("*.txt"))
    assert len(stored) == 2  # the lost file's original was removed with its transaction

    monkeypatch.setattr(ingest_services, "tag_new_bilag", real_tag)
    out, err, code = _ingest(folder)
    assert (out[-1], err, code) == ("added 1, unchanged 2, failed 0", [], 0)
    assert Bilag.objects.count() == 3
    assert len(list((media_root / "originals").rglob("*.txt"))) == 3
