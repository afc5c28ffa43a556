"""The library's Django app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library"
    verbose_name = _("Library")

    def ready(self):
        # The search index registers how the outbox is applied after each commit
        # (library.models.search); import it so every process has it.
        from library.search import index  # noqa: F401
