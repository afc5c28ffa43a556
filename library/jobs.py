"""Upload jobs: a large uploaded file is ingested by a process of its own, not the request.

The upload view keeps a large file (`wants_background`) in
MEDIA_ROOT/upload-jobs/<id>/ with a queued IngestJob row (`job_create`), and once that
is committed starts `manage.py ingest_jobs --job <id>` in a new session (`launch`), so
neither a gunicorn worker nor its timeout is tied to a long ingest. The job claims its
row, ingests through `bilag_ingest` (one transaction, as always) and writes each phase
it enters to the row, which the job page shows. A file that failed only for its
metadata is staged for the admin to complete (library.upload_staging), as in the
request. A job whose process ended without finishing (killed, out of memory, server
restarted) is found by `sweep_stopped` (its process is gone, or no sign of life for
STALE_AFTER) and shown as stopped; it can be started again while its file is kept.

BAGGRUND_JOB_LAUNCH=manual leaves the starting to `manage.py ingest_jobs --loop`
(a service of its own, for example on another machine sharing MEDIA_ROOT).
"""

import datetime as dt
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from library import upload_staging
from library.ingest.results import FAILED, IngestResult
from library.ingest.services import bilag_ingest
from library.models import IngestJob
from library.search import index as search_index

logger = logging.getLogger(__name__)

FOLDER = "upload-jobs"
_DATA = "upload"
STALE_AFTER = dt.timedelta(minutes=30)  # no sign of life from a job on another host
HOST = socket.gethostname()[:255]
Status = IngestJob.Status


def wants_background(name: str, size: int) -> bool:
    """Whether a file is ingested by a job rather than in the request: from
    BAGGRUND_BACKGROUND_UPLOAD_BYTES, a PDF from BAGGRUND_BACKGROUND_PDF_BYTES."""
    if name.lower().endswith(".pdf") and size >= settings.BAGGRUND_BACKGROUND_PDF_BYTES:
        return True
    return size >= settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES


def _folder(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER / str(int(job_id))


def file_kept(job: IngestJob) -> bool:
    """Whether the job's file is still kept (until it finishes, or for a day after)."""
    return (_folder(job.pk) / _DATA).is_file()


def job_create(*, upload, metadata: dict, user) -> IngestJob:
    """Keep an uploaded file and queue its job; the job starts once this commits."""
    with transaction.atomic():
        job = IngestJob.objects.create(
            name=Path(upload.name).name[:255],
            size=upload.size,
            user=user,
            metadata={k: v for k, v in metadata.items() if v},
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        folder = _folder(job.pk)
        shutil.rmtree(folder, ignore_errors=True)  # a leftover of a rolled-back job
        folder.mkdir(parents=True, mode=0o700)
        with open(folder / _DATA, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        transaction.on_commit(partial(launch, job.pk))
    return job


def launch(job_id: int) -> None:
    """Start the job's process (unless BAGGRUND_JOB_LAUNCH=manual); its exit is awaited
    by a daemon thread, so it never lingers as a zombie of the web server."""
    if settings.BAGGRUND_JOB_LAUNCH != "process":
        return
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "ingest_jobs", "--job", str(int(job_id))]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        logger.exception("upload job %s could not be started", job_id)
        return
    threading.Thread(target=child.wait, name=f"upload-job-{job_id}", daemon=True).start()


def _claim(job_id: int) -> IngestJob | None:
    """The job, now running in this process; None when it is not waiting (any more)."""
    now = timezone.now()
    claimed = IngestJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started=now, heartbeat=now, host=HOST, pid=os.getpid(), phase=""
    )
    return IngestJob.objects.select_related("user").get(pk=job_id) if claimed else None


def _progress(job_id: int, phase: str) -> None:
    """Record the phase the ingest enters (bilag_ingest reports each one before its
    write transaction opens, so the page sees it at once)."""
    running = IngestJob.objects.filter(pk=job_id, status=Status.RUNNING)
    running.update(phase=phase[:20], heartbeat=timezone.now())


def run(job_id: int) -> IngestJob | None:
    """Run a queued job to its end in this process; None when it was not queued."""
    job = _claim(job_id)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            data = (_folder(job.pk) / _DATA).read_bytes()
        except OSError as exc:
            message = _("the uploaded file is no longer kept (%(error)s); upload it again") % {
                "error": exc.strerror or exc
            }
            result = IngestResult(name=job.name, outcome=FAILED, message=message)
            return _finish(job, result)
        with search_index.batched():
            result = bilag_ingest(
                name=job.name,
                data=data,
                metadata=job.metadata,
                user=job.user,
                progress=partial(_progress, job.pk),
            )
        return _finish(job, result, data)


def _finish(job: IngestJob, result: IngestResult, data: bytes | None = None) -> IngestJob:
    """Write the outcome to the row and let the file go."""
    message = result.message if result.outcome == FAILED else "; ".join(result.notes)
    staged = None
    if data and result.fields:  # lacking only metadata: kept for the admin to complete
        staged, _why = upload_staging.stage_for_metadata(
            result, data=data, user=job.user, given=job.metadata
        )
    job.staged_token = staged.token if staged else ""
    job.status, job.finished, job.phase = Status.FINISHED, timezone.now(), ""
    job.outcome, job.message, job.fields = result.outcome, message, list(result.fields)
    job.bilag = result.bilag
    job.save()
    shutil.rmtree(_folder(job.pk), ignore_errors=True)
    return job


def _process_gone(job: IngestJob) -> bool:
    """Whether a running job's process has ended: known only on its own host."""
    if job.host != HOST or not job.pid:
        return False
    try:
        os.kill(job.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep_stopped(jobs=None) -> int:
    """Mark running jobs whose process is gone (or silent too long) as stopped."""
    candidates = IngestJob.objects.filter(status=Status.RUNNING) if jobs is None else jobs
    silent_since = timezone.now() - STALE_AFTER
    stopped = 0
    for job in candidates:
        if job.status != Status.RUNNING:
            continue
        if _process_gone(job) or (job.heartbeat and job.heartbeat < silent_since):
            now = timezone.now()
            if IngestJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.STOPPED, finished=now
            ):
                job.status, job.finished = Status.STOPPED, now
                stopped += 1
            else:
                job.refresh_from_db()  # it finished meanwhile
    return stopped


def retry(job: IngestJob) -> bool:
    """Queue a stopped job again when its file is still kept; False when it cannot be."""
    if job.status != Status.STOPPED or not file_kept(job):
        return False
    with transaction.atomic():
        queued = IngestJob.objects.filter(pk=job.pk, status=Status.STOPPED).update(
            status=Status.QUEUED, started=None, finished=None, phase="", pid=None
        )
        if queued:
            transaction.on_commit(partial(launch, job.pk))
    job.refresh_from_db()
    return bool(queued)


def recent(user, days: int = 1) -> list[IngestJob]:
    """The admin's jobs of the last `days`, newest first, those that stopped marked so."""
    since = timezone.now() - dt.timedelta(days=days)
    found = list(IngestJob.objects.filter(user=user, created__gte=since).select_related("bilag"))
    sweep_stopped(found)
    return found


def run_queued() -> list[IngestJob]:
    """Run every queued job here, oldest first (BAGGRUND_JOB_LAUNCH=manual, or after a
    restart); jobs another process claims first are left to it."""
    done = []
    for job_id in (
        IngestJob.objects.filter(status=Status.QUEUED).order_by("id").values_list("id", flat=True)
    ):
        try:
            job = run(job_id)
        except DatabaseError:
            logger.exception("upload job %s: the database failed", job_id)
            connection.close()
            continue
        if job is not None:
            done.append(job)
    return done


def clean_stale() -> None:
    """Let the files of stopped jobs go after a day, and folders without a job."""
    root = Path(settings.MEDIA_ROOT) / FOLDER
    if not root.is_dir():
        return
    old = timezone.now() - dt.timedelta(seconds=upload_staging.MAX_AGE_SECONDS)
    keep = set(
        IngestJob.objects.filter(
            Q(status__in=[Status.QUEUED, Status.RUNNING])
            | Q(status=Status.STOPPED, finished__gte=old)
        ).values_list("id", flat=True)
    )
    settled = time.time() - 3600
    for folder in root.iterdir():
        if folder.name.isdigit() and int(folder.name) in keep:
            continue
        # A folder of a job still being created has no committed row yet: wait an hour.
        if folder.stat().st_mtime < settled:
            shutil.rmtree(folder, ignore_errors=True)
