"""What a simulated caseworker types into the search: words, phrases and filters.

Every word comes from the vocabulary the search corpus is written from (bench/vocabulary:
the corpus generator draws from the same tables, so each word is in the corpus), as a
caseworker would type it: mostly one or two words, sometimes a phrase in quotes, a word
in the three languages joined with OR, a place left out, or a prefix. Filters follow the
corpus: the country weighted by how many bilag it has (SY most), a language, a range of
publication years, an intake date, a topic, a sort. Pure Python: Locust imports it.
"""

import random

from bench import vocabulary

GROUPS = ["SDF", "IS", "Taliban", "al-Shabaab", "militsen", "koalitionen", "rebel groups"]
PREFIX_HEADS = {"da": "flygtninge lejr grænse fange", "nb": "flyktning leir grense fange"}


def _common(rng: random.Random, language: str) -> str:
    """A common content word (the head of the ranked list: thousands of hits)."""
    return rng.choice(vocabulary.COMMON[language].split()[:80])


def _place(rng: random.Random) -> str:
    country = rng.choices(vocabulary.COUNTRIES, weights=[c.weight for c in vocabulary.COUNTRIES])[0]
    return rng.choice(country.places)


def _rare(rng: random.Random, language: str) -> str:
    return rng.choice(vocabulary.RARE_REAL[language])


def _phrase(rng: random.Random, language: str) -> str:
    return f'"{rng.choice(vocabulary.PEOPLE[language])}"'


def _or_languages(rng: random.Random) -> str:
    """One word in all three languages: "kolera OR kolera OR cholera" (rare or common)."""
    table = rng.choice([vocabulary.RARE_REAL, vocabulary.COMMON])
    words = {language: table[language].split() for language in vocabulary.LANGUAGES}
    size = min(len(w) for w in words.values())
    at = rng.randrange(min(size, 60))
    return " OR ".join(dict.fromkeys(words[language][at] for language in vocabulary.LANGUAGES))


def _leave_out(rng: random.Random, language: str) -> str:
    return f"{_common(rng, language)} -{_place(rng)}"


def _prefix(rng: random.Random) -> str:
    language = rng.choice(["da", "nb"])
    return rng.choice(PREFIX_HEADS[language].split()) + "*"


def words(rng: random.Random) -> str:
    """A query as a caseworker types it (the kinds weighted as one might guess them)."""
    language = rng.choice(vocabulary.LANGUAGES)
    kinds = [
        (20, lambda: _common(rng, language)),
        (10, lambda: _place(rng)),
        (8, lambda: rng.choice(GROUPS)),
        (10, lambda: _phrase(rng, language)),
        (12, lambda: _rare(rng, language)),
        (15, lambda: f"{_common(rng, language)} {_place(rng)}"),
        (10, lambda: _or_languages(rng)),
        (5, lambda: _leave_out(rng, language)),
        (5, lambda: _prefix(rng)),
        (5, lambda: rng.choice(vocabulary.CAMPS)),
    ]
    make = rng.choices([k for _w, k in kinds], weights=[w for w, _k in kinds])[0]
    return make()


def filters(rng: random.Random, countries: list, topics: list[str]) -> dict[str, str]:
    """At least one filter: the country (weighted by its bilag) most often, then language,
    years published, intake, topic and sort, each now and then."""
    chosen: dict[str, str] = {}
    if rng.random() < 0.85:
        chosen["country"] = rng.choices([c for c, _n in countries], [n for _c, n in countries])[0]
    if rng.random() < 0.25:
        chosen["language"] = rng.choice(vocabulary.LANGUAGES)
    if rng.random() < 0.35:
        first = rng.randint(2010, 2025)
        chosen["published_min"] = f"{first}-01-01"
        chosen["published_max"] = f"{min(2026, first + rng.randint(0, 3))}-12-31"
    if rng.random() < 0.10:
        chosen["intake_min"] = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-01"
    if topics and rng.random() < 0.25:
        chosen["topic"] = rng.choice(topics)
    if rng.random() < 0.10:
        chosen["sort"] = rng.choice(["newest", "oldest", "intake"])
    if not chosen:
        chosen["country"] = countries[0][0]
    return chosen


def find_word(rng: random.Random) -> str:
    """A word for a bilag page's find box (?find=): a common word or a place."""
    if rng.random() < 0.5:
        return _place(rng)
    return _common(rng, rng.choice(vocabulary.LANGUAGES))
