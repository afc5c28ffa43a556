"""Faults with real processes (PostgreSQL): `manage.py ingest` killed with SIGKILL in the
middle of a folder, and two ingests of the same folder at once.

The commands run as child processes against this test's database, originals folder and
search index (a transactional test, so they see and leave committed rows). After a kill
nothing is half-written: every bilag has its passages and its original; the re-run adds
exactly the rest and leaves one original per bilag. Two processes on one folder add each
file once, the other reporting it unchanged, and both exit 0.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from library.models import Bilag, Passage
from tests.support import SEEDS

pytestmark = [
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="child processes need a database they can share (SQLite's test one is in memory)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[3]
# The news seeds (004 carries its own bilag number, which a copy could not take again).
SEED_FILES = sorted(p.name for p in SEEDS.glob("00[0-3]_*.txt"))
COPIES = 6
FILES = COPIES * len(SEED_FILES)


def _environment() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "BAGGRUND_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BAGGRUND_SEARCH_INDEX_DIR": str(settings.BAGGRUND_SEARCH_INDEX_DIR),
        "PYTHONUNBUFFERED": "1",
    }


def _ingest(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "-v", "2", *args, str(folder)],
        cwd=ROOT,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def folder(tmp_path) -> Path:
    """The news seeds six times over under other names (different bytes each), 24 files."""
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    lines = []
    for copy in range(COPIES):
        for name in SEED_FILES:
            target = f"{copy}_{name}"
            shutil.copy(SEEDS / name, incoming / target)
            with open(incoming / target, "a", encoding="utf-8") as extra:
                extra.write(f"\n\nKopi {copy}.\n")  # its own SHA-256, the same metadata
            lines.append(f'[files."{target}"]\ncountry = "SY"\n')
    (incoming / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return incoming


def _consistent() -> set[str]:
    """Every bilag whole: passages, its original on disk; returns the files added."""
    names = set()
    for bilag in Bilag.objects.all():
        assert Passage.objects.filter(bilag=bilag).exists(), bilag.number
        assert (Path(settings.MEDIA_ROOT) / bilag.original.name).is_file(), bilag.number
        names.add(bilag.original_name)
    return names


def test_killed_mid_folder_leaves_nothing_half_written_and_a_re_run_adds_the_rest(folder):
    first = _ingest(folder)
    for line in first.stdout:  # wait until at least one file is in, then kill
        if " added" in line or "added " in line:
            break
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=60)
    assert first.returncode == -signal.SIGKILL

    before = _consistent()
    assert 0 < len(before) < FILES

    second = _ingest(folder)
    out, err = second.communicate(timeout=600)
    summary = out.strip().splitlines()[-1]
    assert (summary, second.returncode) == (
        f"added {FILES - len(before)}, unchanged {len(before)}, failed 0",
        0,
    ), err
    assert len(_consistent()) == FILES
    originals = [p for p in (Path(settings.MEDIA_ROOT) / "originals").rglob("*") if p.is_file()]
    assert len(originals) == FILES  # the killed file's original was taken, not stored again


def test_two_ingests_of_one_folder_add_each_file_once(folder):
    runs = [_ingest(folder), _ingest(folder)]
    outcomes = [run.communicate(timeout=900) for run in runs]
    summaries = [out.strip().splitlines()[-1] for out, _err in outcomes]
    added = [int(s.split(",")[0].split()[1]) for s in summaries]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in outcomes]
    assert sum(added) == FILES, summaries
    assert all(s.endswith("failed 0") for s in summaries), summaries
    assert len(_consistent()) == FILES
    assert Bilag.objects.values("number").distinct().count() == FILES
