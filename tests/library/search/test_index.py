"""The search index follows the library: ingest, language corrections, metadata and
withdrawal, `manage.py reindex`, a new index folder, and counts that are always exact."""

import datetime as dt
import io
import shutil

import pytest
import tantivy
from django.core.management import call_command

from library.ingest.services import bilag_ingest
from library.search import engine
from library.search.selectors import fresh_searcher, passage_search
from library.services import bilag_update

TODAY = dt.date(2026, 11, 22)

DANISH = (
    "Flygtningenævnets baggrundsmateriale\n\n"
    "Bilagsnr.:\t901\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\tLejrene i nord\n"
    "Udgivet:\t1. marts 2019\nOptaget på baggrundsmaterialet:\t1. april 2019\n\n"
    "Familierne bor stadig i lejrene nær grænsen.\n\n"
    "Forholdene i området er fortsat vanskelige for de mange familier.\n"
)


def _hits(query: str, **filters) -> list[tuple[int, int]]:
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    return [(hit.bilag.number, hit.passage.ordinal) for hit in results.hits]


@pytest.fixture
def danish(db):
    result = bilag_ingest(
        name="lejre.txt", data=DANISH.encode(), metadata={"language": "da"}, today=TODAY
    )
    assert result.outcome == "added", result.line()
    return result.bilag


def _wipe_index():
    """Every entry gone from the index (as if its folder were lost), the database kept."""
    fresh_searcher()  # the index made and filled, as the first search does
    index = engine.get_index()
    with index.write_lock(), index.writer() as writer:
        writer.delete_all_documents()


def _indexed(bilag) -> set[int]:
    searcher = fresh_searcher()
    found = searcher.search(tantivy.Query.term_query(engine.SCHEMA, "bilag", bilag.id), limit=1000)
    return set(searcher.fast_field_values("id", [address for _s, address in found.hits]))


def test_ingest_makes_a_bilag_searchable_at_once(danish):
    assert _hits("lejr") == [(901, 1)]


def test_reindex_rebuilds_a_lost_index(danish):
    _wipe_index()
    assert _hits("lejr") == []

    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out)

    assert "reindexed 2 passages" in out.getvalue()
    assert _hits("lejr") == [(901, 1)]
    assert set(_hits("familie")) == {(901, 1), (901, 2)}


def test_a_language_correction_restems_the_bilag(danish):
    assert _hits("lejr") == [(901, 1)]

    # Read as English, "lejrene" is no longer a form of "lejr" (English stems it "lejren").
    bilag_update(bilag=danish, language="en")
    assert _hits("lejr") == []
    assert _hits("lejrene") == [(901, 1)]

    bilag_update(bilag=danish, language="da")
    assert _hits("lejr") == [(901, 1)]


def test_boilerplate_has_no_index_entry(db, seeds_dir):
    name = "004_e1216e5ac3c25b1b.txt"
    result = bilag_ingest(name=name, data=(seeds_dir / name).read_bytes(), today=TODAY)
    bilag = result.bilag
    boilerplate = set(bilag.passages.filter(boilerplate=True).values_list("id", flat=True))
    assert boilerplate, "the BBC page has a cookie banner and menus"
    indexed = _indexed(bilag)
    content = set(bilag.passages.filter(boilerplate=False).values_list("id", flat=True))
    assert indexed == content
    assert not indexed & boilerplate


def test_a_lost_index_folder_is_rebuilt_from_the_database(danish, search_index_dir):
    assert _hits("lejr") == [(901, 1)]
    engine.get_index()  # open
    shutil.rmtree(search_index_dir)

    assert _hits("lejr") == [(901, 1)], "the next search builds a new index from the database"
    assert (search_index_dir / engine.SETTINGS_FILE).exists()


def test_counts_are_exact(danish):
    results = passage_search(query="familie")
    assert results.total == 2
    assert len(results.hits) == 2
    assert sum(f.count for f in results.facets["language"]) == 2


def test_passages_follow_their_bilag_corrections_and_withdrawal(danish):
    from library.services import bilag_withdraw

    assert _hits("lejr", country="SY") == [(901, 1)]

    bilag_update(bilag=danish, country="IQ", publisher="UNHCR", published="2019-05")
    assert _hits("lejr", country="SY") == []
    assert _hits("lejr", country="IQ") == [(901, 1)]
    assert _hits("lejr", published_min="2019-05-01", published_max="2019-05-31") == [(901, 1)]
    copies = set(danish.passages.values_list("country", "publisher__name", "published"))
    assert copies == {("IQ", "UNHCR", dt.date(2019, 5, 1))}

    bilag_withdraw(bilag=danish, reason="Superseded by a newer report")
    assert _hits("lejr") == []
    assert _hits("lejr", status="all") == [(901, 1)]
    assert set(danish.passages.values_list("withdrawn", flat=True)) == {True}


def test_the_ingest_command_leaves_its_bilag_searchable_and_the_outbox_empty(db, tmp_path):
    from library.models import SearchOutbox

    for n in (1, 2, 3):
        (tmp_path / f"lejr{n}.txt").write_text(DANISH.replace("901", f"90{n}"), encoding="utf-8")
    call_command("ingest", str(tmp_path), "--language", "da", stdout=io.StringIO())

    assert not SearchOutbox.objects.exists(), "applied in batches and once at the end"
    assert sorted(_hits("lejr")) == [(901, 1), (902, 1), (903, 1)]


def _break_index(folder) -> None:
    """meta.json overwritten with garbage, and the process's open index forgotten."""
    engine.get_index()
    (folder / "meta.json").write_text("{ not json", encoding="utf-8")
    engine._open.clear()


def test_a_damaged_index_gives_a_message_not_an_error_page(danish, search_index_dir, english):
    assert _hits("lejr") == [(901, 1)]
    _break_index(search_index_dir)

    results = passage_search(query="lejr")
    assert "search index cannot be read" in results.error
    assert "manage.py reindex" in results.error
    response = english.get("/", {"q": "lejr"})
    assert response.status_code == 503  # the server's fault, not the request's
    assert "search index cannot be read" in response.content.decode()
    api = english.get("/api/search", {"q": "lejr"})
    assert api.status_code == 503
    assert "search index cannot be read" in api.json()["error"]


def test_a_write_with_a_damaged_index_still_lands_and_waits_in_the_outbox(
    danish, search_index_dir, django_capture_on_commit_callbacks
):
    from library.models import SearchOutbox

    _hits("lejr")
    _break_index(search_index_dir)
    with django_capture_on_commit_callbacks(execute=True):
        bilag_update(bilag=danish, country="IQ")

    danish.refresh_from_db()
    assert danish.country == "IQ"
    assert SearchOutbox.objects.filter(bilag_id=danish.id).exists()


def test_a_bilag_applied_in_several_index_commits_is_indexed_whole_and_once(db, monkeypatch):
    """A large bilag's passages go to the index a few million characters at a time (the
    writer's queue stays small: APPLY_COMMIT_CHARS); together they are every content
    passage, each once."""
    from library.search import index as search_index

    commits = []
    real_commit = search_index._commit_part
    monkeypatch.setattr(search_index, "APPLY_COMMIT_CHARS", 100)
    monkeypatch.setattr(
        search_index, "_commit_part", lambda writer: commits.append(1) or real_commit(writer)
    )
    body = "\n\n".join(f"Familierne i lejr nummer {n} bor stadig nær grænsen." for n in range(40))
    data = DANISH.replace("901", "902").replace(
        "Familierne bor stadig i lejrene nær grænsen.", body
    )
    result = bilag_ingest(
        name="mange.txt", data=data.encode(), metadata={"language": "da"}, today=TODAY
    )
    assert result.outcome == "added", result.line()
    _wipe_index()
    search_index._apply(engine.get_index(), [(0, result.bilag.id, None)])
    content = set(result.bilag.passages.filter(boilerplate=False).values_list("id", flat=True))
    assert len(content) == 41
    assert len(commits) > 10  # a commit each 100 characters or so, not one at the end
    assert _indexed(result.bilag) == content
    assert len(_hits("lejr")) == 40  # the last passage does not say it
