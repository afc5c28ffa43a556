"""The load test's table: per request type requests, failures, p50, p95, p99, max.

Read from the locustfile's timings (one line per request: name, milliseconds, ok), so the
percentiles are exact (nearest rank) rather than Locust's rounded ones; Locust's own
failure messages come from its `--csv` files. Printed as Markdown.
"""

import csv
import math
from collections import defaultdict
from pathlib import Path

ORDER = [
    "login page",
    "login POST",
    "home",
    "search: words",
    "search: words + filters",
    "search: filters",
    "search: next page",
    "bilag",
    "bilag ?find=",
    "cite GET",
    "cite POST",
    "case",
    "case list",
    "sheet HTML",
    "sheet text",
]


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (the value at or above `share`)."""
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def read_timings(path: Path) -> dict[str, tuple[list[float], int]]:
    """name -> (sorted milliseconds, failures)."""
    times: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            name, ms, ok = line.rstrip("\n").split("\t")
            times[name].append(float(ms))
            failures[name] += ok != "1"
    return {name: (sorted(values), failures[name]) for name, values in times.items()}


def rows(timings: dict[str, tuple[list[float], int]]) -> list[dict]:
    """One row per request type (in the mix's order), then the overall row."""
    names = [n for n in ORDER if n in timings] + sorted(set(timings) - set(ORDER))
    out = [_row(name, *timings[name]) for name in names]
    every = sorted(ms for values, _f in timings.values() for ms in values)
    out.append(_row("overall", every, sum(f for _v, f in timings.values())))
    return out


def _row(name: str, ordered: list[float], failures: int) -> dict:
    return {
        "name": name,
        "requests": len(ordered),
        "failures": failures,
        "p50": percentile(ordered, 0.50),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
        "max": ordered[-1] if ordered else float("nan"),
    }


def table(table_rows: list[dict], target_ms: float, seconds: float) -> str:
    """The Markdown table; a type whose p95 is over the target is marked."""
    lines = [
        "| request type | requests | req/s | failures | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in table_rows:
        over = " **over**" if row["p95"] > target_ms else ""
        lines.append(
            f"| {row['name']} | {row['requests']:,} | {row['requests'] / seconds:.2f} "
            f"| {row['failures']} | {row['p50']:.0f} | {row['p95']:.0f}{over} "
            f"| {row['p99']:.0f} | {row['max']:.0f} |"
        )
    return "\n".join(lines)


def failure_messages(csv_prefix: Path, limit: int = 20) -> list[str]:
    """Locust's failures (`<prefix>_failures.csv`): occurrences, method, name, error."""
    path = Path(f"{csv_prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        found = [
            f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(handle)
        ]
    return found[:limit]


def machine_lines(summary: dict, before: str, after: str) -> list[str]:
    """The machine's load while the test ran, and whose CPU it was."""
    lines = [
        f"uptime before   {before}",
        f"uptime after    {after}",
        f"load average    1-min over {summary['samples']} samples every few s: "
        f"min {summary['load1 min']:.2f}, mean {summary['load1 mean']:.2f}, "
        f"max {summary['load1 max']:.2f} (2 cores)",
    ]
    for name, cores in summary["cores"].items():
        lines.append(f"  cores used    {name:<22} {cores:5.2f}")
    return lines
