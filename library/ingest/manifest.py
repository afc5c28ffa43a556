"""Manifests: metadata per file for `manage.py ingest`, as TOML or CSV.

TOML:
    [files."000_091d3380eedcd8de.txt"]
    country = "SY"
    publisher = "VG"

CSV, with a header row:  file,number,country,publisher,title,published,intake,language

File names are matched by name, relative to the manifest's folder, or by bare file name.
"""

import csv
import tomllib
from pathlib import Path

from library.ingest.metadata import METADATA_FIELDS

MANIFEST_NAMES = ("manifest.toml", "manifest.csv")


class ManifestError(ValueError):
    """The manifest cannot be used; the message names the manifest and the problem."""


def load_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Map of file name -> metadata strings. Raises ManifestError naming what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror})") from exc
    if path.suffix.lower() == ".toml":
        entries = _toml(path, raw)
    elif path.suffix.lower() == ".csv":
        entries = _csv(path, raw)
    else:
        raise ManifestError(f"{path}: a manifest must be .toml or .csv")
    for file_name, metadata in entries.items():
        unknown = set(metadata) - set(METADATA_FIELDS)
        if unknown:
            raise ManifestError(
                f"{path}: entry '{file_name}' has unknown field(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(METADATA_FIELDS)}"
            )
    return entries


def _toml(path: Path, raw: bytes) -> dict[str, dict[str, str]]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from exc
    files = data.get("files")
    if not isinstance(files, dict):
        raise ManifestError(f'{path}: expected a [files."name"] table per file')
    entries = {}
    for name, metadata in files.items():
        if not isinstance(metadata, dict):
            raise ManifestError(f"{path}: entry '{name}' is not a table")
        entries[name] = {k: "" if v is None else str(v) for k, v in metadata.items()}
    return entries


def _csv(path: Path, raw: bytes) -> dict[str, dict[str, str]]:
    try:
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid CSV ({exc})") from exc
    if not rows or "file" not in rows[0]:
        raise ManifestError(f"{path}: the first row must name the columns, starting with 'file'")
    entries = {}
    for line, row in enumerate(rows, start=2):
        name = (row.pop("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}: line {line} has no file name")
        entries[name] = {k: (v or "").strip() for k, v in row.items() if k}
    return entries


def metadata_for(entries: dict[str, dict[str, str]], manifest_dir: Path, file: Path) -> dict:
    """The manifest's metadata for `file`, matched by relative path or bare name."""
    try:
        relative = file.resolve().relative_to(manifest_dir.resolve()).as_posix()
    except ValueError:
        relative = None
    if relative and relative in entries:
        return dict(entries[relative])
    return dict(entries.get(file.name, {}))
