"""The Django admin for library admins. Every write goes through the services: a bilag's
correction through library.services.bilag_update (so its passages' copies, the search
index and the history follow), a topic through library.topics.services.topic_save.
Bilag are never added here (ingest reads and splits the file) nor deleted."""

from django import forms
from django.contrib import admin

from library.dates import PartialDate
from library.languages import LEXICON_LANGUAGES
from library.models import (
    Bilag,
    BilagChange,
    Passage,
    PassageTopic,
    Publisher,
    TagDecision,
    Topic,
)
from library.services import bilag_update, publisher_save
from library.topics.lexicon import lexicon_errors
from library.topics.services import topic_save


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        publisher_save(publisher=obj, user=request.user)

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

    def save_model(self, request, obj, form, change):
        """The changed fields, as a correction through the service (never obj.save())."""
        stored = Bilag.objects.select_related("publisher").get(pk=obj.pk)
        changes = {}
        for name in form.changed_data:
            if name == "publisher":
                changes["publisher"] = obj.publisher.name if obj.publisher else None
            elif name in ("published", "published_precision"):
                changes["published"] = PartialDate(obj.published, obj.published_precision)
            else:
                changes[name] = getattr(obj, name)
        if changes:
            bilag_update(bilag=stored, user=request.user, **changes)

    def has_add_permission(self, request):
        return False  # bilag come in through ingest, which reads and splits the file

    def has_delete_permission(self, request, obj=None):
        return False


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = [
            "slug",
            "name_da",
            "name_en",
            "description",
            *(f"lexicon_{code}" for code in LEXICON_LANGUAGES),
        ]

    def clean(self):
        data = super().clean()
        lexicons = {name: data.get(name, "") for name in data if name.startswith("lexicon_")}
        for field, message in lexicon_errors(Topic(**lexicons)).items():
            self.add_error(field, message)
        return data


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Library admins manage topics and their lexicons (validated line by line on save).

    After a lexicon change, run `manage.py retag --topic SLUG` to apply it to the whole
    library; new bilag are tagged with the current lexicons as they come in.
    """

    form = TopicForm
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
                    "# comment. See library/topics/lexicon.py."
                ),
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        topic_save(topic=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # tags point at topics; rename or empty the lexicon instead


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and detail to read, nothing to add, change or delete (logs, decisions)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PassageTopic)
class PassageTopicAdmin(ReadOnlyAdmin):
    """Read-only: tags are decided on the bilag page and in the review queue."""

    list_display = ["passage", "topic", "origin", "state", "decided_by", "decided_at"]
    list_filter = ["topic", "state", "origin"]
    list_select_related = ["passage__bilag", "topic", "decided_by"]


@admin.register(TagDecision)
class TagDecisionAdmin(ReadOnlyAdmin):
    list_display = ["tag", "user", "at", "before", "after"]
    list_filter = ["after"]
    list_select_related = ["tag__topic", "user"]


@admin.register(BilagChange)
class BilagChangeAdmin(ReadOnlyAdmin):
    """The library's history: read-only, like the case audit log."""

    list_display = ["at", "bilag", "action", "user", "changes"]
    list_filter = ["action", "at"]
    search_fields = ["=bilag__number", "user__username"]
    list_select_related = ["bilag", "user"]
    date_hierarchy = "at"
