"""Suggestions learned from caseworkers' decisions: decisions change the next suggestion,
a rejected tag is never suggested again for its passage, too few decisions leave the
lexicon alone, and the model is retrained after enough new decisions."""

import io

import pytest
from django.core.management import call_command

from library.ingest.services import bilag_ingest
from library.models import Passage, PassageTopic, TagDecision, Topic, TopicClassifier
from library.topics.services import retag, tag_add, tag_decide, topic_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_test_topics")]

CONVOYS = [
    "A UN convoy of 40 trucks delivered food to the besieged town on Monday.",
    "Aid trucks carrying flour and medicine reached Douma after weeks of waiting.",
    "The Red Crescent convoy brought blankets and food parcels to 20,000 people.",
    "Humanitarian convoys were allowed into eastern Ghouta for the first time in months.",
    "A convoy of aid lorries crossed from Turkey at Bab al-Hawa with food and medicine.",
    "The World Food Programme trucks unloaded flour and rice in the besieged district.",
    "Aid agencies said the convoy carried medicine, food and hygiene kits.",
    "Trucks loaded with food parcels entered the town under a ceasefire agreement.",
]
OTHER = [
    "The parliament debated the new budget for three days.",
    "Football fans celebrated the victory in the capital's main square.",
    "The central bank raised interest rates by half a percentage point.",
    "Temperatures fell below zero across the north of the country.",
    "The minister opened a new school in the eastern province.",
    "Elections are expected to take place in the spring.",
    "The museum reopened after a renovation that lasted two years.",
    "Farmers complained about the price of fertiliser and diesel.",
]


def _ingest(name: str, paragraphs: list[str]):
    text = f" date 2019-03 Test {name}\n\n" + "\n\n".join(paragraphs) + "\n"
    result = bilag_ingest(
        name=name, data=text.encode(), metadata={"country": "SY", "language": "en"}
    )
    assert result.outcome == "added", result.message
    return result.bilag


@pytest.fixture
def convoys(settings):
    settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS = 8
    settings.BAGGRUND_TOPIC_RETRAIN_EVERY = 4
    return topic_save(
        topic=Topic(slug="aid-convoys", name_da="Nødhjælpskonvojer", name_en="Aid convoys")
    )


def _taught(convoys, caseworker) -> None:
    """A caseworker tags every convoy passage of a bilag by hand (8 decisions)."""
    bilag = _ingest("taught.txt", [*CONVOYS, *OTHER])
    for passage in bilag.passages.filter(text__in=CONVOYS):
        tag_add(passage=passage, topic=convoys, user=caseworker)


NEW_BILAG = [
    "A convoy of aid trucks with food and medicine reached the besieged town of Madaya.",
    "The national football team lost its qualifying match on Sunday.",
]


def test_decisions_change_the_next_suggestion(convoys, caseworker):
    # Before any decision: nothing suggested (the topic has no lexicon). Once decided on,
    # an untagged passage is also an example against the topic, so this one differs.
    before = _ingest("before.txt", ["Aid convoys are expected next week.", NEW_BILAG[1]])
    assert not PassageTopic.objects.filter(passage__bilag=before).exists()

    _taught(convoys, caseworker)  # the 8th decision trains the classifier
    after = _ingest("after.txt", NEW_BILAG)

    classifier = TopicClassifier.objects.get(topic=convoys)
    assert (classifier.decisions, classifier.positives, classifier.negatives) == (8, 8, 0)
    (tag,) = PassageTopic.objects.filter(passage__bilag=after)
    assert tag.passage.text == NEW_BILAG[0]
    assert (tag.topic, tag.origin, tag.state) == (convoys, "auto", "suggested")
    assert tag.evidence[0]["kind"] == "learned"
    assert tag.score >= classifier.threshold
    assert tag.explanation.startswith("learned from 8 decisions (score 0.")


def test_a_rejected_tag_is_never_suggested_again_for_its_passage(convoys, caseworker):
    _taught(convoys, caseworker)
    bilag = _ingest("after.txt", NEW_BILAG)
    tag = PassageTopic.objects.get(passage__bilag=bilag)
    tag_decide(tag=tag, state="rejected", user=caseworker)

    retag(progress=False)
    call_command("train_topics", "--retag", "--no-progress", stdout=io.StringIO())

    tags = PassageTopic.objects.filter(passage=tag.passage, topic=convoys)
    assert [(t.id, t.state) for t in tags] == [(tag.id, "rejected")]


def test_a_topic_with_too_few_decisions_relies_on_its_lexicon(convoys, caseworker, capsys):
    bilag = _ingest("few.txt", [*CONVOYS, *OTHER])
    for passage in bilag.passages.filter(text__in=CONVOYS[:3]):
        tag_add(passage=passage, topic=convoys, user=caseworker)

    call_command("train_topics", "--topic", "aid-convoys")

    assert capsys.readouterr().out == (
        "aid-convoys: lexicon only (fewer than 8 decisions or fewer than 5 confirmed)\n"
    )
    assert not TopicClassifier.objects.exists()


def test_the_classifier_is_retrained_after_enough_new_decisions(convoys, caseworker):
    _taught(convoys, caseworker)
    first = TopicClassifier.objects.get(topic=convoys)
    more = ["Food trucks reached Aleppo.", "Aid lorries reached Idlib.", "A convoy reached Homs."]
    bilag = _ingest("more.txt", [*more, "The last convoy reached Deraa.", *OTHER[:2]])
    passages = list(Passage.objects.filter(bilag=bilag).order_by("ordinal"))

    for passage in passages[:3]:  # three new decisions: not yet due (every 4)
        tag_add(passage=passage, topic=convoys, user=caseworker)
    assert TopicClassifier.objects.get(topic=convoys).decision_mark == first.decision_mark

    tag_add(passage=passages[3], topic=convoys, user=caseworker)

    retrained = TopicClassifier.objects.get(topic=convoys)
    assert retrained.decision_mark == TagDecision.objects.order_by("-id").first().id
    assert (retrained.decisions, retrained.positives, retrained.negatives) == (12, 12, 0)
