"""How well topics are suggested on real text: bench/topic_eval (see its RULES.md).

Each text is a real article (Wikipedia, Wikinews) in da, nb, nn, sv, en or de, its
paragraphs labelled by written rules with the core topics they are about. The texts are
split into a development part and a held-out part by a fixed rule (`split_of`), and
three methods are measured on each, per topic and language:

- lexicon: each paragraph read alone with the lexicons of its language;
- context: the text read in order, so that "the camp" after al-Hol was named, or
  "36 of them" after a death toll, is tagged too (`matching.tag_passages`);
- learned: context plus the learned classifier (`learned`), trained on the development
  labels as if a caseworker had decided every development paragraph. Its development
  figures come from training on the other folds of development texts (by text, never by
  paragraph); its held-out figures from training on the whole development part.

The topics and lexicons are the ones in the database now.
"""

import dataclasses
import hashlib
import tomllib
from pathlib import Path

from library.models import Topic
from library.topics.learned import (
    LEARNED_THRESHOLD,
    Model,
    features,
    fit,
    learned_hits,
    lexical_marks,
)
from library.topics.matching import CONTEXT_WINDOW, compiled_topics, tag_passages

EVAL_PATH = Path(__file__).resolve().parents[2] / "bench" / "topic_eval" / "texts"
CORE_TOPICS = ("refugee-camps", "foreign-fighters", "civilian-casualties")
METHODS = ("lexicon", "context", "learned")
LANGUAGES = ("da", "nb", "nn", "sv", "en", "de")
FOLDS = 3


class EvalError(ValueError):
    """A text of the evaluation set that cannot be read; the message names the file."""


@dataclasses.dataclass(frozen=True)
class Text:
    name: str
    language: str
    source: str
    licence: str
    paragraphs: tuple[tuple[str, frozenset[str]], ...]  # (text, topics it is about)


def load_texts(path: Path | None = None) -> list[Text]:
    """Every text of the set, in file-name order; EvalError names a bad file."""
    texts = []
    for file in sorted(Path(path or EVAL_PATH).glob("*.toml")):
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
            paragraphs = tuple(
                (p["text"].strip(), frozenset(p.get("about", ())))
                for p in data["paragraphs"]
                if p["text"].strip()
            )
            text = Text(file.stem, data["language"], data["source"], data["licence"], paragraphs)
        except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise EvalError(f"{file.name}: {exc}") from exc
        unknown = {t for _p, about in paragraphs for t in about} - set(CORE_TOPICS)
        if unknown:
            raise EvalError(f"{file.name}: unknown topics {sorted(unknown)}")
        texts.append(text)
    return texts


def split_of(texts: list[Text]) -> dict[str, str]:
    """{text name: "dev" or "heldout"}: a text is held out when the SHA-256 of its file
    name is 0 modulo 3, so a text's part never changes as texts are added."""
    return {
        t.name: "heldout"
        if int(hashlib.sha256(t.name.encode()).hexdigest(), 16) % 3 == 0
        else "dev"
        for t in texts
    }


def _context_hits(text: Text, topics, window: int | None) -> list[dict]:
    rows = [(i + 1, p, text.language) for i, (p, _about) in enumerate(text.paragraphs)]
    if window is None:  # lexicon only: each paragraph alone
        return [tag_passages([row], topics, window=-1)[0] for row in rows]
    return tag_passages(rows, topics, window=window)


def _train(texts: list[Text], hits: dict[str, list[dict]], topic_ids: dict[str, int], threshold):
    """A Model per core topic, trained on every paragraph of `texts` as a decision."""
    paragraphs = [p for t in texts for p, _about in t.paragraphs]
    abouts = [about for t in texts for _p, about in t.paragraphs]
    if not paragraphs:
        return {}
    marks = [lexical_marks(h) for t in texts for h in hits[t.name]]
    matrix = features(paragraphs, marks)
    models = {}
    for slug, topic_id in topic_ids.items():
        labels = [int(slug in about) for about in abouts]
        if 0 < sum(labels) < len(labels):
            models[topic_id] = fit(
                topic_id, matrix, labels, [1.0] * len(labels), len(labels), threshold=threshold
            )
    return models


def _learned(texts: list[Text], hits, models: dict[int, Model]) -> dict[str, list[dict]]:
    found = {}
    for text in texts:
        scores = learned_hits(models, [p for p, _a in text.paragraphs], hits[text.name])
        found[text.name] = [
            {**{tid: True for tid in h}, **{tid: True for tid in s}}
            for h, s in zip(hits[text.name], scores, strict=True)
        ]
    return found


def evaluate(
    path: Path | None = None, window: int = CONTEXT_WINDOW, threshold: float = LEARNED_THRESHOLD
) -> dict:
    """{(split, method, slug, language): {"tp", "fp", "fn", "precision", "recall", "n"}}
    and the mistakes, for the three core topics on the evaluation set."""
    texts = load_texts(path)
    split = split_of(texts)
    topics = compiled_topics()
    topic_ids = {t.slug: t.id for t in Topic.objects.filter(slug__in=CORE_TOPICS).order_by("slug")}
    lexicon = {t.name: _context_hits(t, topics, None) for t in texts}
    context = {t.name: _context_hits(t, topics, window) for t in texts}
    dev = [t for t in texts if split[t.name] == "dev"]
    held = [t for t in texts if split[t.name] == "heldout"]
    learned = {}
    for fold in range(FOLDS):  # dev: trained on the other folds of dev texts
        test = [t for i, t in enumerate(dev) if i % FOLDS == fold]
        train = [t for i, t in enumerate(dev) if i % FOLDS != fold]
        learned |= _learned(test, context, _train(train, context, topic_ids, threshold))
    learned |= _learned(held, context, _train(dev, context, topic_ids, threshold))
    results: dict = {}
    mistakes = []
    for method, found in (("lexicon", lexicon), ("context", context), ("learned", learned)):
        for text in texts:
            for (paragraph, about), hits in zip(text.paragraphs, found[text.name], strict=True):
                for slug, topic_id in topic_ids.items():
                    key = (split[text.name], method, slug, text.language)
                    counts = results.setdefault(key, {"tp": 0, "fp": 0, "fn": 0, "n": 0})
                    tagged, wanted = topic_id in hits, slug in about
                    counts["n"] += wanted
                    if tagged and wanted:
                        counts["tp"] += 1
                    elif tagged or wanted:
                        kind = "fp" if tagged else "fn"
                        counts[kind] += 1
                        mistakes.append((*key, kind, text.name, paragraph[:90]))
    for counts in results.values():
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        counts["precision"] = tp / (tp + fp) if tp + fp else 1.0
        counts["recall"] = tp / (tp + fn) if tp + fn else 1.0
    return {"results": results, "mistakes": mistakes, "texts": texts, "split": split}


def _total(results, split, method, slug, languages=LANGUAGES) -> dict:
    keys = [(split, method, slug, lang) for lang in languages]
    tp, fp, fn = (sum(results.get(k, {}).get(c, 0) for k in keys) for c in ("tp", "fp", "fn"))
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "n": tp + fn,
        "fp": fp,
    }


def _cell(q: dict | None) -> str:
    if not q or not q["n"]:
        return f"{q['fp']} fp" if q and q["fp"] else "-"
    return f"{q['precision']:.2f}/{q['recall']:.2f} ({q['n']:>2})"


def format_evaluation(evaluation: dict, mistakes: bool = False) -> str:
    """The table `manage.py topic_quality --eval` prints: precision/recall (positives)
    per split, method, topic and language, and every language together."""
    results, texts, split = evaluation["results"], evaluation["texts"], evaluation["split"]
    lines = []
    for part in ("dev", "heldout"):
        chosen = [t for t in texts if split[t.name] == part]
        paragraphs = sum(len(t.paragraphs) for t in chosen)
        lines.append(f"{part}: {len(chosen)} texts, {paragraphs} paragraphs")
    header = f"{'split':<8} {'method':<8} {'topic':<20}" + "".join(
        f" {lang:>13}" for lang in (*LANGUAGES, "all")
    )
    lines += [
        "",
        "precision/recall (paragraphs about the topic); '-': none about it and none tagged,",
        "'N fp': none about it, N tagged wrongly",
        header,
    ]
    for part in ("dev", "heldout"):
        for method in METHODS:
            for slug in CORE_TOPICS:
                cells = [_cell(results.get((part, method, slug, lang))) for lang in LANGUAGES]
                cells.append(_cell(_total(results, part, method, slug)))
                lines.append(
                    f"{part:<8} {method:<8} {slug:<20}" + "".join(f" {c:>13}" for c in cells)
                )
    if mistakes:
        lines += ["", "mistakes (development part only):"]
        for part, method, slug, _lang, kind, name, start in evaluation["mistakes"]:
            if part == "dev" and method == "context":
                lines.append(f"{name} {slug} {kind}: {start}")
    return "\n".join(lines)
