"""Line-end hyphens in PDF text: join a word the layout broke, keep a hyphen the word has.

"Utlendings-" + "direktoratet" is one word broken at the end of a line; "Ninewa-" +
"provinsen", "IS-" + "krigere" and "well-" + "known" keep their hyphen. The decision,
in this order:
1. the next line does not go on in lower case ("al-" + "Hol"), or the first half is an
   acronym or holds a digit ("IS-", "2019-"): keep;
2. the document itself writes the word elsewhere: joined ("Utlendingsdirektoratet")
   -> join; with its hyphen ("Ninewa-provinsen") -> keep;
3. a dictionary of the board's languages (Hunspell's, through Enchant, with their
   compound rules) knows the joined word -> join; it knows both halves -> keep;
4. otherwise join when the first half is all lower case (a word broken by the layout),
   keep when it has a capital (a name followed by a compound's second part).
Without Enchant or its dictionaries, steps 1, 2 and 4 still apply.
"""

import functools
import re
from collections.abc import Iterable

# Hunspell dictionaries (Debian's hunspell-da, -no, -en-us, -sv, -de-de) of the
# languages the board receives.
DICTIONARIES = ("da_DK", "nb_NO", "nn_NO", "en_US", "sv_SE", "de_DE")
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@functools.cache
def _dictionaries() -> tuple:
    try:
        import enchant
    except ImportError:  # the library, or libenchant, is not installed: no word list
        return ()
    return tuple(enchant.Dict(tag) for tag in DICTIONARIES if enchant.dict_exists(tag))


def is_word(word: str) -> bool:
    """Whether any of the board's dictionaries knows `word` (False without them)."""
    return any(d.check(word) for d in _dictionaries())


class Hyphens:
    """Decides line-end hyphens for one document, knowing the words it uses."""

    def __init__(self, texts: Iterable[str]):
        self.vocabulary = {w.lower() for text in texts for w in WORD_RE.findall(text)}

    def joins(self, left: str, right: str) -> bool:
        """Whether `left` + "-" at a line's end and `right` at the next line's start are
        one word broken by the layout (True) or a word with its own hyphen (False)."""
        if not right[:1].islower() or not left.isalpha():
            return False
        if len(left) > 1 and left.isupper():
            return False
        joined, hyphenated = left + right, f"{left}-{right}"
        if joined.lower() in self.vocabulary:
            return True
        if hyphenated.lower() in self.vocabulary:
            return False
        if is_word(joined):
            return True
        if is_word(left) and is_word(right):
            return False
        return left.islower()
