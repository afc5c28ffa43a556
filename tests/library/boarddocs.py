"""Small bilag in the board's header format, written in tests (search, topics)."""

import dataclasses
import datetime as dt

from library.ingest.services import bilag_ingest


@dataclasses.dataclass(frozen=True)
class Doc:
    """One bilag in the board's header shape; `paragraphs` maps a name to each passage."""

    number: int
    country: str  # as the header writes it
    publisher: str
    title: str
    published: str
    intake: str
    language: str  # given as metadata, as an admin would
    paragraphs: dict[str, str]

    def file(self) -> bytes:
        header = (
            f"Bilagsnr.:\t{self.number}\nLand:\t{self.country}\nKilde:\t{self.publisher}\n"
            f"Titel:\t{self.title}\nUdgivet:\t{self.published}\n"
            f"Optaget på baggrundsmaterialet:\t{self.intake}\n"
        )
        body = "\n\n".join(self.paragraphs.values())
        return f"Flygtningenævnets baggrundsmateriale\n\n{header}\n{body}\n".encode()

    def ingest(self, today: dt.date):
        """Ingest through the real service (so search and topics index it); the bilag."""
        result = bilag_ingest(
            name=f"bilag-{self.number}.txt",
            data=self.file(),
            metadata={"language": self.language},
            user=None,
            today=today,
        )
        assert result.outcome == "added", result.line()
        return result.bilag
