"""Bad input: one clear message naming the problem, and the library exactly as it was.

Every case runs twice: through the service (`bilag_ingest`; tests/conftest.py pins English) and
through `manage.py ingest` (one stderr line naming the file, exit status 1). The library
already holds a bilag before each case, so "unchanged" means more than "still empty".
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

from library.ingest.results import FAILED
from library.ingest.services import bilag_ingest
from library.models import Bilag, Passage, Publisher
from tests.support import SEEDS, stored_files

SEED_000 = "000_091d3380eedcd8de.txt"
SEED_004 = "004_e1216e5ac3c25b1b.txt"

BOARD_FIELDS = {
    "Bilagsnr.": "900",
    "Land": "Syrien",
    "Kilde": "Landinfo",
    "Titel": "Hajin offensive",
    "Udgivet": "11. september 2018",
    "Optaget på baggrundsmaterialet": "11. oktober 2018",
}
BOARD_BODY = (
    "The Syrian Democratic Forces launched a ground offensive on Monday against jihadist "
    "militants around Hajin, a town in the Middle Euphrates River Valley.\n\n"
    "The SDF also set up a humanitarian corridor for civilians to flee Hajin, it said.\n"
)


def board_text(*, replace: dict[str, str] | None = None, extra: str = "") -> bytes:
    """A bilag in the board's header shape; `replace` changes a field, `extra` adds lines."""
    fields = {**BOARD_FIELDS, **(replace or {})}
    header = "".join(f"{label}:\t{value}\n" for label, value in fields.items())
    return f"Flygtningenævnets baggrundsmateriale\n\n{header}{extra}\n{BOARD_BODY}".encode()


def seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


@dataclass
class Case:
    id: str
    name: str
    data: bytes
    message: str
    settings: dict = field(default_factory=dict)


CASES = [
    Case("empty", "empty.txt", b"", "the file is empty"),
    Case("whitespace_only", "blank.txt", b"  \n\t\n \r\n", "the file is empty"),
    Case(
        "unknown_type",
        "report.docx",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
        "unsupported file type '.docx': Baggrund takes .txt, .html, .htm, .pdf",
    ),
    Case(
        "pdf_named_txt",
        "report.txt",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "the file is a PDF, not TXT text",
    ),
    Case(
        "binary_named_txt",
        "report.txt",
        b"Syria report\x00\x00\x01\x02\xff\xfe\x00binary",
        "the file is binary data, not TXT text",
    ),
    Case(
        "html_without_markup",
        "report.html",
        "Flygtninge fortæller om forholdene i lejren.\n\nDer mangler vand.\n".encode(),
        "the file has no HTML markup (save it as .txt if it is plain text)",
    ),
    Case(
        "impossible_date",
        "impossible.txt",
        board_text(replace={"Udgivet": "31. februar 2019"}),
        "published date '31. februar 2019' is not a valid date: February 2019 has 28 days "
        "(header field 'Udgivet')",
    ),
    Case(
        "month_zero",
        "month0.txt",
        board_text(replace={"Udgivet": "2019-00"}),
        "published date '2019-00' is not a valid date: there is no month 0 "
        "(header field 'Udgivet')",
    ),
    Case(
        "unknown_country",
        "atlantis.txt",
        board_text(replace={"Land": "Atlantis"}),
        "country 'Atlantis' (header field 'Land') is not a country Baggrund knows; "
        "give an ISO 3166 code such as SY or a name such as Syrien",
    ),
    Case(
        "missing_country",
        "news.txt",
        seed(SEED_000),
        "missing required field(s) country (not in the file; give it as an option, "
        "in the form or in a manifest)",
    ),
    Case(
        "over_size_limit",
        "big.txt",
        board_text(),
        "the file is too large (421\xa0bytes); the limit is 400\xa0bytes",
        settings={"BAGGRUND_MAX_FILE_BYTES": 400},
    ),
    Case(
        "number_taken",
        "other.txt",
        board_text(replace={"Bilagsnr.": "863"}),
        "bilag number 863 is already taken by another file "
        f"('US-backed force attacks IS pocket in eastern Syria', {SEED_004}); "
        "numbers are never reused",
    ),
    Case(
        "duplicate_header_field",
        "twice.txt",
        board_text(extra="Land:\tIrak\n"),
        "the header gives Land twice ('Syrien' and 'Irak')",
    ),
    Case(
        "published_in_future",
        "future.txt",
        board_text(replace={"Udgivet": "11. september 2099"}),
        "published date '11. september 2099' (header field 'Udgivet') lies in the future",
    ),
    Case(
        "only_boilerplate",
        "chrome.txt",
        (
            b"Let us know you agree to cookies\n\n"
            b"We use cookies to give you the best online experience.\n\n"
            b"Yes, I agree\n\n"
            b"Share this story About sharing\n\n"
            b"11 September 2018\n"
        ),
        "the file has no text besides boilerplate",
    ),
]


def library_state(root: Path):
    files = [
        (p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in stored_files(root)
    ]
    return (
        Bilag.objects.count(),
        Passage.objects.count(),
        Publisher.objects.count(),
        sorted(Publisher.objects.values_list("name", flat=True)),
        files,
    )


@pytest.fixture
def library(db):
    """A library holding seed 004 (bilag 863, publisher BBC News)."""
    result = bilag_ingest(name=SEED_004, data=seed(SEED_004))
    assert result.outcome == "added"
    return result.bilag


def test_board_text_helper_ingests_when_nothing_is_wrong(library):
    result = bilag_ingest(name="ok.txt", data=board_text())

    assert (result.outcome, result.message) == ("added", "")
    assert result.bilag.number == 900
    assert result.bilag.publisher.name == "Landinfo"
    assert len(board_text()) == 421  # the size the over_size_limit case reports


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ingest_bad_input_fails_and_leaves_library_unchanged(library, media_root, settings, case):
    for key, value in case.settings.items():
        setattr(settings, key, value)
    before = library_state(media_root)

    result = bilag_ingest(name=case.name, data=case.data)

    assert result.outcome == "failed"
    assert result.message == case.message
    assert result.bilag is None
    assert result.line() == f"{case.name}: {case.message}"
    assert library_state(media_root) == before


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ingest_command_bad_input_names_file_and_exits_1(
    library, media_root, settings, tmp_path, case
):
    for key, value in case.settings.items():
        setattr(settings, key, value)
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = folder / case.name
    path.write_bytes(case.data)
    before = library_state(media_root)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(path), stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue().splitlines() == [f"{path}: {case.message}"]
    assert out.getvalue().splitlines() == ["added 0, unchanged 0, failed 1"]
    assert library_state(media_root) == before


def test_ingest_same_file_twice_is_unchanged_and_adds_nothing(library, media_root):
    before = library_state(media_root)

    result = bilag_ingest(name="copy-of-004.txt", data=seed(SEED_004))

    assert result.outcome == "unchanged"
    assert result.bilag == library
    assert result.message == ""
    assert result.line() == "copy-of-004.txt: unchanged, already bilag 863"
    assert library_state(media_root) == before


def test_ingest_admin_metadata_wins_over_parsed(db):
    result = bilag_ingest(
        name=SEED_004,
        data=seed(SEED_004),
        metadata={"publisher": "Landinfo", "title": "X"},
    )

    bilag = result.bilag
    assert result.outcome == "added"
    assert bilag.publisher.name == "Landinfo"
    assert bilag.title == "X"
    assert list(Publisher.objects.values_list("name", flat=True)) == ["Landinfo"]
    # Fields the admin did not give still come from the header.
    assert bilag.number == 863
    assert bilag.country == "SY"
    assert (bilag.published, bilag.published_precision) == (dt.date(2018, 9, 11), "day")
    assert bilag.intake == dt.date(2018, 10, 11)
    assert bilag.language == "en"


def test_ingest_admin_metadata_wins_over_news_date_and_detection(db):
    result = bilag_ingest(
        name=SEED_000,
        data=seed(SEED_000),
        metadata={"country": "Irak", "published": "2019-02-17", "language": "nb", "number": "12"},
    )

    bilag = result.bilag
    assert result.outcome == "added"
    assert (bilag.number, bilag.country, bilag.language) == (12, "IQ", "nb")
    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 2, 17), "day")
    assert set(bilag.passages.values_list("language", flat=True)) == {"nb"}


def test_ingest_added_result_notes_what_was_assumed(db):
    today = dt.date(2019, 6, 1)

    result = bilag_ingest(
        name=SEED_000, data=seed(SEED_000), metadata={"country": "SY"}, today=today
    )

    assert result.outcome == "added"
    assert result.bilag.intake == today
    assert result.notes == [
        "number 1 assigned by the library",
        "intake date set to today",
        "title taken from the headline",
        "language detected: Danish",
    ]
    assert result.line() == (
        f"{SEED_000}: added as bilag 1 (number 1 assigned by the library; intake date set "
        "to today; title taken from the headline; language detected: Danish)"
    )


def test_ingest_failure_while_storing_leaves_no_rows_and_no_file(library, media_root, monkeypatch):
    from library.ingest import services

    real = services._store_passages

    def broken_store_passages(bilag, staged):
        real(bilag, staged)  # the passages are in, then the database goes away
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_store_passages", broken_store_passages)
    before = library_state(media_root)
    data = board_text(replace={"Kilde": "SOHR"})

    result = bilag_ingest(name="sohr.txt", data=data)

    # Not a traceback: one line naming the file and the error, and the library as it was.
    assert (result.outcome, result.line()) == (
        FAILED,
        "sohr.txt: could not be ingested because of an error in Baggrund "
        "(RuntimeError: database went away); the library is unchanged",
    )
    assert library_state(media_root) == before
    assert not Publisher.objects.filter(name="SOHR").exists()
    assert not Bilag.objects.filter(number=900).exists()


NEWS = (
    b"Flere familier flyktet fra leiren i natt etter nye angrep.\n\n"
    b"Hjelpeorganisasjonene sier at situasjonen er kritisk for barna i leiren."
)
NEWS_METADATA = {
    "country": "SY",
    "publisher": "VG",
    "title": "Familier flyktet",
    "published": "2019-03-01",
    "language": "nb",
}


def _stale_number(monkeypatch, taken: int) -> list[int]:
    """The first number read is `taken`: another ingest committed it just after this one
    read the highest number (a race); later reads are the real ones."""
    from library.ingest import services

    real = services._number
    calls: list[int] = []

    def number(meta):
        found = taken if not calls else real(meta)
        calls.append(found)
        return found

    monkeypatch.setattr(services, "_number", number)
    return calls


def test_a_number_taken_by_a_concurrent_ingest_is_retried_with_the_next(db, monkeypatch):
    from tests.factories import BilagFactory

    rival = BilagFactory()
    calls = _stale_number(monkeypatch, rival.number)

    result = bilag_ingest(name="news.txt", data=NEWS, metadata=NEWS_METADATA)

    assert result.outcome == "added", result.line()
    assert calls == [rival.number, rival.number + 1]
    assert result.bilag.number == rival.number + 1
    assert sum("assigned" in note for note in result.notes) == 1, result.notes


def test_the_same_file_committed_meanwhile_is_unchanged(db, monkeypatch):
    from library.ingest import services
    from tests.factories import BilagFactory

    real_read, rival = services._read, {}

    def read_while_another_commits(name, data):
        rival["bilag"] = BilagFactory(sha256=hashlib.sha256(data).hexdigest())
        return real_read(name, data)

    monkeypatch.setattr(services, "_read", read_while_another_commits)

    result = bilag_ingest(name="news.txt", data=NEWS, metadata=NEWS_METADATA)

    assert result.outcome == "unchanged", result.line()
    assert result.bilag == rival["bilag"]


def test_a_given_number_taken_meanwhile_fails_on_one_line(db, monkeypatch):
    from tests.factories import BilagFactory

    rival = BilagFactory()
    _stale_number(monkeypatch, rival.number)

    result = bilag_ingest(name="news.txt", data=NEWS, metadata={**NEWS_METADATA, "number": "777"})

    assert result.outcome == FAILED
    assert "the library changed while this file was ingested" in result.message
    assert "\n" not in result.message


def test_the_write_transaction_is_as_short_for_thousands_of_passages_as_for_a_few(db, monkeypatch):
    """The rows are staged before the transaction opens (library/topics/bulk.py): inside
    it, a file of 3,000 tagged passages runs the same statements as one of 30. When
    passages and tags were inserted in batches inside it, a long file held SQLite's one
    write lock for as long as it took (bench/sqlite_writers.py: a login failed after 20 s)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from library.ingest import services
    from library.models import PassageTopic

    statements = []
    real_store = services._store

    def counted(**store):
        with CaptureQueriesContext(connection) as queries:
            bilag = real_store(**store)
        statements.append(len(queries.captured_queries))
        return bilag

    bilag_ingest(name="900.txt", data=board_text(), today=dt.date(2026, 12, 7))  # its publisher
    monkeypatch.setattr(services, "_store", counted)
    tags = []
    for number, paragraphs in ((901, 30), (902, 3000)):
        body = "\n\n".join(
            f"Kvinder og børn i lejren nr. {n} venter stadig på hjælp." for n in range(paragraphs)
        )
        data = board_text(replace={"Bilagsnr.": str(number)}) + body.encode()
        result = bilag_ingest(name=f"{number}.txt", data=data, today=dt.date(2026, 12, 7))
        assert result.outcome == "added", result.line()
        assert result.bilag.passages.count() >= paragraphs
        tags.append(PassageTopic.objects.filter(passage__bilag=result.bilag).count())
    assert tags[0] >= 30 and tags[1] >= 3000  # both tagged, the long one a hundred times more
    assert statements[0] == statements[1], statements
