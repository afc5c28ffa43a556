"""Topic suggestions for a bilag being ingested: read before its write transaction,
stored in it.

`suggest_tags` reads the content passages in order (matching.BilagReader), a batch at
a time, the learned classifiers scoring each batch, and keeps each suggestion as one
tuple (ordinal, topic id, reason, evidence, score) whose reason and evidence are
shared with every suggestion that has the same ones: a file of a million short
paragraphs holds neither a million passages' words nor a Hit object per tag.
`Suggestions.staged()` writes them to a temporary table before the transaction
(bulk.StagedRows) and `tag_new_bilag`, in it, copies them to PassageTopic joined to
the new passages' ids by ordinal.
"""

import contextlib
import json
from itertools import islice

from django.db import connection
from django.utils import timezone

from library.models import Passage, PassageTopic
from library.topics import bulk
from library.topics.learned import learned_hits, learned_models
from library.topics.matching import BilagReader, Hit, compiled_topics

# Content passages read (and scored by the learned classifiers) at a time.
SUGGEST_BATCH = 2_000


def learned_hit(model, score: float) -> Hit:
    """The suggestion of a learned classifier (`model`) that scored a passage `score`."""
    evidence = [{"kind": "learned", "decisions": model.decisions, "score": round(score, 2)}]
    reason = f"learned from {model.decisions} decisions (score {score:.2f})"
    return Hit(reason, evidence, False, score=score)


class Suggestions:
    """A bilag's suggested tags before it is stored: (ordinal, topic id, reason,
    evidence, score) each, reasons and evidence shared between equal ones."""

    def __init__(self):
        self.rows: list[tuple] = []
        self._reasons: dict[str, str] = {}
        self._evidence: dict[str, list] = {}  # by its JSON
        self.stage: bulk.StagedRows | None = None

    def add(self, ordinal: int, topic_id: int, hit: Hit) -> None:
        reason = self._reasons.setdefault(hit.reason, hit.reason)
        evidence = self._evidence.setdefault(json.dumps(hit.evidence), hit.evidence)
        self.rows.append((ordinal, topic_id, reason, evidence, hit.score))

    def __len__(self) -> int:
        return len(self.rows)

    def hits(self) -> dict[tuple[int, int], Hit]:
        """{(ordinal, topic id): Hit}, as a person reads them (tests, benchmarks)."""
        return {
            (ordinal, tid): Hit(reason, evidence, False, score=score)
            for ordinal, tid, reason, evidence, score in self.rows
        }

    @contextlib.contextmanager
    def staged(self):
        """The suggestions written to a temporary table (before the transaction that
        stores them: tag_new_bilag), dropped on leaving."""
        self._reasons.clear()
        self._evidence.clear()
        fields = [Passage._meta.get_field("ordinal")] + [
            PassageTopic._meta.get_field(name) for name in ("topic", "reason", "evidence", "score")
        ]
        evidence = fields[3]
        prepared: dict[int, object] = {}  # by id() of a shared evidence list

        def db_evidence(value):
            found = prepared.get(id(value))
            if found is None:
                found = prepared[id(value)] = evidence.get_db_prep_save(value, connection)
            return found

        with bulk.StagedRows("baggrund_staged_tags", fields) as stage:
            stage.add(
                (ordinal, tid, reason, db_evidence(ev), score)
                for ordinal, tid, reason, ev, score in self.rows
            )
            self.stage = stage
            try:
                yield self
            finally:
                self.stage = None


def suggest_tags(passages) -> Suggestions:
    """The suggestions for one bilag's content passages before they are saved:
    `passages` are (ordinal, text, language) in order, read once, a batch at a time.
    Ingest reads them here, outside its write transaction, which then only stores them
    (tag_new_bilag)."""
    found = Suggestions()
    topics = compiled_topics()
    if not topics:
        return found
    models = learned_models()
    reader = BilagReader(topics)
    passages = iter(passages)
    while batch := list(islice(passages, SUGGEST_BATCH)):
        lexical = [reader.read(ordinal, text, language) for ordinal, text, language in batch]
        scores = learned_hits(models, [text for _o, text, _l in batch], lexical)
        for (ordinal, _text, _language), hits, learned in zip(batch, lexical, scores, strict=True):
            for topic_id, hit in hits.items():
                found.add(ordinal, topic_id, hit)
            for topic_id, score in learned.items():
                found.add(ordinal, topic_id, learned_hit(models[topic_id], score))
    return found


def tag_new_bilag(bilag, suggestions: Suggestions) -> int:
    """Store the suggested tags (suggest_tags, read before the ingest's transaction) of
    a just-ingested bilag's passages, in that transaction: one INSERT … SELECT from the
    staged suggestions, joined to the passages by ordinal. Returns how many."""
    if not suggestions:
        return 0
    if suggestions.stage is None:
        with suggestions.staged():
            return tag_new_bilag(bilag, suggestions)
    stage = suggestions.stage
    field = PassageTopic._meta.get_field
    quote = connection.ops.quote_name
    column = {name: quote(Passage._meta.get_field(name).column) for name in ("bilag", "ordinal")}
    # The passage's id looked up for each staged row (by the unique bilag and ordinal):
    # as a JOIN, SQLite may read the bilag's passages first and scan the staged rows
    # for each, which is quadratic.
    passage_id = (
        f"(SELECT p.{quote('id')} FROM {quote(Passage._meta.db_table)} p "
        f"WHERE p.{column['bilag']} = {bulk.parameter(Passage._meta.get_field('bilag'))} "
        f"AND p.{column['ordinal']} = {stage.column('ordinal')})"
    )
    at = {
        name: stage.column(field(name).column) for name in ("topic", "reason", "evidence", "score")
    }
    columns = [("passage", passage_id), *at.items()] + [
        (name, bulk.parameter(field(name))) for name in ("origin", "state", "created_at")
    ]
    sql = stage.copy_sql(
        PassageTopic,
        targets=[field(name).column for name, _select in columns],
        select=[select for _name, select in columns],
        tail=f"ORDER BY {stage.column('ordinal')}, {at['topic']}",
    )
    created = field("created_at").get_db_prep_save(timezone.now(), connection)
    params = [PassageTopic.Origin.AUTO.value, PassageTopic.State.SUGGESTED.value, created]
    with connection.cursor() as cursor:
        cursor.execute(sql, [bilag.id, *params])
    return stage.rows
