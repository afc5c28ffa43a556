"""Topic tags: suggested by the lexicons at ingestion and by `retag`, decided by people.

A suggestion (origin auto, state suggested) belongs to the machine: `retag` adds,
updates and removes suggestions as the lexicons change. Anything a person did — a
confirmed or rejected suggestion, a tag added by hand — is never changed or removed by
`retag`; each decision is kept as a TagDecision (who, when, before, after).
"""

import dataclasses
import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import reset_queries, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from library.languages import LEXICON_LANGUAGES
from library.models import (
    Passage,
    PassageTopic,
    SearchOutbox,
    TagDecision,
    Topic,
    TopicClassifier,
    TopicRetag,
)
from library.topics import jobs
from library.topics.learned import (
    LEARNED_THRESHOLD,
    features,
    fit,
    learned_hits,
    learned_models,
    lexical_marks,
    min_decisions,
    training_set,
)
from library.topics.lexicon import lexicon_errors
from library.topics.matching import Hit, compiled_topics, tag_passages
from library.topics.suggestions import learned_hit

AUTO, MANUAL = PassageTopic.Origin.AUTO, PassageTopic.Origin.MANUAL
SUGGESTED = PassageTopic.State.SUGGESTED
CONFIRMED = PassageTopic.State.CONFIRMED
REJECTED = PassageTopic.State.REJECTED
TAG_STATES = frozenset({SUGGESTED, CONFIRMED, REJECTED})
RETAG_BATCH = 5_000


@transaction.atomic
def topic_save(*, topic: Topic, user=None, apply: bool = True) -> Topic:
    """Add or change a topic (the admin's form writes through here). Refuses, naming the
    field and line, a lexicon that cannot be read. With `apply`, a changed lexicon is
    applied to the whole library after the commit (`topic_apply`, in the background),
    keeping every human decision; new bilag are tagged with the saved lexicons."""
    errors = lexicon_errors(topic)
    if errors:
        raise ValidationError(errors)
    topic.full_clean()
    before = Topic.objects.filter(pk=topic.pk).first() if topic.pk else None
    topic.save()
    changed = before is None or any(
        before.lexicon(code) != topic.lexicon(code) for code in LEXICON_LANGUAGES
    )
    if apply and changed:
        job = TopicRetag.objects.create(topic=topic, user=user, state=TopicRetag.State.RUNNING)
        jobs.after_commit(topic_apply, job_id=job.id)
    return topic


def topic_apply(*, job_id: int) -> TopicRetag:
    """Apply a topic's lexicon to the whole library in `retag`'s batches, recording the
    progress on the TopicRetag row (shown on the topic's admin page)."""
    job = TopicRetag.objects.select_related("topic").get(pk=job_id)
    job.total = Passage.objects.filter(boilerplate=False).count()
    job.save(update_fields=["total"])

    def progress(result: RetagResult) -> None:
        TopicRetag.objects.filter(pk=job_id).update(
            done=result.passages, added=result.added, removed=result.removed
        )

    try:
        retag(topic=job.topic, progress=False, on_batch=progress)
    except Exception as exc:  # the job's page says so; the batches done so far stand
        TopicRetag.objects.filter(pk=job_id).update(
            state=TopicRetag.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    TopicRetag.objects.filter(pk=job_id).update(
        state=TopicRetag.State.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _suggestions(rows, topics, models) -> dict[tuple[int, int], Hit]:
    """{(passage id, topic id): Hit} for content passages sorted by (bilag, ordinal):
    `rows` are (id, ordinal, text, language, bilag id). Each bilag is read in order
    (context), then the learned models add what the lexicons missed."""
    found: dict[tuple[int, int], Hit] = {}
    lexical: list[dict[int, Hit]] = []
    for _bilag, group in itertools.groupby(rows, key=lambda row: row[4]):
        group = list(group)
        hits = tag_passages([(o, t, lang) for _pid, o, t, lang, _b in group], topics)
        lexical += hits
        for row, passage_hits in zip(group, hits, strict=True):
            for topic_id, hit in passage_hits.items():
                found[(row[0], topic_id)] = hit
    scores = learned_hits(models, [row[2] for row in rows], lexical)
    for row, passage_scores in zip(rows, scores, strict=True):
        for topic_id, score in passage_scores.items():
            found[(row[0], topic_id)] = learned_hit(models[topic_id], score)
    return found


def _tag(passage_id: int, topic_id: int, hit: Hit) -> PassageTopic:
    return PassageTopic(
        passage_id=passage_id,
        topic_id=topic_id,
        origin=AUTO,
        state=SUGGESTED,
        reason=hit.reason,
        evidence=hit.evidence,
        score=hit.score,
    )


@dataclasses.dataclass
class RetagResult:
    passages: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept_human: int = 0


def retag(
    *,
    topic: Topic | None = None,
    progress: bool = True,
    batch: int = RETAG_BATCH,
    on_batch=None,
) -> RetagResult:
    """Re-apply the lexicons and learned models (of one topic, or all) to every
    passage, a batch of whole bilag at a time (a passage is read after the ones before
    it in its bilag).

    Per batch, one transaction: suggestions that no longer match are removed, new
    matches are suggested, reasons are refreshed. Tags a person decided or added are
    left exactly as they are. `on_batch(result)` is called after each batch.
    """
    topics = compiled_topics([topic.id] if topic else None)
    models = learned_models()
    if topic is not None:
        models = {tid: m for tid, m in models.items() if tid == topic.id}
    result = RetagResult()
    content = Passage.objects.filter(boilerplate=False)
    if not topics or not content.exists():
        return result
    counts = list(content.order_by("bilag_id").values_list("bilag_id").annotate(n=Count("id")))
    with tqdm(total=sum(n for _b, n in counts), unit="passage", disable=not progress) as bar:
        for low, high in _bilag_ranges(counts, batch):
            with transaction.atomic():
                _retag_batch(low, high, topics, models, result, bar)
            if on_batch is not None:
                on_batch(result)
            reset_queries()  # DEBUG keeps every query's SQL; a million rows of it add up
    return result


def _bilag_ranges(counts, batch: int):
    """(first, last) bilag ids of consecutive bilag holding about `batch` passages."""
    low, size = None, 0
    for bilag_id, n in counts:
        low = bilag_id if low is None else low
        size += n
        if size >= batch:
            yield low, bilag_id
            low, size = None, 0
    if low is not None:
        yield low, counts[-1][0]


def _retag_batch(low, high, topics, models, result, bar) -> None:
    topic_ids = [t.id for t in topics]
    rows = list(
        Passage.objects.filter(bilag__id__range=(low, high), boilerplate=False)
        .order_by("bilag_id", "ordinal")
        .values_list("id", "ordinal", "text", "language", "bilag_id")
    )
    # By the passages' own ids and unordered: the model's ordering (by passage, so by
    # bilag) made every batch join and sort three tables (1.3-1.5 s a batch at 1M
    # passages, against 0.5 s without it).
    existing = {
        (t.passage_id, t.topic_id): t
        for t in PassageTopic.objects.filter(
            passage_id__in=[row[0] for row in rows], topic_id__in=topic_ids
        )
        .order_by()
        .only("id", "passage_id", "topic_id", "origin", "state", "reason", "evidence", "score")
    }
    wanted = _suggestions(rows, topics, models)
    add, update, remove = [], [], []
    for key, hit in wanted.items():
        tag = existing.get(key)
        if tag is None:
            add.append(_tag(*key, hit))
        elif not tag.is_human and (tag.reason, tag.evidence) != (hit.reason, hit.evidence):
            tag.reason, tag.evidence, tag.score = hit.reason, hit.evidence, hit.score
            update.append(tag)
    for key, tag in existing.items():
        if tag.is_human:
            result.kept_human += 1
        elif key not in wanted:
            remove.append(tag.id)
    PassageTopic.objects.bulk_create(add, batch_size=1000)
    PassageTopic.objects.bulk_update(update, ["reason", "evidence", "score"], batch_size=1000)
    if remove:
        PassageTopic.objects.filter(id__in=remove, origin=AUTO, state=SUGGESTED).delete()
    removed = set(remove)
    changed = {t.passage_id for t in add} | {k[0] for k, t in existing.items() if t.id in removed}
    SearchOutbox.objects.queue_passages(
        Passage(id=pk, bilag_id=bilag_id) for pk, *_rest, bilag_id in rows if pk in changed
    )
    result.passages += len(rows)
    result.added += len(add)
    result.updated += len(update)
    result.removed += len(remove)
    bar.update(len(rows))


@transaction.atomic
def topic_train(*, topic: Topic) -> TopicClassifier | None:
    """Train (or retrain) a topic's classifier from the decisions people made on its
    tags; None, and any old classifier removed, when there are too few
    (BAGGRUND_TOPIC_LEARN_MIN_DECISIONS): the topic then relies on its lexicon alone.
    New bilag get its suggestions at once; `retag` applies them to the library."""
    examples = training_set(topic)
    if examples is None:
        TopicClassifier.objects.filter(topic=topic).delete()
        return None
    passages = Passage.objects.in_bulk(examples.passage_ids)
    rows = [passages[pid] for pid in examples.passage_ids]
    topics = compiled_topics()
    lexical = [tag_passages([(p.ordinal, p.text, p.language)], topics)[0] for p in rows]
    matrix = features([p.text for p in rows], [lexical_marks(h) for h in lexical])
    model = fit(
        topic.id,
        matrix,
        examples.labels,
        examples.weights,
        decisions=examples.decisions,
        threshold=LEARNED_THRESHOLD,
    )
    stored, _created = TopicClassifier.objects.update_or_create(
        topic=topic,
        defaults={
            "decisions": examples.decisions,
            "positives": examples.positives,
            "negatives": examples.negatives,
            "decision_mark": examples.decision_mark,
            "threshold": model.threshold,
            "weights": model.dumps(),
        },
    )
    return stored


def _retrain_if_due(topic_id: int) -> None:
    """Retrain a topic after BAGGRUND_TOPIC_RETRAIN_EVERY new decisions (or its first
    BAGGRUND_TOPIC_LEARN_MIN_DECISIONS), in the background after the commit."""
    mark = (
        TopicClassifier.objects.filter(topic_id=topic_id)
        .values_list("decision_mark", flat=True)
        .first()
    )
    new = TagDecision.objects.filter(tag__topic_id=topic_id, id__gt=mark or 0).count()
    due = settings.BAGGRUND_TOPIC_RETRAIN_EVERY if mark else min_decisions()
    if new >= due:
        jobs.after_commit(_train_by_id, topic_id=topic_id)


def _train_by_id(*, topic_id: int) -> None:
    topic_train(topic=Topic.objects.get(pk=topic_id))


@transaction.atomic
def tag_decide(*, tag: PassageTopic, state: str, user) -> PassageTopic:
    """Confirm or reject a tag (or undo to suggested, for an automatic one)."""
    if state not in TAG_STATES:
        raise ValidationError(_("'%(state)s' is not a tag state") % {"state": state})
    if state == SUGGESTED and tag.origin == MANUAL:
        raise ValidationError(_("A tag added by hand cannot go back to suggested."))
    tag = PassageTopic.objects.select_for_update().get(pk=tag.pk)
    if tag.state == state:
        return tag
    TagDecision.objects.create(tag=tag, user=user, before=tag.state, after=state)
    SearchOutbox.objects.queue_passages([tag.passage])
    tag.state = state
    tag.decided_by = user if state != SUGGESTED else None
    tag.decided_at = timezone.now() if state != SUGGESTED else None
    tag.save(update_fields=["state", "decided_by", "decided_at"])
    _retrain_if_due(tag.topic_id)
    return tag


@transaction.atomic
def tag_add(*, passage: Passage, topic: Topic, user) -> PassageTopic:
    """Tag a passage by hand (confirmed); an existing suggestion or rejection is confirmed."""
    if passage.boilerplate:
        raise ValidationError(_("Boilerplate passages are not tagged."))
    tag, created = PassageTopic.objects.get_or_create(
        passage=passage,
        topic=topic,
        defaults={
            "origin": MANUAL,
            "state": CONFIRMED,
            "reason": _("added by hand"),
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    if created:
        TagDecision.objects.create(tag=tag, user=user, before="", after=CONFIRMED)
        SearchOutbox.objects.queue_passages([passage])
        _retrain_if_due(topic.id)
        return tag
    return tag_decide(tag=tag, state=CONFIRMED, user=user)


@transaction.atomic
def tags_confirm(*, topic: Topic, tag_ids, user) -> int:
    """Confirm, in one transaction, those of these tags of `topic` that are still
    suggested (a review page's "confirm all on this page"); any other tag — decided
    meanwhile, of another topic, not listed — is left as it is. Returns how many were
    confirmed; each is a TagDecision like one confirmed by `tag_decide`."""
    tags = list(
        PassageTopic.objects.select_for_update(of=("self",))
        .filter(pk__in=list(tag_ids), topic=topic, origin=AUTO, state=SUGGESTED)
        .select_related("passage")
        .order_by("pk")
    )
    if not tags:
        return 0
    TagDecision.objects.bulk_create(
        [TagDecision(tag=tag, user=user, before=SUGGESTED, after=CONFIRMED) for tag in tags]
    )
    PassageTopic.objects.filter(pk__in=[tag.pk for tag in tags]).update(
        state=CONFIRMED, decided_by=user, decided_at=timezone.now()
    )
    SearchOutbox.objects.queue_passages([tag.passage for tag in tags])
    _retrain_if_due(topic.id)
    return len(tags)
