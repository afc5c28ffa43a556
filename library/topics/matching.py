"""Matching passages against the compiled topic lexicons, and query words against topics.

A passage is read with the lexicons of its language (`languages.lexicons_for`): its
words, lower-cased and stemmed, are indexed once (`PassageText`) so that each entry is
looked up rather than scanned for. A bilag's passages are read in order
(`tag_passages`): what one passage establishes (a camp named, the fighters) lets the
passages after it that refer back ("lejren", "the camp") be tagged too.
"""

import dataclasses
import functools

from library import languages
from library.models import Topic
from library.topics.lexicon import BEFORE_MARK, Entry, Word, globs_matching, parse_lexicon

# A passage that begins a breakdown of the previous one ("36 av dem …", "17 of them …")
# is read with it: an all-of entry's later parts ("drept") may match in the passage
# before, its first part ("barn") must match in the passage itself.
BACK_REFERENCES = {
    "da": (("af", "dem"), ("blandt", "dem"), ("heraf",)),
    "nb": (("av", "dem"), ("blant", "dem"), ("hvorav",)),
    "nn": (("av", "dei"), ("blant", "dei"), ("kor", "av")),
    "sv": (("av", "dem"), ("bland", "dem"), ("varav",)),
    "en": (("of", "them"), ("among", "them")),
    "de": (("davon",), ("unter", "ihnen"), ("darunter",)),
}


NOWHERE: frozenset[int] = frozenset()


def _positions(tokens: list[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for i, token in enumerate(tokens):
        at = found.get(token)
        if at is None:
            found[token] = {i}
        else:
            at.add(i)
    return found


class PassageText:
    """A passage's words, lower-cased and stemmed with one configuration, indexed by word
    and by stem so that an entry is looked up, not scanned for."""

    def __init__(self, surface: list[str], words: list[str], stemmed: list[str]):
        self.surface, self.words, self.stems = surface, words, stemmed
        self.by_word: dict[str, set[int]] = _positions(words)
        self.by_stem: dict[str, set[int]] = _positions(stemmed)
        self._globs: dict[str, set[int]] | None = None

    def keys(self, kind: str):
        """The passage's stems, words or globs (a kind of lexicon.Word.keys), as a view."""
        if kind == "stem":
            return self.by_stem.keys()
        if kind == "word":
            return self.by_word.keys()
        return self._glob_positions().keys()

    def _glob_positions(self) -> dict[str, set[int]]:
        if self._globs is None:
            self._globs = {}
            for candidate, at in self.by_word.items():
                for glob in globs_matching(candidate):
                    self._globs.setdefault(glob, set()).update(at)
        return self._globs

    @classmethod
    def of(cls, text: str, language: str) -> "PassageText":
        surface = languages.words(text)
        words = [w.lower() for w in surface]
        return cls(surface, words, languages.stem_tokens(words, languages.config_for(language)))

    def positions(self, word: Word) -> set[int] | frozenset[int]:
        """Where in the passage `word` matches (a shared set: do not change it)."""
        if word.pattern is None:
            # Most entries' words are not in a passage: look up without building sets.
            by_stem = self.by_stem.get(word.stem)
            by_word = self.by_word.get(word.text)
            if by_word is None or by_word is by_stem:
                return by_stem or NOWHERE
            return by_word if by_stem is None else by_stem | by_word
        return self._glob_positions().get(word.text, NOWHERE)


# How many content passages after the one that established a topic (named al-Hol, or
# the fighters) a context entry (~ lejren) may still refer back to it. Chosen on the
# development part of bench/topic_eval (topic_quality --eval --window N).
CONTEXT_WINDOW = 6


@dataclasses.dataclass
class Hit:
    """Why a topic applies to a passage: the plain reason and the evidence items
    (PassageTopic.reason / .evidence; models.topics.explain reads the evidence)."""

    reason: str
    evidence: list[dict]
    direct: bool  # matched by the topic's own entries, not only by referring back
    what: str = ""  # the words that establish the topic for the passages after it
    score: float | None = None  # a learned suggestion's probability


@dataclasses.dataclass(frozen=True)
class Established:
    """A passage that tagged a topic by its own words, for the passages after it."""

    index: int  # position among the bilag's content passages
    ordinal: int
    what: str


@dataclasses.dataclass(frozen=True)
class CompiledTopic:
    id: int
    slug: str
    entries: dict[str, tuple[Entry, ...]]  # lexicon language -> entries
    # lexicon language -> kind (stem, word, glob) -> {an entry's first word: the entries'
    # indexes}: a passage is matched only against the entries whose first word it holds.
    index: dict[str, dict[str, dict[str, tuple[int, ...]]]] = dataclasses.field(
        default_factory=dict
    )

    def __post_init__(self):
        for language, entries in self.entries.items():
            index: dict[str, dict[str, list[int]]] = {"stem": {}, "word": {}, "glob": {}}
            for i, entry in enumerate(entries):
                for kind, key in entry.keys:
                    index[kind].setdefault(key, []).append(i)
            self.index[language] = {
                kind: {key: tuple(at) for key, at in keys.items()} for kind, keys in index.items()
            }

    def candidates(self, language: str, text: PassageText) -> list[Entry]:
        """The entries whose first words the passage holds, in lexicon order."""
        found: set[int] = set()
        for kind, keys in self.index.get(language, {}).items():
            if keys:
                for key in keys.keys() & text.keys(kind):
                    found.update(keys[key])
        if not found:
            return []
        entries = self.entries[language]
        return [entries[i] for i in sorted(found)]

    def match(
        self,
        texts: dict[str, PassageText],
        before=None,
        before_ordinal: int | None = None,
        context: Established | None = None,
        candidates: dict[str, list[Entry]] | None = None,
    ) -> Hit | None:
        """Why this topic applies to the passage, or None. `before`: the previous
        passage's texts, for a passage that refers back to it; `context`: the passage
        that established the topic earlier in the bilag, for context entries (~);
        `candidates`: the entries worth trying per language (default: `candidates()`)."""
        reasons, evidence, direct = [], [], False
        for language, text in texts.items():
            if candidates is None:
                entries = self.candidates(language, text)
            else:
                entries = candidates.get(language, ())
            if any(e.exclude and e.match(text) is not None for e in entries):
                return None
            previous = (before or {}).get(language)
            for entry in entries:
                if entry.exclude or (entry.context and context is None):
                    continue
                found = entry.match(text)
                if found is None and previous is not None and len(entry.parts) > 1:
                    found = entry.match(text, previous)
                if found is None:
                    continue
                reasons.append(f"{entry.line} ← {found.reason}")
                words = [w.replace(f" {BEFORE_MARK}", "") for w in found.words]
                if entry.context:
                    evidence.append(
                        {
                            "kind": "context",
                            "words": words,
                            "entry": " + ".join(found.alternatives),
                            "ordinal": context.ordinal,
                            "what": context.what,
                        }
                    )
                    continue
                direct = True
                evidence.append(
                    {
                        "kind": "lexicon",
                        "words": words,
                        "entry": " + ".join(found.alternatives),
                        "before": before_ordinal if found.before else None,
                    }
                )
        if not reasons:
            return None
        what = next((" ".join(e["words"][:1]) for e in evidence if e["kind"] == "lexicon"), "")
        return Hit("; ".join(reasons), evidence, direct, what)


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
        starts = text.by_word.get(phrase[0], NOWHERE)
        if any(
            all(i + k in text.by_word.get(w, NOWHERE) for k, w in enumerate(phrase)) for i in starts
        ):
            return True
    return False


def _texts(text: str, language: str) -> dict[str, PassageText]:
    """The passage read for each lexicon of its language; lexicons stemmed alike (nn,
    nb) share one reading."""
    by_config: dict[str, PassageText] = {}
    texts = {}
    for lang in languages.lexicons_for(language):
        config = languages.config_for(lang)
        if config not in by_config:
            by_config[config] = PassageText.of(text, lang)
        texts[lang] = by_config[config]
    return texts


# The entries of several topics indexed together by their first words, for the topic
# tuples in use (compiled_topics caches those): (topics, index) by the topics' ids.
_COMBINED: dict[tuple[int, ...], tuple[tuple, dict]] = {}


def _combined_index(topics) -> dict[str, dict[str, dict[str, list[tuple[int, int]]]]]:
    """language -> kind -> first word -> [(topic's position, entry's index)]."""
    key = tuple(id(t) for t in topics)
    cached = _COMBINED.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], topics, strict=True)):
        return cached[1]
    combined: dict[str, dict[str, dict[str, list[tuple[int, int]]]]] = {}
    for position, topic in enumerate(topics):
        for language, kinds in topic.index.items():
            for kind, keys in kinds.items():
                target = combined.setdefault(language, {}).setdefault(kind, {})
                for word, at in keys.items():
                    target.setdefault(word, []).extend((position, i) for i in at)
    if len(_COMBINED) >= 16:
        _COMBINED.clear()
    _COMBINED[key] = (tuple(topics), combined)
    return combined


def _candidates(texts, combined, topics) -> dict[int, dict[str, list[Entry]]]:
    """{topic's position: {language: entries worth trying}} for one passage; a topic
    absent has no entry whose first word the passage holds, so it cannot match."""
    found: dict[int, dict[str, set[int]]] = {}
    for language, text in texts.items():
        for kind, keys in combined.get(language, {}).items():
            for word in keys.keys() & text.keys(kind):
                for position, i in keys[word]:
                    found.setdefault(position, {}).setdefault(language, set()).add(i)
    return {
        position: {
            language: [topics[position].entries[language][i] for i in sorted(at)]
            for language, at in languages_found.items()
        }
        for position, languages_found in found.items()
    }


class BilagReader:
    """One bilag's content passages read in order, one at a time (`read`): what an
    earlier passage established, and the passage before, are all it keeps between them,
    so a bilag of any length is read in bounded memory."""

    def __init__(self, topics, window: int = CONTEXT_WINDOW):
        self.topics, self.window = topics, window
        self.combined = _combined_index(topics)
        self.established: dict[int, Established] = {}
        self.previous: tuple[int, str] | None = None  # (ordinal, text) of the one before
        self.index = 0

    def read(self, ordinal: int, text: str, language: str) -> dict[int, Hit]:
        """{topic id: Hit} for the next content passage of the bilag."""
        texts = _texts(text, language)
        candidates = _candidates(texts, self.combined, self.topics)
        before, previous = None, self.previous
        if previous is not None and any(_refers_back(t, lang) for lang, t in texts.items()):
            before = {
                lang: PassageText.of(previous[1], lang)
                for lang, t in texts.items()
                if _refers_back(t, lang)
            }
        hits = {}
        for position, entries in candidates.items():
            topic = self.topics[position]
            context = self.established.get(topic.id)
            if context is not None and self.index - context.index > self.window:
                context = None
            hit = topic.match(
                texts, before, previous[0] if previous else None, context, candidates=entries
            )
            if hit is None:
                continue
            hits[topic.id] = hit
            if hit.direct:
                self.established[topic.id] = Established(self.index, ordinal, hit.what)
        self.previous = (ordinal, text)
        self.index += 1
        return hits


def tag_passages(passages, topics, window: int = CONTEXT_WINDOW) -> list[dict[int, Hit]]:
    """{topic id: Hit} for each of a bilag's content passages, read in order.

    `passages`: (ordinal, text, language) of every non-boilerplate passage of ONE bilag,
    by ordinal. A passage is read with the lexicons of its own language; one that refers
    back to the passage before ("36 av dem") may find an all-of entry's later parts
    there; a context entry (~ lejren) matches only within `window` passages after one
    that the topic's own entries tagged, and names that passage. (BilagReader reads
    them one at a time.)
    """
    reader = BilagReader(topics, window)
    return [reader.read(ordinal, text, language) for ordinal, text, language in passages]


def topics_for(text: str, language: str, topics, previous: str | None = None) -> dict[int, str]:
    """{topic id: reason} for one passage read alone; `previous` is the text of the
    content passage before it in the same bilag (used only when this one refers back
    to it). A bilag's passages are read together with `tag_passages`."""
    passages = [(1, text, language)]
    if previous:
        passages.insert(0, (0, previous, language))
    hits = tag_passages(passages, topics, window=0)[-1]
    return {tid: hit.reason for tid, hit in hits.items()}


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
