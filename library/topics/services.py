"""Topic tags: suggested by the lexicons at ingestion and by `retag`, decided by people.

A suggestion (origin auto, state suggested) belongs to the machine: `retag` adds,
updates and removes suggestions as the lexicons change. Anything a person did — a
confirmed or rejected suggestion, a tag added by hand — is never changed or removed by
`retag`; each decision is kept as a TagDecision (who, when, before, after).
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from library.models import Passage, PassageTopic, SearchOutbox, TagDecision, Topic
from library.topics.lexicon import lexicon_errors
from library.topics.matching import compiled_topics, topics_for

AUTO, MANUAL = PassageTopic.Origin.AUTO, PassageTopic.Origin.MANUAL
SUGGESTED = PassageTopic.State.SUGGESTED
CONFIRMED = PassageTopic.State.CONFIRMED
REJECTED = PassageTopic.State.REJECTED
TAG_STATES = frozenset({SUGGESTED, CONFIRMED, REJECTED})
RETAG_BATCH = 5_000


@transaction.atomic
def topic_save(*, topic: Topic, user=None) -> Topic:
    """Add or change a topic (the admin's form writes through here). Refuses, naming the
    field and line, a lexicon that cannot be read. New bilag are tagged with the saved
    lexicons; `manage.py retag --topic SLUG` applies them to the library."""
    errors = lexicon_errors(topic)
    if errors:
        raise ValidationError(errors)
    topic.full_clean()
    topic.save()
    return topic


def tag_new_bilag(bilag) -> int:
    """Suggest tags for a just-ingested bilag's passages (same transaction)."""
    topics = compiled_topics()
    if not topics:
        return 0
    tags, previous = [], None
    for p in (
        bilag.passages.filter(boilerplate=False)
        .order_by("ordinal")
        .only("id", "bilag_id", "text", "language")
    ):
        tags += [
            PassageTopic(passage_id=p.id, topic_id=tid, origin=AUTO, state=SUGGESTED, reason=why)
            for tid, why in topics_for(p.text, p.language, topics, previous).items()
        ]
        previous = p.text
    PassageTopic.objects.bulk_create(tags, batch_size=1000)
    return len(tags)


@dataclasses.dataclass
class RetagResult:
    passages: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept_human: int = 0


def retag(*, topic: Topic | None = None, progress: bool = True, batch: int = RETAG_BATCH):
    """Re-apply the lexicons (of one topic, or all) to every passage, in batches.

    Per batch of passage ids, one transaction: suggestions that no longer match are
    removed, new matches are suggested, reasons are refreshed. Tags a person decided
    or added are left exactly as they are.
    """
    topics = compiled_topics([topic.id] if topic else None)
    topic_ids = [t.id for t in topics]
    result = RetagResult()
    bounds = Passage.objects.filter(boilerplate=False).order_by("id")
    first = bounds.values_list("id", flat=True).first()
    last = bounds.reverse().values_list("id", flat=True).first()
    if first is None or not topics:
        return result
    total = Passage.objects.filter(boilerplate=False).count()
    with tqdm(total=total, unit="passage", disable=not progress) as bar:
        for start in range(first, last + 1, batch):
            with transaction.atomic():
                _retag_batch(start, start + batch - 1, topics, topic_ids, result, bar)
            reset_queries()  # DEBUG keeps every query's SQL; a million rows of it add up
    return result


def _retag_batch(low, high, topics, topic_ids, result, bar) -> None:
    rows = list(
        Passage.objects.filter(id__range=(low, high), boilerplate=False)
        .order_by("bilag_id", "ordinal")
        .values_list("id", "text", "language", "bilag_id", "ordinal")
    )
    previous = _previous_texts(rows)
    existing = {
        (t.passage_id, t.topic_id): t
        for t in PassageTopic.objects.filter(
            passage__id__range=(low, high), topic_id__in=topic_ids
        ).only("id", "passage_id", "topic_id", "origin", "state", "reason")
    }
    wanted = {}
    for passage_id, text, language, _bilag, _ordinal in rows:
        before = previous.get(passage_id)
        for topic_id, why in topics_for(text, language, topics, before).items():
            wanted[(passage_id, topic_id)] = why
    add, update, remove = [], [], []
    for key, why in wanted.items():
        tag = existing.get(key)
        if tag is None:
            add.append(
                PassageTopic(
                    passage_id=key[0], topic_id=key[1], origin=AUTO, state=SUGGESTED, reason=why
                )
            )
        elif not tag.is_human and tag.reason != why:
            tag.reason = why
            update.append(tag)
    for key, tag in existing.items():
        if tag.is_human:
            result.kept_human += 1
        elif key not in wanted:
            remove.append(tag.id)
    PassageTopic.objects.bulk_create(add, batch_size=1000)
    PassageTopic.objects.bulk_update(update, ["reason"], batch_size=1000)
    if remove:
        PassageTopic.objects.filter(id__in=remove, origin=AUTO, state=SUGGESTED).delete()
    removed = set(remove)
    changed = {t.passage_id for t in add} | {k[0] for k, t in existing.items() if t.id in removed}
    SearchOutbox.objects.queue_passages(
        Passage(id=pk, bilag_id=bilag_id) for pk, _t, _l, bilag_id, _o in rows if pk in changed
    )
    result.passages += len(rows)
    result.added += len(add)
    result.updated += len(update)
    result.removed += len(remove)
    bar.update(len(rows))


def _previous_texts(rows) -> dict[int, str]:
    """{passage id: text of the content passage before it in its bilag} for a batch
    sorted by (bilag, ordinal); one query for bilag that began in an earlier batch."""
    previous, last = {}, {}
    firsts = {}
    for passage_id, text, _language, bilag_id, ordinal in rows:
        if bilag_id in last:
            previous[passage_id] = last[bilag_id]
        else:
            firsts[bilag_id] = (passage_id, ordinal)
        last[bilag_id] = text
    for bilag_id, (passage_id, ordinal) in firsts.items():
        if ordinal > 1:
            earlier = (
                Passage.objects.filter(bilag_id=bilag_id, ordinal__lt=ordinal, boilerplate=False)
                .order_by("-ordinal")
                .values_list("text", flat=True)
                .first()
            )
            if earlier is not None:
                previous[passage_id] = earlier
    return previous


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
        return tag
    return tag_decide(tag=tag, state=CONFIRMED, user=user)
