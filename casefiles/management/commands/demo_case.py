"""manage.py demo_case: A demo case with notes citing the seed bilag, for trying the case files."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casefiles import services
from casefiles.models import Case
from library.models import Passage

REFERENCE = "DEMO-2026-0001"

# (note, [(words that start the quote, words that end it)]): quotes are found in the seed
# bilag by their text, whatever numbers the bilag were given.
NOTES = [
    (
        "Ansøgeren oplyser, at han flygtede fra Baghouz-området i Deir ez-Zor i begyndelsen "
        "af 2019. Baggrundsoplysningerne bekræfter, at der var hårde kampe, og at mange civile "
        "flygtede i den periode.",
        [
            ("Efter at kampene tog til", "civile flygtet."),
            ("Tusenvis av mennesker, mange av dem", "siste ukene flyktet fra Baghouz"),
        ],
    ),
    (
        "Luftangreb og landminer ramte civile i området, herunder kvinder og børn.",
        [
            ("The Syrian Democratic Forces launched", "around Hajin"),
            ("var 36 av dem familiemedlemmer", "17 av dem barn"),
        ],
    ),
]


class Command(BaseCommand):
    """A demo case with notes citing the seed bilag, for trying the case files."""

    help = f"Create the demo case {REFERENCE} citing the seed bilag (skipped if it exists)."

    def add_arguments(self, parser):
        parser.add_argument("--member", default="sagsbehandler", help="Username of its member.")

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["member"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user '{options['member']}': run demo_accounts first") from exc
        if Case.objects.filter(reference=REFERENCE).exists():
            self.stdout.write(f"Demo case {REFERENCE} exists already.")
            return
        case = services.case_create(
            user=user,
            reference=REFERENCE,
            title="Ung mand fra Deir ez-Zor (demosag)",
            country="SY",
        )
        cited = 0
        for body, quotes in NOTES:
            note = services.note_create(case=case, user=user, body=body)
            for first, last in quotes:
                passage = (
                    Passage.objects.select_related("bilag__publisher")
                    .filter(text__contains=first, boilerplate=False)
                    .order_by("bilag__number", "ordinal")
                    .first()
                )
                if passage is None or last not in passage.text:
                    self.stderr.write(f"not in the library (ingest seeds/ first): {first}…")
                    continue
                start = passage.text.index(first)
                end = passage.text.index(last, start) + len(last)
                services.citation_create(
                    note=note, passage=passage, user=user, start=start, end=end
                )
                cited += 1
        self.stdout.write(
            f"Demo case {REFERENCE} (member {user.get_username()}): "
            f"{len(NOTES)} notes, {cited} citations: {case.get_absolute_url()}"
        )
