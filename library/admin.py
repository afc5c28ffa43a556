"""The Django admin for library admins. Every write goes through the services: a bilag's
correction through library.services.bilag_update (so its passages' copies, the search
index and the history follow), a topic through library.topics.services.topic_save.
Bilag are never added here (ingest reads and splits the file) nor deleted."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

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
    TopicClassifier,
)
from library.services import bilag_update, publisher_save
from library.topics.lexicon import lexicon_errors
from library.topics.preview import lexicon_preview
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
            "description_da",
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

    "Preview the change" shows how many passages would gain and lose the topic, with
    examples, without saving. Saving a changed lexicon applies it to the whole library
    in the background (the batches of `manage.py retag`), keeping every human
    decision; its progress is shown on this page.
    """

    form = TopicForm
    change_form_template = "admin/library/topic/change_form.html"
    list_display = ["slug", "name_da", "name_en", "updated_at"]
    search_fields = ["slug", "name_da", "name_en"]
    readonly_fields = ["application", "learning"]
    fieldsets = [
        (None, {"fields": ["slug", "name_da", "name_en", "description_da", "description"]}),
        (
            _("Lexicon"),
            {
                "fields": [f"lexicon_{code}" for code in LEXICON_LANGUAGES],
                "description": _(
                    'One entry per line: word (all its forms) · "a phrase" · glob* for '
                    "compounds · a | b (either) · a + b (all of) · - entry (exclusion) · "
                    "~ entry (only in a passage after one the topic's other entries "
                    "tagged, in the same bilag) · # comment. See library/topics/lexicon.py."
                ),
            },
        ),
        (_("In the library"), {"fields": ["application", "learning"]}),
    ]

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("add/preview/", preview, name="library_topic_preview_add"),
            path("<int:object_id>/preview/", preview, name="library_topic_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """What the edited lexicons would change, before anything is saved (POST only:
        it reads the change form as posted)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        topic = self.get_object(request, str(object_id)) if object_id else None
        if object_id and topic is None:
            raise Http404(_("No topic %(id)s.") % {"id": object_id})
        if not (
            self.has_change_permission(request, topic)
            if topic
            else self.has_add_permission(request)
        ):
            raise PermissionDenied
        form = self.get_form(request, topic)(request.POST, instance=topic)
        preview = lexicon_preview(topic=form.save(commit=False)) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": topic,
            "form": form,
            "preview": preview,
            "title": _("Preview of the lexicon change"),
            "save_url": (
                reverse("admin:library_topic_change", args=[topic.pk])
                if topic
                else reverse("admin:library_topic_add")
            ),
        }
        return TemplateResponse(request, "admin/library/topic/preview.html", context)

    @admin.display(description=_("Lexicon applied"))
    def application(self, obj):
        job = obj.retags.select_related("user").first() if obj.pk else None
        if job is None:
            return _("Not applied from this page yet (manage.py retag applies every topic).")
        values = {
            "done": job.done,
            "total": job.total,
            "added": job.added,
            "removed": job.removed,
            "at": date_format(timezone.localtime(job.started_at), "DATETIME_FORMAT"),
            "user": job.user.get_username() if job.user else "-",
        }
        if job.state == job.State.RUNNING:
            return (
                _(
                    "Applying the lexicon started %(at)s by %(user)s: %(done)s of %(total)s "
                    "passages, %(added)s suggestions added, %(removed)s removed so far."
                )
                % values
            )
        if job.state == job.State.FAILED:
            return _("Applying the lexicon started %(at)s by %(user)s failed: %(error)s") % {
                **values,
                "error": job.error,
            }
        return (
            _(
                "Applied %(at)s by %(user)s to %(total)s passages: %(added)s suggestions "
                "added, %(removed)s removed; human decisions kept."
            )
            % values
        )

    @admin.display(description=_("Learned from decisions"))
    def learning(self, obj):
        classifier = TopicClassifier.objects.filter(topic=obj).first() if obj.pk else None
        if classifier is None:
            return _(
                "Too few decisions so far: suggestions come from the lexicon alone "
                "(a classifier is trained from %(n)s decisions on this topic)."
            ) % {"n": settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS}
        return _(
            "Trained %(at)s from %(n)s decisions (%(pos)s about the topic, %(neg)s rejected)."
        ) % {
            "at": date_format(timezone.localtime(classifier.trained_at), "DATETIME_FORMAT"),
            "n": classifier.decisions,
            "pos": classifier.positives,
            "neg": classifier.negatives,
        }

    def save_model(self, request, obj, form, change):
        applying = any(name.startswith("lexicon_") for name in form.changed_data)
        topic_save(topic=obj, user=request.user)
        if applying:
            self.message_user(
                request,
                _(
                    "The lexicon is being applied to the whole library; its progress is "
                    "shown on the topic's page. Human decisions are kept."
                ),
                messages.INFO,
            )

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
