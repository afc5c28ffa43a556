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


def bilag_as_dict(bilag: Bilag, passages: list[Passage] | None = None) -> dict:
    """The export shape of one bilag (the `export` command and /api/bilag/<number>)."""
    if passages is None:
        passages = list(bilag.passages.order_by("ordinal"))
    topics: dict[int, list[str]] = {}
    for passage_id, slug in (
        PassageTopic.objects.filter(passage__bilag=bilag)
        .exclude(state=PassageTopic.State.REJECTED)
        .order_by("topic__slug")
        .values_list("passage_id", "topic__slug")
    ):
        topics.setdefault(passage_id, []).append(slug)
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
                "topics": topics.get(p.id, []),
            }
            for p in passages
        ],
    }


def bilag_export(chunk_size: int = 200) -> Iterator[dict]:
    """Every bilag in number order in the export shape, streamed in chunks."""
    queryset = (
        Bilag.objects.select_related("publisher")
        .defer("full_text")
        .order_by("number")
        .prefetch_related(Prefetch("passages", queryset=Passage.objects.order_by("ordinal")))
    )
    for bilag in queryset.iterator(chunk_size=chunk_size):
        yield bilag_as_dict(bilag, list(bilag.passages.all()))
