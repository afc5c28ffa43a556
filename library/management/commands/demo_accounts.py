"""manage.py demo_accounts: create (or reset) a demo account per role, print the passwords."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from library.roles import CASEWORKERS, LIBRARY_ADMINS

DEMO_ACCOUNTS = [
    # username, group, staff (may use /admin/)
    ("sagsbehandler", CASEWORKERS, False),
    ("bibliotekar", LIBRARY_ADMINS, True),
]


class Command(BaseCommand):
    """Create (or reset) one demo account per role and print their passwords.

    For trying Baggrund on a laptop. Each run sets fresh random passwords unless
    --password is given.
    """

    help = "Create demo accounts for caseworker and library admin; print the credentials."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password for every demo account.")

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        lines = []
        for username, group_name, staff in DEMO_ACCOUNTS:
            password = options["password"] or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            lines.append(f"  {group_name:<15} {username:<14} {password}")
        self.stdout.write("Demo accounts (role, username, password):")
        self.stdout.write("\n".join(lines))
