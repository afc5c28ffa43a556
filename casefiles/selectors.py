"""Reads of case files, always through the reader's membership."""

import dataclasses
import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casefiles.models import Case, Citation, Note
from library.models import Bilag, Passage


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
        # The bilag's full text is not shown.
        .defer("passage__bilag__full_text")
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
class NoteGroup:
    """One note's excerpts from one bilag: the sheet shows the note once, then them."""

    note: Note
    citations: list[Citation]


@dataclasses.dataclass
class SheetGroup:
    """One bilag on the sheet: its citations in passage order, and the same citations
    grouped by note (`notes`, in the notes' order in the case)."""

    bilag: Bilag
    citations: list[Citation]
    notes: list[NoteGroup] = dataclasses.field(default_factory=list)


def _by_note(citations: list[Citation], numbers: dict[int, int]) -> list[NoteGroup]:
    """The citations grouped by note, notes by their number; in passage order within."""
    groups: dict[int, NoteGroup] = {}
    for citation in citations:
        citation.note.number = numbers[citation.note_id]
        groups.setdefault(citation.note_id, NoteGroup(note=citation.note, citations=[]))
        groups[citation.note_id].citations.append(citation)
    return sorted(groups.values(), key=lambda group: group.note.number)


def sheet_groups(case: Case, as_of: dt.date | None = None) -> list[SheetGroup]:
    """Every active citation of the case, grouped by bilag in bilag-number order.

    With `as_of`, only bilag taken in on or before that date. Within a bilag, citations
    follow the passage order, then the place in the passage; `notes` groups them by
    note, and every citation's note has its `number` in the case.
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
    numbers = note_numbers(case) if groups else {}
    for group in groups:
        group.notes = _by_note(group.citations, numbers)
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


def annotate_cited_in(request, passages) -> list[Citation]:
    """Set `cited_in` on each passage: the reader's own cases that cite it, by reference;
    return the reader's own citations of these passages, for the bilag page's panel (the
    library's passage extension; one query for the page, two when something is cited)."""
    citations = own_citations(request.user, passages)
    cases: dict[int, dict[int, Case]] = {}
    for citation in citations:
        cases.setdefault(citation.passage_id, {})[citation.note.case_id] = citation.note.case
    for passage in passages:
        found = cases.get(passage.id, {})
        passage.cited_in = sorted(found.values(), key=lambda case: case.reference)
    return citations


def passage_for_cite(number, ordinal) -> Passage:
    """Passage `ordinal` of bilag `number` with its reference; a 404 if there is none."""
    try:
        return Passage.objects.by_reference(number, ordinal)
    except (Passage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(
            _("No passage %(ordinal)s in bilag %(number)s.")
            % {"number": number, "ordinal": ordinal}
        ) from exc


def cite_targets(user) -> list[Case]:
    """The cases a user may cite into (open and decided, never closed), each with its
    notes, by reference."""
    return list(
        case_list(user)
        .exclude(status=Case.Status.CLOSED)
        .prefetch_related("notes")
        .order_by("reference")
    )


def citation_get(case: Case, citation_id: int) -> Citation:
    try:
        return Citation.objects.select_related("note__case", "passage__bilag__publisher").get(
            pk=citation_id, note__case=case
        )
    except Citation.DoesNotExist as exc:
        raise Http404(_("No citation %(id)s in this case.") % {"id": citation_id}) from exc


def note_numbers(case: Case) -> dict[int, int]:
    """{note id: its number in the case (1, 2, …)}, as the case page counts them."""
    return {pk: n for n, pk in enumerate(case.notes.values_list("pk", flat=True), 1)}


def own_citations(user, passages) -> list[Citation]:
    """The active citations of these passages in the cases `user` is a member of.

    In passage order, then place in the passage; each citation's `passage` is the given
    passage object and its `note.number` the note's number in its case (as the case page
    counts them). One query, two when something is cited.
    """
    by_id = {passage.id: passage for passage in passages}
    if not by_id:
        return []
    citations = list(
        Citation.objects.active()
        .filter(passage_id__in=list(by_id), note__case__in=Case.objects.for_user(user))
        .select_related("note__case")
    )
    if not citations:
        return []
    numbers: dict[int, int] = {}
    counters: dict[int, int] = {}
    notes = Note.objects.filter(case_id__in={c.note.case_id for c in citations})
    for case_id, note_id in notes.order_by("case", "created_at", "id").values_list("case", "pk"):
        counters[case_id] = counters.get(case_id, 0) + 1
        numbers[note_id] = counters[case_id]
    for citation in citations:
        citation.passage = by_id[citation.passage_id]
        citation.note.number = numbers[citation.note_id]
    citations.sort(key=lambda c: (c.passage.ordinal, c.start, c.end, c.note.case.reference, c.pk))
    return citations
