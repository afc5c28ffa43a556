"""The search filters (django-filter): the same set for the page, the API and the benchmark.

The FilterSet is the form (fields, widgets, validation, messages); its cleaned values
are applied by the index (library.search.compile.filter_queries), never as SQL.
"""

import django_filters
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from library.languages import CONTENT_LANGUAGES
from library.models import MAX_NUMBER, Bilag, Passage, Publisher, Topic
from library.search import engine
from library.widgets import HeldCountryFilter, QuickSelect

CURRENT, ALL, WITHDRAWN = "", "all", "withdrawn"

SORTS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest published first")),
    ("oldest", _("Oldest published first")),
    ("intake", _("Latest intake first")),
]


_held: dict[tuple, list] = {}


def held_countries() -> list[tuple[str, str]]:
    """The library's countries (Bilag.objects.country_choices), read again only after
    the index has changed: every write that can bring a new country commits it."""
    try:
        key = (engine.get_index().version(), get_language())
    except engine.IndexUnavailable:
        return Bilag.objects.country_choices()  # the search says what is wrong
    if key not in _held:
        _held.clear()
        _held[key] = Bilag.objects.country_choices()
    return _held[key]


def country_options() -> list[tuple[str, str]]:
    """The country filter's options: "all countries" (no filter), then the held ones."""
    return [("", _("All countries")), *held_countries()]


class DateRange(django_filters.widgets.RangeWidget):
    """Two date inputs, each with its own accessible name ("Published from", "… to"):
    the fieldset's legend names the pair, a screen reader needs to know which is which."""

    def __init__(self, first, last):
        super().__init__(attrs={"type": "date"})
        self.widgets[0].attrs["aria-label"] = first
        self.widgets[1].attrs["aria-label"] = last


class PassageSearchFilter(django_filters.FilterSet):
    country = HeldCountryFilter(
        field_name="country",
        choices=country_options,
        label=_("Country"),
        widget=QuickSelect,
    )
    publisher = django_filters.ModelChoiceFilter(
        field_name="publisher",
        queryset=Publisher.objects.all(),
        label=_("Publisher"),
        empty_label=_("All publishers"),
        widget=QuickSelect,
    )
    language = django_filters.ChoiceFilter(
        choices=CONTENT_LANGUAGES,
        label=_("Language"),
        empty_label=_("All languages"),
        widget=QuickSelect,
    )
    published = django_filters.DateFromToRangeFilter(
        field_name="published",
        label=_("Published (from – to)"),
        widget=DateRange(_("Published from"), _("Published to")),
    )
    intake = django_filters.DateFromToRangeFilter(
        field_name="intake",
        label=_("Intake (from – to)"),
        widget=DateRange(_("Intake from"), _("Intake to")),
    )
    number = django_filters.NumberFilter(
        field_name="bilag__number",
        label=_("Bilag number"),
        min_value=1,
        max_value=MAX_NUMBER,
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label=_("Topic"),
        empty_label=_("All topics"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=[(ALL, _("current and withdrawn")), (WITHDRAWN, _("withdrawn only"))],
        empty_label=_("current only"),
        label=_("Status"),
        widget=QuickSelect,
    )

    class Meta:
        model = Passage
        fields = []

    def is_filtering(self) -> bool:
        """Whether any filter beyond the default (current bilag only) is set."""
        return self.active_count() > 0

    def active_count(self) -> int:
        """How many filters beyond the default (current bilag only) are set."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        active = 0
        for name, value in data.items():
            if name in {"published", "intake"}:
                active += bool(value and (value.start or value.stop))
            else:
                active += value not in (None, "", [])
        return active
