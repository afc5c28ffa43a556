"""Writes to the library: ingest a file, correct metadata, withdraw.

Every function here is one transaction. `bilag_ingest` either adds a complete bilag
(row, passages, stored original) or changes nothing and says why.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library import tagging
from library.countries import country_code
from library.dates import DAY, DateError, PartialDate, parse_partial_date
from library.extract import ExtractError, extract
from library.language import UNDETERMINED, detect_language
from library.models import CONTENT_LANGUAGES, Bilag, Passage, Publisher
from library.parsing import Found, HeaderError, headline, parse_text
from library.passages import split_passages
from library.search import index as search_index

logger = logging.getLogger(__name__)

METADATA_FIELDS = ("number", "country", "publisher", "title", "published", "intake", "language")
_LANGUAGE_CODES = {code for code, _label in CONTENT_LANGUAGES}
# Common ways admins write languages, mapped to the codes Baggrund stores.
_LANGUAGE_ALIASES = {
    "no": "nb",
    "nob": "nb",
    "dan": "da",
    "eng": "en",
    "norsk": "nb",
    "dansk": "da",
    "engelsk": "en",
    "danish": "da",
    "norwegian": "nb",
    "english": "en",
}
ADDED, UNCHANGED, FAILED = "added", "unchanged", "failed"
_REQUIRED = [("country", gettext_lazy("country")), ("published", gettext_lazy("published date"))]
_LANGUAGE_NAMES = dict(CONTENT_LANGUAGES)


class IngestError(Exception):
    """A file cannot be ingested; `message` says what is wrong (without the file name)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class IngestResult:
    name: str
    outcome: str
    bilag: Bilag | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for a person: the file, what happened, why."""
        if self.outcome == FAILED:
            return f"{self.name}: {self.message}"
        if self.outcome == UNCHANGED:
            return _("%(name)s: unchanged, already bilag %(number)s") % {
                "name": self.name,
                "number": self.bilag.number,
            }
        extra = f" ({'; '.join(self.notes)})" if self.notes else ""
        return (
            _("%(name)s: added as bilag %(number)s")
            % {
                "name": self.name,
                "number": self.bilag.number,
            }
            + extra
        )


def _given(metadata: dict[str, str | None] | None) -> dict[str, Found]:
    """Admin-given metadata (form, options, manifest) as Found values; blanks ignored."""
    given = {}
    for key, value in (metadata or {}).items():
        if key not in METADATA_FIELDS:
            raise IngestError(_("unknown metadata field '%(key)s'") % {"key": key})
        if value is not None and str(value).strip():
            given[key] = Found(str(value).strip(), _("given by the admin"))
    return given


def _number(found: Found) -> int:
    text = found.value.strip().rstrip(".")
    if not text.isdigit() or int(text) == 0:
        raise IngestError(
            _("bilag number '%(value)s' (%(origin)s) is not a positive whole number")
            % {"value": found.value, "origin": found.origin}
        )
    return int(text)


def _country(found: Found) -> str:
    code = country_code(found.value)
    if code is None:
        raise IngestError(
            _(
                "country '%(value)s' (%(origin)s) is not a country Baggrund knows; "
                "give an ISO 3166 code such as SY or a name such as Syrien"
            )
            % {"value": found.value, "origin": found.origin}
        )
    return code


def _date(found: Found, label: str) -> PartialDate:
    try:
        return parse_partial_date(found.value)
    except DateError as exc:
        raise IngestError(f"{label} {exc} ({found.origin})") from exc


def _date_problem(found: Found, label: str, problem: str) -> IngestError:
    return IngestError(
        _("%(label)s '%(value)s' (%(origin)s) %(problem)s")
        % {"label": label, "value": found.value, "origin": found.origin, "problem": problem}
    )


def _language(found: Found) -> str:
    code = found.value.strip().lower()
    code = _LANGUAGE_ALIASES.get(code, code)
    if code not in _LANGUAGE_CODES:
        raise IngestError(
            _("language '%(value)s' (%(origin)s) is not one of %(codes)s")
            % {
                "value": found.value,
                "origin": found.origin,
                "codes": ", ".join(sorted(_LANGUAGE_CODES)),
            }
        )
    return code


def _read(name: str, data: bytes):
    try:
        extracted = extract(name, data)
    except ExtractError as exc:
        raise IngestError(str(exc)) from exc
    try:
        parsed = parse_text(extracted.text)
    except HeaderError as exc:
        raise IngestError(str(exc)) from exc
    return extracted, parsed


def bilag_ingest(
    *,
    name: str,
    data: bytes,
    metadata: dict[str, str | None] | None = None,
    user=None,
    today: dt.date | None = None,
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
    """
    display = Path(name).name
    try:
        return _ingest(display, data, metadata, user, today or dt.date.today())
    except IngestError as exc:
        return IngestResult(name=display, outcome=FAILED, message=exc.message)


def _ingest(name, data, metadata, user, today) -> IngestResult:
    limit = settings.BAGGRUND_MAX_FILE_BYTES
    if len(data) > limit:
        raise IngestError(
            _("the file is too large (%(size)s); the limit is %(limit)s")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Bilag.objects.filter(sha256=sha256).first()
    if existing is not None:
        return IngestResult(name=name, outcome=UNCHANGED, bilag=existing)

    given = _given(metadata)
    extracted, parsed = _read(name, data)
    stated = dict(parsed.fields)
    if extracted.title and "title" not in stated:
        stated["title"] = Found(extracted.title, _("the file's title"))
    if extracted.published and "published" not in stated:
        stated["published"] = Found(extracted.published, _("the file's metadata"))
    values = {**stated, **given}  # what the admin gives wins
    notes: list[str] = []

    drafts = split_passages(
        extracted.text,
        start=parsed.body_start,
        page_starts=extracted.page_starts,
        hints=extracted.hints,
    )
    content = [d for d in drafts if not d.boilerplate]
    if not content:
        raise IngestError(_("the file has no text besides boilerplate"))

    missing = [label for f, label in _REQUIRED if f not in values]
    if missing:
        raise IngestError(
            _(
                "missing required field(s) %(fields)s (not in the file; give it as an "
                "option, in the form or in a manifest)"
            )
            % {"fields": ", ".join(str(label) for label in missing)}
        )
    country = _country(values["country"])
    published = _date(values["published"], _("published date"))
    if published.value > today:
        raise _date_problem(values["published"], _("published date"), _("lies in the future"))
    if "intake" in values:
        intake = _date(values["intake"], _("intake date"))
        if intake.precision != DAY:
            raise _date_problem(values["intake"], _("intake date"), _("must be a full date"))
        if intake.value > today:
            raise _date_problem(values["intake"], _("intake date"), _("lies in the future"))
        intake_date = intake.value
    else:
        intake_date = today
        notes.append(_("intake date set to today"))
    if "title" in values:
        title = " ".join(values["title"].value.split())[:500]
    else:
        title = headline(content[0].text)
        notes.append(_("title taken from the headline"))
    if "language" in values:
        language = _language(values["language"])
    elif (language := detect_language(" ".join(d.text for d in content))) == UNDETERMINED:
        notes.append(_("language could not be detected"))
    else:
        notes.append(_("language detected: %(language)s") % {"language": _LANGUAGE_NAMES[language]})
    publisher_name = " ".join(values["publisher"].value.split()) if "publisher" in values else None
    number = _number(values["number"]) if "number" in values else None

    try:
        return _store(
            name=name,
            data=data,
            sha256=sha256,
            number=number,
            country=country,
            publisher_name=publisher_name,
            title=title,
            published=published,
            intake=intake_date,
            language=language,
            extracted=extracted,
            shape=parsed.shape,
            drafts=drafts,
            user=user,
            notes=notes,
        )
    except ValidationError as exc:
        raise IngestError(_validation_message(exc)) from exc


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
    *,
    name,
    data,
    sha256,
    number,
    country,
    publisher_name,
    title,
    published,
    intake,
    language,
    extracted,
    shape,
    drafts,
    user,
    notes,
) -> IngestResult:
    stored_name = None
    storage = Bilag._meta.get_field("original").storage
    try:
        with transaction.atomic():
            if number is None:
                # Lock-free "next number": a concurrent ingest taking the same number
                # fails on the unique constraint below and is reported, not merged.
                number = (Bilag.objects.aggregate(m=Max("number"))["m"] or 0) + 1
                notes.insert(0, _("number %(number)s assigned by the library") % {"number": number})
            else:
                holder = Bilag.objects.filter(number=number).first()
                if holder is not None:
                    raise IngestError(
                        _(
                            "bilag number %(number)s is already taken by another file "
                            "('%(title)s', %(file)s); numbers are never reused"
                        )
                        % {"number": number, "title": holder.title, "file": holder.original_name}
                    )
            publisher = publisher_get_or_create(name=publisher_name) if publisher_name else None
            bilag = Bilag(
                number=number,
                country=country,
                publisher=publisher,
                title=title,
                published=published.value,
                published_precision=published.precision,
                intake=intake,
                language=language,
                original_name=name,
                kind=extracted.kind,
                sha256=sha256,
                full_text=extracted.text,
                shape=shape,
                created_by=user,
            )
            bilag.original.name = Bilag.original.field.generate_filename(bilag, name)
            # Number and sha256 were just checked and the database enforces uniqueness
            # and the check constraints (a race ends in IntegrityError below); skip the
            # four extra queries full_clean would spend on them.
            bilag.full_clean(validate_unique=False, validate_constraints=False)
            stored_name = storage.save(bilag.original.name, ContentFile(data))
            bilag.original.name = stored_name
            bilag.save()
            Passage.objects.bulk_create(
                [
                    Passage(
                        bilag=bilag,
                        ordinal=d.ordinal,
                        text=d.text,
                        start=d.start,
                        end=d.end,
                        page=d.page,
                        language=language,
                        boilerplate=d.boilerplate,
                        boilerplate_kind=d.boilerplate_kind,
                        search_vector=search_index.vector_value(d.text, language, d.boilerplate),
                        **passage_copies(bilag),
                    )
                    for d in drafts
                ],
                batch_size=500,
            )
            search_index.index_new_bilag(bilag.id)
            tagging.tag_new_bilag(bilag)
    except BaseException as exc:
        if stored_name:
            storage.delete(stored_name)
        if isinstance(exc, IntegrityError):
            raise IngestError(
                _("the library changed while this file was ingested (%(error)s); try again")
                % {"error": exc}
            ) from exc
        raise
    return IngestResult(name=name, outcome=ADDED, bilag=bilag, notes=notes)


def passage_copies(bilag: Bilag) -> dict:
    """The bilag metadata each passage carries a copy of (for search; see Passage)."""
    return {
        "country": bilag.country,
        "publisher": bilag.publisher,
        "published": bilag.published,
        "intake": bilag.intake,
        "withdrawn": bilag.status == Bilag.Status.WITHDRAWN,
    }


def publisher_get_or_create(*, name: str) -> Publisher:
    """The publisher of that name, matched case-insensitively, or a new, validated one."""
    publisher = Publisher.objects.filter(name__iexact=name).first()
    if publisher is None:
        publisher = Publisher(name=name)
        publisher.full_clean()
        publisher.save()
    return publisher


@transaction.atomic
def bilag_update(*, bilag: Bilag, user=None, **changes) -> Bilag:
    """Correct a bilag's metadata (not its text, file or number).

    Accepts country, publisher (name or None), title, published (string or
    PartialDate), intake, language. Raises ValidationError naming the field.
    """
    allowed = {"country", "publisher", "title", "published", "intake", "language"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("cannot change %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "publisher" in changes:
        name = " ".join((changes.pop("publisher") or "").split())
        bilag.publisher = publisher_get_or_create(name=name) if name else None
    if "published" in changes:
        value = changes.pop("published")
        if not isinstance(value, PartialDate):
            try:
                value = parse_partial_date(value)
            except DateError as exc:
                raise ValidationError({"published": str(exc)}) from exc
        bilag.published, bilag.published_precision = value.value, value.precision
    for key, value in changes.items():
        setattr(bilag, key, value)
    bilag.full_clean()
    bilag.save()
    bilag.passages.update(language=bilag.language, **passage_copies(bilag))
    if "language" in changes:
        search_index.index_bilag([bilag.id])  # stems depend on the language
    return bilag


@transaction.atomic
def bilag_withdraw(*, bilag: Bilag, reason: str, on: dt.date | None = None, user=None) -> Bilag:
    """Withdraw a bilag: it stays in the library, marked, with date and reason."""
    if bilag.is_withdrawn:
        raise ValidationError(_("bilag %(n)s is already withdrawn"), params={"n": bilag.number})
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": _("A withdrawal needs a reason.")})
    bilag.status = Bilag.Status.WITHDRAWN
    bilag.withdrawn_on = on or dt.date.today()
    bilag.withdrawn_reason = reason.strip()
    bilag.full_clean()
    bilag.save()
    bilag.passages.update(**passage_copies(bilag))
    return bilag
