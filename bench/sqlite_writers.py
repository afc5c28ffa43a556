"""Web writes on SQLite while a long ingest runs: they wait, how long, and do any fail?

    .venv/bin/python bench/sqlite_writers.py                       # 20 and 50 MB
    .venv/bin/python bench/sqlite_writers.py --sizes 50 --shapes paragraphs

The production issue's probe: on SQLite every request that writes (a login writes a
session, the case and sheet views write audit rows) was a 500 "database is locked"
after 20 s while a long ingest ran. For each file (a board-header .txt of the seed's
sentences: `paragraphs` of about 400 characters, or one single `line`) this starts
`manage.py ingest FILE` in a child process on a throwaway SQLite database (WAL, as
shipped: BEGIN IMMEDIATE, busy timeout 20 s) and, while it runs, writes as the web does
in this process, one after the other: a real login through Django's test client
(session, login audit row) and a case created through the case service. It prints the
writes tried and failed and their wait (median, p95, max) beside the ingest's time:
the longest wait is about the ingest's longest write transaction, and it must stay
under the busy timeout with room to spare.
"""

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seeds" / "004_e1216e5ac3c25b1b.txt"
MIB = 1024 * 1024
_SERIAL = itertools.count(1)  # case references, unique over the whole run


def big_file(folder: Path, megabytes: int, shape: str) -> Path:
    """The seed's board header (a number of its own), then its sentences up to the size:
    paragraphs of about 400 characters with blank lines between, or one line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = next(n for n, line in enumerate(lines) if line.startswith("Optaget"))
    number = 9000 + megabytes + (500 if shape == "line" else 0)
    head = "\n".join(lines[: cut + 1]).replace("863", str(number))
    sentences = [
        line.strip()
        for line in lines[cut + 1 :]
        if len(line.split()) > 12 and "cookie" not in line.lower()
    ]
    joiner = "\n\n" if shape == "paragraphs" else " "
    pieces, size, n = [], 0, 0
    room = megabytes * MIB - len(head.encode()) - 4  # within the size limit, all told
    while size < room - 420 * 4:
        first, second = sentences[n % len(sentences)], sentences[(n * 7 + 3) % len(sentences)]
        piece = f"{first} {second} ({n})"[:420]
        pieces.append(piece)
        size += len(piece.encode()) + len(joiner)
        n += 1
    path = folder / f"big-{megabytes}mb-{shape}.txt"
    path.write_text(head + "\n\n" + joiner.join(pieces) + "\n", encoding="utf-8")
    return path


def _writes_while(child: subprocess.Popen, user, password: str) -> tuple[list[float], list[str]]:
    """Write as the web does until the child ends: (seconds each write took, failures)."""
    from django.test import Client

    from casefiles.services import case_create

    waits, failures = [], []
    while child.poll() is None:
        n = next(_SERIAL)
        started = time.perf_counter()
        try:
            client = Client(raise_request_exception=False)
            response = client.post(
                "/accounts/login/", {"username": user.username, "password": password}
            )
            if response.status_code != 302:
                failures.append(f"login: HTTP {response.status_code}")
            case_create(user=user, reference=f"W-{n}", title="Write probe", country="SY")
        except Exception as exc:  # the probe counts every failure, whatever it is
            failures.append(f"{type(exc).__name__}: {exc}"[:120])
        waits.append(time.perf_counter() - started)
        time.sleep(0.2)
    return waits, failures


def run_one(path: Path, env: dict, user, password: str) -> dict:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--country", "SY", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    waits, failures = _writes_while(child, user, password)
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    said = out.strip() if child.returncode == 0 else f"exit {child.returncode}: {err.strip()}"
    return {"seconds": seconds, "waits": waits, "failures": failures, "out": said}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 50], help="MB")
    parser.add_argument("--shapes", nargs="+", default=["paragraphs", "line"])
    args = parser.parse_args()

    from bench import dbsetup

    work = dbsetup.prepare("sqlite", "unused")
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from bench.accounts import caseworker

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = caseworker("writer")
    password = "writer-probe-password-1"
    user.set_password(password)
    get_user_model().objects.filter(pk=user.pk).update(password=user.password)
    env = {**os.environ, "BAGGRUND_LOG_LEVEL": "ERROR"}
    timeout = settings.DATABASES["default"]["OPTIONS"]["timeout"]
    print(f"SQLite busy timeout {timeout} s; writes: a login and a new case, every 0.2 s")
    print(
        f"{'file':<28} {'ingest s':>9} {'writes':>7} {'failed':>7} "
        f"{'wait p50':>9} {'p95':>7} {'max':>7}  ingest said"
    )
    folder = Path(tempfile.mkdtemp(prefix="baggrund-writers-"))
    try:
        for shape in args.shapes:
            for size in args.sizes:
                path = big_file(folder, size, shape)
                r = run_one(path, env, user, password)
                waits = sorted(r["waits"]) or [0.0]
                p95 = waits[min(len(waits) - 1, int(len(waits) * 0.95))]
                print(
                    f"{path.name:<28} {r['seconds']:>9.1f} {len(r['waits']):>7} "
                    f"{len(r['failures']):>7} {statistics.median(waits):>9.2f} "
                    f"{p95:>7.2f} {waits[-1]:>7.2f}  {r['out'].splitlines()[-1:]}"
                )
                for failure in sorted(set(r["failures"]))[:5]:
                    print(f"    {failure}")
                path.unlink()
    finally:
        work.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
