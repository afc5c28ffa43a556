"""How many cases each fuzz test tried: a table at the end of the session.

Shown with BAGGRUND_FUZZ_FULL=1 or BAGGRUND_FUZZ_REPORT=1 (quiet otherwise);
BAGGRUND_FUZZ_REPORT=<file>.jsonl also appends the rows there, one JSON object a line.
Per test: what a case is ("payloads": a field and payload sent, with its follow-up
requests, counted by tests/fuzz/payloads.Prober; "examples": the inputs a Hypothesis
property ran, every phase counted; "test": the test itself), how many were tried, how
many failed, and the seconds taken (setup, call and teardown); the database in the title.
"""

import json
import os
import time

import pytest
from django.conf import settings
from hypothesis import is_hypothesis_test
from hypothesis.statistics import collector

from tests.fuzz import FULL, payloads

REPORT = os.environ.get("BAGGRUND_FUZZ_REPORT", "")
SHOWN = FULL or bool(REPORT)
_ROWS = pytest.StashKey[dict]()
_COLLECTED: list[dict] = []


def _examples(stats: dict) -> tuple[int, int, int]:
    """(cases run, of which invalid, distinct failures) of one Hypothesis run."""
    cases = invalid = failures = 0
    for key, phase in stats.items():
        if not (key.endswith("-phase") and isinstance(phase, dict)):
            continue
        for case in phase.get("test-cases", []):
            cases += 1
            invalid += case.get("status") in ("invalid", "overrun")
        failures = max(failures, phase.get("distinct-failures", 0))
    return cases, invalid, failures


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item):
    """Innermost around the call: the Prober tallies made, or the Hypothesis statistics
    (passed on to the Hypothesis plugin's own collector as well)."""
    row = item.stash.setdefault(_ROWS, {"kind": "test", "cases": 1, "failures": 0})
    del payloads.TALLIES[:]
    outer = collector.value

    def note(stats):
        cases, invalid, failures = _examples(stats)
        row.update(kind="examples", cases=cases, invalid=invalid, failures=failures)
        if outer is not None:
            outer(stats)

    if hasattr(item, "obj") and is_hypothesis_test(item.obj):
        with collector.with_value(note):
            outcome = yield
    else:
        outcome = yield
    if payloads.TALLIES:
        row.update(
            kind="payloads",
            cases=sum(t["cases"] for t in payloads.TALLIES),
            requests=sum(t["requests"] for t in payloads.TALLIES),
            failures=sum(t["failures"] for t in payloads.TALLIES),
            statuses=_merged(t["statuses"] for t in payloads.TALLIES),
            counts=_merged(t["counts"] for t in payloads.TALLIES),
        )
    if outcome.excinfo is not None and not row["failures"]:
        row["failures"] = 1


def _merged(counters) -> dict:
    total: dict = {}
    for counter in counters:
        for code, count in counter.items():
            total[str(code)] = total.get(str(code), 0) + count
    return dict(sorted(total.items()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Add each phase's time to the test's row; file the row after its teardown."""
    report = (yield).get_result()
    row = item.stash.setdefault(_ROWS, {"kind": "test", "cases": 1, "failures": 0})
    row["seconds"] = row.get("seconds", 0.0) + report.duration
    if report.failed:
        row["outcome"] = "failed"
    elif hasattr(report, "wasxfail"):
        row["outcome"] = "xfailed: a known failure"
    elif report.skipped:
        row.setdefault("outcome", "skipped")
    if report.when == "teardown":
        row.setdefault("outcome", "passed")
        _COLLECTED.append({"test": item.nodeid, **row})


def pytest_terminal_summary(terminalreporter):
    """The table (and the JSON Lines file) when asked for."""
    if not (SHOWN and _COLLECTED):
        return
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    terminalreporter.section(f"fuzz cases ({vendor}, full={int(FULL)}, {stamp})")
    write = terminalreporter.write_line
    write(f"{'cases':>7} {'kind':<9} {'requests':>8} {'failed':>6} {'seconds':>8}  test")
    for row in _COLLECTED:
        name = row["test"].removeprefix("tests/fuzz/")
        flag = "" if row["outcome"] == "passed" else f"  [{row['outcome']}]"
        columns = (row["cases"], row["kind"], row.get("requests", ""), row["failures"])
        write("{:>7} {:<9} {:>8} {:>6} ".format(*columns) + f"{row['seconds']:>8.1f}  {name}{flag}")
    total = sum(row["cases"] for row in _COLLECTED)
    seconds = sum(row["seconds"] for row in _COLLECTED)
    failed = sum(row["failures"] for row in _COLLECTED)
    write(f"{total:>7} {'in all':<9} {'':>8} {failed:>6} {seconds:>8.1f}  ({len(_COLLECTED)})")
    if REPORT and REPORT != "1":
        with open(REPORT, "a", encoding="utf-8") as out:
            for row in _COLLECTED:
                out.write(json.dumps({"database": vendor, "full": FULL, **row}) + "\n")
