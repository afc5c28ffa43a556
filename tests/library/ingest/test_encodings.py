"""Text files and their encoding: strict UTF-8, a legacy file read as Windows-1252 and
said so, and a UTF-8 file with a few bad bytes refused naming the first (found by the
production issue's probe: it was decoded whole as Windows-1252, header and all)."""

import pytest

from library.models import Bilag

pytestmark = pytest.mark.django_db


def test_a_utf8_file_with_a_bad_byte_is_refused_naming_it(media_root, board_text, ingest_txt):
    data = board_text.encode("utf-8").replace(b"lejren", b"lej\xffren")

    result = ingest_txt(data)

    position = data.index(b"\xff")
    assert (result.outcome, result.message) == (
        "failed",
        f"the file is UTF-8 but byte {position} (0xff) is not; save it again as UTF-8",
    )
    assert not Bilag.objects.exists()
    assert not list(media_root.rglob("*.txt"))


def test_a_windows_1252_file_is_read_with_its_header_and_said_so(board_text, ingest_txt):
    result = ingest_txt(board_text.encode("cp1252"))

    assert result.outcome == "added", result.message
    bilag = result.bilag
    assert (bilag.number, bilag.country, bilag.title) == (4711, "SY", "Lejrene i nordøst")
    assert "Kvinderne og børnene i lejren" in bilag.full_text
    assert "read as Windows-1252: the file is not UTF-8" in result.notes


def test_a_utf8_file_is_read_without_a_note(board_text, ingest_txt):
    result = ingest_txt(board_text.encode("utf-8"))

    assert result.outcome == "added", result.message
    assert not any("Windows-1252" in note for note in result.notes)
