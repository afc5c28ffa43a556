"""Peak memory, time and write transaction of ingesting one huge paragraph, in one run.

    .venv/bin/python bench/long_paragraph_memory.py                 # 1, 5, 10 MB
    .venv/bin/python bench/long_paragraph_memory.py --sizes 1 10 50

The production issue's probe: a board-header .txt whose body is one single line (no
blank line anywhere) made ingest hold about 160x the file's size. Each file here is the
header of seed 863 with a new number and a body of the seed's own sentences repeated on
one line up to the size. Every ingest runs `manage.py ingest` in a child process of its
own on a throwaway SQLite database, and the child's peak RSS (getrusage RUSAGE_CHILDREN,
one child at a time) is printed beside that of the small seed file; the target is
peak - small <= 10x the file's size. Files up to --whole-max MB are ingested a second
time with paragraphs never cut (how ingest worked before MAX_PASSAGE_CHARS).

The child also reports the longest write transaction (from the outermost
`transaction.atomic` entering to its COMMIT returning: on SQLite, BEGIN IMMEDIATE holds
the write lock that long, and other writers wait up to the 20 s busy timeout), and when
each ingest phase began (bilag_ingest's `progress`) with the peak RSS reached by then.
`many_paragraphs.py` uses the same child (`run_ingest`).
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "004_e1216e5ac3c25b1b.txt"
SMALL = ROOT / "seeds" / "000_091d3380eedcd8de.txt"
MIB = 1024 * 1024


def seed_body() -> tuple[str, str]:
    """(the seed's board header up to its intake line, its long sentences as one line)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = next(n for n, line in enumerate(lines) if line.startswith("Optaget"))
    head = "\n".join(lines[: cut + 1])
    body = " ".join(
        line.strip() for line in lines[cut + 1 :] if len(line.split()) > 12 and "\t" not in line
    )
    return head, body


def huge_file(folder: Path, megabytes: int) -> Path:
    """The seed's board header (number 9863), then one line of its sentences: `megabytes`
    MiB in all (50 is the upload limit, BAGGRUND_MAX_FILE_BYTES)."""
    head, body = seed_body()
    head = head.replace("863", "9863") + "\n\n"
    size = megabytes * MIB - len(head.encode()) - 1  # the whole file: megabytes MiB
    text = ((body + " ") * (size // (len(body) + 1) + 1)).encode()[:size]
    path = folder / f"huge-{megabytes}mb.txt"
    path.write_bytes(head.encode() + text.decode(errors="ignore").encode() + b"\n")
    return path


# The child: `manage.py` with the write transactions timed and the phases noted, and
# (argv[2] == "whole") paragraphs never cut. Writes a JSON report to BENCH_REPORT.
CHILD = r"""
import json, os, sys, time
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')
sys.path.insert(0, sys.argv[1])
import django
django.setup()
if sys.argv[2] == 'whole':
    import library.ingest.passages as p
    p.MAX_PASSAGE_CHARS = 10**12
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
import library.ingest.services as services

report = {'transactions': [], 'phases': []}
opened = {}
started = time.perf_counter()

def peak():
    with open('/proc/self/status') as status:
        fields = dict(line.split(':', 1) for line in status)
    return int(fields['VmHWM'].split()[0]) * 1024

enter = transaction.Atomic.__enter__
def timed_enter(self):
    if not transaction.get_connection(self.using).in_atomic_block:
        opened['at'] = time.perf_counter()
    return enter(self)
transaction.Atomic.__enter__ = timed_enter

commit = BaseDatabaseWrapper.commit
def timed_commit(self):
    result = commit(self)
    if 'at' in opened:
        report['transactions'].append(time.perf_counter() - opened.pop('at'))
    return result
BaseDatabaseWrapper.commit = timed_commit

ingest = services.bilag_ingest
def noted(phase):
    report['phases'].append((phase, time.perf_counter() - started, peak()))
def with_progress(**kwargs):
    try:
        return ingest(progress=noted, **kwargs)
    except TypeError:  # a bilag_ingest without progress
        return ingest(**kwargs)
services.bilag_ingest = with_progress

def write_report():
    report['seconds'] = time.perf_counter() - started
    report['peak'] = peak()
    with open(os.environ['BENCH_REPORT'], 'w') as out:
        json.dump(report, out)
import atexit
atexit.register(write_report)
from django.core.management import execute_from_command_line
execute_from_command_line(['manage.py', *sys.argv[3:]])
"""

# Runs one child and reports its peak (RUSAGE_CHILDREN) and the last line it printed.
PROBE = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-300:])"
)


@dataclass
class Run:
    """One `manage.py ingest` of one file in a child of its own."""

    seconds: float
    peak: int  # bytes, RUSAGE_CHILDREN
    line: str  # the command's summary
    transactions: list[float]  # every write transaction's seconds
    phases: list[tuple[str, float, int]]  # (phase, seconds since start, VmHWM by then)

    @property
    def longest(self) -> float:
        return max(self.transactions, default=0.0)

    def phase_line(self) -> str:
        """'extract 0.4s/190M, passages 1.2s/250M, …' (start time and peak by then)."""
        return ", ".join(f"{p} {s:.1f}s/{rss / MIB:.0f}M" for p, s, rss in self.phases)


def run_ingest(path: Path, folder: Path, whole: bool = False, production: bool = False) -> Run:
    """`manage.py ingest --country SY path` alone in a child, on a fresh SQLite file
    (with a built, empty search index); `production`: with BAGGRUND_DEBUG=0 (Django
    then keeps no log of the SQL it runs)."""
    tag = f"{path.stem}-{'whole' if whole else 'cut'}"
    report = folder / f"{tag}.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{folder / tag}.sqlite3",
        "BAGGRUND_MEDIA_ROOT": str(folder / f"{tag}-media"),
        "BAGGRUND_SEARCH_INDEX_DIR": str(folder / f"{tag}-index"),
        "BENCH_REPORT": str(report),
    }
    if production:
        env.update(BAGGRUND_DEBUG="0", BAGGRUND_SECRET_KEY=secrets.token_urlsafe(40))
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    # A library in use has its search index built: the ingest then adds to it (64 MB
    # writer) instead of building it from the database first (400 MB writer).
    subprocess.run([*manage, "reindex", "--no-progress"], env=env, check=True, capture_output=True)
    child = [sys.executable, "-c", CHILD, str(ROOT), "whole" if whole else "cut"]
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *child, "ingest", "--country", "SY", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    seconds = time.perf_counter() - started
    data = json.loads(report.read_text()) if report.exists() else {}
    return Run(
        seconds=seconds,
        peak=int(out[0]) * 1024,
        line=out[1] if len(out) > 1 else "",
        transactions=data.get("transactions", []),
        phases=[tuple(p) for p in data.get("phases", [])],
    )


def print_row(label: str, kind: str, run: Run, size: int, base: Run) -> None:
    """One row: file, kind, seconds, peak, excess over the small file per byte, longest
    write transaction, summary; then the phases indented."""
    excess = (run.peak - base.peak) / size if size else 0.0
    print(
        f"{label:<22} {kind:<11} {run.seconds:>6.1f} {run.peak / MIB:>8.0f} "
        f"{excess:>11.1f}x {run.longest:>8.2f}  {run.line}"
    )
    if run.phases:
        print(f"{'':<24}{run.phase_line()}")


def header() -> None:
    print(
        f"{'file':<22} {'paragraphs':<11} {'s':>6} {'peak MB':>8} {'excess/size':>12} "
        f"{'tx max s':>8}"
    )


PRODUCTION_HELP = "BAGGRUND_DEBUG=0 (default: the development settings, DEBUG on)"


def main() -> None:
    """Print one row per file: size, seconds, peak RSS, its excess over the small file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10], help="MB")
    parser.add_argument(
        "--whole-max", type=int, default=10, help="also ingest uncut up to this many MB"
    )
    parser.add_argument("--production", action="store_true", help=PRODUCTION_HELP)
    args = parser.parse_args()
    mode = {"production": args.production}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / SEED.name
        small.write_bytes(SMALL.read_bytes())
        base = run_ingest(small, folder, **mode)
        header()
        print_row("small seed", "", base, 0, base)
        for megabytes in args.sizes:
            path = huge_file(folder, megabytes)
            size = path.stat().st_size
            print_row(path.name, "cut at 8000", run_ingest(path, folder, **mode), size, base)
            if megabytes <= args.whole_max:
                whole = run_ingest(path, folder, whole=True, **mode)
                print_row(path.name, "whole", whole, size, base)
    print(f"(one child at a time; RUSAGE_CHILDREN peak; {os.cpu_count()} cores)", file=sys.stderr)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
