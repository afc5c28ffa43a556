"""Countries: ISO 3166 alpha-2 codes and their names in Danish, Norwegian and English.

Names come from CLDR through Babel, so the whole ISO list is covered in every language
the board reads, without a hand-kept table.
"""

from functools import cache

from babel import Locale
from django.utils.translation import get_language

from library.languages import LANGUAGES, UNDETERMINED

# CLDR territories that are not countries (regions, groupings, "unknown").
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}
# Country names are recognised in every language the library holds.
_NAME_LOCALES = tuple(lang.code for lang in LANGUAGES if lang.code != UNDETERMINED)

# Names seen in source material that CLDR spells differently.
_ALIASES = {
    "syrian arab republic": "SY",
    "den syriske arabiske republik": "SY",
    "kurdistan": "IQ",
    "burma": "MM",
    "palæstina": "PS",
    "palestina": "PS",
    "palestine": "PS",
    "iran (islamic republic of)": "IR",
    "russian federation": "RU",
    "dr congo": "CD",
    "drc": "CD",
    "ivory coast": "CI",
    "elfenbenskysten": "CI",
    "turkey": "TR",  # CLDR now says Türkiye
    "czech republic": "CZ",
    "swaziland": "SZ",
    "macedonia": "MK",
    "cape verde": "CV",
}


@cache
def _territories(locale: str) -> dict[str, str]:
    return {
        code: name
        for code, name in Locale.parse(locale).territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in _NAME_LOCALES:
        for code, name in _territories(locale).items():
            index.setdefault(name.casefold(), code)
    for alias, code in _ALIASES.items():
        index.setdefault(alias, code)
    return index


def country_codes() -> set[str]:
    return set(_territories("en"))


def country_code(value: str) -> str | None:
    """Return the ISO code for a code or a country name in da/nb/en, or None.

    "SY", "sy", "Syrien", "Syria" all give "SY". An unknown name gives None; the caller
    decides how to report it.
    """
    text = " ".join(value.split()).strip().rstrip(".")
    if not text:
        return None
    if len(text) == 2 and text.upper() in country_codes():
        return text.upper()
    return _name_index().get(text.casefold())


def _ui_locale(language: str | None) -> str:
    lang = (language or get_language() or "da").split("-")[0]
    return lang if lang in _NAME_LOCALES else "en"


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the given (or active) UI language; the code if unknown."""
    return _territories(_ui_locale(language)).get(code, code)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the given (or active) UI language."""
    return sorted(_territories(_ui_locale(language)).items(), key=lambda item: item[1])


def held_country_choices(codes) -> list[tuple[str, str]]:
    """(code, name) pairs of the given codes only (those the library holds), by name."""
    names = _territories(_ui_locale(None))
    return sorted(((code, names.get(code, code)) for code in set(codes)), key=lambda i: i[1])
