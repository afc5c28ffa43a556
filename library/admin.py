from django.contrib import admin

from library.models import Bilag, Passage, Publisher


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # bilag point at publishers; rename instead


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["ordinal", "boilerplate", "boilerplate_kind", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bilag)
class BilagAdmin(admin.ModelAdmin):
    """Metadata corrections only: number, file and text are read-only, nothing is deleted."""

    list_display = [
        "number",
        "title",
        "publisher",
        "country",
        "published",
        "intake",
        "language",
        "status",
    ]
    list_filter = ["status", "language", "country"]
    search_fields = ["=number", "title"]
    list_select_related = ["publisher"]
    readonly_fields = [
        "number",
        "sha256",
        "original",
        "original_name",
        "kind",
        "shape",
        "created_at",
        "created_by",
        "updated_at",
        "status",
        "withdrawn_on",
        "withdrawn_reason",
    ]
    fields = [
        "number",
        "country",
        "publisher",
        "title",
        "published",
        "published_precision",
        "intake",
        "language",
        "status",
        "withdrawn_on",
        "withdrawn_reason",
        "original_name",
        "original",
        "kind",
        "shape",
        "sha256",
        "created_at",
        "created_by",
        "updated_at",
    ]
    inlines = [PassageInline]

    def has_add_permission(self, request):
        return False  # bilag come in through ingest, which reads and splits the file

    def has_delete_permission(self, request, obj=None):
        return False
