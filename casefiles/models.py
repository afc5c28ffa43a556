"""Case files: cases, their notes, the citations that back the notes, and the audit log.

A caseworker sees only the cases they are a member of (`Case.objects.for_user`). A
citation pins an exact excerpt of a passage (the quote, its start and end within the
passage text, the words around it) and a snapshot of the bilag's reference as it stood
when cited; `Citation.problems()` says when the library has moved on since. Every view
and change of a case is written to `AuditEntry`, which is never updated or deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casefiles import reference
from library.countries import country_name
from library.models import Passage, ReferenceDates, validate_country

CONTEXT_CHARS = 32  # characters kept before and after a quote


class CaseQuerySet(models.QuerySet):
    def for_user(self, user):
        """The cases `user` is a member of; nothing for anyone else, admins included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members=user)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")
        CLOSED = "closed", _("closed")

    reference = models.CharField(
        _("case reference"),
        max_length=60,
        unique=True,
        help_text=_("The board's case number, e.g. 2026-1234."),
    )
    title = models.CharField(_("title"), max_length=300)
    country = models.CharField(
        _("country of origin"),
        max_length=2,
        validators=[validate_country],
        help_text=_("ISO 3166 alpha-2 code, e.g. SY."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cases", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "decided", "closed"]),
                name="case_status_valid",
            ),
            models.UniqueConstraint(
                Lower("reference"),
                name="case_reference_unique_ci",
                violation_error_message=_("The case reference is already in use."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("casefiles:case_detail", args=[self.pk])

    def clean(self) -> None:
        """The reference is the board's case number: white space is normalised, and it
        is unique whatever the letter case (the constraint below guards races). The
        message names only the reference typed, never whose case holds it."""
        self.reference = " ".join(self.reference.split())
        taken = Case.objects.filter(reference__iexact=self.reference).exclude(pk=self.pk)
        if self.reference and taken.exists():
            raise ValidationError(
                {
                    "reference": _("The case reference %(reference)s is already in use.")
                    % {"reference": self.reference}
                }
            )

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class Note(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        first_line = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return first_line[:60] or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.case.get_absolute_url()}#note-{self.pk}"


class NoteVersion(models.Model):
    """A note's text as it was before an edit: version N of the note, kept for good."""

    note = models.ForeignKey(
        Note, on_delete=models.PROTECT, related_name="versions", verbose_name=_("note")
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )

    class Meta:
        ordering = ["note", "-version"]
        verbose_name = _("earlier version of a note")
        verbose_name_plural = _("earlier versions of notes")
        constraints = [
            models.UniqueConstraint(fields=["note", "version"], name="noteversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} v{self.version}"


class CitationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Citation(ReferenceDates, models.Model):
    """An exact excerpt of a passage backing a note, with the bilag reference as cited.

    `start` and `end` count characters (Unicode code points) of `passage.text`;
    `quote == passage.text[start:end]` when cited, which `problems()` checks again.
    """

    note = models.ForeignKey(
        Note, on_delete=models.PROTECT, related_name="citations", verbose_name=_("note")
    )
    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, related_name="citations", verbose_name=_("passage")
    )
    quote = models.TextField(_("quoted text"))
    start = models.PositiveIntegerField(_("start in the passage"))
    end = models.PositiveIntegerField(_("end in the passage"))
    before = models.CharField(_("text before the quote"), max_length=CONTEXT_CHARS, blank=True)
    after = models.CharField(_("text after the quote"), max_length=CONTEXT_CHARS, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The reference as it stood when cited.
    bilag_number = models.PositiveIntegerField(_("bilag number"))
    passage_ordinal = models.PositiveIntegerField(_("passage number"))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)
    published = models.DateField(_("published"))
    published_precision = models.CharField(_("published precision"), max_length=5)
    intake = models.DateField(_("intake date"))
    created_at = models.DateTimeField(_("cited at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cited by"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["note", "created_at", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="citation_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["bilag_number"], name="citation_bilag_number")]

    def __str__(self) -> str:
        return f"{self.bilag_number}, afsnit {self.passage_ordinal}: {self.quote[:40]}"

    @property
    def cut_before(self) -> bool:
        """Whether the quote starts after the passage does (marked "[…]")."""
        return self.start > 0

    @property
    def cut_after(self) -> bool:
        """Whether the passage goes on after the quote (marked "[…]")."""
        return self.end < len(self.passage.text)

    def marked_quote(self) -> str:
        """The quote with "[…]" where the passage goes on before or after it."""
        before = f"{reference.CUT} " if self.cut_before else ""
        after = f" {reference.CUT}" if self.cut_after else ""
        return f"{before}{self.quote}{after}"

    @property
    def context_cut_before(self) -> bool:
        """Whether the passage has more text before the stored context ("[…]")."""
        return self.start > len(self.before)

    @property
    def context_cut_after(self) -> bool:
        """Whether the passage has more text after the stored context ("[…]")."""
        return self.end + len(self.after) < len(self.passage.text)

    def context_before_words(self) -> str:
        """The context before the quote, cut at a word boundary where it is cut."""
        return reference.context_before(self)

    def context_after_words(self) -> str:
        """The context after the quote, cut at a word boundary where it is cut."""
        return reference.context_after(self)

    def passage_url(self) -> str:
        """The passage on the bilag page with the quote marked (`?p=ordinal&from=&to=`)."""
        bilag_url = reverse("library:bilag_detail", args=[self.bilag_number])
        ordinal = self.passage_ordinal
        return f"{bilag_url}?p={ordinal}&from={self.start}&to={self.end}#p{ordinal}"

    def reference_changes(self) -> list[str]:
        """What of the bilag's reference changed since citing, each from what to what."""
        return reference.reference_changes(self)

    def as_cited(self) -> str:
        """The reference as it stood when cited ("As cited: …"), one line."""
        return reference.as_cited(self)

    def problems(self) -> list[str]:
        """What has changed in the library since this was cited, worded for the reader.

        Empty when the quote still stands in its passage and the bilag is current with
        the reference it had. Needs `passage__bilag__publisher` loaded to be cheap.
        """
        return reference.problems(self)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The audit log is never changed."))

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise ValidationError(_("The audit log is never changed."))
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        raise ValidationError(_("The audit log is never changed."))


class AppendOnly(models.Model):
    """A row of an audit log: added, never changed or deleted (its queryset refuses
    bulk changes too)."""

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The audit log is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log is never changed."))


class AuditEntry(AppendOnly):
    """Who viewed or changed what in a case, and when. Rows are only ever added.

    On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE as well, so not
    even a bulk query or a shell can rewrite history.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        REMOVE = "remove", _("removed")

    class Target(models.TextChoices):
        CASE = "case", _("case")
        NOTE = "note", _("note")
        CITATION = "citation", _("citation")
        SHEET = "sheet", _("citation sheet")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=6, choices=Action.choices)
    target = models.CharField(_("what"), max_length=8, choices=Target.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="audit_entries", verbose_name=_("case")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # Django's own internal manager refuses changes too (not only `objects`).
        base_manager_name = "objects"
        indexes = [models.Index(fields=["case", "-at"], name="auditentry_case_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"


class LoginEvent(AppendOnly):
    """A login, a failed login, a lockout or a logout: the audit log of the accounts.
    Rows are only ever added (the model and, on PostgreSQL, a trigger refuse the rest)."""

    class Event(models.TextChoices):
        LOGIN = "login", _("logged in")
        FAILED = "failed", _("login failed")
        LOCKED = "locked", _("locked out")
        LOGOUT = "logout", _("logged out")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=6, choices=Event.choices)
    # The name as typed (a failed login may name no account), and the account if any.
    username = models.CharField(_("user name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login event")
        verbose_name_plural = _("logins")
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.username}"
