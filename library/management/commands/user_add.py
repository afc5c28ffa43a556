"""manage.py user_add: a new account with a role, its password prompted or read from a file."""

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from library.services import ROLES, user_add


def read_password(options) -> str:
    """From --password-file (its first line), else asked twice on the terminal."""
    if options.get("password_file"):
        path = Path(options["password_file"])
        try:
            return path.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: no password can be read from it ({exc})") from exc
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the two passwords differ")
    return first


def problems(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class Command(BaseCommand):
    """Create an account: caseworker or library-admin. The password is checked by the
    board's validators (length, common passwords, similarity to the name). Output is
    English: a stable interface."""

    help = "Create a user with a role (caseworker or library-admin)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--password-file", help="Read the password from this file.")

    def handle(self, *args, **options):
        with translation.override("en"):
            self._handle(options)

    def _handle(self, options):
        password = read_password(options)
        try:
            user = user_add(username=options["username"], role=options["role"], password=password)
        except ValidationError as exc:
            raise CommandError(f"user {options['username']}: {problems(exc)}") from exc
        self.stdout.write(f"added {user.username} as {options['role']}")
