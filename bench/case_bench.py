"""Case files: how the case page, the citation sheet and the API scale with citations.

    .venv/bin/python bench/case_bench.py --database postgres
    .venv/bin/python bench/case_bench.py --database sqlite --citations 2000

Ingests N generated bilag (`manage.py ingest`, as in ingest_bench) into a fresh database
(`bench_cases` on PostgreSQL, dropped afterwards), creates one big case with --citations
citations spread over every bilag and --notes notes, plus --other-cases cases of other
caseworkers with 20 citations each (so the citation and audit tables are not only ours),
then requests each page through Django's test client as the big case's member, --runs
times, and prints p50 / p95 / max milliseconds and the number of SQL queries for:
the case page, the sheet (HTML), the sheet (text), /api/cases/<id>, the cite page, a
bilag page and a search page (both look up "cited in your cases"). Also times citing
(the service, one transaction with its audit row) per citation.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import accounts, corpus, dbsetup  # noqa: E402
from bench.ingest_bench import ingest_with_command, write_folder  # noqa: E402

PG_NAME = "bench_cases"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--bilag", type=int, default=300, help="bilag to ingest (300)")
    parser.add_argument("--citations", type=int, default=500, help="in the big case (500)")
    parser.add_argument("--notes", type=int, default=50, help="notes in the big case (50)")
    parser.add_argument("--other-cases", type=int, default=200, help="other cases (200)")
    parser.add_argument("--runs", type=int, default=20, help="requests per page (20)")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page, e.g. 'case page'")
    args = parser.parse_args()
    os.environ.setdefault("BAGGRUND_ALLOWED_HOSTS", "testserver")  # Django's test client
    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        return run(args, workspace)
    finally:
        workspace.cleanup(PG_NAME)


def _cite_many(case, user, passages, count, notes, rng, services):
    made_notes = [
        services.note_create(case=case, user=user, body=f"Notat {n + 1} om sagen.")
        for n in range(notes)
    ]
    started = time.perf_counter()
    for i in range(count):
        passage = rng.choice(passages)
        start = rng.randrange(0, max(1, len(passage.text) - 40))
        end = min(len(passage.text), start + rng.randint(20, 200))
        services.citation_create(
            note=made_notes[i % notes], passage=passage, user=user, start=start, end=end
        )
    return time.perf_counter() - started


def _measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates, translations, the query plan
    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, timings[-1], queries, len(response.content)


def run(args, workspace) -> int:
    from django.test import Client

    from casefiles.models import Citation

    library, ingest_seconds = _build_library(args, workspace)
    big, member, cite_seconds, others_seconds = _build_cases(args, library)
    cited = Citation.objects.filter(note__case=big).select_related("passage__bilag").first()
    client = Client()
    client.force_login(member)
    pages = [
        ("case page", big.get_absolute_url()),
        ("sheet (HTML)", f"/cases/{big.pk}/sheet/"),
        ("sheet (text)", f"/cases/{big.pk}/sheet/text/"),
        ("API case", f"/api/cases/{big.pk}"),
        ("cite page", f"/cite/?bilag={cited.passage.bilag.number}&ordinal={cited.passage.ordinal}"),
        ("bilag page", f"/bilag/{cited.passage.bilag.number}/"),
        ("search page", "/?q=lejr"),
    ]
    _report_setup(args, big, len(library), ingest_seconds, cite_seconds, others_seconds)
    print(f"\n{'page':<14} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'queries':>8} {'KB':>7}")
    for name, url in pages:
        p50, p95, top, queries, size = _measure(client, url, args.runs)
        print(f"{name:<14} {p50:7.1f} {p95:7.1f} {top:7.1f} {queries:8d} {size / 1024:7.0f}")
    if args.profile:
        _profile(client, dict(pages)[args.profile], args.runs)
    return 0


def _build_library(args, workspace) -> tuple[list, float]:
    """Ingest --bilag generated files; returns the content passages and the seconds."""
    from library.models import Passage

    files = corpus.generate(args.bilag, seed=3)
    folder = workspace.tmp / "bilag"
    write_folder(folder, files)
    started = time.perf_counter()
    ingest_with_command(folder)
    ingest_seconds = time.perf_counter() - started
    passages = list(Passage.objects.filter(boilerplate=False).select_related("bilag__publisher"))
    return passages, ingest_seconds


def _build_cases(args, passages):
    """The member's big case and the other caseworkers' cases; returns the big case, its
    member and the seconds citing took in each."""
    from casefiles import services

    rng = random.Random(5)
    member = accounts.caseworker("member")
    big = services.case_create(
        user=member, reference="BENCH-0001", title="Benchmark case", country="SY"
    )
    cite_seconds = _cite_many(big, member, passages, args.citations, args.notes, rng, services)
    others = [accounts.caseworker(f"other{n}") for n in range(args.other_cases)]
    others_started = time.perf_counter()
    for n, user in enumerate(others):
        case = services.case_create(
            user=user, reference=f"OTHER-{n:04d}", title="Other case", country="SY"
        )
        _cite_many(case, user, passages, 20, 2, rng, services)
    return big, member, cite_seconds, time.perf_counter() - others_started


def _report_setup(args, big, passages, ingest_seconds, cite_seconds, others_seconds) -> None:
    from casefiles.models import AuditEntry, Citation
    from library.models import Bilag

    groups = Citation.objects.filter(note__case=big).values("passage__bilag").distinct().count()
    print(f"database        {args.database}")
    print(
        f"library         {Bilag.objects.count()} bilag, {passages} content passages "
        f"(ingested in {ingest_seconds:.1f} s)"
    )
    print(f"big case        {args.citations} citations from {groups} bilag in {args.notes} notes")
    print(
        f"other cases     {args.other_cases} x 20 citations "
        f"({Citation.objects.count()} citations, {AuditEntry.objects.count()} audit rows)"
    )
    others = max(1, args.other_cases * 20)
    print(
        f"citing          {1000 * cite_seconds / max(1, args.citations):.1f} ms per citation "
        f"(service + audit row; others: {1000 * others_seconds / others:.1f})"
    )


def _profile(client, url: str, runs: int) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
    print(stream.getvalue())


if __name__ == "__main__":
    sys.exit(main())
