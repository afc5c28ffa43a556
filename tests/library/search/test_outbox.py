"""The search index's outbox: every writing service queues its change in its own
transaction (and a failed one queues nothing), the rows are applied after the commit,
a process that dies between the database commit and the index commit loses nothing,
and writers and readers in several processes share one index folder.

The first part runs in the test's transaction. The second runs the library in
subprocesses on a database of their own (a migrated copy: a temp SQLite file, or a
throwaway PostgreSQL database when the tests run on PostgreSQL) with an index folder
under tmp_path; the test process never touches that database itself.
"""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import tantivy
from django.db import connection, transaction

from library.ingest.services import bilag_ingest
from library.models import Bilag, PassageTopic, SearchOutbox, Topic
from library.models.search import SearchOutboxQuerySet
from library.search import engine
from library.search import index as search_index
from library.search.selectors import fresh_searcher, passage_search
from library.services import bilag_update, bilag_withdraw
from library.topics.services import tag_add, tag_decide

ROOT = Path(__file__).resolve().parents[3]
SUBPROCESS_SECONDS = 90


def board_file(number: int, *paragraphs: str, title: str = "Lejrene i nord") -> str:
    """A bilag in the board's header format."""
    header = (
        f"Bilagsnr.:\t{number}\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\t{title}\n"
        "Udgivet:\t1. marts 2019\nOptaget på baggrundsmaterialet:\t1. april 2019\n"
    )
    body = "\n\n".join(
        paragraphs
        or (
            f"Familierne i bilag {number} bor stadig i lejrene nær grænsen.",
            "Forholdene i området er fortsat vanskelige for de mange familier.",
        )
    )
    return f"Flygtningenævnets baggrundsmateriale\n\n{header}\n{body}\n"


def outbox() -> list[tuple[int, int | None]]:
    return list(SearchOutbox.objects.order_by("id").values_list("bilag_id", "passage_id"))


def indexed_passages(bilag: Bilag, where: tuple | None = None) -> set[int]:
    """The passage ids the index holds for the bilag (with field = value, if `where`),
    read without applying anything."""
    searcher = engine.get_index().searcher()
    query = tantivy.Query.term_query(engine.SCHEMA, "bilag", bilag.id)
    if where is not None:
        also = tantivy.Query.term_query(engine.SCHEMA, *where)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in (query, also)])
    found = searcher.search(query, limit=1000)
    return set(searcher.fast_field_values("id", [address for _s, address in found.hits]))


def numbers(query: str, **filters) -> set[int]:
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    return {hit.bilag.number for hit in results.hits}


def ingest(number: int, *paragraphs: str) -> Bilag:
    result = bilag_ingest(
        name=f"bilag-{number}.txt",
        data=board_file(number, *paragraphs).encode(),
        metadata={"language": "da"},
    )
    assert result.outcome == "added", result.line()
    return result.bilag


@pytest.fixture
def applied(db) -> Bilag:
    """One ingested bilag whose outbox row is applied: the outbox is empty."""
    bilag = ingest(901)
    assert search_index.apply_pending() == 1
    assert outbox() == []
    return bilag


# --- services queue in their own transaction ---------------------------------------------------


def test_ingest_queues_its_bilag_and_applies_it_after_the_commit(
    db, django_capture_on_commit_callbacks
):
    fresh_searcher()  # the index is built (empty): the row itself is applied below
    with django_capture_on_commit_callbacks() as callbacks:
        bilag = ingest(901)

    assert outbox() == [(bilag.id, None)]
    assert callbacks, "the index is updated after the commit"
    assert indexed_passages(bilag) == set(), "not before it"
    for callback in callbacks:
        callback()  # the commit's hook: applies the row
    assert outbox() == []
    content = set(bilag.passages.filter(boilerplate=False).values_list("id", flat=True))
    assert indexed_passages(bilag) == content and content
    assert numbers("lejrene") == {901}


def test_a_rolled_back_ingest_leaves_no_row(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        ingest(901)
        assert len(outbox()) == 1, "the row is written inside the transaction"
        transaction.set_rollback(True)

    assert outbox() == []
    assert not Bilag.objects.exists()
    assert callbacks == []


def test_a_refused_file_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        empty = bilag_ingest(name="empty.txt", data=b"")
        unknown = bilag_ingest(name="scan.exe", data=b"MZ\x90\x00")
    assert empty.outcome == unknown.outcome == "failed"
    assert outbox() == [] and callbacks == []


def test_an_ingest_failing_after_it_queued_leaves_no_row(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    real = SearchOutboxQuerySet.queue_bilag

    def queue_then_fail(self, ids):
        real(self, ids)
        assert SearchOutbox.objects.exists()
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(SearchOutboxQuerySet, "queue_bilag", queue_then_fail)
    with django_capture_on_commit_callbacks() as callbacks:
        result = bilag_ingest(
            name="bilag-901.txt", data=board_file(901).encode(), metadata={"language": "da"}
        )
    assert result.outcome == "failed", result.line()
    assert "the disk is full" in result.message
    assert outbox() == [] and callbacks == []
    assert not Bilag.objects.exists()


CORRECTIONS = [
    # the change, the index field it shows in, and the search filter that finds it
    ({"country": "IQ"}, lambda b: ("country", "IQ"), lambda b: {"country": "IQ"}),
    (
        {"publisher": "UNHCR"},
        lambda b: ("publisher", b.publisher_id),
        lambda b: {"publisher": str(b.publisher_id)},
    ),
    (
        {"published": "2021-05"},
        lambda b: ("published", search_index.day_number(b.published)),
        lambda b: {"published_min": "2021-05-01", "published_max": "2021-05-31"},
    ),
]


@pytest.mark.parametrize(
    ("changes", "field", "filters"), CORRECTIONS, ids=["country", "publisher", "published"]
)
def test_a_correction_queues_the_bilag(applied, changes, field, filters):
    content = indexed_passages(applied)
    bilag_update(bilag=applied, **changes)
    applied.refresh_from_db()

    assert outbox() == [(applied.id, None)]
    assert indexed_passages(applied, field(applied)) == set(), "applied after the commit"
    assert search_index.apply_pending() == 1
    assert outbox() == []
    assert indexed_passages(applied, field(applied)) == content
    assert numbers("lejrene", **filters(applied)) == {901}


def test_a_correction_that_changes_nothing_queues_nothing(applied):
    bilag_update(bilag=applied, country=applied.country)
    assert outbox() == []


def test_a_withdrawal_queues_the_bilag(applied):
    bilag_withdraw(bilag=applied, reason="Superseded by a newer report.")
    assert outbox() == [(applied.id, None)]
    search_index.apply_pending()
    assert outbox() == []
    assert numbers("lejrene") == set()
    assert numbers("lejrene", status="withdrawn") == {901}


def test_tag_changes_queue_the_passage(applied, caseworker):
    topic = Topic.objects.create(slug="test-outbox", name_da="Prøve", name_en="Probe")
    passage = applied.passages.get(ordinal=1)
    assert numbers("", topic=topic.slug) == set()

    tag = tag_add(passage=passage, topic=topic, user=caseworker)
    assert outbox() == [(applied.id, passage.id)]
    search_index.apply_pending()
    assert outbox() == []
    assert numbers("", topic=topic.slug) == {901}

    tag_decide(tag=tag, state=PassageTopic.State.REJECTED, user=caseworker)
    assert outbox() == [(applied.id, passage.id)]
    search_index.apply_pending()
    assert outbox() == []
    assert numbers("", topic=topic.slug) == set()


# --- other processes: a crash between the commits, a held lock, concurrent writers -------------

SETUP = """
import json, os, sys, time
from pathlib import Path

import django

django.setup()
from django.utils import translation

translation.activate("en")
args = json.loads(sys.argv[1])


def barrier():
    # Warmed up (language model, topics, index), wait until every process is.
    if args.get("ready"):
        from library.ingest.language import detect_language
        from library.search import engine
        from library.topics.matching import compiled_topics

        detect_language("Familierne bor stadig i lejrene nær grænsen.")
        compiled_topics()
        engine.get_index()
        Path(args["ready"]).touch()
        while not Path(args["go"]).exists():
            time.sleep(0.01)
"""

INGEST = """
from library.ingest.services import bilag_ingest
from library.search import index

barrier()
done = []
for name, text in args["files"]:
    if name == args.get("crash_at"):
        # Dies right after the database commit, before the index is written.
        index.apply_pending = lambda *a, **k: os._exit(9)
    result = bilag_ingest(name=name, data=text.encode(), metadata={"language": "da"})
    done.append([name, result.outcome, result.line()])
print(json.dumps(done))
"""

PROBE = """
import tantivy
from django.db import connection
from library.models import Bilag, Passage, SearchOutbox
from library.search import engine
from library.search.selectors import fresh_searcher, passage_search


def state():
    searcher = engine.get_index().searcher()  # as committed: nothing applied here
    found = searcher.search(tantivy.Query.all_query(), limit=100_000, count=True)
    indexed = searcher.fast_field_values("number", [address for _s, address in found.hits])
    return {
        "bilag": sorted(Bilag.objects.values_list("number", flat=True)),
        "outbox": [list(r) for r in SearchOutbox.objects.values_list("bilag_id", "passage_id")],
        "ids": {n: pk for pk, n in Bilag.objects.values_list("id", "number")},
        "indexed": sorted(set(indexed)),
        "docs": found.count,
        "passages": Passage.objects.filter(boilerplate=False).count(),
        "vendor": connection.vendor,
    }


report = {"before": state()}
if args.get("query"):
    results = passage_search(query=args["query"], per_page=100)
    report["search"] = {
        "error": results.error,
        "total": results.total,
        "bilag": sorted({hit.bilag.number for hit in results.hits}),
    }
    report["after"] = state()
print(json.dumps(report))
"""

READER = """
from library.search.selectors import fresh_searcher, passage_search

barrier()
totals, errors = [], []
while not Path(args["stop"]).exists():
    try:
        results = passage_search(query=args["query"], per_page=100)
        if results.error:
            errors.append(results.error)
        totals.append(results.total)
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.01)  # room on a small machine for the writers
print(json.dumps({"totals": totals, "errors": errors[:5]}))
"""


@dataclasses.dataclass
class Site:
    """A migrated database and an index folder that subprocesses run the library on."""

    tmp: Path
    env: dict

    @property
    def index_dir(self) -> Path:
        return Path(self.env["BAGGRUND_SEARCH_INDEX_DIR"])

    def start(self, script: str, extra_env: dict | None = None, **args) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", SETUP + script, json.dumps(args)],
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, script: str, *, expect: int = 0, extra_env=None, **args):
        """Run a script to its end; its printed JSON (or None for an expected exit)."""
        return finish(self.start(script, extra_env, **args), expect=expect)

    def manage(self, *argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_SECONDS,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def finish(process: subprocess.Popen, *, expect: int = 0):
    out, err = process.communicate(timeout=SUBPROCESS_SECONDS)
    assert process.returncode == expect, f"exit {process.returncode}:\n{err[-3000:]}"
    return json.loads(out.strip().splitlines()[-1]) if expect == 0 else None


def _pg_settings() -> dict:
    from django.conf import settings

    return settings.DATABASES["default"]


def _pg_url(name: str) -> str:
    db = _pg_settings()
    auth = quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _env(tmp: Path, database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        BAGGRUND_SEARCH_INDEX_DIR=str(tmp / "idx"),
        BAGGRUND_MEDIA_ROOT=str(tmp / "media"),
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database the subprocesses migrated once: (kind, SQLite file or PostgreSQL name)."""
    tmp = tmp_path_factory.mktemp("outbox-template")
    if connection.vendor == "postgresql":
        name = f"baggrund_helper_outbox_tpl_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
        url, source = _pg_url(name), name
    else:
        source = tmp / "db.sqlite3"
        url = f"sqlite:///{source}"
    Site(tmp, _env(tmp, url)).manage("migrate", "--verbosity", "0")
    yield connection.vendor, source
    if connection.vendor == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(migrated, tmp_path):
    """A fresh copy of the migrated database, and an index folder of its own."""
    vendor, source = migrated
    if vendor == "postgresql":
        name = f"baggrund_helper_outbox_{uuid.uuid4().hex[:12]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        url = _pg_url(name)
    else:
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copy(f"{source}{suffix}", tmp_path / f"site.sqlite3{suffix}")
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    yield Site(tmp_path, _env(tmp_path, url))
    if vendor == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def files(*numbers: int) -> list[list[str]]:
    return [[f"bilag-{n}.txt", board_file(n)] for n in numbers]


def crash_after_commit(site: Site, query: str = "") -> dict:
    """Bilag 1 ingested and indexed; bilag 2 committed, then the process dies. Asserts
    the state that leaves, and returns the probe's report (with a search, if `query`)."""
    site.run(INGEST, expect=9, files=files(1, 2), crash_at="bilag-2.txt")
    report = site.run(PROBE, query=query)
    state = report["before"]
    assert state["vendor"] == connection.vendor, "the subprocesses use the tests' kind"
    assert state["bilag"] == [1, 2], "the database holds the bilag"
    assert state["outbox"] == [[state["ids"]["2"], None]], "and its outbox row"
    assert state["indexed"] == [1], "the index never took it"
    return report


def test_a_search_applies_what_a_crashed_ingest_left(site):
    report = crash_after_commit(site, query="lejrene")

    assert not report["search"]["error"]
    assert report["search"]["bilag"] == [1, 2], "the search applied the outbox"
    after = report["after"]
    assert after["outbox"] == []
    assert after["indexed"] == [1, 2] and after["docs"] == after["passages"]


def test_reindex_pending_repairs_what_a_crashed_ingest_left(site):
    crash_after_commit(site)

    out = site.manage("reindex", "--pending", "--no-progress")
    assert out.startswith("applied 1 pending changes to "), out
    state = site.run(PROBE)["before"]
    assert state["outbox"] == []
    assert state["indexed"] == [1, 2] and state["docs"] == state["passages"]


def test_a_write_that_cannot_get_the_lock_leaves_its_row_for_later(site):
    site.run(INGEST, files=files(1))
    with engine.SearchIndex(site.index_dir).write_lock(wait=5) as locked:
        assert locked
        done = site.run(INGEST, files=files(2), extra_env={"BAGGRUND_SEARCH_LOCK_SECONDS": "1"})
    assert [row[1] for row in done] == ["added"]

    report = site.run(PROBE, query="lejrene")
    state = report["before"]
    assert state["outbox"] == [[state["ids"]["2"], None]] and state["indexed"] == [1]
    assert report["search"]["bilag"] == [1, 2]
    assert report["after"]["outbox"] == []


def test_a_new_process_searches_while_another_holds_the_write_lock(site):
    # Opening the index never waits for a writer (reindex_all may hold the lock for
    # minutes); the search reads the last commit.
    site.run(INGEST, files=files(1))
    with engine.SearchIndex(site.index_dir).write_lock(wait=5) as locked:
        assert locked
        report = site.run(PROBE, query="lejrene", extra_env={"BAGGRUND_SEARCH_LOCK_SECONDS": "1"})
    assert not report["search"]["error"] and report["search"]["bilag"] == [1]


def _barrier_go(site: Site, names: list[str]) -> None:
    ready = [site.tmp / f"ready-{name}" for name in names]
    deadline = time.monotonic() + SUBPROCESS_SECONDS
    while not all(path.exists() for path in ready):
        assert time.monotonic() < deadline, "the subprocesses never got ready"
        time.sleep(0.02)
    (site.tmp / "go").touch()


def test_concurrent_writers_and_a_reader_share_one_index(site):
    site.run(INGEST, files=files(1))  # the index exists; the reader always finds bilag 1
    go, stop = str(site.tmp / "go"), str(site.tmp / "stop")
    writers = [
        site.start(INGEST, files=files(*range(first, first + 4)), ready=ready, go=go)
        for first, ready in ((10, str(site.tmp / "ready-a")), (20, str(site.tmp / "ready-b")))
    ]
    reader = site.start(READER, query="lejrene", ready=str(site.tmp / "ready-r"), go=go, stop=stop)
    _barrier_go(site, ["a", "b", "r"])
    outcomes = [row[1] for writer in writers for row in finish(writer)]
    Path(stop).touch()
    read = finish(reader)

    assert outcomes == ["added"] * 8
    assert read["errors"] == [] and read["totals"], read
    assert read["totals"][0] >= 1 and read["totals"] == sorted(read["totals"]), (
        "no committed passage ever went missing"
    )
    expected = [1, *range(10, 14), *range(20, 24)]
    report = site.run(PROBE, query="lejrene")
    state = report["before"]
    assert state["bilag"] == expected
    assert state["outbox"] == [] and state["indexed"] == expected
    assert state["docs"] == state["passages"], "one entry per passage, none twice"
    assert report["search"]["bilag"] == expected


def test_a_new_index_folder_opened_first_by_a_write_is_built_whole(site):
    site.run(INGEST, files=files(1))
    shutil.rmtree(site.index_dir)  # lost, or a new deployment's folder

    site.run(INGEST, files=files(2))  # the first use: the whole library, not only bilag 2
    report = site.run(PROBE, query="lejrene")
    assert report["before"]["indexed"] == [1, 2]
    assert report["search"]["bilag"] == [1, 2]


def test_a_first_search_while_another_process_builds_the_index_does_not_fail(site):
    site.run(INGEST, files=files(1))
    shutil.rmtree(site.index_dir)
    building = engine.SearchIndex(site.index_dir)  # new and not built, as a rebuild starts
    assert not building.built()
    with building.write_lock(wait=5) as locked:
        assert locked
        during = site.run(PROBE, query="lejrene", extra_env={"BAGGRUND_SEARCH_LOCK_SECONDS": "1"})
    assert not during["search"]["error"], "the search answers (from the empty index)"

    after = site.run(PROBE, query="lejrene")  # the next first use builds it
    assert after["search"]["bilag"] == [1] and after["after"]["indexed"] == [1]
