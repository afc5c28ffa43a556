"""What the tests of the library's pages share: the seeds to ingest or upload, and the
pages read back (the numbers a list shows, a bilag's header, a form's errors)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from library.ingest.services import bilag_ingest
from library.models import Bilag
from tests.support import SEEDS

SEED_000 = "000_091d3380eedcd8de.txt"
SEED_001 = "001_eb9eaf48cf008476.txt"
SEED_002 = "002_5dca1336a18c5cf3.txt"
SEED_003 = "003_95a891455d9b7643.txt"
SEED_004 = "004_e1216e5ac3c25b1b.txt"
SEED_004_TITLE = "US-backed force attacks IS pocket in eastern Syria"

_LIST_NUMBER = re.compile(r'<td class="num">(\d+)</td>')
_HEADER_PAIR = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.S)


def seed_bytes(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def seed_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, seed_bytes(name), content_type="text/plain")


def ingest_seed(name: str, **metadata) -> Bilag:
    result = bilag_ingest(name=name, data=seed_bytes(name), metadata=metadata or None)
    assert result.outcome == "added", result.line()
    return result.bilag


def listed_numbers(response) -> list[int]:
    return [int(n) for n in _LIST_NUMBER.findall(response.content.decode())]


def form_errors(response) -> dict[str, list[str]]:
    """The form's errors in English (lazy messages are read after the request ended)."""
    with translation.override("en"):
        return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def header(response) -> list[tuple[str, str]]:
    return _HEADER_PAIR.findall(response.content.decode())


def header_values(response) -> list[str]:
    return [value for _label, value in header(response)]
