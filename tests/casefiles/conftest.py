"""Shared fixtures for the case-file tests: a case, its member (and a client logged in as
them), a colleague, an outsider, a cited bilag."""

import pytest
from django.conf import settings

from casefiles import services
from tests.casefiles.support import PASSAGE_TEXT
from tests.factories import BilagFactory, CaseworkerFactory


@pytest.fixture
def member(db):
    return CaseworkerFactory(username="member")


@pytest.fixture
def member_client(client, member):
    """The member, logged in, reading the site in English (message wording is English)."""
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def colleague(db):
    """Another caseworker, not (yet) a member of `case`."""
    return CaseworkerFactory(username="kollega")


@pytest.fixture
def outsider(db):
    """A caseworker who is not a member of `case`."""
    return CaseworkerFactory(username="outsider")


@pytest.fixture
def case(member):
    return services.case_create(
        user=member, reference="2026-0042", title="Ung mand fra Deir ez-Zor", country="SY"
    )


@pytest.fixture
def note(case, member):
    return services.note_create(case=case, user=member, body="Kampene ramte civile.")


@pytest.fixture
def bilag(db):
    """A Danish bilag whose first passage is PASSAGE_TEXT."""
    return BilagFactory(
        number=863,
        language="da",
        full_text=PASSAGE_TEXT + "\n\nAnden del af rapporten om lejren.",
    )


@pytest.fixture
def passage(bilag):
    return bilag.passages.get(ordinal=1)


@pytest.fixture
def citation(note, passage, member):
    start = passage.text.index("børn")
    return services.citation_create(
        note=note, passage=passage, user=member, start=start, end=start + len("børn og kvinder")
    )
