"""Relevance of the passage search, scored against hand-made judgements.

    .venv/bin/python bench/relevance.py --database sqlite
    .venv/bin/python bench/relevance.py --database postgres --json /tmp/relevance.json

Ingests seeds/ (through `manage.py ingest`, with its manifest) and the benchmark's own
bilag in bench/relevance/corpus/ (through `bilag_ingest`) into a throw-away database (a
temp SQLite file, or the PostgreSQL database `baggrund_bench_relevance`, dropped after),
resolves every judgement of bench/relevance/queries.toml to a passage (failing loudly
when its start text matches no passage, or more than one), runs each query through
`passage_search(query=..., per_page=20)` and prints nDCG@10 (graded, log2 discount,
ideal from the judgements) and recall@20 (grade >= 1) per query and for the dev,
held-out and all queries, with the refused queries and those with no hits. Passages
found only through a topic (hit.via_topics) count as results, in the order returned;
the report says how many each query got.

`evaluate()` is all of it but the database: the test suite calls it on its own test
database (tests/library/search/test_relevance.py) to hold the score.
"""

import argparse
import contextlib
import io
import json
import math
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dbsetup  # noqa: E402

PG_NAME = "baggrund_bench_relevance"
HERE = ROOT / "bench" / "relevance"
CORPUS = HERE / "corpus"
QUERIES = HERE / "queries.toml"
SEEDS = ROOT / "seeds"
SPLITS = ("dev", "heldout")


def load_queries() -> list[dict]:
    """The judged queries of queries.toml (each: q, need, split, judged)."""
    return tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"]


def ingest_all() -> None:
    """The seeds through the command (their manifest), the corpus through the service."""
    from django.core.management import call_command

    from library.ingest.results import FAILED
    from library.ingest.services import bilag_ingest

    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("ingest", str(SEEDS), stdout=out, stderr=err)
    if err.getvalue().strip():
        raise SystemExit(f"ingesting seeds/ failed:\n{err.getvalue()}")
    for path in sorted(CORPUS.glob("*.txt")):
        result = bilag_ingest(name=path.name, data=path.read_bytes())
        if result.outcome == FAILED:
            raise SystemExit(f"ingesting {path.name} failed: {result.line()}")


def _squash(text: str) -> str:
    return " ".join(text.split())


def passage_index() -> dict[str, list[tuple[int, str]]]:
    """{bilag key: [(passage id, text)]}, keyed "bilag:N" and "seed:PREFIX"."""
    from library.models import Passage

    index: dict[str, list[tuple[int, str]]] = {}
    rows = Passage.objects.filter(boilerplate=False).values_list(
        "id", "text", "bilag__number", "bilag__original_name"
    )
    for pk, text, number, original in rows:
        index.setdefault(f"bilag:{number}", []).append((pk, _squash(text)))
        if original[:3].isdigit() and (SEEDS / original).exists():
            index.setdefault(f"seed:{original[:3]}", []).append((pk, _squash(text)))
    return index


def resolve(queries: list[dict], index: dict) -> None:
    """Add `grades` {passage id: grade} to each query; exit naming a bad judgement."""
    problems = []
    for query in queries:
        query["grades"] = {}
        for judged in query["judged"]:
            key = f"seed:{judged['seed']}" if "seed" in judged else f"bilag:{judged['bilag']}"
            start = _squash(judged["start"])
            found = [pk for pk, text in index.get(key, []) if text.startswith(start)]
            if len(found) != 1:
                how = "no passage" if not found else f"{len(found)} passages"
                problems.append(f"{query['q']!r}: {key} start {judged['start']!r} matches {how}")
            else:
                query["grades"][found[0]] = max(query["grades"].get(found[0], 0), judged["grade"])
    if problems:
        raise SystemExit("judgements that do not resolve:\n  " + "\n  ".join(problems))


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def score(query: dict, hit_ids: list[int]) -> dict:
    grades = query["grades"]
    ideal = dcg(sorted(grades.values(), reverse=True)[:10])
    ndcg = dcg([grades.get(pk, 0) for pk in hit_ids[:10]]) / ideal if ideal else 0.0
    relevant = [pk for pk, g in grades.items() if g >= 1]
    found = sum(1 for pk in hit_ids[:20] if pk in grades)
    recall = found / len(relevant) if relevant else 0.0
    return {"ndcg10": ndcg, "recall20": recall}


def run_query(query: dict) -> dict:
    from library.search.selectors import passage_search

    results = passage_search(query=query["q"], per_page=20)
    hit_ids = [hit.passage.id for hit in results.hits]
    via = [hit.passage.id for hit in results.hits if hit.via_topics]
    row = {
        "q": query["q"],
        "split": query["split"],
        "error": results.error,
        "total": results.total,
        "via_total": getattr(results, "via_total", 0),
        "hits": len(hit_ids),
        "via_in_page": len(via),
        "via_relevant": sum(1 for pk in via if pk in query["grades"]),
        "judged": len(query["grades"]),
        "hit_ids": hit_ids,
        "hit_grades": [query["grades"].get(pk, 0) for pk in hit_ids],
    }
    row.update(score(query, hit_ids))
    return row


def summary(rows: list[dict]) -> dict:
    out = {}
    for name in (*SPLITS, "all"):
        part = [r for r in rows if name == "all" or r["split"] == name]
        out[name] = {
            "queries": len(part),
            "ndcg10": sum(r["ndcg10"] for r in part) / len(part) if part else 0.0,
            "recall20": sum(r["recall20"] for r in part) / len(part) if part else 0.0,
        }
    return out


def evaluate(queries: list[dict] | None = None) -> tuple[list[dict], dict]:
    """Ingest the corpus into the current database, resolve the judgements and run
    every query: (a row per query, the totals per split)."""
    queries = load_queries() if queries is None else queries
    ingest_all()
    resolve(queries, passage_index())
    rows = [run_query(query) for query in queries]
    return rows, summary(rows)


def report(rows: list[dict], totals: dict, vendor: str) -> None:
    print(f"database {vendor}; per query (nDCG@10, recall@20, hits/total, via topic):")
    for r in rows:
        mark = "H" if r["split"] == "heldout" else " "
        note = f"  REFUSED: {r['error']}" if r["error"] else ""
        print(
            f" {mark} {r['ndcg10']:.3f} {r['recall20']:.3f} {r['hits']:>3}/{r['total']:<4}"
            f" via {r['via_in_page']:>2} ({r['via_relevant']} judged)  {r['q']}{note}"
        )
    for name, t in totals.items():
        print(
            f"{name:8} {t['queries']:>3} queries  nDCG@10 {t['ndcg10']:.3f}  "
            f"recall@20 {t['recall20']:.3f}"
        )
    print("refused:", [r["q"] for r in rows if r["error"]] or "none")
    print("0 hits: ", [r["q"] for r in rows if not r["error"] and not r["hits"]] or "none")
    worst = sorted(rows, key=lambda r: (r["ndcg10"], r["recall20"]))[:10]
    print("worst 10:", ", ".join(f"{r['q']!r} {r['ndcg10']:.2f}" for r in worst))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args()
    workspace = dbsetup.prepare(args.database, PG_NAME)
    try:
        from django.db import connection

        rows, totals = evaluate()
        report(rows, totals, connection.vendor)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"database": args.database, "summary": totals, "queries": rows},
                    indent=1,
                    ensure_ascii=False,
                )
            )
    finally:
        workspace.cleanup(PG_NAME)
    return 0


if __name__ == "__main__":
    sys.exit(main())
