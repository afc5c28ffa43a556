"""The one combination bench/langid_bench.py tries, and how its figures are chosen on dev.

scores = w * lingua-6-high's confidence values + (1 - w) * py3langid-6's probabilities
(w = 1 is lingua alone, w = 0 py3langid alone), then two optional rules:

  da/nb tie   when the answer is da or nb and the other of the two is within `gap`,
              Baggrund's marker words (detect_language with `hits` minimum hits)
              decide, if they say da or nb;
  short text  below `und_chars` characters, a best score under `und_below` answers
              'und' (in Baggrund the passage would keep its bilag's language).

Chosen on the dev part only, from the answers the detectors gave in the main run:
first w, gap and hits by the mean accuracy over the 18 cells (3 sizes x 6 languages),
the tie rule kept only if it adds at least MIN_GAIN to the best w without it ("mix");
then a short-text rule for each of lingua alone, py3langid alone and the mix
("lingua+und", "py3langid+und", "mix+und"): among und_below x und_chars, those that keep
da->nb and nb->da <= 1 % on every dev size, the one with the best mean accuracy (none: no
rule).
"""

import itertools

import langid_detectors as detectors

WEIGHTS = tuple(i / 10 for i in range(10, -1, -1))
GAPS = (0.0, 0.05, 0.1, 0.2, 0.3)
HITS = (1, 2, 3)
UND_BELOW = (0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9)
UND_CHARS = (40, 60, 100, 150, 250)
NO_RULES = {"gap": 0.0, "hits": 3, "und_below": 0.0, "und_chars": 0}
MIN_GAIN = 0.001  # 0.1 percentage point of mean dev accuracy
MAX_DANB = 0.01
VARIANTS = ("mix", "lingua+und", "py3langid+und", "mix+und")  # run on dev and test


def mix(lingua_scores, py3_scores, w):
    """The weighted mean of both detectors' scores by code ({} when neither has one)."""
    codes = set(lingua_scores) | set(py3_scores)
    mixed = {c: w * lingua_scores.get(c, 0.0) + (1 - w) * py3_scores.get(c, 0.0) for c in codes}
    return mixed if any(v > 0.0 for v in mixed.values()) else {}


def decide(scores, baggrund_code, text, params):
    """The combination's answer from mixed scores (see the module docstring)."""
    if not scores:
        return detectors.UND
    code = max(scores, key=scores.get)
    if params["gap"] > 0 and code in ("da", "nb") and baggrund_code in ("da", "nb"):
        other = "nb" if code == "da" else "da"
        if scores[code] - scores.get(other, 0.0) <= params["gap"]:
            code = baggrund_code
    if len(text) < params["und_chars"] and max(scores.values()) < params["und_below"]:
        return detectors.UND
    return code


class Combined:
    """The combination as a detector of its own, timed like the others."""

    def __init__(self, params):
        self.params = params
        self.name = "combined"
        self.lingua = detectors.Lingua(detectors.SIX) if params["w"] > 0 else None
        self.py3 = detectors.Py3Langid(detectors.SIX) if params["w"] < 1 else None
        self.baggrund = detectors.Baggrund(params["hits"]) if params["gap"] > 0 else None

    def load(self):
        for part in (self.lingua, self.py3, self.baggrund):
            if part:
                part.load()

    def detect(self, text):
        lingua_scores = self.lingua.detect(text)[1] if self.lingua else {}
        py3_scores = self.py3.detect(text)[1] if self.py3 else {}
        scores = mix(lingua_scores, py3_scores, self.params["w"])
        baggrund_code = detectors.UND
        if self.baggrund and scores and max(scores, key=scores.get) in ("da", "nb"):
            baggrund_code = self.baggrund.detect(text)[0]
        return decide(scores, baggrund_code, text, self.params), scores


def dev_inputs(units, raw):
    """Per (size, language): (text, lingua scores, py3langid scores, {hits: Baggrund})."""
    baggrund = {hits: detectors.Baggrund(hits) for hits in HITS}
    for detector in baggrund.values():
        detector.load()
    out = {}
    for size, by_lang in units["dev"].items():
        for lang, texts in by_lang.items():
            lingua = raw["lingua-6-high"]["dev"][size][lang]["scores"]
            py3 = raw["py3langid-6"]["dev"][size][lang]["scores"]
            out[size, lang] = [
                (text, ls, ps, {h: d.detect(text)[0] for h, d in baggrund.items()})
                for text, ls, ps in zip(texts, lingua, py3, strict=True)
            ]
    return out


def evaluate(inputs, params):
    """Mean accuracy over the cells, and per cell (accuracy, 'und', da<->nb share)."""
    cells = {}
    for (size, lang), rows in inputs.items():
        right = und = danb = 0
        for text, ls, ps, baggrund in rows:
            code = decide(mix(ls, ps, params["w"]), baggrund[params["hits"]], text, params)
            right += code == lang
            und += code == detectors.UND
            danb += {code, lang} == {"da", "nb"}
        n = len(rows) or 1
        cells[f"{size}/{lang}"] = (right / n, und / n, danb / n)
    mean = sum(c[0] for c in cells.values()) / len(cells)
    return {"mean_accuracy": mean, "cells": cells, "params": dict(params)}


def short_rule(inputs, base):
    """The short-text rule for `base` (an evaluate result): among those that keep
    da<->nb <= 1 % on every dev size, the best mean accuracy; `base` if none does."""
    tried = [
        evaluate(inputs, {**base["params"], "und_below": t, "und_chars": n})
        for t, n in itertools.product(UND_BELOW[1:], UND_CHARS)
    ]
    feasible = [r for r in [base, *tried] if max_danb(r) <= MAX_DANB]
    return max(feasible, key=lambda r: r["mean_accuracy"]) if feasible else base


def tune(units, raw):
    """Choose the figures on dev; returns them with the runs that support the choice."""
    inputs = dev_inputs(units, raw)
    first = []
    for w, gap in itertools.product(WEIGHTS, GAPS):
        for hits in HITS if gap > 0 else (3,):
            first.append(evaluate(inputs, {**NO_RULES, "w": w, "gap": gap, "hits": hits}))

    def best(keep):
        return max((r for r in first if keep(r["params"])), key=lambda r: r["mean_accuracy"])

    untied = best(lambda p: p["gap"] == 0)
    tied = best(lambda p: p["gap"] > 0)
    mix = tied if tied["mean_accuracy"] - untied["mean_accuracy"] >= MIN_GAIN else untied
    lingua = best(lambda p: p["w"] == 1.0 and p["gap"] == 0)
    py3 = best(lambda p: p["w"] == 0.0 and p["gap"] == 0)
    dev = {
        "lingua-6-high alone": lingua,
        "py3langid-6 alone": py3,
        "lingua + best da/nb tie rule": best(lambda p: p["w"] == 1.0 and p["gap"] > 0),
        "best mix with the tie rule": tied,
        "mix": mix,
        "lingua+und": short_rule(inputs, lingua),
        "py3langid+und": short_rule(inputs, py3),
        "mix+und": short_rule(inputs, mix),
    }
    return {
        "variants": {name: dev[name]["params"] for name in VARIANTS},
        "dev": dev,
        "by_weight": {
            str(r["params"]["w"]): r["mean_accuracy"] for r in first if not r["params"]["gap"]
        },
    }


def max_danb(result):
    """The largest da<->nb share over the dev cells of da and nb."""
    return max(v[2] for k, v in result["cells"].items() if k.endswith(("/da", "/nb")))


def report(tuned):
    """A few lines on what was tried on dev and what was chosen."""

    def line(label, r):
        p = r["params"]
        return (
            f"  {label:<29} w={p['w']:.1f} gap={p['gap']:.2f} hits={p['hits']} "
            f"und<{p['und_below']:.2f} below {p['und_chars']:>3} chars: mean acc "
            f"{100 * r['mean_accuracy']:.2f} %, max da<->nb {100 * max_danb(r):.2f} %"
        )

    weights = " ".join(f"{w}:{100 * a:.2f}" for w, a in tuned["by_weight"].items())
    lines = ["== combinations, figures chosen on dev (mean dev accuracy over 18 cells)"]
    lines += [line(label, r) for label, r in tuned["dev"].items()]
    lines.append(f"  by weight w of lingua (no rules): {weights}")
    return "\n".join(lines)
