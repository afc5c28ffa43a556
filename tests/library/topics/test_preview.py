"""A lexicon change seen before it is saved (how many passages gain and lose the topic,
with examples) and applied to the whole library when it is, keeping human decisions."""

import re

import pytest
from django.urls import reverse

from library.models import Topic, TopicRetag
from library.topics.preview import lexicon_preview
from library.topics.services import tag_decide
from tests.library.topics.corpus import CAMPS, CONFIRMED, REJECTED

pytestmark = pytest.mark.usefixtures("only_test_topics")


def _form(topic: Topic, **changes) -> dict:
    data = {
        "slug": topic.slug,
        "name_da": topic.name_da,
        "name_en": topic.name_en,
        "description": topic.description,
        **{f"lexicon_{code}": topic.lexicon(code) for code in ("da", "nb", "nn", "sv", "en", "de")},
    }
    return {**data, **changes}


def test_preview_counts_the_passages_that_gain_and_lose_the_topic(corpus, caseworker):
    camps = corpus.topic(CAMPS)
    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    edited = Topic.objects.get(pk=camps.pk)
    edited.lexicon_da = "*flygtningelejr*"  # was: lejr (lejren, flygtningelejrene? no)
    edited.lexicon_nb = ""  # nb_leiren loses it, but a person decided it: not counted

    preview = lexicon_preview(topic=edited)

    assert (preview.total, preview.checked, preview.estimated) == (12, 12, False)
    gained = [e.passage.text for e in preview.gain_examples]
    lost = [e.passage.text for e in preview.lose_examples]
    assert gained == [corpus.passages["da_flygtningelejrene"].text]
    assert lost == [corpus.passages["da_lejren"].text]
    assert (preview.gain, preview.lose) == (1, 1)
    assert preview.gain_examples[0].reason == "matched “Flygtningelejrene” (entry *flygtningelejr*)"
    # nothing was saved
    camps.refresh_from_db()
    assert camps.lexicon_da.startswith("# Danish")


def test_preview_of_a_large_library_is_an_estimate_from_an_even_spread(corpus):
    edited = Topic.objects.get(slug=CAMPS)
    edited.lexicon_da = ""

    preview = lexicon_preview(topic=edited, limit=5)

    assert preview.checked < preview.total == 12
    assert preview.estimated
    assert preview.lose_total == round(preview.lose * 12 / preview.checked)


def test_admin_preview_then_save_applies_the_lexicon_keeping_decisions(corpus, admin, caseworker):
    camps = corpus.topic(CAMPS)
    confirmed = tag_decide(tag=corpus.tag("da_lejren", CAMPS), state=CONFIRMED, user=caseworker)
    data = _form(camps, lexicon_da="*flygtningelejr*")
    change_url = reverse("admin:library_topic_change", args=[camps.pk])

    page = admin.post(reverse("admin:library_topic_preview", args=[camps.pk]), data)

    assert page.status_code == 200
    html = page.content.decode()
    summary = re.search(r'<p id="preview-summary">(.*?)</p>', html, re.S).group(1)
    assert " ".join(summary.split()).startswith(
        "1 passages would gain the topic and 0 would lose it, of 12 passages."
    )
    assert f'action="{change_url}"' in html
    assert 'type="hidden" name="lexicon_da" value="*flygtningelejr*"' in html
    assert Topic.objects.get(pk=camps.pk).lexicon_da == camps.lexicon_da  # not saved

    saved = admin.post(change_url, {**data, "_continue": "1"})

    assert saved.status_code == 302
    job = TopicRetag.objects.get(topic=camps)
    assert (job.state, job.total, job.done, job.added, job.removed) == ("done", 12, 12, 1, 0)
    assert corpus.tag("da_flygtningelejrene", CAMPS).state == "suggested"
    confirmed.refresh_from_db()
    assert confirmed.state == CONFIRMED  # lejren no longer matches, the decision stands
    page = admin.get(change_url).content.decode()
    assert "to 12 passages: 1 suggestions added, 0 removed; human decisions kept." in page


def test_admin_preview_names_a_bad_lexicon_line_and_offers_no_save(corpus, admin):
    camps = corpus.topic(CAMPS)

    page = admin.post(
        reverse("admin:library_topic_preview", args=[camps.pk]),
        _form(camps, lexicon_sv='"lägret'),
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Swedish lexicon: line 1: a quotation mark is not closed" in html
    assert "Save and apply to the library" not in html


def test_admin_preview_refuses_get(corpus, admin):
    url = reverse("admin:library_topic_preview", args=[corpus.topic(CAMPS).pk])

    assert admin.get(url).status_code == 405


def test_admin_preview_is_not_for_caseworkers(corpus, cw):
    url = reverse("admin:library_topic_preview", args=[corpus.topic(CAMPS).pk])

    response = cw.post(url, _form(corpus.topic(CAMPS)))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
