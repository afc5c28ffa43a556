"""Search: the query language (query), stop words (stems), the database engines
(backends: PostgreSQL full-text search, SQLite FTS5), keeping the index in step (index),
snippets (highlight), filters and the one entry point, selectors.passage_search."""
