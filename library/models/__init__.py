"""The library's models: bilag, passages and publishers; topics and their tags; history;
upload jobs.

One Django app, its models in five modules; everything is importable from here.
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
    whole_number,
)
from library.models.history import BilagChange
from library.models.jobs import IngestJob
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
    "IngestJob",
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
    "whole_number",
]
