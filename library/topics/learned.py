"""Topic suggestions learned from caseworkers' decisions, one classifier per topic.

Like paperless-ngx's "auto" matching, but per passage: every tag a person confirmed or
added is an example of the topic, every tag a person rejected an example against it,
and a sample of passages nobody tagged with the topic stands for the rest of the
library (with half the weight: nobody looked at them). The features work across
languages without a lexicon of their own: lower-cased words and word pairs, the first
five letters of each word (Danish, Norwegian and Swedish compounds and inflections share
them: flygtningelejren / flyktningleiren / flyktinglägret), and which topics the
lexicons matched in the passage, by their own words or by referring back (the learned
model can lean on the lexicon where it is right and overrule where people rejected it).

The model is scikit-learn's logistic regression over hashed features, stored as its
non-zero weights (NumPy, no pickle) in TopicClassifier. It only adds suggestions to
passages the lexicon did not tag; it never touches a tag a person decided.
"""

import dataclasses
import functools
import io
import itertools
import re

import numpy as np
from django.conf import settings
from django.db.models import F

from library.models import Passage, PassageTopic, TagDecision, TopicClassifier

FEATURES = 2**20
PREFIX = 5
SAMPLE_RATIO = 3  # untagged passages sampled per example of the topic
SAMPLE_WEIGHT = 0.5
# Suggest at this probability or above (chosen on bench/topic_eval's development part).
LEARNED_THRESHOLD = 0.65
MIN_POSITIVES = 5  # and at least min_decisions() decisions in all
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def min_decisions() -> int:
    """Below this many decisions on a topic, its lexicon alone suggests."""
    return settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS


@functools.cache
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=FEATURES,
        analyzer=str.split,  # the documents are made by _document, already tokenised
        alternate_sign=False,
        norm="l2",
    )


def _document(text: str, lexical: frozenset[str]) -> str:
    words = [w.lower() for w in _TOKEN.findall(text)]
    tokens = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
    tokens += [f"{w[:PREFIX]}~" for w in words if len(w) > PREFIX]
    tokens += sorted(lexical)
    return " ".join(tokens)


def lexical_marks(hits: dict) -> frozenset[str]:
    """The lexicon's verdicts on a passage as features: {topic id: Hit} → marks."""
    return frozenset(
        f"__lex{tid}" if hit.direct else f"__ctx{tid}" for tid, hit in (hits or {}).items()
    )


def features(texts, marks):
    """The sparse feature matrix of these passage texts with their lexical marks."""
    return _vectorizer().transform([_document(t, m) for t, m in zip(texts, marks, strict=True)])


@dataclasses.dataclass(frozen=True)
class Model:
    """One topic's learned classifier, ready to score passages."""

    topic_id: int
    decisions: int
    threshold: float
    indices: np.ndarray
    weights: np.ndarray
    intercept: float

    @functools.cached_property
    def column(self) -> np.ndarray:
        """The weights as one dense column, made once per loaded model."""
        column = np.zeros(FEATURES)
        column[self.indices] = self.weights
        return column

    def scores(self, matrix) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(matrix @ self.column + self.intercept)))

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            indices=self.indices,
            weights=self.weights,
            intercept=np.array([self.intercept]),
        )
        return buffer.getvalue()

    @classmethod
    def loads(cls, stored: TopicClassifier) -> "Model":
        data = np.load(io.BytesIO(bytes(stored.weights)), allow_pickle=False)
        return cls(
            topic_id=stored.topic_id,
            decisions=stored.decisions,
            threshold=stored.threshold,
            indices=data["indices"],
            weights=data["weights"],
            intercept=float(data["intercept"][0]),
        )


def fit(topic_id: int, matrix, labels, weights, decisions: int, threshold: float) -> Model:
    """Train one topic's classifier on labelled feature rows."""
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    classifier.fit(matrix, labels, sample_weight=weights)
    coef = classifier.coef_[0]
    nonzero = np.flatnonzero(coef)
    return Model(
        topic_id=topic_id,
        decisions=decisions,
        threshold=threshold,
        indices=nonzero.astype(np.int32),
        weights=coef[nonzero].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
    )


@dataclasses.dataclass
class TrainingSet:
    passage_ids: list[int]
    labels: list[int]
    weights: list[float]
    decisions: int  # human decisions among the examples
    positives: int
    negatives: int
    decision_mark: int


def training_set(topic) -> TrainingSet | None:
    """A topic's examples from the decisions people made, or None if too few.

    Positives: its tags confirmed or added by hand. Negatives: its tags rejected, and an
    even spread (every k-th id) of content passages without any tag of it, weighted
    SAMPLE_WEIGHT.
    """
    decided = dict(
        PassageTopic.objects.filter(
            topic=topic, state__in=[PassageTopic.State.CONFIRMED, PassageTopic.State.REJECTED]
        ).values_list("passage_id", "state")
    )
    positives = sorted(p for p, s in decided.items() if s == PassageTopic.State.CONFIRMED)
    rejected = sorted(p for p, s in decided.items() if s == PassageTopic.State.REJECTED)
    if len(decided) < min_decisions() or len(positives) < MIN_POSITIVES:
        return None
    untagged = Passage.objects.filter(boilerplate=False).exclude(
        id__in=PassageTopic.objects.filter(topic=topic).values("passage_id")
    )
    wanted = SAMPLE_RATIO * len(positives)
    step = max(1, untagged.count() // wanted)
    sample = list(
        untagged.annotate(bucket=F("id") % step)
        .filter(bucket=0)
        .order_by("id")
        .values_list("id", flat=True)[:wanted]
    )
    mark = TagDecision.objects.filter(tag__topic=topic).order_by("-id").values_list("id", flat=True)
    return TrainingSet(
        passage_ids=positives + rejected + sample,
        labels=[1] * len(positives) + [0] * (len(rejected) + len(sample)),
        weights=[1.0] * (len(positives) + len(rejected)) + [SAMPLE_WEIGHT] * len(sample),
        decisions=len(decided),
        positives=len(positives),
        negatives=len(rejected),
        decision_mark=mark.first() or 0,
    )


@functools.lru_cache(maxsize=4)
def _models(signature: tuple) -> dict[int, Model]:
    stored = TopicClassifier.objects.filter(id__in=[s[0] for s in signature])
    return {s.topic_id: Model.loads(s) for s in stored}


def learned_models() -> dict[int, Model]:
    """{topic id: Model} of every trained topic, loaded once per retraining."""
    signature = tuple(
        TopicClassifier.objects.order_by("id").values_list("id", "trained_at", "decisions")
    )
    return _models(signature) if signature else {}


def learned_hits(models: dict[int, Model], texts, lexical: list[dict]) -> list[dict[int, float]]:
    """{topic id: score} per passage where a model suggests a topic its lexicon missed."""
    if not models or not texts:
        return [{} for _ in texts]
    matrix = features(texts, [lexical_marks(h) for h in lexical])
    found: list[dict[int, float]] = [{} for _ in texts]
    for topic_id, model in models.items():
        for i, score in enumerate(model.scores(matrix)):
            if score >= model.threshold and topic_id not in lexical[i]:
                found[i][topic_id] = float(score)
    return found
