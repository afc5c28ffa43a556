"""Each language's words for the search corpus: ranked vocabulary, stop words, seed sentences.

A `Language` holds what the generator draws from for one language: the shared tables of
bench/vocabulary, the seed texts' sentences, PostgreSQL's stop word list, and a ranked
content vocabulary (common words, the seeds' words by frequency, then a shuffled tail
of compounds, names and village names, with the rare real words placed far down) with
its Zipf-Mandelbrot cumulative weights.
"""

import random
import re
import string
from pathlib import Path

from bench import vocabulary
from library.languages import config_for

ROOT = Path(__file__).resolve().parent.parent.parent
ZIPF_EXPONENT = 1.05
ZIPF_OFFSET = 8  # flattens the head: the commonest content word is in about half the passages


def seed_sentences() -> dict[str, list[str]]:
    """Sentences of the seed texts, by language (000 Danish, 001-003 Norwegian, 004 English)."""
    by_file = {"000": "da", "001": "nb", "002": "nb", "003": "nb", "004": "en"}
    found: dict[str, list[str]] = {language: [] for language in vocabulary.LANGUAGES}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        language = by_file.get(path.name[:3])
        if not language:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.replace("\t", " ").split())
            if line.startswith("date "):
                line = line[len("date 2019-02 ") :]
            if len(line) < 60 or ":" in line[:25]:  # menus, headers, captions, datelines
                continue
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–\-\"«])", line):
                if len(sentence) >= 40 and "\\" not in sentence:
                    found[language].append(sentence)
    return found


def stopwords(language: str) -> list[str]:
    """PostgreSQL's stop words for the language, in the file's order (their rank)."""
    path = ROOT / "library" / "search" / "stopwords" / f"{config_for(language)}.stop"
    return [w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip()]


def zipf_cumulative(size: int, exponent: float, offset: float = 0.0) -> list[float]:
    """Cumulative Zipf(-Mandelbrot) weights: rank r has weight (r + offset) ** -exponent."""
    total, out = 0.0, []
    for rank in range(1, size + 1):
        total += (rank + offset) ** -exponent
        out.append(total)
    return out


def compile_template(template: str) -> tuple[str, tuple[str, ...]]:
    """A template and its slot names, each once, in order of appearance."""
    fields = tuple(dict.fromkeys(f for _t, f, _s, _c in string.Formatter().parse(template) if f))
    return template, fields


class Language:
    """Everything one language needs to write sentences, built once from the seed rng."""

    def __init__(self, code: str, rng: random.Random, seeds: list[str], villages: list[str]):
        self.code = code
        self.months = vocabulary.MONTHS[code].split()
        self.people = vocabulary.PEOPLE[code]
        self.groups = vocabulary.GROUPS[code]
        self.sources = vocabulary.SOURCES[code]
        self.seeds = seeds
        self.templates = [compile_template(t) for t in vocabulary.TEMPLATES[code]]
        self.headlines = [compile_template(t) for t in vocabulary.HEADLINES[code]]
        self.boilerplate = vocabulary.BOILERPLATE[code]
        self.villages = villages
        self.thousands = "," if code == "en" else "."

        self.stopwords = stopwords(code)
        self.stop_cum = zipf_cumulative(len(self.stopwords), 1.0)
        self.vocabulary = ranked_vocabulary(code, rng, seeds, villages, set(self.stopwords))
        self.cumulative = zipf_cumulative(len(self.vocabulary), ZIPF_EXPONENT, ZIPF_OFFSET)
        self.tail_start = min(400, len(self.vocabulary) - 1)


def ranked_vocabulary(
    code: str, rng: random.Random, seeds: list[str], villages: list[str], stopset: set[str]
) -> list[str]:
    """Content words, most frequent first: common words, the seeds' words by frequency,
    then a shuffled tail of compounds / names and villages, with the rare real words
    placed far down (one every 450 ranks from rank 2,500)."""
    ranked: list[str] = []
    seen: set[str] = set()
    rare_real = set(vocabulary.RARE_REAL[code])

    def add(word: str) -> None:
        key = word.lower()
        if key not in seen and key not in stopset and key not in rare_real:
            seen.add(key)
            ranked.append(word)

    for word in vocabulary.COMMON[code].split():
        add(word)
    counts: dict[str, int] = {}
    for sentence in seeds:
        for word in re.findall(r"[^\W\d_][\w-]*", sentence):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    for word, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if len(word) > 2:
            add(word)
    tail = _tail(code) + villages
    rng.shuffle(tail)
    for word in tail:
        add(word)
    for index, word in enumerate(vocabulary.RARE_REAL[code]):
        ranked.insert(min(len(ranked), 2_500 + 450 * index), word)
    return ranked


def _tail(code: str) -> list[str]:
    """The long tail: Danish / Norwegian compounds, or English names and made-up words."""
    if code in vocabulary.COMPOUND_HEADS:
        heads, tails = vocabulary.COMPOUND_HEADS[code], vocabulary.COMPOUND_TAILS[code]
        return [h + t for h in heads for t in tails] + [
            a + b + t for a in heads[:24] for b in heads[24:] for t in tails[:12]
        ]
    syllables = vocabulary.SYLLABLES
    return [f"{a}-{b}" for a in vocabulary.FIRST_NAMES for b in vocabulary.LAST_NAMES] + [
        a + b + c for a in syllables for b in syllables[:30] for c in syllables[:8]
    ]
