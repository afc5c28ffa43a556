"""Topic lexicons: how an admin writes them, and how a passage is matched against them.

A lexicon is one entry per line; `#` starts a comment. Words are matched by their stem
in the lexicon's language, so an entry covers the word's inflections:

    lejr                          a word: lejr, lejren, lejrene, lejrenes …
    "fremmede krigere"            a phrase: these words in this order
    *lejr*  flygtning*            a glob on the whole word, for compounds
                                  (flygtningelejrene, teltlejr) and prefixes
    lejr | leir                   either (alternatives)
    civile + dræbt* | omkom*      all of: every +-part must match somewhere in the passage
    - "training camp"             an exclusion: a passage it matches is not tagged

An entry's reason is the entry and the words it matched, e.g.
`civile + dræbt* | omkom* ← civile, dræbte`.
"""

import dataclasses
import functools
import re

from library.search import stems

LEXICON_LANGUAGES = ("da", "nb", "en")
# A passage that begins a breakdown of the previous one ("36 av dem …", "17 of them …")
# is read with it: an all-of entry's later parts ("drept") may match in the passage
# before, its first part ("barn") must match in the passage itself.
BACK_REFERENCES = {
    "da": (("af", "dem"), ("blandt", "dem"), ("heraf",)),
    "nb": (("av", "dem"), ("blant", "dem"), ("hvorav",)),
    "en": (("of", "them"), ("among", "them")),
}
BEFORE_MARK = "(in the passage before)"
# Which lexicons a passage of a content language is read with.
LEXICONS_FOR = {"da": ("da",), "nb": ("nb",), "nn": ("nb",), "en": ("en",)}

_TOKEN_RE = re.compile(r'"[^"]*"|[^\s"|+]+|[|+]')


class LexiconError(ValueError):
    """A lexicon line that cannot be read; the message names the line."""


@dataclasses.dataclass(frozen=True)
class Word:
    text: str  # lower-case, as written
    stem: str = ""  # for plain words
    pattern: re.Pattern | None = None  # for globs

    def matches(self, word: str, stem: str) -> bool:
        if self.pattern is not None:
            return self.pattern.fullmatch(word) is not None
        return stem == self.stem or word == self.text


@dataclasses.dataclass(frozen=True)
class Alternative:
    words: tuple[Word, ...]  # one word, or a phrase

    def find(self, text: "PassageText") -> str | None:
        """The passage words this alternative matches first, or None."""
        starts = text.positions(self.words[0])
        if len(self.words) > 1:
            following = [text.positions(w) for w in self.words[1:]]
            starts = [i for i in starts if all(i + k in at for k, at in enumerate(following, 1))]
        if not starts:
            return None
        i = min(starts)
        return " ".join(text.surface[i : i + len(self.words)])


@dataclasses.dataclass(frozen=True)
class Entry:
    line: str
    parts: tuple[tuple[Alternative, ...], ...]  # all of the parts; any of each part
    exclude: bool = False

    def match(self, text: "PassageText", before: "PassageText | None" = None) -> list[str] | None:
        """The words each part matched, or None. With `before` (the previous passage, for
        a passage that refers back to it), parts after the first may match there."""
        found = []
        for index, part in enumerate(self.parts):
            hit = next((w for alt in part if (w := alt.find(text)) is not None), None)
            if hit is None and before is not None and index > 0:
                hit = next((w for alt in part if (w := alt.find(before)) is not None), None)
                if hit is not None:
                    hit = f"{hit} {BEFORE_MARK}"
            if hit is None:
                return None
            found.append(hit)
        return found


# Every glob of every lexicon read so far, by its text. Which globs a word matches is
# worked out once per distinct word (words repeat across a library), not per passage.
_GLOBS: dict[str, re.Pattern] = {}


def _glob(text: str) -> re.Pattern:
    pattern = _GLOBS.get(text)
    if pattern is None:
        pattern = re.compile(".*".join(re.escape(piece) for piece in text.split("*")))
        _GLOBS[text] = pattern
    return pattern


@functools.lru_cache(maxsize=262_144)
def _glob_hits(word: str, known: int) -> tuple[str, ...]:
    """The globs (texts) that match `word`; `known` (how many globs exist) keys the cache."""
    return tuple(text for text, pattern in list(_GLOBS.items())[:known] if pattern.fullmatch(word))


def _word(text: str, config: str, where: str) -> Word:
    text = text.lower()
    if "*" in text:
        letters = text.replace("*", "")
        if len(stems.WORD_RE.findall(letters)) > 1:
            raise LexiconError(
                f"{where}: '{text}' spans several words (a * pattern matches one word); "
                'write the words as a phrase, e.g. "al hol*"'
            )
        if len(letters) < 3 or not stems.WORD_RE.fullmatch(letters):
            raise LexiconError(f"{where}: '{text}' needs at least three letters besides the *")
        return Word(text=text, pattern=_glob(text))
    if not stems.WORD_RE.fullmatch(text):
        raise LexiconError(f"{where}: '{text}' is not a word (letters and digits only)")
    return Word(text=text, stem=stems.stem_tokens([text], config)[0])


def _alternative(token: str, config: str, where: str) -> Alternative:
    if token.startswith('"'):
        inner = token.strip('"').lower()
        pieces = re.findall(r"[^\W_]+\*?|\*[^\W_]+\*?", inner)
        if not pieces:
            raise LexiconError(f"{where}: empty phrase {token}")
        return Alternative(tuple(_word(p, config, where) for p in pieces))
    pieces = stems.WORD_RE.findall(token.replace("*", "")) if "*" not in token else [token]
    if "*" not in token and len(pieces) > 1:
        # al-Hol, IS-krigere: the parts in order, as a phrase
        return Alternative(tuple(_word(p, config, where) for p in pieces))
    return Alternative((_word(token, config, where),))


def parse_entry(line: str, language: str, where: str = "") -> Entry | None:
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    where = where or f"'{text}'"
    exclude = text.startswith("-")
    if exclude:
        text = text[1:].strip()
    if text.count('"') % 2:
        raise LexiconError(f"{where}: a quotation mark is not closed")
    config = stems.config_for(language)
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
        raise LexiconError(f"{where}: the line ends with | or + (or is only a -)")
    return Entry(
        line=line.split("#", 1)[0].strip(),
        parts=tuple(tuple(p) for p in parts),
        exclude=exclude,
    )


def parse_lexicon(text: str, language: str) -> list[Entry]:
    """Every entry of a lexicon; LexiconError names the first bad line."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), 1):
        entry = parse_entry(line, language, where=f"line {number}")
        if entry is not None:
            entries.append(entry)
    return entries


class PassageText:
    """A passage's words, lower-cased and stemmed with one configuration, indexed by word
    and by stem so that an entry is looked up, not scanned for."""

    def __init__(self, surface: list[str], words: list[str], stemmed: list[str]):
        self.surface, self.words, self.stems = surface, words, stemmed
        self.by_word: dict[str, set[int]] = {}
        self.by_stem: dict[str, set[int]] = {}
        for i, (word, stem) in enumerate(zip(words, stemmed, strict=True)):
            self.by_word.setdefault(word, set()).add(i)
            self.by_stem.setdefault(stem, set()).add(i)
        self._globs: dict[str, set[int]] | None = None

    @classmethod
    def of(cls, text: str, language: str) -> "PassageText":
        surface = stems.words(text)
        words = [w.lower() for w in surface]
        return cls(surface, words, stems.stem_tokens(words, stems.config_for(language)))

    def positions(self, word: Word) -> set[int]:
        """Where in the passage `word` matches."""
        if word.pattern is None:
            return self.by_stem.get(word.stem, set()) | self.by_word.get(word.text, set())
        if self._globs is None:
            self._globs = {}
            known = len(_GLOBS)
            for candidate, at in self.by_word.items():
                for glob in _glob_hits(candidate, known):
                    self._globs.setdefault(glob, set()).update(at)
        return self._globs.get(word.text, set())


@dataclasses.dataclass(frozen=True)
class CompiledTopic:
    id: int
    slug: str
    entries: dict[str, tuple[Entry, ...]]  # lexicon language -> entries

    def match(self, texts: dict[str, PassageText], before=None) -> str | None:
        """The reason this topic applies to the passage, or None. `before`: the previous
        passage's texts, for a passage that refers back to it."""
        reasons = []
        for language, text in texts.items():
            entries = self.entries.get(language, ())
            if any(e.exclude and e.match(text) is not None for e in entries):
                return None
            context = (before or {}).get(language)
            for entry in entries:
                if entry.exclude:
                    continue
                found = entry.match(text)
                if found is None and context is not None and len(entry.parts) > 1:
                    found = entry.match(text, context)
                if found is not None:
                    reasons.append(f"{entry.line} ← {', '.join(found)}")
        return "; ".join(reasons) or None


def compile_topic(topic) -> CompiledTopic:
    return CompiledTopic(
        id=topic.id,
        slug=topic.slug,
        entries={
            language: tuple(parse_lexicon(topic.lexicon(language), language))
            for language in LEXICON_LANGUAGES
        },
    )


@functools.lru_cache(maxsize=8)
def _compiled(signature: tuple) -> tuple[CompiledTopic, ...]:
    from library.models import Topic

    return tuple(compile_topic(t) for t in Topic.objects.filter(id__in=[s[0] for s in signature]))


def compiled_topics(topic_ids=None) -> tuple[CompiledTopic, ...]:
    """All topics (or these), parsed once per change of any of them."""
    from library.models import Topic

    queryset = Topic.objects.all()
    if topic_ids is not None:
        queryset = queryset.filter(id__in=topic_ids)
    signature = tuple(queryset.order_by("id").values_list("id", "updated_at"))
    return _compiled(signature)


def _refers_back(text: PassageText, language: str) -> bool:
    for phrase in BACK_REFERENCES.get(language, ()):
        n = len(phrase)
        if any(tuple(text.words[i : i + n]) == phrase for i in range(len(text.words) - n + 1)):
            return True
    return False


def topics_for(text: str, language: str, topics, previous: str | None = None) -> dict[int, str]:
    """{topic id: reason} for one passage; `previous` is the text of the content passage
    before it in the same bilag (used only when this one refers back to it)."""
    lexicons = LEXICONS_FOR.get(language, LEXICON_LANGUAGES)
    texts = {lang: PassageText.of(text, lang) for lang in lexicons}
    before = None
    if previous:
        before = {
            lang: PassageText.of(previous, lang)
            for lang in lexicons
            if _refers_back(texts[lang], lang)
        }
    found = {}
    for topic in topics:
        reason = topic.match(texts, before)
        if reason:
            found[topic.id] = reason
    return found


def expansion_topics(word: str, topics=None) -> list[CompiledTopic]:
    """Topics a query word names: a single-word entry of the topic's lexicon in any
    language (by stem, or matched by a glob such as *lejr*), or the first word of an
    all-of entry (`camp + refugee | …` names camps).

    So "camp" also finds the refugee-camps passages tagged in Danish and Norwegian
    (lejr, flyktningleir). Exclusions, phrases and the later parts of an all-of entry
    (`dræbt` in `civile + dræbt*`) name nothing.
    """
    word = word.lower()
    found = []
    for topic in compiled_topics() if topics is None else topics:
        for language, entries in topic.entries.items():
            stem = stems.stem_tokens([word], stems.config_for(language))[0]
            if any(
                not entry.exclude
                and any(
                    len(alt.words) == 1 and alt.words[0].matches(word, stem)
                    for alt in entry.parts[0]
                )
                for entry in entries
            ):
                found.append(topic)
                break
    return found
