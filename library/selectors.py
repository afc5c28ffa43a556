"""Reads from the library: lists, one bilag, its passages for a page, and the export."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from library.models import Bilag, BilagChange, Passage, PassageTopic
from library.serializers import bilag_as_dict


def bilag_list() -> QuerySet[Bilag]:
    """All bilag, newest number first, with what a list row shows."""
    return Bilag.objects.select_related("publisher").defer("full_text")


def bilag_get(number: int) -> Bilag:
    """One bilag with its publisher; raises Bilag.DoesNotExist."""
    return Bilag.objects.select_related("publisher").get(number=number)


def bilag_passages(bilag: Bilag) -> list[Passage]:
    """The bilag's passages in reading order (the bilag page)."""
    return list(bilag.passages.order_by("ordinal"))


def bilag_history(bilag: Bilag) -> QuerySet[BilagChange]:
    """Every correction and withdrawal of the bilag, oldest first, with who did it."""
    return bilag.changes.select_related("user").order_by("at", "id")


def _passages_with_topics() -> QuerySet[Passage]:
    """Passages in order, each with its live tags prefetched (as `live_tags`)."""
    live = PassageTopic.objects.live().select_related("topic").order_by("topic__slug")
    return Passage.objects.order_by("ordinal").prefetch_related(
        Prefetch("topic_tags", queryset=live, to_attr="live_tags")
    )


def passages_with_live_tags(bilag: Bilag) -> list[Passage]:
    """The bilag's passages, each with `live_tags`, for `serializers.bilag_as_dict`."""
    return list(_passages_with_topics().filter(bilag=bilag))


def bilag_export(chunk_size: int = 200) -> Iterator[dict]:
    """Every bilag in number order in the export shape, streamed in chunks (three
    queries a chunk: bilag, their passages, the passages' tags)."""
    queryset = (
        Bilag.objects.select_related("publisher")
        .defer("full_text")
        .order_by("number")
        .prefetch_related(Prefetch("passages", queryset=_passages_with_topics()))
    )
    for bilag in queryset.iterator(chunk_size=chunk_size):
        yield bilag_as_dict(bilag, list(bilag.passages.all()))
