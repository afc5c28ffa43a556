"""The Django admin writes bilag and topics only through the library's services."""

import datetime as dt

import pytest
from django.urls import reverse

from library.ingest.services import bilag_ingest
from library.models import BilagChange, Passage, Topic
from library.search.selectors import passage_search

pytestmark = pytest.mark.django_db

BOARD_FILE = (
    "Flygtningenævnets baggrundsmateriale\n\n"
    "Bilagsnr.:\t4711\nLand:\tSyrien\nKilde:\tLandinfo\nTitel:\tLejrene i nordøst\n"
    "Udgivet:\t10. februar 2019\nOptaget på baggrundsmaterialet:\t1. marts 2019\n\n"
    "I lejren al-Hol bor mange kvinder og børn fra udlandet.\n\n"
    "Lejren er overfyldt, og forholdene i lejren er dårlige.\n"
).encode()


@pytest.fixture
def bilag():
    result = bilag_ingest(
        name="lejre.txt", data=BOARD_FILE, metadata={"language": "da"}, today=dt.date(2026, 1, 5)
    )
    assert result.outcome == "added", result.line()
    return result.bilag


def _as_posted(response) -> dict:
    """What the admin's change form posts when saved as it opened (inlines included)."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        for inline_form in formset.forms:
            data |= {
                inline_form.add_prefix(name): inline_form[name].value()
                for name in inline_form.fields
            }
    return {name: value for name, value in data.items() if value is not None}


def _change(client, bilag, **changes):
    url = reverse("admin:library_bilag_change", args=[bilag.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**_as_posted(page), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def _hits(country: str) -> int:
    return passage_search(query="lejren", filters={"country": country}).total


def test_country_changed_in_the_admin_moves_the_bilag_in_search(
    admin_client_, library_admin, bilag
):
    assert (_hits("SY"), _hits("IQ")) == (2, 0)

    _change(admin_client_, bilag, country="IQ")

    assert (_hits("SY"), _hits("IQ")) == (0, 2)
    assert set(Passage.objects.filter(bilag=bilag).values_list("country", flat=True)) == {"IQ"}
    change = BilagChange.objects.get(bilag=bilag)
    assert (change.user, change.action, change.changes) == (
        library_admin,
        BilagChange.Action.CORRECTED,
        {"country": ["SY", "IQ"]},
    )


def test_dates_changed_in_the_admin_reach_the_passages_and_the_history(admin_client_, bilag):
    _change(admin_client_, bilag, published="2019-02-01", published_precision="month")

    bilag.refresh_from_db()
    assert bilag.published_iso() == "2019-02"
    assert set(Passage.objects.filter(bilag=bilag).values_list("published", flat=True)) == {
        dt.date(2019, 2, 1)
    }
    assert BilagChange.objects.get(bilag=bilag).changes == {"published": ["2019-02-10", "2019-02"]}


def test_saving_the_admin_form_unchanged_records_nothing(admin_client_, bilag):
    _change(admin_client_, bilag)

    assert not BilagChange.objects.exists()


def test_a_topic_saved_in_the_admin_with_a_bad_lexicon_is_refused_by_line(admin_client_):
    topic = Topic.objects.get(slug="refugee-camps")
    url = reverse("admin:library_topic_change", args=[topic.pk])
    data = _as_posted(admin_client_.get(url)) | {"lexicon_da": "lejr\nab*"}

    response = admin_client_.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "lexicon_da": ["line 2: 'ab*' needs at least three letters besides the *"]
    }
    topic.refresh_from_db()
    assert "ab*" not in topic.lexicon_da


def test_a_publisher_renamed_in_the_admin_is_recorded_on_each_of_its_bilag(
    admin_client_, library_admin, bilag
):
    publisher = bilag.publisher
    url = reverse("admin:library_publisher_change", args=[publisher.pk])

    response = admin_client_.post(url, {"name": "  Landinfo   (NO) "})

    assert response.status_code == 302
    publisher.refresh_from_db()
    assert publisher.name == "Landinfo (NO)"
    change = BilagChange.objects.get(bilag=bilag)
    assert (change.user, change.changes) == (
        library_admin,
        {"publisher": ["Landinfo", "Landinfo (NO)"]},
    )
