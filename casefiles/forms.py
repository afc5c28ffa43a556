"""The case files' forms: a case and its members, a note, where a citation goes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casefiles.models import Case
from library.countries import country_choices
from library.widgets import QuickSelect


def _colleagues():
    """Users who can work on cases: members are chosen among them."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="view_case")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _country_choices():
    """Every country by name, after an empty choice: no country is preselected."""
    return [("", _("Choose the country…")), *country_choices()]


class MemberChoice(forms.ModelMultipleChoiceField):
    """Colleagues shown by their full name with the user name, as people know them."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name().strip()
        username = obj.get_username()
        return f"{name} ({username})" if name else username


def int_or_none(value) -> int | None:
    """A whole number from a query or form value, or None (missing, not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def shorten(text: str, limit: int = 60) -> str:
    """The first line of `text` up to `limit` characters, cut after a whole word ("…")."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(None, 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,.;:–-") + "…"


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=60,
        help_text=_("The board's case number, e.g. 2026-1234."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    country = forms.ChoiceField(
        label=_("Country of origin"), choices=_country_choices, widget=QuickSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    members = MemberChoice(
        label=_("Members"),
        queryset=_colleagues(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only members see the case. You stay a member."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            _colleagues().exclude(pk=user.pk) if user else _colleagues()
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )


class CiteForm(forms.Form):
    """Where a citation goes: an existing note, or a new note in one of the user's cases."""

    bilag = forms.IntegerField(widget=forms.HiddenInput)
    ordinal = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target = forms.ChoiceField(label=_("Case and note"))
    new_note = forms.CharField(
        label=_("Text of the new note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
    )
    comment = forms.CharField(
        label=_("Comment on the citation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, cases=(), new_notes=True, **kwargs):
        """`new_notes`: whether the user may write notes (casefiles.add_note)."""
        super().__init__(*args, **kwargs)
        none = ("", _("Choose a case and a note…"))
        self.fields["target"].choices = [none, *cite_choices(cases, new_notes)]

    def clean(self):
        """Refuse what would drop typed text or file a quote where it was not meant."""
        data = super().clean()
        target = data.get("target", "")
        text = data.get("new_note", "").strip()
        if target.startswith("new:") and not text:
            self.add_error("new_note", _("Write the new note, or choose an existing note."))
        elif target.startswith("note:") and text:
            # Without script both fields show; never throw away what was typed.
            self.add_error(
                "new_note",
                _(
                    "You wrote a text for a new note but chose an existing note. Choose "
                    "“… › New note” to keep the text, or empty this field to cite in the "
                    "chosen note."
                ),
            )
        return data


def cite_choices(cases, new_notes: bool = True) -> list:
    """The cite form's targets grouped by case, each readable when the select is closed:
    "DEMO-2026-0001 > Note 2: Airstrikes and landmines…", the note's words whole."""
    choices = []
    for case in cases:
        options = []
        if new_notes:
            options.append((f"new:{case.pk}", _("%(ref)s › New note") % {"ref": case.reference}))
        for number, note in enumerate(case.notes.all(), 1):  # as the case page counts
            label = _("%(ref)s › Note %(n)s: %(text)s") % {
                "ref": case.reference,
                "n": number,
                "text": shorten(note.body),
            }
            options.append((f"note:{note.pk}", label))
        choices.append((f"{case.reference} · {case.title}", options))
    return choices
