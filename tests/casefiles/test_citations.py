"""Citations: exact offsets (code points, UTF-16 from browsers), context, snapshots, the
/cite/ view with and without JavaScript, withdrawn and corrected bilag, deletion refused,
soft removal."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils.html import escape

from casefiles import services
from casefiles.models import CONTEXT_CHARS, AuditEntry, Citation, Note
from library import services as library_services
from library.models import Bilag, Passage
from tests.casefiles.support import PASSAGE_TEXT
from tests.factories import BilagFactory, PublisherFactory

CITE = reverse("casefiles:cite")

# A passage long enough that both context windows are full.
LONG_TEXT = (
    "Ifølge rapporten blev flygtningelejren ved Baghouz angrebet flere gange i marts, "
    "og børn og kvinder får ikke nok vand eller medicin, siger FN's observatører på stedet."
)
# "vand" twice: at 16 and 34.
TWICE_TEXT = "Der er ikke nok vand i lejren, og vand må hentes udefra."
# An emoji (two UTF-16 units, one code point) before the quote; æ, ø, å around it.
EMOJI_TEXT = "Rapport 🙂 fra lejren: Børnene får ikke nok vand, siger én kvinde på stedet."


def bilag_with(text: str, number: int, **kwargs) -> Bilag:
    """A Danish bilag whose passage 1 is exactly `text` (passage 2 is "Anden del.")."""
    bilag = BilagFactory(number=number, language="da", full_text=text + "\n\nAnden del.", **kwargs)
    assert bilag.passages.get(ordinal=1).text == text
    return bilag


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cite_post(client, passage, target, start, end, **extra):
    data = {
        "bilag": passage.bilag.number,
        "ordinal": passage.ordinal,
        "start": start,
        "end": end,
        "target": target,
        "new_note": "",
        "comment": "",
    }
    data.update(extra)
    return client.post(CITE, data)


# --- offsets and context (service) ---------------------------------------------------


def test_fixture_passage_is_the_known_text(passage):
    assert passage.text == PASSAGE_TEXT
    assert len(PASSAGE_TEXT) == 64


def test_offsets_count_code_points_with_danish_letters(note, passage, member):
    citation = services.citation_create(note=note, passage=passage, user=member, start=30, end=45)
    citation.refresh_from_db()
    assert citation.quote == "børn og kvinder"
    assert (citation.start, citation.end) == (30, 45)
    assert citation.before == "Flygtningelejren ved Baghouz: "
    assert citation.after == " får ikke nok vand."


def test_quote_with_ae_oe_aa_spanning_letters(note, member, db):
    text = "Kvinderne på grænsen så ældre mænd blive ført væk af sikkerhedsstyrkerne."
    passage = bilag_with(text, 870).passages.get(ordinal=1)
    assert text.index("så ældre") == 21
    citation = services.citation_create(note=note, passage=passage, user=member, start=21, end=49)
    assert citation.quote == "så ældre mænd blive ført væk"
    assert citation.before == "Kvinderne på grænsen "
    assert citation.after == " af sikkerhedsstyrkerne."


def test_quote_at_the_very_start(note, passage, member):
    citation = services.citation_create(note=note, passage=passage, user=member, start=0, end=16)
    assert citation.quote == "Flygtningelejren"
    assert citation.start == 0
    assert citation.before == ""
    assert citation.after == " ved Baghouz: børn og kvinder få"
    assert len(citation.after) == CONTEXT_CHARS == 32


def test_quote_at_the_very_end(note, passage, member):
    end = len(PASSAGE_TEXT)
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=end - 5, end=end
    )
    assert citation.quote == "vand."
    assert citation.end == 64
    assert citation.after == ""
    assert citation.before == "z: børn og kvinder får ikke nok "
    assert citation.before == PASSAGE_TEXT[64 - 5 - 32 : 64 - 5]
    assert len(citation.before) == 32


def test_whole_passage_by_offsets(note, passage, member):
    citation = services.citation_create(note=note, passage=passage, user=member, start=0, end=64)
    assert citation.quote == PASSAGE_TEXT
    assert (citation.before, citation.after) == ("", "")


def test_context_is_exactly_32_characters_each_side(note, member, db):
    passage = bilag_with(LONG_TEXT, 871).passages.get(ordinal=1)
    start = LONG_TEXT.index("børn og kvinder")
    assert start == 84
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=84, end=84 + len("børn og kvinder")
    )
    assert citation.before == "ngrebet flere gange i marts, og "
    assert citation.after == " får ikke nok vand eller medicin"
    assert len(citation.before) == len(citation.after) == 32


def test_context_shorter_near_the_edges(note, passage, member):
    citation = services.citation_create(note=note, passage=passage, user=member, start=4, end=60)
    assert citation.before == "Flyg"
    assert citation.after == "and."


def test_second_occurrence_is_kept(note, member, db):
    passage = bilag_with(TWICE_TEXT, 872).passages.get(ordinal=1)
    assert [TWICE_TEXT.index("vand"), TWICE_TEXT.rindex("vand")] == [16, 34]
    citation = services.citation_create(note=note, passage=passage, user=member, start=34, end=38)
    citation.refresh_from_db()
    assert citation.quote == "vand"
    assert (citation.start, citation.end) == (34, 38)
    assert citation.before == "r er ikke nok vand i lejren, og "
    assert citation.after == " må hentes udefra."


def test_surrounding_whitespace_is_trimmed(note, passage, member):
    # " børn og kvinder " — the spaces either side of the selection are not cited.
    citation = services.citation_create(note=note, passage=passage, user=member, start=29, end=46)
    assert citation.quote == "børn og kvinder"
    assert (citation.start, citation.end) == (30, 45)
    assert citation.before.endswith("Baghouz: ")


def test_trimming_whitespace_and_newlines_inside_a_multiline_passage(note, member, db):
    text = "Første linje om lejren.\nAnden linje om vand."
    passage = BilagFactory(number=873, language="da", full_text=text).passages.get(ordinal=1)
    assert passage.text == text
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=23, end=len(text)
    )
    assert citation.quote == "Anden linje om vand."
    assert citation.start == 24


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (10, 65, "The selection 10–65 lies outside the passage (64 characters)."),
        (-1, 5, "The selection -1–5 lies outside the passage (64 characters)."),
        (40, 30, "The selection 40–30 lies outside the passage (64 characters)."),
        (64, 70, "The selection 64–70 lies outside the passage (64 characters)."),
    ],
)
def test_out_of_range_selection_is_refused_with_a_message(
    note, passage, member, start, end, expected
):
    with pytest.raises(ValidationError) as exc:
        services.citation_create(note=note, passage=passage, user=member, start=start, end=end)
    assert exc.value.messages == [expected]
    assert not Citation.objects.exists()


def test_whitespace_only_selection_is_refused(note, passage, member):
    with pytest.raises(ValidationError) as exc:
        services.citation_create(note=note, passage=passage, user=member, start=29, end=30)
    assert exc.value.messages == ["The selection holds no text."]
    assert not Citation.objects.exists()


def test_empty_selection_message_says_it_holds_no_text(note, passage, member):
    with pytest.raises(ValidationError) as exc:
        services.citation_create(note=note, passage=passage, user=member, start=10, end=10)
    assert exc.value.messages == ["The selection holds no text."]


def test_snapshot_is_the_bilag_as_it_stood(note, member, db):
    bilag = BilagFactory(
        number=874,
        language="da",
        publisher=PublisherFactory(name="Human Rights Watch"),
        title="Syrien: forholdene i lejrene",
        published=dt.date(2019, 2, 1),
        published_precision=Bilag.Precision.MONTH,
        intake=dt.date(2019, 3, 14),
        full_text="Første afsnit.\n\nAndet afsnit om vand og mad.",
    )
    passage = bilag.passages.get(ordinal=2)
    citation = services.citation_create(note=note, passage=passage, user=member, start=0, end=13)
    citation.refresh_from_db()
    assert citation.quote == "Andet afsnit"
    assert citation.bilag_number == 874
    assert citation.passage_ordinal == 2
    assert citation.publisher == "Human Rights Watch"
    assert citation.title == "Syrien: forholdene i lejrene"
    assert citation.published == dt.date(2019, 2, 1)
    assert citation.published_precision == "month"
    assert citation.intake == dt.date(2019, 3, 14)
    assert citation.created_by == member
    assert citation.problems() == []

    library_services.bilag_update(
        bilag=bilag,
        title="Syrien: ny titel",
        publisher="Amnesty International",
        published="2019-02-11",
        intake=dt.date(2019, 4, 1),
    )
    citation.refresh_from_db()
    assert citation.publisher == "Human Rights Watch"
    assert citation.title == "Syrien: forholdene i lejrene"
    assert (citation.published, citation.published_precision) == (dt.date(2019, 2, 1), "month")
    assert citation.intake == dt.date(2019, 3, 14)
    assert [str(p) for p in citation.problems()] == [
        "Publisher changed from “Human Rights Watch” to “Amnesty International”; "
        "title changed from “Syrien: forholdene i lejrene” to “Syrien: ny titel”; "
        "publication date changed from February 2019 to 11 February 2019; "
        "intake date changed from 14 March 2019 to 1 April 2019."
    ]


def test_snapshot_without_publisher_is_empty(note, member, db):
    bilag = BilagFactory(number=875, publisher=None, full_text="Kun et afsnit her.")
    citation = services.citation_create(
        note=note, passage=bilag.passages.get(), user=member, start=0, end=3
    )
    assert citation.publisher == ""
    assert citation.problems() == []


def test_boilerplate_cannot_be_cited(note, passage, member):
    Passage.objects.filter(pk=passage.pk).update(boilerplate=True)
    passage.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.citation_create(note=note, passage=passage, user=member, start=0, end=5)
    assert exc.value.messages == ["Boilerplate cannot be cited."]


def test_utf16_to_index_units():
    text = "a🙂bø"
    # UTF-16 units: a=0, 🙂=1..2, b=3, ø=4, end=5.
    assert [services.utf16_to_index(text, u) for u in (0, 1, 3, 4, 5)] == [0, 1, 2, 3, 4]
    assert services.utf16_to_index(EMOJI_TEXT, EMOJI_TEXT.index("Børnene") + 1) == 22
    assert services.utf16_to_index("æøå", 2) == 2  # BMP letters are one unit each


# --- the /cite/ view -------------------------------------------------------------------


def test_cite_get_with_utf16_offsets_after_an_emoji(member_client, note, db):
    passage = bilag_with(EMOJI_TEXT, 876).passages.get(ordinal=1)
    quote = "får ikke nok vand"
    start = EMOJI_TEXT.index(quote)
    assert start == 30
    # The browser counts the emoji as two units: every offset after it is one more.
    u_start = utf16_len(EMOJI_TEXT[:start])
    assert u_start == 31
    response = member_client.get(
        CITE,
        {"bilag": 876, "ordinal": 1, "start": u_start, "end": u_start + len(quote), "quote": quote},
    )
    assert response.status_code == 200
    assert response.context["quote"] == quote
    assert response.context["form"].initial["start"] == 30
    assert response.context["form"].initial["end"] == 47
    html = response.content.decode()
    assert 'name="start" value="30"' in html
    assert 'name="end" value="47"' in html
    assert "The selected 17 characters will be cited." in html

    response = cite_post(member_client, passage, f"note:{note.pk}", 30, 47)
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (
        response["Location"] == f"/cases/{note.case_id}/?cited={citation.pk}#citation-{citation.pk}"
    )
    assert citation.quote == "får ikke nok vand"
    assert (citation.start, citation.end) == (30, 47)
    assert citation.before == "Rapport 🙂 fra lejren: Børnene "
    assert citation.after == ", siger én kvinde på stedet."
    assert citation.note == note


def test_cite_get_offsets_without_emoji_are_unchanged(member_client, note, passage):
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1, "start": 30, "end": 45})
    assert response.status_code == 200
    assert response.context["quote"] == "børn og kvinder"
    assert response.context["before"] == "Flygtningelejren ved Baghouz: "
    assert response.context["after"] == " får ikke nok vand."


def test_cite_get_second_occurrence_is_kept_then_saved(member_client, note, db):
    passage = bilag_with(TWICE_TEXT, 877).passages.get(ordinal=1)
    response = member_client.get(
        CITE, {"bilag": 877, "ordinal": 1, "start": 34, "end": 38, "quote": "vand"}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["start"] == 34
    assert response.context["form"].initial["end"] == 38
    assert response.context["before"] == "Der er ikke nok vand i lejren, og "

    response = cite_post(member_client, passage, f"note:{note.pk}", 34, 38)
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.start, citation.end, citation.quote) == (34, 38, "vand")


def test_cite_get_offsets_a_little_off_keep_the_nearest_occurrence(member_client, note, db):
    bilag_with(TWICE_TEXT, 878)
    # Offsets two characters off the second "vand": the quote is found where meant.
    response = member_client.get(
        CITE, {"bilag": 878, "ordinal": 1, "start": 36, "end": 40, "quote": "vand"}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["start"] == 34
    assert response.context["form"].initial["end"] == 38
    # And near the first one, the first.
    response = member_client.get(
        CITE, {"bilag": 878, "ordinal": 1, "start": 15, "end": 19, "quote": "vand"}
    )
    assert response.context["form"].initial["start"] == 16


def test_cite_get_quote_with_surrounding_spaces_is_trimmed(member_client, note, passage):
    response = member_client.get(
        CITE, {"bilag": 863, "ordinal": 1, "start": 29, "end": 46, "quote": " børn og kvinder "}
    )
    assert response.status_code == 200
    assert response.context["quote"] == "børn og kvinder"
    assert response.context["form"].initial["start"] == 30
    assert response.context["form"].initial["end"] == 45


def test_cite_get_quote_not_in_passage_is_400(member_client, note, passage):
    response = member_client.get(
        CITE, {"bilag": 863, "ordinal": 1, "start": 0, "end": 8, "quote": "Damaskus"}
    )
    assert response.status_code == 400
    assert response.context["error"] == "The selected text is not in this passage."
    assert "The selected text is not in this passage." in response.content.decode()


def test_cite_without_javascript_cites_the_whole_passage(member_client, note, passage):
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1})
    assert response.status_code == 200
    assert response.context["quote"] == PASSAGE_TEXT
    assert response.context["whole"] is True
    html = response.content.decode()
    assert 'name="start" value="0"' in html
    assert 'name="end" value="64"' in html
    assert "The whole passage will be cited." in html

    response = cite_post(member_client, passage, f"note:{note.pk}", 0, 64)
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert citation.quote == PASSAGE_TEXT
    assert (citation.start, citation.end, citation.before, citation.after) == (0, 64, "", "")


def test_cite_post_into_a_new_note(member_client, case, passage, member):
    response = cite_post(
        member_client, passage, f"new:{case.pk}", 30, 45, new_note="Børn mangler vand."
    )
    assert response.status_code == 302
    note = Note.objects.get(body="Børn mangler vand.")
    assert note.case == case and note.author == member
    assert note.citations.get().quote == "børn og kvinder"


def test_cite_post_new_note_without_text_is_400(member_client, case, passage):
    response = cite_post(member_client, passage, f"new:{case.pk}", 30, 45)
    assert response.status_code == 400
    assert "Write the new note, or choose an existing note." in response.content.decode()
    assert not Note.objects.exists()
    assert not Citation.objects.exists()


@pytest.mark.parametrize(("start", "end"), [(10, 500), (-3, 10)])
def test_cite_get_out_of_range_selection_is_400(member_client, note, passage, start, end):
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1, "start": start, "end": end})
    assert response.status_code == 400
    assert "lies outside the passage (64 characters)" in response.context["error"]


def test_cite_get_empty_selection_is_400(member_client, note, passage):
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1, "start": 10, "end": 10})
    assert response.status_code == 400
    assert response.context["error"].startswith("The selection ")
    assert response.context["quote"] == ""
    assert "Save citation" not in response.content.decode()


def test_cite_get_whitespace_selection_is_400(member_client, note, passage):
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1, "start": 29, "end": 30})
    assert response.status_code == 400
    assert response.context["error"] == "The selection holds no text."
    assert "The selection holds no text." in response.content.decode()


@pytest.mark.parametrize(("start", "end"), [(10, 65), (40, 30), (20, 20)])
def test_cite_post_bad_selection_is_400_and_saves_nothing(member_client, note, passage, start, end):
    response = cite_post(member_client, passage, f"note:{note.pk}", start, end)
    assert response.status_code == 400
    assert response.context["error"]
    assert not Citation.objects.exists()


def test_cite_post_out_of_range_names_the_problem(member_client, note, passage):
    response = cite_post(member_client, passage, f"note:{note.pk}", 10, 65)
    assert response.status_code == 400
    # One span rule for GET and POST (the service's), so one message, with the values.
    assert (
        response.context["error"] == "The selection 10–65 lies outside the passage (64 characters)."
    )


def test_cite_unknown_passage_is_404(member_client, note, passage):
    assert member_client.get(CITE, {"bilag": 863, "ordinal": 9}).status_code == 404
    assert member_client.get(CITE, {"bilag": "x", "ordinal": 1}).status_code == 404


# --- withdrawn, corrected and changed bilag -----------------------------------------

WITHDRAWN_ON = dt.date(2026, 1, 15)
REASON = "Erstattet af en nyere rapport"
WITHDRAWN_MESSAGE = f"Bilag 863 was withdrawn on Jan. 15, 2026: {REASON}"


def test_withdrawn_bilag_citation_is_still_shown_with_a_warning(
    member_client, case, citation, bilag
):
    library_services.bilag_withdraw(bilag=bilag, reason=REASON, on=WITHDRAWN_ON)
    citation.refresh_from_db()
    assert [str(p) for p in citation.problems()] == [WITHDRAWN_MESSAGE]

    html = member_client.get(case.get_absolute_url()).content.decode()
    assert f'id="citation-{citation.pk}"' in html
    assert "<q>børn og kvinder</q>" in html
    assert "Check this citation:" in html
    assert WITHDRAWN_MESSAGE in html

    html = member_client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()
    assert "børn og kvinder" in html
    assert WITHDRAWN_MESSAGE in html
    assert f"Withdrawn on Jan. 15, 2026. {REASON}" in html

    text = member_client.get(reverse("casefiles:sheet_text", args=[case.pk])).content.decode()
    assert "“[…] børn og kvinder […]”" in text
    assert f"  ! {WITHDRAWN_MESSAGE}" in text

    data = member_client.get(reverse("casefiles:api_case", args=[case.pk])).json()
    cited = data["notes"][0]["citations"]
    assert [c["quote"] for c in cited] == ["børn og kvinder"]
    assert cited[0]["problems"] == [WITHDRAWN_MESSAGE]


def test_new_citation_of_a_withdrawn_bilag_is_refused(note, passage, bilag, member):
    library_services.bilag_withdraw(bilag=bilag, reason=REASON, on=WITHDRAWN_ON)
    passage.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.citation_create(note=note, passage=passage, user=member, start=30, end=45)
    assert exc.value.messages == [
        f"Bilag 863 was withdrawn on 2026-01-15 and cannot be cited: {REASON}"
    ]
    assert not Citation.objects.exists()


def test_cite_view_refuses_a_withdrawn_bilag_and_keeps_nothing(
    member_client, case, note, passage, bilag
):
    library_services.bilag_withdraw(bilag=bilag, reason=REASON, on=WITHDRAWN_ON)
    response = member_client.get(CITE, {"bilag": 863, "ordinal": 1})
    assert f"Withdrawn on Jan. 15, 2026. {REASON}" in response.content.decode()

    audit_before = AuditEntry.objects.count()
    response = cite_post(member_client, passage, f"note:{note.pk}", 30, 45)
    assert response.status_code == 400
    message = f"Bilag 863 was withdrawn on 2026-01-15 and cannot be cited: {REASON}"
    assert response.context["error"] == message
    assert message in response.content.decode()

    response = cite_post(member_client, passage, f"new:{case.pk}", 30, 45, new_note="Ny note")
    assert response.status_code == 400
    assert not Citation.objects.exists()
    assert list(Note.objects.values_list("body", flat=True)) == ["Kampene ramte civile."]
    assert AuditEntry.objects.count() == audit_before


def test_metadata_edit_warns_and_snapshot_keeps_old_title(member_client, case, citation, bilag):
    old_title = bilag.title
    old_publisher = bilag.publisher.name
    library_services.bilag_update(bilag=bilag, title="Rettet titel", publisher="Ny Kilde")
    citation.refresh_from_db()
    assert citation.title == old_title
    assert citation.publisher == old_publisher
    message = (
        f"Publisher changed from “{old_publisher}” to “Ny Kilde”; "
        f"title changed from “{old_title}” to “Rettet titel”."
    )
    assert [str(p) for p in citation.problems()] == [message]

    html = member_client.get(case.get_absolute_url()).content.decode()
    assert escape(message) in html
    # The case page shows the reference as it is now, and as it was cited.
    assert "<cite>Rettet titel</cite>" in html
    assert f"As cited: {old_publisher}, “{old_title}”" in html

    html = member_client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()
    assert escape(message) in html
    assert "<dd>Rettet titel</dd>" in html  # the reference block is the bilag as it is now
    assert f"As cited: {old_publisher}, “{old_title}”" in html

    data = member_client.get(reverse("casefiles:api_case", args=[case.pk])).json()
    cited = data["notes"][0]["citations"][0]
    assert cited["reference"]["title"] == old_title
    assert cited["problems"] == [message]


def test_title_only_change_names_only_the_title(citation, bilag):
    old_title = bilag.title
    library_services.bilag_update(bilag=bilag, title="Kun titlen er ny")
    citation.refresh_from_db()
    assert [str(p) for p in citation.problems()] == [
        f"Title changed from “{old_title}” to “Kun titlen er ny”."
    ]


def test_quote_that_no_longer_matches_is_flagged(member_client, case, citation, passage):
    Passage.objects.filter(pk=passage.pk).update(text="Teksten er rettet og passer ikke længere.")
    citation.refresh_from_db()
    assert [str(p) for p in citation.problems()] == [
        "The quoted text no longer matches the passage."
    ]
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert "The quoted text no longer matches the passage." in html
    assert "<q>børn og kvinder</q>" in html  # the quote as cited is still shown
    html = member_client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()
    assert "no longer matches" in html


def test_unchanged_citation_has_no_warning(member_client, case, citation):
    assert citation.problems() == []
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert "Check this citation:" not in html
    assert 'class="citation"' in html


# --- a cited bilag can never be deleted ---------------------------------------------


def test_cited_bilag_and_passage_cannot_be_deleted(citation, bilag, passage):
    with pytest.raises(ValidationError):
        bilag.delete()
    with pytest.raises(ValidationError):
        Bilag.objects.filter(pk=bilag.pk).delete()
    with pytest.raises(ValidationError):
        Passage.objects.filter(pk=passage.pk).delete()
    with pytest.raises(ProtectedError):
        passage.delete()
    collector = Collector(using=router.db_for_write(Passage))
    with pytest.raises(ProtectedError) as exc:
        collector.collect([passage])
    assert citation in set(exc.value.protected_objects)
    with pytest.raises(ProtectedError):
        Collector(using=router.db_for_write(Bilag)).collect([bilag])
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert Passage.objects.filter(pk=passage.pk).exists()
    assert Bilag.objects.filter(pk=bilag.pk).exists()


def test_removed_citation_still_protects_its_passage(citation, passage, member):
    services.citation_remove(citation=citation, user=member)
    with pytest.raises(ProtectedError):
        passage.delete()
    assert Citation.objects.filter(pk=citation.pk).exists()


# --- soft removal ---------------------------------------------------------------------


def test_citation_removal_is_soft(member_client, case, citation, member):
    url = reverse("casefiles:citation_remove", args=[case.pk, citation.pk])
    response = member_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#note-{citation.note_id}"
    row = Citation.objects.get(pk=citation.pk)
    assert row.removed_at is not None
    assert row.removed_by == member
    assert row.quote == "børn og kvinder"
    assert list(Citation.objects.active()) == []

    html = member_client.get(case.get_absolute_url()).content.decode()
    assert f'id="citation-{citation.pk}"' not in html
    # Only the undo line names it now, with the way back.
    assert html.count("børn og kvinder") == 1
    assert reverse("casefiles:citation_restore", args=[case.pk, citation.pk]) in html
    html = member_client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()
    assert "børn og kvinder" not in html
    assert "This case has no citations yet." in html
    text = member_client.get(reverse("casefiles:sheet_text", args=[case.pk])).content.decode()
    assert "børn og kvinder" not in text
    data = member_client.get(reverse("casefiles:api_case", args=[case.pk])).json()
    assert data["notes"][0]["citations"] == []


def test_citation_removal_twice_keeps_the_first_removal(citation, member, outsider, case):
    services.citation_remove(citation=citation, user=member)
    first = Citation.objects.get(pk=citation.pk).removed_at
    case.members.add(outsider)
    services.citation_remove(citation=Citation.objects.get(pk=citation.pk), user=outsider)
    row = Citation.objects.get(pk=citation.pk)
    assert (row.removed_at, row.removed_by) == (first, member)


def test_removal_needs_get_refused_and_other_case_404(member_client, case, citation, member):
    url = reverse("casefiles:citation_remove", args=[case.pk, citation.pk])
    asked = member_client.get(url)  # asks once, shows the excerpt, changes nothing
    assert asked.status_code == 200
    assert "Remove the citation?" in asked.content.decode()
    assert Citation.objects.get(pk=citation.pk).removed_at is None
    other = services.case_create(user=member, reference="2026-0099", title="Anden", country="IQ")
    wrong = reverse("casefiles:citation_remove", args=[other.pk, citation.pk])
    assert member_client.post(wrong).status_code == 404
    assert Citation.objects.get(pk=citation.pk).removed_at is None


def test_outsider_cannot_cite_into_someone_elses_note(client, outsider, note, passage):
    client.force_login(outsider)
    response = cite_post(client, passage, f"note:{note.pk}", 30, 45)
    assert response.status_code == 404
    response = cite_post(client, passage, f"new:{note.case_id}", 30, 45, new_note="Ind")
    assert response.status_code == 404
    assert not Citation.objects.exists()
    assert Note.objects.count() == 1


# --- the context shown around a quote: "[…]" only where the passage goes on -----------


def _context_html(member_client, case, citation) -> str:
    html = member_client.get(reverse("casefiles:case_detail", args=[case.pk])).content.decode()
    figure = html.split(f'id="citation-{citation.pk}"', 1)[1].split("</blockquote>", 1)[0]
    return figure.split('<blockquote class="quote">', 1)[1]


def test_context_cut_from_a_long_passage_is_marked_on_both_sides(member_client, case, note, member):
    text = "Indledning " * 10 + "Lejren blev beskudt om natten." + " Afslutning" * 10
    passage = bilag_with(text, 9001).passages.get(ordinal=1)
    start = text.index("Lejren")
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + len("Lejren blev")
    )

    shown = _context_html(member_client, case, citation)

    assert citation.context_cut_before and citation.context_cut_after
    # Stored: 32 characters either side, cut inside a word; shown from whole words.
    assert citation.before == "ndledning Indledning Indledning "
    assert shown.startswith(
        '<span class="context"><span class="cut">[…]</span> Indledning Indledning </span>'
    )
    assert citation.after == " beskudt om natten. Afslutning A"
    assert shown.endswith(' beskudt om natten. Afslutning <span class="cut">[…]</span></span>')


def test_context_reaching_the_passage_edges_has_no_ellipsis(member_client, case, citation):
    # PASSAGE_TEXT is 64 characters; "børn og kvinder" has fewer than 32 on either side.
    shown = _context_html(member_client, case, citation)

    assert not citation.context_cut_before and not citation.context_cut_after
    assert shown == (
        '<span class="context">Flygtningelejren ved Baghouz: </span><q>børn og kvinder</q>'
        '<span class="context"> får ikke nok vand.</span>'
    )


def test_save_and_go_on_reading_returns_to_the_passage(member_client, case, note, passage):
    response = cite_post(member_client, passage, f"note:{note.pk}", 0, 5, then="bilag")

    assert response.status_code == 302
    assert response["Location"] == f"/bilag/{passage.bilag.number}/#p{passage.ordinal}"
    assert Citation.objects.filter(note=note).count() == 1
    page = member_client.get(response["Location"]).content.decode()
    assert (
        f"Cited bilag {passage.bilag.number}, afsnit {passage.ordinal} in {case.reference}." in page
    )


# --- found in review ------------------------------------------------------------------


def test_cite_cannot_create_a_note_without_the_note_permission(client, case, note, passage):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="citeonly")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_case", "add_citation"])
    )
    case.members.add(user)
    client.force_login(user)

    page = client.get(CITE, {"bilag": passage.bilag.number, "ordinal": passage.ordinal})
    response = cite_post(client, passage, f"new:{case.pk}", 0, 5, new_note="Sneaked in.")
    allowed = cite_post(client, passage, f"note:{note.pk}", 0, 5)

    assert f'value="new:{case.pk}"' not in page.content.decode()
    assert f'value="note:{note.pk}"' in page.content.decode()
    assert response.status_code == 404
    assert not Note.objects.filter(body="Sneaked in.").exists()
    assert allowed.status_code == 302  # citing in an existing note is what it may do


def test_a_refused_citation_says_why_once_and_keeps_the_excerpt(member_client, note, db):
    bilag = BilagFactory(
        number=9100, language="da", full_text="Accepter cookies\n\nIndholdet om lejren."
    )
    boilerplate = bilag.passages.get(ordinal=1)
    Passage.objects.filter(pk=boilerplate.pk).update(boilerplate=True, boilerplate_kind="cookie")
    boilerplate.refresh_from_db()

    response = cite_post(member_client, boilerplate, f"note:{note.pk}", 0, 8, comment="Min.")

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Boilerplate cannot be cited.") == 1
    assert response.context["quote"] == "Accepter"
    assert "Min." in html  # the comment typed is kept
    assert not Citation.objects.exists()


def test_removing_a_citation_changes_the_case_last_changed(case, citation, member):
    from casefiles.models import Case

    before = Case.objects.get(pk=case.pk).updated_at
    services.citation_remove(citation=citation, user=member)
    assert Case.objects.get(pk=case.pk).updated_at > before


def test_search_snippets_say_where_they_start_and_whether_they_are_cut(member_client, db):
    long_text = "Lejren " + "ligger ved floden og " * 30 + "slutter her…"
    long = bilag_with(long_text, 9200).passages.get(ordinal=1)
    short = bilag_with("Lejren er lille…", 9201).passages.get(ordinal=1)

    html = member_client.get("/", {"q": "lejren"}).content.decode()

    def attrs(passage):
        found = re.search(
            rf'<p class="snippet" data-bilag="{passage.bilag.number}" '
            rf'data-ordinal="1" data-offset="(\d+)" data-lead="(\d)" data-trail="(\d)">',
            html,
        )
        assert found, passage.bilag.number
        return found.groups()

    # The long passage's snippet starts at its first word and is cut before its end; the
    # short one is whole, so its own trailing "…" is text to cite, not a cut.
    assert attrs(long) == ("0", "0", "1")
    assert attrs(short) == ("0", "0", "0")
