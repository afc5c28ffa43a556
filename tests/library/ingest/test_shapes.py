"""Text shapes (library.ingest.shapes): the board's header, the news ' date' line and
plain text read by `parse_text`, and the headline taken for a title."""

import pytest

from library.ingest.shapes import Found, HeaderError, headline, parse_text

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
