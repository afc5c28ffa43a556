"""The library list's filters (django-filter): title, number, country, publisher, dates."""

import django_filters
from django.utils.translation import gettext_lazy as _

from library.languages import CONTENT_LANGUAGES
from library.models import MAX_NUMBER, Bilag, Publisher
from library.search.filters import DateRange
from library.widgets import HeldCountryFilter


def _country_options():
    """ "All countries" (no filter), then the countries the library holds, by name."""
    return [("", _("All countries")), *Bilag.objects.country_choices()]


class BilagFilter(django_filters.FilterSet):
    """Filters for the bilag list."""

    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains")
    )
    number = django_filters.NumberFilter(
        field_name="number", label=_("Bilag number"), min_value=1, max_value=MAX_NUMBER
    )
    country = HeldCountryFilter(choices=_country_options, label=_("Country"))
    publisher = django_filters.ModelChoiceFilter(
        queryset=Publisher.objects.all(), label=_("Publisher"), empty_label=_("All publishers")
    )
    language = django_filters.ChoiceFilter(
        choices=CONTENT_LANGUAGES, label=_("Language"), empty_label=_("All languages")
    )
    status = django_filters.ChoiceFilter(
        choices=Bilag.Status.choices, label=_("Status"), empty_label=_("current and withdrawn")
    )
    published = django_filters.DateFromToRangeFilter(
        label=_("Published (from – to)"),
        widget=DateRange(_("Published from"), _("Published to")),
    )
    intake = django_filters.DateFromToRangeFilter(
        label=_("Intake (from – to)"),
        widget=DateRange(_("Intake from"), _("Intake to")),
    )
    order = django_filters.OrderingFilter(
        fields=(("number", "number"), ("published", "published"), ("intake", "intake")),
        field_labels={
            "number": _("Bilag number"),
            "published": _("Published"),
            "intake": _("Intake"),
        },
        label=_("Sort"),
        empty_label=_("Highest number first"),
    )

    class Meta:
        model = Bilag
        fields = []
