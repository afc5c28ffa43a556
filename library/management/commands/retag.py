"""manage.py retag: Re-apply the topic lexicons to every passage after a lexicon change."""

import time

from django.core.management.base import BaseCommand, CommandError

from library.models import Topic
from library.search import index as search_index
from library.topics.services import RETAG_BATCH, retag


class Command(BaseCommand):
    """Re-apply the topic lexicons to every passage after a lexicon change.

    Suggestions that no longer match are removed, new matches are suggested and reasons
    refreshed, in batches of passage ids (one transaction each). Tags a person
    confirmed, rejected or added are never changed. Output is English: a stable
    interface.
    """

    help = "Re-apply the topic lexicons (all, or one topic) to the whole library."

    def add_arguments(self, parser):
        parser.add_argument("--topic", metavar="SLUG", help="Only this topic.")
        parser.add_argument("--batch", type=int, default=RETAG_BATCH, help="Passages per batch.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        topic = None
        if options["topic"]:
            try:
                topic = Topic.objects.get(slug=options["topic"])
            except Topic.DoesNotExist as exc:
                known = ", ".join(Topic.objects.values_list("slug", flat=True))
                raise CommandError(
                    f"no topic '{options['topic']}' (topics: {known or 'none'})"
                ) from exc
        started = time.perf_counter()
        with search_index.batched():  # the index follows every few seconds, not per batch
            result = retag(topic=topic, progress=not options["no_progress"], batch=options["batch"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"retagged {result.passages} passages in {seconds:.1f} s: "
            f"added {result.added}, updated {result.updated}, removed {result.removed} "
            f"suggestions; kept {result.kept_human} human decisions"
        )
