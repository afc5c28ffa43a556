"""The search page (`/`) and its JSON twin (`/api/search`)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casefiles.selectors import cited_in
from library.search.selectors import PER_PAGE, SearchResults, passage_search


def _search(request: HttpRequest, per_page=PER_PAGE) -> SearchResults:
    return passage_search(
        query=request.GET.get("q", ""),
        filters=request.GET,
        sort=request.GET.get("sort", ""),
        page=request.GET.get("page", 1),
        per_page=per_page,
    )


def _facet_href(request: HttpRequest, name: str, facet) -> str:
    """The page with this facet value chosen (or, when it is chosen, removed)."""
    if name == "status" or not facet.value:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    if facet.selected:
        query.pop(name, None)
    else:
        query[name] = facet.value
    return "?" + query.urlencode()


@permission_required("library.view_bilag", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    """Search passages: query box, filters, facets, hits with highlighted snippets."""
    results = _search(request)
    # The reader's own cases that cite a hit (never anyone else's).
    cases_by_passage = cited_in(request.user, [hit.passage.id for hit in results.hits])
    for hit in results.hits:
        hit.passage.cited_in = cases_by_passage.get(hit.passage.id, [])
    for name, values in results.facets.items():
        for facet in values:
            facet.href = _facet_href(request, name, facet)
    return render(request, "library/search.html", {"results": results})


@permission_required("library.view_bilag", raise_exception=True)
def api_search(request: HttpRequest) -> JsonResponse:
    """The search as JSON: same parameters as the page, plus per_page (at most 100)."""
    try:
        per_page = int(request.GET.get("per_page", PER_PAGE))
    except ValueError:
        return JsonResponse({"error": _("per_page must be a whole number.")}, status=400)
    results = _search(request, per_page=per_page)
    if results.error:
        return JsonResponse({"error": results.error}, status=400)
    if not results.searched:
        return JsonResponse({"error": _("Give a query (q) or at least one filter.")}, status=400)
    return JsonResponse(
        {
            "query": results.raw_query,
            "ignored": list(results.query.ignored) if results.query else [],
            "expanded_topics": [topic.slug for topic in results.expanded_topics],
            "sort": results.sort,
            "total": results.total,
            "estimated": results.estimated,
            "via_total": results.via_total,
            "page": results.page,
            "per_page": results.per_page,
            "num_pages": results.num_pages,
            "hits": [
                {
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
                for hit in results.hits
            ],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in results.facets.items()
            },
        }
    )
