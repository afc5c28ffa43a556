"""Ingest one file as a bilag: read it, split it into passages, store it, in one transaction.

`bilag_ingest` is the one entry for the web upload and `manage.py ingest`. It either
adds a complete bilag (row, passages, search entries, suggested topic tags, stored
original) or changes nothing and says why.
"""

import contextlib
import copy
import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from library.ingest import metadata as ingest_metadata
from library.ingest.formats import Extracted, ExtractError, check_file, extract
from library.ingest.passages import ContentTexts, PassageTable, split_passages
from library.ingest.results import (
    ADDED,
    FAILED,
    PHASES,
    UNCHANGED,
    IngestError,
    IngestResult,
)
from library.ingest.shapes import Found, HeaderError, ParsedText, parse_text
from library.models import Bilag, Passage, Publisher, SearchOutbox
from library.topics import bulk
from library.topics.suggestions import suggest_tags, tag_new_bilag

logger = logging.getLogger(__name__)

__all__ = [
    "ADDED",
    "FAILED",
    "PHASES",
    "UNCHANGED",
    "IngestResult",
    "bilag_detect",
    "bilag_ingest",
]


def bilag_ingest(
    *,
    name: str,
    data: bytes,
    metadata: dict[str, str | None] | None = None,
    user=None,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestResult:
    """Ingest one file: add it as a bilag with its passages, or report why not.

    `metadata` (number, country, publisher, title, published, intake, language as
    strings) wins over what the file states. A file whose SHA-256 is already in the
    library is `unchanged`. Any problem gives a `failed` result whose message names the
    field and value, and the library is left exactly as it was: no rows, no file.
    Refuses: empty files, unknown types, files that are not what their name says,
    unreadable or encrypted PDFs, impossible dates, unknown countries, missing required
    fields, files over the size limit, and a number that belongs to another bilag.
    Messages are in the active language (English on the command line).

    `progress`, if given, is called with the name of each phase as it begins
    (results.PHASES: extract, passages, metadata, topics, store, index; "index" after
    the commit). Memory stays within about ten times the file's size, and the write
    transaction holds only the copying of rows staged before it (bench/).
    """
    display = Path(name).name
    try:
        return _ingest(display, data, metadata, user, today or dt.date.today(), progress)
    except IngestError as exc:
        return IngestResult(name=display, outcome=FAILED, message=exc.message, fields=exc.fields)
    except Exception as exc:  # a file is never answered with a traceback; the log has it
        logger.exception("ingesting %s failed", display)
        return IngestResult(
            name=display,
            outcome=FAILED,
            message=_(
                "could not be ingested because of an error in Baggrund (%(error)s); "
                "the library is unchanged"
            )
            % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        )


def _ingest(name, data, metadata, user, today, progress) -> IngestResult:
    note = progress or _silent
    note("extract")
    try:
        check_file(name, len(data))
    except ExtractError as exc:
        raise IngestError(str(exc)) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Bilag.objects.filter(sha256=sha256).first()
    if existing is not None:
        return IngestResult(name=name, outcome=UNCHANGED, bilag=existing)

    given = ingest_metadata.given(metadata)
    extracted, parsed = _read(name, data)
    values = {**_stated(extracted, parsed), **given}  # what the admin gives wins
    note("passages")
    drafts = split_passages(
        extracted.text,
        start=parsed.body_start,
        page_starts=extracted.page_starts,
        hints=extracted.hints,
        article=extracted.main_text,
    )
    content = drafts.content()
    if not content:
        raise IngestError(_("the file has no text besides boilerplate"))
    note("metadata")
    resolved = ingest_metadata.resolve(values, content, today)
    note("topics")
    suggestions = _suggestions(content, resolved)
    note("store")
    with _staged_passages(drafts, resolved) as staged, suggestions.staged():
        return _store_numbered(
            name=name,
            data=data,
            sha256=sha256,
            resolved=resolved,
            extracted=extracted,
            shape=parsed.shape,
            staged=staged,
            user=user,
            suggestions=suggestions,
            indexing=lambda: note("index"),
        )


def _store_numbered(*, name, sha256, resolved, extracted, **store) -> IngestResult:
    """_store, again with the next free number while a concurrent ingest takes the one
    assigned (NUMBER_ATTEMPTS), and a refusal for values the model does not take."""
    for attempt in range(1, NUMBER_ATTEMPTS + 1):
        meta = copy.deepcopy(resolved)  # _store notes the number it assigns
        try:
            bilag = _store(name=name, sha256=sha256, meta=meta, extracted=extracted, **store)
            break
        except ValidationError as exc:
            fields = getattr(exc, "error_dict", {}).keys() & set(ingest_metadata.METADATA_FIELDS)
            raise IngestError(_validation_message(exc), fields=tuple(sorted(fields))) from exc
        except LibraryChanged:
            # Another ingest committed first: the same file (then it is unchanged), or
            # a bilag that took the number this one was assigned (then take the next).
            existing = Bilag.objects.filter(sha256=sha256).first()
            if existing is not None:
                return IngestResult(name=name, outcome=UNCHANGED, bilag=existing)
            if resolved.number is not None or attempt == NUMBER_ATTEMPTS:
                raise
    notes = meta.notes + extracted.notes
    return IngestResult(name=name, outcome=ADDED, bilag=bilag, notes=notes)


def _silent(phase: str) -> None:
    """No progress wanted."""


def _suggestions(content: ContentTexts, resolved):
    """The content passages' topic suggestions, read before the write transaction
    opens: it stays short, so that other writers (on SQLite, every one) wait little."""
    languages = resolved.content_languages
    return suggest_tags((content.ordinal(i), text, languages[i]) for i, text in enumerate(content))


# The passages' own columns, staged before the transaction (bulk.StagedRows); the
# bilag's id and the copies of its metadata are added as they are copied in.
_STAGED = (
    "ordinal", "text", "start", "end", "page", "language", "boilerplate", "boilerplate_kind",
)  # fmt: skip


@contextlib.contextmanager
def _staged_passages(drafts: PassageTable, resolved):
    """Every passage as the database takes it, in a temporary table, one batch at a
    time: each content passage with its own language, boilerplate with the bilag's."""
    fields = [Passage._meta.get_field(name) for name in _STAGED]
    languages = iter(resolved.content_languages)
    text = drafts.text
    rows = (
        (
            o,
            text[start:end],
            start,
            end,
            page,
            resolved.language if k else next(languages),
            bool(k),
            k,
        )
        for o, start, end, k, page in drafts.spans()
    )
    with bulk.StagedRows("baggrund_staged_passages", fields) as staged:
        staged.add(rows)
        yield staged


class LibraryChanged(IngestError):
    """A concurrent ingest committed a bilag with this file's number or bytes first."""


# Tries at a free number when a concurrent ingest takes the one assigned.
NUMBER_ATTEMPTS = 5


def bilag_detect(*, name: str, data: bytes) -> dict[str, str]:
    """What a file states about itself, as `bilag_ingest` reads it: raw strings by
    metadata field. Raises IngestError when the file itself cannot be read."""
    try:
        check_file(name, len(data))
    except ExtractError as exc:
        raise IngestError(str(exc)) from exc
    extracted, parsed = _read(Path(name).name, data)
    return {key: found.value for key, found in _stated(extracted, parsed).items()}


def _read(name: str, data: bytes) -> tuple[Extracted, ParsedText]:
    try:
        extracted = extract(name, data)
    except ExtractError as exc:
        raise IngestError(str(exc)) from exc
    try:
        parsed = parse_text(extracted.text)
    except HeaderError as exc:
        raise IngestError(str(exc)) from exc
    return extracted, parsed


def _stated(extracted: Extracted, parsed: ParsedText) -> dict[str, Found]:
    """What the file itself states: its header fields, then its markup's title and date."""
    stated = dict(parsed.fields)
    if extracted.title and "title" not in stated:
        stated["title"] = Found(extracted.title, _("the file's title"))
    if extracted.published and "published" not in stated:
        stated["published"] = Found(extracted.published, _("the file's metadata"))
    if extracted.publisher and "publisher" not in stated:
        stated["publisher"] = Found(extracted.publisher, _("the file's metadata"))
    return stated


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{_field_label(key)}: {' '.join(messages)}"
            for key, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _field_label(name: str) -> str:
    try:
        return str(Bilag._meta.get_field(name).verbose_name)
    except Exception:  # NON_FIELD_ERRORS and the like
        return name


def _store(
    *, name, data, sha256, meta, extracted, shape, staged, user, suggestions, indexing
) -> Bilag:
    """Write the bilag, its passages, their search entries and tags, and the original;
    `indexing` is called after the commit, before the search index takes the bilag."""
    storage = Bilag._meta.get_field("original").storage
    try:
        with transaction.atomic():
            number = _number(meta)
            publisher = (
                Publisher.objects.get_or_create_named(meta.publisher_name)
                if meta.publisher_name
                else None
            )
            bilag = Bilag(
                number=number,
                country=meta.country,
                publisher=publisher,
                title=meta.title,
                published=meta.published.value,
                published_precision=meta.published.precision,
                intake=meta.intake,
                language=meta.language,
                original_name=name,
                kind=extracted.kind,
                sha256=sha256,
                full_text=extracted.text,
                shape=shape,
                ocr_pages=extracted.ocr_pages,
                unread_pages=extracted.unread_pages,
                created_by=user,
            )
            bilag.original.name = Bilag.original.field.generate_filename(bilag, name)
            # Number and sha256 were just checked and the database enforces uniqueness
            # and the check constraints (a race ends in IntegrityError below); skip the
            # four extra queries full_clean would spend on them.
            bilag.full_clean(validate_unique=False, validate_constraints=False)
            # The row before the file: a concurrent ingest of the same bytes waits on
            # this row's sha256 (PostgreSQL's unique index, SQLite's write lock) until
            # this transaction ends, so it never takes the file this one is about to
            # store, nor finds it gone when this one fails and removes it.
            bilag.save()
            transaction.on_commit(indexing)  # before the search index's own, which it names
            _store_with_original(bilag, storage, data, staged, suggestions)
    except IntegrityError as exc:
        raise LibraryChanged(
            _("the library changed while this file was ingested (%(error)s); try again")
            % {"error": " ".join(str(exc).split())}
        ) from exc
    return bilag


def _store_with_original(bilag, storage, data, staged, suggestions) -> None:
    """Inside _store's transaction, after the bilag's row: its original, passages, tags
    and search queue. On failure the original this call stored is removed before the
    transaction rolls back, while the row still holds concurrent ingests of these bytes
    back (a failed commit, or a kill, leaves it for the re-run to take)."""
    stored_name = None
    try:
        stored_name, reused = _store_original(storage, bilag.original.name, data)
        if stored_name != bilag.original.name:
            bilag.original.name = stored_name
            bilag.save(update_fields=["original"])
        if reused:
            stored_name = None  # not ours to delete if this transaction fails
        _store_passages(bilag, staged)
        tag_new_bilag(bilag, suggestions)
        SearchOutbox.objects.queue_bilag([bilag.id])
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise


def _store_original(storage, name: str, data: bytes) -> tuple[str, bool]:
    """Store the original under its content address (originals/<sha256>.<suffix>), or
    reuse the file already there with these very bytes: an ingest killed after storing
    its file leaves it for the re-run to take, not a second copy beside it."""
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if existing.read() == data:
                return name, True
    return storage.save(name, ContentFile(data)), False


def _number(meta: ingest_metadata.Metadata) -> int:
    """The number given or stated, if no other bilag holds it; else the next free one."""
    if meta.number is None:
        # Lock-free "next number": a concurrent ingest taking the same number
        # fails on the unique constraint and is reported, not merged.
        number = (Bilag.objects.aggregate(m=Max("number"))["m"] or 0) + 1
        meta.notes.insert(0, _("number %(number)s assigned by the library") % {"number": number})
        return number
    holder = Bilag.objects.filter(number=meta.number).first()
    if holder is not None:
        raise IngestError(
            _(
                "bilag number %(number)s is already taken by another file "
                "('%(title)s', %(file)s); numbers are never reused"
            )
            % {"number": meta.number, "title": holder.title, "file": holder.original_name},
            fields=("number",),
        )
    return meta.number


def _store_passages(bilag: Bilag, staged: bulk.StagedRows) -> None:
    """The staged passages copied in one INSERT … SELECT, with the bilag's id and the
    copies of its metadata that every passage carries (Bilag.passage_copies)."""
    copies = {"bilag": bilag, **bilag.passage_copies()}
    fields = [Passage._meta.get_field(key) for key in copies]
    values = [
        field.get_db_prep_save(value.pk if field.is_relation and value else value, connection)
        for field, value in zip(fields, copies.values(), strict=True)
    ]
    sql = staged.copy_sql(
        Passage,
        targets=[Passage._meta.get_field(name).column for name in _STAGED]
        + [field.column for field in fields],
        select=[staged.column(Passage._meta.get_field(name).column) for name in _STAGED]
        + [bulk.parameter(field) for field in fields],
        tail=f"ORDER BY {staged.column('ordinal')}",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
