"""Peak memory and time of ingesting one huge paragraph, against a small file, in one run.

    .venv/bin/python bench/long_paragraph_memory.py                 # 1, 5, 10 MB
    .venv/bin/python bench/long_paragraph_memory.py --sizes 1 5 10 50

The production issue's probe: a board-header .txt whose body is one single line (no
blank line anywhere) made ingest hold about 160x the file's size. Each file here is the
header of seed 863 with a new number and a body of the seed's own sentences repeated on
one line up to the size. Every ingest runs `manage.py ingest` in a child process of its
own on a throwaway SQLite database, and the child's peak RSS (getrusage RUSAGE_CHILDREN,
one child at a time) is printed beside that of the small seed file, with paragraphs cut
at MAX_PASSAGE_CHARS (as ingest does now) and whole (as it did); the target is
peak - small <= 10x the file's size.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "004_e1216e5ac3c25b1b.txt"
MIB = 1024 * 1024


def huge_file(folder: Path, megabytes: int) -> Path:
    """The seed's board header (number 9863), then one line of its sentences."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = next(n for n, line in enumerate(lines) if line.startswith("Optaget"))
    head = "\n".join(lines[: cut + 1]).replace("863", "9863")
    body = " ".join(
        line.strip() for line in lines[cut + 1 :] if len(line.split()) > 12 and "\t" not in line
    )
    size = megabytes * MIB
    text = ((body + " ") * (size // (len(body) + 1) + 1))[:size]
    path = folder / f"huge-{megabytes}mb.txt"
    path.write_text(head + "\n\n" + text + "\n", encoding="utf-8")
    return path


# The same command with paragraphs never cut (how ingest worked before), for comparison.
UNBOUNDED = (
    "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
    "sys.path.insert(0, sys.argv[1]); import django; django.setup(); "
    "import library.ingest.passages as p; p.MAX_PASSAGE_CHARS = 10**12; "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[2:]])"
)


def ingest(path: Path, folder: Path, bounded: bool = True) -> tuple[float, int, str]:
    """(seconds, peak RSS in bytes, summary line) of `manage.py ingest path` alone."""
    database = folder / f"{path.stem}-{bounded}.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "BAGGRUND_MEDIA_ROOT": str(folder / f"{path.stem}-{bounded}-media"),
        "BAGGRUND_SEARCH_INDEX_DIR": str(folder / f"{path.stem}-{bounded}-index"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    if not bounded:
        manage = [sys.executable, "-c", UNBOUNDED, str(ROOT)]
    # Launched through a fresh interpreter that runs one child and reports its peak.
    probe = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-300:])"
    )
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe, *manage, "ingest", "--country", "SY", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return time.perf_counter() - started, int(out[0]) * 1024, out[1]


def main() -> None:
    """Print one row per file: size, seconds, peak RSS, its excess over the small file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10], help="MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / SEED.name
        small.write_bytes((ROOT / "seeds" / "000_091d3380eedcd8de.txt").read_bytes())
        base_seconds, base_rss, _line = ingest(small, folder)
        print(f"{'file':<16} {'paragraphs':<11} {'s':>6} {'peak MB':>8} {'excess/size':>12}")
        print(f"{'small seed':<16} {'':<11} {base_seconds:>6.1f} {base_rss / MIB:>8.0f}")
        for megabytes in args.sizes:
            path = huge_file(folder, megabytes)
            for bounded in (True, False):
                seconds, rss, line = ingest(path, folder, bounded)
                excess = (rss - base_rss) / path.stat().st_size
                label = "cut at 8000" if bounded else "whole"
                print(
                    f"{path.name:<16} {label:<11} {seconds:>6.1f} {rss / MIB:>8.0f} "
                    f"{excess:>11.1f}x  {line}"
                )
    print(f"(one child at a time; RUSAGE_CHILDREN peak; {os.cpu_count()} cores)", file=sys.stderr)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
