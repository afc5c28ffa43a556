"""The language of every passage, and of the bilag: what most of its content says.

Detection is py3langid's (langid.py's model), restricted to the languages of the board's
table (library.languages: da, nb, nn, sv, en, de, fr). Measured on Universal
Dependencies treebanks (bench/langid_bench.py, dev and held-out test) against Lingua:
on 3-sentence passages it confuses Danish and Bokmål in 0.0-0.2 % (Lingua 0.5-0.6 %),
gets Bokmål 99.7 % right (Lingua 97.5 %) and every 15-sentence document of the six
languages; it is three times faster, loads in under a second and takes about 90 MB
(Lingua 230 MB and a 96 MB wheel). A text of fewer than SHORT_CHARS characters whose
best language is less than CLEAR probable says too little on its own (the rule tuned
on the dev part): such a passage takes the bilag's language. The bilag's language is
the language of most of its content's letters.
"""

import functools
from collections import Counter
from collections.abc import Sequence

from library import languages
from library.languages import UNDETERMINED

SHORT_CHARS = 100
CLEAR = 0.55
# py3langid knows Bokmål as "no" (and Nynorsk as "nn").
_TO_MODEL = {"nb": "no"}
_FROM_MODEL = {"no": "nb"}


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(
        [_TO_MODEL.get(code, code) for code in languages.BY_CODE if code != UNDETERMINED]
    )
    return identifier


def _best(text: str) -> tuple[str, float]:
    """The most probable language for `text` and its probability (0 to 1)."""
    if not any(ch.isalpha() for ch in text):
        return UNDETERMINED, 0.0
    code, probability = _identifier().classify(text)
    return _FROM_MODEL.get(code, code), float(probability)


def _says_enough(text: str, probability: float) -> bool:
    return len(text) >= SHORT_CHARS or probability >= CLEAR


def detect_language(text: str) -> str:
    """The language of a text; 'und' when it says too little (a short text whose best
    language is not clearly probable)."""
    code, probability = _best(text[:20_000])
    return code if _says_enough(text, probability) else UNDETERMINED


def passage_languages(texts: Sequence[str], given: str | None = None) -> tuple[str, list[str]]:
    """(the bilag's language, each passage's) for the texts of its content passages.

    `given` (the admin's) is the bilag's language; otherwise it is the language of most
    letters among the passages that say enough. Short passages that do not clearly say
    their language take the bilag's. With a `given` language, only a passage in a
    language of another family (an English quote in a Norwegian report) keeps its own:
    Danish detected in a bilag the admin calls Norwegian is Norwegian.

    The texts are read once, in order (a lazy sequence will do); what is kept per
    passage is its code and one byte.
    """
    codes: list[str] = []
    enough = bytearray()
    weight: Counter[str] = Counter()
    for text in texts:
        code, probability = _best(text[:20_000])
        says = code != UNDETERMINED and _says_enough(text, probability)
        codes.append(code)
        enough.append(says)
        if says:
            weight[code] += len(text)
    if given:
        bilag = given
    elif weight:
        bilag = weight.most_common(1)[0][0]
    else:
        bilag = detect_language(_joined_start(texts))
    each = [_passage(code, says, bilag, given) for code, says in zip(codes, enough, strict=True)]
    return bilag, each


def _joined_start(texts: Sequence[str]) -> str:
    """ " ".join(texts), or as much of it as detect_language reads (its first 20,000
    characters; past that only "100 or more" counts), without joining a whole file."""
    pieces, length = [], 0
    for text in texts:
        pieces.append(text)
        length += len(text) + 1
        if length > 20_000:
            break
    return " ".join(pieces)


def _passage(code: str, enough: bool, bilag: str, given: str | None) -> str:
    if not enough or code == bilag:
        return bilag
    if given and languages.same_family(code, given):
        return bilag  # the admin's choice stands, but for a passage clearly in another
    return code
