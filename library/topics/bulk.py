"""Many rows for one short write transaction: staged beforehand in a temporary table.

An ingest writes a bilag's passages and their suggested tags in one transaction: all
or nothing. On SQLite that transaction holds the database's one write lock, and every
other writer (a caseworker confirming a tag, citing a passage) waits for it, at most
the busy timeout (20 s, config/settings.py), then fails. A 50 MiB file of short
paragraphs is 1.5 million passages: made into model instances and inserted inside the
transaction they held it for minutes (bench/many_paragraphs.py).

So the rows, as the database takes them, are written first, outside the transaction,
into a TEMPORARY table of the same connection (SQLite keeps it in a temporary database
of its own, which takes no lock on the main one; PostgreSQL fills it with COPY), and
the transaction copies them with one INSERT … SELECT that runs inside the database
(`copy_sql`). The Python side holds one batch of rows at a time. The table stays with the
connection, emptied after each use.
"""

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import DatabaseError, connection

STAGE_BATCH = 5_000  # rows handed to the database at a time


def _schema() -> str:
    """The schema of this connection's temporary tables."""
    return "pg_temp" if connection.vendor == "postgresql" else "temp"


class StagedRows:
    """A temporary table with the columns of these model `fields` (their names and
    types), filled with `add`, read by the transaction through `copy_sql`, emptied on
    leaving the `with` block (the connection keeps it for the next use)."""

    def __init__(self, name: str, fields: Sequence):
        self.name = name
        self.columns = [(f.column, f) for f in fields]
        self.rows = 0

    @property
    def table(self) -> str:
        return f"{_schema()}.{connection.ops.quote_name(self.name)}"

    def __enter__(self) -> "StagedRows":
        columns = ", ".join(
            f"{connection.ops.quote_name(name)} {field.db_type(connection)}"
            for name, field in self.columns
        )
        with connection.cursor() as cursor:
            # One table a connection, made once and emptied after each use, not made and
            # dropped each time: PostgreSQL keeps the lock of every table dropped in a
            # transaction until it ends, and a transaction around many ingests (a test's)
            # ran out of lock slots ("out of shared memory") after some 1,200 files.
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS "
                f"{connection.ops.quote_name(self.name)} ({columns})"
            )
            self._empty(cursor)  # a use that ended with its connection might have left rows
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            with connection.cursor() as cursor:
                self._empty(cursor)
        except DatabaseError:
            if exc_info[0] is None:
                raise
            # The connection is gone (the failure being reported): its table with it.

    def _empty(self, cursor) -> None:
        if connection.vendor == "postgresql":
            # Its space back at once: autovacuum never visits temporary tables.
            cursor.execute(f"TRUNCATE {self.table}")
        else:
            cursor.execute(f"DELETE FROM {self.table}")
        self.rows = 0

    def add(self, rows: Iterable[tuple]) -> None:
        """Append rows (values as the database takes them, in the columns' order)."""
        rows = iter(rows)
        names = ", ".join(connection.ops.quote_name(name) for name, _field in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.rows += 1
                return
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"
            while batch := list(islice(rows, STAGE_BATCH)):
                cursor.executemany(sql, batch)
                self.rows += len(batch)

    def column(self, name: str) -> str:
        """A column of the staged table, quoted, for copy_sql's `select`."""
        return f"s.{connection.ops.quote_name(name)}"

    def copy_sql(self, model, targets: Sequence[str], select: Sequence[str], tail: str = "") -> str:
        """INSERT INTO the model's table (`targets`: column names) SELECT `select` (SQL
        expressions over the staged table, aliased `s`) FROM it, then `tail` (a JOIN,
        an ORDER BY)."""
        quote = connection.ops.quote_name
        return (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(t) for t in targets)}) "
            f"SELECT {', '.join(select)} FROM {self.table} s {tail}"
        )


def parameter(field) -> str:
    """A placeholder for a value the SELECT adds to every row, typed as `field`'s
    column on PostgreSQL (which reads an untyped parameter in a SELECT list as text);
    SQLite gives the value the column's type as it stores it."""
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
