"""Stop words per language: the words a query drops in that language only.

The lists are PostgreSQL's Snowball lists (`tsearch_data/*.stop`). The index keeps
every word (phrases need them); library.search.compile drops a query word in the
languages whose list holds it.
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


def is_stopword_anywhere(word: str) -> bool:
    """True if some language drops the word (it is searched in the others only)."""
    word = word.lower()
    return any(word in stopwords(config) for config in languages.CONFIGS)
