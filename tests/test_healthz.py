"""`/healthz` (config/health.py): open without a login, 200 when the database, the
migrations and the search index are fine, 503 naming the part that is not."""

import pytest

from library.search import engine


@pytest.mark.django_db
def test_healthy_without_a_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "search_index": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unreadable_index_is_a_503_naming_it(client, search_index_dir):
    engine.get_index()
    (search_index_dir / "meta.json").write_text("{ broken", encoding="utf-8")
    engine._open.clear()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["search_index"].startswith("error")


@pytest.mark.django_db
def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
