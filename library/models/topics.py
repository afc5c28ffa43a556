"""Topics and their tags on passages, and every human decision on a tag.

A Topic's lexicons (one per language in `languages.LEXICON_LANGUAGES`) are parsed and
matched by library.topics; the library.topics services validate them on every save.
"""

from django.conf import settings
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from library.models.bilag import Passage


class Topic(models.Model):
    """A subject caseworkers look for, with a lexicon per language that tags passages.

    Each lexicon is one entry per line (see library.topics.lexicon for the syntax):
    words matched by stem, "phrases", glob patterns for compounds (*lejr*), all-of lines
    (civile + dræbt*|omkom*) and exclusions (- "training camp"). Written through
    library.topics.services.topic_save, which refuses a lexicon it cannot read.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_da = models.CharField(_("Danish name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description_da = models.TextField(_("Danish description"), blank=True)
    description = models.TextField(
        _("English description"),
        blank=True,
        help_text=_("Also shown in Danish when the topic has no Danish description."),
    )
    lexicon_da = models.TextField(_("Danish lexicon"), blank=True)
    lexicon_nb = models.TextField(_("Norwegian Bokmål lexicon"), blank=True)
    lexicon_nn = models.TextField(
        _("Norwegian Nynorsk lexicon"),
        blank=True,
        help_text=_("Nynorsk passages are also read with the Bokmål lexicon."),
    )
    lexicon_sv = models.TextField(_("Swedish lexicon"), blank=True)
    lexicon_en = models.TextField(_("English lexicon"), blank=True)
    lexicon_de = models.TextField(_("German lexicon"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        permissions = [("review_passagetopic", _("Can confirm or reject topic tags"))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_da if (get_language() or "da").startswith("da") else self.name_en

    def localized_description(self, language: str | None = None) -> str:
        """What the topic covers, in the UI language (Danish or English), or in the other
        language when that one is empty."""
        danish = (language or get_language() or "da").startswith("da")
        first, second = (
            (self.description_da, self.description)
            if danish
            else (self.description, self.description_da)
        )
        return first or second

    def lexicon(self, language: str) -> str:
        return getattr(self, f"lexicon_{language}", "")


class PassageTopicQuerySet(models.QuerySet):
    def live(self):
        """Tags that stand: suggested or confirmed (a rejected tag is a decision, kept)."""
        return self.filter(state__in=PassageTopic.LIVE_STATES)

    def topic_ids_by_passage(self, passage_ids) -> dict[int, list[int]]:
        """{passage id: the topic ids of its tags here}, for these passages (one query)."""
        found: dict[int, list[int]] = {}
        rows = self.filter(passage_id__in=passage_ids).values_list("passage_id", "topic_id")
        for passage_id, topic_id in rows.order_by():
            found.setdefault(passage_id, []).append(topic_id)
        return found


class PassageTopic(models.Model):
    """A topic tag on a passage: suggested by the lexicon, or added, confirmed or
    rejected by a person. Human decisions are never overridden by re-tagging."""

    class Origin(models.TextChoices):
        AUTO = "auto", _("automatic")
        MANUAL = "manual", _("manual")

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    LIVE_STATES = (State.SUGGESTED, State.CONFIRMED)

    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, related_name="topic_tags", verbose_name=_("passage")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="passage_tags", verbose_name=_("topic")
    )
    origin = models.CharField(_("origin"), max_length=6, choices=Origin.choices)
    state = models.CharField(_("state"), max_length=9, choices=State.choices)
    reason = models.TextField(
        _("why"), blank=True, help_text=_("What the lexicon matched, as plain text.")
    )
    evidence = models.JSONField(
        _("evidence"),
        default=list,
        blank=True,
        help_text=_("What made the suggestion, read by `explanation` in the UI language."),
    )
    score = models.FloatField(
        _("score"), null=True, blank=True, help_text=_("The learned classifier's probability.")
    )
    created_at = models.DateTimeField(_("tagged at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PassageTopicQuerySet.as_manager()

    class Meta:
        ordering = ["passage", "topic"]
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")
        constraints = [
            models.UniqueConstraint(fields=["passage", "topic"], name="passagetopic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "state"], name="passagetopic_topic_state")]

    def __str__(self) -> str:
        return f"{self.passage} · {self.topic.slug} ({self.state})"

    @property
    def is_human(self) -> bool:
        return self.origin == self.Origin.MANUAL or self.state != self.State.SUGGESTED

    @property
    def explanation(self) -> str:
        """Why the tag is there, in the active UI language (see `explain`)."""
        if self.origin == self.Origin.MANUAL:
            return str(_("added by hand"))
        return explain(self.evidence) or self.reason


def _quoted(words) -> str:
    return " + ".join(f"“{w}”" for w in words)


def explain(evidence: list[dict]) -> str:
    """A caseworker's reading of a tag's evidence, in the active UI language.

    Each item is one of (library.topics.matching writes them):
    {"kind": "lexicon", "words": [...], "entry": "lejr", "before": None | ordinal}
    {"kind": "context", "words": [...], "entry": "lejren", "ordinal": 3, "what": "al-Hol"}
    {"kind": "learned", "decisions": 41, "score": 0.87}
    """
    parts = []
    for item in evidence or ():
        kind = item.get("kind")
        if kind == "lexicon":
            text = _("matched %(words)s (entry %(entry)s)") % {
                "words": _quoted(item.get("words", ())),
                "entry": item.get("entry", ""),
            }
            if item.get("before"):
                text += " " + _("with afsnit %(ordinal)s before it") % {"ordinal": item["before"]}
            parts.append(text)
        elif kind == "context":
            parts.append(
                _("refers back to %(what)s in afsnit %(ordinal)s (matched %(words)s)")
                % {
                    "what": f"“{item.get('what', '')}”",
                    "ordinal": item.get("ordinal"),
                    "words": _quoted(item.get("words", ())),
                }
            )
        elif kind == "learned":
            parts.append(
                _("learned from %(decisions)s decisions (score %(score)s)")
                % {
                    "decisions": item.get("decisions", 0),
                    "score": number_format(item.get("score", 0.0), 2),
                }
            )
    return "; ".join(str(p) for p in parts)


class TagDecision(models.Model):
    """Every human decision on a topic tag, kept: who, when, what it was and became."""

    tag = models.ForeignKey(
        PassageTopic, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("tag")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    before = models.CharField(_("before"), max_length=9, blank=True)
    after = models.CharField(_("after"), max_length=9)

    class Meta:
        ordering = ["at"]
        verbose_name = _("tag decision")
        verbose_name_plural = _("tag decisions")

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.before or '-'} → {self.after}"


class TopicClassifier(models.Model):
    """A topic's classifier learned from caseworkers' decisions (library.topics.learned).

    Derived data: `manage.py train_topics` rebuilds it from the tags people confirmed,
    rejected or added. Stored in the database so that every app server suggests alike.
    """

    topic = models.OneToOneField(
        Topic, on_delete=models.CASCADE, related_name="classifier", verbose_name=_("topic")
    )
    trained_at = models.DateTimeField(_("trained at"), auto_now=True)
    decisions = models.PositiveIntegerField(
        _("decisions"), help_text=_("How many human decisions it learned from.")
    )
    positives = models.PositiveIntegerField(_("passages about the topic"))
    negatives = models.PositiveIntegerField(_("passages not about it"))
    decision_mark = models.PositiveBigIntegerField(
        _("last decision seen"),
        default=0,
        help_text=_("The id of the newest tag decision when it was trained."),
    )
    threshold = models.FloatField(_("threshold"), help_text=_("Suggest at this score or above."))
    weights = models.BinaryField(_("weights"), help_text=_("Feature ids and weights (NumPy)."))

    class Meta:
        verbose_name = _("learned topic classifier")
        verbose_name_plural = _("learned topic classifiers")

    def __str__(self) -> str:
        return f"{self.topic.slug}: {self.decisions}"


class TopicRetag(models.Model):
    """A lexicon change being applied to the whole library, with its progress.

    Written by library.topics.services (topic_save starts one; the batches of `retag`
    move it on) and shown on the topic's admin page.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="retags", verbose_name=_("topic")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=7, choices=State.choices)
    total = models.PositiveIntegerField(_("passages"), default=0)
    done = models.PositiveIntegerField(_("passages done"), default=0)
    added = models.PositiveIntegerField(_("suggestions added"), default=0)
    removed = models.PositiveIntegerField(_("suggestions removed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lexicon application")
        verbose_name_plural = _("lexicon applications")

    def __str__(self) -> str:
        return f"{self.topic.slug}: {self.done}/{self.total} ({self.state})"
