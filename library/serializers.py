"""The library's JSON shapes: a bilag (the `export` command, /api/bilag/<number>) and a
search result page (/api/search). Shapes only: the selectors load what they need."""

from library.models import Bilag, Passage


def bilag_as_dict(bilag: Bilag, passages: list[Passage]) -> dict:
    """The export shape of one bilag; `passages` come from
    `selectors.passages_with_live_tags` (each with its `live_tags`)."""
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
        "ocr_pages": list(bilag.ocr_pages),
        "unread_pages": list(bilag.unread_pages),
        "passages": [
            {
                "ordinal": p.ordinal,
                "page": p.page,
                "ocr": bilag.is_ocr_page(p.page),
                "language": p.language,
                "text": p.text,
                "boilerplate": p.boilerplate,
                "topics": [tag.topic.slug for tag in p.live_tags],
            }
            for p in passages
        ],
    }


def _hit_as_dict(hit) -> dict:
    return {
        "bilag": hit.bilag.number,
        "ordinal": hit.passage.ordinal,
        "snippet": str(hit.snippet),
        "topics": [topic.slug for topic in hit.topics],
        "via_topic": [topic.slug for topic in hit.via_topics],
        "rank": hit.rank,
        "title": hit.bilag.title,
        "publisher": hit.bilag.publisher.name if hit.bilag.publisher else None,
        "country": hit.bilag.country,
        "published": hit.bilag.published_iso(),
        "intake": hit.bilag.intake.isoformat(),
        "status": hit.bilag.status,
        "url": hit.passage.get_absolute_url(),
    }


def search_results_as_dict(results) -> dict:
    """The /api/search shape of a `search.selectors.SearchResults`."""
    return {
        "query": results.raw_query,
        "ignored": list(results.query.ignored) if results.query else [],
        "expanded_topics": [topic.slug for topic in results.expanded_topics],
        "sort": results.sort,
        "total": results.total,
        "estimated": False,  # counts are exact since the Tantivy index; kept for clients
        "via_total": results.via_total,
        "page": results.page,
        "per_page": results.per_page,
        "num_pages": results.num_pages,
        "hits": [_hit_as_dict(hit) for hit in results.hits],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }
