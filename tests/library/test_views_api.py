"""The bilag API (/api/bilag/<number>): the export's shape, the same record as
`manage.py export`, and 404 for an unknown number."""

import datetime as dt
import io
import json

from django.core.management import call_command

from library.models import Bilag
from tests.factories import BilagFactory, PublisherFactory
from tests.library.pages import SEED_004, ingest_seed


def test_api_bilag_returns_the_export_shape(caseworker_client, db):
    bilag = BilagFactory(
        number=77,
        publisher=PublisherFactory(name="Landinfo"),
        title="Lejre i nord",
        published=dt.date(2019, 2, 1),
        published_precision=Bilag.Precision.MONTH,
        intake=dt.date(2019, 3, 1),
        language="en",
    )

    response = caseworker_client.get("/api/bilag/77")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "number": 77,
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Lejre i nord",
        "published": "2019-02",
        "intake": "2019-03-01",
        "language": "en",
        "status": "current",
        "withdrawn_on": None,
        "withdrawn_reason": None,
        "sha256": bilag.sha256,
        "ocr_pages": [],
        "unread_pages": [],
        "passages": [
            {
                "ordinal": 1,
                "page": None,
                "ocr": False,
                "language": "en",
                "text": "Civilians fled the camp.",
                "boilerplate": False,
                "topics": [],
            },
            {
                "ordinal": 2,
                "page": None,
                "ocr": False,
                "language": "en",
                "text": "The fighting went on for days.",
                "boilerplate": False,
                "topics": [],
            },
        ],
    }


def test_api_bilag_matches_the_export_command(caseworker_client, db):
    ingest_seed(SEED_004)
    out = io.StringIO()
    call_command("export", stdout=out)

    response = caseworker_client.get("/api/bilag/863")

    assert response.json() == json.loads(out.getvalue().splitlines()[0])


def test_api_bilag_unknown_number_is_404(caseworker_client, db):
    response = caseworker_client.get("/api/bilag/863")

    assert response.status_code == 404
