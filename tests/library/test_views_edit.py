"""Correcting and withdrawing a bilag: the edit form, the withdrawal (kept, marked with
its date and reason), and deletion refused everywhere (the Django admin, the model)."""

import datetime as dt
import re

import pytest
from django.utils import formats, translation

from library.models import Bilag, Passage, Publisher
from tests.factories import BilagFactory
from tests.library.pages import (
    SEED_000,
    SEED_004,
    SEED_004_TITLE,
    form_errors,
    header_values,
    ingest_seed,
    listed_numbers,
)
from tests.support import in_english

_WARNING = re.compile(r'<p class="warning" role="alert">(.*?)</p>', re.S)


# --- edit -----------------------------------------------------------------------------


def _edit_data(**overrides) -> dict:
    data = {
        "country": "SY",
        "publisher": "Landinfo",
        "title": "Kampe ved Hajin",
        "published": "2019-03",
        "intake": "2018-10-11",
        "language": "en",
    }
    return {**data, **overrides}


def test_edit_corrects_publisher_title_and_month_precise_date(admin_client_, db):
    ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data())
    detail = admin_client_.get("/bilag/863/")

    bilag = Bilag.objects.get(number=863)
    assert (response.status_code, response["Location"]) == (302, "/bilag/863/")
    assert (bilag.publisher.name, bilag.title, bilag.published, bilag.published_precision) == (
        "Landinfo",
        "Kampe ved Hajin",
        dt.date(2019, 3, 1),
        Bilag.Precision.MONTH,
    )
    assert header_values(detail) == [
        "863",
        "Syrien (SY)",
        "Landinfo",
        "Kampe ved Hajin",
        "marts 2019",
        "11. oktober 2018",
    ]


def test_edit_form_starts_from_the_current_values(admin_client_, db):
    ingest_seed(SEED_004)

    response = admin_client_.get("/bilag/863/edit/")

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "country": "SY",
        "publisher": "BBC News",
        "title": SEED_004_TITLE,
        "published": "2018-09-11",
        "intake": dt.date(2018, 10, 11),
        "language": "en",
    }


def test_edit_with_impossible_date_is_a_form_error_naming_the_value(admin_client_, db):
    ingest_seed(SEED_004)

    response = in_english(admin_client_).post(
        "/bilag/863/edit/", _edit_data(published="31. februar 2019")
    )

    bilag = Bilag.objects.get(number=863)
    message = "'31. februar 2019' is not a valid date: February 2019 has 28 days"
    assert response.status_code == 200
    assert form_errors(response) == {"published": [message]}
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert (bilag.title, bilag.published) == (SEED_004_TITLE, dt.date(2018, 9, 11))


def test_edit_impossible_date_error_reads_as_danish_by_default(admin_client_, db):
    ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data(published="31. februar 2019"))

    assert response.status_code == 200
    assert (
        "&#x27;31. februar 2019&#x27; er ikke en gyldig dato: februar 2019 har 28 dage"
        in response.content.decode()
    )


def test_edit_cannot_change_the_number(admin_client_, db):
    ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/edit/", _edit_data(number="999"))

    assert response.status_code == 302
    assert list(Bilag.objects.values_list("number", "title")) == [(863, "Kampe ved Hajin")]


def test_edit_of_unknown_number_is_404(admin_client_, db):
    response = admin_client_.post("/bilag/863/edit/", _edit_data())

    assert response.status_code == 404
    assert Publisher.objects.count() == 0


# --- withdraw -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdraw_without_reason_is_a_form_error(admin_client_, db, reason):
    ingest_seed(SEED_004)

    response = admin_client_.post("/bilag/863/withdraw/", {"reason": reason})

    bilag = Bilag.objects.get(number=863)
    assert response.status_code == 200
    assert form_errors(response) == {"reason": ["This field is required."]}
    assert "Dette felt er påkrævet." in response.content.decode()
    assert (bilag.status, bilag.withdrawn_on, bilag.withdrawn_reason) == (
        Bilag.Status.CURRENT,
        None,
        "",
    )


def test_withdraw_keeps_the_bilag_marked_with_date_and_reason(admin_client_, db):
    ingest_seed(SEED_004)
    passages = Passage.objects.count()
    reason = "Erstattet af nyere rapport <b>fra 2019</b>"

    response = admin_client_.post("/bilag/863/withdraw/", {"reason": reason})
    detail = admin_client_.get("/bilag/863/")

    bilag = Bilag.objects.get(number=863)
    assert (response.status_code, response["Location"]) == (302, "/bilag/863/")
    assert (bilag.status, bilag.withdrawn_on, bilag.withdrawn_reason) == (
        Bilag.Status.WITHDRAWN,
        dt.date.today(),
        reason,
    )
    assert Passage.objects.count() == passages
    assert detail.status_code == 200
    warnings = _WARNING.findall(detail.content.decode())
    assert len(warnings) == 1
    with translation.override(detail.wsgi_request.LANGUAGE_CODE):
        today = formats.date_format(dt.date.today(), "DATE_FORMAT")  # "7. december 2026"
    assert today in warnings[0]
    assert "Erstattet af nyere rapport &lt;b&gt;fra 2019&lt;/b&gt;" in warnings[0]
    assert 'href="/bilag/863/withdraw/"' not in detail.content.decode()


def test_withdrawn_bilag_is_found_by_status_filter(admin_client_, db):
    ingest_seed(SEED_004)
    ingest_seed(SEED_000, country="SY")
    admin_client_.post("/bilag/863/withdraw/", {"reason": "Forældet"})

    withdrawn = admin_client_.get("/bilag/", {"status": "withdrawn"})
    current = admin_client_.get("/bilag/", {"status": "current"})

    assert listed_numbers(withdrawn) == [863]
    assert listed_numbers(current) == [864]


def test_withdraw_twice_keeps_the_first_date_and_reason(admin_client_, db):
    ingest_seed(SEED_004)
    Bilag.objects.filter(number=863).update(
        status=Bilag.Status.WITHDRAWN, withdrawn_on=dt.date(2020, 1, 2), withdrawn_reason="Først"
    )

    response = in_english(admin_client_).post("/bilag/863/withdraw/", {"reason": "Igen"})

    bilag = Bilag.objects.get(number=863)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["bilag 863 is already withdrawn"]
    assert (bilag.withdrawn_on, bilag.withdrawn_reason) == (dt.date(2020, 1, 2), "Først")


def test_django_admin_delete_is_forbidden_even_for_a_superuser(admin_client, db):
    bilag = BilagFactory()
    url = f"/admin/library/bilag/{bilag.pk}/delete/"

    get = admin_client.get(url)
    post = admin_client.post(url, {"post": "yes"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert Bilag.objects.filter(pk=bilag.pk).exists()
    assert Passage.objects.filter(bilag=bilag).count() == 2


def test_django_admin_bulk_delete_action_deletes_nothing(admin_client, db):
    bilag = BilagFactory()

    admin_client.post(
        "/admin/library/bilag/",
        {"action": "delete_selected", "_selected_action": [bilag.pk], "post": "yes"},
    )

    assert list(Bilag.objects.values_list("pk", flat=True)) == [bilag.pk]


def test_bilag_delete_raises_and_removes_nothing(db):
    from django.core.exceptions import ValidationError

    bilag = BilagFactory()
    BilagFactory()

    with pytest.raises(ValidationError):
        bilag.delete()
    with pytest.raises(ValidationError):
        Bilag.objects.all().delete()
    with pytest.raises(ValidationError):
        Bilag.objects.filter(pk=bilag.pk).delete()

    assert Bilag.objects.count() == 2
    assert Passage.objects.count() == 4
