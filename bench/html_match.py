"""Which of Baggrund's passages another extractor's main text contains: the matching rule
of bench/html_bench.py, and the benchmark's own scorer (evaluate.py) around it.

A rule marks a passage as content when its words appear in the extractor's text. Both
sides are tokenised as the benchmark does (runs of \\w), case-folded. A passage of at
least 4 tokens is content when at least `threshold` of its 4-token shingles are found
in the extractor's text, by `mode`: "set" (each shingle anywhere), "consume" (in
reading order, each of the extractor's shingles found once) or "align" (an in-order
alignment, difflib, of all passages' shingles to the extractor's). A shorter passage (a
heading, a byline) follows `short`: "never", "contained" (its tokens occur as a run in
the extractor's text) or "line" (it equals a whole line of the extractor's text, each
line once). With `keep_flags`, a passage that Baggrund's own splitter flagged stays
boilerplate. `grow_tokens` > 0 then adds long unflagged prose next to content.

Not run on its own; bench/html_bench.py imports it.
"""

import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4
SENTENCE_END = re.compile(r"[.!?…\"”»)]\s*$")


@dataclass(frozen=True)
class Rule:
    threshold: float = 0.5
    short: str = "line"  # "never", "contained" or "line"
    keep_flags: bool = False
    mode: str = "consume"  # "set", "consume" or "align"
    grow_tokens: int = 0  # 0: off; else the fewest tokens of a passage that grow adds
    grow_gap: int = 1  # how many passages away from content grow may reach

    def label(self) -> str:
        flags = ", keep Baggrund's flags" if self.keep_flags else ""
        grow = f", grow >= {self.grow_tokens} tok gap {self.grow_gap}" if self.grow_tokens else ""
        return f"{self.mode} >= {self.threshold:.1f}, short: {self.short}{flags}{grow}"


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall((text or "").casefold())


def shingles(toks: list[str]) -> list[tuple[str, ...]]:
    return [tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)]


class Matcher:
    """One page: Baggrund's passages against an extractor's main text, indexed once so
    that every rule of the grid is cheap."""

    def __init__(self, passages: list[tuple[str, bool]], ref_text: str | None) -> None:
        self.flagged = [flagged for _text, flagged in passages]
        self.ends = [bool(SENTENCE_END.search(text)) for text, _flag in passages]
        self.tokens = [tokens(text) for text, _flag in passages]
        self.own = [shingles(toks) for toks in self.tokens]
        ref_tokens = tokens(ref_text)
        self.ref_shingles = shingles(ref_tokens)
        self.ref_set = set(self.ref_shingles)
        self.ref_joined = " " + " ".join(ref_tokens) + " "
        lines = [" ".join(tokens(line)) for line in (ref_text or "").splitlines()]
        self.ref_lines = Counter(line for line in lines if line)
        self._shares: dict[str, list[float]] = {}

    def shares(self, mode: str, threshold: float) -> list[float]:
        """Per passage, the share of its shingles found in the reference."""
        if mode == "set":
            key = mode
            if key not in self._shares:
                self._shares[key] = [
                    sum(s in self.ref_set for s in own) / len(own) if own else 0.0
                    for own in self.own
                ]
            return self._shares[key]
        if mode == "align":
            if mode not in self._shares:
                self._shares[mode] = self._aligned()
            return self._shares[mode]
        return self._consumed(threshold)

    def _consumed(self, threshold: float) -> list[float]:
        """In reading order, each passage takes the reference shingles it finds, once
        (a copy of the article hidden further down finds them taken)."""
        left = Counter(self.ref_shingles)
        result = []
        for own in self.own:
            if not own:
                result.append(0.0)
                continue
            wanted = Counter(own)
            found = {s: min(n, left[s]) for s, n in wanted.items() if left[s]}
            share = sum(found.values()) / len(own)
            if share >= threshold:
                left.subtract(found)
            result.append(share)
        return result

    def _aligned(self) -> list[float]:
        """An in-order alignment (difflib) of all passage shingles to the reference's."""
        stream = [s for own in self.own for s in own]
        matcher = SequenceMatcher(None, stream, self.ref_shingles, autojunk=False)
        hit = [False] * len(stream)
        for block in matcher.get_matching_blocks():
            hit[block.a : block.a + block.size] = [True] * block.size
        result, position = [], 0
        for own in self.own:
            count = len(own)
            result.append(sum(hit[position : position + count]) / count if count else 0.0)
            position += count
        return result

    def mask(self, rule: Rule) -> list[bool]:
        """Content (True) or not for each passage."""
        shares = self.shares(rule.mode, rule.threshold)
        lines = Counter(self.ref_lines)
        result = []
        for toks, share, flagged in zip(self.tokens, shares, self.flagged, strict=True):
            if (flagged and rule.keep_flags) or not toks:
                result.append(False)
            elif len(toks) >= SHINGLE:
                result.append(share >= rule.threshold)
            else:
                result.append(self._short(" ".join(toks), rule, lines))
        return self._grow(result, rule) if rule.grow_tokens else result

    def _grow(self, mask: list[bool], rule: Rule) -> list[bool]:
        """Add prose next to content that the extractor left out (an article in two
        containers): passages Baggrund did not flag, of `grow_tokens` tokens or more,
        ending a sentence, at most `grow_gap` passages from content; repeated."""
        mask = list(mask)
        candidates = [
            i
            for i, toks in enumerate(self.tokens)
            if not mask[i]
            and not self.flagged[i]
            and self.ends[i]
            and len(toks) >= rule.grow_tokens
        ]
        changed = True
        while changed:
            changed = False
            for i in candidates:
                near = mask[max(0, i - rule.grow_gap) : i + rule.grow_gap + 1]
                if not mask[i] and any(near):
                    mask[i] = changed = True
        return mask

    def _short(self, joined: str, rule: Rule, lines: Counter) -> bool:
        if rule.short == "contained":
            return f" {joined} " in self.ref_joined
        if rule.short == "line" and lines[joined] > 0:
            if rule.mode != "set":
                lines[joined] -= 1  # each line of the reference matches once
            return True
        return False


def mark(passages: list[tuple[str, bool]], ref_text: str | None, rule: Rule) -> list[bool]:
    """Content (True) or not for each (text, flagged by Baggrund) passage."""
    return Matcher(passages, ref_text).mask(rule)


def article(passages: list[tuple[str, bool]], mask: list[bool]) -> str:
    return "\n\n".join(text for (text, _flag), keep in zip(passages, mask, strict=True) if keep)


def has_words(text: str | None) -> bool:
    return bool(TOKEN.search(text or ""))


class Scorer:
    """The benchmark's own evaluate.py: imported for its functions, run for the table."""

    def __init__(self, corpus: Path) -> None:
        self.script = corpus / "evaluate.py"
        spec = importlib.util.spec_from_file_location("aeb_evaluate", self.script)
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf8"))
        self._cache: dict[tuple[str, str], tuple[float, float, float]] = {}

    def page(self, key: str, text: str | None) -> tuple[float, float, float]:
        """(tp, fp, fn) of one page, normalised as evaluate.py does; cached by text."""
        cached = self._cache.get((key, text or ""))
        if cached is None:
            cached = self.module.string_shingle_matching(
                true=self.truth[key].get("articleBody", ""), pred=text or ""
            )
            self._cache[(key, text or "")] = cached
        return cached

    def quick(self, texts: dict[str, str | None], ids: list[str]) -> dict[str, float]:
        """F1, precision, recall over `ids` with evaluate.py's own functions, no bootstrap."""
        return self.module.metrics_from_tp_fp_fns([self.page(k, texts[k]) for k in ids])

    def page_pr(self, key: str, text: str | None) -> tuple[float, float]:
        tp, fp, fn = self.page(key, text)
        return self.module.precision_score(tp, fp, fn), self.module.recall_score(tp, fp, fn)

    def run_cli(
        self, outputs: dict[str, tuple[str, dict[str, str | None]]], ids: list[str], boot: int
    ) -> dict[str, dict]:
        """Run `evaluate.py` as the benchmark does: in a folder holding ground-truth.json
        (the pages `ids`) and output/<name>.json ({"version", "output": {id: body}})."""
        with tempfile.TemporaryDirectory(prefix="html_bench_") as tmp:
            folder = Path(tmp)
            subset = {k: self.truth[k] for k in ids}
            (folder / "ground-truth.json").write_text(json.dumps(subset), encoding="utf8")
            (folder / "output").mkdir()
            names = {}
            for index, (name, (version, texts)) in enumerate(outputs.items()):
                stem = f"e{index:02d}"
                names[stem] = name
                body = {k: {"articleBody": texts.get(k) or ""} for k in ids}
                payload = {"version": version, "output": body}
                (folder / "output" / f"{stem}.json").write_text(
                    json.dumps(payload, ensure_ascii=False), encoding="utf8"
                )
            command = [sys.executable, str(self.script), "--n-bootstrap", str(max(boot, 2))]
            command += ["--output", "results.json"]
            done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"evaluate.py failed:\n{done.stderr}")
            results = json.loads((folder / "results.json").read_text(encoding="utf8"))
        return {names[stem]: metrics for stem, metrics in results.items()}
