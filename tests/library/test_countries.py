"""Countries (library.countries): codes from the names and codes sources write, and names
in the interface language."""

import pytest

from library.countries import country_code, country_name


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
