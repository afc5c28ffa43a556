"""The case files' JSON shapes: /api/cases and /api/cases/<id>."""

from casefiles.models import Case, Citation, Note


def citation_as_dict(citation: Citation) -> dict:
    return {
        "id": citation.pk,
        "bilag": citation.bilag_number,
        "ordinal": citation.passage_ordinal,
        "quote": citation.quote,
        "start": citation.start,
        "end": citation.end,
        "before": citation.before,
        "after": citation.after,
        "comment": citation.comment,
        "reference": {
            "publisher": citation.publisher,
            "title": citation.title,
            "published": citation.published_iso(),
            "intake": citation.intake.isoformat(),
        },
        "problems": [str(p) for p in citation.problems()],
        "cited_by": citation.created_by.get_username(),
        "cited_at": citation.created_at.isoformat(),
    }


def _case_fields(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "country": case.country,
        "status": case.status,
    }


def case_summary_as_dict(case: Case) -> dict:
    return {**_case_fields(case), "url": case.get_absolute_url()}


def note_as_dict(note: Note) -> dict:
    """A note with its active citations (`note.cited`, from selectors.case_notes)."""
    return {
        "id": note.pk,
        "author": note.author.get_username(),
        "body": note.body,
        "version": note.version,
        "created_at": note.created_at.isoformat(),
        "edited_at": note.edited_at.isoformat() if note.edited_at else None,
        "citations": [citation_as_dict(c) for c in note.cited],
    }


def case_as_dict(case: Case, notes: list[Note]) -> dict:
    return {
        **_case_fields(case),
        "members": sorted(u.get_username() for u in case.members.all()),
        "notes": [note_as_dict(note) for note in notes],
    }
