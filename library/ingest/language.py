"""The language of every passage, and of the bilag: what most of its content says.

Detection is Lingua's (lingua-language-detector), restricted to the languages of the
board's table (library.languages: da, nb, nn, sv, en, de, fr), which tells Danish from
Bokmål and Bokmål from Nynorsk on a few sentences (bench/langid_bench.py has the
figures). A passage of fewer than SHORT_WORDS words says too little on its own: it
takes the bilag's language unless Lingua is at least CLEAR sure of another (a quoted
English tweet in a Danish article keeps English). The bilag's language is the
language of most of its content's letters.
"""

import functools
import re
from collections import Counter

from library import languages
from library.languages import UNDETERMINED

SHORT_WORDS = 8
CLEAR = 0.9
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    detected = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in languages.BY_CODE
        if code != UNDETERMINED
    ]
    return LanguageDetectorBuilder.from_languages(*detected).build()


def _best(text: str) -> tuple[str, float]:
    """Lingua's most likely language for `text` and how sure it is (0 to 1)."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value <= 0.0:
        return UNDETERMINED, 0.0
    return values[0].language.iso_code_639_1.name.lower(), values[0].value


def detect_language(text: str) -> str:
    """The language of a text; 'und' when it says too little (a short text that Lingua
    cannot place clearly)."""
    code, confidence = _best(text[:20_000])
    if len(_WORD.findall(text)) < SHORT_WORDS and confidence < CLEAR:
        return UNDETERMINED
    return code


def passage_languages(texts: list[str], given: str | None = None) -> tuple[str, list[str]]:
    """(the bilag's language, each passage's) for the texts of its content passages.

    `given` (the admin's) is the bilag's language; otherwise it is the language of most
    letters among the passages long enough to say. Short passages, and any Lingua
    cannot place, take the bilag's language unless they clearly say another. With a
    `given` language, only a passage clearly in a language of another family (an English
    quote in a Norwegian report) keeps its own: Danish detected in a bilag the admin
    calls Norwegian is Norwegian.
    """
    found: list[tuple[str, float, int]] = []
    weight: Counter[str] = Counter()
    for text in texts:
        code, confidence = _best(text[:20_000])
        words = len(_WORD.findall(text))
        found.append((code, confidence, words))
        if words >= SHORT_WORDS and code != UNDETERMINED:
            weight[code] += len(text)
    if given:
        bilag = given
    elif weight:
        bilag = weight.most_common(1)[0][0]
    else:
        bilag = detect_language(" ".join(texts))
    each = [_passage(code, confidence, words, bilag, given) for code, confidence, words in found]
    return bilag, each


def _passage(code: str, confidence: float, words: int, bilag: str, given: str | None) -> str:
    if code in (UNDETERMINED, bilag):
        return bilag
    if given and (confidence < CLEAR or languages.same_family(code, given)):
        return bilag  # the admin's choice stands, but for a passage clearly in another
    if words >= SHORT_WORDS or confidence >= CLEAR:
        return code
    return bilag
