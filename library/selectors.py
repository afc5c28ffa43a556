"""Reads from the library: lists, one bilag, and the export shape shared by the API."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from library.models import Bilag, Passage, PassageTopic


def bilag_list() -> QuerySet[Bilag]:
    """All bilag, newest number first, with what a list row shows."""
    return Bilag.objects.select_related("publisher").defer("full_text")


def bilag_get(number: int) -> Bilag:
    """One bilag with its publisher; raises Bilag.DoesNotExist."""
    return Bilag.objects.select_related("publisher").get(number=number)


def _passages_with_topics():
    """Passages in order, each with its non-rejected tags prefetched (as `live_tags`)."""
    live = (
        PassageTopic.objects.exclude(state=PassageTopic.State.REJECTED)
        .select_related("topic")
        .order_by("topic__slug")
    )
    return Passage.objects.order_by("ordinal").prefetch_related(
        Prefetch("topic_tags", queryset=live, to_attr="live_tags")
    )


def bilag_as_dict(bilag: Bilag, passages: list[Passage] | None = None) -> dict:
    """The export shape of one bilag (the `export` command and /api/bilag/<number>).

    `passages`, when given, come from _passages_with_topics() (bilag_export prefetches).
    """
    if passages is None:
        passages = list(_passages_with_topics().filter(bilag=bilag))
    return {
        "number": bilag.number,
        "country": bilag.country,
        "publisher": bilag.publisher.name if bilag.publisher else None,
        "title": bilag.title,
        "published": bilag.published_iso(),
        "intake": bilag.intake.isoformat(),
        "language": bilag.language,
        "status": bilag.status,
        "withdrawn_on": bilag.withdrawn_on.isoformat() if bilag.withdrawn_on else None,
        "withdrawn_reason": bilag.withdrawn_reason or None,
        "sha256": bilag.sha256,
        "passages": [
            {
                "ordinal": p.ordinal,
                "text": p.text,
                "boilerplate": p.boilerplate,
                "topics": [tag.topic.slug for tag in p.live_tags],
            }
            for p in passages
        ],
    }


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
