"""The case a caseworker is working on, remembered in their session for the cite form.

The last case they opened or cited into is "current"; the cite form preselects it (the
note they last cited into when it is in that case, so excerpts collected in a row land
together, else a new note in it). Nothing remembered: the form preselects nothing and
the caseworker chooses.
"""

from django.utils import timezone

from casefiles.models import Citation
from casefiles.services import UNDO_WINDOW

CURRENT_CASE = "casefiles.current_case"
LAST_TARGET = "casefiles.last_target"


def remember_case(request, case) -> None:
    """The caseworker opened `case`: it becomes the case the cite form offers first."""
    if request.session.get(CURRENT_CASE) != case.pk:
        request.session[CURRENT_CASE] = case.pk


def remember_target(request, note) -> None:
    """The caseworker cited into `note`: its case is current and the note comes first."""
    request.session[CURRENT_CASE] = note.case_id
    request.session[LAST_TARGET] = f"note:{note.pk}"


def preferred_target(request, cases, new_notes: bool) -> str:
    """The cite form's preselected target among `cases` (cite_targets), or "" for none."""
    current = next((c for c in cases if c.pk == request.session.get(CURRENT_CASE)), None)
    if current is None:
        return ""
    notes = list(current.notes.all())
    last = request.session.get(LAST_TARGET, "")
    if any(f"note:{note.pk}" == last for note in notes):
        return last
    if new_notes:
        return f"new:{current.pk}"
    return f"note:{notes[-1].pk}" if notes else ""


def undoable_removals(case, user) -> dict[int, list]:
    """{note id: citations of `case` that `user` removed and may still restore}."""
    since = timezone.now() - UNDO_WINDOW
    removed = (
        Citation.objects.filter(note__case=case, removed_by=user, removed_at__gte=since)
        .only("pk", "note_id", "quote", "bilag_number", "passage_ordinal", "removed_at")
        .order_by("removed_at")
    )
    found: dict[int, list] = {}
    for citation in removed:
        found.setdefault(citation.note_id, []).append(citation)
    return found
