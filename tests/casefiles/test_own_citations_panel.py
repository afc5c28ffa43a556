"""The bilag page lists the reader's own citations in that bilag (casefiles fills the
library's extension point): only cases the reader is a member of, never removed
citations, nothing at all when there are none; loaded in one or two queries."""

import re

import pytest
from django.test import Client

from casefiles import selectors, services
from library import extensions

PAGE = "/bilag/863/"
_PANEL = re.compile(r'<aside class="own-citations".*?</aside>', re.S)
_ROW = re.compile(r'<li data-citation="(\d+)">(.*?)</li>', re.S)


def _panel(client: Client) -> str:
    found = _PANEL.findall(client.get(PAGE).content.decode())
    assert len(found) <= 1
    return found[0] if found else ""


def _rows(client: Client) -> dict[int, str]:
    return {int(pk): " ".join(text.split()) for pk, text in _ROW.findall(_panel(client))}


def _cite(note, passage, user, words: str):
    start = passage.text.index(words)
    return services.citation_create(
        note=note, passage=passage, user=user, start=start, end=start + len(words)
    )


def test_casefiles_registers_its_panel():
    (extension,) = [e for e in extensions.registered() if e.name == "casefiles"]
    assert extension.panel_template == "casefiles/_own_citations.html"


def test_panel_lists_own_citation_with_case_note_passage_and_quote(member_client, case, citation):
    panel = _panel(member_client)

    assert "Your citation in this bilag" in panel
    link = f'<a href="/cases/{case.pk}/#citation-{citation.pk}">2026-0042 › Note 1</a>'
    assert link in panel
    assert '<a href="#p1">passage 1</a>: <q>børn og kvinder</q>' in panel


def test_panel_numbers_notes_as_the_case_page_does_and_follows_the_text(
    member_client, member, case, note, citation, bilag
):
    second = services.note_create(case=case, user=member, body="Vandmangel.")
    later = _cite(second, bilag.passages.get(ordinal=2), member, "rapporten")
    earlier = _cite(second, bilag.passages.get(ordinal=1), member, "Flygtningelejren")

    rows = _rows(member_client)

    assert list(rows) == [earlier.pk, citation.pk, later.pk]  # passage order, then place
    assert "› Note 2" in rows[earlier.pk] and "› Note 1" in rows[citation.pk]
    assert "passage 2" in rows[later.pk]
    assert "Your 3 citations in this bilag" in _panel(member_client)


def test_panel_shows_only_cases_the_reader_is_a_member_of(
    member_client, outsider, citation, passage
):
    theirs = services.case_create(
        user=outsider, reference="2026-9999", title="Andens sag", country="SY"
    )
    their_note = services.note_create(case=theirs, user=outsider, body="Deres notat.")
    their_citation = _cite(their_note, passage, outsider, "ikke nok vand")
    client = Client()
    client.force_login(outsider)

    mine, others = _panel(member_client), _panel(client)

    assert list(_rows(member_client)) == [citation.pk]
    assert "2026-9999" not in mine and "ikke nok vand" not in mine
    assert list(_rows(client)) == [their_citation.pk]
    assert "2026-0042" not in others and "børn og kvinder" not in others


def test_removed_citation_is_not_listed(member_client, member, citation):
    services.citation_remove(citation=citation, user=member)

    assert _panel(member_client) == ""


def test_no_citations_means_no_panel(member_client, bilag):
    page = member_client.get(PAGE).content.decode()

    assert page.count("own-citations") == 0
    assert "data-passages" in page


def test_a_non_member_library_admin_sees_no_panel(admin_client_, citation):
    assert _panel(admin_client_) == ""


def test_panel_escapes_the_quote_and_the_case_reference(member_client, member, bilag):
    hostile = services.case_create(
        user=member, reference="<b>X</b>", title="<script>x</script>", country="SY"
    )
    note = services.note_create(case=hostile, user=member, body="n")
    passage = bilag.passages.get(ordinal=1)
    _cite(note, passage, member, "børn")

    panel = _panel(member_client)

    assert "&lt;b&gt;X&lt;/b&gt; › Note 1" in panel
    assert "<b>" not in panel


def test_own_citations_load_in_one_query_or_two(
    django_assert_num_queries, member, outsider, citation, bilag
):
    passages = list(bilag.passages.all())

    with django_assert_num_queries(1):
        assert selectors.own_citations(outsider, passages) == []
    with django_assert_num_queries(2):
        (found,) = selectors.own_citations(member, passages)
    with django_assert_num_queries(0):
        assert (found.note.case.reference, found.note.number, found.passage.ordinal) == (
            "2026-0042",
            1,
            1,
        )


@pytest.mark.parametrize("page", ["/bilag/863/", "/?q=kvinder"])
def test_cited_in_still_names_own_cases_beside_the_passage(member_client, citation, page):
    html = member_client.get(page).content.decode()

    case_link = f'<a href="/cases/{citation.note.case_id}/">2026-0042</a>'
    assert f'<span class="cited-in">Cited in your cases: {case_link}</span>' in html
