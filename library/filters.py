"""The library list's filters (django-filter): title, number, country, publisher, dates."""

import django_filters
from django.utils.translation import gettext_lazy as _

from library.languages import CONTENT_LANGUAGES
from library.models import MAX_NUMBER, Bilag, Publisher
from library.widgets import HeldCountryFilter


class BilagFilter(django_filters.FilterSet):
    """Filters for the bilag list."""

    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains")
    )
    number = django_filters.NumberFilter(
        field_name="number", label=_("Bilag number"), min_value=1, max_value=MAX_NUMBER
    )
    country = HeldCountryFilter(choices=Bilag.objects.country_choices, label=_("Country"))
    publisher = django_filters.ModelChoiceFilter(
        queryset=Publisher.objects.all(), label=_("Publisher")
    )
    language = django_filters.ChoiceFilter(choices=CONTENT_LANGUAGES, label=_("Language"))
    status = django_filters.ChoiceFilter(choices=Bilag.Status.choices, label=_("Status"))
    published = django_filters.DateFromToRangeFilter(
        label=_("Published (from – to)"),
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    intake = django_filters.DateFromToRangeFilter(
        label=_("Intake (from – to)"),
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    order = django_filters.OrderingFilter(
        fields=(("number", "number"), ("published", "published"), ("intake", "intake")),
        label=_("Sort"),
    )

    class Meta:
        model = Bilag
        fields = []
