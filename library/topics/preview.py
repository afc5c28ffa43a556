"""What a lexicon change would do, before it is saved: the passages that would gain and
lose the topic, with examples (the topic's admin page shows it).

The topic as stored and the topic as edited are both matched against the same
passages, each bilag read in order (context entries included); passages where a person
decided the topic are left out, since applying the change never touches them. A
library of up to PREVIEW_PASSAGES content passages is read whole; a larger one through
an even spread of its bilag, and the counts are scaled up and marked as estimates.
"""

import dataclasses
import itertools

from django.db.models import Count

from library.models import Passage, PassageTopic, Topic, explain
from library.topics.matching import compile_topic, tag_passages

PREVIEW_PASSAGES = 20_000
EXAMPLES = 5


@dataclasses.dataclass
class Example:
    passage: Passage
    reason: str


@dataclasses.dataclass
class Preview:
    total: int = 0  # content passages in the library
    checked: int = 0  # of them, read for this preview
    gain: int = 0
    lose: int = 0
    unchanged: int = 0  # passages tagged before and after
    gain_examples: list[Example] = dataclasses.field(default_factory=list)
    lose_examples: list[Example] = dataclasses.field(default_factory=list)

    @property
    def estimated(self) -> bool:
        return self.checked < self.total

    def _scaled(self, n: int) -> int:
        return round(n * self.total / self.checked) if self.checked else 0

    @property
    def gain_total(self) -> int:
        return self._scaled(self.gain)

    @property
    def lose_total(self) -> int:
        return self._scaled(self.lose)


def _bilag_ids(limit: int) -> tuple[list[int], int]:
    """Bilag ids to read (all, or an even spread holding about `limit` passages), and
    the number of content passages in the library."""
    counts = list(
        Passage.objects.filter(boilerplate=False)
        .order_by("bilag_id")
        .values_list("bilag_id")
        .annotate(n=Count("id"))
    )
    total = sum(n for _b, n in counts)
    if total <= limit:
        return [b for b, _n in counts], total
    step = total / limit
    chosen, seen, next_at = [], 0, 0.0
    for bilag_id, n in counts:
        if seen >= next_at:
            chosen.append(bilag_id)
            next_at += step * n
        seen += n
    return chosen, total


def lexicon_preview(*, topic: Topic, limit: int = PREVIEW_PASSAGES) -> Preview:
    """Compare the stored topic with `topic` (edited, not saved) over the library."""
    stored = Topic.objects.filter(pk=topic.pk).first() if topic.pk else None
    old = compile_topic(stored) if stored else None
    new = compile_topic(topic)
    decided = (
        set(
            PassageTopic.objects.filter(topic=stored)
            .exclude(origin=PassageTopic.Origin.AUTO, state=PassageTopic.State.SUGGESTED)
            .values_list("passage_id", flat=True)
        )
        if stored
        else set()
    )
    bilag_ids, total = _bilag_ids(limit)
    preview = Preview(total=total)
    for start in range(0, len(bilag_ids), 500):
        chunk = bilag_ids[start : start + 500]
        rows = (
            Passage.objects.filter(bilag_id__in=chunk, boilerplate=False)
            .select_related("bilag")
            .order_by("bilag_id", "ordinal")
            .only("id", "ordinal", "text", "language", "bilag__number", "bilag_id")
        )
        for _bilag, group in itertools.groupby(rows, key=lambda p: p.bilag_id):
            group = list(group)
            preview.checked += len(group)
            read = [(p.ordinal, p.text, p.language) for p in group]
            after = tag_passages(read, [new])
            before = tag_passages(read, [old]) if old else [{} for _ in group]
            for passage, was, now in zip(group, before, after, strict=True):
                if passage.id in decided:
                    continue
                _count(preview, passage, was.get(old.id) if old else None, now.get(new.id))
    return preview


def _count(preview: Preview, passage: Passage, was, now) -> None:
    if was and now:
        preview.unchanged += 1
    elif now:
        preview.gain += 1
        if len(preview.gain_examples) < EXAMPLES:
            preview.gain_examples.append(Example(passage, explain(now.evidence)))
    elif was:
        preview.lose += 1
        if len(preview.lose_examples) < EXAMPLES:
            preview.lose_examples.append(Example(passage, explain(was.evidence)))
