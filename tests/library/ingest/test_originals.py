"""Stored originals: content-addressed, and the one a killed ingest left behind taken by
the re-run (found by the production issue's probe: 203 files for 200 bilag)."""

import datetime as dt
import hashlib

import pytest

from library.ingest.services import bilag_ingest

pytestmark = pytest.mark.django_db

BOARD = (
    "Flygtningenævnets baggrundsmateriale\n\n"
    "Bilagsnr.:\t4711\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\tLejrene i nordøst\n"
    "Udgivet:\t10. februar 2019\nOptaget på baggrundsmaterialet:\t1. marts 2019\n\n"
    "Kvinderne og børnene i lejren siger, at de ikke har fået rent vand siden december.\n"
)


def ingest(data: bytes):
    return bilag_ingest(name="bilag.txt", data=data, today=dt.date(2026, 11, 1))


def test_a_re_run_after_a_killed_ingest_takes_the_original_it_left(media_root):
    # A killed ingest (SIGKILL after storing, before commit) leaves the file at its content
    # address; the re-run takes it rather than storing a second copy beside it.
    data = BOARD.encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    left = media_root / "originals" / sha256[:2] / f"{sha256}.txt"
    left.parent.mkdir(parents=True)
    left.write_bytes(data)

    result = ingest(data)

    assert result.outcome == "added", result.message
    assert result.bilag.original.name == f"originals/{sha256[:2]}/{sha256}.txt"
    assert [p for p in media_root.rglob("*") if p.is_file()] == [left]
