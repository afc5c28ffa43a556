"""manage.py topic_quality: the topic lexicons measured against the seed passages' labels."""

from django.core.management.base import BaseCommand, CommandError

from library.topics.quality import LabelError, format_quality, topic_quality


class Command(BaseCommand):
    """Measure the topic lexicons against the hand labels of the seed passages.

    Prints, per labelled topic, tp, fp, fn, precision and recall, then every mistake
    (file, passage, topic, fp/fn, what the lexicon matched or the label's reason). The
    seeds must be ingested in this database first (`manage.py ingest seeds/`). A passage
    not labelled as about a topic counts as not about it (see library.quality).
    """

    help = "Precision and recall of the topic lexicons on the labelled seed passages."

    def add_arguments(self, parser):
        parser.add_argument("--labels", help="Labels file (default: seeds/topic_labels.toml).")

    def handle(self, *args, **options):
        try:
            result = topic_quality(options["labels"])
        except (LabelError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_quality(result))
