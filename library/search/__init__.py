"""Search: the query language (query), stop words (stems), the Tantivy index (engine:
schema, analysis, opening; index: the outbox and rebuilds), the query as Tantivy's
(compile), snippets (highlight), filters and the one entry point, selectors.passage_search."""
