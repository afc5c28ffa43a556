"""manage.py ingest: ingest bilag from files and folders (.txt, .html, .pdf)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation
from tqdm import tqdm

from library.ingest.formats import SUPPORTED_SUFFIXES
from library.ingest.manifest import MANIFEST_NAMES, ManifestError, load_manifest, metadata_for
from library.ingest.metadata import METADATA_FIELDS
from library.ingest.results import ADDED, FAILED, UNCHANGED
from library.ingest.services import bilag_ingest
from library.search import index as search_index

LOST_CONNECTION = (
    "the database connection was lost while this file was ingested; nothing of it was "
    "kept (connected again for the next files; run the command again to add it)"
)


class Command(BaseCommand):
    """Ingest bilag from files and folders: .txt (board header or news), .html, .pdf.

    Each file is one transaction: it is added whole or not at all. Metadata comes from
    the file, then a manifest, then the options here (options win). A folder's own
    manifest.toml / manifest.csv is used unless --manifest names another. Prints one
    line per problem, then `added N, unchanged N, failed N`; exits 1 if anything failed.
    """

    help = "Ingest bilag from files or folders (.txt, .html, .htm, .pdf)."
    # Lines and the summary are a stable interface that scripts read: always English.

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders to ingest.")
        parser.add_argument("--manifest", help="TOML or CSV file with metadata per file.")
        parser.add_argument("--number", help="Bilag number (only with a single file).")
        parser.add_argument("--country", help="Country: ISO code (SY) or name (Syrien).")
        parser.add_argument("--publisher", help="Publisher (Kilde), e.g. 'BBC News'.")
        parser.add_argument("--title", help="Title (only with a single file).")
        parser.add_argument("--published", help="Published: 2019-02-10, 2019-02 or 2019.")
        parser.add_argument("--intake", help="Intake date (default: today).")
        parser.add_argument("--language", help="Language code: da, nb, en, … (default: detected).")

    def handle(self, *args, **options):
        with translation.override("en"):
            self._handle(options)

    def _handle(self, options):
        files = self._files(options["paths"])
        if not files:
            raise CommandError("no files to ingest in " + ", ".join(options["paths"]))
        given = {key: options[key] for key in METADATA_FIELDS if options[key]}
        if len(files) > 1 and ({"number", "title"} & set(given)):
            raise CommandError("--number and --title can only be given with a single file")
        manifests = self._manifests(options["paths"], options["manifest"])

        counts = {ADDED: 0, UNCHANGED: 0, FAILED: 0}
        progress = tqdm(files, unit="file", disable=None, file=sys.stderr, dynamic_ncols=True)
        with search_index.batched():
            self._ingest_all(progress, manifests, given, counts, options)
        progress.close()
        self.stdout.write(
            f"added {counts[ADDED]}, unchanged {counts[UNCHANGED]}, failed {counts[FAILED]}"
        )
        if counts[FAILED]:
            sys.exit(1)

    def _ingest_all(self, progress, manifests, given, counts, options) -> None:
        """Each file in its own transaction; the search index follows in batches."""
        for path in progress:
            metadata = {}
            for directory, entries in manifests:
                metadata.update(metadata_for(entries, directory, path))
            metadata.update(given)
            try:
                data = path.read_bytes()
            except OSError as exc:
                counts[FAILED] += 1
                tqdm.write(f"{path}: cannot be read ({exc.strerror})", file=self.stderr._out)
                continue
            connection.ensure_connection()  # so that a failure can tell a lost one
            before = connection.connection
            result = bilag_ingest(name=path.name, data=data, metadata=metadata)
            counts[result.outcome] += 1
            if result.outcome == FAILED:
                message = result.message if self._connected(before) else LOST_CONNECTION
                tqdm.write(f"{path}: {message}", file=self.stderr._out)
            elif options["verbosity"] >= 2:
                tqdm.write(f"{path.parent}/{result.line()}", file=self.stdout._out)

    @staticmethod
    def _connected(before) -> bool:
        """Whether the file's database connection survived its failure; if not, drop
        what is left so that the next file connects anew (the failed file's transaction
        was never committed). Django closes a connection it could not roll back, and
        may have opened another since; one the server ended fails its ping."""
        if connection.connection is before and before is not None and connection.is_usable():
            return True
        connection.close()
        return False

    def _files(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if child.is_file() and not self._skipped(child, path):
                        files.append(child)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder")
        return files

    @staticmethod
    def _skipped(child: Path, root: Path) -> bool:
        relative = child.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            return True
        if child.name.lower() in MANIFEST_NAMES or child.name.lower().startswith("readme"):
            return True
        # In a folder, files of other types are reported, not silently passed over,
        # except for the obvious non-documents an admin keeps beside them.
        return child.suffix.lower() not in SUPPORTED_SUFFIXES and child.suffix.lower() in {
            ".toml",
            ".csv",
            ".md",
            ".json",
        }

    def _manifests(self, paths: list[str], explicit: str | None):
        try:
            if explicit:
                manifest = Path(explicit)
                return [(manifest.parent, load_manifest(manifest))]
            found = []
            folders = []
            for raw in paths:
                folder = Path(raw) if Path(raw).is_dir() else Path(raw).parent
                if folder.resolve() in folders:
                    continue
                folders.append(folder.resolve())
                for name in MANIFEST_NAMES:
                    if (folder / name).is_file():
                        found.append((folder, load_manifest(folder / name)))
                        break
            return found
        except ManifestError as exc:
            raise CommandError(str(exc)) from exc
