"""`backup(folder)`: one consistent snapshot of the database and the stored originals.

Every table is read inside one transaction with one view of the database (PostgreSQL:
REPEATABLE READ, READ ONLY; SQLite: one deferred read transaction, which in WAL mode
never holds up a writer), each model streamed row by row in primary-key order. The
stored files the rows name are copied afterwards (they are written once and never
changed). The manifest is written last, under its own name only when complete.
"""

import contextlib
import hashlib
import json
import shutil
import subprocess
import tomllib
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from library.backup.contents import (
    CHUNK,
    COPY_BYTES,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT_APPS,
    LEFT_OUT_MODELS,
    MANIFEST,
    HashingWriter,
    Outcome,
    Serializer,
    SnapshotError,
    applied_migrations,
    create,
    data_file,
    field_of,
    label,
    safe_name,
    snapshot_models,
)


@contextlib.contextmanager
def consistent_read():
    """One transaction with one view of the whole database, for reading only.

    Inside a caller's transaction (tests) that transaction is the view already.
    """
    if connection.in_atomic_block:
        yield
        return
    sqlite = connection.vendor == "sqlite"
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    if sqlite:  # BEGIN IMMEDIATE (the setting) would stop every writer until the end
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if sqlite:
                connection.transaction_mode = mode
            elif connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if sqlite:
            connection.transaction_mode = mode


def version() -> dict:
    """Baggrund's version (pyproject.toml) and git commit, where they can be read."""
    found = {"version": None, "commit": None}
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    with contextlib.suppress(OSError, ValueError, KeyError), pyproject.open("rb") as fh:
        found["version"] = tomllib.load(fh)["project"]["version"]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        run = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        found["commit"] = run.stdout.strip() if run.returncode == 0 else None
    return found


def _prepare(folder: Path) -> bool:
    """Make sure `folder` is a new or empty folder; True when it was made here."""
    if folder.exists() and not folder.is_dir():
        raise SnapshotError(f"{folder}: not a folder")
    if folder.is_dir():
        if any(folder.iterdir()):
            raise SnapshotError(f"{folder}: not empty; a snapshot goes into a new or empty folder")
        return False
    folder.mkdir(mode=0o700, parents=True)
    return True


def backup(folder: Path) -> Outcome:
    """Write a snapshot into `folder` (new or empty); on failure nothing is left in it."""
    folder = Path(folder)
    made = _prepare(folder)
    try:
        return _write(folder)
    except BaseException:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for child in folder.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        raise


def _write(folder: Path) -> Outcome:
    outcome, files, stored = Outcome(), [], {}
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION}
    manifest["created"] = timezone.now().isoformat()
    manifest["baggrund"] = version()
    manifest["database"] = connection.vendor
    with consistent_read():
        manifest["migrations"] = applied_migrations()
        entries = []
        for model in snapshot_models():
            entry, file_entry = _dump(folder, model, stored)
            files.append(file_entry)
            outcome.rows[entry["model"]] = entry["rows"]
            entries.append(entry)
    manifest["models"] = entries
    manifest["originals"] = _copy_out(folder, stored, files, outcome)
    manifest["missing"] = outcome.problems
    manifest["left_out"] = sorted({*LEFT_OUT_APPS.values(), *LEFT_OUT_MODELS.values()})
    manifest["files"] = files
    partial = folder / (MANIFEST + ".partial")
    with create(partial) as fh:
        fh.write(json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
    partial.replace(folder / MANIFEST)
    return outcome


def _dump(folder: Path, model, stored: dict) -> tuple[dict, dict]:
    """One model's rows into data/<app>.<model>.jsonl, streamed; stored files noted."""
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    count = 0

    def rows():
        nonlocal count
        for obj in model._base_manager.order_by("pk").iterator(chunk_size=CHUNK):
            for f in file_fields:
                name = getattr(obj, f.attname).name
                if name:
                    stored.setdefault(name, f"{label(model)}.{f.name}")
            count += 1
            yield obj

    with create(folder / data_file(model)) as binary:
        sink = HashingWriter(binary)
        Serializer().serialize(rows(), stream=sink)
    file_entry = {"path": data_file(model), "sha256": sink.sha256.hexdigest(), "size": sink.size}
    return {"model": label(model), "file": data_file(model), "rows": count}, file_entry


def _copy_out(folder: Path, stored: dict, files: list, outcome: Outcome) -> list[dict]:
    """Copy each stored file the rows name into media/, hashing it; a missing one is a
    problem line (the snapshot is still written, and says which)."""
    copied = []
    for name, field_label in sorted(stored.items()):
        target = f"media/{safe_name(name)}"
        storage = field_of(field_label).storage
        try:
            with storage.open(name, "rb") as source, create(folder / target) as out:
                digest, size = hashlib.sha256(), 0
                while chunk := source.read(COPY_BYTES):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except OSError as exc:
            outcome.problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
            continue
        files.append({"path": target, "sha256": digest.hexdigest(), "size": size})
        copied.append({"name": name, "path": target, "field": field_label})
        outcome.originals += 1
        outcome.bytes += size
    return copied
