"""What ingesting one file ends as: added, unchanged or failed, with one line for a person."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from library.models import Bilag

ADDED, UNCHANGED, FAILED = "added", "unchanged", "failed"

# The phases of ingesting one file, in order; bilag_ingest(progress=…) is called with
# each name as the phase begins. A file that is unchanged or refused stops early (an
# unchanged file after "extract"); a file that is added goes through all six.
#   extract   check the type and size, look the bytes up, read the text and its header
#   passages  split the text into passages and flag the boilerplate
#   metadata  the bilag's fields, and each passage's language (detected)
#   topics    the topic suggestions of the content passages (lexicons, learned models)
#   store     the passages and suggestions staged, then the one write transaction:
#             the bilag, its passages and tags, its original file
#   index     after the commit: the search index takes the new passages (during a
#             `manage.py ingest` of several files it may wait for the next batch)
PHASES = ("extract", "passages", "metadata", "topics", "store", "index")


class IngestError(Exception):
    """A file cannot be ingested; `message` says what is wrong (without the file name).

    `fields` names the metadata fields the problem is in (empty when the file itself is
    the problem): giving those fields again can make the same file go in.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.fields = tuple(fields)


@dataclass
class IngestResult:
    name: str
    outcome: str
    bilag: Bilag | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)
    fields: tuple[str, ...] = ()  # a failure's metadata fields (IngestError.fields)

    def line(self) -> str:
        """One line for a person: the file, what happened, why."""
        if self.outcome == FAILED:
            return f"{self.name}: {self.message}"
        if self.outcome == UNCHANGED:
            return _("%(name)s: unchanged, already bilag %(number)s") % {
                "name": self.name,
                "number": self.bilag.number,
            }
        extra = f" ({'; '.join(self.notes)})" if self.notes else ""
        return (
            _("%(name)s: added as bilag %(number)s")
            % {
                "name": self.name,
                "number": self.bilag.number,
            }
            + extra
        )
