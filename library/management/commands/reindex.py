"""manage.py reindex: Rebuild the full-text search entry of every passage."""

import time

from django.core.management.base import BaseCommand

from library.search import index


class Command(BaseCommand):
    """Rebuild the full-text search entry of every passage.

    Needed after a change to how passages are indexed (stemming, stop words, what counts
    as boilerplate); ingestion and metadata corrections keep the index in step by
    themselves. Works in batches of passage ids, one transaction each, so searches go on
    meanwhile. On PostgreSQL, --index also recreates the index itself: RUM (ranked
    results straight from the index, needs the `rum` extension) or GIN.
    """

    help = "Rebuild the search index of every passage."

    def add_arguments(self, parser):
        parser.add_argument(
            "--index",
            choices=["auto", "rum", "gin"],
            help="PostgreSQL: also recreate the index (auto: RUM where installed, else GIN).",
        )
        parser.add_argument(
            "--batch", type=int, default=index.REINDEX_BATCH, help="Passages per transaction."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["index"]:
            index.drop_index()  # rebuilt once at the end instead of row by row
        count = index.reindex_all(progress=not options["no_progress"], batch=options["batch"])
        if options["index"]:
            kind = index.create_index(options["index"])
            self.stdout.write(f"search index: {kind}")
        seconds = time.perf_counter() - started
        self.stdout.write(f"reindexed {count} passages in {seconds:.1f} s")
