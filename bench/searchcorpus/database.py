"""The search benchmark's database, kept between runs: made, emptied (--fresh), opened.

`baggrund_bench_search` on BENCH_PG_URL, or a SQLite file in the temp folder; both
search_corpus.py (which loads it) and search_bench.py (which reads it) open it here.
"""

import tempfile
from pathlib import Path

from bench import dbsetup

PG_NAME = "baggrund_bench_search"
SQLITE_PATH = Path(tempfile.gettempdir()) / "baggrund_bench_search.sqlite3"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "baggrund-bench-search-media"


def open_database(
    kind: str, *, fresh: bool = False, pg_name: str = PG_NAME, sqlite_path: Path = SQLITE_PATH
) -> str:
    """Point Django at the benchmark database (made and migrated if needed); returns its URL.

    Call before importing anything from Django or the project.
    """
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
    dbsetup.setup_django(url, MEDIA_ROOT)
    return url
