"""The lexicon syntax (library.topics.lexicon): an entry's parts, every bad line refused
naming its line, and `topic_save` naming the lexicon field that is wrong."""

import pytest
from django.core.exceptions import ValidationError

from library.models import Topic
from library.topics.lexicon import LexiconError, parse_entry, parse_lexicon
from library.topics.services import topic_save

pytestmark = pytest.mark.usefixtures("only_test_topics")


def test_entry_parts_are_parsed():
    entry = parse_entry('- "training camp" | bootcamp + army', "en")

    assert entry.exclude
    assert entry.line == '- "training camp" | bootcamp + army'
    assert [[[w.text for w in alt.words] for alt in part] for part in entry.parts] == [
        [["training", "camp"], ["bootcamp"]],
        [["army"]],
    ]
    assert parse_entry("   # only a comment", "da") is None
    assert parse_lexicon("\n# a\n\nlejr\n  \nleir # b\n", "da")[1].line == "leir"


@pytest.mark.parametrize(
    ("lexicon", "line", "message"),
    [
        ('lejr\n"fremmede krigere', 2, "quotation mark is not closed"),
        ('lejr\n- "training camp', 2, "quotation mark is not closed"),
        ("lejr |", 1, "ends with | or +"),
        ("# comment\n| lejr", 2, "'|' needs a word on each side"),
        ("lejr | | leir", 1, "'|' needs a word on each side"),
        ("lejr\nleir\ncivile +", 3, "ends with | or +"),
        ("+ civile", 1, "'+' needs a word on each side"),
        ("civile + + dræbt", 1, "'+' needs a word on each side"),
        ("lejr\n-", 2, "only a -"),
        ("lejr\n\ntraining camp", 3, 'two words without | or + between them; quote a phrase: "'),
        ("lejr leir | telt", 1, "two words without | or +"),
        ("ab*", 1, "'ab*' needs at least three letters besides the *"),
        ("lejr\n*a*", 2, "'*a*' needs at least three letters"),
        ('"fremmede k*"', 1, "'k*' needs at least three letters"),
        ('lejr\n""', 2, "empty phrase"),
    ],
)
def test_a_bad_line_is_refused_naming_the_line(lexicon, line, message):
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(lexicon, "da")

    assert str(caught.value).startswith(f"line {line}: ")
    assert message in str(caught.value)


@pytest.mark.django_db
def test_topic_save_reports_the_bad_lexicon_field():
    topic = Topic(
        slug="test-bad",
        name_da="Dårlig",
        name_en="Bad",
        lexicon_da="lejr",
        lexicon_nb="leir\nab*",
        lexicon_en='camp\n"training camp',
    )

    with pytest.raises(ValidationError) as caught:
        topic_save(topic=topic)

    assert not Topic.objects.filter(slug="test-bad").exists()
    errors = caught.value.message_dict
    assert set(errors) == {"lexicon_nb", "lexicon_en"}
    assert errors["lexicon_nb"] == ["line 2: 'ab*' needs at least three letters besides the *"]
    assert errors["lexicon_en"] == ["line 2: a quotation mark is not closed"]

    topic.lexicon_nb = "leir"
    topic.lexicon_en = 'camp\n- "training camp"'
    topic_save(topic=topic)  # a good lexicon passes
    assert Topic.objects.get(slug="test-bad").lexicon_nb == "leir"
