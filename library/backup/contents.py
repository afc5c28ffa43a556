"""What a snapshot holds and how it is written down: the models, their files, the manifest.

A snapshot is a folder: `data/<app>.<model>.jsonl` (one row a line, Django's serializers,
datetimes to the microsecond), `media/<name>` (the stored originals under the names the
rows give them) and `manifest.json` (written last), which lists every file with its
SHA-256 and size, the rows per model in load order, the migrations applied, Baggrund's
version and commit, and the time.
"""

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "baggrund-snapshot"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ORIGINALS = "originals"  # the folder of MEDIA_ROOT that a restore needs empty
LEFT_OUT_APPS = {"sessions": "sessions", "axes": "login-throttling records"}
LEFT_OUT_MODELS = {
    "library.searchoutbox": "the search outbox (the index is rebuilt)",
    "library.ingestjob": "upload jobs (their state is the running server's; the bilag they "
    "added are in the snapshot)",
}
# Kept to match by natural key on restore, never inserted: the migrations create them.
MAPPED = ("contenttypes.contenttype", "auth.permission")
# Rows the migrations create (the roles, the first topics): replaced by the snapshot's.
SEEDED = ("auth.group", "library.topic")
CHUNK = 2_000  # rows read at a time
INSERT_BATCH = 500  # rows per INSERT at most
COPY_BYTES = 1 << 20


class SnapshotError(Exception):
    """A snapshot cannot be written or restored; the message says why, naming the file."""


@dataclass
class Outcome:
    """What a backup or a restore did: rows per model, files copied, problems met."""

    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    indexed: int = 0


def label(model) -> str:
    return model._meta.label_lower


def left_out(model) -> str | None:
    """Why a model's rows are not in a snapshot, or None when they are."""
    meta = model._meta
    if meta.app_label in LEFT_OUT_APPS:
        return LEFT_OUT_APPS[meta.app_label]
    if meta.auto_created:  # a many-to-many table goes with both of its ends
        ends = [f.related_model for f in meta.concrete_fields if f.is_relation]
        return next((why for why in map(left_out, ends) if why), None)
    return LEFT_OUT_MODELS.get(label(model))


def snapshot_models() -> list:
    """Every model whose rows a snapshot holds, each after the models it points at."""
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and left_out(m) is None
    ]
    ordered: list = []
    while candidates:
        ready = [
            m
            for m in candidates
            if all(
                f.related_model in ordered
                or f.related_model is m
                or f.related_model not in candidates
                for f in m._meta.concrete_fields
                if f.is_relation
            )
        ]
        ready = ready or candidates[:1]  # a cycle: foreign keys are checked at the end
        ordered += ready
        candidates = [m for m in candidates if m not in ready]
    return ordered


def is_seeded(model) -> bool:
    """Whether the migrations fill this model (or it is the many-to-many table of one)."""
    owner = model._meta.auto_created or model
    return label(owner) in SEEDED


def data_file(model) -> str:
    return f"data/{label(model)}.jsonl"


class _Encoder(DjangoJSONEncoder):
    """Django's JSON, but datetimes and times to the microsecond (its own cut them to ms)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(jsonl.Serializer):
    """JSON Lines, one row a line; many-to-many tables are saved as models of their own."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs.update(cls=_Encoder, separators=(",", ":"))

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None

    def handle_m2m_field(self, obj, field):
        return


class HashingWriter:
    """A text stream into a binary file that keeps the SHA-256 and size of what it wrote."""

    def __init__(self, binary):
        self.binary, self.sha256, self.size = binary, hashlib.sha256(), 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.sha256.update(data)
        self.size += len(data)
        self.binary.write(data)


def create(path: Path):
    """A new file readable by its owner only (a snapshot holds password hashes)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(COPY_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise SnapshotError(f"{name!r}: not a file name inside the snapshot")
    return path


def field_of(field_label: str):
    """The model field named "app.model.field"."""
    app_model, _, name = field_label.rpartition(".")
    return apps.get_model(app_model)._meta.get_field(name)


def applied_migrations() -> dict[str, dict]:
    """Per app: every migration applied to this database, and the latest."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return {app: {"latest": names[-1], "applied": names} for app, names in applied.items()}


def read_manifest(folder: Path) -> dict:
    """The snapshot's manifest, or SnapshotError saying why there is none to read."""
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise SnapshotError(f"{folder}: no such folder")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(
            f"{path}: missing; not a snapshot, or one that did not finish"
        ) from None
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot be read ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SnapshotError(f"{path}: not a Baggrund snapshot manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise SnapshotError(
            f"{path}: snapshot format {manifest.get('format_version')!r}; this Baggrund reads "
            f"format {FORMAT_VERSION}"
        )
    return manifest


def verify_files(folder: Path, manifest: dict) -> list[str]:
    """One line per file of the manifest that is missing or not what was written."""
    problems = []
    listed = {entry["path"] for entry in manifest["files"]}
    needed = [entry["file"] for entry in manifest["models"]]
    needed += [entry["path"] for entry in manifest.get("originals", [])]
    problems += [
        f"{path}: not in the manifest's list of files" for path in needed if path not in listed
    ]
    for entry in manifest["files"]:
        name = entry["path"]
        path = Path(folder) / safe_name(name)
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        digest, size = sha256_of(path)
        if (digest, size) != (entry["sha256"], entry["size"]):
            problems.append(
                f"{name}: SHA-256 or size differs from the manifest (changed or damaged)"
            )
    return problems
