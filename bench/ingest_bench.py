"""Ingestion throughput: N generated bilag into a fresh database, through `manage.py ingest`.

    .venv/bin/python bench/ingest_bench.py --count 1000 --database sqlite
    .venv/bin/python bench/ingest_bench.py --count 1000 --database postgres
    .venv/bin/python bench/ingest_bench.py --count 200 --database postgres --profile

Generates a folder of N bilag (board-header .txt, ' date YYYY-MM' news .txt and saved
.html pages in Danish, Norwegian and English, 10-40 passages each) with a manifest.csv
for what the news and HTML files do not say, creates a fresh database (a temp SQLite
file, or the PostgreSQL database `bench_ingest`, dropped and created again), migrates,
then times `call_command("ingest", folder)`: the real command, one transaction per file.
--mode service calls bilag_ingest in a loop instead (no command, no manifest lookup).
Prints bilag/s and passages/s. Media goes to a temp folder; everything is removed after.
"""

import argparse
import contextlib
import cProfile
import csv
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus, dbsetup  # noqa: E402

PG_NAME = "bench_ingest"


def write_folder(folder: Path, files: list[corpus.GeneratedFile]) -> None:
    folder.mkdir(parents=True)
    for generated in files:
        (folder / generated.name).write_bytes(generated.data)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "country", "publisher"])
        for generated in files:
            if generated.manifest:
                writer.writerow(
                    [generated.name, generated.manifest["country"], generated.manifest["publisher"]]
                )


def ingest_with_command(folder: Path) -> tuple[str, str]:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    # The command exits with status 1 when something failed; that is reported below.
    with contextlib.suppress(SystemExit):
        call_command("ingest", str(folder), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ingest_with_service(folder: Path) -> tuple[str, str]:
    from library.ingest.manifest import load_manifest
    from library.ingest.results import FAILED
    from library.ingest.services import bilag_ingest

    manifest = load_manifest(folder / "manifest.csv")
    problems = []
    counts: dict[str, int] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "manifest.csv":
            continue
        result = bilag_ingest(
            name=path.name, data=path.read_bytes(), metadata=manifest.get(path.name, {})
        )
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if result.outcome == FAILED:
            problems.append(result.line())
    return str(counts), "\n".join(problems)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="bilag to generate (1000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--mode", choices=["command", "service"], default="command")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest phase")
    args = parser.parse_args()

    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        return run(args, workspace)
    finally:
        workspace.cleanup(PG_NAME)


def run(args, workspace: dbsetup.Workspace) -> int:
    from django.db import connection

    from library.models import Bilag, Passage

    started = time.perf_counter()
    files = corpus.generate(args.count, seed=args.seed)
    folder = workspace.tmp / "bilag"
    write_folder(folder, files)
    generate_seconds = time.perf_counter() - started
    size = sum(len(f.data) for f in files)

    ingest = ingest_with_command if args.mode == "command" else ingest_with_service
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    out, err = ingest(folder)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started

    bilag = Bilag.objects.count()
    passages = Passage.objects.count()
    content = Passage.objects.filter(boilerplate=False).count()
    expected_language = {f.name: f.language for f in files}
    detected = dict(Bilag.objects.values_list("original_name", "language"))
    right = sum(1 for name, lang in detected.items() if expected_language.get(name) == lang)
    by_kind = {
        kind: sum(1 for f in files if f.name.endswith(kind)) for kind in ("board.txt", "news.txt")
    }
    by_kind["html"] = sum(1 for f in files if f.name.endswith(".html"))

    print(f"database        {args.database} ({connection.vendor}), mode {args.mode}")
    print(
        f"files           {len(files)} ({by_kind['board.txt']} board header, "
        f"{by_kind['news.txt']} news, {by_kind['html']} html), {size / 1e6:.1f} MB, "
        f"generated in {generate_seconds:.1f} s"
    )
    print(f"migrate         {workspace.migrate_seconds:.1f} s")
    print(f"command says    {out.strip().splitlines()[-1] if out.strip() else '-'}")
    if err.strip():
        lines = err.strip().splitlines()
        print(f"problems        {len(lines)}, first: {lines[0]}")
    print(f"bilag           {bilag}")
    print(f"passages        {passages} ({content} content, {passages - content} boilerplate)")
    expected = sum(f.content_paragraphs for f in files)
    print(f"content check   {content} content passages, {expected} generated")
    print(f"language right  {right}/{bilag}")
    print(f"ingest time     {seconds:.2f} s ({1000 * seconds / max(bilag, 1):.1f} ms per bilag)")
    print(f"bilag/s         {bilag / seconds:.1f}")
    print(f"passages/s      {passages / seconds:.0f}")
    if profiler:
        for order in ("cumulative", "tottime"):
            print(f"\n--- cProfile, top 25 by {order} ---")
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(25)
            print(stream.getvalue())
    return 0 if bilag == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
