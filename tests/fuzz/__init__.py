"""Fuzzing: Hypothesis property tests of the parsers and readers, mutated files through
ingest, and the public payload lists through every form field and query parameter.

Fast enough for the normal suite: every property states its number of examples, and
`BAGGRUND_FUZZ_FULL=1` runs more of them (the full payload lists, more examples).
Examples are derandomized (the same inputs on every run) and nothing is stored in a
.hypothesis folder, so a run is reproducible and leaves the checkout clean.
"""

import os

from hypothesis import HealthCheck, settings

FULL = os.environ.get("BAGGRUND_FUZZ_FULL") == "1"

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def examples(normal: int, full: int | None = None) -> settings:
    """Hypothesis settings with `normal` examples (`full` with BAGGRUND_FUZZ_FULL=1)."""
    return settings(FUZZ, max_examples=(full or normal * 10) if FULL else normal)
