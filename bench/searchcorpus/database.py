"""The search benchmark's database and its search index, kept between runs.

`baggrund_bench_search` on BENCH_PG_URL, or a SQLite file in the temp folder; both
search_corpus.py (which loads it) and search_bench.py (which reads it) open it here.
Its Tantivy index (library.search.engine) is derived from it and kept beside it, one
folder per database under bench/out/ (`search-index-postgres`, `search-index-sqlite`,
with the database's name added when it is not the default one), set through
BAGGRUND_SEARCH_INDEX_DIR before Django is set up. --fresh empties both.
"""

import shutil
import tempfile
from pathlib import Path

from bench import dbsetup

PG_NAME = "baggrund_bench_search"
SQLITE_PATH = Path(tempfile.gettempdir()) / "baggrund_bench_search.sqlite3"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "baggrund-bench-search-media"
INDEX_ROOT = dbsetup.ROOT / "bench" / "out"


def index_folder(kind: str, *, pg_name: str = PG_NAME, sqlite_path: Path = SQLITE_PATH) -> Path:
    """The search index folder of one benchmark database."""
    if kind == "postgres":
        suffix = "" if pg_name == PG_NAME else f"-{pg_name}"
    else:
        suffix = "" if Path(sqlite_path) == SQLITE_PATH else f"-{Path(sqlite_path).stem}"
    return INDEX_ROOT / f"search-index-{kind}{suffix}"


def open_database(
    kind: str, *, fresh: bool = False, pg_name: str = PG_NAME, sqlite_path: Path = SQLITE_PATH
) -> str:
    """Point Django at the benchmark database (made and migrated if needed) and its index
    folder; returns the database's URL. --fresh drops both first.

    Call before importing anything from Django or the project.
    """
    folder = index_folder(kind, pg_name=pg_name, sqlite_path=sqlite_path)
    if kind == "postgres":
        exists = dbsetup.pg_database_exists(pg_name)
        if fresh and exists:
            dbsetup.pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        if fresh or not exists:
            dbsetup.pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"{dbsetup.PG_SERVER}/{pg_name}"
    elif kind == "sqlite":
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{sqlite_path}"
    else:
        raise SystemExit(f"unknown database kind {kind!r}: sqlite or postgres")
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    dbsetup.setup_django(url, MEDIA_ROOT, index_dir=folder)
    return url
