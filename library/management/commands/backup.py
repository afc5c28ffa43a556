"""manage.py backup DIR: a consistent snapshot of the database and the stored originals."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from library import backup


class Command(BaseCommand):
    """Write a snapshot into DIR (a new or empty folder): every table as JSON Lines, read in
    one transaction with one view of the database, the stored originals, and
    manifest.json (SHA-256 and size of every file, rows per model, migrations, version).

    One line per problem (an original that cannot be read), then a summary; exits 1 if
    anything was missing, and refuses (exit 1, nothing written) a non-empty DIR.
    Output is English: a stable interface. See docs/operations-backup.md.
    """

    help = "Write a consistent snapshot of the database and the originals into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A new or empty folder.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        folder = Path(options["directory"])
        with translation.override("en"):
            try:
                outcome = backup.backup(folder)
            except backup.SnapshotError as exc:
                raise CommandError(str(exc)) from exc
        for line in outcome.problems:
            self.stderr.write(f"{folder}: original {line}")
        if options["verbosity"] >= 2:
            for name, rows in outcome.rows.items():
                self.stdout.write(f"{name}: {rows}")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"backed up {sum(outcome.rows.values())} rows of {len(outcome.rows)} tables and "
            f"{outcome.originals} originals ({outcome.bytes / 1e6:.1f} MB) to {folder} "
            f"in {seconds:.1f} s; missing {len(outcome.problems)}"
        )
        if outcome.problems:
            sys.exit(1)
