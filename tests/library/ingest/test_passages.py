"""Passages (library.ingest.passages): what `classify` calls boilerplate and what it
leaves as content, and `split_passages` with exact offsets, pages and markup hints."""

import pytest

from library.ingest.passages import classify, split_passages


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
