"""The languages of bilag and passages: one table, and each language's word analysis.

Every place that needs a language's label (model choices, filters, forms), its text
search configuration and Snowball stemmer (search, snippets, topic lexicons), the
lexicon a passage is read with, or the ways admins write it ("norsk", "nob") reads this
table. Adding a language is one row here (plus its lexicons and stop word list).

Words and stems are made the way PostgreSQL's text search configurations make them:
PostgreSQL stems with Snowball inside the database; SQLite has no Danish or Norwegian
stemmer, so the embedded backend, the snippet highlighter and the topic lexicons stem
here with PyStemmer (the same Snowball algorithms, in C).
"""

import dataclasses
import functools
import re

import Stemmer
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNDETERMINED = "und"
SIMPLE = "simple"  # the text search configuration that neither stems nor drops words


@dataclasses.dataclass(frozen=True)
class Language:
    code: str  # what Baggrund stores: ISO 639-1 where there is one
    label: Promise | str
    config: str  # PostgreSQL text search configuration = Snowball stemmer name
    # The topic lexicons its passages are read with, its own first (empty: all of them).
    # Nynorsk also reads the Bokmål lexicon: most words are shared, and its own lexicon
    # adds only the forms that differ (leirane, drepne, framandkrigarar).
    lexicons: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other ways an admin writes it, lower-case
    # Languages of one family are easily mistaken for each other (da, nb, nn, sv): an
    # admin's choice among them is not overruled by detection (ingest.language).
    family: str = ""


LANGUAGES = (
    Language("da", _("Danish"), "danish", ("da",), ("dan", "dansk", "danish"), "nordic"),
    Language(
        "nb",
        _("Norwegian Bokmål"),
        "norwegian",
        ("nb",),
        ("no", "nob", "norsk", "norwegian"),
        "nordic",
    ),
    Language("nn", _("Norwegian Nynorsk"), "norwegian", ("nn", "nb"), ("nno", "nynorsk"), "nordic"),
    Language("sv", _("Swedish"), "swedish", ("sv",), ("swe", "svensk", "swedish"), "nordic"),
    Language("en", _("English"), "english", ("en",), ("eng", "engelsk", "english"), "en"),
    Language("de", _("German"), "german", ("de",), ("deu", "ger", "tysk", "german"), "de"),
    Language("fr", _("French"), "french", (), ("fra", "fre", "fransk", "french"), "fr"),
    Language(UNDETERMINED, _("Undetermined"), SIMPLE),
)
BY_CODE = {language.code: language for language in LANGUAGES}

# (code, label) for model fields and forms.
CONTENT_LANGUAGES = [(language.code, language.label) for language in LANGUAGES]
# The languages that have a topic lexicon of their own.
LEXICON_LANGUAGES = tuple(lang.lexicons[0] for lang in LANGUAGES if lang.lexicons)
# Every configuration a passage can be indexed with: a query is tried in all of them.
CONFIGS = (*sorted({lang.config for lang in LANGUAGES} - {SIMPLE}), SIMPLE)

_BY_NAME = {
    name: language.code for language in LANGUAGES for name in (language.code, *language.aliases)
}

# Letters and digits, as PostgreSQL's parser and SQLite's unicode61 tokenizer split words.
WORD_RE = re.compile(r"[^\W_]+")


def language_code(value: str) -> str | None:
    """The stored code for what an admin wrote ("nb", "norsk", "NOB"), or None."""
    return _BY_NAME.get(value.strip().lower())


def label(code: str) -> str:
    """The language's name in the active UI language; the code itself if unknown."""
    language = BY_CODE.get(code)
    return str(language.label) if language else code


def config_for(code: str) -> str:
    """The text search configuration (and stemmer) for a content language."""
    language = BY_CODE.get(code)
    return language.config if language else SIMPLE


def same_family(a: str, b: str) -> bool:
    """Whether two languages are easily mistaken for each other (da, nb, nn, sv)."""
    family = BY_CODE[a].family if a in BY_CODE else ""
    return bool(family) and family == (BY_CODE[b].family if b in BY_CODE else "")


def lexicons_for(code: str) -> tuple[str, ...]:
    """The lexicons a passage in `code` is read with: its own, or every one."""
    language = BY_CODE.get(code)
    return language.lexicons if language and language.lexicons else LEXICON_LANGUAGES


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@functools.cache
def _stemmer(config: str):
    return Stemmer.Stemmer(config)


def stem_tokens(tokens: list[str], config: str) -> list[str]:
    """Stems for a list of lower-case words, stop words kept (for positions)."""
    if config == SIMPLE:
        return list(tokens)
    return _stemmer(config).stemWords(tokens)
