"""The topic review page: decisions answered in JSON for its script, the no-script redirect
back to the next item, "confirm all on this page", undo, the matched words marked (and
the passage text escaped), topic descriptions in the UI language, dates in its style."""

import html as html_lib
import re

import pytest
from django.conf import settings
from django.test import Client

from library.models import Passage, PassageTopic, SearchOutbox, TagDecision, Topic
from library.topics import views
from library.topics.services import tag_decide, tags_confirm
from tests.factories import UserFactory
from tests.library.topics.corpus import (
    CAMPS,
    CIVILIANS,
    CONFIRMED,
    DA,
    REJECTED,
    SUGGESTED,
    decide_url,
)

REVIEW = f"/topics/review/?topic={CAMPS}"
CONFIRM_PAGE = "/topics/review/confirm/"
JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def _test_topics_only(request):
    """The test topics alone (conftest's only_test_topics), except for the test of the
    seeded topics' descriptions."""
    if "seeded_topics" not in request.fixturenames:
        request.getfixturevalue("only_test_topics")


@pytest.fixture
def seeded_topics(db) -> None:
    """The topics the migrations made, kept (see _test_topics_only)."""


def _items(html: str) -> list[str]:
    """Each review item's <li>, in page order."""
    return re.findall(r'<li class="hit review-item".*?</li>', html, flags=re.S)


def _queue(corpus) -> list[PassageTopic]:
    """The camps topic's suggestions in the review page's order (bilag 201, 202, 203)."""
    return [corpus.tag(key, CAMPS) for key in ("da_lejren", "nb_leiren", "en_camp")]


def _decisions(tag: PassageTopic) -> list[tuple[str, str]]:
    return list(TagDecision.objects.filter(tag=tag).order_by("id").values_list("before", "after"))


def test_a_decision_asked_for_in_json_answers_json(corpus, admin, library_admin):
    tag = corpus.tag("da_lejren", CAMPS)
    ordinal = corpus.passages["da_lejren"].ordinal

    response = admin.post(decide_url(tag), {"state": CONFIRMED, "next": REVIEW}, headers=JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": tag.id,
        "state": CONFIRMED,
        "previous": SUGGESTED,
        "label": "Confirmed",
        "message": f"Confirmed: Test camps in bilag {DA.number}, afsnit {ordinal}.",
    }
    tag.refresh_from_db()
    assert (tag.state, tag.decided_by) == (CONFIRMED, library_admin)
    assert _decisions(tag) == [(SUGGESTED, CONFIRMED)]


def test_a_refused_decision_in_json_is_a_400_with_the_reason(corpus, admin):
    tag = corpus.tag("da_lejren", CAMPS)

    response = admin.post(decide_url(tag), {"state": "maybe"}, headers=JSON)

    assert response.status_code == 400
    assert response.json() == {"error": "Choose confirm or reject."}
    assert corpus.tag("da_lejren", CAMPS).state == SUGGESTED
    # Without the header the same form is answered with a redirect, as before.
    assert admin.post(decide_url(tag), {"state": CONFIRMED}).status_code == 302


def test_undo_puts_the_tag_back_to_what_it_was_through_the_service(corpus, admin):
    tag = corpus.tag("da_lejren", CAMPS)
    admin.post(decide_url(tag), {"state": REJECTED}, headers=JSON)

    response = admin.post(decide_url(tag), {"state": SUGGESTED}, headers=JSON)

    assert response.status_code == 200
    answer = response.json()
    assert (answer["state"], answer["previous"]) == (SUGGESTED, REJECTED)
    assert answer["message"].startswith("Undone: Test camps in bilag")
    tag.refresh_from_db()
    assert (tag.state, tag.decided_by, tag.decided_at) == (SUGGESTED, None, None)
    assert _decisions(tag) == [(SUGGESTED, REJECTED), (REJECTED, SUGGESTED)]
    assert f'id="tag-{tag.id}"' in admin.get(REVIEW).content.decode()  # waiting again


def test_without_script_a_decision_comes_back_to_the_next_item(corpus, admin):
    first, second, third = _queue(corpus)
    html = admin.get(REVIEW).content.decode()
    items = _items(html)
    assert [re.search(r'id="tag-(\d+)"', li).group(1) for li in items] == [
        str(t.id) for t in (first, second, third)
    ]
    # Each item's form names the item after it; the last one, the one before it.
    anchors = [re.search(r'name="anchor" value="([^"]*)"', li).group(1) for li in items]
    assert anchors == [f"tag-{second.id}", f"tag-{third.id}", f"tag-{second.id}"]

    response = admin.post(
        decide_url(first), {"state": CONFIRMED, "next": REVIEW, "anchor": anchors[0]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}#tag-{second.id}"
    assert f'id="tag-{second.id}"' in admin.get(REVIEW).content.decode()  # still there
    first.refresh_from_db()
    assert first.state == CONFIRMED


@pytest.mark.parametrize("anchor", ['x"><script>', "#tag-1", "tag 1", "1tag"])
def test_an_anchor_that_is_not_an_id_is_dropped(corpus, admin, anchor):
    tag = corpus.tag("da_lejren", CAMPS)

    response = admin.post(decide_url(tag), {"state": CONFIRMED, "next": REVIEW, "anchor": anchor})

    assert response["Location"] == REVIEW


def test_the_review_page_marks_the_matched_words(corpus, admin):
    html = admin.get(REVIEW).content.decode()

    assert "Nødhjælpen til <mark>lejren</mark> blev standset" in html
    assert "Nødhjelpen til <mark>leiren</mark> ble stanset" in html
    assert "Aid to the <mark>camp</mark> was halted" in html
    assert html.count("<mark>") == 3


def test_the_passage_text_is_escaped_before_it_is_marked(corpus, admin):
    passage = corpus.passages["da_lejren"]
    text = "<script>alert('lejren')</script> Til lejren & <b>tilbage</b>"
    Passage.objects.filter(pk=passage.pk).update(text=text)

    html = admin.get(REVIEW).content.decode()

    item = _items(html)[0]
    snippet = re.search(r'<p class="snippet">(.*?)</p>', item, flags=re.S).group(1)
    assert "<script>alert" not in html
    assert snippet == (
        "&lt;script&gt;alert(&#x27;<mark>lejren</mark>&#x27;)&lt;/script&gt; Til "
        "<mark>lejren</mark> &amp; &lt;b&gt;tilbage&lt;/b&gt;"
    )
    assert html_lib.unescape(re.sub(r"</?mark>", "", snippet)) == text


def _tag(**fields) -> PassageTopic:
    return PassageTopic(origin="auto", state=SUGGESTED, **fields)


def test_marks_cover_phrases_across_punctuation_and_whole_words_only():
    passage = Passage(text="I al-Hol og Al Hol; lejrene er ikke lejren. Lejren!")
    tag = _tag(
        passage=passage,
        evidence=[
            {"kind": "lexicon", "words": ["al Hol"], "entry": '"al hol"'},
            {"kind": "context", "words": ["lejren"], "entry": "lejr", "ordinal": 1, "what": ""},
        ],
    )

    assert views.marked_snippet(tag) == (
        "I <mark>al-Hol</mark> og <mark>Al Hol</mark>; lejrene er ikke "
        "<mark>lejren</mark>. <mark>Lejren</mark>!"
    )


def test_a_tag_without_evidence_is_marked_from_its_reason():
    tag = _tag(
        passage=Passage(text="Flere civile blev dræbt."), reason="civile + dræbt* ← civile, dræbt"
    )

    assert views.marked_snippet(tag) == "Flere <mark>civile</mark> blev <mark>dræbt</mark>."


def test_a_long_passage_is_cut_around_its_first_match_at_spaces():
    words = [f"ord{i}" for i in range(200)]
    words[150] = "lejren"
    tag = _tag(
        passage=Passage(text=" ".join(words)),
        evidence=[{"kind": "lexicon", "words": ["lejren"], "entry": "lejr"}],
    )

    snippet = views.marked_snippet(tag, limit=120)

    assert snippet.startswith("… ord1")
    assert snippet.endswith(" …")
    assert "<mark>lejren</mark>" in snippet
    body = (
        snippet.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "")
    )
    assert len(body) <= 120
    assert all(re.fullmatch(r"ord\d+|lejren", w) for w in body.split(" "))  # whole words


def _bulk_form(html: str) -> tuple[str, list[int], str]:
    """The confirm-all form's topic, tag ids and button label."""
    form = re.search(r'<form method="post" action="/topics/review/confirm/".*?</form>', html, re.S)
    assert form, "the page has a confirm-all form"
    topic = re.search(r'name="topic" value="([^"]*)"', form.group(0)).group(1)
    ids = [int(i) for i in re.findall(r'name="tag" value="(\d+)"', form.group(0))]
    label = re.search(r"<button[^>]*>([^<]*)</button>", form.group(0)).group(1)
    return topic, ids, label


def test_confirm_all_confirms_only_the_suggestions_on_that_page(
    corpus, admin, caseworker, monkeypatch
):
    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 2)
    first, second, third = _queue(corpus)
    other_topic = corpus.tag("da_civile_dræbt", CIVILIANS)
    topic, ids, label = _bulk_form(admin.get(REVIEW).content.decode())
    assert topic == str(corpus.topic(CAMPS).id)
    assert ids == [first.id, second.id]
    assert label == "Confirm all 2 on this page"
    # Decided meanwhile (in place, or by someone else): left as it is.
    tag_decide(tag=second, state=REJECTED, user=caseworker)

    response = admin.post(
        CONFIRM_PAGE,
        {"topic": topic, "tag": [*ids, other_topic.id, "x"], "next": REVIEW},
        follow=True,
    )

    assert response.redirect_chain == [(REVIEW, 302)]
    assert "Confirmed 1 suggestion of Test camps." in response.content.decode()
    states = {t.id: t.state for t in PassageTopic.objects.all()}
    assert states[first.id] == CONFIRMED
    assert states[second.id] == REJECTED
    assert states[third.id] == SUGGESTED  # on the next page
    assert states[other_topic.id] == SUGGESTED  # another topic
    assert _decisions(first) == [(SUGGESTED, CONFIRMED)]
    assert _decisions(second) == [(SUGGESTED, REJECTED)]
    assert not TagDecision.objects.filter(tag__in=[third, other_topic]).exists()


def test_confirm_all_says_when_there_was_nothing_left(corpus, admin, caseworker):
    tag = corpus.tag("da_lejren", CAMPS)
    tag_decide(tag=tag, state=REJECTED, user=caseworker)

    response = admin.post(
        CONFIRM_PAGE, {"topic": corpus.topic(CAMPS).id, "tag": [tag.id]}, follow=True
    )

    assert response.redirect_chain == [(REVIEW, 302)]
    assert "Nothing to confirm" in response.content.decode()
    assert corpus.tag("da_lejren", CAMPS).state == REJECTED


def test_confirm_all_needs_the_permission_and_post(corpus, admin):
    ids = [t.id for t in _queue(corpus)]
    data = {"topic": corpus.topic(CAMPS).id, "tag": ids}

    anonymous = Client().post(CONFIRM_PAGE, data)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    nobody = Client()
    nobody.force_login(UserFactory())
    assert nobody.post(CONFIRM_PAGE, data).status_code == 403
    assert admin.get(CONFIRM_PAGE).status_code == 405
    assert admin.post(CONFIRM_PAGE, {**data, "topic": "nope"}).status_code == 404
    assert {t.state for t in _queue(corpus)} == {SUGGESTED}
    assert not TagDecision.objects.exists()


def test_confirm_all_needs_the_csrf_token(corpus, library_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(library_admin)
    data = {"topic": corpus.topic(CAMPS).id, "tag": [t.id for t in _queue(corpus)]}

    assert client.post(CONFIRM_PAGE, data).status_code == 403
    assert {t.state for t in _queue(corpus)} == {SUGGESTED}

    html = client.get(REVIEW).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(CONFIRM_PAGE, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert {t.state for t in _queue(corpus)} == {CONFIRMED}


def test_tags_confirm_writes_each_decision_and_queues_the_passages(corpus, library_admin):
    first, second, third = _queue(corpus)
    tag_decide(tag=third, state=REJECTED, user=library_admin)
    SearchOutbox.objects.all().delete()

    count = tags_confirm(
        topic=corpus.topic(CAMPS), tag_ids=[first.id, second.id, third.id], user=library_admin
    )

    assert count == 2
    for tag in (first, second):
        tag.refresh_from_db()
        assert (tag.state, tag.decided_by) == (CONFIRMED, library_admin)
        assert tag.decided_at is not None
    assert set(SearchOutbox.objects.values_list("passage_id", flat=True)) == {
        first.passage_id,
        second.passage_id,
    }
    assert tags_confirm(topic=corpus.topic(CAMPS), tag_ids=[first.id], user=library_admin) == 0


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_description_is_in_the_ui_language(corpus, admin_client_):
    Topic.objects.filter(slug=CAMPS).update(
        description="Camps for refugees.", description_da="Lejre for flygtninge."
    )

    danish = _in(admin_client_, "da").get(REVIEW).content.decode()
    assert '<p class="lead topic-description">Lejre for flygtninge.</p>' in danish
    assert "Camps for refugees." not in danish

    english = _in(admin_client_, "en").get(REVIEW).content.decode()
    assert '<p class="lead topic-description">Camps for refugees.</p>' in english
    assert "Lejre for flygtninge." not in english


def test_a_missing_description_falls_back_to_the_other_language():
    topic = Topic(description="Only English.", description_da="")

    assert topic.localized_description("da") == "Only English."
    assert Topic(description_da="Kun dansk.").localized_description("en") == "Kun dansk."


def test_the_review_page_gives_dates_in_the_ui_language(corpus, admin_client_):
    bilag = corpus.bilag[DA.number]

    danish = _in(admin_client_, "da").get(REVIEW).content.decode()
    english = _in(admin_client_, "en").get(REVIEW).content.decode()

    assert f'<time datetime="2019-02-01">{bilag.published_display("da")}</time>' in danish
    assert "1. februar 2019" in danish
    assert f'<time datetime="2019-02-01">{bilag.published_display("en")}</time>' in english
    assert "februar" not in english


def test_the_seeded_topics_have_danish_descriptions(seeded_topics):
    # The topics migration 0007 made, described in Danish by 0016.
    seeded = dict(Topic.objects.values_list("slug", "description_da"))
    assert len(seeded) == 8
    assert seeded["refugee-camps"].startswith("Lejre for flygtninge")
    assert seeded["landmines"].startswith("Landminer")
    assert all(seeded.values()), seeded
