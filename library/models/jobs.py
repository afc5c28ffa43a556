"""Upload jobs: a large uploaded file ingested in a process of its own, not in the request.

A row per file, written by library.jobs: queued when the upload is received, running
with the phase it is in, then finished with the ingest's outcome (added, unchanged or
failed, and the message), or stopped when its process ended without finishing. The
file's bytes wait in MEDIA_ROOT/upload-jobs/<id>/ until the job finishes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.models.bilag import Bilag


class IngestJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        STOPPED = "stopped", _("stopped without finishing")

    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    metadata = models.JSONField(_("metadata given"), default=dict, blank=True)
    language = models.CharField(
        _("language of its messages"), max_length=10, blank=True, help_text=_("The uploader's.")
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)
    message = models.TextField(_("message"), blank=True)
    fields = models.JSONField(_("fields in question"), default=list, blank=True)
    bilag = models.ForeignKey(
        Bilag,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bilag"),
    )
    staged_token = models.CharField(_("waiting for metadata as"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("upload job")
        verbose_name_plural = _("upload jobs")
        indexes = [models.Index(fields=["user", "-created"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def done(self) -> bool:
        """Finished or stopped: nothing more will happen unless it is started again."""
        return self.status in (self.Status.FINISHED, self.Status.STOPPED)
