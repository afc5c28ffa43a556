"""The cite flow in headless Chromium: citing into an existing note hides the new-note
field and loses nothing; a removed citation asks once and comes back with undo.

Uses the `chromium` fixture (tests/browser/chromium.py) (skipped without /usr/bin/chromium unless
BAGGRUND_REQUIRE_BROWSER=1). The database is touched only outside the browser block.
"""

import pytest

from casefiles import services
from casefiles.models import Citation
from tests.browser.chromium import PASSWORD, log_in
from tests.factories import BilagFactory, CaseworkerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Lejren i al-Hol var overfyldt, og børn og kvinder manglede vand og medicin."


def _setup():
    user = CaseworkerFactory(username="cite-flow", password=PASSWORD)
    bilag = BilagFactory(number=4711, language="da", full_text=TEXT)
    case = services.case_create(user=user, reference="UI-2026-0001", title="Sag", country="SY")
    note = services.note_create(case=case, user=user, body="Forholdene i lejren er dårlige.")
    return user, bilag, case, note


def test_citing_into_an_existing_note_hides_the_new_note_field_and_keeps_all(live_server, chromium):
    user, bilag, case, note = _setup()
    base = live_server.url
    with chromium() as page:
        log_in(page, base, user.username)
        page.goto(f"{base}{case.get_absolute_url()}")  # the case being worked on
        page.goto(f"{base}/cite/?bilag={bilag.number}&ordinal=1")
        target = page.locator("select[name=target]")
        field = page.locator(".new-note-field")
        assert target.input_value() == f"new:{case.pk}"
        assert field.is_visible()
        target.select_option(f"note:{note.pk}")
        assert field.is_hidden()
        # The closed select says which case and note it is.
        shown = target.evaluate("s => s.options[s.selectedIndex].text")
        assert shown == "UI-2026-0001 › Notat 1: Forholdene i lejren er dårlige."

        # Text typed for a new note is never hidden, and never thrown away.
        target.select_option(f"new:{case.pk}")
        page.fill("textarea[name=new_note]", "Mit nye notat")
        target.select_option(f"note:{note.pk}")
        assert field.is_visible()
        page.fill("textarea[name=comment]", "Bekræfter forklaringen")
        page.click("form.cite-form button.primary")
        assert "men valgt et eksisterende notat" in page.locator("form.cite-form").inner_text()
        assert page.input_value("textarea[name=new_note]") == "Mit nye notat"
        assert page.input_value("textarea[name=comment]") == "Bekræfter forklaringen"

        # Emptying the new note's text cites into the chosen note.
        page.fill("textarea[name=new_note]", "")
        assert field.is_hidden()
        page.click("form.cite-form button.primary")
        page.wait_for_url(f"{base}{case.get_absolute_url()}?cited=*")
        highlighted = page.locator(".just-cited .citation")
        assert highlighted.count() == 1
        assert "Bekræfter forklaringen" in highlighted.inner_text()
        assert page.locator("[role=status], .messages").first.is_visible()
    citation = Citation.objects.get()
    assert (citation.note_id, citation.comment, citation.quote) == (
        note.pk,
        "Bekræfter forklaringen",
        TEXT,
    )
    assert list(case.notes.values_list("pk", flat=True)) == [note.pk]


def test_removing_a_citation_asks_once_and_can_be_undone(live_server, chromium):
    user, bilag, case, note = _setup()
    citation = services.citation_create(
        note=note,
        passage=bilag.passages.get(ordinal=1),
        user=user,
        start=0,
        end=5,
        comment="Min kommentar",
    )
    base = live_server.url
    with chromium() as page:
        log_in(page, base, user.username)
        page.goto(f"{base}{case.get_absolute_url()}")
        page.click(f"#citation-{citation.pk} a.citation-remove")
        assert "Min kommentar" in page.locator("main").inner_text()  # what goes with it
        page.click("main form button.danger")
        page.wait_for_url(f"{base}{case.get_absolute_url()}#note-{note.pk}")
        assert page.locator(f"#citation-{citation.pk}").count() == 0
        undo = page.locator(".undo-removal button")
        assert undo.is_visible()
        undo.click()
        page.wait_for_url(f"{base}{case.get_absolute_url()}?cited={citation.pk}*")
        assert page.locator(f".just-cited #citation-{citation.pk}").is_visible()
        assert "Min kommentar" in page.locator(f"#citation-{citation.pk}").inner_text()
    row = Citation.objects.get(pk=citation.pk)
    assert (row.removed_at, row.comment) == (None, "Min kommentar")
