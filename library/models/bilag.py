"""The library: publishers, bilag and their passages.

A bilag is never deleted: it can be withdrawn, with a date and a reason, and its
number is never given to another bilag. Passages are the unit caseworkers search and
cite; their text is always `bilag.full_text[start:end]`.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from library.countries import country_code, country_name, held_country_choices
from library.dates import DAY, MONTH, YEAR, PartialDate, format_partial_date
from library.languages import CONTENT_LANGUAGES

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
    ("byline", _("byline")),
    ("breadcrumb", _("breadcrumb")),
    ("section", _("section label")),
    ("extra", _("outside the article")),
]


def validate_country(value: str) -> None:
    if country_code(value) != value:
        raise ValidationError(
            _("'%(value)s' is not an ISO 3166 country code."), params={"value": value}
        )


# The largest bilag number either database stores (PostgreSQL's integer): a filter or
# form asking for more is refused with a message, never sent to the database.
MAX_NUMBER = 2_147_483_647


def whole_number(text: str) -> int | None:
    """The whole number `text` writes in ASCII digits (leading zeros allowed), or None.

    Not `str.isdigit()` + `int()`: isdigit takes '²' for a digit that int refuses, and int
    refuses more than 4,300 digits; a number of more digits than MAX_NUMBER's is read as
    MAX_NUMBER + 1, which is too large wherever a bilag number is checked.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_NUMBER)):
        return MAX_NUMBER + 1
    return int(digits)


def is_span(text: str, start: int | None, end: int | None) -> bool:
    """Whether text[start:end] is a non-empty span inside `text`: the one rule for every
    quote cited and every span marked."""
    return start is not None and end is not None and 0 <= start < end <= len(text)


class PublisherManager(models.Manager):
    def get_or_create_named(self, name: str) -> "Publisher":
        """The publisher of that name, matched case-insensitively, or a new, validated one."""
        publisher = self.filter(name__iexact=name).first()
        if publisher is None:
            publisher = Publisher(name=name)
            publisher.full_clean()
            publisher.save()
        return publisher


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    objects = PublisherManager()

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

    def country_choices(self) -> list[tuple[str, str]]:
        """(code, name) of the countries these bilag are about, by name: a filter lists
        what the library holds, not every country there is."""
        codes = self.order_by().values_list("country", flat=True).distinct()
        return held_country_choices(codes)


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
    ocr_pages = models.JSONField(
        _("pages read by OCR"),
        default=list,
        blank=True,
        help_text=_("PDF pages without a text layer, read by OCR: check quotes against them."),
    )
    unread_pages = models.JSONField(
        _("pages without text"),
        default=list,
        blank=True,
        help_text=_("PDF pages where neither the text layer nor OCR found any text."),
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

    def is_ocr_page(self, page: int | None) -> bool:
        """Whether PDF page `page` was read by OCR (so quotes from it need checking)."""
        return page is not None and page in self.ocr_pages

    def passage_copies(self) -> dict:
        """The metadata each of its passages carries a copy of (for search; see Passage)."""
        return {
            "country": self.country,
            "publisher": self.publisher,
            "published": self.published,
            "intake": self.intake,
            "withdrawn": self.status == self.Status.WITHDRAWN,
        }

    @staticmethod
    def validate_withdrawal_reason(reason: str) -> None:
        if not reason.strip():
            raise ValidationError({"withdrawn_reason": _("A withdrawal needs a reason.")})

    def clean(self) -> None:
        if self.status == self.Status.WITHDRAWN:
            self.validate_withdrawal_reason(self.withdrawn_reason)
        if self.intake and self.intake > dt.date.today() + dt.timedelta(days=1):
            raise ValidationError({"intake": _("The intake date lies in the future.")})


class PassageQuerySet(models.QuerySet):
    def by_reference(self, number, ordinal) -> "Passage":
        """Passage `ordinal` of bilag `number`, with its bilag and publisher; raises
        Passage.DoesNotExist (ValueError for a number or ordinal that is not one)."""
        return self.select_related("bilag__publisher").get(bilag__number=number, ordinal=ordinal)

    def delete(self):
        raise ValidationError(_("Passages are never deleted: citations point at them."))


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
    # read one table and one index. The bilag is the source of truth; the services write
    # the copies (Bilag.passage_copies) whenever they write the bilag (ingest,
    # correction, withdrawal).
    country = models.CharField(_("country"), max_length=2, editable=False)
    publisher = models.ForeignKey(
        Publisher, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    published = models.DateField(_("published"), editable=False)
    intake = models.DateField(_("intake date"), editable=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)

    objects = PassageQuerySet.as_manager()

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

    def contains_span(self, start: int | None, end: int | None) -> bool:
        return is_span(self.text, start, end)

    @property
    def is_ocr(self) -> bool:
        """Whether the passage starts on a page read by OCR (needs `bilag` loaded)."""
        return self.bilag.is_ocr_page(self.page)
