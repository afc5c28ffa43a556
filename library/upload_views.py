"""The admins' upload: a batch of files, each added, unchanged or failed on its own.

A file that failed only for its metadata (a missing country, an impossible date) is
kept for a day (library.upload_staging) and shown with a small form prefilled with what
was detected, so the admin completes it without picking the file again. Each file goes
in through the ingest service, in its own transaction.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from library import jobs, upload_staging
from library.forms import FileMetadataForm, UploadForm, publisher_names, staged_initial
from library.ingest.formats import ExtractError, check_file
from library.ingest.results import ADDED, FAILED, UNCHANGED, IngestResult
from library.ingest.services import bilag_ingest
from library.models import IngestJob
from library.search import index as search_index

INGEST = "library.ingest_bilag"
BACKGROUND = "background"  # a row's outcome while its job runs


@dataclass
class FileRow:
    """One file of a batch on the results page: what happened, why, and its form."""

    result: IngestResult
    reason: str = ""
    staged: upload_staging.Staged | None = None
    form: FileMetadataForm | None = None
    job: IngestJob | None = None  # a large file, ingested by a job of its own


def _staged_form(staged: upload_staging.Staged, data=None) -> FileMetadataForm:
    """The form completing a staged file, prefilled with what was detected and given."""
    initial = staged_initial({**staged.detected, **staged.given})
    return FileMetadataForm(data, prefix=staged.token, initial=initial)


def _ingest_one(upload, metadata: dict, user) -> FileRow:
    """Ingest one uploaded file; keep it when only its metadata stands in the way."""
    try:
        check_file(upload.name, upload.size)  # before reading a file over the limit
    except ExtractError as exc:
        result = IngestResult(name=upload.name, outcome=FAILED, message=str(exc))
        return FileRow(result=result, reason=upload_staging.reason(result, {}))
    if jobs.wants_background(upload.name, upload.size):
        job = jobs.job_create(upload=upload, metadata=metadata, user=user)
        return FileRow(result=IngestResult(name=job.name, outcome=BACKGROUND), job=job)
    data = b"".join(upload.chunks())
    result = bilag_ingest(name=upload.name, data=data, metadata=metadata, user=user)
    if result.outcome != FAILED:
        return FileRow(result=result)
    staged, reason = upload_staging.stage_for_metadata(result, data=data, user=user, given=metadata)
    form = _staged_form(staged) if staged else None
    return FileRow(result=result, reason=reason, staged=staged, form=form)


@permission_required(INGEST, raise_exception=True)
@require_http_methods(["GET", "POST"])
def bilag_upload(request: HttpRequest) -> HttpResponse:
    """Admins upload files with optional metadata and see what happened to each."""
    upload_staging.clean_stale()
    jobs.clean_stale()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        metadata = form.metadata()
        with search_index.batched():  # searchable when the results page is shown
            rows = [_ingest_one(f, metadata, request.user) for f in form.cleaned_data["files"]]
        if len(rows) == 1 and rows[0].job:  # one large file: straight to its progress
            return redirect("library:upload_job", job_id=rows[0].job.pk)
        summary = {
            o: sum(1 for r in rows if r.result.outcome == o)
            for o in (ADDED, UNCHANGED, FAILED, BACKGROUND)
        }
        return render(
            request,
            "library/upload_results.html",
            {
                "rows": rows,
                "staged_rows": [r for r in rows if r.staged],
                "summary": summary,
                "publishers": publisher_names(),
            },
            status=422 if summary[FAILED] else 200,
        )
    return render(
        request,
        "library/upload.html",
        {
            "form": form,
            "publishers": publisher_names(),
            "waiting": len(upload_staging.waiting(request.user)),
            "jobs": jobs.recent(request.user),
            "background_size": settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES,
        },
        status=400 if request.method == "POST" else 200,
    )


def _render_waiting(request: HttpRequest, bound: dict | None = None, status: int = 200, gone=""):
    """The page of files waiting for their metadata, `bound` forms (by token) as posted,
    and `gone` saying why a file asked for is not among them."""
    bound = bound or {}
    rows = [
        FileRow(
            result=IngestResult(name=staged.name, outcome=FAILED),
            reason=staged.reason,
            staged=staged,
            form=bound.get(staged.token) or _staged_form(staged),
        )
        for staged in upload_staging.waiting(request.user)
    ]
    return render(
        request,
        "library/upload_waiting.html",
        {"staged_rows": rows, "publishers": publisher_names(), "gone": gone},
        status=status,
    )


@permission_required(INGEST, raise_exception=True)
@require_safe
def upload_waiting(request: HttpRequest) -> HttpResponse:
    """The admin's files from earlier uploads that still wait for their metadata."""
    upload_staging.clean_stale()
    return _render_waiting(request)


def _gone(request: HttpRequest) -> HttpResponse:
    """Not found (404), said plainly: the token is unknown, another admin's, or done."""
    message = _(
        "This file is no longer waiting for its metadata: it was ingested or "
        "discarded, or it was uploaded more than a day ago. Upload it again."
    )
    return _render_waiting(request, status=404, gone=message)


def _after(request: HttpRequest, result: IngestResult):
    """Where a completed file leads: the files still waiting, else its bilag."""
    if upload_staging.waiting(request.user):
        return redirect("library:upload_waiting")
    return redirect(result.bilag)


@permission_required(INGEST, raise_exception=True)
@require_POST
def upload_complete(request: HttpRequest, token: str) -> HttpResponse:
    """Ingest a staged file with the metadata the admin completed; the same form with
    the reason when it still fails (nothing changes then)."""
    try:
        staged = upload_staging.get(token, request.user)
    except upload_staging.NotStaged:
        return _gone(request)
    form = _staged_form(staged, request.POST)
    if form.is_valid():
        with search_index.batched():
            result = bilag_ingest(
                name=staged.name, data=staged.data(), metadata=form.metadata(), user=request.user
            )
        if result.outcome != FAILED:
            upload_staging.discard(token)
            values = {"name": staged.name, "number": result.bilag.number}
            if result.outcome == ADDED:
                messages.success(request, _("%(name)s added as bilag %(number)s.") % values)
            else:
                messages.info(request, _("%(name)s is already bilag %(number)s.") % values)
            return _after(request, result)
        reason = upload_staging.reason(result, {**staged.detected, **form.metadata()})
        for field in result.fields:
            form.add_error(field if field in form.fields else None, reason)
        if not result.fields:
            form.add_error(None, reason)
    return _render_waiting(request, {token: form}, status=422)


@permission_required(INGEST, raise_exception=True)
@require_POST
def upload_discard(request: HttpRequest, token: str) -> HttpResponse:
    """Give up a staged file: it is removed and nothing is ingested."""
    try:
        staged = upload_staging.get(token, request.user)
    except upload_staging.NotStaged:
        return _gone(request)
    upload_staging.discard(staged.token)
    messages.info(request, _("%(name)s discarded; nothing was ingested.") % {"name": staged.name})
    return redirect(reverse("library:upload_waiting"))
