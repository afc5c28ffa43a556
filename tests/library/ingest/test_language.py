"""Language detection (library.ingest.language): Danish, Norwegian Bokmål and English
told apart on short paragraphs, and "und" when the text says too little."""

import pytest

from library.ingest.language import detect_language

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
    ],
)
def test_detect_language_says_und_when_text_says_too_little(text):
    assert detect_language(text) == "und"


def test_a_short_sentence_that_clearly_says_its_language_is_detected():
    # The function-word counts Baggrund used before said "und": no telltale word.
    assert detect_language("Myndighederne har anholdt tre mænd i Aarhus.") == "da"
