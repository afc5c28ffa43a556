"""Reads of topics and tags: a bilag page's tags, the topics offered, the review queue."""

from django.db.models import Count, Q, QuerySet

from library.models import Bilag, Passage, PassageTopic, Topic


def tags_by_passage(bilag: Bilag) -> dict[int, list[PassageTopic]]:
    """{passage id: its tags, every state, by topic slug} for one bilag (one query)."""
    found: dict[int, list[PassageTopic]] = {}
    for tag in (
        PassageTopic.objects.filter(passage__bilag=bilag)
        .select_related("topic", "decided_by")
        .order_by("topic__slug")
    ):
        found.setdefault(tag.passage_id, []).append(tag)
    return found


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def topics_with_waiting() -> QuerySet[Topic]:
    """Every topic with `waiting`: how many of its tags are suggested, undecided."""
    return Topic.objects.annotate(
        waiting=Count("passage_tags", filter=Q(passage_tags__state=PassageTopic.State.SUGGESTED))
    )


def review_queue(topic: Topic) -> QuerySet[PassageTopic]:
    """A topic's suggested tags in bilag and passage order, for the review page."""
    return (
        PassageTopic.objects.filter(topic=topic, state=PassageTopic.State.SUGGESTED)
        .select_related("passage__bilag__publisher")
        .order_by("passage__bilag__number", "passage__ordinal")
    )


def tag_get(tag_id: int) -> PassageTopic:
    """One tag with its passage, bilag and topic; raises PassageTopic.DoesNotExist."""
    return PassageTopic.objects.select_related("passage__bilag", "topic").get(pk=tag_id)


def passage_get(number: int, ordinal: int) -> Passage:
    """Passage `ordinal` of bilag `number`; raises Passage.DoesNotExist."""
    return Passage.objects.by_reference(number, ordinal)


def topic_get(pk) -> Topic:
    """Raises Topic.DoesNotExist (or ValueError for a pk that is not a number)."""
    return Topic.objects.get(pk=int(pk))
