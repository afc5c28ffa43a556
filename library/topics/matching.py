"""Matching passages against the compiled topic lexicons, and query words against topics.

A passage is read with the lexicon of its language (`languages.lexicons_for`): its
words, lower-cased and stemmed, are indexed once (`PassageText`) so that each entry is
looked up rather than scanned for.
"""

import dataclasses
import functools

from library import languages
from library.models import Topic
from library.topics.lexicon import Entry, Word, globs_matching, parse_lexicon

# A passage that begins a breakdown of the previous one ("36 av dem …", "17 of them …")
# is read with it: an all-of entry's later parts ("drept") may match in the passage
# before, its first part ("barn") must match in the passage itself.
BACK_REFERENCES = {
    "da": (("af", "dem"), ("blandt", "dem"), ("heraf",)),
    "nb": (("av", "dem"), ("blant", "dem"), ("hvorav",)),
    "en": (("of", "them"), ("among", "them")),
}


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
        surface = languages.words(text)
        words = [w.lower() for w in surface]
        return cls(surface, words, languages.stem_tokens(words, languages.config_for(language)))

    def positions(self, word: Word) -> set[int]:
        """Where in the passage `word` matches."""
        if word.pattern is None:
            return self.by_stem.get(word.stem, set()) | self.by_word.get(word.text, set())
        if self._globs is None:
            self._globs = {}
            for candidate, at in self.by_word.items():
                for glob in globs_matching(candidate):
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
            for language in languages.LEXICON_LANGUAGES
        },
    )


@functools.lru_cache(maxsize=8)
def _compiled(signature: tuple) -> tuple[CompiledTopic, ...]:
    return tuple(compile_topic(t) for t in Topic.objects.filter(id__in=[s[0] for s in signature]))


def compiled_from(topics) -> tuple[CompiledTopic, ...]:
    """The compiled form of these loaded topics (the same cache as compiled_topics)."""
    return _compiled(tuple(sorted((t.id, t.updated_at) for t in topics)))


def compiled_topics(topic_ids=None) -> tuple[CompiledTopic, ...]:
    """All topics (or these), parsed once per change of any of them."""
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
    lexicons = languages.lexicons_for(language)
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
            stem = languages.stem_tokens([word], languages.config_for(language))[0]
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
