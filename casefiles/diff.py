"""What changed between two versions of a note, word by word, for the versions page."""

import difflib
import itertools
import re

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(kind, text)] with kind "same", "removed" or "added", in reading order.

    The texts stay plain (the template escapes them); a replaced run reads as the
    removed words, then the added ones."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(after[j1:j2])))
    return parts


def version_changes(note, versions) -> list:
    """Each version (the note itself first) with `.changes`: its diff against the version
    before it (None for the first version)."""
    texts = [note, *versions]  # newest first
    for newer, older in itertools.pairwise(texts):
        newer.changes = word_diff(older.body, newer.body)
    texts[-1].changes = None
    return texts
