"""`/healthz`: whether this Baggrund can serve, for the board's monitoring (no login).

Answers 200 with `{"database": "ok", "migrations": "ok", "search_index": "ok"}` when the
database answers, every migration is applied and the search index can be read; else
503 with what is wrong in the failing part's place. It names nothing of the library
(no counts, no paths), so it is safe without a login.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from library.search import engine


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not plan else f"{len(plan)} not applied"


def _search_index() -> str:
    engine.get_index().searcher()
    return "ok"


@login_not_required
@never_cache
@require_safe
def healthz(request) -> JsonResponse:
    parts = {}
    for name, check in (
        ("database", _database),
        ("migrations", _migrations),
        ("search_index", _search_index),
    ):
        try:
            parts[name] = check()
        except (DatabaseError, engine.IndexUnavailable, OSError, ValueError) as exc:
            parts[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)
