"""The topic pages and their permissions: tags on the bilag page with their state and
buttons, who may decide, add and review, the review queue, CSRF, and `next`."""

import re

import pytest
from django.test import Client

from library.models import TagDecision
from library.topics.services import tag_add, tag_decide
from tests.factories import UserFactory
from tests.library.topics.corpus import (
    BOILERPLATE,
    CAMPS,
    CIVILIANS,
    CONFIRMED,
    DA,
    EN,
    EXPECTED,
    FIGHTERS,
    MANUAL,
    REFUGEES,
    REJECTED,
    Corpus,
    add_url,
    decide,
    decide_url,
)

pytestmark = pytest.mark.usefixtures("only_test_topics")

LOGIN = "/accounts/login/?next="


def _tag_spans(html: str) -> dict[str, str]:
    """Each tag's <span> on a page, by the topic's (English) name."""
    spans = re.findall(r'<span class="tag [^"]*".*?</span>', html, flags=re.S)
    return {re.search(r'">\s*([^<]+?)\s*<small>', s).group(1): s for s in spans}


def test_bilag_page_shows_tags_with_their_state_and_buttons(corpus, cw, caseworker):
    confirmed = tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=CONFIRMED, user=caseworker)
    manual = tag_add(
        passage=corpus.passages["da_lejren"], topic=corpus.topic(FIGHTERS), user=caseworker
    )
    suggested = corpus.tag("da_lejren", CAMPS)

    response = cw.get(f"/bilag/{DA.number}/")

    assert response.status_code == 200
    html = response.content.decode()
    passage_html = {
        key: re.search(rf'<li id="p{p.ordinal}".*?</li>', html, flags=re.S).group(0)
        for key, p in corpus.passages.items()
        if p.bilag_id == corpus.bilag[DA.number].id
    }
    lejren = _tag_spans(passage_html["da_lejren"])
    assert set(lejren) == {"Test camps", "Test fighters"}
    assert 'class="tag tag-suggested"' in lejren["Test camps"]
    assert "<small>suggested</small>" in lejren["Test camps"]
    assert 'title="matched “lejren” (entry lejr)"' in lejren["Test camps"]
    for state in (CONFIRMED, REJECTED):
        assert f'action="{decide_url(suggested)}"' in lejren["Test camps"]
        assert f'value="{state}"' in lejren["Test camps"]
    assert 'class="tag tag-confirmed tag-manual"' in lejren["Test fighters"]
    assert "<small>added by hand</small>" in lejren["Test fighters"]
    assert f"decided by {caseworker.username}" in lejren["Test fighters"]
    assert f'action="{decide_url(manual)}"' in lejren["Test fighters"]
    assert 'value="confirmed"' not in lejren["Test fighters"]  # already confirmed

    krigere = _tag_spans(passage_html["da_krigere"])
    assert 'class="tag tag-confirmed"' in krigere["Test fighters"]
    assert "<small>confirmed</small>" in krigere["Test fighters"]
    assert f'action="{decide_url(confirmed)}"' in krigere["Test fighters"]
    assert 'value="rejected"' in krigere["Test fighters"]
    assert 'value="confirmed"' not in krigere["Test fighters"]

    # Every content passage can be tagged by hand; the boilerplate shows no tags or forms.
    for key, snippet in passage_html.items():
        passage = corpus.passages[key]
        if key in BOILERPLATE:
            assert 'class="tag' not in snippet
            assert "/topics/" not in snippet
        else:
            assert f'action="{add_url(passage)}"' in snippet
            assert f'name="next" value="/bilag/{DA.number}/#p{passage.ordinal}"' in snippet
            for topic in corpus.topics.values():
                assert f'<option value="{topic.id}">{topic.name_en}</option>' in snippet


def test_rejected_tags_show_as_rejected_with_a_confirm_button(corpus, cw, caseworker):
    tag = tag_decide(tag=corpus.tag("en_camp", CAMPS), state=REJECTED, user=caseworker)

    html = cw.get(f"/bilag/{EN.number}/").content.decode()

    span = _tag_spans(html)["Test camps"]
    assert 'class="tag tag-rejected"' in span
    assert "<small>rejected</small>" in span
    assert f'action="{decide_url(tag)}"' in span
    assert 'value="confirmed"' in span
    assert 'value="rejected"' not in span


def _posts(corpus: Corpus) -> list[tuple[str, dict]]:
    return [
        (decide_url(corpus.tag("en_camp", CAMPS)), {"state": CONFIRMED}),
        (add_url(corpus.passages["da_civile"]), {"topic": corpus.topic(CAMPS).id}),
    ]


def test_anonymous_posts_redirect_to_login(corpus, client):
    for url, data in _posts(corpus):
        response = client.post(url, data)

        assert response.status_code == 302
        assert response["Location"] == LOGIN + url
    response = client.get("/topics/review/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert corpus.suggestions() == EXPECTED
    assert not TagDecision.objects.exists()


def test_a_user_without_a_role_gets_403(corpus, client):
    client.force_login(UserFactory())

    for url, data in _posts(corpus):
        assert client.post(url, data).status_code == 403
    assert client.get("/topics/review/").status_code == 403
    assert client.get(f"/topics/review/?topic={CAMPS}").status_code == 403
    assert corpus.suggestions() == EXPECTED
    assert not TagDecision.objects.exists()


def test_caseworkers_decide_and_add_but_do_not_see_the_review_queue(corpus, cw):
    for url, data in _posts(corpus):
        assert cw.post(url, data).status_code == 302
    assert cw.get("/topics/review/").status_code == 403
    assert cw.get(f"/topics/review/?topic={CAMPS}").status_code == 403
    assert corpus.tag("en_camp", CAMPS).state == CONFIRMED
    assert corpus.tag("da_civile", CAMPS).origin == MANUAL


def test_decisions_need_post(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)

    assert cw.get(decide_url(tag)).status_code == 405
    assert cw.get(add_url(corpus.passages["da_civile"])).status_code == 405


def test_review_queue_counts_suggestions_per_topic(corpus, admin, caseworker):
    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)
    tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=REJECTED, user=caseworker)

    response = admin.get("/topics/review/")

    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(
        re.findall(
            r'<a href="/topics/review/\?topic=([\w-]+)">[^<]*</a> <span class="facet-count">'
            r"(\d+)</span>",
            html,
        )
    )
    assert counts == {CAMPS: "2", CIVILIANS: "2", FIGHTERS: "0", REFUGEES: "1"}
    assert "Choose a topic to review its suggested tags." in html


def test_review_queue_lists_the_suggested_tags_of_a_topic(corpus, admin, caseworker):
    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)
    waiting = [corpus.tag("da_lejren", CAMPS), corpus.tag("nb_leiren", CAMPS)]
    url = f"/topics/review/?topic={CAMPS}"

    response = admin.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Test camps</h2>" in html
    listed = re.findall(r'action="/topic-tags/(\d+)/decide/"', html)
    assert listed == [str(t.id) for t in waiting]  # by bilag number, not the confirmed one
    for key in ("da_lejren", "nb_leiren"):
        assert f'href="{corpus.passages[key].get_absolute_url()}"' in html
        assert corpus.passages[key].text in re.sub(r"</?mark>", "", html)
    assert "Why: matched “lejren” (entry lejr)" in html
    assert "Why: matched “leiren” (entry leir)" in html
    assert corpus.passages["en_camp"].text not in re.sub(r"</?mark>", "", html)
    assert f'name="next" value="{url}"' in html

    # Deciding from the queue comes back to it.
    response = decide(admin, waiting[0], REJECTED, next=url)
    assert response["Location"] == url
    after = re.sub(r"</?mark>", "", admin.get(url).content.decode())
    assert corpus.passages["da_lejren"].text not in after


def test_review_queue_of_an_unknown_topic_is_404(corpus, admin):
    assert admin.get("/topics/review/?topic=test-nope").status_code == 404


def test_review_queue_of_a_topic_without_suggestions(corpus, admin, caseworker):
    tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=CONFIRMED, user=caseworker)

    html = admin.get(f"/topics/review/?topic={FIGHTERS}").content.decode()

    assert "No suggestions wait for a decision." in html


@pytest.fixture
def csrf_client(caseworker) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    return client


def test_both_posts_need_the_csrf_token(corpus, csrf_client):
    for url, data in _posts(corpus):
        assert csrf_client.post(url, data).status_code == 403
    assert corpus.suggestions() == EXPECTED
    assert not TagDecision.objects.exists()

    # The refusals are about the token: with it, the same POSTs go through.
    csrf_client.get(f"/bilag/{DA.number}/")
    token = csrf_client.cookies["csrftoken"].value
    for url, data in _posts(corpus):
        response = csrf_client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert corpus.tag("en_camp", CAMPS).state == CONFIRMED
    assert corpus.tag("da_civile", CAMPS).origin == MANUAL


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/bilag/",
        "http://evil.example.com/topics/review/",
        "javascript:alert(1)",
    ],
)
def test_next_refuses_an_external_url(corpus, cw, target):
    tag = corpus.tag("en_camp", CAMPS)
    passage = corpus.passages["da_civile"]

    response = decide(cw, tag, CONFIRMED, next=target)
    assert response["Location"] == corpus.passages["en_camp"].get_absolute_url()

    response = cw.post(add_url(passage), {"topic": corpus.topic(CAMPS).id, "next": target})
    assert response["Location"] == passage.get_absolute_url()


def test_next_follows_a_local_url(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)

    response = decide(cw, tag, CONFIRMED, next=f"/bilag/{EN.number}/#p2")

    assert response["Location"] == f"/bilag/{EN.number}/#p2"
