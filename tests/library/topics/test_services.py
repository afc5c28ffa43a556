"""Tagging (library.topics.services): suggestions at ingestion with their reasons, never
on boilerplate, and `retag` (the service and `manage.py retag`) following lexicon changes
while keeping every human decision."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from library.models import PassageTopic, TagDecision
from library.topics.services import retag, tag_add, tag_decide
from tests.library.topics.corpus import (
    AUTO,
    CAMPS,
    CIVILIANS,
    CONFIRMED,
    DA,
    EXPECTED,
    FIGHTERS,
    MANUAL,
    REJECTED,
    SUGGESTED,
    TOPICS,
    ingest,
    reason_for,
    snapshot,
)

pytestmark = pytest.mark.usefixtures("only_test_topics")


# --- tagging at ingestion ----------------------------------------------------------------------


def test_ingestion_suggests_tags_with_reasons(corpus):
    tags = corpus.tags()

    assert corpus.suggestions() == EXPECTED
    assert all(
        (origin, state) == (AUTO, SUGGESTED)
        for t in tags.values()
        for origin, state, _ in t.values()
    )
    assert not PassageTopic.objects.filter(decided_by__isnull=False).exists()
    assert not PassageTopic.objects.filter(decided_at__isnull=False).exists()
    assert not TagDecision.objects.exists()


def test_boilerplate_is_never_tagged(corpus):
    # The cookie notice names "lejren", which the Danish lexicon of test-camps matches.
    assert reason_for(DA.paragraphs["da_cookie"], lexicon_da="lejr") == "lejr ← lejren"

    assert not PassageTopic.objects.filter(passage__boilerplate=True).exists()
    retag(progress=False)
    assert not PassageTopic.objects.filter(passage__boilerplate=True).exists()


def test_all_of_needs_every_part_and_a_phrase_its_order(corpus):
    tags = corpus.tags()

    assert "da_civile" not in tags  # civile, but no one was killed
    assert "da_krigere_spredt" not in tags  # fremmede and krigere, not as the phrase


def test_an_exclusion_vetoes_at_ingestion(corpus):
    assert "en_training" not in corpus.tags()
    assert CAMPS in corpus.tags()["en_camp"]


def test_ingestion_without_topics_tags_nothing(db):
    bilag = ingest(DA)

    assert bilag.passages.count() == len(DA.paragraphs)
    assert not PassageTopic.objects.exists()


# --- retag -------------------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [5_000, 2])
def test_retag_follows_a_lexicon_change(corpus, batch):
    camps = corpus.topic(CAMPS)
    camps.lexicon_da = "*lejr*"  # now compounds too: the reason changes, a new passage
    camps.lexicon_nb = ""  # no Norwegian words any more: the suggestion goes
    camps.save()

    result = retag(progress=False, batch=batch)

    expected = {key: dict(topics) for key, topics in EXPECTED.items()}
    expected["da_lejren"][CAMPS] = "*lejr* ← lejren"
    expected["da_flygtningelejrene"][CAMPS] = "*lejr* ← Flygtningelejrene"
    del expected["nb_leiren"]
    assert corpus.suggestions() == expected
    assert (result.added, result.updated, result.removed, result.kept_human) == (1, 1, 1, 0)
    assert result.passages == corpus.content_count()


def test_retag_with_no_change_changes_nothing(corpus):
    before = list(PassageTopic.objects.order_by("id").values())

    result = retag(progress=False)

    assert (result.added, result.updated, result.removed, result.kept_human) == (0, 0, 0, 0)
    assert list(PassageTopic.objects.order_by("id").values()) == before


def test_retag_keeps_every_human_decision(corpus, caseworker):
    confirmed = tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)
    rejected = tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    manual = tag_add(
        passage=corpus.passages["da_civile"], topic=corpus.topic(CAMPS), user=caseworker
    )
    human = {tag.id: snapshot(tag) for tag in (confirmed, rejected, manual)}
    assert [s[:2] for s in human.values()] == [
        (AUTO, CONFIRMED),
        (AUTO, REJECTED),
        (MANUAL, CONFIRMED),
    ]

    # The lexicons still match the confirmed and rejected ones: nothing is re-suggested.
    result = retag(progress=False)
    assert (result.added, result.updated, result.removed, result.kept_human) == (0, 0, 0, 3)
    assert {t.id: snapshot(t) for t in (confirmed, rejected, manual)} == human

    # Now the confirmed and rejected ones no longer match, and the manual one newly does.
    camps = corpus.topic(CAMPS)
    camps.lexicon_en = "tent"
    camps.lexicon_nb = "telt"
    camps.lexicon_da = "lejr\ncivile"
    camps.save()
    result = retag(progress=False)

    assert {t.id: snapshot(t) for t in (confirmed, rejected, manual)} == human
    assert (result.added, result.updated, result.removed, result.kept_human) == (2, 0, 0, 3)
    assert corpus.suggestions()["da_civile_dræbt"][CAMPS] == "civile ← civile"
    assert TagDecision.objects.count() == 3  # retag decides nothing


def test_retag_command_output(corpus):
    camps = corpus.topic(CAMPS)
    camps.lexicon_nb = ""
    camps.save()
    out = io.StringIO()

    call_command("retag", "--no-progress", stdout=out)

    line = out.getvalue().strip()
    match = re.fullmatch(
        r"retagged (\d+) passages in \d+\.\d s: added (\d+), updated (\d+), "
        r"removed (\d+) suggestions; kept (\d+) human decisions",
        line,
    )
    assert match, line
    assert [int(n) for n in match.groups()] == [corpus.content_count(), 0, 0, 1, 0]


def test_retag_topic_option_touches_only_that_topic(corpus, caseworker):
    camps, civilians = corpus.topic(CAMPS), corpus.topic(CIVILIANS)
    camps.lexicon_nb = ""
    camps.save()
    civilians.lexicon_da = "civile"
    civilians.save()
    tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=CONFIRMED, user=caseworker)
    out = io.StringIO()

    call_command("retag", "--topic", CAMPS, "--no-progress", stdout=out)

    assert "added 0, updated 0, removed 1 suggestions; kept 0 human decisions" in out.getvalue()
    expected = {key: dict(topics) for key, topics in EXPECTED.items()}
    del expected["nb_leiren"]
    expected["da_krigere"] = {}  # confirmed: a human decision, not a suggestion
    assert corpus.suggestions() == expected  # the civilians' suggestions are as they were

    out = io.StringIO()
    call_command("retag", "--topic", CIVILIANS, "--no-progress", stdout=out)

    assert "added 1, updated 2, removed 0 suggestions; kept 0 human decisions" in out.getvalue()
    suggestions = corpus.suggestions()
    assert suggestions["da_civile"] == {CIVILIANS: "civile ← civile"}
    assert suggestions["da_civile_dræbt"] == {CIVILIANS: "civile ← civile"}
    assert corpus.tag("da_krigere", FIGHTERS).state == CONFIRMED


def test_retag_unknown_topic_names_the_known_ones(corpus):
    with pytest.raises(CommandError) as caught:
        call_command("retag", "--topic", "test-nope", "--no-progress", stdout=io.StringIO())

    message = str(caught.value)
    assert "test-nope" in message
    for slug in TOPICS:
        assert slug in message
    assert corpus.suggestions() == EXPECTED
