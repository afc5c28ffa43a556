"""Backup and restore of a whole installation: the database as data, and the originals.

`backup(folder)` (library.backup.write) writes one consistent snapshot; `restore(folder)`
(library.backup.restore) brings one back into an empty, migrated database and media
folder, then rebuilds the search index. What a snapshot holds, and what it leaves out on
purpose, is in library.backup.contents and docs/operations-backup.md.
"""

from library.backup.contents import Outcome, SnapshotError, read_manifest, snapshot_models
from library.backup.restore import restore
from library.backup.write import backup

__all__ = ["Outcome", "SnapshotError", "backup", "read_manifest", "restore", "snapshot_models"]
