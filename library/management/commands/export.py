"""manage.py export: Write the whole library as JSON Lines on standard output, one bilag a line."""

import json

from django.core.management.base import BaseCommand

from library.selectors import bilag_export


class Command(BaseCommand):
    """Write the whole library as JSON Lines on standard output, one bilag a line.

    Fields: number, country, publisher, title, published (by precision), intake,
    language, status, sha256, passages (ordinal, text, boilerplate, topics). Stable:
    other tools read this.
    """

    help = "Export every bilag as JSON Lines on stdout."

    def handle(self, *args, **options):
        for record in bilag_export():
            self.stdout.write(json.dumps(record, ensure_ascii=False))
