"""`restore(folder)`: a snapshot brought back into an empty, migrated database.

Refused, with the reason, before anything is written: a file missing or not matching the
manifest's SHA-256 (named), a database not migrated to this code (`manage.py migrate`
first), a snapshot whose migrations differ from the code's (newer: unknown migrations;
older: restore with the version that made it, then upgrade), a database holding users,
library, case or log rows, or a non-empty originals folder.

Then, in one transaction: the rows the migrations seeded (groups and their permissions,
the first topics) are deleted, every row is inserted with its own primary key in the
snapshot's order (raw inserts: timestamps kept, the append-only tables take inserts as
always), content types and permissions are matched by natural key, sequences are reset,
foreign keys checked, and the originals copied back, each checked against its SHA-256
(removed again if anything fails). The search index is rebuilt after the commit.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from library.backup.contents import (
    COPY_BYTES,
    INSERT_BATCH,
    MANIFEST,
    MAPPED,
    ORIGINALS,
    Outcome,
    SnapshotError,
    field_of,
    is_seeded,
    label,
    read_manifest,
    safe_name,
    snapshot_models,
    verify_files,
)
from library.search import index as search_index


def restore(folder: Path, *, progress: bool = False) -> Outcome:
    """Bring the snapshot in `folder` back; SnapshotError (nothing written) if refused."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    try:
        problems = verify_files(folder, manifest)
        if problems:
            raise SnapshotError("refused, the snapshot is damaged:\n" + "\n".join(problems))
        loaded = _models(manifest)
        check_migrations(manifest, loaded)
    except (KeyError, TypeError, AttributeError, LookupError) as exc:
        raise SnapshotError(f"{folder / MANIFEST}: malformed ({exc!r})") from exc
    check_empty(loaded)
    check_media_empty(manifest)
    outcome, copied = Outcome(), []
    try:
        with transaction.atomic():
            _clear_seeded(loaded)
            mapping = _mappings(folder, manifest)
            for entry in manifest["models"]:
                if entry["model"] not in MAPPED:
                    outcome.rows[entry["model"]] = _load(folder, entry, mapping, progress)
            _after_load(loaded)
            _copy_in(folder, manifest, copied, outcome)
    except BaseException as exc:
        for storage, name in copied:
            storage.delete(name)
        if isinstance(exc, DatabaseError | DeserializationError | OSError):
            raise SnapshotError(f"the restore failed and nothing was kept: {exc}") from exc
        raise
    try:
        outcome.indexed = search_index.reindex_all(progress=progress)
    except Exception as exc:  # the restore stands; the index can be rebuilt on its own
        outcome.problems.append(f"search index not rebuilt ({exc}): run `manage.py reindex`")
    return outcome


def _models(manifest: dict) -> list:
    """The snapshot's models, which must be exactly the models this code snapshots."""
    labels = [entry["model"] for entry in manifest["models"]]
    expected = [label(m) for m in snapshot_models()]
    unknown, lacking = sorted(set(labels) - set(expected)), sorted(set(expected) - set(labels))
    if unknown or lacking:
        raise SnapshotError(
            "refused, the snapshot's tables differ from this code's: "
            + "; ".join(
                part
                for part in (
                    unknown and "not in this code: " + ", ".join(unknown),
                    lacking and "not in the snapshot: " + ", ".join(lacking),
                )
                if part
            )
        )
    return [apps.get_model(name) for name in labels]


def check_migrations(manifest: dict, loaded: list) -> None:
    """The database is migrated to this code, and the snapshot was made at the same state
    (for the apps whose tables it holds)."""
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        first = pending[0][0]
        raise SnapshotError(
            f"refused: the database is not migrated ({len(pending)} migrations to apply, "
            f"first {first.app_label}.{first.name}); run `manage.py migrate` first"
        )
    held = {model._meta.app_label for model in loaded}
    snapshot = {
        (app, name)
        for app, state in manifest.get("migrations", {}).items()
        for name in state["applied"]
        if app in held
    }
    known = set(executor.loader.disk_migrations)
    applied = {key for key in executor.loader.applied_migrations if key[0] in held}
    made_by = manifest.get("baggrund") or {}
    version = f"{made_by.get('version')} (commit {made_by.get('commit') or 'unknown'})"
    newer = sorted(snapshot - known)
    if newer:
        raise SnapshotError(
            "refused: the snapshot was made by a newer Baggrund; this code does not know "
            f"the migrations {_names(newer)}. Restore it with Baggrund {version} or later."
        )
    older = sorted(applied - snapshot)
    if older:
        raise SnapshotError(
            f"refused: the snapshot was made before the migrations {_names(older)}. Restore "
            f"it with Baggrund {version} into a database migrated by that version, then "
            "upgrade (install this version, `manage.py migrate`)."
        )


def _names(keys) -> str:
    shown = ", ".join(f"{app}.{name}" for app, name in keys[:5])
    return shown + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")


def check_empty(loaded: list) -> None:
    """Refuse a database with rows of its own (beyond what the migrations create)."""
    found = [
        f"{label(model)} ({model._base_manager.count()} rows)"
        for model in loaded
        if label(model) not in MAPPED and not is_seeded(model) and model._base_manager.exists()
    ]
    if found:
        raise SnapshotError(
            "refused: the database is not empty: "
            + ", ".join(found)
            + ". Restore into a new database after `manage.py migrate`."
        )


def check_media_empty(manifest: dict) -> None:
    """Refuse when the originals folder (or a folder the snapshot's files go to) has files."""
    folders = {(field_of(field_label).storage, ORIGINALS) for field_label in _file_fields()}
    for entry in manifest.get("originals", []):
        storage = field_of(entry["field"]).storage
        folders.add((storage, safe_name(entry["name"]).parts[0]))
    for storage, folder in sorted(folders, key=lambda pair: pair[1]):
        if _has_files(storage, folder):
            try:
                where = f" ({storage.path(folder)})"
            except NotImplementedError:  # a storage without local paths
                where = ""
            raise SnapshotError(
                f"refused: the media folder {folder}/ is not empty{where}; "
                "restore into an empty media folder"
            )


def _file_fields() -> list[str]:
    return [
        f"{label(model)}.{f.name}"
        for model in snapshot_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


def _has_files(storage, folder: str) -> bool:
    if not storage.exists(folder):
        return False
    dirs, files = storage.listdir(folder)
    return bool(files) or any(_has_files(storage, f"{folder}/{d}") for d in dirs)


def _clear_seeded(loaded: list) -> None:
    """Delete what the migrations created (the snapshot brings its own, with its keys)."""
    for model in reversed(loaded):
        if is_seeded(model):
            model._base_manager.all().delete()


def _rows(folder: Path, entry: dict):
    with (folder / safe_name(entry["file"])).open(encoding="utf-8") as fh:
        for item in serializers.deserialize("jsonl", fh):
            yield item.object


def _mappings(folder: Path, manifest: dict) -> dict:
    """The snapshot's content type and permission ids → this database's (natural keys),
    creating any this database lacks (a model since removed keeps its rows' meaning)."""
    entries = {entry["model"]: entry for entry in manifest["models"]}
    types = {}
    for old in _rows(folder, entries["contenttypes.contenttype"]):
        new, _ = ContentType.objects.get_or_create(app_label=old.app_label, model=old.model)
        types[old.pk] = new.pk
    permissions = {}
    for old in _rows(folder, entries["auth.permission"]):
        new, _ = Permission.objects.get_or_create(
            content_type_id=types[old.content_type_id],
            codename=old.codename,
            defaults={"name": old.name},
        )
        permissions[old.pk] = new.pk
    return {ContentType: types, Permission: permissions}


def _load(folder: Path, entry: dict, mapping: dict, progress: bool) -> int:
    """Insert one model's rows as they were (raw: no auto_now, no signals), in batches."""
    model = apps.get_model(entry["model"])
    fields = model._meta.local_concrete_fields
    remap = [(f.attname, mapping[f.related_model]) for f in fields if f.related_model in mapping]
    size = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, [None] * INSERT_BATCH)))
    count, batch = 0, []
    bar = tqdm(total=entry["rows"], unit="row", desc=entry["model"], disable=not progress)
    for obj in _rows(folder, entry):
        for attname, ids in remap:
            value = getattr(obj, attname)
            if value is not None:
                if value not in ids:
                    raise SnapshotError(f"{entry['file']}: refers to {attname} {value}, not saved")
                setattr(obj, attname, ids[value])
        batch.append(obj)
        if len(batch) >= size:
            model._base_manager._insert(batch, fields=fields, raw=True, using=connection.alias)
            bar.update(len(batch))
            count, batch = count + len(batch), []
    if batch:
        model._base_manager._insert(batch, fields=fields, raw=True, using=connection.alias)
        count += len(batch)
    bar.close()
    if count != entry["rows"]:
        raise SnapshotError(f"{entry['file']}: {count} rows, the manifest says {entry['rows']}")
    return count


def _after_load(loaded: list) -> None:
    """Sequences past the restored keys (PostgreSQL), then every foreign key checked."""
    inserted = [model for model in loaded if label(model) not in MAPPED]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), inserted):
            cursor.execute(sql)
    connection.check_constraints(table_names=[model._meta.db_table for model in inserted])


def _copy_in(folder: Path, manifest: dict, copied: list, outcome: Outcome) -> None:
    """Copy the originals back under their own names, each read back and checked."""
    hashes = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    for entry in manifest.get("originals", []):
        storage, name = field_of(entry["field"]).storage, str(safe_name(entry["name"]))
        with (folder / safe_name(entry["path"])).open("rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        copied.append((storage, saved))
        digest, size = hashlib.sha256(), 0
        with storage.open(saved, "rb") as fh:
            while chunk := fh.read(COPY_BYTES):
                digest.update(chunk)
                size += len(chunk)
        if saved != name or digest.hexdigest() != hashes.get(entry["path"]):
            raise SnapshotError(f"{entry['path']}: not stored as {name} with its SHA-256")
        outcome.originals += 1
        outcome.bytes += size
    for line in manifest.get("missing", []):
        outcome.problems.append(f"missing in the snapshot too: {line}")
