"""The payload lists through the topic review's forms (as a library admin): a decision on
a tag, "confirm all on this page", a topic added by hand; each with `next` and `anchor`.

Besides the checks of every answer (tests/fuzz/payloads.py): every redirect stays on
the site (an open redirect would send a reviewer elsewhere), and a payload never
changes a tag's state.
"""

import pytest

from library.models import PassageTopic
from tests.fuzz.payloads import Prober, plan
from tests.library.search.corpus import DA, Corpus


@pytest.fixture
def tag(db):
    Corpus(DA)
    found = PassageTopic.objects.select_related("topic", "passage").first()
    assert found is not None, "the seeded topics tag the Danish camps text"
    return found


def _local(response) -> bool:
    target = response.get("Location", "")
    return target.startswith("/") and not target.startswith(("//", "/\\"))


def _post(prober: Prober, url: str, fields: list[str], base: dict, tag) -> None:
    prober.baseline(url, "POST", url, base)
    prober.baseline(url, "GET", "/no-such-page/", {})  # the 404 page, as an unknown topic gets
    for field, payload in prober.each(plan(fields)):
        before = PassageTopic.objects.get(pk=tag.pk).state
        response = prober.send("POST", url, {**base, field: payload}, payload, url)
        where = f"POST {url} {field}={payload[:50]!r}"
        prober.expect(response.status_code in (302, 404), f"{where}: HTTP {response.status_code}")
        if response.status_code == 302:
            prober.expect(_local(response), f"{where}: redirect to {response['Location']!r}")
        if field != "tag":
            after = PassageTopic.objects.get(pk=tag.pk).state
            prober.expect(after == before, f"{where}: the tag became {after}")


def test_tag_decision(admin_client_, tag):
    prober = Prober(admin_client_)
    url = f"/topic-tags/{tag.pk}/decide/"
    _post(prober, url, ["state", "next", "anchor"], {"state": "x", "next": "/bilag/"}, tag)
    prober.verdict("tag decision")


def test_confirm_all_on_the_page(admin_client_, tag):
    prober = Prober(admin_client_)
    base = {"topic": str(tag.topic.pk), "tag": "0", "next": "/topics/review/"}
    _post(prober, "/topics/review/confirm/", ["topic", "tag", "next", "anchor"], base, tag)
    prober.verdict("confirm all")


def test_topic_added_by_hand(admin_client_, tag):
    prober = Prober(admin_client_)
    url = f"/bilag/{DA.number}/passages/{tag.passage.ordinal}/topics/"
    _post(prober, url, ["topic", "next", "anchor"], {"topic": "0", "next": "/bilag/"}, tag)
    prober.verdict("topic added by hand")


@pytest.mark.parametrize("value", ["²", "⁰⁴⁵", "9" * 30])
def test_confirm_all_with_a_tag_id_that_is_no_number_changes_nothing(admin_client_, tag, value):
    """Found by the payload run: a superscript digit passed str.isdigit() and int() raised."""
    response = admin_client_.post(
        "/topics/review/confirm/", {"topic": str(tag.topic.pk), "tag": value}
    )
    assert response.status_code == 302
    assert PassageTopic.objects.get(pk=tag.pk).state == tag.state


BIG = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/topic-tags/{BIG}/decide/",
        f"/bilag/{BIG}/passages/1/topics/",
        f"/bilag/{DA.number}/passages/{BIG}/topics/",
        "/topics/review/confirm/",
    ],
)
def test_numbers_beyond_any_id_are_not_found(admin_client_, tag, url):
    response = admin_client_.post(url, {"topic": BIG, "state": "confirmed", "tag": BIG})
    assert response.status_code in (302, 404)


@pytest.mark.parametrize(
    "url",
    [
        f"/bilag/{BIG}/",
        f"/bilag/{BIG}/original/",
        f"/api/bilag/{BIG}",
        f"/cases/{BIG}/",
        f"/cases/{BIG}/sheet/",
        f"/api/cases/{BIG}",
        f"/cite/?bilag={BIG}&ordinal={BIG}",
    ],
)
def test_pages_of_numbers_beyond_any_id_are_not_found(admin_client_, tag, url):
    assert admin_client_.get(url).status_code == 404
