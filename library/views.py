from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casefiles.selectors import cited_in
from library.filters import BilagFilter
from library.forms import BilagEditForm, UploadForm, WithdrawForm, publisher_names
from library.models import Bilag, PassageTopic, Topic
from library.search import highlight
from library.search import query as search_query
from library.selectors import bilag_as_dict, bilag_get, bilag_list
from library.services import ADDED, FAILED, UNCHANGED, bilag_ingest, bilag_update, bilag_withdraw

PAGE_SIZE = 50


def _get_bilag_or_404(number: int) -> Bilag:
    try:
        return bilag_get(number)
    except Bilag.DoesNotExist as exc:
        raise Http404(_("No bilag with number %(number)s.") % {"number": number}) from exc


@permission_required("library.view_bilag", raise_exception=True)
def bilag_list_view(request: HttpRequest) -> HttpResponse:
    """The library: every bilag, filtered and paginated."""
    bilag_filter = BilagFilter(request.GET, queryset=bilag_list())
    queryset = bilag_filter.qs
    if not request.GET.get("order"):
        queryset = queryset.order_by("-number")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/bilag_list.html",
        {"filter": bilag_filter, "page": page, "query": query.urlencode()},
    )


def _cited_span(request: HttpRequest, passages) -> tuple[int, int, int]:
    """(ordinal, start, end) from ?p=&from=&to= when they name a span of a passage."""
    try:
        ordinal, start, end = (int(request.GET[k]) for k in ("p", "from", "to"))
    except (KeyError, ValueError):
        return (0, 0, 0)
    for passage in passages:
        if passage.ordinal == ordinal and 0 <= start < end <= len(passage.text):
            return (ordinal, start, end)
    return (0, 0, 0)


@permission_required("library.view_bilag", raise_exception=True)
def bilag_detail(request: HttpRequest, number: int) -> HttpResponse:
    """One bilag: the board's header, then its numbered passages."""
    bilag = _get_bilag_or_404(number)
    passages = list(bilag.passages.order_by("ordinal"))
    # Arriving from a search hit (?q=…): mark the query's words in the passages.
    query = None
    if request.GET.get("q"):
        try:
            query = search_query.parse(request.GET["q"])
        except search_query.QueryError:
            query = None
    cited = _cited_span(request, passages)
    for passage in passages:
        if passage.ordinal == cited[0]:
            # Arriving from a citation: mark the cited words instead of the query's.
            passage.marked = highlight.render(
                passage.text, [cited[1:]], mark='<mark class="cited">'
            )
            continue
        spans = (
            []
            if passage.boilerplate
            else highlight.marked_spans(passage.text, passage.language, query)
        )
        passage.marked = highlight.render(passage.text, spans)
    tags_by_passage: dict[int, list] = {}
    for tag in (
        PassageTopic.objects.filter(passage__bilag=bilag)
        .select_related("topic", "decided_by")
        .order_by("topic__slug")
    ):
        tags_by_passage.setdefault(tag.passage_id, []).append(tag)
    # The reader's own cases that cite each passage (never anyone else's).
    cases_by_passage = cited_in(request.user, [p.id for p in passages])
    for passage in passages:
        passage.tags = tags_by_passage.get(passage.id, [])
        passage.cited_in = cases_by_passage.get(passage.id, [])
    boilerplate = sum(1 for p in passages if p.boilerplate)
    counts = {"content": len(passages) - boilerplate, "boilerplate": boilerplate}
    can_tag = request.user.has_perm("library.add_passagetopic")
    return render(
        request,
        "library/bilag_detail.html",
        {
            "bilag": bilag,
            "passages": passages,
            "counts": counts,
            "query": query,
            "topics": Topic.objects.all() if can_tag else [],
        },
    )


@permission_required("library.view_bilag", raise_exception=True)
def bilag_original(request: HttpRequest, number: int) -> FileResponse:
    """The original file as received, always as a download (never rendered inline)."""
    bilag = _get_bilag_or_404(number)
    content_types = {
        "pdf": "application/pdf",
        "html": "text/plain; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
    }
    response = FileResponse(
        bilag.original.open("rb"),
        as_attachment=True,
        filename=bilag.original_name,
        content_type=content_types.get(bilag.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@permission_required("library.ingest_bilag", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bilag_upload(request: HttpRequest) -> HttpResponse:
    """Admins upload files with optional metadata and see what happened to each."""
    results = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            metadata = form.metadata()
            for upload in form.cleaned_data["files"]:
                data = b"".join(upload.chunks())
                results.append(
                    bilag_ingest(name=upload.name, data=data, metadata=metadata, user=request.user)
                )
            status = 200 if not any(r.outcome == FAILED for r in results) else 422
            summary = {
                o: sum(1 for r in results if r.outcome == o) for o in (ADDED, UNCHANGED, FAILED)
            }
            return render(
                request,
                "library/upload_results.html",
                {"results": results, "summary": summary},
                status=status,
            )
    else:
        form = UploadForm()
    return render(
        request,
        "library/upload.html",
        {"form": form, "publishers": publisher_names()},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("library.change_bilag", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bilag_edit(request: HttpRequest, number: int) -> HttpResponse:
    """Admins correct a bilag's metadata; the text, file and number stay as they are."""
    bilag = _get_bilag_or_404(number)
    if request.method == "POST":
        form = BilagEditForm(request.POST)
        if form.is_valid():
            try:
                bilag_update(bilag=bilag, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(bilag)
    else:
        form = BilagEditForm(
            initial={
                "country": bilag.country,
                "publisher": bilag.publisher.name if bilag.publisher else "",
                "title": bilag.title,
                "published": bilag.published_iso(),
                "intake": bilag.intake,
                "language": bilag.language,
            }
        )
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
            return redirect(bilag)
    return render(request, "library/bilag_withdraw.html", {"bilag": bilag, "form": form})


@permission_required("library.view_bilag", raise_exception=True)
def api_bilag(request: HttpRequest, number: int) -> JsonResponse:
    """One bilag as JSON, in the `export` shape."""
    bilag = _get_bilag_or_404(number)
    return JsonResponse(bilag_as_dict(bilag), json_dumps_params={"ensure_ascii": False})
