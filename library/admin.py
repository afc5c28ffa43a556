from django.contrib import admin

from library.models import Bilag, Passage, PassageTopic, Publisher, TagDecision, Topic


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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Library admins manage topics and their lexicons (validated line by line on save).

    After a lexicon change, run `manage.py retag --topic SLUG` to apply it to the whole
    library; new bilag are tagged with the current lexicons as they come in.
    """

    list_display = ["slug", "name_da", "name_en", "updated_at"]
    search_fields = ["slug", "name_da", "name_en"]
    fieldsets = [
        (None, {"fields": ["slug", "name_da", "name_en", "description"]}),
        (
            "Lexicon",
            {
                "fields": ["lexicon_da", "lexicon_nb", "lexicon_en"],
                "description": (
                    'One entry per line: word (all its forms) · "a phrase" · glob* for '
                    "compounds · a | b (either) · a + b (all of) · - entry (exclusion) · "
                    "# comment. See library/topics.py."
                ),
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # tags point at topics; rename or empty the lexicon instead


@admin.register(PassageTopic)
class PassageTopicAdmin(admin.ModelAdmin):
    """Read-only: tags are decided on the bilag page and in the review queue."""

    list_display = ["passage", "topic", "origin", "state", "decided_by", "decided_at"]
    list_filter = ["topic", "state", "origin"]
    list_select_related = ["passage__bilag", "topic", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TagDecision)
class TagDecisionAdmin(PassageTopicAdmin):
    list_display = ["tag", "user", "at", "before", "after"]
    list_filter = ["after"]
    list_select_related = ["tag__topic", "user"]
