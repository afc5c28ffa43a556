"""The topic tests' library: four test topics with small lexicons (`test-` slugs) and
three bilag in Danish, Norwegian and English, each passage known by name, ingested with
the real service (`bilag_ingest`) after the topics are made, as ingestion suggests tags
with the topics that exist at that moment; and the URLs and calls a decision needs."""

import datetime as dt

from django.urls import reverse

from library.models import Bilag, Passage, PassageTopic, Topic
from library.topics.matching import compile_topic, topics_for
from tests.library.boarddocs import Doc

TODAY = dt.date(2024, 6, 1)
SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
AUTO, MANUAL = "auto", "manual"


def reason_for(text: str, language: str = "da", **lexicons) -> str | None:
    """Why a topic with these lexicons (lexicon_da=…) applies to a passage, or None."""
    topic = Topic(id=1, slug="test-unsaved", **lexicons)
    return topics_for(text, language, [compile_topic(topic)]).get(1)


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


def decide_url(tag: PassageTopic) -> str:
    return reverse("library:tag_decide", args=[tag.id])


def add_url(passage: Passage) -> str:
    return reverse("library:tag_add", args=[passage.bilag.number, passage.ordinal])


def snapshot(tag: PassageTopic) -> tuple:
    tag.refresh_from_db()
    return (tag.origin, tag.state, tag.decided_by_id, tag.decided_at, tag.reason)


def decide(client, tag, state, **extra):
    return client.post(decide_url(tag), {"state": state, **extra})
