"""manage.py reindex: rebuild the search index from the database, or apply its outbox."""

import time

from django.core.management.base import BaseCommand

from library.search import engine, index


class Command(BaseCommand):
    """Rebuild the Tantivy search index from the database, or apply what is pending.

    Without options: every passage is read again (in batches of ids, with a progress bar)
    into one index commit; searches keep the old entries until it lands. Needed after a
    restore of the database, a lost or damaged index folder, or a change to how passages
    are analysed. --pending applies only the outbox: the changes a process committed to
    the database but died before writing to the index (every search and write also does).
    Output is English: a stable interface.
    """

    help = "Rebuild the search index from the database (--pending: apply the outbox only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending", action="store_true", help="Only apply the changes waiting in the outbox."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        progress = not options["no_progress"]
        folder = engine.index_dir()
        if options["pending"]:
            count = index.apply_pending(progress=progress)
            seconds = time.perf_counter() - started
            self.stdout.write(f"applied {count} pending changes to {folder} in {seconds:.1f} s")
            return
        count = index.reindex_all(progress=progress)
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0
        self.stdout.write(
            f"reindexed {count} passages into {folder} in {seconds:.1f} s ({rate:,.0f}/s)"
        )
