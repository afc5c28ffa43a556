"""The two full-text engines behind `passage_search`: PostgreSQL and SQLite FTS5.

This module and `library.search.selectors` are the only code that knows which database
is in use. Both index non-boilerplate passages only (boilerplate has no vector / no FTS
row, so it can never match) and both turn a parsed `Query` into one engine query in
which every term is the OR of its forms in every language configuration:

    lejr -irak  ->  ('lejr' | 'leir' | …) & !('irak' | 'irak' | …)

so a leave-out holds for a passage whatever its language.
"""

import contextlib
import functools
import json
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from library import languages
from library.models import PassageTopic
from library.search.query import Query, Term

PASSAGE_TABLE = "library_passage"
FTS_TABLE = "library_passage_fts"
RUM_INDEX = "passage_search_rum"
GIN_INDEX = "passage_search_gin"


# The RUM index is built on this expression, not on the column, so that PostgreSQL
# uses it only where asked (the first page of a broad word, in rank order) and uses
# GIN for everything else: RUM's bitmap scans of phrases are several times slower than
# GIN's, and the planner's cost estimate does not know it.
def _tsquery(text: str) -> RawSQL:
    return RawSQL("%s::tsquery", [text])


class _Operator(Func):
    """`left <op> right` with the column resolved by Django (so it works in subqueries)."""

    template = "(%(expressions)s)"

    def __init__(self, left, operator: str, right, output_field):
        super().__init__(left, right, output_field=output_field)
        self.arg_joiner = f" {operator} "


def _rum_vector():
    # Must match the RUM index expression: (search_vector || ''::tsvector).
    return _Operator(F("search_vector"), "||", RawSQL("''::tsvector", []), TextField())


# RUM sorts the ranked matches of a broad word in memory; PostgreSQL's default 4MB
# spills them to disk. Set for the search's own transaction only.
SEARCH_WORK_MEM = "64MB"


# Passage text is plain text, never markup: PostgreSQL's parser would otherwise read
# "<script>…</script>" as a tag and skip what is inside it. Applied to passages and
# queries alike.
PLAIN = "translate({}, '<>&', '   ')"


def _config_case(column: str) -> str:
    """SQL: the text search configuration for a passage's language column."""
    whens = " ".join(
        f"WHEN '{language.code}' THEN '{language.config}'"
        for language in languages.LANGUAGES
        if language.config != languages.SIMPLE
    )
    return f"(CASE {column} {whens} ELSE '{languages.SIMPLE}' END)::regconfig"


# The states of a tag that stands (PassageTopic.objects.live()), for the single pass's SQL.
_LIVE_STATES_SQL = ", ".join(f"'{state}'" for state in PassageTopic.LIVE_STATES)


class Compiled(str):
    """The engine query as one string (matching and ranking), with its required clauses
    and leave-outs also kept apart, so a clause can be widened by a topic."""

    clauses: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    @classmethod
    def of(cls, full: str, clauses, excluded) -> "Compiled":
        compiled = cls(full)
        compiled.clauses, compiled.excluded = tuple(clauses), tuple(excluded)
        return compiled


def vector_sql(text: str = "text", language: str = "language", config: str | None = None) -> str:
    """SQL for a passage's search vector from its text and language columns, or from a
    given configuration expression (the bulk loader in bench/ uses it too)."""
    return f"to_tsvector({config or _config_case(language)}, {PLAIN.format(text)})"


class PostgresBackend:
    vendor = "postgresql"
    estimates = True  # counts past the cap are estimated from a sample

    # -- indexing -----------------------------------------------------------------------
    def vector_value(self, text: str, language: str):
        """The search_vector of a new passage, computed by the INSERT itself."""
        return RawSQL(
            vector_sql("%s", config="%s::regconfig"),
            [languages.config_for(language), text],
            output_field=TextField(),
        )

    def index_new_bilag(self, bilag_id: int) -> None:
        pass  # the passages' INSERT wrote their vectors

    @staticmethod
    def _update_vectors(where: str, params: list) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {PASSAGE_TABLE} SET search_vector = CASE WHEN boilerplate THEN NULL "
                f"ELSE {vector_sql()} END WHERE {where}",
                params,
            )
            return cursor.rowcount

    def index_bilag(self, bilag_ids: Iterable[int]) -> None:
        self._update_vectors("bilag_id = ANY(%s)", [list(bilag_ids)])

    def reindex_range(self, first_id: int, last_id: int) -> int:
        return self._update_vectors("id BETWEEN %s AND %s", [first_id, last_id])

    def rum_available(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            return cursor.fetchone() is not None

    def drop_index(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        uses_rum.cache_clear()

    def create_index(self, kind: str = "auto") -> str:
        """(Re)create the search indexes: GIN, plus RUM where installed ("rum")."""
        if kind == "auto":
            kind = getattr(settings, "BAGGRUND_SEARCH_INDEX", "auto")
        if kind == "auto":
            kind = "rum" if self.rum_available() else "gin"
        with connection.cursor() as cursor:
            # Inside a transaction that changed passages, deferred foreign-key checks
            # would block CREATE INDEX: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            if kind == "rum":
                try:
                    with transaction.atomic():
                        cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                except DatabaseError:
                    kind = "gin"  # not installed, or not ours to install: GIN still works
            # GIN finds and counts matches (fast bitmaps, combined with the country and
            # date indexes); RUM, where installed, also returns the first page of a
            # broad word's matches in rank order without ranking them all.
            cursor.execute(f"CREATE INDEX {GIN_INDEX} ON {PASSAGE_TABLE} USING gin (search_vector)")
            if kind == "rum":
                cursor.execute(
                    f"CREATE INDEX {RUM_INDEX} ON {PASSAGE_TABLE} "
                    "USING rum ((search_vector || ''::tsvector) rum_tsvector_ops)"
                )
        uses_rum.cache_clear()
        return kind

    # -- querying -----------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self):
        """One transaction for a search, with room to sort ranked matches in memory."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [SEARCH_WORK_MEM])
            yield

    def compile(self, query: Query) -> str:
        """The query as tsquery text, every term in every configuration, in one round trip."""
        terms = query.positive_terms() + list(query.excluded)
        plain = [t for t in terms if not t.prefix]
        forms: dict[Term, list[str]] = {t: [] for t in terms}
        if plain:
            # As typed, so "37.000" and "IS-lommen" are split the way the passages were.
            texts = [t.source for t in plain]
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT t.i, c.cfg, "
                    f"phraseto_tsquery(c.cfg::regconfig, {PLAIN.format('t.txt')})::text "
                    "FROM unnest(%s::text[]) WITH ORDINALITY AS t(txt, i), "
                    "unnest(%s::text[]) AS c(cfg)",
                    [texts, list(languages.CONFIGS)],
                )
                for index, _config, text in cursor.fetchall():
                    term = plain[index - 1]
                    if text and text not in forms[term]:
                        forms[term].append(text)
        for term in terms:
            if term.prefix:
                # WORD_RE guarantees letters and digits only: nothing to quote.
                forms[term] = [f"'{term.words[0]}':*"]

        def either(term: Term) -> str:
            return "(" + " | ".join(f"( {form} )" for form in forms[term]) + ")"

        clauses = []
        for clause in query.required:
            alternatives = [either(t) for t in clause if forms[t]]
            clauses.append("(" + " | ".join(alternatives) + ")" if alternatives else "")
        excluded = [either(t) for t in query.excluded if forms[t]]
        full = " & ".join([c for c in clauses if c] + [f"!{e}" for e in excluded])
        return Compiled.of(full, clauses, excluded)

    @staticmethod
    def _matches(tsquery: str) -> RawSQL:
        return _Operator(F("search_vector"), "@@", _tsquery(tsquery), BooleanField())

    def text_q(self, tsquery: str) -> Q:
        return Q(self._matches(tsquery))

    def matching(self, queryset: QuerySet, compiled: str) -> QuerySet:
        return queryset.filter(self._matches(compiled))

    def rank_expression(self, compiled: str) -> Func:
        return Func(
            F("search_vector"), _tsquery(compiled), function="ts_rank", output_field=FloatField()
        )

    def single_pass(self, capped: QuerySet, *, cap, facets, order, compiled, offset, limit):
        """(count, facet rows, page rows, topic rows) from one read of at most `cap` + 1
        matches; topic rows are (topic id, passages tagged suggested or confirmed).

        `capped` selects the facet columns, id, published, intake, bilag_id and ordinal.
        The page is sorted (and ranked, for `compiled` queries) only when the count is
        within the cap; past it the caller estimates instead and nothing is ranked.
        """
        capped = capped.annotate(sv=F("search_vector"))
        sql, params = capped[: cap + 1].query.sql_with_params()
        names = ", ".join(facets)
        rank = "ts_rank(sv, %s::tsquery)" if compiled else "NULL::real"
        statement = (
            f"WITH m AS MATERIALIZED ({sql}), n AS (SELECT count(*) AS n FROM m) "
            "SELECT (SELECT n FROM n), "
            f"(SELECT coalesce(json_agg(json_build_array({names}, n)), '[]') FROM "
            f"(SELECT {names}, count(*) AS n FROM m GROUP BY {names}) f), "
            "(SELECT coalesce(json_agg(json_build_array(id, r)), '[]') FROM "
            f"(SELECT id, {rank} AS r, published, intake, bilag_id, ordinal FROM m "
            f"WHERE (SELECT n FROM n) <= %s ORDER BY {order} LIMIT %s OFFSET %s) p), "
            "(SELECT coalesce(json_agg(json_build_array(topic_id, n)), '[]') FROM "
            "(SELECT topic_id, count(*) AS n FROM library_passagetopic "
            f"WHERE passage_id IN (SELECT id FROM m) AND state IN ({_LIVE_STATES_SQL}) "
            "AND (SELECT n FROM n) <= %s GROUP BY topic_id) t)"
        )
        page_params = [compiled] if compiled else []
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, *page_params, cap, limit, offset, cap])
            row = cursor.fetchone()
        count, *lists = (row[0], *(json.loads(v) if isinstance(v, str) else v for v in row[1:]))
        facet_rows, page_rows, topic_rows = ([tuple(r) for r in rows] for rows in lists)
        return count, facet_rows, page_rows, topic_rows

    def ranked(self, queryset: QuerySet, compiled: str, *, broad: bool = False) -> QuerySet:
        """Matches in rank order. `broad`: more than the count cap match."""
        queryset = queryset.annotate(rank=self.rank_expression(compiled))
        if broad and uses_rum():
            # RUM returns rows in distance order straight from the index, so the first
            # page does not wait for every match to be ranked. No tie-breaker: a second
            # sort key would stop PostgreSQL from using the index order.
            in_rum = _Operator(_rum_vector(), "@@", _tsquery(compiled), BooleanField())
            distance = _Operator(_rum_vector(), "<=>", _tsquery(compiled), FloatField())
            return queryset.filter(in_rum).order_by(distance.asc())
        # At most COUNT_CAP matches (or no RUM): rank them all; PostgreSQL intersects
        # the GIN bitmap with the filters' indexes first.
        return queryset.order_by("-rank", "id")

    def ranked_page(self, matches, compiled, *, broad, offset, limit) -> list[tuple]:
        """(id, rank) of one page of the matches in rank order."""
        ordered = self.ranked(matches, compiled, broad=broad)
        return list(ordered.values_list("id", "rank")[offset : offset + limit])

    def planned_rows(self, queryset: QuerySet) -> float:
        """The planner's estimate of how many rows the queryset returns (no execution)."""
        sql, params = queryset.order_by().values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def estimate(self, facet_queryset: QuerySet, percent: float) -> list[tuple]:
        """The facet query run over a repeatable page sample of the passages."""
        sql, params = facet_queryset.query.sql_with_params()
        table = f'FROM "{PASSAGE_TABLE}"'
        if table not in sql:
            raise RuntimeError("unexpected facet SQL: no passage table")
        sql = sql.replace(table, f"{table} TABLESAMPLE SYSTEM ({float(percent)}) REPEATABLE (7)", 1)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SqliteBackend:
    vendor = "sqlite"
    estimates = False  # the embedded database is for small libraries: always exact

    # -- indexing -----------------------------------------------------------------------
    @staticmethod
    def _body(text: str, language: str) -> str:
        words = [word.lower() for word in languages.words(text)]
        return " ".join(languages.stem_tokens(words, languages.config_for(language)))

    def _index(self, where: str, params: list, *, new: bool = False) -> int:
        """(Re)write the FTS rows of the passages `where` selects; `new`: none exist yet."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, text, language, boilerplate FROM {PASSAGE_TABLE} WHERE {where}",
                params,
            )
            rows = cursor.fetchall()
            if not new:
                cursor.executemany(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(row[0],) for row in rows]
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",
                [
                    (passage_id, self._body(text, language))
                    for passage_id, text, language, boilerplate in rows
                    if not boilerplate
                ],
            )
        return len(rows)

    def vector_value(self, text: str, language: str):
        return None  # SQLite's index is the FTS5 table (index_new_bilag)

    def index_new_bilag(self, bilag_id: int) -> None:
        self._index("bilag_id = %s", [bilag_id], new=True)

    def index_bilag(self, bilag_ids: Iterable[int]) -> None:
        ids = list(bilag_ids)
        self._index(f"bilag_id IN ({', '.join(['%s'] * len(ids))})", ids)

    def reindex_range(self, first_id: int, last_id: int) -> int:
        return self._index("id BETWEEN %s AND %s", [first_id, last_id])

    def drop_index(self) -> None:
        pass  # the FTS5 table is the index

    def create_index(self, kind: str = "auto") -> str:
        return "fts5"

    # -- querying -----------------------------------------------------------------------
    def session(self):
        return contextlib.nullcontext()

    @staticmethod
    def _either(term: Term) -> str:
        """One term as an FTS5 expression: its stems in every configuration, ORed."""
        if term.prefix:
            return f'"{term.words[0]}"*'
        forms = []
        for config in languages.CONFIGS:
            form = " ".join(languages.stem_tokens(list(term.words), config))
            if form not in forms:
                forms.append(form)
        # Stems are letters and digits only (WORD_RE): nothing inside needs quoting.
        return "(" + " OR ".join(f'"{form}"' for form in forms) + ")"

    def compile(self, query: Query) -> str:
        clauses = ["(" + " OR ".join(self._either(t) for t in c) + ")" for c in query.required]
        excluded = [self._either(t) for t in query.excluded]
        full = "(" + " AND ".join(clauses) + ")" + "".join(f" NOT {e}" for e in excluded)
        return Compiled.of(full, clauses, excluded)

    @staticmethod
    def _matches(fts_query: str) -> Q:
        return Q(
            id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query])
        )

    def text_q(self, fts_query: str) -> Q:
        return self._matches(fts_query)

    def matching(self, queryset: QuerySet, compiled: str) -> QuerySet:
        return queryset.filter(self._matches(compiled))

    def ranked_page(self, matches, compiled, *, broad, offset, limit) -> list[tuple]:
        """(id, rank) of one page in bm25 order: FTS5 ranks, joined to the filtered ids."""
        sql, params = matches.order_by().values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            # LEFT JOIN: passages found through a topic have no text rank and come last.
            cursor.execute(
                f"SELECT m.id, coalesce(-f.rank, 0) FROM ({sql}) m LEFT JOIN "
                f"(SELECT rowid, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) f "
                "ON f.rowid = m.id ORDER BY f.rank IS NULL, f.rank, m.id LIMIT %s OFFSET %s",
                [*params, compiled, limit, offset],
            )
            return cursor.fetchall()

    def planned_rows(self, queryset):  # pragma: no cover - never called
        raise NotImplementedError

    def estimate(self, facet_queryset, percent):  # pragma: no cover - never called
        raise NotImplementedError


@functools.cache
def _uses_rum(alias: str, name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
        return cursor.fetchone() is not None


def uses_rum() -> bool:
    """Whether the passage search index is RUM (ordered by distance from the index)."""
    return connection.vendor == "postgresql" and _uses_rum(
        connection.alias, connection.settings_dict["NAME"]
    )


uses_rum.cache_clear = _uses_rum.cache_clear


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"full-text search is not built for {connection.vendor}")
