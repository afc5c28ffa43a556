"""The page django-axes answers a locked-out login with (settings.AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, credentials, *args, **kwargs):
    """429 with the login page's look: the name is locked, for how long, and who can
    unlock it (a library admin: `manage.py axes_reset_username NAME`)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
