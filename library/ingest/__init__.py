"""Ingest: from a received file to a bilag with numbered passages.

formats/ reads each file type (one reader per format behind a registry), shapes finds
the board header or news date line and what it states, metadata settles every field,
passages splits the text and flags boilerplate, language detects the language,
manifest reads per-file metadata, and services.bilag_ingest puts it together in one
transaction.
"""
