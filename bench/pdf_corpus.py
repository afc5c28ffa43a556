"""Ingest every PDF of the public PDF corpora through bilag_ingest, one file at a time.

    .venv/bin/python bench/pdf_corpus.py                  # both corpora, 3-4 min
    .venv/bin/python bench/pdf_corpus.py --only crazyones --only GeoTopo
    .venv/bin/python bench/pdf_corpus.py --corpus ../shared/corpora/pdf-samples --timeout 300

Creates a throwaway SQLite database and media folder (bench/dbsetup.py), then ingests
every *.pdf under each `--corpus` (default ../shared/corpora/pdf-samples and
../shared/corpora/pdf-pypdf-resources, never copied) with `bilag_ingest` and the
metadata {"country": "SY", "published": "2020"} (these PDFs have no board cover sheet).
Byte-identical copies are ingested too: they must come back unchanged.

Each ingest runs in its own short-lived worker process (this script with --worker), one
after another; the parent kills the worker's process group after `--timeout` seconds
(default: the library's BAGGRUND_PDF_WALL_SECONDS + 60, so the reader's own limit
fires first). A timeout, a worker that dies, or a traceback (bilag_ingest turns any
exception into a "failed" result and logs it; the worker catches that log record)
counts as a crash, and the script exits 1 if any file crashed.

Peak memory of the PDF reader's child: the worker points `sys.executable` at a small
Python wrapper, so the reader's `[sys.executable, "-m", "library.ingest.pdf_child"]`
starts the wrapper, which runs the real interpreter with the same arguments, standard
input, environment and working directory, passes its output and exit status (or signal)
back unchanged, and notes getrusage(RUSAGE_CHILDREN).ru_maxrss: the peak RSS of the
child or of any Tesseract it ran, whichever was larger (the kernel keeps the maximum,
not the sum), never less than the wrapper's own RSS when it forked (printed in the
header). It also notes the child's wall time and, from its JSON, the pages it read and
the pages it read by OCR or found empty even by OCR. OCR s/page is the child's wall time
over those OCR-tried pages, on files where OCR ran: an upper bound, as it includes
opening the file and its pages with a text layer.

Per file: pages, seconds of bilag_ingest, child peak RSS, OCR pages, OCR s/page, and
for added files the control characters (category Cc other than newline and tab),
ligatures (U+FB00-FB06) and U+FFFE in the stored Bilag.full_text, read back from the
database, and its passages; then the outcome (refusals with their exact message).
"""

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_CORPORA = [CORPORA / "pdf-samples", CORPORA / "pdf-pypdf-resources"]
METADATA = {"country": "SY", "published": "2020"}
LIGATURES = {chr(code) for code in range(0xFB00, 0xFB07)}
MIB = 1024 * 1024

WRAPPER = r"""#!{python} -I
# Stands in for Python when Baggrund's PDF reader starts its child (bench/pdf_corpus.py).
import ctypes, json, os, resource, signal, subprocess, sys, time

def die_with_parent():  # the reader's wall limit kills this wrapper: the child goes too
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

with open("/proc/self/status") as status:  # RSS now, when the child is forked
    own = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
started = time.perf_counter()
child = subprocess.Popen(
    [{python!r}, *sys.argv[1:]], stdout=subprocess.PIPE, preexec_fn=die_with_parent
)
out, _ = child.communicate()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
note = {{"rc": child.returncode, "maxrss_kib": usage.ru_maxrss, "wrapper_kib": own,
        "wall": time.perf_counter() - started}}
try:
    payload = json.loads(out)
    note |= {{"pages": len(payload["pages"]), "ocr_pages": payload["ocr_pages"],
             "unread_pages": payload["unread_pages"]}}
except (ValueError, KeyError, TypeError):
    pass
with open({report!r}, "a") as handle:
    handle.write(json.dumps(note) + "\n")
sys.stdout.buffer.write(out)
sys.stdout.flush()
if child.returncode < 0:
    signal.signal(-child.returncode, signal.SIG_DFL)
    os.kill(os.getpid(), -child.returncode)
sys.exit(child.returncode)
"""


def install_wrapper(folder: Path) -> Path:
    """Write the wrapper and make the PDF reader start it instead of Python; returns the
    file the wrapper appends its notes to."""
    report = folder / "child.jsonl"
    wrapper = folder / "python-wrapper"
    wrapper.write_text(WRAPPER.format(python=sys.executable, report=str(report)))
    wrapper.chmod(0o755)
    sys.executable = str(wrapper)  # read by library.ingest.formats.pdf.read_pdf
    return report


class TracebackCatcher:
    """A logging handler that keeps every record logged with an exception."""

    def __init__(self):
        import logging

        self.handler = logging.Handler(level=logging.ERROR)
        self.handler.emit = self.emit
        self.tracebacks: list[str] = []
        logging.getLogger().addHandler(self.handler)

    def emit(self, record) -> None:
        if record.exc_info:
            import traceback

            self.tracebacks.append("".join(traceback.format_exception(*record.exc_info)))


def stored_counts(bilag_id: int) -> dict:
    """Odd characters in the full text as the database holds it, and the passages."""
    from library.models import Bilag

    bilag = Bilag.objects.get(pk=bilag_id)
    text = bilag.full_text
    controls = sum(1 for c in text if c not in "\n\t" and unicodedata.category(c) == "Cc")
    return {
        "number": bilag.number,
        "chars": len(text),
        "controls": controls,
        "ligatures": sum(1 for c in text if c in LIGATURES),
        "fffe": text.count("\ufffe"),
        "passages": bilag.passages.count(),
    }


def worker(path: Path, result_path: Path) -> int:
    """Ingest one file (Django set up from the parent's environment); write the result."""
    import django

    django.setup()
    from django.utils import translation

    from library.ingest.services import bilag_ingest

    translation.activate("en")
    with tempfile.TemporaryDirectory(prefix="baggrund-pdf-corpus-") as tmp:
        report = install_wrapper(Path(tmp))
        catcher = TracebackCatcher()
        data = path.read_bytes()
        started = time.perf_counter()
        result = bilag_ingest(name=path.name, data=data, metadata=dict(METADATA))
        seconds = time.perf_counter() - started
        lines = report.read_text().splitlines() if report.exists() else []
    out = {
        "outcome": result.outcome,
        "message": result.message,
        "notes": result.notes,
        "seconds": seconds,
        "child": [json.loads(line) for line in lines],
        "tracebacks": catcher.tracebacks,
    }
    if result.outcome == "added":
        out |= stored_counts(result.bilag.pk)
    result_path.write_text(json.dumps(out, ensure_ascii=False))
    return 0


def find_files(corpora: list[Path], only: list[str]) -> list[tuple[str, Path]]:
    """(label, path) of every PDF, in corpus then path order, filtered by --only."""
    files = []
    for corpus in corpora:
        for path in sorted(corpus.rglob("*.pdf")):
            relative = f"{corpus.name}/{path.relative_to(corpus).as_posix()}"
            if only and not any(word.lower() in relative.lower() for word in only):
                continue
            files.append((f"{corpus.name.removeprefix('pdf-')}:{path.name}", path))
    return files


def run_worker(path: Path, timeout: float) -> dict:
    """One ingest in its own worker process; a timeout or a dead worker is a crash."""
    with tempfile.TemporaryDirectory(prefix="baggrund-pdf-corpus-") as tmp:
        result_path = Path(tmp) / "result.json"
        command = [sys.executable, __file__, "--worker", str(path), str(result_path)]
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return {"outcome": "crashed", "crash": f"timeout: over {timeout:.0f} s wall time"}
        wall = time.perf_counter() - started
        if child.returncode != 0 or not result_path.exists():
            tail = err.decode("utf-8", "replace").strip()[-2000:]
            return {"outcome": "crashed", "crash": f"worker exit {child.returncode}: {tail}"}
        result = json.loads(result_path.read_text())
    result["wall"] = wall
    if result["tracebacks"]:
        result["crash"] = result["tracebacks"][-1]
    return result


def child_figures(result: dict) -> dict:
    """Pages, peak RSS, OCR-tried pages and child seconds of one ingest (None: no child)."""
    runs = result.get("child") or []
    if not runs:
        return {"pages": None, "rss": None, "ocr": None, "tried": 0, "child_wall": 0.0}
    run = runs[-1]
    ocr, unread = run.get("ocr_pages"), run.get("unread_pages") or []
    return {
        "pages": run.get("pages"),
        "rss": max(r["maxrss_kib"] for r in runs) * 1024,
        "ocr": None if ocr is None else len(ocr),
        "tried": len(ocr or []) + len(unread),
        "child_wall": sum(r["wall"] for r in runs),
    }


def outcome_text(result: dict) -> str:
    if result.get("crash"):
        return "CRASHED: " + result["crash"].strip().splitlines()[-1][:200]
    if result["outcome"] == "added":
        return f"added as bilag {result['number']} with {result['passages']} passages"
    if result["outcome"] == "unchanged":
        return "unchanged"
    return f"refused: {result['message']}"


def show(value, form: str = "{}", unit: float = 1) -> str:
    """A figure for the table, '-' where there is none; divided by `unit` (MIB)."""
    return "-" if value is None else form.format(value / unit if unit != 1 else value)


def ocr_cell(figures: dict) -> str:
    """Pages read by OCR / pages OCR tried (read, or found empty even so); '-' if none."""
    return f"{figures['ocr'] or 0}/{figures['tried']}" if figures["tried"] else "-"


def print_row(label: str, result: dict) -> None:
    figures = result["figures"]
    per_ocr = figures["child_wall"] / figures["tried"] if figures["tried"] else None
    added = result["outcome"] == "added" and not result.get("crash")
    cells = [
        f"{label[:50]:<50}",
        f"{show(figures['pages']):>5}",
        f"{show(result.get('seconds'), '{:.2f}'):>6}",
        f"{show(figures['rss'], '{:.1f}', MIB):>6}",
        f"{ocr_cell(figures):>5}",
        f"{show(per_ocr, '{:.2f}'):>6}",
        f"{show(result.get('controls') if added else None):>4}",
        f"{show(result.get('ligatures') if added else None):>4}",
        f"{show(result.get('passages') if added else None):>5}",
    ]
    print(" ".join(cells) + "  " + outcome_text(result), flush=True)


HEADER = (
    f"{'file':<50} {'pages':>5} {'s':>6} {'MiB':>6} {'OCR':>5} {'s/OCR':>6} "
    f"{'ctrl':>4} {'lig':>4} {'pass':>5}  outcome"
)


def totals(results: list[tuple[str, dict]]) -> dict:
    """The figures over every file."""
    rows = [result for _label, result in results]
    crashed = [r for r in rows if r.get("crash")]
    fine = [r for r in rows if not r.get("crash")]
    added = [r for r in fine if r["outcome"] == "added"]
    ocr_files = [r["figures"] for r in rows if r["figures"]["tried"]]
    tried = sum(f["tried"] for f in ocr_files)
    rss = [r["figures"]["rss"] for r in rows if r["figures"]["rss"]]
    return {
        "files": len(rows),
        "added": len(added),
        "unchanged": sum(1 for r in fine if r["outcome"] == "unchanged"),
        "refused": sum(1 for r in fine if r["outcome"] == "failed"),
        "crashed": len(crashed),
        "pages": sum(r["figures"]["pages"] or 0 for r in rows),
        "added_pages": sum(r["figures"]["pages"] or 0 for r in added),
        "passages": sum(r["passages"] for r in added),
        "controls": sum(r["controls"] for r in added),
        "ligatures": sum(r["ligatures"] for r in added),
        "fffe": sum(r["fffe"] for r in added),
        "seconds": sum(r.get("seconds", 0.0) for r in rows),
        "wall": sum(r.get("wall", 0.0) for r in rows),
        "ocr_pages": sum(f["ocr"] or 0 for f in ocr_files),
        "ocr_tried": tried,
        "ocr_per_page": sum(f["child_wall"] for f in ocr_files) / tried if tried else None,
        "max_rss": max(rss) if rss else None,
        "wrapper_rss": max(
            (run["wrapper_kib"] * 1024 for r in rows for run in r.get("child") or []), default=None
        ),
    }


def print_totals(figures: dict) -> None:
    rows = [
        ("files", figures["files"]),
        ("added", figures["added"]),
        ("unchanged (byte-identical copies)", figures["unchanged"]),
        ("refused", figures["refused"]),
        ("crashed (traceback, dead worker, timeout)", figures["crashed"]),
        ("pages the PDF child read (all files)", figures["pages"]),
        ("pages of added files", figures["added_pages"]),
        ("passages of added files", figures["passages"]),
        ("control characters in stored full_text", figures["controls"]),
        ("ligatures in stored full_text", figures["ligatures"]),
        ("U+FFFE in stored full_text", figures["fffe"]),
        ("bilag_ingest seconds, all files", f"{figures['seconds']:.1f}"),
        ("worker wall seconds, all files", f"{figures['wall']:.1f}"),
        ("pages read by OCR / OCR-tried pages", f"{figures['ocr_pages']} / {figures['ocr_tried']}"),
        ("OCR seconds per OCR-tried page", show(figures["ocr_per_page"], "{:.2f}")),
        ("peak RSS of the PDF child, MiB (max)", show(figures["max_rss"], "{:.1f}", MIB)),
    ]
    print("\ntotals")
    for title, value in rows:
        print(f"  {title:<44} {value}")


def print_lists(results: list[tuple[str, dict]]) -> None:
    print("\nrefused files:")
    for label, result in results:
        if result["outcome"] == "failed" and not result.get("crash"):
            print(f"  {label}: {result['message']}")
    crashes = [(label, r) for label, r in results if r.get("crash")]
    print(f"\ncrashes: {len(crashes) or 'none'}")
    for label, result in crashes:
        print(f"  {label}:\n" + "\n".join("    " + line for line in result["crash"].splitlines()))
    print("\nnotes of added files (what reading changed):")
    for label, result in results:
        if result["outcome"] == "added" and result["notes"]:
            print(f"  {label}: {'; '.join(result['notes'])[:200]}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, help="folder of PDFs (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="files whose path has NAME")
    parser.add_argument("--timeout", type=float, help="wall seconds a file (reader's limit + 60)")
    parser.add_argument("--json", metavar="PATH", help="write the raw figures here")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.worker:
        return worker(*args.worker)
    from bench import dbsetup

    workspace = dbsetup.prepare("sqlite", "")
    from django.conf import settings
    from django.db import connections

    connections.close_all()  # the workers write; this process only reads at the end
    timeout = args.timeout or settings.BAGGRUND_PDF_WALL_SECONDS + 60
    files = find_files(args.corpus or DEFAULT_CORPORA, args.only)
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for _label, path in files}
    migrated = f"migrated in {workspace.migrate_seconds:.1f} s"
    print(f"database        {workspace.database_url} ({migrated})")
    print(f"files           {len(files)} ({len(files) - len(digests)} byte-identical copies)")
    print(f"metadata        {json.dumps(METADATA)}; worker timeout {timeout:.0f} s a file")
    print("MiB             peak RSS of the PDF child or its Tesseract (wrapper's getrusage)")
    print("OCR             pages read by OCR / pages OCR tried; s/OCR: child s per tried page")
    print(f"\n{HEADER}")
    results = []
    try:
        for label, path in files:
            result = run_worker(path, timeout)
            result["figures"] = child_figures(result)
            print_row(label, result)
            results.append((label, result))
    finally:
        workspace.cleanup()
    figures = totals(results)
    print_totals(figures)
    wrapper = show(figures["wrapper_rss"], "{:.1f}", MIB)
    print(f"  {'wrapper RSS when it forked the child, MiB':<44} {wrapper}")
    print_lists(results)
    if args.json:
        Path(args.json).write_text(json.dumps({"files": results, "totals": figures}, indent=1))
    return 1 if figures["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
