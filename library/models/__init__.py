"""The library's models: bilag, passages and publishers; topics and their tags; history.

One Django app, its models in four modules; everything is importable from here.
"""

from library.models.bilag import (
    BOILERPLATE_KINDS,
    MAX_NUMBER,
    Bilag,
    BilagQuerySet,
    Passage,
    Publisher,
    ReferenceDates,
    is_span,
    original_upload_to,
    validate_country,
)
from library.models.history import BilagChange
from library.models.search import SearchOutbox
from library.models.topics import (
    PassageTopic,
    TagDecision,
    Topic,
    TopicClassifier,
    TopicRetag,
    explain,
)

__all__ = [
    "BOILERPLATE_KINDS",
    "MAX_NUMBER",
    "Bilag",
    "BilagChange",
    "BilagQuerySet",
    "Passage",
    "PassageTopic",
    "Publisher",
    "ReferenceDates",
    "SearchOutbox",
    "TagDecision",
    "Topic",
    "TopicClassifier",
    "TopicRetag",
    "explain",
    "is_span",
    "original_upload_to",
    "validate_country",
]
