"""manage.py user_disable: stop an account from logging in (--enable undoes it)."""

from django.core.management.base import BaseCommand

from library.management.commands.user_role import find_user
from library.services import user_set_active


class Command(BaseCommand):
    """Disable an account (it can no longer log in; its notes and citations stay), or
    enable it again with --enable."""

    help = "Disable (or --enable) a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--enable", action="store_true", help="Enable it again.")

    def handle(self, *args, **options):
        user = user_set_active(user=find_user(options["username"]), active=options["enable"])
        self.stdout.write(f"{user.username} {'enabled' if user.is_active else 'disabled'}")
