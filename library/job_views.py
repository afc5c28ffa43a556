"""The page of an upload job: what a large upload is doing, and what it ended as.

Only the admin who uploaded the file sees its job (anyone else gets a 404, as for a
staged file). The page refreshes itself while the job runs: with script it asks
`status` (JSON) and updates the progress in place; without, a meta refresh reloads it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from library import jobs
from library.ingest.services import PHASES
from library.models import IngestJob

INGEST = "library.ingest_bilag"

# What each phase of bilag_ingest is called on the page (library.ingest.services.PHASES).
PHASE_LABELS = {
    "extract": gettext_lazy("Reading the file"),
    "passages": gettext_lazy("Splitting it into passages"),
    "metadata": gettext_lazy("Reading its metadata and language"),
    "topics": gettext_lazy("Suggesting topics"),
    "store": gettext_lazy("Storing the bilag"),
    "index": gettext_lazy("Adding it to the search index"),
}


def _job_or_404(request: HttpRequest, job_id: int) -> IngestJob:
    """The requesting admin's own job; 404 for an unknown job or another admin's."""
    job = IngestJob.objects.select_related("bilag").filter(pk=job_id, user=request.user).first()
    if job is None:
        raise Http404(_("No upload job %(id)s of yours.") % {"id": job_id})
    jobs.sweep_stopped([job])
    return job


def progress(job: IngestJob) -> dict:
    """Where a job is, for the page and its JSON: status, step of steps, words."""
    step = PHASES.index(job.phase) + 1 if job.phase in PHASES else 0
    if job.status == IngestJob.Status.QUEUED:
        text = _("Waiting to start…")
    elif job.status == IngestJob.Status.RUNNING:
        label = PHASE_LABELS.get(job.phase, _("Starting"))
        text = _("Step %(step)s of %(steps)s: %(phase)s…") % {
            "step": max(step, 1),
            "steps": len(PHASES),
            "phase": label,
        }
    else:
        text = job.get_status_display()
    since = job.started or job.created
    until = job.finished or timezone.now()
    seconds = max(int((until - since).total_seconds()), 0)
    if job.done:
        elapsed = ngettext("It took %(n)s second.", "It took %(n)s seconds.", seconds)
    else:
        elapsed = ngettext("%(n)s second so far.", "%(n)s seconds so far.", seconds)
    return {
        "status": job.status,
        "done": job.done,
        "step": step,
        "steps": len(PHASES),
        "text": text,
        "seconds": seconds,
        "elapsed": elapsed % {"n": seconds},
        "outcome": job.outcome,
    }


@permission_required(INGEST, raise_exception=True)
@require_safe
def upload_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """One upload job: its progress while it runs, its outcome once it has finished."""
    job = _job_or_404(request, job_id)
    return render(
        request,
        "library/upload_job.html",
        {"job": job, "progress": progress(job), "file_kept": jobs.file_kept(job)},
    )


@permission_required(INGEST, raise_exception=True)
@require_safe
def upload_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """The job's progress as JSON, for the page's script."""
    return JsonResponse(progress(_job_or_404(request, job_id)))


@permission_required(INGEST, raise_exception=True)
@require_POST
def upload_job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Start a stopped job again, from the file it kept."""
    job = _job_or_404(request, job_id)
    if jobs.retry(job):
        messages.info(request, _("%(name)s is being ingested again.") % {"name": job.name})
    else:
        messages.error(
            request,
            _("%(name)s cannot be started again: upload the file again.") % {"name": job.name},
        )
    return redirect("library:upload_job", job_id=job.pk)
