"""Words, stems and stop words, the same way PostgreSQL's text search configurations see them.

PostgreSQL stems with Snowball inside the database; SQLite has no Danish or Norwegian
stemmer, so the embedded backend and the snippet highlighter stem here with PyStemmer
(the same Snowball algorithms, in C). The stop word lists are PostgreSQL's own
(`tsearch_data/*.stop`), so both databases drop the same words.
"""

import functools
import re
from pathlib import Path

import Stemmer

# Content language (library.models.CONTENT_LANGUAGES) -> text search configuration.
LANGUAGE_CONFIG = {
    "da": "danish",
    "nb": "norwegian",
    "nn": "norwegian",
    "sv": "swedish",
    "en": "english",
    "de": "german",
    "fr": "french",
}
SIMPLE = "simple"
# Every configuration a passage can be indexed with: a query is tried in all of them.
CONFIGS = (*sorted(set(LANGUAGE_CONFIG.values())), SIMPLE)

# Letters and digits, as PostgreSQL's parser and SQLite's unicode61 tokenizer split words.
WORD_RE = re.compile(r"[^\W_]+")

_STOPWORD_DIR = Path(__file__).with_name("stopwords")


def config_for(language: str) -> str:
    return LANGUAGE_CONFIG.get(language, SIMPLE)


@functools.cache
def stopwords(config: str) -> frozenset[str]:
    if config == SIMPLE:
        return frozenset()
    lines = (_STOPWORD_DIR / f"{config}.stop").read_text(encoding="utf-8").split()
    return frozenset(word.strip().lower() for word in lines if word.strip())


@functools.cache
def _stemmer(config: str):
    return Stemmer.Stemmer(config)


def stem(word: str, config: str) -> str:
    """The lexeme `config` makes of one lower-case word ('' for a stop word)."""
    word = word.lower()
    if config == SIMPLE:
        return word
    if word in stopwords(config):
        return ""
    return _stemmer(config).stemWord(word)


def stem_tokens(words: list[str], config: str) -> list[str]:
    """Stems for a list of lower-case words, stop words kept (for positions)."""
    if config == SIMPLE:
        return list(words)
    return _stemmer(config).stemWords(words)


def is_stopword_anywhere(word: str) -> bool:
    """True if any configuration drops the word: it cannot be required of every passage."""
    word = word.lower()
    return any(word in stopwords(config) for config in CONFIGS)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)
