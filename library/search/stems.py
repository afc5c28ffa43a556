"""Stop words, the same way PostgreSQL's text search configurations drop them.

The lists are PostgreSQL's own (`tsearch_data/*.stop`), so both databases drop the
same words. Words and stems are library.languages' (one analysis per language).
"""

import functools
from pathlib import Path

from library import languages

_STOPWORD_DIR = Path(__file__).with_name("stopwords")


@functools.cache
def stopwords(config: str) -> frozenset[str]:
    if config == languages.SIMPLE:
        return frozenset()
    lines = (_STOPWORD_DIR / f"{config}.stop").read_text(encoding="utf-8").split()
    return frozenset(word.strip().lower() for word in lines if word.strip())


def stem(word: str, config: str) -> str:
    """The lexeme `config` makes of one lower-case word ('' for a stop word)."""
    word = word.lower()
    if config == languages.SIMPLE:
        return word
    if word in stopwords(config):
        return ""
    return languages.stem_tokens([word], config)[0]


def is_stopword_anywhere(word: str) -> bool:
    """True if any configuration drops the word: it cannot be required of every passage."""
    word = word.lower()
    return any(word in stopwords(config) for config in languages.CONFIGS)
