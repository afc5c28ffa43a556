"""Human decisions on tags: confirm, reject and back to suggested by POST, each recorded
with who, when and before/after; tags added by hand; and what is refused with a message."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from library.models import PassageTopic, TagDecision
from library.topics.services import tag_add, tag_decide
from tests.factories import UserFactory
from tests.library.topics.corpus import (
    AUTO,
    CAMPS,
    CONFIRMED,
    DA,
    MANUAL,
    REJECTED,
    SUGGESTED,
    add_url,
    decide,
    snapshot,
)

pytestmark = pytest.mark.usefixtures("only_test_topics")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_confirm_and_reject_by_post_record_who_when_and_before_after(corpus, cw, caseworker):
    tag = corpus.tag("en_camp", CAMPS)
    passage_url = corpus.passages["en_camp"].get_absolute_url()

    started = timezone.now()
    response = decide(cw, tag, CONFIRMED)

    assert response.status_code == 302
    assert response["Location"] == passage_url
    tag.refresh_from_db()
    assert (tag.origin, tag.state, tag.decided_by) == (AUTO, CONFIRMED, caseworker)
    assert started <= tag.decided_at <= timezone.now()
    first_decided_at = tag.decided_at

    response = decide(cw, tag, REJECTED)

    tag.refresh_from_db()
    assert (tag.state, tag.decided_by) == (REJECTED, caseworker)
    assert tag.decided_at >= first_decided_at
    assert list(tag.decisions.values_list("user", "before", "after")) == [
        (caseworker.id, SUGGESTED, CONFIRMED),
        (caseworker.id, CONFIRMED, REJECTED),
    ]

    # An automatic tag can go back to suggested: the machine's again.
    decide(cw, tag, SUGGESTED)

    tag.refresh_from_db()
    assert (tag.state, tag.decided_by, tag.decided_at) == (SUGGESTED, None, None)
    assert tag.decisions.count() == 3
    assert tag.decisions.last().after == SUGGESTED


def test_deciding_the_same_state_again_records_nothing(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)
    decide(cw, tag, CONFIRMED)
    decided_at = PassageTopic.objects.get(pk=tag.pk).decided_at

    decide(cw, tag, CONFIRMED)

    tag.refresh_from_db()
    assert tag.decisions.count() == 1
    assert tag.decided_at == decided_at


def test_an_unknown_state_is_refused_with_a_message(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)

    response = decide(cw, tag, "maybe")

    assert response.status_code == 302
    assert _messages(response) == ["Choose confirm or reject."]
    assert corpus.tag("en_camp", CAMPS).state == SUGGESTED
    assert not TagDecision.objects.exists()
    with pytest.raises(ValidationError):
        tag_decide(tag=tag, state="maybe", user=UserFactory())


def test_manual_add_is_confirmed_by_hand(corpus, cw, caseworker):
    passage = corpus.passages["da_civile"]

    started = timezone.now()
    response = cw.post(add_url(passage), {"topic": corpus.topic(CAMPS).id})

    assert response.status_code == 302
    assert response["Location"] == passage.get_absolute_url()
    tag = corpus.tag("da_civile", CAMPS)
    assert (tag.origin, tag.state, tag.decided_by, tag.reason) == (
        MANUAL,
        CONFIRMED,
        caseworker,
        "added by hand",
    )
    assert started <= tag.decided_at <= timezone.now()
    assert list(tag.decisions.values_list("user", "before", "after")) == [
        (caseworker.id, "", CONFIRMED)
    ]


def test_a_manual_tag_cannot_go_back_to_suggested(corpus, cw, caseworker):
    tag = tag_add(passage=corpus.passages["da_civile"], topic=corpus.topic(CAMPS), user=caseworker)
    before = snapshot(tag)

    response = decide(cw, tag, SUGGESTED)

    assert response.status_code == 302
    assert _messages(response) == ["A tag added by hand cannot go back to suggested."]
    assert snapshot(tag) == before
    assert tag.decisions.count() == 1

    # It can be rejected, though.
    decide(cw, tag, REJECTED)
    assert snapshot(tag)[:3] == (MANUAL, REJECTED, caseworker.id)


def test_adding_a_rejected_topic_confirms_it(corpus, cw, caseworker, library_admin):
    tag = tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=library_admin)

    response = cw.post(add_url(corpus.passages["nb_leiren"]), {"topic": corpus.topic(CAMPS).id})

    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.origin, tag.state, tag.decided_by) == (AUTO, CONFIRMED, caseworker)
    assert tag.reason == "leir ← leiren"
    assert list(tag.decisions.values_list("user", "before", "after")) == [
        (library_admin.id, SUGGESTED, REJECTED),
        (caseworker.id, REJECTED, CONFIRMED),
    ]
    assert PassageTopic.objects.filter(passage=corpus.passages["nb_leiren"]).count() == 1


def test_adding_a_suggested_topic_confirms_the_suggestion(corpus, cw, caseworker):
    cw.post(add_url(corpus.passages["da_lejren"]), {"topic": corpus.topic(CAMPS).id})

    tag = corpus.tag("da_lejren", CAMPS)
    assert (tag.origin, tag.state, tag.decided_by) == (AUTO, CONFIRMED, caseworker)
    assert list(tag.decisions.values_list("before", "after")) == [(SUGGESTED, CONFIRMED)]


def test_a_boilerplate_passage_cannot_be_tagged(corpus, cw, caseworker):
    passage = corpus.passages["da_cookie"]

    response = cw.post(add_url(passage), {"topic": corpus.topic(CAMPS).id})

    assert response.status_code == 302
    assert _messages(response) == ["Boilerplate passages are not tagged."]
    assert not PassageTopic.objects.filter(passage=passage).exists()
    assert not TagDecision.objects.exists()
    with pytest.raises(ValidationError):
        tag_add(passage=passage, topic=corpus.topic(CAMPS), user=caseworker)


@pytest.mark.parametrize("topic", ["", "abc", "999999"])
def test_adding_without_a_known_topic_is_refused_with_a_message(corpus, cw, topic):
    response = cw.post(add_url(corpus.passages["da_civile"]), {"topic": topic})

    assert response.status_code == 302
    assert _messages(response) == ["Choose a topic to add."]
    assert "da_civile" not in corpus.tags()


def test_unknown_tag_or_passage_is_404(corpus, cw):
    assert cw.post("/topic-tags/999999/decide/", {"state": CONFIRMED}).status_code == 404
    response = cw.post(f"/bilag/{DA.number}/passages/999/topics/", {"topic": "1"})
    assert response.status_code == 404
