"""manage.py user_role: give an account another role."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from library.services import ROLES, user_set_role


def find_user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"no user '{username}'") from exc


class Command(BaseCommand):
    """Give an account the role caseworker or library-admin (instead of what it had)."""

    help = "Set a user's role (caseworker or library-admin)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))

    def handle(self, *args, **options):
        with translation.override("en"):
            self._handle(options)

    def _handle(self, options):
        user = find_user(options["username"])
        try:
            user_set_role(user=user, role=options["role"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{user.username} is now {options['role']}")
