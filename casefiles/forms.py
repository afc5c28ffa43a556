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
        .order_by("username")
    )


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=60,
        help_text=_("The board's case number, e.g. 2026-1234."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    country = forms.ChoiceField(
        label=_("Country of origin"), choices=country_choices, widget=QuickSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    members = forms.ModelMultipleChoiceField(
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
        choices = []
        for case in cases:
            options = []
            if new_notes:
                options.append(
                    (f"new:{case.pk}", _("New note in %(ref)s") % {"ref": case.reference})
                )
            options += [(f"note:{note.pk}", f"{note}") for note in case.notes.all()]
            choices.append((f"{case.reference} · {case.title}", options))
        self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        target = data.get("target", "")
        if target.startswith("new:") and not data.get("new_note", "").strip():
            self.add_error("new_note", _("Write the new note, or choose an existing note."))
        return data
