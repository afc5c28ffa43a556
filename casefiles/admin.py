"""The audit log, readable by library admins in the Django admin and never changeable.

Cases, notes and citations are not in the admin: only a case's members see them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casefiles.models import AuditEntry, LoginEvent
from library.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "target", "case_reference", "object_id", "detail"]
    list_filter = ["action", "target", "at"]
    search_fields = ["case__reference", "user__username", "detail"]
    list_select_related = ["user", "case"]
    date_hierarchy = "at"
    fields = ["at", "user", "action", "target", "case_reference", "object_id", "detail"]
    readonly_fields = fields

    @admin.display(description=_("case"), ordering="case__reference")
    def case_reference(self, entry):
        return entry.case.reference


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "event", "username", "user", "address"]
    list_filter = ["event", "at"]
    search_fields = ["username"]
    list_select_related = ["user"]
    date_hierarchy = "at"
