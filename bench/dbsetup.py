"""A throwaway database and media folder for a benchmark, then Django set up on them.

Call `prepare(kind, pg_name)` before importing anything from Django or the project: it
sets DJANGO_SETTINGS_MODULE, DATABASE_URL, BAGGRUND_MEDIA_ROOT and
BAGGRUND_SEARCH_INDEX_DIR, creates a fresh
database (a temp SQLite file, or a PostgreSQL database dropped and created again),
runs django.setup() and the migrations. `setup_django(url, media_root)` is that last
part alone, for a database kept between runs (bench/searchcorpus/database.py).
"""

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Workspace:
    kind: str
    database_url: str
    tmp: Path
    migrate_seconds: float

    def cleanup(self, pg_name: str | None = None) -> None:
        from django.db import connections

        connections.close_all()
        if self.kind == "postgres" and pg_name:
            pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


def pg_admin(sql: str) -> None:
    """Run one statement on the server's `postgres` database (CREATE / DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def setup_django(url: str, media_root: Path, index_dir: Path | None = None) -> float:
    """Point Django at `url`, `media_root` and a search index folder (beside the media
    unless given), set it up and migrate; returns the seconds the migrations took.
    Messages are in English, as on the command line."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["BAGGRUND_MEDIA_ROOT"] = str(media_root)
    os.environ["BAGGRUND_SEARCH_INDEX_DIR"] = str(index_dir or media_root.parent / "search-index")

    import django
    from django.core.management import call_command

    django.setup()
    from django.utils import translation

    translation.activate("en")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def prepare(kind: str, pg_name: str) -> Workspace:
    tmp = Path(tempfile.mkdtemp(prefix=f"baggrund-bench-{kind}-"))
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    elif kind == "postgres":
        pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"{PG_SERVER}/{pg_name}"
    else:
        raise SystemExit(f"unknown database kind {kind!r}: sqlite or postgres")
    migrate_seconds = setup_django(url, tmp / "media")
    return Workspace(kind=kind, database_url=url, tmp=tmp, migrate_seconds=migrate_seconds)
