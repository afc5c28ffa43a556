"""Which passages of a web page are its article: Baggrund's passages against the main
text a well-kept extractor (trafilatura) finds.

Baggrund keeps every visible text of a page (its own HTML reader: the text as received,
exact offsets for citations) and asks trafilatura only which of it is the article. The
rule, chosen on the development part of the public article-extraction benchmark and
measured on its held-out part (bench/html_bench.py):
- words are runs of \\w, case-folded, compared as 4-word shingles;
- all passages' shingles are aligned in order to the main text's (difflib); a passage
  of 4 words or more is content when at least half of its shingles are aligned (a
  hidden second copy of the article, or a caption repeated, finds them taken);
- a shorter passage (a heading) is content when it is a whole line of the main text,
  each line once;
- prose the extractor left out next to content (an article in two containers) is
  added: a passage of 50 words or more that ends a sentence, within 3 passages of
  content, that Baggrund's own reading did not flag.
"""

import re
from collections import Counter
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…\"”»)]\s*$")
SHINGLE = 4
SHARE = 0.5
GROW_WORDS = 50
GROW_REACH = 3


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


def _aligned_shares(own: list[list[tuple]], main: list[tuple]) -> list[float]:
    stream = [s for shingles in own for s in shingles]
    matcher = SequenceMatcher(None, stream, main, autojunk=False)
    hit = [False] * len(stream)
    for block in matcher.get_matching_blocks():
        hit[block.a : block.a + block.size] = [True] * block.size
    shares, position = [], 0
    for shingles in own:
        count = len(shingles)
        shares.append(sum(hit[position : position + count]) / count if count else 0.0)
        position += count
    return shares


def article_mask(texts: list[str], flagged: list[bool], main_text: str) -> list[bool]:
    """For each passage (its text; whether Baggrund's own reading flagged it), whether it
    belongs to the article that `main_text` is."""
    tokens = [_tokens(text) for text in texts]
    own = [_shingles(t) for t in tokens]
    shares = _aligned_shares(own, _shingles(_tokens(main_text)))
    lines = Counter(" ".join(_tokens(line)) for line in main_text.splitlines() if _tokens(line))
    mask = []
    for words, share in zip(tokens, shares, strict=True):
        if not words:
            mask.append(False)
        elif len(words) >= SHINGLE:
            mask.append(share >= SHARE)
        elif lines[" ".join(words)] > 0:
            lines[" ".join(words)] -= 1
            mask.append(True)
        else:
            mask.append(False)
    return _grow(mask, texts, tokens, flagged)


def _grow(mask: list[bool], texts, tokens, flagged) -> list[bool]:
    candidates = [
        i
        for i, words in enumerate(tokens)
        if not mask[i]
        and not flagged[i]
        and len(words) >= GROW_WORDS
        and _SENTENCE_END.search(texts[i])
    ]
    changed = True
    while changed:
        changed = False
        for i in candidates:
            if not mask[i] and any(mask[max(0, i - GROW_REACH) : i + GROW_REACH + 1]):
                mask[i] = changed = True
    return mask
