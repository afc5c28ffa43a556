"""The case files' Django app; it fills the library's passage extension point."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casefiles"
    verbose_name = _("Case files")

    def ready(self) -> None:
        """Show "Cite in case…" and "Cited in your cases" beside the library's passages,
        through the extension point the library owns (library.extensions)."""
        from casefiles.selectors import annotate_cited_in
        from library import extensions

        extensions.register(
            extensions.PassageExtension(
                name="casefiles",
                tools_template="casefiles/_cite_tools.html",
                page_template="casefiles/_cite_page.html",
                annotate=annotate_cited_in,
            )
        )
