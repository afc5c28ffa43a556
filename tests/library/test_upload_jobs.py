"""Large uploads are ingested by a job of their own (library.jobs), not in the request:
the upload answers at once with the job's page, the job runs the ingest and records its
phases, and the page shows how it ended; a job whose process died is shown as stopped
and can be started again; only its uploader sees it."""

import os
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from library import jobs
from library.ingest.services import PHASES
from library.models import Bilag, IngestJob
from tests.factories import CaseworkerFactory, LibraryAdminFactory
from tests.library.pages import SEED_000, SEED_004, seed_upload
from tests.support import stored_files


@pytest.fixture
def small_threshold(settings):
    """Every file of 1 KB or more counts as large (the seeds are 2-6 KB)."""
    settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES = 1000
    return settings


@pytest.fixture
def launched(monkeypatch):
    """The job ids handed to `launch` (which starts no process in tests)."""
    started = []
    real = jobs.launch
    monkeypatch.setattr(jobs, "launch", lambda job_id: (started.append(job_id), real(job_id)))
    return started


def _job_folder(job) -> bool:
    return (jobs._folder(job.pk) / jobs._DATA).is_file()


def test_a_large_file_is_queued_and_the_upload_answers_with_its_page(
    admin_client_, small_threshold, launched, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})

    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bilag/upload/jobs/{job.pk}/"
    assert launched == [job.pk]  # started only once the job was committed
    assert (job.status, job.name, job.size) == ("queued", SEED_004, 4298)
    assert _job_folder(job)
    assert not Bilag.objects.exists()  # nothing ingested inside the request

    page = admin_client_.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert "Venter på at gå i gang" in content  # "Waiting to start…", in Danish
    assert '<meta http-equiv="refresh" content="3">' in content
    assert "js/upload_job.js" in content


def test_the_job_ingests_the_file_and_the_page_shows_the_bilag(
    admin_client_, small_threshold, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    phases = []
    real = jobs._progress
    monkeypatch.setattr(
        jobs, "_progress", lambda pk, phase: (phases.append(phase), real(pk, phase))
    )

    with django_capture_on_commit_callbacks(execute=True):  # "index" comes after the commit
        jobs.run(job.pk)

    job.refresh_from_db()
    bilag = Bilag.objects.get()
    assert (job.status, job.outcome, job.bilag, job.phase) == ("finished", "added", bilag, "")
    assert bilag.number == 863 and bilag.passages.exists()
    assert (
        len(stored_files(media_root / "originals")) == 1
    )  # the original, stored once; the job's copy is gone
    assert not _job_folder(job)
    assert phases == list(PHASES)  # every phase reported, in order
    page = admin_client_.get(f"/bilag/upload/jobs/{job.pk}/").content.decode()
    assert 'href="/bilag/863/"' in page
    assert 'http-equiv="refresh"' not in page
    status = admin_client_.get(f"/bilag/upload/jobs/{job.pk}/status/").json()
    assert (status["done"], status["outcome"], status["status"]) == (True, "added", "finished")


def test_the_page_shows_the_phase_a_running_job_is_in(admin_client_, small_threshold):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    jobs._claim(job.pk)
    jobs._progress(job.pk, PHASES[1])

    status = admin_client_.get(f"/bilag/upload/jobs/{job.pk}/status/").json()

    assert (status["status"], status["step"], status["steps"]) == ("running", 2, len(PHASES))
    assert status["text"].startswith(f"Trin 2 af {len(PHASES)}: ")
    assert not status["done"]


def test_a_file_missing_its_country_waits_for_its_metadata(
    admin_client_, small_threshold, media_root
):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_000)})
    job = IngestJob.objects.get()

    jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.outcome, job.fields) == ("failed", ["country"])
    assert job.staged_token
    assert not Bilag.objects.exists() and not stored_files(media_root / "originals")
    page = admin_client_.get(f"/bilag/upload/jobs/{job.pk}/").content.decode()
    assert f"/bilag/upload/waiting/#staged-{job.staged_token}" in page
    waiting = admin_client_.get("/bilag/upload/waiting/").content.decode()
    assert SEED_000 in waiting  # completed there like any file that lacked metadata


def test_messages_are_in_the_uploaders_language(client, small_threshold, library_admin):
    client.force_login(library_admin)
    client.post("/bilag/upload/", {"files": seed_upload(SEED_000)}, HTTP_ACCEPT_LANGUAGE="en")
    job = IngestJob.objects.get()
    assert job.language == "da"  # the board's language unless the user switched

    jobs.run(job.pk)

    job.refresh_from_db()
    assert "land" in job.message.lower()  # Danish: "Land mangler" or the like
    assert "country" not in job.message.lower()


def test_a_mix_lists_the_large_file_in_the_background(admin_client_, settings):
    settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES = 4000  # SEED_004 (4,298) yes, SEED_000 no
    response = admin_client_.post(
        "/bilag/upload/",
        {"files": [seed_upload(SEED_004), seed_upload(SEED_000)], "country": "SY"},
    )

    content = response.content.decode()
    job = IngestJob.objects.get()
    assert response.status_code == 200
    assert job.name == SEED_004
    assert f'href="/bilag/upload/jobs/{job.pk}/"' in content
    assert "1 stor fil indlæses i baggrunden" in content
    assert Bilag.objects.count() == 1  # the small one, in the request


def test_a_file_over_the_limit_is_refused_at_once_not_queued(admin_client_, settings):
    settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES = 10
    settings.BAGGRUND_MAX_FILE_BYTES = 1000

    response = admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})

    assert response.status_code == 422
    assert not IngestJob.objects.exists()


def test_only_the_uploader_sees_the_job(admin_client_, small_threshold, db):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    other, caseworker = Client(), Client()
    other.force_login(LibraryAdminFactory())
    caseworker.force_login(CaseworkerFactory())

    for path in (f"/bilag/upload/jobs/{job.pk}/", f"/bilag/upload/jobs/{job.pk}/status/"):
        assert other.get(path).status_code == 404
        assert caseworker.get(path).status_code == 403
    assert other.post(f"/bilag/upload/jobs/{job.pk}/retry/").status_code == 404
    assert Client().get(f"/bilag/upload/jobs/{job.pk}/").status_code == 302  # to login
    assert admin_client_.get("/bilag/upload/jobs/999999/").status_code == 404


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_job_whose_process_died_is_stopped_and_can_start_again(
    admin_client_, small_threshold, launched, django_capture_on_commit_callbacks
):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    jobs._claim(job.pk)
    IngestJob.objects.filter(pk=job.pk).update(pid=_dead_pid())  # killed mid-ingest

    page = admin_client_.get(f"/bilag/upload/jobs/{job.pk}/").content.decode()

    job.refresh_from_db()
    assert job.status == "stopped"
    assert "Intet fra filen blev tilføjet" in page
    assert f'action="/bilag/upload/jobs/{job.pk}/retry/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(f"/bilag/upload/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued" and launched == [job.pk]
    jobs.run(job.pk)
    assert Bilag.objects.get().number == 863


def test_a_stopped_job_without_its_file_cannot_start_again(admin_client_, small_threshold):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    IngestJob.objects.filter(pk=job.pk).update(status="stopped")
    (jobs._folder(job.pk) / jobs._DATA).unlink()

    response = admin_client_.post(f"/bilag/upload/jobs/{job.pk}/retry/", follow=True)

    job.refresh_from_db()
    assert job.status == "stopped"
    assert "Upload filen igen" in response.content.decode()


def test_a_live_job_is_not_stopped(admin_client_, small_threshold):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    jobs._claim(job.pk)  # this very process: alive

    assert jobs.sweep_stopped() == 0
    assert IngestJob.objects.get().status == "running"


def test_a_job_runs_once(admin_client_, small_threshold):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()

    assert jobs.run(job.pk) is not None
    assert jobs.run(job.pk) is None  # finished: not claimed again
    assert Bilag.objects.count() == 1


def test_the_command_runs_the_queued_jobs(admin_client_, small_threshold, capsys):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()

    call_command("ingest_jobs")

    # The notes are in the uploader's language (Danish): "sprog genkendt: Engelsk".
    assert (
        capsys.readouterr().out == f"job {job.pk} {SEED_004}: added 863: sprog genkendt: Engelsk\n"
    )
    assert IngestJob.objects.get().outcome == "added"


def test_the_upload_page_lists_the_admins_recent_jobs(admin_client_, small_threshold):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    jobs.run(job.pk)

    page = admin_client_.get("/bilag/upload/").content.decode()

    assert f'<a href="/bilag/upload/jobs/{job.pk}/">{SEED_004}</a>' in page
    assert "tilføjet som bilag 863" in page


def test_leftover_folders_go_but_waiting_ones_stay(admin_client_, small_threshold, media_root):
    admin_client_.post("/bilag/upload/", {"files": seed_upload(SEED_004)})
    job = IngestJob.objects.get()
    orphan = media_root / jobs.FOLDER / "424242"
    orphan.mkdir()
    (orphan / jobs._DATA).write_bytes(b"x")
    fresh = media_root / jobs.FOLDER / "424243"
    fresh.mkdir()
    os.utime(orphan, (0, 0))  # long ago: its job never committed

    jobs.clean_stale()

    assert _job_folder(job)  # queued: kept
    assert not orphan.exists()
    assert fresh.exists()  # perhaps a job being created right now


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the job's process needs a database it can share (SQLite's test one is in memory)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_web_server_starts_a_real_process_that_ingests_the_file(
    client, settings, monkeypatch, media_root, search_index_dir
):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BAGGRUND_MEDIA_ROOT", str(media_root))
    monkeypatch.setenv("BAGGRUND_SEARCH_INDEX_DIR", str(search_index_dir))
    settings.BAGGRUND_JOB_LAUNCH = "process"
    settings.BAGGRUND_BACKGROUND_UPLOAD_BYTES = 1000
    client.force_login(LibraryAdminFactory())

    response = client.post("/bilag/upload/", {"files": seed_upload(SEED_004)})

    job = IngestJob.objects.get()
    assert response.status_code == 302
    for _ in range(600):  # up to a minute
        job.refresh_from_db()
        if job.done:
            break
        time.sleep(0.1)
    assert (job.status, job.outcome, job.host) == ("finished", "added", jobs.HOST)
    assert job.bilag.number == 863
    assert job.pid != os.getpid()
    search = client.get("/", {"q": "Hajin"}).content.decode()
    assert 'href="/bilag/863/' in search  # the job's process indexed it too
