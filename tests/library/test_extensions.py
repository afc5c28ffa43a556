"""The library's extension point: other apps show things beside passages without the
library knowing them (casefiles fills it; the library stands alone without it)."""

import copy

import pytest

from library import extensions
from tests.factories import BilagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_extensions():
    """The library as it is with no app built on it."""
    saved = extensions.registered()
    for extension in saved:
        extensions.unregister(extension.name)
    yield
    for extension in saved:
        extensions.register(extension)


@pytest.fixture
def probe(settings, tmp_path, without_extensions):
    """An extension of the test's own, with its templates in a folder of the test's."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "_tools.html").write_text(
        '<span class="probe">{{ passage.ordinal }}:{{ passage.probe }}</span>'
    )
    (tmp_path / "probe" / "_page.html").write_text('<p class="probe-page">{{ page }}</p>')
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    calls = []

    def annotate(request, passages):
        calls.append([p.ordinal for p in passages])
        for passage in passages:
            passage.probe = f"<b>{request.user.get_username()}</b>"

    extensions.register(
        extensions.PassageExtension(
            name="probe",
            tools_template="probe/_tools.html",
            page_template="probe/_page.html",
            annotate=annotate,
        )
    )
    yield calls
    extensions.unregister("probe")


def test_casefiles_registers_its_passage_tools():
    (extension,) = [e for e in extensions.registered() if e.name == "casefiles"]
    assert extension.tools_template == "casefiles/_cite_tools.html"
    assert extension.annotate is not None


def test_bilag_page_without_extensions_shows_no_case_files(caseworker_client, without_extensions):
    BilagFactory(number=4000)

    page = caseworker_client.get("/bilag/4000/").content.decode()

    assert "data-passages" in page
    assert "Cite in case" not in page and "Citér i sag" not in page
    assert "cite.js" not in page
    assert "cited-in" not in page


def test_search_without_extensions_still_finds_and_shows_hits(
    caseworker_client, without_extensions
):
    BilagFactory(number=4000)

    page = caseworker_client.get("/", {"q": "camp"}).content.decode()

    assert 'class="hit' in page
    assert "cite.js" not in page


def test_an_extension_is_asked_once_per_page_and_rendered_beside_each_passage(
    caseworker_client, caseworker, probe
):
    BilagFactory(number=4000)  # two passages

    page = caseworker_client.get("/bilag/4000/").content.decode()

    assert probe == [[1, 2]]  # one call, every passage
    name = caseworker.get_username()
    for ordinal in (1, 2):
        assert f'<span class="probe">{ordinal}:&lt;b&gt;{name}&lt;/b&gt;</span>' in page
    assert page.count('<p class="probe-page">bilag</p>') == 1


def test_an_extension_renders_beside_search_hits(caseworker_client, probe):
    BilagFactory(number=4000)

    page = caseworker_client.get("/", {"q": "camp"}).content.decode()

    assert probe == [[1]]
    assert '<span class="probe">1:' in page
    assert page.count('<p class="probe-page">search</p>') == 1
