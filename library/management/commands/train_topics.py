"""manage.py train_topics: learn each topic's classifier from caseworkers' decisions."""

import time

from django.core.management.base import BaseCommand, CommandError

from library.models import Topic
from library.search import index as search_index
from library.topics.learned import min_decisions
from library.topics.services import retag, topic_train


class Command(BaseCommand):
    """Train (or retrain) the learned classifier of every topic, or of one, from the
    tags people confirmed, rejected or added (library.topics.learned).

    A topic with fewer than BAGGRUND_TOPIC_LEARN_MIN_DECISIONS decisions keeps its
    lexicon alone (any old classifier is removed). New bilag get the learned suggestions
    at once; --retag also applies them to the whole library (as `manage.py retag`),
    never changing a human decision. Prints one line a topic; output is English.
    """

    help = "Train the topic classifiers from caseworkers' decisions."

    def add_arguments(self, parser):
        parser.add_argument("--topic", metavar="SLUG", help="Only this topic.")
        parser.add_argument(
            "--retag",
            action="store_true",
            help="Then apply the suggestions to the whole library (as manage.py retag).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        topics = Topic.objects.order_by("slug")
        if options["topic"]:
            topics = topics.filter(slug=options["topic"])
            if not topics:
                known = ", ".join(Topic.objects.values_list("slug", flat=True))
                raise CommandError(f"no topic '{options['topic']}' (topics: {known or 'none'})")
        for topic in topics:
            started = time.perf_counter()
            trained = topic_train(topic=topic)
            seconds = time.perf_counter() - started
            if trained is None:
                self.stdout.write(
                    f"{topic.slug}: lexicon only (fewer than {min_decisions()} decisions "
                    "or fewer than 5 confirmed)"
                )
            else:
                self.stdout.write(
                    f"{topic.slug}: trained on {trained.decisions} decisions "
                    f"({trained.positives} confirmed, {trained.negatives} rejected) "
                    f"in {seconds:.1f} s"
                )
        if options["retag"]:
            topic = topics.first() if options["topic"] else None
            with search_index.batched():
                result = retag(topic=topic, progress=not options["no_progress"])
            self.stdout.write(
                f"retagged {result.passages} passages: added {result.added}, "
                f"updated {result.updated}, removed {result.removed} suggestions; "
                f"kept {result.kept_human} human decisions"
            )
