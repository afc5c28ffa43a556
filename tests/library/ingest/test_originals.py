"""Stored originals: content-addressed, and the one a killed ingest left behind taken by
the re-run (found by the production issue's probe: 203 files for 200 bilag)."""

import hashlib

import pytest

pytestmark = pytest.mark.django_db


def test_a_re_run_after_a_killed_ingest_takes_the_original_it_left(
    media_root, board_text, ingest_txt
):
    # A killed ingest (SIGKILL after storing, before commit) leaves the file at its content
    # address; the re-run takes it rather than storing a second copy beside it.
    data = board_text.encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    left = media_root / "originals" / sha256[:2] / f"{sha256}.txt"
    left.parent.mkdir(parents=True)
    left.write_bytes(data)

    result = ingest_txt(data)

    assert result.outcome == "added", result.message
    assert result.bilag.original.name == f"originals/{sha256[:2]}/{sha256}.txt"
    assert [p for p in media_root.rglob("*") if p.is_file()] == [left]
