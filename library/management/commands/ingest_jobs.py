"""manage.py ingest_jobs: run upload jobs (large uploads ingested outside the request)."""

import time

from django.core.management.base import BaseCommand, CommandError

from library import jobs
from library.models import IngestJob


class Command(BaseCommand):
    """Run upload jobs. The web server starts `--job ID` for each large upload; without
    it, marks jobs whose process is gone as stopped, lets old files go and runs every
    queued job once, or with `--loop SECONDS` for ever (BAGGRUND_JOB_LAUNCH=manual).
    Prints one line per job: its file and what happened."""

    help = "Run upload jobs: one (--job ID), every queued one, or for ever (--loop SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--job", type=int, help="Run this job (when it is queued).")
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS", help="Look for queued jobs this often."
        )

    def handle(self, *args, **options):
        if options["job"] is not None:
            if not IngestJob.objects.filter(pk=options["job"]).exists():
                raise CommandError(f"no upload job {options['job']}")
            job = jobs.run(options["job"])
            self._report([job] if job else [])
            return
        while True:
            jobs.sweep_stopped()
            jobs.clean_stale()
            self._report(jobs.run_queued())
            if not options["loop"]:
                return
            time.sleep(max(options["loop"], 0.5))

    def _report(self, done: list[IngestJob]) -> None:
        for job in done:
            number = f" {job.bilag.number}" if job.bilag else ""
            message = f": {job.message}" if job.message else ""
            self.stdout.write(f"job {job.pk} {job.name}: {job.outcome}{number}{message}")
