"""The seeded topic lexicons against the hand labels of the seed passages.

The seeds are ingested the way an admin would (`manage.py ingest seeds/`, with
seeds/manifest.toml), then library.quality compares what the lexicons tag with
seeds/topic_labels.toml. The table is printed (pytest -s, or on failure).
"""

import io

import pytest
from django.core.management import call_command

from library.models import PassageTopic
from library.topics.quality import LabelError, format_quality, load_labels, topic_quality
from tests.support import SEEDS

CORE = ("refugee-camps", "foreign-fighters", "civilian-casualties")


@pytest.fixture
def ingested(db, seeds_dir):
    out = io.StringIO()
    call_command("ingest", str(seeds_dir), stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == "added 5, unchanged 0, failed 0"


def test_labels_cover_every_topic_of_the_seed_migration(db):
    from library.models import Topic

    labels = load_labels()
    assert set(CORE) <= set(labels["topics"])
    assert set(labels["topics"]) <= set(Topic.objects.values_list("slug", flat=True))


def test_core_topics_precision_and_recall_on_the_seeds(ingested):
    result = topic_quality()
    print("\n" + format_quality(result))

    for slug in CORE:
        q = result[slug]
        assert q["tp"] > 0, slug
        assert q["precision"] == q["tp"] / (q["tp"] + q["fp"])
        assert q["recall"] == q["tp"] / (q["tp"] + q["fn"])
        assert q["precision"] >= 0.9, (slug, q["mistakes"])
        assert q["recall"] >= 0.9, (slug, q["mistakes"])


def test_quality_agrees_with_the_tags_ingestion_suggested(ingested):
    """topic_quality recomputes the tags; ingestion stored the same ones."""
    result = topic_quality()
    stored = {
        (t.passage.bilag.original_name, t.passage.ordinal, t.topic.slug)
        for t in PassageTopic.objects.select_related("passage__bilag", "topic")
        if t.topic.slug in result
    }
    mistakes = [m for q in result.values() for m in q["mistakes"]]
    fps = {(m["file"], m["ordinal"], m["topic"]) for m in mistakes if m["kind"] == "fp"}
    fns = {(m["file"], m["ordinal"], m["topic"]) for m in mistakes if m["kind"] == "fn"}

    assert fps <= stored
    assert not fns & stored
    for slug, q in result.items():
        assert sum(1 for s in stored if s[2] == slug) == q["tp"] + q["fp"], slug


def test_topic_quality_command_prints_table_and_mistakes(ingested):
    out = io.StringIO()
    call_command("topic_quality", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["topic", "tp", "fp", "fn", "precision", "recall"]
    assert any(line.startswith("civilian-casualties ") for line in lines)
    assert "002_5dca1336a18c5cf3.txt §33 military-operations fp: " in out.getvalue()
    assert "civilian-casualties    9   0   0       1.00    1.00" in lines


def test_topic_quality_needs_the_seeds_ingested(db):
    with pytest.raises(LabelError, match="not ingested"):
        topic_quality()


def test_a_changed_split_is_detected(ingested, tmp_path):
    text = (SEEDS / "topic_labels.toml").read_text(encoding="utf-8")
    changed = text.replace('start = "Over 37.000 civile', 'start = "Under 37.000 civile', 1)
    assert changed != text
    labels = tmp_path / "topic_labels.toml"
    labels.write_text(changed, encoding="utf-8")
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())

    with pytest.raises(LabelError, match="§1: the passage starts"):
        topic_quality(labels)
