"""Benchmarks, run by hand (bench/README.md): scripts, generated corpora, database set-up."""
