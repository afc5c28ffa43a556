"""The search benchmark's corpus, in parts; bench/search_corpus.py is its command line.

words.py ranks each language's vocabulary, generator.py writes the bilag and passages,
rows.py turns them into table rows (shared by both loaders), postgres.py loads them by
COPY, sqlite.py by executemany, both then building the Tantivy index from the database;
database.py opens the benchmark database and its index folder that bench/search_bench.py
reads too, and raw.py is that benchmark's raw Tantivy path and its profile of the selector.
"""
