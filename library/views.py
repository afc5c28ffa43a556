"""The library's pages: the list, one bilag, its original, upload, correction, withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from library import bilag_page, extensions, selectors
from library.filters import BilagFilter
from library.forms import (
    BilagEditForm,
    WithdrawForm,
    add_validation_errors,
    publisher_names,
)
from library.ingest import formats
from library.models import Bilag
from library.search import highlight
from library.search import query as search_query
from library.serializers import bilag_as_dict
from library.services import bilag_update, bilag_withdraw
from library.topics import selectors as topic_selectors

PAGE_SIZE = 50


def _get_bilag_or_404(number: int) -> Bilag:
    try:
        return selectors.bilag_get(number)
    except Bilag.DoesNotExist as exc:
        raise Http404(_("No bilag with number %(number)s.") % {"number": number}) from exc


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def bilag_list_view(request: HttpRequest) -> HttpResponse:
    """The library: every bilag, filtered and paginated."""
    bilag_filter = BilagFilter(request.GET, queryset=selectors.bilag_list())
    # A filter it cannot read lists nothing rather than everything: the form says which.
    queryset = bilag_filter.qs if not bilag_filter.errors else bilag_filter.queryset.none()
    if not request.GET.get("order"):
        queryset = queryset.order_by("-number")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/bilag_list.html",
        {"filter": bilag_filter, "page": page, "query": query.urlencode()},
        status=400 if bilag_filter.errors else 200,  # the form says which filter and why
    )


def _cited_span(request: HttpRequest, passages) -> tuple[int, int, int]:
    """(ordinal, start, end) from ?p=&from=&to= when they name a span of a passage."""
    try:
        ordinal, start, end = (int(request.GET[k]) for k in ("p", "from", "to"))
    except (KeyError, ValueError):
        return (0, 0, 0)
    for passage in passages:
        if passage.ordinal == ordinal and passage.contains_span(start, end):
            return (ordinal, start, end)
    return (0, 0, 0)


def _query(request: HttpRequest) -> search_query.Query | None:
    """The search query a hit linked here with (?q=…), to mark its words; None if none."""
    if not request.GET.get("q"):
        return None
    try:
        return search_query.parse(request.GET["q"])
    except search_query.QueryError:
        return None


def _mark(passages, query, cited: tuple[int, int, int], find: str = "") -> None:
    """Set each passage's `marked` text: the cited words on the cited passage (arriving
    from a citation), the query's words elsewhere (arriving from a search hit), and the
    words found with the page's find box (?find=…) anywhere, counted in `found`."""
    for passage in passages:
        marks = [(s, e, bilag_page.FOUND) for s, e in bilag_page.found_spans(passage.text, find)]
        passage.found = len(marks)
        if passage.ordinal == cited[0]:
            marks.append((cited[1], cited[2], bilag_page.CITED))
        elif not passage.boilerplate:
            spans = highlight.marked_spans(passage.text, passage.language, query)
            marks.extend((s, e, bilag_page.QUERY) for s, e in spans)
        passage.marked = bilag_page.render(passage.text, marks)


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def bilag_detail(request: HttpRequest, number: int) -> HttpResponse:
    """One bilag: the board's header, then its numbered passages, boilerplate folded."""
    bilag = _get_bilag_or_404(number)
    passages = selectors.bilag_passages(bilag)
    query = _query(request)
    find = bilag_page.find_term(request)
    cited = _cited_span(request, passages)
    _mark(passages, query, cited, find)
    tags = topic_selectors.tags_by_passage(bilag)
    for passage in passages:
        passage.tags = tags.get(passage.id, [])
    # What other apps show beside each passage, and in their panels on this page.
    panels = extensions.annotate(request, passages)
    can_tag = request.user.has_perm("library.add_passagetopic")
    return render(
        request,
        "library/bilag_detail.html",
        {
            "bilag": bilag,
            "passages": passages,
            "items": bilag_page.items(passages, opened=cited[0]),
            "counts": bilag_page.counts(passages),
            "find": bilag_page.found(passages, find),
            "extension_panels": panels,
            "query": query,
            "topics": topic_selectors.topic_list() if can_tag else [],
            "history": (
                selectors.bilag_history(bilag)
                if request.user.has_perm("library.change_bilag")
                else []
            ),
        },
    )


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def bilag_original(request: HttpRequest, number: int) -> FileResponse:
    """The original file as received, always as a download (never rendered inline)."""
    bilag = _get_bilag_or_404(number)
    response = FileResponse(
        bilag.original.open("rb"),
        as_attachment=True,
        filename=bilag.original_name,
        content_type=formats.content_type(bilag.kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _corrected_message(number: int, before: dict, after: dict) -> str:
    """'Bilag 863: title and intake date corrected.', or that nothing changed."""
    labels = {
        "country": _("country"),
        "publisher": _("publisher"),
        "title": _("title"),
        "published": _("published date"),
        "intake": _("intake date"),
        "language": _("language"),
    }
    changed = [str(labels[key]) for key in labels if before.get(key) != after.get(key)]
    if not changed:
        return _("Bilag %(number)s: nothing changed.") % {"number": number}
    fields = changed[0]
    if len(changed) > 1:
        fields = _("%(fields)s and %(last)s") % {
            "fields": ", ".join(changed[:-1]),
            "last": changed[-1],
        }
    return _("Bilag %(number)s: %(fields)s corrected.") % {"number": number, "fields": fields}


@permission_required("library.change_bilag", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bilag_edit(request: HttpRequest, number: int) -> HttpResponse:
    """Admins correct a bilag's metadata; the text, file and number stay as they are."""
    bilag = _get_bilag_or_404(number)
    if request.method == "POST":
        form = BilagEditForm(request.POST)
        if form.is_valid():
            before = BilagEditForm.initial_for(bilag)
            try:
                bilag_update(bilag=bilag, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                after = BilagEditForm.initial_for(bilag)
                messages.success(request, _corrected_message(bilag.number, before, after))
                return redirect(bilag)
    else:
        form = BilagEditForm(initial=BilagEditForm.initial_for(bilag))
    return render(
        request,
        "library/bilag_edit.html",
        {"bilag": bilag, "form": form, "publishers": publisher_names()},
    )


@permission_required("library.withdraw_bilag", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bilag_withdraw_view(request: HttpRequest, number: int) -> HttpResponse:
    """Admins withdraw a bilag with a reason; it stays readable and citable history."""
    bilag = _get_bilag_or_404(number)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bilag_withdraw(bilag=bilag, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Bilag %(number)s withdrawn; it stays in the library, marked with your reason.")
                % {"number": bilag.number},
            )
            return redirect(bilag)
    return render(request, "library/bilag_withdraw.html", {"bilag": bilag, "form": form})


@permission_required("library.view_bilag", raise_exception=True)
@require_safe
def api_bilag(request: HttpRequest, number: int) -> JsonResponse:
    """One bilag as JSON, in the `export` shape."""
    bilag = _get_bilag_or_404(number)
    data = bilag_as_dict(bilag, selectors.passages_with_live_tags(bilag))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
