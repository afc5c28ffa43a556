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
                panel_template="casefiles/_own_citations.html",
                annotate=annotate_cited_in,
            )
        )
        self._audit_logins()

    @staticmethod
    def _audit_logins() -> None:
        """Logins, failed logins, lockouts (django-axes) and logouts in the audit log."""
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from casefiles.models import LoginEvent
        from casefiles.services import login_event

        def logged_in(sender, request, user, **kwargs):
            login_event(
                event=LoginEvent.Event.LOGIN,
                username=user.get_username(),
                user=user,
                request=request,
            )

        def logged_out(sender, request, user, **kwargs):
            if user is not None:
                login_event(
                    event=LoginEvent.Event.LOGOUT,
                    username=user.get_username(),
                    user=user,
                    request=request,
                )

        def failed(sender, credentials, request=None, **kwargs):
            login_event(
                event=LoginEvent.Event.FAILED,
                username=credentials.get("username", ""),
                request=request,
            )

        def locked(sender, request, username, ip_address, **kwargs):
            login_event(event=LoginEvent.Event.LOCKED, username=username or "", request=request)

        signals.user_logged_in.connect(logged_in, weak=False, dispatch_uid="casefiles-login")
        signals.user_logged_out.connect(logged_out, weak=False, dispatch_uid="casefiles-logout")
        signals.user_login_failed.connect(failed, weak=False, dispatch_uid="casefiles-failed")
        user_locked_out.connect(locked, weak=False, dispatch_uid="casefiles-locked")
