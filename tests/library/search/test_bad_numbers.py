"""A bilag number larger than the database stores is a message, never a 500 (found by
the payload probe of the production issue: `?number=9223372036854775808`)."""

import pytest

from library.models import MAX_NUMBER
from library.search.selectors import passage_search
from tests.factories import BilagFactory

pytestmark = pytest.mark.django_db
HUGE = ["2147483648", "9223372036854775808", str(10**30)]


@pytest.mark.parametrize("number", HUGE)
def test_the_search_refuses_a_number_past_the_largest(number):
    BilagFactory(number=4000)

    results = passage_search(query="camp", filters={"number": number})

    assert results.error == "Bilag number: Ensure this value is less than or equal to 2147483647."


@pytest.mark.parametrize("number", HUGE)
def test_the_api_and_the_pages_answer_a_huge_number_with_a_400(caseworker_client, number):
    BilagFactory(number=4000)

    api = caseworker_client.get("/api/search", {"q": "camp", "number": number})
    search = caseworker_client.get("/", {"q": "camp", "number": number})
    listing = caseworker_client.get("/bilag/", {"number": number})

    assert api.status_code == 400
    # The UI speaks Danish unless the user switches.
    assert api.json() == {
        "error": "Bilagsnummer: Denne værdi skal være mindre end eller lig 2147483647."
    }
    # The pages say the same in their form, with the same 400.
    assert search.status_code == 400
    assert "Bilagsnummer: Denne værdi skal være mindre end eller lig 2147483647." in (
        search.content.decode()
    )
    assert listing.status_code == 400
    assert "Denne værdi skal være mindre end eller lig 2147483647." in listing.content.decode()
    assert "/bilag/4000/" not in listing.content.decode()  # nothing listed, not everything


def test_a_number_at_the_largest_is_searched():
    results = passage_search(query="camp", filters={"number": str(MAX_NUMBER)})

    assert (results.error, results.total) == ("", 0)


def test_ingest_refuses_a_number_past_the_largest_naming_it():
    from library.ingest.services import bilag_ingest

    result = bilag_ingest(
        name="stor.txt",
        data=b"Flygtninge i lejren fort\xc3\xa6ller om forholdene.\n",
        metadata={"number": "2147483648", "country": "SY", "published": "2020"},
    )

    assert (result.outcome, result.message) == (
        "failed",
        "bilag number '2147483648' (given by the admin) is larger than 2147483647",
    )
