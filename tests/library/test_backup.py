"""Backup and restore (`manage.py backup DIR`, `manage.py restore DIR`): a library with
bilag, tags, decisions, history, cases, notes, citations and audit entries is backed up,
the installation emptied, and the restore found identical; and every refusal."""

import json
import shutil
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, connections

from casefiles.models import AuditEntry, Case, Note
from casefiles.services import (
    case_create,
    citation_create,
    citation_remove,
    note_create,
    note_update,
)
from library.backup import read_manifest, snapshot_models, write
from library.backup.contents import MAPPED, SEEDED, is_seeded, label, left_out
from library.models import Bilag, BilagChange, PassageTopic, Topic, TopicClassifier
from library.services import bilag_update, bilag_withdraw
from library.topics.services import tag_add, tag_decide
from tests.factories import BilagFactory, CaseworkerFactory, LibraryAdminFactory
from tests.support import ROOT, SEEDS, stored_files

SEARCHES = ["lejr", "camp OR leir", "flygtning*", "Syrien"]
# Compared by natural key: content type and permission ids may differ between databases.
BY_NATURAL_KEY = {*MAPPED, "auth.group_permissions", "auth.user_user_permissions"}
BY_NATURAL_KEY.add("admin.logentry")


def _backup(folder: Path) -> str:
    out = StringIO()
    call_command("backup", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


def _restore(folder: Path) -> str:
    out = StringIO()
    call_command("restore", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


def _build_library():
    """Seeds ingested, tags decided, a correction, a case with notes and citations."""
    admin = LibraryAdminFactory(username="admin")
    member = CaseworkerFactory(username="member")
    other = CaseworkerFactory(username="other")
    CaseworkerFactory(username="outsider")
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    tags = list(PassageTopic.objects.order_by("pk")[:2])
    tag_decide(tag=tags[0], state=PassageTopic.State.CONFIRMED, user=member)
    tag_decide(tag=tags[1], state=PassageTopic.State.REJECTED, user=other)
    cited = [t.passage for t in PassageTopic.objects.filter(passage__boilerplate=False)[:2]]
    untagged = Topic.objects.exclude(passage_tags__passage=cited[0]).order_by("slug").first()
    tag_add(passage=cited[0], topic=untagged, user=member)
    bilag_update(bilag=cited[0].bilag, user=admin, title="Rettet titel")
    case = case_create(
        user=member, reference="2026-0042", title="Sag om Syrien", country="SY", members=[other]
    )
    note = note_create(case=case, user=member, body="Første udkast")
    note_update(note=note, user=other, body="Andet udkast, med kilder")
    kept = citation_create(note=note, passage=cited[0], user=member, start=0, end=12)
    removed = citation_create(note=note, passage=cited[1], user=member, start=0, end=8)
    citation_remove(citation=removed, user=member)
    bilag_withdraw(bilag=cited[0].bilag, reason="Erstattet af et nyere bilag", user=admin)
    TopicClassifier.objects.create(
        topic=untagged, decisions=3, positives=2, negatives=1, threshold=0.5, weights=bytes(256)
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Note),
        object_id=str(note.pk),
        object_repr="note",
        action_flag=CHANGE,
        change_message="[]",
    )
    assert kept.passage.bilag.is_withdrawn  # the citation now points at a withdrawn bilag
    return case, member


def _tables() -> dict:
    """Every row of every model in a snapshot, as the database returns it."""
    rows = {
        label(model): list(model._base_manager.order_by("pk").values())
        for model in snapshot_models()
        if label(model) not in BY_NATURAL_KEY
    }
    rows["group permissions"] = sorted(
        (g.name, p.content_type.app_label, p.codename)
        for g in Group.objects.all()
        for p in g.permissions.all()
    )
    rows["admin log"] = [
        (e.pk, e.action_time, e.user_id, e.content_type.natural_key(), e.object_id)
        for e in LogEntry.objects.order_by("pk")
    ]
    return rows


def _reads(client, case, member) -> dict:
    """What people and tools see: export, the case API, searches, the originals."""
    export = StringIO()
    call_command("export", stdout=export)
    client.force_login(member)
    return {
        "export": export.getvalue(),
        "case": client.get(f"/api/cases/{case.pk}").json(),
        "search": {q: client.get("/api/search", {"q": q}).json() for q in SEARCHES},
    }


def _originals(media: Path) -> dict:
    return {str(p.relative_to(media)): p.read_bytes() for p in stored_files(media)}


def _empty_installation(settings, tmp_path) -> None:
    """A new server: a freshly migrated database (its seeded groups and topics, with the
    content type of one model made anew under another id), no media, no search index."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        ):
            cursor.execute(sql)
    ContentType.objects.filter(app_label="casefiles", model="note").delete()
    ContentType.objects.clear_cache()
    create_permissions(apps.get_app_config("casefiles"), verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    settings.BAGGRUND_SEARCH_INDEX_DIR = tmp_path / "search-index-after"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_everything_as_it_was(client, settings, tmp_path):
    case, member = _build_library()
    call_command("reindex", "--no-progress", stdout=StringIO())
    seen = _reads(client, case, member)
    tables, originals = _tables(), _originals(settings.MEDIA_ROOT)
    assert len(originals) == Bilag.objects.count() == 5
    assert BilagChange.objects.count() == 2 and AuditEntry.objects.count() >= 6
    old_note_type = ContentType.objects.get_for_model(Note).pk

    summary = _backup(tmp_path / "snapshot")
    assert "5 originals" in summary and "missing 0" in summary
    _empty_installation(settings, tmp_path)
    assert ContentType.objects.get_for_model(Note).pk != old_note_type
    assert not Bilag.objects.exists() and not stored_files(settings.MEDIA_ROOT)

    summary = _restore(tmp_path / "snapshot")

    assert "5 bilag" in summary and "5 originals" in summary
    assert _tables() == tables
    assert _originals(settings.MEDIA_ROOT) == originals
    assert _reads(client, case, member) == seen
    assert seen["case"]["notes"] and all(seen["search"][q]["hits"] for q in SEARCHES[:2])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_rows_after_a_restore_get_new_keys(settings, tmp_path):
    BilagFactory.create_batch(3)
    _backup(tmp_path / "snapshot")
    highest = Bilag.objects.order_by("-pk").first().pk
    _empty_installation(settings, tmp_path)
    _restore(tmp_path / "snapshot")

    added = BilagFactory()

    assert added.pk > highest
    assert Group.objects.count() == 2 and Topic.objects.filter(slug="refugee-camps").count() == 1


@pytest.mark.django_db
def test_every_model_is_in_a_snapshot_or_left_out_for_a_reason():
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    held = {label(m) for m in snapshot_models()}
    assert {label(m) for m in models if left_out(m)} == {
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
        "library.searchoutbox",
        "library.ingestjob",
    }
    assert held == {label(m) for m in models if not left_out(m)}
    assert {"casefiles.auditentry", "library.bilagchange", "auth.user"} <= held
    # A freshly migrated database holds rows only where the restore expects them.
    filled = {label(m) for m in snapshot_models() if m._base_manager.exists()}
    assert filled == {*MAPPED, *SEEDED, "auth.group_permissions"}
    assert all(is_seeded(m) for m in snapshot_models() if label(m) in filled - set(MAPPED))


@pytest.fixture
def snapshot(tmp_path, db) -> Path:
    BilagFactory.create_batch(2)
    _backup(tmp_path / "snapshot")
    return tmp_path / "snapshot"


def test_the_manifest_lists_every_file_with_its_sha256(snapshot):
    manifest = read_manifest(snapshot)

    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {str(p.relative_to(snapshot)) for p in stored_files(snapshot)}
    assert listed == on_disk - {"manifest.json"}
    assert len([p for p in listed if p.startswith("media/originals/")]) == 2
    rows = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    assert rows["library.bilag"] == 2 and rows["library.passage"] == 4
    assert manifest["migrations"]["library"]["latest"].startswith("00")
    assert manifest["baggrund"]["version"] and manifest["created"]


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, db):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")

    with pytest.raises(CommandError, match="not empty"):
        _backup(tmp_path / "full")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


def test_backup_refuses_without_a_traceback_and_exit_status_1(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")

    run = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 1
    assert "not empty" in run.stderr and "Traceback" not in run.stderr


def test_restore_refuses_a_database_that_is_not_empty(snapshot, settings):
    shutil.rmtree(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match=r"not empty: .*library\.bilag \(2 rows\)"):
        _restore(snapshot)


def test_restore_refuses_a_changed_file_and_names_it(snapshot):
    original = next((snapshot / "media" / "originals").rglob("*.txt"))
    original.write_bytes(original.read_bytes() + b"!")
    name = str(original.relative_to(snapshot))

    with pytest.raises(CommandError, match="damaged") as refused:
        _restore(snapshot)
    assert name in str(refused.value) and "SHA-256" in str(refused.value)


def test_restore_refuses_a_missing_data_file_and_names_it(snapshot):
    (snapshot / "data" / "library.passage.jsonl").unlink()

    with pytest.raises(CommandError, match=r"data/library\.passage\.jsonl: missing"):
        _restore(snapshot)


def test_restore_refuses_a_folder_without_a_manifest(tmp_path, db):
    with pytest.raises(CommandError, match=r"manifest\.json: missing"):
        _restore(tmp_path)


def test_restore_refuses_a_snapshot_from_a_newer_version(snapshot):
    manifest = read_manifest(snapshot)
    manifest["migrations"]["library"]["applied"].append("9999_from_the_future")
    (snapshot / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"newer Baggrund.*library\.9999_from_the_future"):
        _restore(snapshot)


def test_restore_refuses_a_snapshot_from_an_older_version(snapshot):
    manifest = read_manifest(snapshot)
    latest = manifest["migrations"]["library"]["applied"].pop()
    (snapshot / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=rf"made before the migrations library\.{latest}"):
        _restore(snapshot)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_media_that_is_not_empty(settings, tmp_path):
    BilagFactory()
    _backup(tmp_path / "snapshot")
    _empty_installation(settings, tmp_path)
    stray = Path(settings.MEDIA_ROOT) / "originals" / "ab" / "stray.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("left behind")

    with pytest.raises(CommandError, match="media folder originals/ is not empty"):
        _restore(tmp_path / "snapshot")
    assert not Bilag.objects.exists() and stray.read_text() == "left behind"


def _case_by_a_new_user() -> None:
    """Another process's write: a new user and a case of theirs, committed."""
    try:
        user = CaseworkerFactory(username="late")
        case_create(user=user, reference="2026-9999", title="Sen sag", country="SY")
    finally:
        connections.close_all()


@pytest.mark.skipif(
    "connection.vendor == 'sqlite'",
    reason="needs a second connection that writes while the backup reads (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_during_the_backup_is_not_half_in_it(monkeypatch, tmp_path):
    CaseworkerFactory(username="early")
    dump = write._dump

    def dump_then_write_elsewhere(folder, model, stored):
        dumped = dump(folder, model, stored)
        if label(model) == "auth.user":  # users read; the case is read later
            thread = threading.Thread(target=_case_by_a_new_user)
            thread.start()
            thread.join()
        return dumped

    monkeypatch.setattr(write, "_dump", dump_then_write_elsewhere)
    _backup(tmp_path / "snapshot")

    rows = {
        entry["model"]: entry["rows"] for entry in read_manifest(tmp_path / "snapshot")["models"]
    }
    assert Case.objects.filter(reference="2026-9999").exists()  # committed meanwhile
    assert (rows["auth.user"], rows["casefiles.case"], rows["casefiles.auditentry"]) == (1, 0, 0)
