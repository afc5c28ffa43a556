"""How well the topic lexicons tag the seed passages, against hand labels.

seeds/topic_labels.toml labels every non-boilerplate passage of the seed files: the
topics it is `about` (and, for the record, hard negatives under `not_about`). A passage
not labelled `about` a topic counts as NOT about it, whether or not it is listed under
`not_about`. Only the topics named in the file's `topics` list are measured.

The passages are the ones ingestion made: each seed file is looked up in the database by
its SHA-256, so the seeds must have been ingested (`manage.py ingest seeds/`, or the
test's fixture). Each label carries the first 40 characters of its passage, so a changed
split fails with a LabelError instead of measuring the wrong passages. Tags are computed
afresh with `library.topics.topics_for` and the topics as they are in the database now,
not read from PassageTopic rows.
"""

import hashlib
import tomllib
from pathlib import Path

from library.models import Bilag, Topic
from library.topics.matching import compiled_topics, topics_for

LABELS_PATH = Path(__file__).resolve().parents[2] / "seeds" / "topic_labels.toml"
START_CHARS = 40


class LabelError(ValueError):
    """The labels do not fit the seeds or topics as they are; the message says where."""


def load_labels(labels_path=None) -> dict:
    path = Path(labels_path or LABELS_PATH)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    if not data.get("topics") or not data.get("files"):
        raise LabelError(f"{path}: needs a `topics` list and [files.…] tables")
    return data


def _seed_passages(seeds_dir: Path, name: str) -> dict[int, object]:
    """The ingested bilag's non-boilerplate passages by ordinal."""
    seed = seeds_dir / name
    if not seed.is_file():
        raise LabelError(f"{name}: no such seed file in {seeds_dir}")
    sha256 = hashlib.sha256(seed.read_bytes()).hexdigest()
    bilag = Bilag.objects.filter(sha256=sha256).first()
    if bilag is None:
        raise LabelError(f"{name}: not ingested in this database (run `manage.py ingest seeds/`)")
    return {
        p.ordinal: p
        for p in bilag.passages.filter(boilerplate=False).only("ordinal", "text", "language")
    }


def topic_quality(labels_path=None) -> dict[str, dict]:
    """{slug: {precision, recall, tp, fp, fn, mistakes}} for each labelled topic.

    precision = tp / (tp + fp) and recall = tp / (tp + fn); 1.0 when the denominator is
    0 (no tags, or no passage about the topic). `mistakes` lists dicts with file,
    ordinal, topic, kind ("fp" or "fn"), reason (what the lexicon matched, for an fp;
    empty for an fn) and start (the passage's first 40 characters).
    """
    path = Path(labels_path or LABELS_PATH)
    data = load_labels(path)
    slugs = list(data["topics"])
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in topics]
    if missing:
        raise LabelError(f"{path}: topics not in the database: {', '.join(missing)}")
    compiled = compiled_topics()
    slug_of = {t.id: t.slug for t in topics.values()}
    result = {s: {"tp": 0, "fp": 0, "fn": 0, "mistakes": []} for s in slugs}

    for name, labelled in sorted(data["files"].items()):
        passages = _seed_passages(path.parent, name)
        ordinals = {int(k) for k in labelled}
        if ordinals != set(passages):
            raise LabelError(
                f"{name}: labelled passages {sorted(ordinals)} are not the ingested "
                f"non-boilerplate passages {sorted(passages)}"
            )
        for key, label in sorted(labelled.items(), key=lambda item: int(item[0])):
            passage = passages[int(key)]
            about = _checked_label(name, key, label, passage, slugs)
            earlier = [o for o in passages if o < int(key)]
            previous = passages[max(earlier)].text if earlier else None
            found = {
                slug_of[tid]: why
                for tid, why in topics_for(
                    passage.text, passage.language, compiled, previous
                ).items()
                if tid in slug_of
            }
            for slug in slugs:
                _score(result[slug], slug, found, about, name, passage)
    for counts in result.values():
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        counts["precision"] = tp / (tp + fp) if tp + fp else 1.0
        counts["recall"] = tp / (tp + fn) if tp + fn else 1.0
    return result


def _checked_label(name: str, key: str, label: dict, passage, slugs) -> set[str]:
    """The topics a label says the passage is about, once the label fits the passage."""
    if passage.text[:START_CHARS] != label.get("start"):
        raise LabelError(
            f"{name} §{key}: the passage starts {passage.text[:START_CHARS]!r}, "
            f"the label says {label.get('start')!r}"
        )
    about = set(label.get("about", []))
    unknown = (about | set(label.get("not_about", []))) - set(slugs)
    if unknown:
        raise LabelError(f"{name} §{key}: unknown topics {sorted(unknown)}")
    return about


def _score(counts: dict, slug: str, found: dict, about: set, name: str, passage) -> None:
    """Count one passage for one topic: a true positive, or a mistake kept with its why."""
    tagged, wanted = slug in found, slug in about
    if tagged and wanted:
        counts["tp"] += 1
    elif tagged or wanted:
        kind = "fp" if tagged else "fn"
        counts[kind] += 1
        counts["mistakes"].append(
            {
                "file": name,
                "ordinal": passage.ordinal,
                "topic": slug,
                "kind": kind,
                "reason": found[slug] if tagged else "",
                "start": passage.text[:START_CHARS],
            }
        )


def format_quality(result: dict[str, dict]) -> str:
    """The table and the mistakes, as `manage.py topic_quality` prints them."""
    width = max([len("topic"), *(len(s) for s in result)])
    lines = [f"{'topic':<{width}}  {'tp':>3} {'fp':>3} {'fn':>3}  precision  recall"]
    for slug, q in result.items():
        lines.append(
            f"{slug:<{width}}  {q['tp']:>3} {q['fp']:>3} {q['fn']:>3}  "
            f"{q['precision']:>9.2f}  {q['recall']:>6.2f}"
        )
    mistakes = [m for q in result.values() for m in q["mistakes"]]
    if mistakes:
        lines += ["", "mistakes:"]
        for m in sorted(mistakes, key=lambda m: (m["file"], m["ordinal"], m["topic"])):
            detail = m["reason"] or m["start"] + "…"
            lines.append(f"{m['file']} §{m['ordinal']} {m['topic']} {m['kind']}: {detail}")
    return "\n".join(lines)
