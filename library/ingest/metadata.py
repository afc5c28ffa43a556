"""A bilag's metadata, from what the file states and what the admin gives.

Precedence: what the file states < manifest < command-line options or the upload form.
Each value is read and checked here, once, for every way a file comes in; a problem
raises IngestError naming the field, the value and where it came from.
"""

import dataclasses
import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library import languages
from library.countries import country_code
from library.dates import DAY, DateError, PartialDate, parse_partial_date
from library.ingest.language import passage_languages
from library.ingest.results import IngestError
from library.ingest.shapes import Found, headline
from library.models import MAX_NUMBER, whole_number

METADATA_FIELDS = ("number", "country", "publisher", "title", "published", "intake", "language")
REQUIRED = [("country", gettext_lazy("country")), ("published", gettext_lazy("published date"))]


@dataclasses.dataclass
class Metadata:
    """What a new bilag is stored with; `notes` say what was assigned or detected."""

    number: int | None
    country: str
    publisher_name: str | None
    title: str
    published: PartialDate
    intake: dt.date
    language: str
    content_languages: list[str]  # each content passage's, in order
    notes: list[str]


def given(metadata: dict[str, str | None] | None) -> dict[str, Found]:
    """Admin-given metadata (form, options, manifest) as Found values; blanks ignored."""
    found = {}
    for key, value in (metadata or {}).items():
        if key not in METADATA_FIELDS:
            raise IngestError(_("unknown metadata field '%(key)s'") % {"key": key})
        if value is not None and str(value).strip():
            found[key] = Found(str(value).strip(), _("given by the admin"))
    return found


def resolve(values: dict[str, Found], content_texts: list[str], today: dt.date) -> Metadata:
    """Every field of a new bilag from `values` (stated and given, merged), with the
    defaults the library fills in: intake today, title from the headline, detected
    language. `content_texts` are the texts of the non-boilerplate passages."""
    missing = [(name, label) for name, label in REQUIRED if name not in values]
    if missing:
        raise IngestError(
            _(
                "missing required field(s) %(fields)s (not in the file; give it as an "
                "option, in the form or in a manifest)"
            )
            % {"fields": ", ".join(str(label) for _name, label in missing)},
            fields=tuple(name for name, _label in missing),
        )
    notes: list[str] = []
    # In this order, so that a file with several problems reports the same one first.
    country = _country(values["country"])
    published = _date(values["published"], _("published date"), "published")
    if published.value > today:
        raise _date_problem(
            values["published"], _("published date"), _("lies in the future"), "published"
        )
    intake = _intake(values, today, notes)
    title = _title(values, content_texts, notes)
    language, content_languages = _language(values, content_texts, notes)
    publisher = values.get("publisher")
    return Metadata(
        number=_number(values["number"]) if "number" in values else None,
        country=country,
        publisher_name=" ".join(publisher.value.split()) if publisher else None,
        title=title,
        published=published,
        intake=intake,
        language=language,
        content_languages=content_languages,
        notes=notes,
    )


def _number(found: Found) -> int:
    number = whole_number(found.value.strip().rstrip("."))
    if not number:
        raise IngestError(
            _("bilag number '%(value)s' (%(origin)s) is not a positive whole number")
            % {"value": found.value, "origin": found.origin},
            fields=("number",),
        )
    if number > MAX_NUMBER:
        raise IngestError(
            _("bilag number '%(value)s' (%(origin)s) is larger than %(max)s")
            % {"value": found.value, "origin": found.origin, "max": MAX_NUMBER},
            fields=("number",),
        )
    return number


def _country(found: Found) -> str:
    code = country_code(found.value)
    if code is None:
        raise IngestError(
            _(
                "country '%(value)s' (%(origin)s) is not a country Baggrund knows; "
                "give an ISO 3166 code such as SY or a name such as Syrien"
            )
            % {"value": found.value, "origin": found.origin},
            fields=("country",),
        )
    return code


def _date(found: Found, label: str, name: str) -> PartialDate:
    try:
        return parse_partial_date(found.value)
    except DateError as exc:
        raise IngestError(f"{label} {exc} ({found.origin})", fields=(name,)) from exc


def _date_problem(found: Found, label: str, problem: str, name: str) -> IngestError:
    return IngestError(
        _("%(label)s '%(value)s' (%(origin)s) %(problem)s")
        % {"label": label, "value": found.value, "origin": found.origin, "problem": problem},
        fields=(name,),
    )


def _intake(values: dict[str, Found], today: dt.date, notes: list[str]) -> dt.date:
    if "intake" not in values:
        notes.append(_("intake date set to today"))
        return today
    intake = _date(values["intake"], _("intake date"), "intake")
    if intake.precision != DAY:
        raise _date_problem(values["intake"], _("intake date"), _("must be a full date"), "intake")
    if intake.value > today:
        raise _date_problem(values["intake"], _("intake date"), _("lies in the future"), "intake")
    return intake.value


def _title(values: dict[str, Found], content_texts: list[str], notes: list[str]) -> str:
    if "title" in values:
        return " ".join(values["title"].value.split())[:500]
    notes.append(_("title taken from the headline"))
    return headline(content_texts[0])


def _language(values: dict[str, Found], content_texts: list[str], notes: list[str]):
    """(the bilag's language, each content passage's): the admin's for the bilag when
    given, else what most of the content says; each passage its own (language.py)."""
    given = None
    if "language" in values:
        found = values["language"]
        given = languages.language_code(found.value)
        if given is None:
            raise IngestError(
                _("language '%(value)s' (%(origin)s) is not one of %(codes)s")
                % {
                    "value": found.value,
                    "origin": found.origin,
                    "codes": ", ".join(sorted(languages.BY_CODE)),
                },
                fields=("language",),
            )
    language, each = passage_languages(content_texts, given)
    if given is None and language == languages.UNDETERMINED:
        notes.append(_("language could not be detected"))
    elif given is None:
        notes.append(_("language detected: %(language)s") % {"language": languages.label(language)})
    others = sorted({code for code in each if code != language})
    if others:
        notes.append(
            _("passages in other languages: %(languages)s")
            % {"languages": ", ".join(languages.label(code) for code in others)}
        )
    return language, each
