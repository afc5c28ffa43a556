"""Cases, notes, citations and citation sheets. Every case URL answers 404 to non-members."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casefiles import selectors, services, worklist
from casefiles.diff import version_changes
from casefiles.forms import CaseForm, NoteForm, int_or_none
from casefiles.models import AuditEntry, Case
from casefiles.serializers import case_as_dict, case_summary_as_dict
from library.forms import add_validation_errors

VIEW_CASE = "casefiles.view_case"
CHANGE_CASE = "casefiles.change_case"


def _viewed(request: HttpRequest, case: Case, target: str, obj, detail: str = "") -> None:
    """Log that the user was shown `obj` of `case` (the audit log's VIEW entries)."""
    services.audit(
        user=request.user, action=services.VIEW, case=case, target=target, obj=obj, detail=detail
    )


def _as_of(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The sheet's "as of" date from ?as_of=YYYY-MM-DD, and an error message if bad."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("'%(value)s' is not a date (YYYY-MM-DD); the sheet shows everything.") % {
            "value": raw
        }


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(request.user)
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    return render(
        request,
        "casefiles/case_list.html",
        {"cases": cases, "status": status, "statuses": Case.Status.choices},
    )


@permission_required("casefiles.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    return _case_form(request, None)


@permission_required(CHANGE_CASE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_form(request, selectors.case_get(request.user, pk))


def _case_form(request: HttpRequest, case: Case | None) -> HttpResponse:
    """A new case (case None), or a member changing theirs; the user stays a member."""
    initial = {"status": Case.Status.OPEN}
    if case is not None:
        initial = {
            "reference": case.reference,
            "title": case.title,
            "country": case.country,
            "status": case.status,
            "members": case.members.exclude(pk=request.user.pk),
        }
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    if case is not None and request.method == "GET":
        _viewed(request, case, AuditEntry.Target.CASE, case, "edit form")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if case is None:
                case = services.case_create(user=request.user, **data)
                done = _("Case %(reference)s was created. Add a note, or cite from the library.")
            else:
                offered = form.fields["members"].queryset
                services.case_update(case=case, user=request.user, offered=offered, **data)
                done = _("Case %(reference)s was saved.")
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done % {"reference": case.reference})
            return redirect(case)
    return render(
        request,
        "casefiles/case_form.html",
        {"form": form, "case": case},
        status=400 if request.method == "POST" else 200,
    )


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    _viewed(request, case, AuditEntry.Target.CASE, case)
    worklist.remember_case(request, case)
    return render(request, "casefiles/case_detail.html", _case_context(request, case, NoteForm()))


def _case_context(request: HttpRequest, case: Case, note_form: NoteForm) -> dict:
    """The case page: notes with their citations, and the removals the user may undo."""
    notes = selectors.case_notes(case)
    undoable = {}
    if case.status != Case.Status.CLOSED and request.user.has_perm("casefiles.change_citation"):
        undoable = worklist.undoable_removals(case, request.user)
    for note in notes:
        note.undoable = undoable.get(note.pk, [])
    return {
        "case": case,
        "notes": notes,
        "note_form": note_form,
        "members": case.members.all(),
        "cited": int_or_none(request.GET.get("cited")),
    }


@permission_required("casefiles.add_note", raise_exception=True)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.note_create(
                case=case, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The note was added."))
            return redirect(note)
    # The refusal shows the whole case again: that is a view of it.
    _viewed(request, case, AuditEntry.Target.CASE, case)
    return render(
        request, "casefiles/case_detail.html", _case_context(request, case, form), status=400
    )


@permission_required("casefiles.change_note", raise_exception=True)
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    note = selectors.note_get(case, note_id)
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "GET":
        _viewed(request, case, AuditEntry.Target.NOTE, note, "edit form")
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_update(
                note=note, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("The note was saved as version %(version)s; the earlier text is kept.")
                % {"version": note.version},
            )
            return redirect(note)
    return render(
        request,
        "casefiles/note_form.html",
        {"case": case, "note": note, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def note_versions(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    note = selectors.note_get(case, note_id)
    _viewed(request, case, AuditEntry.Target.NOTE, note, "versions")
    versions = list(note.versions.select_related("written_by"))
    version_changes(note, versions)
    return render(
        request,
        "casefiles/note_versions.html",
        {"case": case, "note": note, "versions": versions},
    )


def _sheet_context(request: HttpRequest, case: Case) -> dict:
    as_of, as_of_error = _as_of(request)
    groups = selectors.sheet_groups(case, as_of)  # notes numbered as the case page does
    return {
        "case": case,
        "groups": groups,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "printed_at": timezone.localtime(),
        "citation_count": sum(len(g.citations) for g in groups),
    }


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The citation sheet, for reading and for printing on A4."""
    case = selectors.case_get(request.user, pk)
    context = _sheet_context(request, case)
    _viewed(request, case, AuditEntry.Target.SHEET, case, f"html as of {context['as_of'] or '-'}")
    return render(request, "casefiles/sheet.html", context)


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def sheet_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The citation sheet as plain text, for pasting into a decision document."""
    case = selectors.case_get(request.user, pk)
    context = _sheet_context(request, case)
    _viewed(request, case, AuditEntry.Target.SHEET, case, f"text as of {context['as_of'] or '-'}")
    text = render_to_string("casefiles/sheet.txt", context, request=request)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def api_case_list(request: HttpRequest) -> JsonResponse:
    cases = selectors.case_list(request.user).order_by("reference")
    return JsonResponse(
        {"cases": [case_summary_as_dict(case) for case in cases]},
        json_dumps_params={"ensure_ascii": False},
    )


@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def api_case(request: HttpRequest, pk: int) -> JsonResponse:
    case = selectors.case_get(request.user, pk)
    notes = selectors.case_notes(case)
    _viewed(request, case, AuditEntry.Target.CASE, case, "api")
    return JsonResponse(case_as_dict(case, notes), json_dumps_params={"ensure_ascii": False})
