"""Exit 0 when the PostgreSQL server of DATABASE_URL answers, else say why and exit 1.

scripts/test asks before its PostgreSQL pass. It connects to the server's `postgres`
database with the URL's user, host and port (the URL's own database may not exist yet:
pytest-django creates `test_<name>`), within five seconds.
"""

import os
import sys

import dj_database_url
import psycopg


def main() -> int:
    """Connect once; print the reason on stderr when it fails."""
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    try:
        psycopg.connect(
            dbname="postgres",
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
