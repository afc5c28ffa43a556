"""Citing: the cite page and its save, and taking a citation off a note (with undo).

Every case URL answers 404 to non-members; the cite form offers only the user's cases.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casefiles import reference, selectors, services, worklist
from casefiles.forms import CiteForm, int_or_none
from casefiles.models import AuditEntry

CONTEXT = 120  # characters of the passage shown around the excerpt on the cite page
CHANGE_CITATION = "casefiles.change_citation"


@permission_required(CHANGE_CITATION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def citation_remove(request: HttpRequest, pk: int, citation_id: int) -> HttpResponse:
    """GET asks once (the excerpt and its comment shown); POST takes it off the note."""
    case = selectors.case_get(request.user, pk)
    citation = selectors.citation_get(case, citation_id)
    if citation.removed_at is not None:
        return redirect(citation.note)
    if request.method == "GET":
        services.audit(
            user=request.user,
            action=services.VIEW,
            case=case,
            target=AuditEntry.Target.CITATION,
            obj=citation,
            detail="remove form",
        )
        return render(
            request,
            "casefiles/citation_remove.html",
            {"case": case, "citation": citation, "minutes": _undo_minutes()},
        )
    try:
        services.citation_remove(citation=citation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "The citation of bilag %(number)s, afsnit %(ordinal)s was removed from the "
                "note. You can undo this at the note for %(minutes)s minutes."
            )
            % {
                "number": citation.bilag_number,
                "ordinal": citation.passage_ordinal,
                "minutes": _undo_minutes(),
            },
        )
    return redirect(citation.note)


def _undo_minutes() -> int:
    return int(services.UNDO_WINDOW.total_seconds() // 60)


@permission_required(CHANGE_CITATION, raise_exception=True)
@require_POST
def citation_restore(request: HttpRequest, pk: int, citation_id: int) -> HttpResponse:
    """Undo a removal: the citation and its comment are back, highlighted."""
    case = selectors.case_get(request.user, pk)
    citation = selectors.citation_get(case, citation_id)
    if citation.removed_at is None:  # undone already, or never removed
        return redirect(citation.note)
    try:
        services.citation_restore(citation=citation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(citation.note)
    messages.success(
        request,
        _("The citation of bilag %(number)s, afsnit %(ordinal)s is back on the note.")
        % {"number": citation.bilag_number, "ordinal": citation.passage_ordinal},
    )
    return redirect(f"{case.get_absolute_url()}?cited={citation.pk}#citation-{citation.pk}")


@permission_required("casefiles.add_citation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cite(request: HttpRequest) -> HttpResponse:
    """Choose the case and note for an excerpt, then save the citation.

    GET ?bilag=N&ordinal=K[&start=S&end=E&quote=…]: the browser's selection, offsets in
    UTF-16 units as browsers count them; without them (no JavaScript), the whole passage.
    """
    data = request.POST if request.method == "POST" else request.GET
    passage = selectors.passage_for_cite(data.get("bilag"), data.get("ordinal"))
    cases = selectors.cite_targets(request.user)
    can_add_note = request.user.has_perm("casefiles.add_note")
    if request.method == "POST":
        return _cite_post(request, passage, cases, can_add_note)
    raw_start, raw_end = int_or_none(data.get("start")), int_or_none(data.get("end"))
    if raw_start is not None and raw_end is not None:
        raw_start = services.utf16_to_index(passage.text, raw_start)
        raw_end = services.utf16_to_index(passage.text, raw_end)
    start = end = None
    error = ""
    try:
        start, end = services.resolve_selection(passage.text, raw_start, raw_end, data.get("quote"))
    except ValidationError as exc:
        error = " ".join(exc.messages)
    target = request.GET.get("target", "") or worklist.preferred_target(
        request, cases, can_add_note
    )
    form = CiteForm(
        cases=cases,
        new_notes=can_add_note,
        initial={
            "bilag": passage.bilag.number,
            "ordinal": passage.ordinal,
            "start": start,
            "end": end,
            "target": target,
        },
    )
    return _cite_page(request, passage, form, cases, start, end, error)


def _cite_post(request, passage, cases, can_add_note) -> HttpResponse:
    """The cite form sent: save, or show it again with everything typed kept (400)."""
    form = CiteForm(request.POST, cases=cases, new_notes=can_add_note)
    if form.is_valid():
        return _cite_save(request, form, passage, cases)
    kind = request.POST.get("target", "").partition(":")[0]
    if "target" in form.errors and kind in ("new", "note"):
        raise Http404(_("No such note or case among your cases."))
    start, end = int_or_none(request.POST.get("start")), int_or_none(request.POST.get("end"))
    message = _("The citation was not saved; see the fields below.")
    return _cite_page(request, passage, form, cases, start, end, message)


def _cite_page(request, passage, form, cases, start, end, error="") -> HttpResponse:
    """The cite page: the excerpt in its context, the form, and what went wrong (400)."""
    text = passage.text
    valid = passage.contains_span(start, end)
    before = after = ""
    if valid:
        before, after = _context(text, start, end)
    return render(
        request,
        "casefiles/cite.html",
        {
            "passage": passage,
            "bilag": passage.bilag,
            "form": form,
            "cases": cases,
            "quote": text[start:end] if valid else "",
            "before": before,
            "after": after,
            "cut_before": valid and len(before) < start,
            "cut_after": valid and end + len(after) < len(text),
            "whole": valid and start == 0 and end == len(text),
            "error": error,
        },
        status=400 if error else 200,
    )


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT characters either side of the excerpt, without half a word where
    the passage goes on (the sheet's rule, casefiles.reference)."""
    begin, stop = max(0, start - CONTEXT), end + CONTEXT
    before, after = text[begin:start], text[end:stop]
    if begin > 0:
        cut = reference.cut_inside_word(text[begin - 1], before[:1])
        before = reference.words_after(before, cut)
    if stop < len(text):
        cut = reference.cut_inside_word(after[-1:], text[stop])
        after = reference.words_before(after, cut)
    return before, after


def _cite_save(request, form, passage, cases) -> HttpResponse:
    """Save the citation, remember where it went, and show it (highlighted) in its case."""
    data = form.cleaned_data
    try:
        citation = services.citation_save(
            user=request.user,
            passage=passage,
            cases=cases,
            target=data["target"],
            new_note=data["new_note"],
            start=data["start"],
            end=data["end"],
            comment=data["comment"],
        )
    except ValidationError as exc:
        return _cite_page(
            request, passage, form, cases, data["start"], data["end"], " ".join(exc.messages)
        )
    note = citation.note
    worklist.remember_target(request, note)
    messages.success(
        request,
        _("Cited bilag %(number)s, afsnit %(ordinal)s in %(case)s.")
        % {
            "number": passage.bilag.number,
            "ordinal": passage.ordinal,
            "case": note.case.reference,
        },
    )
    if request.POST.get("then") == "bilag":  # collecting several excerpts in a row
        return redirect(passage.get_absolute_url())
    url = note.case.get_absolute_url()
    return redirect(f"{url}?cited={citation.pk}#citation-{citation.pk}")
