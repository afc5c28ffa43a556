"""Fixtures of the ingest tests: one small board-header bilag, and ingesting bytes."""

import datetime as dt

import pytest

from library.ingest.services import bilag_ingest


@pytest.fixture
def board_text() -> str:
    """Bilag 4711 in the board's header shape, Danish letters in header and text."""
    return (
        "Flygtningenævnets baggrundsmateriale\n\n"
        "Bilagsnr.:\t4711\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\tLejrene i nordøst\n"
        "Udgivet:\t10. februar 2019\nOptaget på baggrundsmaterialet:\t1. marts 2019\n\n"
        "Kvinderne og børnene i lejren siger, at de ikke har fået rent vand siden december.\n"
    )


@pytest.fixture
def ingest_txt(db):
    """Ingest bytes as bilag.txt through the service, on a fixed day."""

    def ingest(data: bytes):
        return bilag_ingest(name="bilag.txt", data=data, today=dt.date(2026, 11, 1))

    return ingest
