"""Topic tagging: lexicons, suggestions at ingestion, `retag`, human decisions, the pages
and permissions, and topics in search, the API and the export.

Every test makes its own topics with small lexicons and `test-` slugs; the seeded topics
are removed first, so their lexicons never matter here. Topics are made before anything
is ingested: ingestion suggests tags with the topics that exist at that moment. Every
bilag is ingested with the real service (`bilag_ingest`), as in test_search.
"""

import datetime as dt
import io
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from library.models import Bilag, Passage, PassageTopic, TagDecision, Topic
from library.search.selectors import passage_search
from library.selectors import passages_with_live_tags
from library.serializers import bilag_as_dict
from library.topics.lexicon import LexiconError, parse_entry, parse_lexicon
from library.topics.matching import compile_topic, expansion_topics, topics_for
from library.topics.services import retag, tag_add, tag_decide, topic_save
from tests.factories import UserFactory
from tests.library.boarddocs import Doc

TODAY = dt.date(2024, 6, 1)
LOGIN = "/accounts/login/?next="
SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
AUTO, MANUAL = "auto", "manual"


# --- the lexicon syntax, read and matched (no database) ---------------------------------------


def _reason(text: str, language: str = "da", **lexicons) -> str | None:
    """Why a topic with these lexicons (lexicon_da=…) applies to a passage, or None."""
    topic = Topic(id=1, slug="test-unsaved", **lexicons)
    return topics_for(text, language, [compile_topic(topic)]).get(1)


@pytest.mark.parametrize(
    ("lexicon", "text", "reason"),
    [
        # A word covers its inflections (by stem) but not the compounds it is part of.
        ("lejr", "Vi besøgte lejrene i går.", "lejr ← lejrene"),
        ("Lejr", "Nødhjælpen til lejren standsede.", "Lejr ← lejren"),
        ("lejr", "Flygtningelejrene er fulde.", None),
        # A phrase: these words, in this order.
        (
            '"fremmede krigere"',
            "Flere fremmede krigere blev anholdt.",
            '"fremmede krigere" ← fremmede krigere',
        ),
        ('"fremmede krigere"', "Krigere fra fremmede lande blev set.", None),
        ('"fremmede kriger*"', "Fremmede krigerne kom.", '"fremmede kriger*" ← Fremmede krigerne'),
        # A glob covers compounds (*…*) and prefixes (…*), always on the whole word.
        ("*lejr*", "Flygtningelejrene er fulde.", "*lejr* ← Flygtningelejrene"),
        ("*lejr*", "Teltlejren blev ryddet.", "*lejr* ← Teltlejren"),
        ("flygtning*", "Flygtningene ventede ved grænsen.", "flygtning* ← Flygtningene"),
        ("flygtning*", "Flygtningelejrene er fulde.", "flygtning* ← Flygtningelejrene"),
        ("lejr*", "Flygtningelejrene er fulde.", None),
        # Alternatives: either.
        ("lejr | telt*", "De sov i teltene.", "lejr | telt* ← teltene"),
        ("lejr|telt*", "Lejren blev ryddet.", "lejr|telt* ← Lejren"),
        # All of: every +-part must match somewhere in the passage.
        (
            "civile + dræbt* | omkom*",
            "Mindst tyve civile blev dræbt.",
            "civile + dræbt* | omkom* ← civile, dræbt",
        ),
        (
            "civile + dræbt* | omkom*",
            "Flere civile omkom ved broen.",
            "civile + dræbt* | omkom* ← civile, omkom",
        ),
        ("civile + dræbt* | omkom*", "De civile flygtede over floden.", None),
        ("civile + dræbt* | omkom*", "Fem soldater blev dræbt.", None),
        # A word written with a hyphen is its parts, in order.
        ("al-Hol", "Lejren al-Hol er overfyldt.", "al-Hol ← al Hol"),
        ("al-Hol", "Hol al fortalte.", None),
        # Comments and blank lines are not entries; the reason has the entry without them.
        ("# lejre\n\nlejr  # og former\n", "Lejren blev ryddet.", "lejr ← Lejren"),
        # Every entry that matches is in the reason.
        (
            "lejr\nflygtning*",
            "Flygtninge i lejren venter.",
            "lejr ← lejren; flygtning* ← Flygtninge",
        ),
    ],
)
def test_each_lexicon_form_matches_what_it_says(lexicon, text, reason):
    assert _reason(text, lexicon_da=lexicon) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Aid to the camp was halted.", "camp ← camp"),
        ("Recruits went to a training camp in the desert.", None),
        # An exclusion vetoes the passage even when another entry matches.
        ("The camp is far from the training camp.", None),
        ("They were training for the marathon.", None),
    ],
)
def test_an_exclusion_vetoes_the_passage(text, reason):
    lexicon = 'camp\n- "training camp"\n'
    assert _reason(text, "en", lexicon_en=lexicon) == reason


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("da", "Nødhjælpen til lejren standsede.", "lejr ← lejren"),
        ("nb", "Nødhjelpen til leiren stanset.", "leir ← leiren"),
        ("nn", "Naudhjelpa til leiren stoppa.", "leir ← leiren"),  # read as Norwegian
        ("en", "Aid to the camps stopped.", "camp ← camps"),
        ("da", "Aid to the camp stopped.", None),  # each language with its own lexicon
        ("en", "Nødhjælpen til lejren standsede.", None),
    ],
)
def test_a_passage_is_read_with_the_lexicon_of_its_language(language, text, reason):
    lexicons = {"lexicon_da": "lejr", "lexicon_nb": "leir", "lexicon_en": "camp"}
    assert _reason(text, language, **lexicons) == reason


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


# --- the corpus: topics first, then bilag ingested ---------------------------------------------


DA = Doc(
    201,
    "Syrien",
    "Landinfo",
    "Lejre og kampe i Syrien",
    "2019-02-01",
    "2019-03-01",
    "da",
    {
        "da_lejren": "Nødhjælpen til lejren blev standset efter angrebet i sidste uge.",
        "da_flygtningelejrene": "Flygtningelejrene ved grænsen er nu overfyldte.",
        "da_civile_dræbt": "Mindst tyve civile blev dræbt under angrebet på markedet.",
        "da_civile_omkom": "Flere civile omkom, da broen styrtede sammen.",
        "da_civile": "De civile flygtede over floden om natten.",
        "da_krigere": "Flere fremmede krigere blev anholdt ved grænsen.",
        "da_krigere_spredt": "Krigere fra fremmede lande blev set i byen.",
        # Boilerplate (a cookie notice) that names a camp: never tagged.
        "da_cookie": "Vi bruger cookies til at følge nyhederne fra lejren.",
    },
)
NB = Doc(
    202,
    "Syrien",
    "VG",
    "Leirene i Syria",
    "2018-11-01",
    "2019-04-01",
    "nb",
    {
        "nb_leiren": "Nødhjelpen til leiren ble stanset etter angrepet forrige uke.",
        "nb_vinter": "Kampene rundt byen fortsatte hele vinteren.",
    },
)
EN = Doc(
    203,
    "Syrien",
    "BBC News",
    "The camps of Syria",
    "2018-09-11",
    "2018-10-11",
    "en",
    {
        "en_camp": "Aid to the camp was halted after the attack last week.",
        "en_training": "Recruits were sent to a training camp in the desert.",
        "en_winter": "The fighting around the town went on all winter.",
    },
)
DOCS = [DA, NB, EN]
BOILERPLATE = {"da_cookie"}

CAMPS, CIVILIANS, FIGHTERS, REFUGEES = (
    "test-camps",
    "test-civilians",
    "test-fighters",
    "test-refugees",
)
TOPICS = {
    CAMPS: {
        "name_da": "Testlejre",
        "name_en": "Test camps",
        "lexicon_da": "# Danish\nlejr  # and its forms\n",
        "lexicon_nb": "leir",
        "lexicon_en": 'camp\n- "training camp"\n',
    },
    CIVILIANS: {
        "name_da": "Testcivile",
        "name_en": "Test civilians",
        "lexicon_da": "civile + dræbt* | omkom*",
    },
    FIGHTERS: {
        "name_da": "Testkrigere",
        "name_en": "Test fighters",
        "lexicon_da": '"fremmede krigere"',
    },
    REFUGEES: {"name_da": "Testflygtninge", "name_en": "Test refugees", "lexicon_da": "flygtning*"},
}

# The suggestions ingestion makes: passage -> {topic: reason}.
EXPECTED = {
    "da_lejren": {CAMPS: "lejr ← lejren"},
    "da_flygtningelejrene": {REFUGEES: "flygtning* ← Flygtningelejrene"},
    "da_civile_dræbt": {CIVILIANS: "civile + dræbt* | omkom* ← civile, dræbt"},
    "da_civile_omkom": {CIVILIANS: "civile + dræbt* | omkom* ← civile, omkom"},
    "da_krigere": {FIGHTERS: '"fremmede krigere" ← fremmede krigere'},
    "nb_leiren": {CAMPS: "leir ← leiren"},
    "en_camp": {CAMPS: "camp ← camp"},
}


@pytest.fixture(autouse=True)
def only_test_topics(request):
    """No seeded topics: they would tag these passages with their own lexicons."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        Topic.objects.all().delete()


def make_topics(**changes) -> dict[str, Topic]:
    return {
        slug: Topic.objects.create(slug=slug, **{**fields, **changes.get(slug, {})})
        for slug, fields in TOPICS.items()
    }


def ingest(doc: Doc) -> Bilag:
    return doc.ingest(TODAY)


class Corpus:
    """Topics and ingested documents; knows each passage by its name."""

    def __init__(self, *docs: Doc):
        self.topics = make_topics()
        self.passages: dict[str, Passage] = {}
        self.bilag: dict[int, Bilag] = {}
        for doc in docs:
            bilag = ingest(doc)
            self.bilag[doc.number] = bilag
            by_text = {p.text: p for p in bilag.passages.all()}
            assert len(by_text) == len(doc.paragraphs), "each paragraph is one passage"
            for key, text in doc.paragraphs.items():
                passage = by_text[text]
                assert passage.boilerplate == (key in BOILERPLATE), key
                self.passages[key] = passage
        self.name = {p.id: key for key, p in self.passages.items()}

    def topic(self, slug: str) -> Topic:
        return self.topics[slug]

    def tag(self, key: str, slug: str) -> PassageTopic:
        return PassageTopic.objects.get(passage=self.passages[key], topic__slug=slug)

    def tags(self) -> dict[str, dict[str, tuple[str, str, str]]]:
        """passage -> {topic: (origin, state, reason)}, every tag in the database."""
        found: dict[str, dict] = {}
        for tag in PassageTopic.objects.select_related("topic"):
            found.setdefault(self.name[tag.passage_id], {})[tag.topic.slug] = (
                tag.origin,
                tag.state,
                tag.reason,
            )
        return found

    def suggestions(self) -> dict[str, dict[str, str]]:
        """passage -> {topic: reason} for the automatic suggestions only."""
        return {
            key: {
                slug: reason
                for slug, (origin, state, reason) in tags.items()
                if (origin, state) == (AUTO, SUGGESTED)
            }
            for key, tags in self.tags().items()
        }

    def key(self, hit) -> str:
        return self.name[hit.passage.id]

    def content_count(self) -> int:
        return Passage.objects.filter(boilerplate=False).count()


@pytest.fixture
def corpus(db) -> Corpus:
    return Corpus(*DOCS)


def _url(tag: PassageTopic) -> str:
    return reverse("library:tag_decide", args=[tag.id])


def _add_url(passage: Passage) -> str:
    return reverse("library:tag_add", args=[passage.bilag.number, passage.ordinal])


def _snapshot(tag: PassageTopic) -> tuple:
    tag.refresh_from_db()
    return (tag.origin, tag.state, tag.decided_by_id, tag.decided_at, tag.reason)


def _english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def cw(caseworker_client) -> Client:
    return _english(caseworker_client)


@pytest.fixture
def admin(admin_client_) -> Client:
    return _english(admin_client_)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


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
    assert _reason(DA.paragraphs["da_cookie"], lexicon_da="lejr") == "lejr ← lejren"

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
    human = {tag.id: _snapshot(tag) for tag in (confirmed, rejected, manual)}
    assert [s[:2] for s in human.values()] == [
        (AUTO, CONFIRMED),
        (AUTO, REJECTED),
        (MANUAL, CONFIRMED),
    ]

    # The lexicons still match the confirmed and rejected ones: nothing is re-suggested.
    result = retag(progress=False)
    assert (result.added, result.updated, result.removed, result.kept_human) == (0, 0, 0, 3)
    assert {t.id: _snapshot(t) for t in (confirmed, rejected, manual)} == human

    # Now the confirmed and rejected ones no longer match, and the manual one newly does.
    camps = corpus.topic(CAMPS)
    camps.lexicon_en = "tent"
    camps.lexicon_nb = "telt"
    camps.lexicon_da = "lejr\ncivile"
    camps.save()
    result = retag(progress=False)

    assert {t.id: _snapshot(t) for t in (confirmed, rejected, manual)} == human
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


# --- decisions ---------------------------------------------------------------------------------


def _decide(client, tag, state, **extra):
    return client.post(_url(tag), {"state": state, **extra})


def test_confirm_and_reject_by_post_record_who_when_and_before_after(corpus, cw, caseworker):
    tag = corpus.tag("en_camp", CAMPS)
    passage_url = corpus.passages["en_camp"].get_absolute_url()

    started = timezone.now()
    response = _decide(cw, tag, CONFIRMED)

    assert response.status_code == 302
    assert response["Location"] == passage_url
    tag.refresh_from_db()
    assert (tag.origin, tag.state, tag.decided_by) == (AUTO, CONFIRMED, caseworker)
    assert started <= tag.decided_at <= timezone.now()
    first_decided_at = tag.decided_at

    response = _decide(cw, tag, REJECTED)

    tag.refresh_from_db()
    assert (tag.state, tag.decided_by) == (REJECTED, caseworker)
    assert tag.decided_at >= first_decided_at
    assert list(tag.decisions.values_list("user", "before", "after")) == [
        (caseworker.id, SUGGESTED, CONFIRMED),
        (caseworker.id, CONFIRMED, REJECTED),
    ]

    # An automatic tag can go back to suggested: the machine's again.
    _decide(cw, tag, SUGGESTED)

    tag.refresh_from_db()
    assert (tag.state, tag.decided_by, tag.decided_at) == (SUGGESTED, None, None)
    assert tag.decisions.count() == 3
    assert tag.decisions.last().after == SUGGESTED


def test_deciding_the_same_state_again_records_nothing(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)
    _decide(cw, tag, CONFIRMED)
    decided_at = PassageTopic.objects.get(pk=tag.pk).decided_at

    _decide(cw, tag, CONFIRMED)

    tag.refresh_from_db()
    assert tag.decisions.count() == 1
    assert tag.decided_at == decided_at


def test_an_unknown_state_is_refused_with_a_message(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)

    response = _decide(cw, tag, "maybe")

    assert response.status_code == 302
    assert _messages(response) == ["Choose confirm or reject."]
    assert corpus.tag("en_camp", CAMPS).state == SUGGESTED
    assert not TagDecision.objects.exists()
    with pytest.raises(ValidationError):
        tag_decide(tag=tag, state="maybe", user=UserFactory())


def test_manual_add_is_confirmed_by_hand(corpus, cw, caseworker):
    passage = corpus.passages["da_civile"]

    started = timezone.now()
    response = cw.post(_add_url(passage), {"topic": corpus.topic(CAMPS).id})

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
    before = _snapshot(tag)

    response = _decide(cw, tag, SUGGESTED)

    assert response.status_code == 302
    assert _messages(response) == ["A tag added by hand cannot go back to suggested."]
    assert _snapshot(tag) == before
    assert tag.decisions.count() == 1

    # It can be rejected, though.
    _decide(cw, tag, REJECTED)
    assert _snapshot(tag)[:3] == (MANUAL, REJECTED, caseworker.id)


def test_adding_a_rejected_topic_confirms_it(corpus, cw, caseworker, library_admin):
    tag = tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=library_admin)

    response = cw.post(_add_url(corpus.passages["nb_leiren"]), {"topic": corpus.topic(CAMPS).id})

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
    cw.post(_add_url(corpus.passages["da_lejren"]), {"topic": corpus.topic(CAMPS).id})

    tag = corpus.tag("da_lejren", CAMPS)
    assert (tag.origin, tag.state, tag.decided_by) == (AUTO, CONFIRMED, caseworker)
    assert list(tag.decisions.values_list("before", "after")) == [(SUGGESTED, CONFIRMED)]


def test_a_boilerplate_passage_cannot_be_tagged(corpus, cw, caseworker):
    passage = corpus.passages["da_cookie"]

    response = cw.post(_add_url(passage), {"topic": corpus.topic(CAMPS).id})

    assert response.status_code == 302
    assert _messages(response) == ["Boilerplate passages are not tagged."]
    assert not PassageTopic.objects.filter(passage=passage).exists()
    assert not TagDecision.objects.exists()
    with pytest.raises(ValidationError):
        tag_add(passage=passage, topic=corpus.topic(CAMPS), user=caseworker)


@pytest.mark.parametrize("topic", ["", "abc", "999999"])
def test_adding_without_a_known_topic_is_refused_with_a_message(corpus, cw, topic):
    response = cw.post(_add_url(corpus.passages["da_civile"]), {"topic": topic})

    assert response.status_code == 302
    assert _messages(response) == ["Choose a topic to add."]
    assert "da_civile" not in corpus.tags()


def test_unknown_tag_or_passage_is_404(corpus, cw):
    assert cw.post("/topic-tags/999999/decide/", {"state": CONFIRMED}).status_code == 404
    response = cw.post(f"/bilag/{DA.number}/passages/999/topics/", {"topic": "1"})
    assert response.status_code == 404


# --- pages and permissions -------------------------------------------------------------------


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
    assert 'title="lejr ← lejren"' in lejren["Test camps"]
    for state in (CONFIRMED, REJECTED):
        assert f'action="{_url(suggested)}"' in lejren["Test camps"]
        assert f'value="{state}"' in lejren["Test camps"]
    assert 'class="tag tag-confirmed tag-manual"' in lejren["Test fighters"]
    assert "<small>added by hand</small>" in lejren["Test fighters"]
    assert f"decided by {caseworker.username}" in lejren["Test fighters"]
    assert f'action="{_url(manual)}"' in lejren["Test fighters"]
    assert 'value="confirmed"' not in lejren["Test fighters"]  # already confirmed

    krigere = _tag_spans(passage_html["da_krigere"])
    assert 'class="tag tag-confirmed"' in krigere["Test fighters"]
    assert "<small>confirmed</small>" in krigere["Test fighters"]
    assert f'action="{_url(confirmed)}"' in krigere["Test fighters"]
    assert 'value="rejected"' in krigere["Test fighters"]
    assert 'value="confirmed"' not in krigere["Test fighters"]

    # Every content passage can be tagged by hand; the boilerplate shows no tags or forms.
    for key, snippet in passage_html.items():
        passage = corpus.passages[key]
        if key in BOILERPLATE:
            assert 'class="tag' not in snippet
            assert "/topics/" not in snippet
        else:
            assert f'action="{_add_url(passage)}"' in snippet
            assert f'name="next" value="/bilag/{DA.number}/#p{passage.ordinal}"' in snippet
            for topic in corpus.topics.values():
                assert f'<option value="{topic.id}">{topic.name_en}</option>' in snippet


def test_rejected_tags_show_as_rejected_with_a_confirm_button(corpus, cw, caseworker):
    tag = tag_decide(tag=corpus.tag("en_camp", CAMPS), state=REJECTED, user=caseworker)

    html = cw.get(f"/bilag/{EN.number}/").content.decode()

    span = _tag_spans(html)["Test camps"]
    assert 'class="tag tag-rejected"' in span
    assert "<small>rejected</small>" in span
    assert f'action="{_url(tag)}"' in span
    assert 'value="confirmed"' in span
    assert 'value="rejected"' not in span


def _posts(corpus: Corpus) -> list[tuple[str, dict]]:
    return [
        (_url(corpus.tag("en_camp", CAMPS)), {"state": CONFIRMED}),
        (_add_url(corpus.passages["da_civile"]), {"topic": corpus.topic(CAMPS).id}),
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

    assert cw.get(_url(tag)).status_code == 405
    assert cw.get(_add_url(corpus.passages["da_civile"])).status_code == 405


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
        assert corpus.passages[key].text in html
    assert "Why: lejr ← lejren" in html
    assert "Why: leir ← leiren" in html
    assert corpus.passages["en_camp"].text not in html
    assert f'name="next" value="{url}"' in html

    # Deciding from the queue comes back to it.
    response = _decide(admin, waiting[0], REJECTED, next=url)
    assert response["Location"] == url
    assert corpus.passages["da_lejren"].text not in admin.get(url).content.decode()


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

    response = _decide(cw, tag, CONFIRMED, next=target)
    assert response["Location"] == corpus.passages["en_camp"].get_absolute_url()

    response = cw.post(_add_url(passage), {"topic": corpus.topic(CAMPS).id, "next": target})
    assert response["Location"] == passage.get_absolute_url()


def test_next_follows_a_local_url(corpus, cw):
    tag = corpus.tag("en_camp", CAMPS)

    response = _decide(cw, tag, CONFIRMED, next=f"/bilag/{EN.number}/#p2")

    assert response["Location"] == f"/bilag/{EN.number}/#p2"


# --- search, API and export ------------------------------------------------------------------


def search(query: str = "", **filters):
    results = passage_search(query=query, filters=filters, per_page=100)
    assert not results.error, results.error
    assert results.searched
    assert len(results.hits) == results.total + results.via_total
    return results


def _found(corpus: Corpus, query: str = "", **filters) -> set[str]:
    return {corpus.key(hit) for hit in search(query, **filters).hits}


def test_topic_filter_counts_suggested_and_confirmed_never_rejected(corpus, caseworker):
    assert _found(corpus, topic=CAMPS) == {"da_lejren", "nb_leiren", "en_camp"}
    assert _found(corpus, topic=CIVILIANS) == {"da_civile_dræbt", "da_civile_omkom"}

    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)
    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_add(passage=corpus.passages["nb_vinter"], topic=corpus.topic(CAMPS), user=caseworker)

    assert _found(corpus, topic=CAMPS) == {"da_lejren", "en_camp", "nb_vinter"}
    assert _found(corpus, "angrebet", topic=CAMPS) == {"da_lejren"}
    assert _found(corpus, topic=CAMPS, language="en") == {"en_camp"}


def test_topic_filter_with_an_unknown_slug_is_an_error(corpus):
    results = passage_search(query="", filters={"topic": "test-nope"})

    assert results.error
    assert not results.hits


def test_topic_facet_counts(corpus, caseworker):
    results = search(country="SY")
    facet = {f.value: (f.count, f.selected) for f in results.facets["topic"]}
    assert facet == {
        CAMPS: (3, False),
        CIVILIANS: (2, False),
        FIGHTERS: (1, False),
        REFUGEES: (1, False),
    }

    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_decide(tag=corpus.tag("en_camp", CAMPS), state=CONFIRMED, user=caseworker)

    results = search(country="SY", topic=CAMPS)
    assert {f.value: (f.count, f.selected) for f in results.facets["topic"]} == {CAMPS: (2, True)}
    # Over a query's matches only.
    results = search("civile")
    assert {f.value: f.count for f in results.facets["topic"]} == {CIVILIANS: 2}
    assert results.total == 3


def test_a_topic_word_finds_the_topics_passages_in_other_languages(corpus):
    results = search("camp")

    keys = [corpus.key(hit) for hit in results.hits]
    # The direct matches first (the training camp is found by its words, untagged),
    # then the Danish and Norwegian passages found only through the topic.
    assert set(keys[:2]) == {"en_camp", "en_training"}
    assert set(keys[2:]) == {"da_lejren", "nb_leiren"}
    assert [t.slug for t in results.expanded_topics] == [CAMPS]
    hits = {corpus.key(hit): hit for hit in results.hits}
    assert [t.slug for t in hits["da_lejren"].via_topics] == [CAMPS]
    assert [t.slug for t in hits["nb_leiren"].via_topics] == [CAMPS]
    assert hits["en_camp"].via_topics == []
    assert [t.slug for t in hits["en_camp"].topics] == [CAMPS]
    assert hits["en_training"].topics == hits["en_training"].via_topics == []
    for key in ("da_lejren", "nb_leiren"):
        assert "camp" not in hits[key].passage.text.lower()
    # Another form of the word, in another language's lexicon, widens the same way.
    assert _found(corpus, "leirene") == {"nb_leiren", "da_lejren", "en_camp"}


def test_a_rejected_tag_is_not_found_through_the_topic(corpus, caseworker):
    tag_decide(tag=corpus.tag("nb_leiren", CAMPS), state=REJECTED, user=caseworker)
    tag_decide(tag=corpus.tag("da_lejren", CAMPS), state=CONFIRMED, user=caseworker)

    assert _found(corpus, "camp") == {"en_camp", "en_training", "da_lejren"}


def test_which_query_words_widen_a_query(corpus):
    # A single-word entry, a word a glob matches ("flygtning*") and the first word of an
    # all-of line ("civile + dræbt*") name their topic; a word only in an exclusion
    # ("training") or in a later part of an all-of line ("dræbt") names none.
    assert [t.slug for t in expansion_topics("lejrene")] == [CAMPS]
    assert [t.slug for t in expansion_topics("Camps")] == [CAMPS]
    assert [t.slug for t in expansion_topics("civile")] == [CIVILIANS]
    assert [t.slug for t in expansion_topics("flygtningene")] == [REFUGEES]
    assert expansion_topics("training") == []
    assert expansion_topics("dræbt") == []

    results = search("civile")
    assert [t.slug for t in results.expanded_topics] == [CIVILIANS]
    assert {corpus.key(h) for h in results.hits} == {
        "da_civile_dræbt",
        "da_civile_omkom",
        "da_civile",
    }
    # Every passage tagged test-civilians says "civile" itself: none is found only so.
    assert all(hit.via_topics == [] for hit in results.hits)
    # A phrase or a prefix does not widen.
    assert search('"the camp"').expanded_topics == []
    assert search("camp*").expanded_topics == []


def test_api_returns_topics_via_topic_and_expanded_topics(corpus, cw):
    response = cw.get("/api/search", {"q": "camp"})

    assert response.status_code == 200
    data = response.json()
    assert data["expanded_topics"] == [CAMPS]
    hits = {(h["bilag"], h["ordinal"]): h for h in data["hits"]}

    def hit(key):
        passage = corpus.passages[key]
        return hits[(passage.bilag.number, passage.ordinal)]

    assert (hit("en_camp")["topics"], hit("en_camp")["via_topic"]) == ([CAMPS], [])
    assert (hit("en_training")["topics"], hit("en_training")["via_topic"]) == ([], [])
    assert (hit("da_lejren")["topics"], hit("da_lejren")["via_topic"]) == ([CAMPS], [CAMPS])
    assert (hit("nb_leiren")["topics"], hit("nb_leiren")["via_topic"]) == ([CAMPS], [CAMPS])
    # Facets count the direct matches; the two found through the topic follow them.
    assert {f["value"]: f["count"] for f in data["facets"]["topic"]} == {CAMPS: 1}
    assert (data["total"], data["via_total"]) == (2, 2)

    data = cw.get("/api/search", {"q": "vinteren", "topic": CAMPS}).json()
    assert data["expanded_topics"] == []
    assert data["total"] == 0


def _exported(bilag):
    return bilag_as_dict(bilag, passages_with_live_tags(bilag))


def test_export_lists_the_topics_not_rejected_per_passage(corpus, caseworker):
    tag_decide(tag=corpus.tag("da_krigere", FIGHTERS), state=REJECTED, user=caseworker)
    tag_add(passage=corpus.passages["da_lejren"], topic=corpus.topic(REFUGEES), user=caseworker)
    tag_decide(tag=corpus.tag("da_civile_dræbt", CIVILIANS), state=CONFIRMED, user=caseworker)

    exported = _exported(corpus.bilag[DA.number])

    topics = {p["text"]: p["topics"] for p in exported["passages"]}
    by_key = {key: topics[DA.paragraphs[key]] for key in DA.paragraphs}
    assert by_key == {
        "da_lejren": [CAMPS, REFUGEES],
        "da_flygtningelejrene": [REFUGEES],
        "da_civile_dræbt": [CIVILIANS],
        "da_civile_omkom": [CIVILIANS],
        "da_civile": [],
        "da_krigere": [],  # rejected
        "da_krigere_spredt": [],
        "da_cookie": [],
    }
    assert [p["topics"] for p in _exported(corpus.bilag[EN.number])["passages"]] == [
        [CAMPS],
        [],
        [],
    ]
