"""Uploaded files kept for a day while an admin completes their metadata.

A file of an upload batch that failed only for missing or invalid metadata is kept in
MEDIA_ROOT/upload-staging/<token>/: its bytes as `upload`, and a sidecar `staged.json`
with the original file name, who uploaded it, when, what the file states about itself
and what the admin gave. The token is random (never built from user input) and is
checked against its pattern before any path is made from it; only the admin who
uploaded a file can see or complete it. Staged files are removed when ingested or
discarded, and any older than a day when the next upload comes.
"""

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library.ingest.results import IngestError, IngestResult
from library.ingest.services import bilag_detect

FOLDER = "upload-staging"
MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_DATA, _SIDECAR = "upload", "staged.json"


# What an admin reads when the file does not state a required field.
MISSING = {
    "country": gettext_lazy(
        "Country missing: the text does not say which country; choose it below."
    ),
    "published": gettext_lazy(
        "Published date missing: the text does not say when it was published; enter it below."
    ),
}


def reason(result: IngestResult, stated: dict[str, str]) -> str:
    """Why a file failed, in words for an admin: a missing field says what to do."""
    missing = [name for name in result.fields if name in MISSING and name not in stated]
    reasons = [str(MISSING[name]) for name in missing]
    if len(missing) < len(result.fields) or not result.fields:
        reasons.append(result.message.strip())
        if result.fields:
            reasons.append(_("Correct it below."))
    return " ".join(reasons)


def stage_for_metadata(
    result: IngestResult, *, data: bytes, user, given: dict
) -> tuple["Staged | None", str]:
    """A failed file kept for the admin to complete when only its metadata stood in the
    way: (the staged file, or None when it is not kept, and why it failed, in words)."""
    if not result.fields:
        return None, reason(result, {})
    try:
        detected = bilag_detect(name=result.name, data=data)
    except IngestError:
        return None, reason(result, {})
    why = reason(result, {**detected, **given})
    staged = stage(
        name=result.name, data=data, user=user, detected=detected, given=given, reason=why
    )
    return staged, why


class NotStaged(LookupError):
    """No file is waiting under this token for this admin (any more)."""


@dataclass
class Staged:
    """One file waiting for its metadata."""

    token: str
    name: str
    user_id: int
    created: float
    detected: dict[str, str] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)
    reason: str = ""  # why it failed, as the admin was told

    def data(self) -> bytes:
        """The file's bytes as uploaded."""
        return (_root() / self.token / _DATA).read_bytes()


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def stage(*, name: str, data: bytes, user, detected: dict, given: dict, reason: str) -> Staged:
    """Keep a file and what is known of it; returns it with its new token."""
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
    folder = _root() / token
    folder.mkdir(parents=True, mode=0o700)
    staged = Staged(
        token=token,
        name=name,
        user_id=user.pk,
        created=time.time(),
        detected=dict(detected),
        given=dict(given),
        reason=reason,
    )
    (folder / _DATA).write_bytes(data)
    keys = ("name", "user_id", "created", "detected", "given", "reason")
    sidecar = {key: getattr(staged, key) for key in keys}
    (folder / _SIDECAR).write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return staged


def _load(token: str) -> Staged | None:
    if not _TOKEN.match(token or ""):
        return None
    try:
        sidecar = json.loads((_root() / token / _SIDECAR).read_text(encoding="utf-8"))
        return Staged(token=token, **sidecar)
    except (OSError, ValueError, TypeError):
        return None


def _fresh(staged: Staged, now: float) -> bool:
    return now - staged.created < MAX_AGE_SECONDS


def get(token: str, user) -> Staged:
    """The file waiting under `token` for `user`; NotStaged when there is none, it is
    another admin's, or it is older than a day."""
    staged = _load(token)
    if staged is None or staged.user_id != user.pk or not _fresh(staged, time.time()):
        raise NotStaged(token)
    return staged


def waiting(user) -> list[Staged]:
    """The files waiting for `user`, oldest first."""
    if not _root().is_dir():
        return []
    now = time.time()
    found = [_load(p.name) for p in _root().iterdir()]
    mine = [s for s in found if s and s.user_id == user.pk and _fresh(s, now)]
    return sorted(mine, key=lambda s: s.created)


def discard(token: str) -> None:
    """Remove a staged file (once ingested or given up)."""
    if _TOKEN.match(token or ""):
        shutil.rmtree(_root() / token, ignore_errors=True)


def clean_stale(now: float | None = None) -> None:
    """Remove staged files older than a day, and leftovers without a readable sidecar
    (an upload interrupted while being kept) once they are that old too."""
    if not _root().is_dir():
        return
    now = time.time() if now is None else now
    for folder in _root().iterdir():
        staged = _load(folder.name)
        created = staged.created if staged else folder.stat().st_mtime
        if now - created >= MAX_AGE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
