"""The load test's accounts and cases in the kept search-corpus database, and their removal.

`prepare(users)` makes `users` caseworkers `load-cw-NN` with one known password, and as
many cases `LOAD-NN` (case NN made by caseworker NN in the case's country; every other
caseworker is also a member of the next one's case, so each is on one or two cases),
each with 2-4 notes and 10-30 citations of content passages of current bilag of its
country, all through casefiles.services as the web pages make them. It returns the plan
Locust reads (accounts, their cases and notes, the library's countries with their bilag
counts, the topic slugs, a sample of bilag numbers).

`remove()` takes all of that away again, with whatever the run added (citations,
notes, audit rows, login events, sessions, django-axes rows). The case audit log and
the login log are append-only (a trigger refuses DELETE); in this benchmark database,
and only there, the removal runs with `session_replication_role = replica` (superuser),
which skips those triggers for its one transaction. `prepare` calls it first, so a run
cut short is cleaned up by the next one.

Call after bench.searchcorpus.database.open_database() has set Django up.
"""

import random

USER_PREFIX = "load-cw-"
CASE_PREFIX = "LOAD-"
PASSWORD = "load-test-caseworker-16"  # the benchmark database's throwaway accounts only

# (table, column, what the column must be in) for the removal, children before parents.
# The two append-only logs first, triggers off; then the rest with the triggers (foreign
# keys) on again, so a row the load test's users left elsewhere stops the removal.
_DELETE = [
    ("casefiles_auditentry", "case_id", "cases"),
    ("casefiles_auditentry", "user_id", "users"),
    ("casefiles_loginevent", "user_id", "users"),
    ("casefiles_citation", "note_id", "notes"),
    ("casefiles_noteversion", "note_id", "notes"),
    ("casefiles_note", "id", "notes"),
    ("casefiles_case_members", "case_id", "cases"),
    ("casefiles_case", "id", "cases"),
    ("auth_user_groups", "user_id", "users"),
    ("auth_user_user_permissions", "user_id", "users"),
    ("auth_user", "id", "users"),
]


def _guard() -> None:
    """Refuse to touch any database but a benchmark's."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not name.startswith("baggrund_bench"):
        raise SystemExit(f"the load test's plan is only for a baggrund_bench* database, not {name}")


def remove() -> dict[str, int]:
    """Delete the load test's users, cases and all they made; returns rows per table."""
    from django.db import connection, transaction

    _guard()
    removed: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        ids = {
            "users": _ids(cursor, "SELECT id FROM auth_user WHERE username LIKE %s", USER_PREFIX),
            "cases": _ids(
                cursor, "SELECT id FROM casefiles_case WHERE reference LIKE %s", CASE_PREFIX
            ),
        }
        ids["notes"] = _ids(
            cursor, "SELECT id FROM casefiles_note WHERE case_id = ANY(%s)", ids["cases"]
        )
        removed["sessions"] = _remove_sessions(cursor, ids["users"])
        for table, column, key in _DELETE:
            if table == "casefiles_citation":  # the append-only logs are gone: triggers on
                cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [ids[key]])
            removed[table] = removed.get(table, 0) + cursor.rowcount
        for table in ("axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
            cursor.execute(f"DELETE FROM {table} WHERE username LIKE %s", [USER_PREFIX + "%"])
            removed[table] = cursor.rowcount
    return removed


def _ids(cursor, sql: str, value) -> list[int]:
    cursor.execute(sql, [value + "%" if isinstance(value, str) else value])
    return [row[0] for row in cursor.fetchall()]


def _remove_sessions(cursor, user_ids: list[int]) -> int:
    """The sessions of the load test's users (read through Django's session store)."""
    from django.contrib.sessions.backends.db import SessionStore

    wanted = {str(pk) for pk in user_ids}
    cursor.execute("SELECT session_key, session_data FROM django_session")
    keys = [
        key
        for key, data in cursor.fetchall()
        if str(SessionStore().decode(data).get("_auth_user_id")) in wanted
    ]
    cursor.execute("DELETE FROM django_session WHERE session_key = ANY(%s)", [keys])
    return cursor.rowcount


def prepare(users: int, seed: int = 16) -> dict:
    """The accounts and cases of a run (after removing a previous run's); the plan."""
    from library.models import Bilag, Topic

    remove()
    rng = random.Random(seed)
    countries = _countries()
    accounts = _accounts(users)
    cases = _cases(accounts, countries, rng)
    sample = list(Bilag.objects.current().order_by("?").values_list("number", flat=True)[:500])
    return {
        "password": PASSWORD,
        "users": [
            {"username": user.username, "cases": [_case_entry(c) for c in cases[user.pk]]}
            for user in accounts
        ],
        "countries": countries,
        "topics": list(Topic.objects.order_by("slug").values_list("slug", flat=True)),
        "bilag": sample,
    }


def _countries() -> list[list]:
    """The library's countries with their bilag counts, most first."""
    from django.db.models import Count

    from library.models import Bilag

    rows = Bilag.objects.values("country").annotate(n=Count("id")).order_by("-n")
    return [[row["country"], row["n"]] for row in rows]


def _accounts(count: int) -> list:
    """`count` caseworkers with the known password (Django hashes it: ~0.3 s each)."""
    from bench import accounts

    made = []
    for n in range(1, count + 1):
        user = accounts.caseworker(f"{USER_PREFIX}{n:02d}")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        made.append(user)
    return made


def _cases(users: list, countries: list, rng: random.Random) -> dict[int, list]:
    """One case per caseworker; every other one also on the next one's case."""
    from casefiles import services

    by_user: dict[int, list] = {user.pk: [] for user in users}
    codes = [code for code, _n in countries]
    weights = [n for _code, n in countries]
    for n, user in enumerate(users):
        colleague = users[(n + 1) % len(users)]
        members = [colleague] if n % 2 == 0 and colleague != user else []
        country = rng.choices(codes, weights)[0]
        case = services.case_create(
            user=user,
            reference=f"{CASE_PREFIX}{n + 1:02d}",
            title=f"Load test case {n + 1}",
            country=country,
            members=members,
        )
        _fill(case, user, rng)
        for member in (user, *members):
            by_user[member.pk].append(case)
    return by_user


def _fill(case, user, rng: random.Random) -> None:
    """2-4 notes and 10-30 citations of content passages of current bilag of its country."""
    from casefiles import services
    from library.models import Bilag, Passage

    notes = [
        services.note_create(case=case, user=user, body=f"Notat {k + 1} om {case.country}.")
        for k in range(rng.randint(2, 4))
    ]
    bilag = Bilag.objects.current().filter(country=case.country).order_by("?")[:40]
    passages = list(
        Passage.objects.filter(bilag__in=list(bilag), boilerplate=False).select_related(
            "bilag__publisher"
        )
    )
    for k in range(rng.randint(10, 30)):
        passage = rng.choice(passages)
        start = rng.randrange(0, max(1, len(passage.text) // 2))
        end = min(len(passage.text), start + rng.randint(40, 300))
        services.citation_create(
            note=notes[k % len(notes)], passage=passage, user=user, start=start, end=end
        )


def _case_entry(case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "notes": list(case.notes.order_by("pk").values_list("pk", flat=True)),
    }


def summary() -> dict[str, int]:
    """What the load test's cases hold now (after a run: what it added)."""
    from casefiles.models import AuditEntry, Case, Citation, Note

    cases = Case.objects.filter(reference__startswith=CASE_PREFIX)
    return {
        "cases": cases.count(),
        "notes": Note.objects.filter(case__in=cases).count(),
        "citations": Citation.objects.filter(note__case__in=cases).count(),
        "audit entries": AuditEntry.objects.filter(case__in=cases).count(),
    }
