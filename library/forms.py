"""The library's forms: upload with metadata, metadata correction, withdrawal."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from library.countries import country_choices, country_code
from library.dates import DAY, DateError, parse_partial_date
from library.ingest.formats import SUPPORTED_SUFFIXES
from library.languages import CONTENT_LANGUAGES, UNDETERMINED, language_code
from library.models import MAX_NUMBER, Publisher, whole_number


def _country_field_choices():
    return [("", _("— from the file —")), *country_choices()]


class MultipleFileInput(forms.ClearableFileInput):
    """A file picker that takes several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; each file is judged on its own later.

    Only "no file at all" is refused here: an empty, oversized or unsupported file
    fails by itself in the batch's results, named, and never rejects the others.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """The uploaded files as a list (at least one)."""
        items = data if isinstance(data, list | tuple) else [data]
        files = [item for item in items if item]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class PartialDateField(forms.CharField):
    """A date that may be known only to the month or year: 2019-02-10, 2019-02, 2019."""

    def clean(self, value):
        """A PartialDate, or None when blank."""
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_partial_date(value)
        except DateError as exc:
            raise forms.ValidationError(str(exc)) from exc


def iso_date_input() -> forms.DateInput:
    """A browser date picker: its value must be ISO (YYYY-MM-DD) whatever the UI language,
    or the browser drops it."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MetadataFields(forms.Form):
    """Metadata an admin can give; blank fields are read from the file."""

    country = forms.ChoiceField(label=_("Country"), choices=_country_field_choices, required=False)
    publisher = forms.CharField(
        label=_("Publisher (Kilde)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "publishers"}),
    )
    published = PartialDateField(
        label=_("Published"),
        required=False,
        help_text=_("2019-02-10, 2019-02 or 2019 when only the month or year is known."),
    )
    intake = forms.DateField(
        label=_("Intake date"),
        required=False,
        widget=iso_date_input(),
        help_text=_("Optaget på baggrundsmaterialet. Blank: today."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("— detect —"))] + [c for c in CONTENT_LANGUAGES if c[0] != UNDETERMINED],
    )


class FileMetadataForm(MetadataFields):
    """The metadata of one file (or of every file of a batch), as the ingest service takes it."""

    number = forms.IntegerField(
        label=_("Bilag number"),
        required=False,
        min_value=1,
        max_value=MAX_NUMBER,
        help_text=_("Blank: from the file, or the next free number."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Blank: from the file."),
    )
    field_order = ["number", "country", "publisher", "title", "published", "intake", "language"]

    def metadata(self) -> dict[str, str | None]:
        """The given metadata as strings for the ingest service; blanks omitted."""
        data = self.cleaned_data
        published = data.get("published")
        values = {
            "number": str(data["number"]) if data.get("number") else None,
            "country": data.get("country") or None,
            "publisher": data.get("publisher") or None,
            "title": data.get("title") or None,
            "published": published.iso() if published else None,
            "intake": data["intake"].isoformat() if data.get("intake") else None,
            "language": data.get("language") or None,
        }
        return {k: v for k, v in values.items() if v}


class UploadForm(FileMetadataForm):
    """Files to ingest with metadata for all of them (number and title: one file only)."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_("Text (.txt), HTML (.html, .htm) or PDF (.pdf); several at once."),
    )
    field_order = ["files", *FileMetadataForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _(
            "Only with a single file. Blank: from the file, or the next free number."
        )
        self.fields["title"].help_text = _("Only with a single file. Blank: from the file.")

    def clean_files(self):
        """The files, at most BAGGRUND_MAX_FILES_PER_UPLOAD of them."""
        files = self.cleaned_data["files"]
        if len(files) > settings.BAGGRUND_MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("At most %(n)d files at a time."),
                params={"n": settings.BAGGRUND_MAX_FILES_PER_UPLOAD},
            )
        return files

    def clean(self):
        """Number and title name one bilag: refused with several files."""
        cleaned = super().clean()
        files = cleaned.get("files") or []
        if len(files) > 1:
            for name in ("number", "title"):
                if cleaned.get(name):
                    self.add_error(name, _("Only with a single file."))
        return cleaned


class BilagEditForm(forms.Form):
    """Corrections to a bilag's metadata. Its number, file and text never change."""

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    publisher = forms.CharField(
        label=_("Publisher (Kilde)"),
        max_length=200,
        required=False,
        help_text=_("Blank when unknown."),
        widget=forms.TextInput(attrs={"list": "publishers"}),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    published = PartialDateField(label=_("Published"), help_text=_("2019-02-10, 2019-02 or 2019."))
    intake = forms.DateField(label=_("Intake date"), widget=iso_date_input())
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)

    @staticmethod
    def initial_for(bilag) -> dict:
        """The form's values for a bilag as it stands."""
        return {
            "country": bilag.country,
            "publisher": bilag.publisher.name if bilag.publisher else "",
            "title": bilag.title,
            "published": bilag.published_iso(),
            "intake": bilag.intake,
            "language": bilag.language,
        }


class WithdrawForm(forms.Form):
    """Why a bilag is withdrawn."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown with the bilag and with every citation of it."),
    )


def add_validation_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has
    that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def publisher_names() -> list[str]:
    """Every publisher's name, for the publisher field's suggestions."""
    return list(Publisher.objects.values_list("name", flat=True))


def staged_initial(values: dict[str, str]) -> dict:
    """A staged file's form values from what it states and what the admin gave (raw
    strings): each in the field's own shape when it can be read, dates as ISO; an
    unreadable published date is kept as written for the admin to correct."""
    initial: dict = {}
    for key in ("publisher", "title"):
        if values.get(key):
            initial[key] = values[key]
    number = (values.get("number") or "").strip().rstrip(".")
    if (read := whole_number(number)) is not None:
        initial["number"] = read
    elif number:
        initial["number"] = number  # kept as written, for the admin to correct
    if values.get("country"):
        initial["country"] = country_code(values["country"]) or ""
    if values.get("language"):
        initial["language"] = language_code(values["language"]) or ""
    if values.get("published"):
        try:
            initial["published"] = parse_partial_date(values["published"]).iso()
        except DateError:
            initial["published"] = values["published"]
    if values.get("intake"):
        try:
            intake = parse_partial_date(values["intake"])
        except DateError:
            intake = None
        if intake is not None and intake.precision == DAY:
            initial["intake"] = intake.value
    return initial
