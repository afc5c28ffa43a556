"""Every write to a case file goes through here, in one transaction with its audit entry."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefiles.models import (
    CONTEXT_CHARS,
    AuditEntry,
    Case,
    Citation,
    LoginEvent,
    Note,
    NoteVersion,
)
from library.models import Passage, is_span

VIEW, CREATE, CHANGE, REMOVE = (
    AuditEntry.Action.VIEW,
    AuditEntry.Action.CREATE,
    AuditEntry.Action.CHANGE,
    AuditEntry.Action.REMOVE,
)


def audit(*, user, action: str, case: Case, target: str, obj=None, detail: str = "") -> None:
    """Add one row to the audit log (who, what, when)."""
    AuditEntry.objects.create(
        user=user,
        action=action,
        target=target,
        case=case,
        object_id=getattr(obj, "pk", None),
        detail=detail[:300],
    )


def _changed_inside(*, case: Case, user, action: str, target: str, obj, detail=""):
    """A note or citation of the case changed: the case's "last changed", and the log."""
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    audit(user=user, action=action, case=case, target=target, obj=obj, detail=detail)


def ensure_open(case: Case) -> None:
    """A closed case is read-only: its notes and citations change only after reopening."""
    if case.status == Case.Status.CLOSED:
        raise ValidationError(
            _("Case %(reference)s is closed: reopen it (Change case) to change its notes.")
            % {"reference": case.reference}
        )


def _changed_fields(instance, data: dict) -> list[str]:
    return [name for name, value in data.items() if getattr(instance, name) != value]


@transaction.atomic
def case_create(*, user, reference: str, title: str, country: str, members=(), status="open"):
    case = Case(
        reference=reference.strip(),
        title=title.strip(),
        country=country,
        status=status,
        created_by=user,
    )
    case.full_clean()
    case.save()
    members = {user, *members}
    case.members.set(members)
    audit(
        user=user,
        action=CREATE,
        case=case,
        target=AuditEntry.Target.CASE,
        obj=case,
        detail="members " + ",".join(sorted(m.get_username() for m in members)),
    )
    return case


@transaction.atomic
def case_update(*, case: Case, user, members=None, offered=None, **changes) -> Case:
    """Change reference, title, country, status and (when given) the members.

    With `offered` (the users a form showed as boxes), `members` are the ticked ones:
    a member the form could not show (deactivated, or given the case permissions one by
    one) stays, and the user making the change stays a member.
    """
    allowed = {"reference", "title", "country", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("cannot change %(fields)s") % {"fields": ", ".join(unknown)})
    if members is not None and offered is not None:
        kept = set(case.members.all()) - set(offered)
        members = {user, *kept, *members}
    changed = _changed_fields(case, changes)
    for name, value in changes.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    case.full_clean()
    case.save()
    if members is not None:
        before = set(case.members.all())
        after = set(members)
        if before != after:
            case.members.set(after)
            added = sorted(u.get_username() for u in after - before)
            removed = sorted(u.get_username() for u in before - after)
            changed.append(
                "members"
                + (f" +{','.join(added)}" if added else "")
                + (f" -{','.join(removed)}" if removed else "")
            )
    if changed:
        audit(
            user=user,
            action=CHANGE,
            case=case,
            target=AuditEntry.Target.CASE,
            obj=case,
            detail=", ".join(changed),
        )
    return case


@transaction.atomic
def note_create(*, case: Case, user, body: str) -> Note:
    ensure_open(case)
    if not body.strip():
        raise ValidationError({"body": _("A note needs some text.")})
    note = Note.objects.create(case=case, author=user, body=body.strip())
    _changed_inside(
        case=case,
        user=user,
        action=CREATE,
        target=AuditEntry.Target.NOTE,
        obj=note,
    )
    return note


@transaction.atomic
def note_update(*, note: Note, user, body: str) -> Note:
    """Change a note's text; the text it had is kept as a numbered earlier version."""
    ensure_open(note.case)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("A note needs some text.")})
    note = Note.objects.select_for_update().get(pk=note.pk)
    if body == note.body:
        return note
    NoteVersion.objects.create(
        note=note,
        version=note.version,
        body=note.body,
        written_at=note.edited_at or note.created_at,
        written_by=note.edited_by or note.author,
    )
    note.body = body
    note.version += 1
    note.edited_at = timezone.now()
    note.edited_by = user
    note.save(update_fields=["body", "version", "edited_at", "edited_by"])
    _changed_inside(
        case=note.case,
        user=user,
        action=CHANGE,
        target=AuditEntry.Target.NOTE,
        obj=note,
        detail=f"version {note.version}",
    )
    return note


def utf16_to_index(text: str, units: int) -> int:
    """The index into `text` of the character at `units` UTF-16 code units from its start.

    Browsers count offsets in UTF-16 units; Python counts code points. They differ only
    past characters outside the Basic Multilingual Plane (emoji, some scripts).
    """
    if units <= 0:
        return units  # before the text: left for the caller to refuse
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text) + (units - count)  # past the end: idem


def resolve_selection(
    text: str, start: int | None, end: int | None, quote: str | None = None
) -> tuple[int, int]:
    """The (start, end) in `text` of a selection, trimmed of surrounding white space.

    Without offsets, the whole text. With a `quote`, it must be what the offsets cover;
    if the offsets are off, the occurrence of the quote nearest to them is taken, so a
    quote that appears twice keeps the one selected. Raises ValidationError otherwise.
    """
    if start is None and end is None:
        start, end = 0, len(text)
    if start is not None and start == end and 0 <= start <= len(text):
        raise ValidationError(_("The selection holds no text."))
    if not is_span(text, start, end):
        raise ValidationError(
            _("The selection %(start)s–%(end)s lies outside the passage (%(length)s characters).")
            % {"start": start, "end": end, "length": len(text)}
        )
    if quote is not None and text[start:end] != quote:
        wanted = quote.strip()
        occurrences = []
        at = text.find(wanted) if wanted else -1
        while at >= 0:
            occurrences.append(at)
            at = text.find(wanted, at + 1)
        if not occurrences:
            raise ValidationError(_("The selected text is not in this passage."))
        start = min(occurrences, key=lambda o: abs(o - start))
        end = start + len(wanted)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError(_("The selection holds no text."))
    return start, end


@transaction.atomic
def citation_create(
    *, note: Note, passage: Passage, user, start: int, end: int, comment: str = ""
) -> Citation:
    """Cite passage.text[start:end] in `note`, with the bilag reference as it stands now."""
    ensure_open(note.case)
    bilag = passage.bilag
    if passage.boilerplate:
        raise ValidationError(_("Boilerplate cannot be cited."))
    if bilag.is_withdrawn:
        raise ValidationError(
            _("Bilag %(number)s was withdrawn on %(date)s and cannot be cited: %(reason)s")
            % {
                "number": bilag.number,
                "date": bilag.withdrawn_on.isoformat(),
                "reason": bilag.withdrawn_reason,
            }
        )
    start, end = resolve_selection(passage.text, start, end)
    text = passage.text
    citation = Citation(
        note=note,
        passage=passage,
        quote=text[start:end],
        start=start,
        end=end,
        before=text[max(0, start - CONTEXT_CHARS) : start],
        after=text[end : end + CONTEXT_CHARS],
        comment=comment.strip(),
        bilag_number=bilag.number,
        passage_ordinal=passage.ordinal,
        publisher=bilag.publisher.name if bilag.publisher else "",
        title=bilag.title,
        published=bilag.published,
        published_precision=bilag.published_precision,
        intake=bilag.intake,
        created_by=user,
    )
    citation.full_clean()
    citation.save()
    _changed_inside(
        case=note.case,
        user=user,
        action=CREATE,
        target=AuditEntry.Target.CITATION,
        obj=citation,
        detail=f"bilag {bilag.number} § {passage.ordinal} [{start}:{end}]",
    )
    return citation


@transaction.atomic
def citation_remove(*, citation: Citation, user) -> Citation:
    """Take a citation off its note. The row stays (removed, by whom, when)."""
    ensure_open(citation.note.case)
    if citation.removed_at is None:
        detail = f"bilag {citation.bilag_number} § {citation.passage_ordinal}"
        _set_removal(citation, user, timezone.now(), user, REMOVE, detail)
    return citation


def _set_removal(citation: Citation, user, removed_at, removed_by, action: str, detail: str):
    """Mark a citation removed (or not) and log it in its case, one change."""
    citation.removed_at, citation.removed_by = removed_at, removed_by
    citation.save(update_fields=["removed_at", "removed_by"])
    _changed_inside(
        case=citation.note.case,
        user=user,
        action=action,
        target=AuditEntry.Target.CITATION,
        obj=citation,
        detail=detail,
    )


UNDO_WINDOW = dt.timedelta(minutes=30)


def can_restore(citation: Citation, user) -> bool:
    """Whether `user` may still undo the removal of `citation` (they removed it, lately)."""
    return (
        citation.removed_at is not None
        and citation.removed_by_id == user.pk
        and timezone.now() - citation.removed_at <= UNDO_WINDOW
    )


@transaction.atomic
def citation_restore(*, citation: Citation, user) -> Citation:
    """Undo a removal: the citation, its comment included, is back on its note.

    Only the user who removed it, within UNDO_WINDOW, while the case is open; later the
    excerpt is cited again instead (the removal stays in the log either way)."""
    ensure_open(citation.note.case)
    if citation.removed_at is None:
        return citation
    if not can_restore(citation, user):
        raise ValidationError(
            _(
                "This removal can no longer be undone (only by whoever removed it, within "
                "%(minutes)s minutes). Cite the excerpt again instead."
            )
            % {"minutes": int(UNDO_WINDOW.total_seconds() // 60)}
        )
    detail = f"restored: bilag {citation.bilag_number} afsnit {citation.passage_ordinal}"
    _set_removal(citation, user, None, None, CHANGE, detail)
    return citation


@transaction.atomic
def citation_save(
    *,
    user,
    passage: Passage,
    cases,
    target: str,
    new_note: str = "",
    start: int,
    end: int,
    comment: str = "",
) -> Citation:
    """The cite form's save: cite passage.text[start:end] in the note `target` names
    ("note:<id>"), or in a new note with `new_note` as its text in the case it names
    ("new:<id>"). Both must be among `cases` (selectors.cite_targets). One
    transaction: when the citation is refused, the new note is not kept either."""
    kind, _sep, target_id = target.partition(":")
    if kind == "new":
        case = next(c for c in cases if c.pk == int(target_id))
        note = note_create(case=case, user=user, body=new_note)
    else:
        note = next(n for c in cases for n in c.notes.all() if n.pk == int(target_id))
    return citation_create(
        note=note, passage=passage, user=user, start=start, end=end, comment=comment
    )


def login_event(*, event: str, username: str, user=None, request=None) -> None:
    """One row of the accounts' audit log (casefiles.LoginEvent), from the login
    signals (connected in CasefilesConfig.ready)."""
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    LoginEvent.objects.create(
        event=event, username=(username or "")[:150], user=user, address=address or None
    )
