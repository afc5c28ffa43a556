"""Topic lexicons: how an admin writes them, parsed into entries that match passages.

A lexicon is one entry per line; `#` starts a comment. Words are matched by their stem
in the lexicon's language, so an entry covers the word's inflections:

    lejr                          a word: lejr, lejren, lejrene, lejrenes …
    "fremmede krigere"            a phrase: these words in this order
    *lejr*  flygtning*            a glob on the whole word, for compounds
                                  (flygtningelejrene, teltlejr) and prefixes
    lejr | leir                   either (alternatives)
    civile + dræbt* | omkom*      all of: every +-part must match somewhere in the passage
    - "training camp"             an exclusion: a passage it matches is not tagged
    ~ lejren | "de tilbageholdte"  in context: matches only in a passage after one that
                                  the topic's other entries tagged, in the same bilag
                                  ("the camp" after al-Hol was named; matching.CONTEXT_WINDOW)

An entry's reason is the entry and the words it matched, e.g.
`civile + dræbt* | omkom* ← civile, dræbte`.
"""

import dataclasses
import re
from typing import TYPE_CHECKING

from library import languages

if TYPE_CHECKING:  # matching indexes passages for the entries parsed here
    from library.topics.matching import PassageText

_TOKEN_RE = re.compile(r'"[^"]*"|[^\s"|+]+|[|+]')

# Marks a word an all-of entry found in the passage before (see matching.BACK_REFERENCES).
BEFORE_MARK = "(in the passage before)"


class LexiconError(ValueError):
    """A lexicon line that cannot be read; the message names the line."""


@dataclasses.dataclass(frozen=True)
class Word:
    text: str  # lower-case, as written
    stem: str = ""  # for plain words
    pattern: re.Pattern | None = None  # for globs

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        if self.pattern is not None:
            return (("glob", self.text),)
        return (("stem", self.stem), ("word", self.text))  # matches() takes either

    def matches(self, word: str, stem: str) -> bool:
        if self.pattern is not None:
            return self.pattern.fullmatch(word) is not None
        return stem == self.stem or word == self.text


@dataclasses.dataclass(frozen=True)
class Alternative:
    words: tuple[Word, ...]  # one word, or a phrase
    text: str = ""  # as the admin wrote it, for the reason shown to caseworkers

    def find(self, text: "PassageText") -> str | None:
        """The passage words this alternative matches first, or None."""
        starts = text.positions(self.words[0])
        if not starts:
            return None
        if len(self.words) > 1:
            following = [text.positions(w) for w in self.words[1:]]
            starts = [i for i in starts if all(i + k in at for k, at in enumerate(following, 1))]
        if not starts:
            return None
        i = min(starts)
        return " ".join(text.surface[i : i + len(self.words)])


@dataclasses.dataclass(frozen=True)
class Found:
    """What an entry matched: per part, the passage words and the alternative's text."""

    words: list[str]
    alternatives: list[str]
    before: bool = False  # a part matched in the passage before

    @property
    def reason(self) -> str:
        """The plain-text form kept in PassageTopic.reason: the words, comma-separated."""
        return ", ".join(self.words)


@dataclasses.dataclass(frozen=True)
class Entry:
    line: str
    parts: tuple[tuple[Alternative, ...], ...]  # all of the parts; any of each part
    exclude: bool = False
    context: bool = False  # only after a passage the topic's other entries tagged

    @property
    def keys(self) -> frozenset[tuple[str, str]]:
        """What a passage must hold for this entry to match: (kind, key) of its first
        part's first words (matching.PassageText.keys), so most entries are never tried."""
        return frozenset(key for alt in self.parts[0] for key in alt.words[0].keys)

    def match(self, text: "PassageText", before: "PassageText | None" = None) -> Found | None:
        """The words each part matched, or None. With `before` (the previous passage, for
        a passage that refers back to it), parts after the first may match there."""
        words, alternatives, used_before = [], [], False
        for index, part in enumerate(self.parts):
            hit = next(((w, a) for a in part if (w := a.find(text)) is not None), None)
            if hit is None and before is not None and index > 0:
                hit = next(((w, a) for a in part if (w := a.find(before)) is not None), None)
                if hit is not None:
                    used_before = True
                    hit = (f"{hit[0]} {BEFORE_MARK}", hit[1])
            if hit is None:
                return None
            words.append(hit[0])
            alternatives.append(hit[1].text)
        return Found(words, alternatives, used_before)


# Every glob of every lexicon read so far, by its text. Which globs a word matches is
# worked out once per distinct word (words repeat across a library), not per passage.
_GLOBS: dict[str, re.Pattern] = {}
# The globs by the first three letters of their longest piece: a glob can match a word
# only if the word holds that piece, so a word's three-letter runs find its candidates
# (a handful) instead of every glob being tried on every new word.
_GLOBS_BY_TRIGRAM: dict[str, list[str]] = {}
_GLOBS_SHORT: list[str] = []  # globs with no piece of three letters


def _glob(text: str) -> re.Pattern:
    pattern = _GLOBS.get(text)
    if pattern is None:
        pattern = re.compile(".*".join(re.escape(piece) for piece in text.split("*")))
        _GLOBS[text] = pattern
        piece = max(text.split("*"), key=len)
        if len(piece) >= 3:
            _GLOBS_BY_TRIGRAM.setdefault(piece[:3], []).append(text)
        else:
            _GLOBS_SHORT.append(text)
    return pattern


# {word: the globs that match it}, emptied when a glob is added or it grows too large.
_GLOB_HITS: dict[str, tuple[str, ...]] = {}
_GLOB_HITS_FOR = [0]  # how many globs the cache was made for
_GLOB_HITS_MAX = 262_144


def globs_matching(word: str) -> tuple[str, ...]:
    """The texts of every glob read so far that match the lower-case `word` (cached)."""
    hits = _GLOB_HITS.get(word)
    if hits is not None and _GLOB_HITS_FOR[0] == len(_GLOBS):
        return hits
    if _GLOB_HITS_FOR[0] != len(_GLOBS) or len(_GLOB_HITS) >= _GLOB_HITS_MAX:
        _GLOB_HITS.clear()
        _GLOB_HITS_FOR[0] = len(_GLOBS)
    candidates = set(_GLOBS_SHORT)
    for i in range(len(word) - 2):
        candidates.update(_GLOBS_BY_TRIGRAM.get(word[i : i + 3], ()))
    hits = tuple(sorted(text for text in candidates if _GLOBS[text].fullmatch(word)))
    _GLOB_HITS[word] = hits
    return hits


def _word(text: str, config: str, where: str) -> Word:
    text = text.lower()
    if "*" in text:
        letters = text.replace("*", "")
        if len(languages.WORD_RE.findall(letters)) > 1:
            raise LexiconError(
                f"{where}: '{text}' spans several words (a * pattern matches one word); "
                'write the words as a phrase, e.g. "al hol*"'
            )
        if len(letters) < 3 or not languages.WORD_RE.fullmatch(letters):
            raise LexiconError(f"{where}: '{text}' needs at least three letters besides the *")
        return Word(text=text, pattern=_glob(text))
    if not languages.WORD_RE.fullmatch(text):
        raise LexiconError(f"{where}: '{text}' is not a word (letters and digits only)")
    return Word(text=text, stem=languages.stem_tokens([text], config)[0])


def _alternative(token: str, config: str, where: str) -> Alternative:
    if token.startswith('"'):
        inner = token.strip('"').lower()
        pieces = re.findall(r"[^\W_]+\*?|\*[^\W_]+\*?", inner)
        if not pieces:
            raise LexiconError(f"{where}: empty phrase {token}")
        return Alternative(tuple(_word(p, config, where) for p in pieces), token)
    pieces = languages.WORD_RE.findall(token.replace("*", "")) if "*" not in token else [token]
    if "*" not in token and len(pieces) > 1:
        # al-Hol, IS-krigere: the parts in order, as a phrase
        return Alternative(tuple(_word(p, config, where) for p in pieces), token)
    return Alternative((_word(token, config, where),), token)


def parse_entry(line: str, language: str, where: str = "") -> Entry | None:
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    where = where or f"'{text}'"
    exclude = text.startswith("-")
    context = text.startswith("~")
    if exclude or context:
        text = text[1:].strip()
    if text.count('"') % 2:
        raise LexiconError(f"{where}: a quotation mark is not closed")
    config = languages.config_for(language)
    parts: list[list[Alternative]] = [[]]
    expect_word = True
    for token in _TOKEN_RE.findall(text):
        if token in {"|", "+"}:
            if expect_word:
                raise LexiconError(f"{where}: '{token}' needs a word on each side")
            if token == "+":
                parts.append([])
            expect_word = True
            continue
        if not expect_word:
            raise LexiconError(
                f'{where}: two words without | or + between them; quote a phrase: "{text}"'
            )
        parts[-1].append(_alternative(token, config, where))
        expect_word = False
    if expect_word:
        raise LexiconError(f"{where}: the line ends with | or + (or is only a - or ~)")
    return Entry(
        line=line.split("#", 1)[0].strip(),
        parts=tuple(tuple(p) for p in parts),
        exclude=exclude,
        context=context,
    )


def parse_lexicon(text: str, language: str) -> list[Entry]:
    """Every entry of a lexicon; LexiconError names the first bad line."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), 1):
        entry = parse_entry(line, language, where=f"line {number}")
        if entry is not None:
            entries.append(entry)
    return entries


def lexicon_errors(topic) -> dict[str, str]:
    """{field name: message} for each of the topic's lexicons that cannot be read."""
    errors = {}
    for language in languages.LEXICON_LANGUAGES:
        try:
            parse_lexicon(topic.lexicon(language), language)
        except LexiconError as exc:
            errors[f"lexicon_{language}"] = str(exc)
    return errors
