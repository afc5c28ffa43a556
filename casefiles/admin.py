"""The audit log, readable by library admins in the Django admin and never changeable.

Cases, notes and citations are not in the admin: only a case's members see them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casefiles.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
