"""The library: publishers, bilag and their passages.

A bilag is never deleted: it can be withdrawn, with a date and a reason, and its
number is never given to another bilag. Passages are the unit caseworkers search and
cite; their text is always `bilag.full_text[start:end]`.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from library.countries import country_code, country_name
from library.dates import DAY, MONTH, YEAR, PartialDate, format_partial_date

CONTENT_LANGUAGES = [
    ("da", _("Danish")),
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("und", _("Undetermined")),
]


BOILERPLATE_KINDS = [
    ("cookie", _("cookie notice")),
    ("menu", _("menu")),
    ("share", _("share buttons")),
    ("caption", _("photo caption")),
    ("credit", _("credit line")),
    ("dateline", _("dateline")),
    ("links", _("link list")),
    ("footer", _("page footer")),
    ("fragment", _("fragment")),
    ("aside", _("side box")),
    ("form", _("form")),
]


def validate_country(value: str) -> None:
    if country_code(value) != value:
        raise ValidationError(
            _("'%(value)s' is not an ISO 3166 country code."), params={"value": value}
        )


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return self.name


class BilagQuerySet(models.QuerySet):
    def delete(self):
        raise ValidationError(_("Bilag are never deleted; withdraw them instead."))

    def current(self):
        return self.filter(status=Bilag.Status.CURRENT)


def original_upload_to(instance: "Bilag", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"originals/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class ReferenceDates:
    """Display of a reference's dates: a bilag's, or a citation's snapshot of one.

    Needs `published`, `published_precision` and `intake`.
    """

    def published_display(self, language: str | None = None) -> str:
        """'11. september 2018' / 'februar 2019' / '2019' in the active UI language."""
        return format_partial_date(
            self.published, self.published_precision, language or get_language() or "da"
        )

    def published_iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM or YYYY by precision."""
        return PartialDate(self.published, self.published_precision).iso()

    def intake_display(self, language: str | None = None) -> str:
        return format_partial_date(self.intake, DAY, language or get_language() or "da")


class Bilag(ReferenceDates, models.Model):
    class Precision(models.TextChoices):
        DAY = DAY, _("day")
        MONTH = MONTH, _("month")
        YEAR = YEAR, _("year")

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Kind(models.TextChoices):
        TXT = "txt", _("Text")
        HTML = "html", "HTML"
        PDF = "pdf", "PDF"

    number = models.PositiveIntegerField(
        _("bilag number"), unique=True, help_text=_("Bilagsnr.: unique, never reused.")
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[validate_country],
        help_text=_("ISO 3166 alpha-2 code, e.g. SY."),
    )
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bilag",
        verbose_name=_("publisher"),
        help_text=_("Kilde. Empty when unknown."),
    )
    title = models.CharField(_("title"), max_length=500)
    published = models.DateField(
        _("published"), help_text=_("First day of the period when only month or year is known.")
    )
    published_precision = models.CharField(
        _("published precision"), max_length=5, choices=Precision.choices, default=DAY
    )
    intake = models.DateField(_("intake date"), help_text=_("Optaget på baggrundsmaterialet."))
    language = models.CharField(_("language"), max_length=3, choices=CONTENT_LANGUAGES)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.CURRENT
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    original = models.FileField(_("original file"), upload_to=original_upload_to, max_length=200)
    original_name = models.CharField(_("file name as received"), max_length=255)
    kind = models.CharField(_("file type"), max_length=4, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    full_text = models.TextField(_("full text"), help_text=_("The text as received."))
    shape = models.CharField(
        _("input shape"),
        max_length=20,
        blank=True,
        help_text=_("board-header, news or plain (how the text was read)."),
    )
    created_at = models.DateTimeField(_("ingested at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingested by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = BilagQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        permissions = [
            ("ingest_bilag", _("Can ingest bilag")),
            ("withdraw_bilag", _("Can withdraw bilag")),
        ]
        indexes = [
            models.Index(fields=["country", "published"]),
            models.Index(fields=["published"]),
            models.Index(fields=["intake"]),
            models.Index(fields=["status"]),
            models.Index(fields=["language"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="current", withdrawn_on__isnull=True)
                    | models.Q(status="withdrawn", withdrawn_on__isnull=False)
                ),
                name="bilag_withdrawn_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(published_precision__in=[DAY, MONTH, YEAR]),
                name="bilag_published_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("library:bilag_detail", args=[self.number])

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Bilag are never deleted; withdraw them instead."))

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def clean(self) -> None:
        if self.status == self.Status.WITHDRAWN and not self.withdrawn_reason.strip():
            raise ValidationError({"withdrawn_reason": _("A withdrawal needs a reason.")})
        if self.intake and self.intake > dt.date.today() + dt.timedelta(days=1):
            raise ValidationError({"intake": _("The intake date lies in the future.")})


class PassageQuerySet(models.QuerySet):
    def delete(self):
        raise ValidationError(_("Passages are never deleted: citations point at them."))


class PassageManager(models.Manager.from_queryset(PassageQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class Passage(models.Model):
    bilag = models.ForeignKey(
        Bilag, on_delete=models.PROTECT, related_name="passages", verbose_name=_("bilag")
    )
    ordinal = models.PositiveIntegerField(
        _("passage number"), help_text=_("1, 2, 3… in reading order.")
    )
    text = models.TextField(_("text"))
    start = models.PositiveIntegerField(
        _("start"), help_text=_("Offset of the first character in the bilag's full text.")
    )
    end = models.PositiveIntegerField(_("end"), help_text=_("Offset just past the last character."))
    page = models.PositiveIntegerField(
        _("page"), null=True, blank=True, help_text=_("PDF page, from 1.")
    )
    language = models.CharField(_("language"), max_length=3, choices=CONTENT_LANGUAGES)
    boilerplate = models.BooleanField(
        _("boilerplate"),
        default=False,
        help_text=_("Cookie notices, menus, captions…: kept, but not searched or tagged."),
    )
    boilerplate_kind = models.CharField(
        _("kind of boilerplate"), max_length=20, blank=True, choices=BOILERPLATE_KINDS
    )
    # Copies of the bilag's metadata, so that search filters, facets and date sorting
    # read one table and one index. The bilag is the source of truth; library.services
    # writes the copies whenever it writes the bilag (ingest, correction, withdrawal).
    country = models.CharField(_("country"), max_length=2, editable=False)
    publisher = models.ForeignKey(
        Publisher, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    published = models.DateField(_("published"), editable=False)
    intake = models.DateField(_("intake date"), editable=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)
    # PostgreSQL: the passage's words stemmed with its language's configuration, NULL for
    # boilerplate; written by the ingest service in the same INSERT (library.search).
    # Unused on SQLite, whose index is an FTS5 table. Not loaded unless asked for.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PassageManager()

    class Meta:
        ordering = ["bilag", "ordinal"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        indexes = [
            models.Index(fields=["country", "published"], name="passage_country_published"),
            models.Index(fields=["published"], name="passage_published"),
            models.Index(fields=["intake"], name="passage_intake"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bilag", "ordinal"], name="passage_unique_ordinal"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="passage_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bilag.number} §{self.ordinal}"

    def get_absolute_url(self) -> str:
        return f"{reverse('library:bilag_detail', args=[self.bilag.number])}#p{self.ordinal}"


class Topic(models.Model):
    """A subject caseworkers look for, with a lexicon per language that tags passages.

    Each lexicon is one entry per line (see library.topics for the syntax): words
    matched by stem, "phrases", glob patterns for compounds (*lejr*), all-of lines
    (civile + dræbt*|omkom*) and exclusions (- "training camp").
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_da = models.CharField(_("Danish name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    lexicon_da = models.TextField(_("Danish lexicon"), blank=True)
    lexicon_nb = models.TextField(_("Norwegian lexicon"), blank=True)
    lexicon_en = models.TextField(_("English lexicon"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        permissions = [("review_passagetopic", _("Can confirm or reject topic tags"))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_da if (get_language() or "da").startswith("da") else self.name_en

    def lexicon(self, language: str) -> str:
        return getattr(self, f"lexicon_{language}", "")

    def clean(self) -> None:
        from library.topics import LexiconError, parse_lexicon

        errors = {}
        for language in ("da", "nb", "en"):
            try:
                parse_lexicon(self.lexicon(language), language)
            except LexiconError as exc:
                errors[f"lexicon_{language}"] = str(exc)
        if errors:
            raise ValidationError(errors)


class PassageTopic(models.Model):
    """A topic tag on a passage: suggested by the lexicon, or added, confirmed or
    rejected by a person. Human decisions are never overridden by re-tagging."""

    class Origin(models.TextChoices):
        AUTO = "auto", _("automatic")
        MANUAL = "manual", _("manual")

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, related_name="topic_tags", verbose_name=_("passage")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="passage_tags", verbose_name=_("topic")
    )
    origin = models.CharField(_("origin"), max_length=6, choices=Origin.choices)
    state = models.CharField(_("state"), max_length=9, choices=State.choices)
    reason = models.TextField(_("why"), blank=True, help_text=_("What the lexicon matched."))
    created_at = models.DateTimeField(_("tagged at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["passage", "topic"]
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")
        constraints = [
            models.UniqueConstraint(fields=["passage", "topic"], name="passagetopic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "state"], name="passagetopic_topic_state")]

    def __str__(self) -> str:
        return f"{self.passage} · {self.topic.slug} ({self.state})"

    @property
    def is_human(self) -> bool:
        return self.origin == self.Origin.MANUAL or self.state != self.State.SUGGESTED


class TagDecision(models.Model):
    """Every human decision on a topic tag, kept: who, when, what it was and became."""

    tag = models.ForeignKey(
        PassageTopic, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("tag")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    before = models.CharField(_("before"), max_length=9, blank=True)
    after = models.CharField(_("after"), max_length=9)

    class Meta:
        ordering = ["at"]
        verbose_name = _("tag decision")
        verbose_name_plural = _("tag decisions")

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.before or '-'} → {self.after}"
