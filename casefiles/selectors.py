"""Reads of case files, always through the reader's membership."""

import dataclasses
import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casefiles.models import Case, Citation, Note
from library.models import Bilag


def case_list(user) -> QuerySet[Case]:
    return Case.objects.for_user(user).prefetch_related("members")


def case_get(user, pk: int) -> Case:
    """The case if `user` is a member; a 404 otherwise, whoever asks (admins included)."""
    try:
        return Case.objects.for_user(user).get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404(_("No case %(id)s among your cases.") % {"id": pk}) from exc


def note_get(case: Case, note_id: int) -> Note:
    try:
        return case.notes.get(pk=note_id)
    except Note.DoesNotExist as exc:
        raise Http404(_("No note %(id)s in this case.") % {"id": note_id}) from exc


def _citations() -> QuerySet[Citation]:
    return (
        Citation.objects.active()
        .select_related("passage__bilag__publisher", "created_by")
        # Neither the bilag's full text nor the passage's search vector is shown.
        .defer("passage__search_vector", "passage__bilag__full_text")
        .order_by("created_at", "id")
    )


def case_notes(case: Case) -> list[Note]:
    """The case's notes in order, each with `.cited` (its active citations, in order)."""
    return list(
        case.notes.select_related("author", "edited_by").prefetch_related(
            Prefetch("citations", queryset=_citations(), to_attr="cited")
        )
    )


@dataclasses.dataclass
class SheetGroup:
    bilag: Bilag
    citations: list[Citation]


def sheet_groups(case: Case, as_of: dt.date | None = None) -> list[SheetGroup]:
    """Every active citation of the case, grouped by bilag in bilag-number order.

    With `as_of`, only bilag taken in on or before that date. Within a bilag, citations
    follow the passage order, then the place in the passage.
    """
    citations = _citations().filter(note__case=case).select_related("note__author")
    if as_of is not None:
        citations = citations.filter(passage__bilag__intake__lte=as_of)
    citations = citations.order_by(
        "passage__bilag__number", "passage__ordinal", "start", "end", "id"
    )
    groups: list[SheetGroup] = []
    for citation in citations:
        if not groups or groups[-1].bilag.pk != citation.passage.bilag_id:
            groups.append(SheetGroup(bilag=citation.passage.bilag, citations=[]))
        groups[-1].citations.append(citation)
    return groups


def cited_in(user, passage_ids) -> dict[int, list[Case]]:
    """For each passage id: the cases of `user` that cite it (others' cases never show)."""
    found: dict[int, list[Case]] = {}
    if not passage_ids:
        return found
    rows = (
        Citation.objects.active()
        .filter(passage_id__in=list(passage_ids), note__case__in=Case.objects.for_user(user))
        .values_list("passage_id", "note__case_id")
        .distinct()
    )
    pairs = list(rows)
    if not pairs:
        return found
    cases = Case.objects.in_bulk({case_id for _, case_id in pairs})
    for passage_id, case_id in sorted(pairs, key=lambda p: cases[p[1]].reference):
        found.setdefault(passage_id, []).append(cases[case_id])
    return found
