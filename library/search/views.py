"""The search page (`/`) and its JSON twin (`/api/search`)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from library import extensions
from library.search.filters import ALL
from library.search.results import PER_PAGE, SearchResults
from library.search.selectors import passage_search
from library.serializers import search_results_as_dict


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


def _with_withdrawn_href(request: HttpRequest) -> str:
    """The same search with the hits in withdrawn bilag included (status "all")."""
    query = request.GET.copy()
    query.pop("page", None)
    query["status"] = ALL
    return "?" + query.urlencode()


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search passages: query box, filters, facets, hits with highlighted snippets."""
    results = _search(request)
    extensions.annotate(request, [hit.passage for hit in results.hits])
    for name, values in results.facets.items():
        for facet in values:
            facet.href = _facet_href(request, name, facet)
    if results.withdrawn_hidden:
        results.withdrawn_href = _with_withdrawn_href(request)
    return render(request, "library/search.html", {"results": results}, status=_status(results))


def _status(results: SearchResults, *, api: bool = False) -> int:
    """200; 400 for a query or filter the page cannot read (the page says which and
    why); 503 when the search index cannot be read. A query of common words only is
    read: the page answers it with its advice and 200 (the API with 400)."""
    if results.unavailable:
        return 503
    if results.nothing_to_search and not api:
        return 200
    return 400 if results.error else 200


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def api_search(request: HttpRequest) -> JsonResponse:
    """The search as JSON: same parameters as the page, plus per_page (at most 100)."""
    try:
        per_page = int(request.GET.get("per_page", PER_PAGE))
    except ValueError:
        return JsonResponse({"error": _("per_page must be a whole number.")}, status=400)
    results = _search(request, per_page=per_page)
    if results.error:
        return JsonResponse({"error": results.error}, status=_status(results, api=True))
    if not results.searched:
        return JsonResponse({"error": _("Give a query (q) or at least one filter.")}, status=400)
    return JsonResponse(search_results_as_dict(results))
