"""manage.py restore DIR: bring a snapshot back into an empty, migrated database."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from library import backup

# The counts a person checks after a restore drill, in this order (others with -v 2).
SUMMARY = (
    ("auth.user", "users"),
    ("library.bilag", "bilag"),
    ("library.passage", "passages"),
    ("library.passagetopic", "tags"),
    ("library.bilagchange", "library changes"),
)


class Command(BaseCommand):
    """Restore the snapshot in DIR (written by `manage.py backup`).

    Needs a database migrated by this version (`manage.py migrate`) with no users,
    library, case or log rows, and an empty originals folder; refuses otherwise, and
    refuses a snapshot whose files do not match their SHA-256 (naming them) or whose
    migrations differ from the code's. Everything is loaded in one transaction, the
    originals copied back and checked, then the search index rebuilt. Prints the rows
    restored per table and a summary. Output is English: a stable interface.
    """

    help = "Restore a snapshot (manage.py backup) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A folder written by backup.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        folder = Path(options["directory"])
        with translation.override("en"):
            try:
                outcome = backup.restore(folder, progress=sys.stderr.isatty())
            except backup.SnapshotError as exc:
                raise CommandError(str(exc)) from exc
        for line in outcome.problems:
            self.stderr.write(f"{folder}: {line}")
        for name, rows in outcome.rows.items():
            if rows or options["verbosity"] >= 2:
                self.stdout.write(f"{name}: {rows}")
        counts = ", ".join(f"{outcome.rows.get(key, 0)} {word}" for key, word in SUMMARY)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"restored {sum(outcome.rows.values())} rows ({counts}) and {outcome.originals} "
            f"originals from {folder}; reindexed {outcome.indexed} passages in {seconds:.1f} s"
        )
        if outcome.problems:
            sys.exit(1)
