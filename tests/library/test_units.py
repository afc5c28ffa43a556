"""Unit tests: dates, countries, language detection, passage splitting, header parsing."""

import datetime as dt

import pytest

from library.countries import country_code, country_name
from library.dates import (
    DAY,
    MONTH,
    YEAR,
    DateError,
    PartialDate,
    format_partial_date,
    parse_partial_date,
)
from library.ingest.language import detect_language
from library.ingest.passages import classify, split_passages
from library.ingest.shapes import Found, HeaderError, headline, parse_text

# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        # Danish, as the board writes them
        ("11. september 2018", dt.date(2018, 9, 11), DAY),
        ("11. oktober 2018", dt.date(2018, 10, 11), DAY),
        ("1. okt. 2018", dt.date(2018, 10, 1), DAY),
        ("februar 2019", dt.date(2019, 2, 1), MONTH),
        ("Marts 2019", dt.date(2019, 3, 1), MONTH),
        ("maj 2019", dt.date(2019, 5, 1), MONTH),
        # Norwegian
        ("17. mai 2019", dt.date(2019, 5, 17), DAY),
        ("3. desember 2018", dt.date(2018, 12, 3), DAY),
        ("mars 2019", dt.date(2019, 3, 1), MONTH),
        ("10.02.19 20:59", dt.date(2019, 2, 10), DAY),
        ("10.02.2019", dt.date(2019, 2, 10), DAY),
        ("5.3.19", dt.date(2019, 3, 5), DAY),
        # English
        ("11 September 2018", dt.date(2018, 9, 11), DAY),
        ("11 Sep 2018", dt.date(2018, 9, 11), DAY),
        ("September 11, 2018", dt.date(2018, 9, 11), DAY),
        ("Sept. 11, 2018", dt.date(2018, 9, 11), DAY),
        # ISO, with the precision the writer gave
        ("2018-09-11", dt.date(2018, 9, 11), DAY),
        ("2019-2-5", dt.date(2019, 2, 5), DAY),
        ("2019-02", dt.date(2019, 2, 1), MONTH),
        ("2019", dt.date(2019, 1, 1), YEAR),
        ("  29.  februar   2020 ", dt.date(2020, 2, 29), DAY),
    ],
)
def test_parse_partial_date_reads_written_forms(raw, value, precision):
    assert parse_partial_date(raw) == PartialDate(value, precision)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31. februar 2019", "'31. februar 2019' is not a valid date: February 2019 has 28 days"),
        ("29. februar 2019", "'29. februar 2019' is not a valid date: February 2019 has 28 days"),
        ("31. april 2019", "'31. april 2019' is not a valid date: April 2019 has 30 days"),
        ("2019-02-30", "'2019-02-30' is not a valid date: February 2019 has 28 days"),
        ("32.01.2019", "'32.01.2019' is not a valid date: January 2019 has 31 days"),
        ("2019-13", "'2019-13' is not a valid date: there is no month 13"),
        ("10.13.19", "'10.13.19' is not a valid date: there is no month 13"),
        ("2019-00", "'2019-00' is not a valid date: there is no month 0"),
        ("2019-00-05", "'2019-00-05' is not a valid date: there is no month 0"),
        ("", "the date is empty"),
        ("   ", "the date is empty"),
        (
            "next tuesday",
            "'next tuesday' is not a date Baggrund can read "
            "(use 2019-02-10, 2019-02, 2019 or '10. februar 2019')",
        ),
        (
            "1 2 2019",
            "'1 2 2019' is not a date Baggrund can read "
            "(use 2019-02-10, 2019-02, 2019 or '10. februar 2019')",
        ),
    ],
)
def test_parse_partial_date_refuses_impossible_or_unreadable(raw, message):
    with pytest.raises(DateError) as error:
        parse_partial_date(raw)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("10.02.19", 2019),
        ("10.02.00", 2000),
        ("10.02.20", 2020),  # next year is still this century
        ("10.02.21", 1921),  # two years ahead is taken as the last century
        ("10.02.99", 1999),
    ],
)
def test_parse_partial_date_two_digit_years(raw, year):
    assert parse_partial_date(raw, today=dt.date(2019, 6, 1)) == PartialDate(
        dt.date(year, 2, 10), DAY
    )


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (PartialDate(dt.date(2018, 9, 11), DAY), "2018-09-11"),
        (PartialDate(dt.date(2019, 2, 1), MONTH), "2019-02"),
        (PartialDate(dt.date(2019, 1, 1), YEAR), "2019"),
    ],
)
def test_partial_date_iso_keeps_precision(date, iso):
    assert date.iso() == iso


def test_partial_date_contains_by_precision():
    february = PartialDate(dt.date(2019, 2, 1), MONTH)
    year = PartialDate(dt.date(2019, 1, 1), YEAR)
    day = PartialDate(dt.date(2019, 2, 10), DAY)

    assert february.contains(day) is True
    assert february.contains(PartialDate(dt.date(2019, 3, 1), DAY)) is False
    assert year.contains(day) is True
    assert year.contains(PartialDate(dt.date(2020, 2, 10), DAY)) is False
    assert day.contains(PartialDate(dt.date(2019, 2, 10), DAY)) is True
    assert day.contains(february) is False


@pytest.mark.parametrize(
    ("precision", "language", "text"),
    [
        (DAY, "da", "11. september 2018"),
        (DAY, "en", "11 September 2018"),
        (MONTH, "da", "september 2018"),
        (MONTH, "en", "September 2018"),
        (YEAR, "da", "2018"),
    ],
)
def test_format_partial_date_by_precision_and_language(precision, language, text):
    assert format_partial_date(dt.date(2018, 9, 11), precision, language) == text


# --- countries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Syrien", "SY"),
        ("Syria", "SY"),
        ("SY", "SY"),
        ("sy", "SY"),
        (" syrien ", "SY"),
        ("Syrien.", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Irak", "IQ"),
        ("Iraq", "IQ"),
        ("Afghanistan", "AF"),
        ("Eritrea", "ER"),
        ("Rusland", "RU"),
        ("Russland", "RU"),
        ("Tyrkiet", "TR"),
        ("Tyrkia", "TR"),
        ("Turkey", "TR"),  # the English name in sources before CLDR's "Türkiye"
    ],
)
def test_country_code_from_names_and_codes(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["Atlantis", "", "   ", "XX", "EU", "ZZ", "Syr"])
def test_country_code_unknown_is_none(text):
    assert country_code(text) is None


def test_country_name_in_ui_language():
    assert country_name("SY", "da") == "Syrien"
    assert country_name("SY", "en") == "Syria"
    assert country_name("XX", "da") == "XX"


# --- language ------------------------------------------------------------------------

DANISH = (
    "Kvinderne og børnene i lejren siger, at de ikke har fået rent vand siden december. "
    "Ifølge Røde Kors er flere af dem syge, og lægerne kan kun behandle de alvorligste "
    "tilfælde."
)
NORWEGIAN = (
    "Kvinnene og barna i leiren sier at de ikke har fått rent vann siden desember. "
    "Ifølge Røde Kors er flere av dem syke, og legene kan bare behandle de alvorligste "
    "tilfellene."
)
ENGLISH = (
    "Women and children in the camp say they have had no clean water since December. "
    "According to the Red Cross, several of them are ill, and doctors can only treat the "
    "most serious cases."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (DANISH, "da"),
        (NORWEGIAN, "nb"),
        (ENGLISH, "en"),
        (
            "Flygtningene fortæller, at de blev holdt tilbage af soldaterne i flere uger "
            "efter angrebet på byen.",
            "da",
        ),
        (
            "Flyktningene forteller at de ble holdt tilbake av soldatene i flere uker etter "
            "angrepet på byen.",
            "nb",
        ),
        (
            "The refugees say they were held back by soldiers for several weeks after the "
            "attack on the town.",
            "en",
        ),
    ],
)
def test_detect_language_short_paragraphs(text, language):
    assert detect_language(text) == language


def test_detect_language_norwegian_with_the_word_for_is_not_english():
    # Seed 003, paragraph 5: plain Bokmål. "for" is as Norwegian as it is English.
    text = (
        "SDF har under evakueringen tatt flere pauser i det som omtales som den siste "
        "militæroffensiven for å nedkjempe IS-krigerne, men søndag ble kampene på "
        "landsbygda gjenopptatt for fullt. Tiden for å overgi seg er over, het det fra SDF."
    )

    assert detect_language(text) == "nb"


def test_detect_language_danish_with_der_and_for_is_danish():
    # Seed 000, paragraph 5: "der" and "for" are everyday Danish, not German or English.
    text = (
        "- Der er for øjeblikket kampe i gang. Der blev udkæmpet hårde kampe i morges, hvor "
        "landminer eksploderede, siger Rami Abdel Rahman, der leder observationsgruppen Det "
        "Syriske Observatorium for Menneskerettigheder (Sohr)."
    )

    assert detect_language(text) == "da"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Syria, 2019.",
        "Myndighederne har anholdt tre mænd i Aarhus.",  # one sentence, no telltale word
    ],
)
def test_detect_language_says_und_when_text_says_too_little(text):
    assert detect_language(text) == "und"


# --- passages: classify --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Let us know you agree to cookies", "cookie"),
        ("Vi bruger cookies for at forbedre din oplevelse på siden.", "cookie"),
        ("Yes, I agree", "cookie"),
        ("Godta alle", "cookie"),
        ("Home\tNews\tSport\tWeather\tShop", "menu"),
        ("Share this story About sharing", "share"),
        ("Del på Facebook", "share"),
        ("Del artikkelen", "share"),
        ("Del artiklen", "share"),
        ("Print this page", "share"),
        ("arrow-left", "share"),
        (
            "I KAMP: Dette bildet, som er distribuert av IS selv, viser angivelig at de yter "
            "motstand i Deir al-Zor-provinsen. Foto: AP / NTB scanpix",
            "caption",
        ),
        ("FLYKTNINGER: Kvinner og barn på flukt fra IS-området ved Al-Bagouz.", "caption"),
        ("Foto: AP / NTB scanpix", "caption"),
        ("Photo: Reuters", "caption"),
        pytest.param(
            "Image copyright Getty Images\nImage caption The SDF says the fight for Hajin "
            "will be difficult",
            "caption",
            id="bbc-image-copyright-caption",
        ),
        ("REUTERS TV", "credit"),
        ("UNHCR", "credit"),
        ("AL", "fragment"),
        ("…", "fragment"),
        ("11 September 2018", "dateline"),
        ("10. februar 2019", "dateline"),
        ("Publisert: 10.02.19 20:59", "dateline"),
        ("Oppdatert: 11.02.19 08:12", "dateline"),
        ("September 11, 2018", "dateline"),
        (
            "- IS 'releases new audio' of leader Baghdadi\n"
            "- Up to 30,000 IS fighters in Syria and Iraq",
            "links",
        ),
    ],
)
def test_classify_boilerplate_kinds(text, kind):
    assert classify(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Blodig krig", id="subheading"),
        pytest.param("Kurdiske krigere", id="subheading-2"),
        pytest.param("IS anser seg ikke som slått", id="subheading-3"),
        pytest.param("– Målet var å terrorisere IS-krigerne", id="quote-as-subheading"),
        pytest.param(
            "– Det er ingen sivile dødsfall forbundet med de aktuelle luftangrepene, sier han "
            "til nyhetsbyrået AFP.",
            id="quote-en-dash",
        ),
        pytest.param(
            "- Op mod 600 jihadister kan være i området - de fleste af dem udlændinge, siger "
            "SDF-talsmand Mustafa Bali.",
            id="quote-hyphen",
        ),
        pytest.param(
            "- Op mod 600 jihadister kan være i området.\n- Resten er flygtet mod syd.",
            id="dash-lines-that-are-sentences",
        ),
        pytest.param(
            "Fotografen Ahmad Said blev anholdt i Damaskus i 2017 for at have taget billeder "
            "af demonstrationer.",
            id="word-starting-with-foto",
        ),
        pytest.param(
            "Ifølge Landinfo bliver mange unge kvinder i området gift uden deres samtykke, og "
            "myndighederne griber sjældent ind.",
            id="consent-samtykke-in-content",
        ),
        pytest.param("I 2018 blev 37 personer dræbt.", id="short-sentence-with-year"),
    ],
)
def test_classify_content_that_looks_like_boilerplate(text):
    assert classify(text) == ""


# --- passages: split_passages --------------------------------------------------------


def test_split_passages_offsets_are_exact_slices():
    text = "  Første afsnit.\nSamme afsnit.\n\n\n\tAndet afsnit.  \n \nTredje."

    drafts = split_passages(text)

    assert [(d.ordinal, d.text) for d in drafts] == [
        (1, "Første afsnit.\nSamme afsnit."),
        (2, "Andet afsnit."),
        (3, "Tredje."),
    ]
    assert [text[d.start : d.end] for d in drafts] == [d.text for d in drafts]


def test_split_passages_from_start_offset():
    text = " date 2019-02 Overskrift her.\n\nBrødtekst."

    drafts = split_passages(text, start=14)

    assert [(d.start, d.end, d.text) for d in drafts] == [
        (14, 29, "Overskrift her."),
        (31, 41, "Brødtekst."),
    ]


def test_split_passages_footer_heading_flags_the_rest():
    text = (
        "The SDF launched an offensive on Monday.\n\n"
        "Related Topics\n\n"
        "Syria\n\n"
        "Share this story About sharing\n\n"
        "Islamic State group: The full story of the rise and fall of the caliphate."
    )

    drafts = split_passages(text)

    assert [d.boilerplate_kind for d in drafts] == ["", "footer", "footer", "share", "footer"]


def test_split_passages_pages_and_hints():
    text = "Page one text.\n\nMenu item\n\nPage two text."
    menu_start = text.index("Menu item")

    drafts = split_passages(
        text,
        page_starts=[0, text.index("Page two")],
        hints=[(menu_start, menu_start + len("Menu item"), "menu")],
    )

    assert [(d.page, d.boilerplate_kind) for d in drafts] == [(1, ""), (1, "menu"), (2, "")]
    assert [d.boilerplate for d in drafts] == [False, True, False]


def test_split_passages_empty_text_has_no_passages():
    assert split_passages(" \n\n\t\n") == []


# --- parsing -------------------------------------------------------------------------

BOARD = (
    "Flygtningenævnets baggrundsmateriale\n\n"
    "Bilagsnr.:\t863\n"
    "Land:\tSyrien\n"
    "Kilde:\tBBC News\n"
    "Titel:\tUS-backed force attacks IS pocket in eastern Syria\n"
    "Udgivet:\t11. september 2018\n"
    "Optaget på baggrundsmaterialet:\t11. oktober 2018\n"
    "\n"
    "Let us know you agree to cookies\n"
)


def test_parse_text_board_header_with_tabs():
    parsed = parse_text(BOARD)

    assert parsed.shape == "board-header"
    assert BOARD[parsed.body_start :].strip() == "Let us know you agree to cookies"
    assert {k: v.value for k, v in parsed.fields.items()} == {
        "number": "863",
        "country": "Syrien",
        "publisher": "BBC News",
        "title": "US-backed force attacks IS pocket in eastern Syria",
        "published": "11. september 2018",
        "intake": "11. oktober 2018",
    }
    assert parsed.fields["published"].origin == "header field 'Udgivet'"


def test_parse_text_board_header_with_spaces():
    text = BOARD.replace(":\t", ":   ")

    parsed = parse_text(text)

    assert parsed.shape == "board-header"
    assert parsed.fields["intake"] == Found(
        "11. oktober 2018", "header field 'Optaget på baggrundsmaterialet'"
    )
    assert parsed.fields["country"].value == "Syrien"
    assert text[parsed.body_start :].strip() == "Let us know you agree to cookies"


def test_parse_text_board_header_without_title_line():
    text = "Bilagsnr.:\t12\nLand:\tIrak\n\nBody text."

    parsed = parse_text(text)

    assert parsed.shape == "board-header"
    assert {k: v.value for k, v in parsed.fields.items()} == {"number": "12", "country": "Irak"}
    assert text[parsed.body_start :].strip() == "Body text."


def test_parse_text_duplicate_header_field_is_refused():
    text = BOARD.replace("Land:\tSyrien\n", "Land:\tSyrien\nLAND:\tIrak\n")

    with pytest.raises(HeaderError) as error:
        parse_text(text)

    assert str(error.value) == "the header gives LAND twice ('Syrien' and 'Irak')"


def test_parse_text_news_shape():
    text = " date 2019-02 Over 37.000 civile er flygtet fra krigszone.\n\nBrødtekst."

    parsed = parse_text(text)

    assert parsed.shape == "news"
    assert text[parsed.body_start :].startswith("Over 37.000 civile")
    assert parsed.fields == {"published": Found("2019-02", "the ' date' line")}


def test_parse_text_publisert_line_is_more_precise_than_date_line():
    text = (
        " date 2019-02 De siste IS-krigerne kjemper til døden\n\n"
        "Publisert: 10.02.19 20:59\n\nBrødtekst."
    )

    parsed = parse_text(text)

    assert parsed.shape == "news"
    assert parsed.fields == {
        "published": Found("10.02.19 20:59", "the text ('Publisert: 10.02.19 20:59')")
    }


def test_parse_text_publisert_inside_a_sentence_is_ignored():
    text = " date 2019-02 Overskrift\n\nArtiklen blev publiceret: 10.02.19 i avisen.\n"

    parsed = parse_text(text)

    assert parsed.fields == {"published": Found("2019-02", "the ' date' line")}


def test_parse_text_plain():
    text = "Just a plain report.\n\nWith: a colon inside."

    parsed = parse_text(text)

    assert (parsed.shape, parsed.body_start, parsed.fields) == ("plain", 0, {})


def test_headline_short_text_flattened():
    assert headline("  Kort \n overskrift  ") == "Kort overskrift"


def test_headline_long_lead_gives_first_sentence():
    lead = (
        "Tusenvis av mennesker, mange av dem kvinner og barn, har de siste ukene flyktet fra "
        "Baghouz, den siste IS-bastionen i Syria. Den foreløpig siste gruppen som har forlatt "
        "området, skal nå gjennomgå en grundig sjekk, opplyser talsmann Adnan Afrin i den "
        "kurderdominerte syriske militsen SDF."
    )

    assert headline(lead) == (
        "Tusenvis av mennesker, mange av dem kvinner og barn, har de siste ukene flyktet fra "
        "Baghouz, den siste IS-bastionen i Syria."
    )


def test_headline_without_sentence_end_is_cut_at_a_word():
    text = "ord " * 80

    result = headline(text)

    assert result == ("ord " * 62).strip() + "…"
