"""Views that only read answer only GET and HEAD: DELETE, PUT, PATCH, TRACE and POST are
405 (found by the production issue's probe: the library and search views answered 200)."""

import pytest

from tests.factories import BilagFactory

pytestmark = pytest.mark.django_db
READ_ONLY = [
    "/",
    "/api/search?q=camp",
    "/bilag/",
    "/bilag/4000/",
    "/bilag/4000/original/",
    "/api/bilag/4000",
    "/topics/review/",
]


@pytest.mark.parametrize("url", READ_ONLY)
@pytest.mark.parametrize("method", ["delete", "put", "patch", "trace", "post"])
def test_a_read_only_view_refuses_other_methods(admin_client_, url, method):
    BilagFactory(number=4000)

    response = getattr(admin_client_, method)(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("url", READ_ONLY)
def test_get_and_head_still_answer(admin_client_, url):
    BilagFactory(number=4000)

    assert admin_client_.get(url).status_code == 200
    assert admin_client_.head(url).status_code == 200
