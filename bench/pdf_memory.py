"""Memory and time of ingesting a 200-page PDF, parent and PDF child measured apart.

    .venv/bin/python bench/pdf_memory.py                       # SQLite, 200 pages
    .venv/bin/python bench/pdf_memory.py --database postgres --pages 500
    .venv/bin/python bench/pdf_memory.py --find-limit           # smallest RLIMIT_AS that works

Writes a text PDF (Danish, Norwegian and English report paragraphs, 5-7 a page) with
fpdf2, ingests it with bilag_ingest into a throwaway database (temp SQLite file, or the
PostgreSQL database `bench_pdf_memory`, dropped and created again) and prints wall time,
the peak RSS of the PDF child (library.ingest.pdf_child; getrusage(
RUSAGE_CHILDREN).ru_maxrss, of a launcher that runs it alone and of this process), the
peak RSS of this process during the ingest (VmHWM, reset first through
/proc/self/clear_refs) and the number of passages.
"""

import argparse
import io
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus, dbsetup  # noqa: E402

PG_NAME = "bench_pdf_memory"
MIB = 1024 * 1024


def proc_status(field: str) -> int:
    """A /proc/self/status figure (VmRSS, VmHWM) in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def children() -> tuple[int, float]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


# Runs the PDF child (library.ingest.pdf_child) as the PDF reader does (same
# limits through its environment, same stdin), but from a small launcher process, so
# that its RUSAGE_CHILDREN peak is the child's own and not the Django parent's.
CHILD = "library.ingest.pdf_child"
LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run(
    [sys.executable, "-m", sys.argv[1]],
    stdin=sys.stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime,
      time.perf_counter() - started)
"""


def child_alone(data: bytes) -> tuple[int, int, float, float]:
    """(exit status, peak RSS bytes, CPU s, wall s) of the PDF child run on its own."""
    from django.conf import settings

    proc = subprocess.run(
        [sys.executable, "-c", LAUNCHER, CHILD],
        input=data,
        capture_output=True,
        cwd=settings.BASE_DIR,
        env={
            "BAGGRUND_PDF_MAX_PAGES": str(settings.BAGGRUND_PDF_MAX_PAGES),
            "BAGGRUND_PDF_MEMORY_BYTES": str(settings.BAGGRUND_PDF_MEMORY_BYTES),
            "BAGGRUND_PDF_CPU_SECONDS": str(settings.BAGGRUND_PDF_TIMEOUT_SECONDS),
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(settings.BASE_DIR),
        },
        check=True,
    )
    status, rss_kib, cpu, wall = proc.stdout.split()
    return int(status), int(rss_kib) * 1024, float(cpu), float(wall)


def find_limit(data: bytes) -> None:
    """Extract under falling address-space limits: the smallest that still works."""
    from django.conf import settings

    from library.ingest.formats import ExtractError, extract

    print("\nRLIMIT_AS   result")
    for mib in (1024, 512, 384, 256, 192, 128, 96, 64, 48, 32):
        settings.BAGGRUND_PDF_MEMORY_BYTES = mib * MIB
        started = time.perf_counter()
        try:
            extracted = extract("report.pdf", data)
            outcome = f"ok, {len(extracted.text):,} characters"
        except ExtractError as exc:
            outcome = f"refused: {exc}"
        print(f"{mib:5d} MiB   {outcome} ({time.perf_counter() - started:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--find-limit", action="store_true")
    args = parser.parse_args()

    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        return run(args)
    finally:
        workspace.cleanup(PG_NAME)


def make_pdf(pages: int) -> tuple[bytes, int]:
    """The report PDF and the number of paragraphs written into it, with what it is."""
    from django.conf import settings
    from pypdf import PdfReader

    started = time.perf_counter()
    report = corpus.report_pages(pages)
    data = corpus.text_pdf(report)
    make_seconds = time.perf_counter() - started
    count = len(PdfReader(io.BytesIO(data)).pages)
    print(f"PDF             {count} pages, {len(data) / MIB:.2f} MiB, made in {make_seconds:.1f} s")
    print(
        f"limits          RLIMIT_AS {settings.BAGGRUND_PDF_MEMORY_BYTES // MIB} MiB, "
        f"CPU {settings.BAGGRUND_PDF_TIMEOUT_SECONDS} s, "
        f"max {settings.BAGGRUND_PDF_MAX_PAGES} pages"
    )
    return data, sum(len(page) for page in report)


def run(args) -> int:
    from library.ingest.results import ADDED
    from library.ingest.services import bilag_ingest

    data, paragraphs = make_pdf(args.pages)
    child_peak_before, child_cpu_before = children()
    rss_before = proc_status("VmRSS")
    peak_reset = reset_peak_rss()
    started = time.perf_counter()
    result = bilag_ingest(
        name="report-200.pdf",
        data=data,
        metadata={"country": "SY", "published": "2019-03", "publisher": "Landinfo"},
    )
    seconds = time.perf_counter() - started
    child_peak, child_cpu = children()
    parent_peak = proc_status("VmHWM")

    if result.outcome != ADDED:
        print(f"ingest FAILED: {result.line()}")
        return 1
    print(f"database        {args.database}")
    print(f"outcome         {result.line()}")
    print(f"wall time       {seconds:.2f} s (ingest, child included)")
    print(f"child CPU       {child_cpu - child_cpu_before:.2f} s (user + system)")
    status, alone_rss, alone_cpu, alone_wall = child_alone(data)
    print(
        f"child peak RSS  {alone_rss / MIB:.1f} MiB measured alone "
        f"(exit {status}, {alone_wall:.2f} s wall, {alone_cpu:.2f} s CPU)"
    )
    inherited = " (a child before peaked higher)" if child_peak_before > child_peak else ""
    print(
        f"                {child_peak / MIB:.1f} MiB as RUSAGE_CHILDREN of this process{inherited}"
    )
    print(
        f"parent RSS      {rss_before / MIB:.1f} MiB before, peak during ingest "
        f"{parent_peak / MIB:.1f} MiB"
        + ("" if peak_reset else " (peak since start: clear_refs not writable)")
    )
    bilag = result.bilag
    print(
        f"passages        {bilag.passages.count()} on "
        f"{bilag.passages.values('page').distinct().count()} pages "
        f"({paragraphs} paragraphs written), full text {len(bilag.full_text):,} chars"
    )
    if args.find_limit:
        find_limit(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
