"""The one vocabulary of the generated corpora (bench/corpus.py and bench/searchcorpus).

words.py holds the countries, places, publishers, names, groups and ranked word lists;
sentences.py the sentence templates, headlines and boilerplate. Both are re-exported
here: `from bench import vocabulary` then `vocabulary.COUNTRIES`.
"""

from bench.vocabulary.sentences import BOILERPLATE, HEADLINES, INGEST_TEMPLATES, TEMPLATES
from bench.vocabulary.words import (
    CAMPS,
    COMMON,
    COMPOUND_HEADS,
    COMPOUND_TAILS,
    COUNTRIES,
    FIRST_NAMES,
    GROUPS,
    INGEST_PLACES,
    INGEST_PUBLISHERS,
    LANGUAGES,
    LAST_NAMES,
    MONTHS,
    PEOPLE,
    PUBLISHERS,
    RARE_REAL,
    SOURCES,
    SYLLABLES,
    Country,
)

__all__ = [
    "BOILERPLATE",
    "CAMPS",
    "COMMON",
    "COMPOUND_HEADS",
    "COMPOUND_TAILS",
    "COUNTRIES",
    "FIRST_NAMES",
    "GROUPS",
    "HEADLINES",
    "INGEST_PLACES",
    "INGEST_PUBLISHERS",
    "INGEST_TEMPLATES",
    "LANGUAGES",
    "LAST_NAMES",
    "MONTHS",
    "PEOPLE",
    "PUBLISHERS",
    "RARE_REAL",
    "SOURCES",
    "SYLLABLES",
    "TEMPLATES",
    "Country",
]
