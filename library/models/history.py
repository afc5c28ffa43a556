"""The library's own history: every correction and withdrawal of a bilag, kept.

Append-only: the model and its managers refuse updates and deletes (a later change is
a new row). Written by library.services in the same transaction as the change.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.models.bilag import Bilag


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The history of the library cannot be changed."))

    def delete(self):
        raise ValidationError(_("The history of the library cannot be changed."))


class BilagChange(models.Model):
    class Action(models.TextChoices):
        CORRECTED = "corrected", _("metadata corrected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    bilag = models.ForeignKey(
        Bilag, on_delete=models.PROTECT, related_name="changes", verbose_name=_("bilag")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
        help_text=_("Empty for changes made from the command line."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(
        _("changes"), help_text=_("Each changed field: [value before, value after].")
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["bilag", "at", "id"]
        base_manager_name = "objects"
        verbose_name = _("bilag change")
        verbose_name_plural = _("bilag changes")

    def __str__(self) -> str:
        return f"{self.bilag_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The history of the library cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The history of the library cannot be changed."))
