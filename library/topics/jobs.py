"""Work that follows a commit and may take long: retraining a topic, applying a changed
lexicon to the whole library.

Run in a thread of the process that committed (the web worker that saved the admin
form or recorded the decision), with a database connection of its own, so the request
returns at once; its progress is in the database (TopicRetag) for any page to show.
With BAGGRUND_TOPIC_JOBS_IN_BACKGROUND off (the tests) it runs in line instead.
A job that dies with its process is redone by `manage.py retag` / `train_topics`.
"""

import logging
import threading

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def _run(function, kwargs) -> None:
    try:
        function(**kwargs)
    except Exception:
        logger.exception("topic job %s(%s) failed", function.__name__, kwargs)
    finally:
        connection.close()  # this thread's own connection


def after_commit(function, **kwargs) -> None:
    """Call `function(**kwargs)` once the current transaction commits."""
    if not settings.BAGGRUND_TOPIC_JOBS_IN_BACKGROUND:
        function(**kwargs)
        return
    transaction.on_commit(
        lambda: threading.Thread(
            target=_run, args=(function, kwargs), name=f"topics-{function.__name__}", daemon=True
        ).start()
    )
