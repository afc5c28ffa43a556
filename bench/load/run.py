"""Load test: N simulated caseworkers against `scripts/serve` on the 1,000,000-passage corpus.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/load/run.py                  # 50 caseworkers, 10 minutes
    .venv/bin/python bench/load/run.py --smoke          # 10 caseworkers, 2 minutes
    .venv/bin/python bench/load/run.py --users 20 --run-time 3m --workers 5

Opens the kept corpus database (baggrund_bench_search, migrated if needed) and its
search index, makes one caseworker account per simulated user and their cases with
notes and citations (plan.py), starts `scripts/serve` (gunicorn, production settings,
plain HTTP on a free loopback port, --workers workers) and waits for /healthz, runs
Locust headless on locustfile.py (--users, --spawn-rate, --run-time) while sampling the
machine's load, stops the server, prints the per-request-type table (requests,
failures, p50, p95, p99, max: exact, from every request's time) with the overall row
and the load, and removes the accounts and cases with all the run added (--keep leaves
them). Locust runs on the same machine as the server and PostgreSQL: its CPU is shown.
Everything of a run is kept in bench/out/load-<time>/ (plan, timings, Locust's CSV and
log, the server's log, report.md). Exit status 0 only when nothing failed and every
type's p95 is within --target-ms.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import machine, report  # noqa: E402
from bench.load.server import Server  # noqa: E402
from bench.searchcorpus import database  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated caseworkers (50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second (5)")
    parser.add_argument("--run-time", default="10m", help="Locust's --run-time (10m)")
    parser.add_argument("--smoke", action="store_true", help="10 caseworkers for 2 minutes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--wait-min", type=float, default=2.0, help="think time from (2 s)")
    parser.add_argument("--wait-max", type=float, default=8.0, help="think time to (8 s)")
    parser.add_argument("--target-ms", type=float, default=300.0, help="p95 target (300)")
    parser.add_argument("--seed", type=int, default=16, help="cases and choices (16)")
    parser.add_argument("--pg-name", default=database.PG_NAME, help="corpus database")
    parser.add_argument("--keep", action="store_true", help="keep the accounts and cases")
    parser.add_argument("--out", type=Path, help="folder for the run's files")
    args = parser.parse_args()
    if args.smoke:
        args.users, args.run_time = 10, "2m"
    args.out = args.out or ROOT / "bench" / "out" / time.strftime("load-%Y%m%d-%H%M%S")
    return args


def seconds_of(run_time: str) -> float:
    """Locust's run time ("10m", "90s", "1h30m") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    found = re.findall(r"(\d+(?:\.\d+)?)([hms])", run_time)
    if not found:
        return float(run_time)
    return sum(float(n) * units[u] for n, u in found)


def prepare(args) -> tuple[str, Path, dict]:
    """Django on the corpus database; the plan written; returns (url, index, plan)."""
    url = database.open_database("postgres", pg_name=args.pg_name)
    from django.db import connections

    from bench.load import plan
    from library.models import Bilag

    if not Bilag.objects.exists():
        raise SystemExit(
            f"{args.pg_name} holds no bilag: load it first with bench/search_corpus.py "
            "--passages 1000000 --database postgres --fresh"
        )
    started = time.perf_counter()
    made = plan.prepare(args.users, seed=args.seed)
    print(
        f"prepared        {len(made['users'])} caseworkers, {plan.summary()} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    (args.out / "plan.json").write_text(json.dumps(made, indent=1), encoding="utf-8")
    connections.close_all()
    return url, database.index_folder("postgres", pg_name=args.pg_name), made


def locust_command(args, host: str) -> list[str]:
    return [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(Path(__file__).resolve().parent / "locustfile.py"),
        "--headless",
        "--host",
        host,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        args.run_time,
        "--csv",
        str(args.out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]


def run_locust(args, server: Server) -> tuple[float, dict]:
    """Locust against the server while the machine is sampled; (seconds, load summary)."""
    env = {
        **server.env,
        "BAGGRUND_LOAD_PLAN": str(args.out / "plan.json"),
        "BAGGRUND_LOAD_TIMINGS": str(args.out / "timings.tsv"),
        "BAGGRUND_LOAD_SEED": str(args.seed),
        "BAGGRUND_LOAD_WAIT_MIN": str(args.wait_min),
        "BAGGRUND_LOAD_WAIT_MAX": str(args.wait_max),
    }
    with (args.out / "locust.log").open("w", encoding="utf-8") as log:
        started = time.perf_counter()
        locust = subprocess.Popen(
            locust_command(args, server.url), cwd=ROOT, env=env, stdout=log, stderr=log
        )
        sampler = machine.Sampler(
            {
                "gunicorn": server.pids,
                "locust": lambda: [locust.pid] if locust.poll() is None else [],
                "postgres (this db)": machine.postgres_backends(args.pg_name),
            }
        )
        sampler.start()
        locust.wait()
        seconds = time.perf_counter() - started
        sampler.stop()
    return seconds, sampler.summary()


def finish(args, made: dict, seconds: float, load: dict, before: str, after: str) -> int:
    """Print and keep the report; exit status 0 when every target was met."""
    rows = report.rows(report.read_timings(args.out / "timings.tsv"))
    measured = seconds_of(args.run_time)
    lines = [
        f"run             {args.users} caseworkers (spawn {args.spawn_rate}/s), {args.run_time}"
        f" (Locust ran {seconds:.0f} s), think time {args.wait_min:g}-{args.wait_max:g} s, "
        f"gunicorn {args.workers} workers; Locust on the same machine",
        "",
        report.table(rows, args.target_ms, measured),
        "",
        *report.machine_lines(load, before, after),
    ]
    failures = report.failure_messages(args.out / "locust")
    if failures:
        lines += ["", "failures (Locust):", *failures]
    over = [row["name"] for row in rows[:-1] if row["p95"] > args.target_ms]
    failed = rows[-1]["failures"]
    lines += [
        "",
        f"target          0 failures: {'met' if not failed else f'NOT met ({failed})'}; "
        f"p95 <= {args.target_ms:g} ms per type: "
        f"{'met' if not over else 'NOT met (' + ', '.join(over) + ')'}",
    ]
    text = "\n".join(lines)
    print(text)
    (args.out / "report.md").write_text(text + "\n", encoding="utf-8")
    return 0 if not failed and not over else 1


def main() -> int:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"files           {args.out}")
    before = machine.uptime()
    url, index_dir, made = prepare(args)
    media = Path(tempfile.mkdtemp(prefix="baggrund-load-media-"))
    with (args.out / "server.log").open("w", encoding="utf-8") as log:
        server = Server(
            database_url=url, index_dir=index_dir, media=media, workers=args.workers, log=log
        )
        try:
            print(f"server          {server.url}: up in {server.start():.1f} s")
            seconds, load = run_locust(args, server)
            after = machine.uptime()
        finally:
            print(f"server          stopped ({server.stop()})")
            shutil.rmtree(media, ignore_errors=True)
    status = finish(args, made, seconds, load, before, after)
    from django.conf import settings

    settings.SECRET_KEY = server.env["BAGGRUND_SECRET_KEY"]  # to read the run's sessions
    _clean(args)
    return status


def _clean(args) -> None:
    from bench.load import plan

    print(f"the run added   {plan.summary()}")
    if args.keep:
        print("kept            the accounts and cases (--keep); the next run removes them")
    else:
        print(f"removed         {plan.remove()}")


if __name__ == "__main__":
    sys.exit(main())
