"""The citation as the case page and both sheets give it: "[…]" where a quote or its
context is cut, context cut at whole words, each note once per bilag, the bilag's
current reference with the reference "as cited" after a correction, and a change
warning that names what changed from what to what."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from casefiles import selectors, services
from casefiles.reference import words_after, words_before
from library import services as library_services
from library.models import Bilag
from tests.factories import BilagFactory, PublisherFactory

XSS = "<script>alert(1)</script>"
CUT = "[…]"
# Passage 1 of bilag 9100: long enough that the 32 stored characters of context are cut
# inside a word on both sides of "Lejren blev beskudt".
LONG = (
    "Indledningsvis beskriver rapporterne forholdene grundigt. "
    "Lejren blev beskudt om natten, og indbyggerne flygtede mod grænsen ved floden."
)


def page(client, case) -> str:
    return client.get(reverse("casefiles:case_detail", args=[case.pk])).content.decode()


def sheet(client, case) -> str:
    return client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()


def text(client, case) -> str:
    return client.get(reverse("casefiles:sheet_text", args=[case.pk])).content.decode()


def problems_in_english(citation) -> list[str]:
    with translation.override("en"):
        return [str(problem) for problem in citation.problems()]


def figure(html: str, citation) -> str:
    """The case page's block of one citation."""
    return html.split(f'id="citation-{citation.pk}"', 1)[1].split("</figure>", 1)[0]


def section(html: str, number: int) -> str:
    """The HTML sheet's section of one bilag."""
    return html.split(f'id="bilag-{number}">', 1)[1].split("</section>", 1)[0]


def text_block(body: str, number: int) -> str:
    """The plain-text sheet's block of one bilag (up to the next bilag)."""
    return body.split(f"\nBilag {number}\n", 1)[1].split("\nBilag ", 1)[0]


@pytest.fixture
def danish_client(member):
    """The member in a client of its own, reading the site in Danish."""
    client = Client()
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    return client


@pytest.fixture
def long_citation(note, member):
    bilag = BilagFactory(number=9100, language="da", full_text=LONG + "\n\nSlut.")
    passage = bilag.passages.get(ordinal=1)
    assert passage.text == LONG
    start = LONG.index("Lejren")
    return services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + len("Lejren blev beskudt")
    )


# --- "[…]" where a quote is cut ---------------------------------------------------------


def test_a_cut_quote_is_marked_with_brackets_in_both_sheets(member_client, case, citation):
    html = sheet(member_client, case)
    assert f'<blockquote class="quote">{CUT} børn og kvinder {CUT}</blockquote>' in html
    body = text(member_client, case)
    assert f"Passage 1: “{CUT} børn og kvinder {CUT}”\n" in body
    for output in (html, body):
        assert "…børn" not in output and "kvinder…" not in output


def test_a_quote_of_the_whole_passage_has_no_cut_mark(member_client, case, note, member, passage):
    services.citation_create(
        note=note, passage=passage, user=member, start=0, end=len(passage.text)
    )
    html = sheet(member_client, case)
    assert f'<blockquote class="quote">{passage.text}</blockquote>' in html
    assert CUT not in html
    assert f"“{passage.text}”" in text(member_client, case)


def test_a_quote_cut_on_one_side_is_marked_on_that_side_only(member_client, case, note, member):
    passage = BilagFactory(number=9101, language="da", full_text=LONG).passages.get()
    services.citation_create(note=note, passage=passage, user=member, start=0, end=14)
    html = sheet(member_client, case)
    assert f'<blockquote class="quote">Indledningsvis {CUT}</blockquote>' in html
    assert f"“Indledningsvis {CUT}”" in text(member_client, case)


def test_the_case_page_marks_cut_context_with_brackets(member_client, case, long_citation):
    shown = figure(page(member_client, case), long_citation)
    quote = shown.split('<blockquote class="quote">', 1)[1].split("</blockquote>", 1)[0]
    assert quote == (
        f'<span class="context"><span class="cut">{CUT}</span> forholdene grundigt. </span>'
        "<q>Lejren blev beskudt</q>"
        f'<span class="context"> om natten, og indbyggerne <span class="cut">{CUT}</span></span>'
    )


def test_context_reaching_the_passage_edges_has_no_cut_mark(member_client, case, citation):
    shown = figure(page(member_client, case), citation)
    assert CUT not in shown
    assert '<span class="context">Flygtningelejren ved Baghouz: </span>' in shown


# --- context at word boundaries ----------------------------------------------------------


def test_stored_context_is_cut_inside_words_and_shown_from_whole_words(long_citation):
    # What is stored is exactly 32 characters either side, cut inside a word ...
    assert long_citation.before == "apporterne forholdene grundigt. "
    assert long_citation.after == " om natten, og indbyggerne flygt"
    # ... and what is shown starts and ends at whole words.
    assert long_citation.context_before_words() == "forholdene grundigt. "
    assert long_citation.context_after_words() == " om natten, og indbyggerne"


def test_context_cut_between_words_keeps_the_words_at_its_edges(member_client, case, note, member):
    before = "Alle kilder siger, at lejren nu "
    after = " om natten, og beboerne flygtede"
    assert len(before) == len(after) == 32
    full = "Indledning. " + before + "blev beskudt" + after + " mod floden."
    passage = BilagFactory(number=9102, language="da", full_text=full).passages.get()
    start = full.index("blev beskudt")
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + len("blev beskudt")
    )
    assert (citation.before, citation.after) == (before, after)
    assert citation.context_before_words() == before
    assert citation.context_after_words() == after
    shown = figure(page(member_client, case), citation)
    assert f'<span class="cut">{CUT}</span> {before}</span><q>blev beskudt</q>' in shown
    assert f'{after} <span class="cut">{CUT}</span></span></blockquote>' in shown


@pytest.mark.parametrize(
    ("stored", "cut_mid_word", "shown"),
    [
        ("ndledning om lejren ", True, "om lejren "),
        ("Indledning om lejren ", False, "Indledning om lejren "),
        (" om lejren ", True, "om lejren "),
        ("Langtordudenmellemrum", True, ""),
    ],
)
def test_words_after_a_cut(stored, cut_mid_word, shown):
    assert words_after(stored, cut_mid_word) == shown


@pytest.mark.parametrize(
    ("stored", "cut_mid_word", "shown"),
    [
        (" om natten og beb", True, " om natten og"),
        (" om natten og", False, " om natten og"),
        (" om natten ", True, " om natten"),
        ("Langtordudenmellemrum", True, ""),
    ],
)
def test_words_before_a_cut(stored, cut_mid_word, shown):
    assert words_before(stored, cut_mid_word) == shown


def test_context_of_a_changed_passage_is_still_cut_at_whole_words(long_citation):
    # Without the passage to look at, a context that does not begin or end with a space
    # is taken to be cut inside a word.
    long_citation.passage.text = "Helt anden tekst nu, " * 20
    assert long_citation.context_before_words() == "forholdene grundigt. "
    assert long_citation.context_after_words() == " om natten, og indbyggerne"


# --- each note once per bilag --------------------------------------------------------------


@pytest.fixture
def three_from_one_note(case, note, member, colleague_note):
    """Three excerpts of note 1 and one of note 2 from bilag 9103, cited out of order."""
    bilag = BilagFactory(
        number=9103, language="da", full_text="Første afsnit om vand.\n\nAndet afsnit om mad."
    )
    first, second = bilag.passages.order_by("ordinal")
    for passage, start, end, target in [
        (second, 0, 5, note),
        (first, 0, 6, colleague_note),
        (first, 7, 13, note),
        (first, 0, 6, note),
    ]:
        services.citation_create(note=target, passage=passage, user=member, start=start, end=end)
    return bilag


@pytest.fixture
def colleague_note(case, member):
    return services.note_create(case=case, user=member, body="Anden note om forholdene.")


def test_sheet_groups_excerpts_by_note_in_note_order(
    case, note, colleague_note, three_from_one_note
):
    (group,) = selectors.sheet_groups(case)
    assert [part.note.pk for part in group.notes] == [note.pk, colleague_note.pk]
    assert [part.note.number for part in group.notes] == [1, 2]
    assert [(c.passage_ordinal, c.start) for c in group.notes[0].citations] == [
        (1, 0),
        (1, 7),
        (2, 0),
    ]
    assert [c.quote for c in group.notes[1].citations] == ["Første"]
    assert len(group.citations) == 4


def test_html_sheet_shows_each_note_once_then_its_excerpts(
    member_client, case, three_from_one_note
):
    html = section(sheet(member_client, case), 9103)
    assert html.count("Kampene ramte civile.") == 1
    assert html.count("Anden note om forholdene.") == 1
    notes = html.split('<div class="sheet-note">')[1:]
    assert len(notes) == 2
    assert "<strong>Note 1 (member):</strong> Kampene ramte civile.</p>" in notes[0]
    assert notes[0].count('<li class="excerpt">') == 3
    assert "<strong>Note 2 (member):</strong> Anden note om forholdene.</p>" in notes[1]
    assert notes[1].count('<li class="excerpt">') == 1
    # The note comes before its excerpts, not under each.
    assert notes[0].index("Kampene") < notes[0].index('<li class="excerpt">')


def test_text_sheet_shows_each_note_once_then_its_excerpts(
    member_client, case, three_from_one_note
):
    block = text_block(text(member_client, case), 9103)
    assert block.count("Kampene ramte civile.") == 1
    assert block.count("Anden note om forholdene.") == 1
    assert (
        "  Note 1 (member): Kampene ramte civile.\n"
        f"    Passage 1: “Første {CUT}”\n"
        f"    Passage 1: “{CUT} afsnit {CUT}”\n"
        f"    Passage 2: “Andet {CUT}”\n"
        "\n"
        "  Note 2 (member): Anden note om forholdene.\n"
        f"    Passage 1: “Første {CUT}”\n"
    ) in block


def test_a_note_citing_two_bilag_is_shown_once_in_each(member_client, case, note, member, citation):
    other = BilagFactory(number=9104, language="da", full_text="Et andet bilag.")
    services.citation_create(note=note, passage=other.passages.get(), user=member, start=0, end=2)
    html = sheet(member_client, case)
    assert section(html, 863).count("Kampene ramte civile.") == 1
    assert section(html, 9104).count("Kampene ramte civile.") == 1
    body = text(member_client, case)
    assert text_block(body, 863).count("Kampene ramte civile.") == 1
    assert text_block(body, 9104).count("Kampene ramte civile.") == 1


# --- the reference block after a correction ----------------------------------------------


@pytest.fixture
def corrected(citation, bilag):
    """The cited bilag's reference corrected through the library's service afterwards."""
    old = {
        "publisher": bilag.publisher.name,
        "title": bilag.title,
        "published": citation.published_display("en"),
        "intake": citation.intake_display("en"),
    }
    library_services.bilag_update(
        bilag=bilag,
        title="Syrien: rettet titel",
        publisher="Amnesty International",
        published="2019-02-11",
        intake=dt.date(2019, 3, 2),
    )
    return old


AS_CITED = "As cited: {publisher}, “{title}”, published {published}, intake {intake}."
CURRENT = ("Amnesty International", "Syrien: rettet titel", "11 February 2019", "2 March 2019")


def test_case_page_shows_the_current_reference_and_as_cited(
    member_client, case, citation, corrected
):
    shown = figure(page(member_client, case), citation)
    caption = shown.split('<p class="reference">', 1)[1].split("</p>", 1)[0]
    assert "Bilag 863, passage 1</a>" in caption
    assert "§" not in shown
    assert "· Amnesty International" in caption
    assert "<cite>Syrien: rettet titel</cite>" in caption
    assert "· Published 11 February 2019" in caption
    assert "· Intake 2 March 2019" in caption
    assert corrected["title"] not in caption
    assert f'<p class="as-cited">{escape(AS_CITED.format(**corrected))}</p>' in shown


def test_html_sheet_shows_the_current_reference_and_as_cited(
    member_client, case, citation, corrected
):
    shown = section(sheet(member_client, case), 863)
    for value in CURRENT:
        assert f"<dd>{value}</dd>" in shown
    assert f'<p class="as-cited">{escape(AS_CITED.format(**corrected))}</p>' in shown


def test_text_sheet_shows_the_current_reference_and_as_cited(
    member_client, case, citation, corrected
):
    block = text_block(text(member_client, case), 863)
    assert (
        "Source: Amnesty International\nTitle: Syrien: rettet titel\n"
        "Published: 11 February 2019\nIntake: 2 March 2019\n"
    ) in block
    assert f"      {AS_CITED.format(**corrected)}\n" in block


def test_no_as_cited_while_the_reference_is_unchanged(member_client, case, citation, bilag):
    library_services.bilag_update(bilag=bilag, language="en")  # not part of the reference
    assert citation.reference_changes() == []
    for output in (
        page(member_client, case),
        sheet(member_client, case),
        text(member_client, case),
    ):
        assert "As cited" not in output


def test_no_as_cited_after_a_correction_is_undone(citation, bilag):
    title = bilag.title
    library_services.bilag_update(bilag=bilag, title="Forkert")
    citation.refresh_from_db()
    assert citation.reference_changes() != []
    library_services.bilag_update(bilag=bilag, title=title)
    citation.refresh_from_db()
    assert citation.reference_changes() == []
    assert citation.problems() == []


# --- the warning names what changed from what to what --------------------------------------


def test_warning_names_old_and_new_values(member_client, case, citation, corrected):
    citation.refresh_from_db()
    message = (
        f"Publisher changed from “{corrected['publisher']}” to “Amnesty International”; "
        f"title changed from “{corrected['title']}” to “Syrien: rettet titel”; "
        "publication date changed from February 2019 to 11 February 2019; "
        "intake date changed from 1 March 2019 to 2 March 2019."
    )
    assert problems_in_english(citation) == [message]
    assert escape(message) in figure(page(member_client, case), citation)
    assert escape(message) in section(sheet(member_client, case), 863)
    assert f"      ! {message}\n" in text(member_client, case)


def test_warning_names_only_what_changed(citation, bilag):
    library_services.bilag_update(bilag=bilag, intake=dt.date(2018, 10, 12))
    citation.refresh_from_db()
    assert problems_in_english(citation) == [
        "Intake date changed from 1 March 2019 to 12 October 2018."
    ]


def test_warning_for_a_publisher_added_or_removed(note, member):
    bilag = BilagFactory(number=9105, language="da", publisher=None, full_text="Kort tekst her.")
    citation = services.citation_create(
        note=note, passage=bilag.passages.get(), user=member, start=0, end=4
    )
    library_services.bilag_update(bilag=bilag, publisher="Human Rights Watch")
    citation.refresh_from_db()
    assert problems_in_english(citation) == [
        "Publisher changed from unknown to “Human Rights Watch”."
    ]
    with translation.override("en"):
        assert citation.as_cited().startswith("As cited: unknown publisher, “")


def test_withdrawal_is_dated_in_the_ui_language(
    member_client, danish_client, case, citation, bilag
):
    library_services.bilag_withdraw(bilag=bilag, reason="Erstattet", on=dt.date(2026, 1, 15))
    citation.refresh_from_db()
    assert problems_in_english(citation) == ["Bilag 863 was withdrawn on Jan. 15, 2026: Erstattet"]
    assert "Withdrawn on Jan. 15, 2026. Erstattet" in sheet(member_client, case)
    assert "2026-01-15" not in sheet(member_client, case)
    html = danish_client.get(reverse("casefiles:sheet", args=[case.pk])).content.decode()
    assert "Bilag 863 blev trukket tilbage den 15. januar 2026: Erstattet" in html
    assert "Tilbagetrukket den 15. januar 2026. Erstattet" in html


def test_danish_warning_and_as_cited(danish_client, case, note, member):
    """Passes once the lead has merged /tmp/i18n/sheet.json into the Danish catalogue."""
    bilag = BilagFactory(
        number=9106,
        language="da",
        title="Old",
        publisher=PublisherFactory(name="HRW"),
        published=dt.date(2018, 10, 11),
        published_precision=Bilag.Precision.DAY,
        intake=dt.date(2018, 10, 11),
        full_text="Et afsnit om lejren.",
    )
    citation = services.citation_create(
        note=note, passage=bilag.passages.get(), user=member, start=3, end=9
    )
    library_services.bilag_update(bilag=bilag, title="New", intake=dt.date(2018, 10, 12))
    message = (
        "Titel ændret fra »Old« til »New«; "
        "optagelsesdato ændret fra 11. oktober 2018 til 12. oktober 2018."
    )
    as_cited = "Som citeret: HRW, »Old«, udgivet 11. oktober 2018, optaget 11. oktober 2018."
    html = figure(page(danish_client, case), citation)
    assert escape(message) in html and escape(as_cited) in html
    assert "Bilag 9106, afsnit 1</a>" in html
    html = section(sheet(danish_client, case), 9106)
    assert escape(message) in html and escape(as_cited) in html
    assert f"“{CUT} afsnit {CUT}”" in text(danish_client, case)
    body = text(danish_client, case)
    assert f"! {message}\n" in body and f"{as_cited}\n" in body


# --- escaping -------------------------------------------------------------------------------


def test_quotes_titles_and_warnings_are_escaped(member_client, case, note, member):
    bilag = BilagFactory(
        number=9107,
        language="da",
        title=f"Gammel {XSS}",
        publisher=PublisherFactory(name=f"Kilde {XSS}"),
        full_text=f"Før {XSS} efter og mere tekst.",
    )
    passage = bilag.passages.get()
    start = passage.text.index(XSS)
    citation = services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + len(XSS)
    )
    library_services.bilag_update(bilag=bilag, title=f"Ny {XSS}", publisher=f"Ny kilde {XSS}")
    for html in (page(member_client, case), sheet(member_client, case)):
        assert XSS not in html
        assert "<script>alert" not in html
        assert escape(f"Ny {XSS}") in html
        assert escape(f"“Gammel {XSS}”") in html  # in the warning and in "As cited"
        assert escape(f"Kilde {XSS}") in html
    assert f'<blockquote class="quote">{CUT} {escape(XSS)} {CUT}</blockquote>' in sheet(
        member_client, case
    )
    assert f"<q>{escape(XSS)}</q>" in figure(page(member_client, case), citation)
    body = text(member_client, case)  # plain text: as written, never entity-escaped
    assert f"“{CUT} {XSS} {CUT}”" in body
    assert f"title changed from “Gammel {XSS}” to “Ny {XSS}”" in body
    assert "&lt;" not in body


# --- printing ---------------------------------------------------------------------------------


def test_print_keeps_a_note_with_its_first_excerpt(db):
    css = (settings.BASE_DIR / "static" / "css" / "sheet.css").read_text()
    assert "size: A4;" in css
    print_rules = css.split("@media print", 1)[1]
    assert re.search(r"\.sheet-note \.used-in \{ break-after: avoid-page; \}", print_rules)
    assert ".excerpt { break-inside: avoid-page; }" in print_rules
