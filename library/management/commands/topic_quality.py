"""manage.py topic_quality: topic suggestions measured against hand labels."""

from django.core.management.base import BaseCommand, CommandError

from library.topics.evaluation import EvalError, evaluate, format_evaluation
from library.topics.learned import LEARNED_THRESHOLD
from library.topics.matching import CONTEXT_WINDOW
from library.topics.quality import LabelError, format_quality, topic_quality


class Command(BaseCommand):
    """Measure topic suggestions against hand labels.

    Without --eval: the lexicons against the labels of the seed passages, per labelled
    topic tp, fp, fn, precision and recall, then every mistake (the seeds must be
    ingested in this database first: `manage.py ingest seeds/`).

    With --eval: the three core topics on the real-text evaluation set
    (bench/topic_eval), per split (development, held out), method (lexicon alone, with
    context, with the learned classifier), topic and language. The set is read from
    its files; nothing is written to the database.
    """

    help = "Precision and recall of topic suggestions on the seeds, or (--eval) on real text."

    def add_arguments(self, parser):
        parser.add_argument("--labels", help="Labels file (default: seeds/topic_labels.toml).")
        parser.add_argument(
            "--eval",
            action="store_true",
            help="Measure on the real-text evaluation set (bench/topic_eval/texts).",
        )
        parser.add_argument("--eval-path", help="Another folder of evaluation texts.")
        parser.add_argument(
            "--window",
            type=int,
            default=CONTEXT_WINDOW,
            help=f"Passages a context entry may refer back over (default {CONTEXT_WINDOW}).",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=LEARNED_THRESHOLD,
            help=f"The learned classifier's threshold (default {LEARNED_THRESHOLD}).",
        )
        parser.add_argument(
            "--mistakes",
            action="store_true",
            help="With --eval: list the development part's mistakes (never the held-out).",
        )

    def handle(self, *args, **options):
        try:
            if options["eval"] or options["eval_path"]:
                result = evaluate(
                    options["eval_path"], window=options["window"], threshold=options["threshold"]
                )
                self.stdout.write(format_evaluation(result, mistakes=options["mistakes"]))
                return
            result = topic_quality(options["labels"])
        except (LabelError, EvalError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_quality(result))
