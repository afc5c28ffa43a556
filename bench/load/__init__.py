"""The load test: simulated caseworkers (Locust) against `scripts/serve` on the search corpus.

    .venv/bin/python bench/load/run.py                 # 50 caseworkers, 10 minutes
    .venv/bin/python bench/load/run.py --smoke         # 10 caseworkers, 2 minutes

`run.py` prepares the kept 1,000,000-passage corpus database (bench/searchcorpus) with
caseworker accounts and their cases (`plan.py`), starts the production server
(`server.py`), runs Locust headless on `locustfile.py` (its searches from `queries.py`),
samples the machine meanwhile (`machine.py`), and prints the table (`report.py`).
"""
