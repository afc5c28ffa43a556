"""The search benchmark's corpus, in parts; bench/search_corpus.py is its command line.

words.py ranks each language's vocabulary, generator.py writes the bilag and passages,
rows.py turns them into table rows (shared by both loaders), postgres.py loads them by
COPY with the search vectors made in the database, sqlite.py by executemany and FTS5,
and database.py opens the benchmark database that bench/search_bench.py reads too.
"""
