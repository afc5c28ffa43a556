"""How well Baggrund finds the article in a web page, against the article-extraction
benchmark (scrapinghub, 181 real pages), scored by the benchmark's own evaluate.py.

    .venv/bin/python bench/html_bench.py                        # 2-3 minutes
    .venv/bin/python bench/html_bench.py --json /tmp/html_bench.json --worst 10
    .venv/bin/python bench/html_bench.py --limit 30 --bootstrap 0   # quick look

Needs `.venv/bin/pip install trafilatura` (brings jusText); readability-lxml is scored
too when it is installed. Reads ../shared/corpora/article-extraction (`--corpus`) and
never copies it. Needs no database: Baggrund's own ingest steps run as functions.

Extractors, each giving one articleBody per page:
- baggrund: `extract` (its HTML reader), `parse_text`, `split_passages`; the article is
  the passages not flagged as boilerplate. A page is refused when `extract` raises
  ExtractError or every passage is boilerplate (what `bilag_ingest` refuses).
- trafilatura 2.x, `extract(output_format="txt", include_comments=False)` with its
  defaults, favor_precision and favor_recall, and "precision, else default" (the
  favor_precision text unless it kept under half the distinct shingles of the default
  run); justext (English stop list); the published trafilatura 2.0.0 output as a check
  of this harness (0.958 F1 published).
- combination: Baggrund keeps all visible text; a passage is content when the chosen
  trafilatura text contains it (bench/html_match.py). The rule is chosen on the
  development pages only (sorted ids, every 3rd, index % 3 == 2, held out) in two
  stages: reference x matching mode x shingle threshold x short passages x Baggrund's
  flags, then reference x growth (long unflagged prose next to content). "+ fallback"
  uses Baggrund's own flags on a page where trafilatura marks nothing.

All rows are scored by running evaluate.py itself (temp folder with ground-truth.json
and output/*.json) on all, development and held-out pages; the rule grid uses its
functions directly. Seconds are per page, median, in this process, one page at a time.
"""

import argparse
import dataclasses
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
for folder in (str(BENCH), str(PROJECT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import html_match as match  # noqa: E402

from library.ingest.formats import ExtractError, extract  # noqa: E402
from library.ingest.passages import split_passages  # noqa: E402
from library.ingest.shapes import parse_text  # noqa: E402

CORPUS = PROJECT.parent / "shared" / "corpora" / "article-extraction"
PUBLISHED = "trafilatura 2.0.0 (published)"
TRAF = {
    "trafilatura": {},
    "trafilatura precision": {"favor_precision": True},
    "trafilatura recall": {"favor_recall": True},
}
RESCUE = "trafilatura precision, else default"
RESCUE_RATIO = 0.5
REFERENCES = (*TRAF, RESCUE)
THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
GROW_TOKENS = (0, 10, 20, 30, 50, 80, 120)
GROW_GAPS = (1, 2, 3, 5)
SHORT = ("never", "contained", "line")
MODES = ("set", "consume", "align")
COMBO = "combination"
FALLBACK = "combination + fallback"


def code_state() -> str:
    """The commit Baggrund's code is at, and its ingest files changed since."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "library/ingest").splitlines()
    changed = [line.split(maxsplit=1)[-1] for line in changed]
    dirty = f", uncommitted: {', '.join(changed)}" if changed else ""
    head = git("rev-parse", "--short", "HEAD") or "(not a git checkout)"
    return f"Baggrund at {head}{dirty}"


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def optional_extractors() -> dict:
    """justext and readability-lxml, as the benchmark runs them, when installed."""
    found = {}
    try:
        import justext

        stop = justext.get_stoplist("English")

        def run_justext(html: str) -> str:
            paragraphs = justext.justext(html, stop)
            return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        found["justext"] = (version("jusText"), run_justext)
    except ImportError:
        pass
    try:
        import lxml.html
        from readability import Document

        def run_readability(html: str) -> str:
            summary = Document(html).summary(html_partial=True)
            return lxml.html.fromstring(summary).text_content()

        found["readability-lxml"] = (version("readability-lxml"), run_readability)
    except ImportError:
        pass
    return found


INGESTED = "baggrund as ingested"


def baggrund(data: bytes) -> tuple[list[tuple[str, bool]] | None, str]:
    """Baggrund's passages as (text, flagged) and why it would refuse the page ("" if not)."""
    try:
        extracted = extract("page.html", data)
    except ExtractError as exc:
        return None, f"ExtractError: {exc}"
    parsed = parse_text(extracted.text)
    drafts = split_passages(
        extracted.text, start=parsed.body_start, page_starts=None, hints=extracted.hints
    )
    passages = [(d.text, d.boilerplate) for d in drafts]
    refused = "" if any(not flagged for _t, flagged in passages) else "all boilerplate"
    return passages, refused


def baggrund_ingested(data: bytes) -> str:
    """The article as Baggrund ingests the page: its passages marked from trafilatura's
    main text (split_passages' `article`), content joined by blank lines."""
    try:
        extracted = extract("page.html", data)
    except ExtractError:
        return ""
    parsed = parse_text(extracted.text)
    drafts = split_passages(
        extracted.text,
        start=parsed.body_start,
        page_starts=None,
        hints=extracted.hints,
        article=extracted.main_text,
    )
    return "\n\n".join(d.text for d in drafts if not d.boilerplate)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def run_page(data: bytes, extras: dict) -> dict:
    import trafilatura

    html = data.decode("utf8", errors="replace")  # as the benchmark's runners read it
    (passages, refused), seconds = timed(baggrund, data)
    page = {"passages": passages, "refused": refused, "texts": {}, "seconds": {}}
    if passages is not None:
        page["texts"]["baggrund"] = match.article(passages, [not f for _t, f in passages])
    page["seconds"]["baggrund"] = seconds
    page["texts"][INGESTED], page["seconds"][INGESTED] = timed(baggrund_ingested, data)
    for name, options in TRAF.items():
        text, seconds = timed(
            trafilatura.extract, html, output_format="txt", include_comments=False, **options
        )
        page["texts"][name], page["seconds"][name] = text, seconds
    for name, (_version, function) in extras.items():
        page["texts"][name], page["seconds"][name] = timed(function, html)
    return page


def run_all(corpus: Path, ids: list[str], extras: dict) -> dict[str, dict]:
    pages = {}
    for index, key in enumerate(ids, 1):
        data = gzip.decompress((corpus / "html" / f"{key}.html.gz").read_bytes())
        pages[key] = run_page(data, extras)
        if index % 20 == 0:
            print(f"  {index}/{len(ids)} pages", file=sys.stderr)
    return pages


def combine(pages: dict, config: str, rule: match.Rule, built: dict | None = None) -> tuple:
    """The combination's article per page, with fallback, and its seconds per page.
    `built` (id -> Matcher) skips the indexing, for the grid; then seconds mean nothing."""
    plain, fallback, seconds = {}, {}, {}
    for key, page in pages.items():
        passages = page["passages"]
        spent = 0.0
        if passages is None:
            plain[key] = ""
        elif built is not None:
            plain[key] = match.article(passages, built[key].mask(rule))
        else:
            mask, spent = timed(match.mark, passages, page["texts"][config], rule)
            plain[key] = match.article(passages, mask)
        fallback[key] = plain[key] or page["texts"].get("baggrund", "")
        seconds[key] = page["seconds"]["baggrund"] + page["seconds"][config] + spent
    return plain, fallback, seconds


def score_rule(pages, scorer, config, rule, built, parts) -> dict:
    texts = combine(pages, config, rule, built)[0]
    row = {"config": config, "rule": rule}
    row.update({name: scorer.quick(texts, keys) for name, keys in parts.items()})
    return row


def ranked(rows: list[dict]) -> list[dict]:
    """Best dev F1 (to 4 decimals) first; among equals the simpler rule: threshold
    nearest 0.5, least growth."""
    return sorted(
        rows,
        key=lambda row: (
            -round(row["dev"]["f1"], 4),
            abs(row["rule"].threshold - 0.5),
            row["rule"].grow_tokens == 0,
            -row["rule"].grow_tokens,
            row["rule"].grow_gap,
        ),
    )


def grid(pages: dict, scorer: match.Scorer, dev: list[str], held: list[str]) -> tuple:
    """Stage 1: reference x mode x threshold x short x flags; stage 2: the best of
    those with each reference and each growth. Rows scored on dev (to choose) and
    held-out (to report)."""
    parts = {"dev": dev, "held": held}
    built = {
        config: {
            key: match.Matcher(page["passages"], page["texts"][config])
            for key, page in pages.items()
            if page["passages"] is not None
        }
        for config in REFERENCES
    }
    first = []
    for config in REFERENCES:
        for mode in MODES:
            for threshold in THRESHOLDS:
                for short in SHORT:
                    for keep in (False, True):
                        rule = match.Rule(threshold, short, keep, mode)
                        first.append(score_rule(pages, scorer, config, rule, built[config], parts))
    first = ranked(first)
    base = first[0]["rule"]
    second = []
    for config in REFERENCES:
        for tokens in GROW_TOKENS:
            for gap in GROW_GAPS if tokens else (1,):
                rule = dataclasses.replace(base, grow_tokens=tokens, grow_gap=gap)
                second.append(score_rule(pages, scorer, config, rule, built[config], parts))
    return first, ranked(second)


def add_rescue(pages: dict) -> None:
    """trafilatura's precision output, or its default one when precision kept under
    half of the distinct 4-token shingles that default found (favor_precision sometimes
    keeps only a teaser; distinct, so that a page's hidden copy of the article does not
    count twice). Costs both runs."""
    for page in pages.values():
        texts, seconds = page["texts"], page["seconds"]
        precise, default = texts["trafilatura precision"], texts["trafilatura"]
        kept = len(set(match.shingles(match.tokens(precise))))
        found = len(set(match.shingles(match.tokens(default))))
        texts[RESCUE] = default if kept < RESCUE_RATIO * found else precise
        seconds[RESCUE] = seconds["trafilatura precision"] + seconds["trafilatura"]


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def print_table(outputs: dict, scores: dict, seconds: dict, empty: dict) -> None:
    head = f"{'extractor':<38} {'version':<8} {'F1':>13} {'precision':>13} {'recall':>13}"
    print(head + f" {'empty':>5} {'s/page':>7}")
    for name, (ver, _texts) in outputs.items():
        m = scores["all"][name]
        cells = [f"{m[k]:.3f} ± {m.get(k + '_std', 0):.3f}" for k in ("f1", "precision", "recall")]
        sec = seconds.get(name)
        sec_text = f"{sec:7.4f}" if sec is not None else f"{'-':>7}"
        print(f"{name:<38} {ver:<8} " + " ".join(f"{c:>13}" for c in cells), end="")
        print(f" {empty[name]:>5} {sec_text}")


def print_parts(names: list[str], scores: dict) -> None:
    print(f"\n{'extractor':<38} {'part':<9} {'pages':>5} {'F1':>6} {'P':>6} {'R':>6}")
    for name in names:
        for part in ("dev", "held-out", "all"):
            m = scores[part][name]
            count = len(m["tp_fp_fns"])
            print(f"{name:<38} {part:<9} {count:>5} ", end="")
            print(f"{m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f}")


def print_grid(rows: list[dict], count: int, title: str) -> None:
    print(f"\n{title}: best of {len(rows)} rules on dev, with held-out for reference")
    print(f"{'reference':<36} {'rule':<60} {'dev F1':>6} {'held F1':>7}")
    for row in rows[:count]:
        print(f"{row['config']:<36} {row['rule'].label():<60} ", end="")
        print(f"{row['dev']['f1']:6.3f} {row['held']['f1']:7.3f}")


def worst(pages: dict, scorer: match.Scorer, texts: dict, config: str, count: int) -> list:
    rows = []
    for key, text in texts.items():
        p, r = scorer.page_pr(key, text)
        tp, tr = scorer.page_pr(key, pages[key]["texts"][config])
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        passages = pages[key]["passages"] or []
        rows.append(
            {
                "id": key,
                "f1": f1,
                "precision": p,
                "recall": r,
                "trafilatura_precision": tp,
                "trafilatura_recall": tr,
                "passages": len(passages),
                "truth_tokens": len(match.tokens(scorer.truth[key].get("articleBody"))),
                "tokens": len(match.tokens(text)),
                "trafilatura_tokens": len(match.tokens(pages[key]["texts"][config])),
                "url": scorer.truth[key].get("url", ""),
            }
        )
    rows.sort(key=lambda row: row["f1"])
    print(f"\nworst pages of {COMBO} (P/R, trafilatura's P/R, tokens: truth/ours/traf):")
    for row in rows[:count]:
        print(
            f"{row['id'][:12]} P {row['precision']:.2f} R {row['recall']:.2f} | "
            f"traf P {row['trafilatura_precision']:.2f} R {row['trafilatura_recall']:.2f} | "
            f"{row['truth_tokens']}/{row['tokens']}/{row['trafilatura_tokens']} {row['url']}"
        )
    return rows


def collect(pages: dict, scorer: match.Scorer, extras: dict, chosen: dict) -> tuple:
    """Every row's (version, texts), seconds per page (median) and empty pages."""
    published = json.loads(
        (scorer.script.parent / "published-trafilatura-2.0.0.json").read_text(encoding="utf8")
    )
    traf_version = version("trafilatura")
    outputs = {PUBLISHED: ("2.0.0", {k: published["output"][k].get("articleBody") for k in pages})}
    outputs["baggrund"] = ("", {k: p["texts"].get("baggrund", "") for k, p in pages.items()})
    outputs[INGESTED] = ("", {k: p["texts"][INGESTED] for k, p in pages.items()})
    for name in REFERENCES:
        outputs[name] = (traf_version, {k: p["texts"][name] for k, p in pages.items()})
    for name, (ver, _function) in extras.items():
        outputs[name] = (ver, {k: p["texts"][name] for k, p in pages.items()})
    plain, fallback, combo_seconds = combine(pages, chosen["config"], chosen["rule"])
    outputs[COMBO] = (traf_version, plain)
    outputs[FALLBACK] = (traf_version, fallback)
    timed_names = [name for name in outputs if name not in (PUBLISHED, COMBO, FALLBACK)]
    seconds = {name: median(p["seconds"][name] for p in pages.values()) for name in timed_names}
    seconds[COMBO] = seconds[FALLBACK] = median(combo_seconds.values())
    empty = {
        name: sum(not match.has_words(t) for t in texts.values())
        for name, (_v, texts) in outputs.items()
    }
    return outputs, seconds, empty


def report_refusals(pages: dict, combo_texts: dict) -> dict:
    refused = {k: p["refused"] for k, p in pages.items() if p["refused"]}
    nothing = [k for k, t in combo_texts.items() if not match.has_words(t)]
    print(f"\nBaggrund refuses {len(refused)} of {len(pages)} pages:")
    for key, why in refused.items():
        print(f"  {key[:12]} {why}")
    print(f"{COMBO} marks no content on {len(nothing)} pages: {[k[:12] for k in nothing]}")
    return {"baggrund_refused": refused, "combination_empty": nothing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="evaluate.py --n-bootstrap (2 at least)"
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted ids)")
    parser.add_argument("--worst", type=int, default=5, help="list the N worst pages")
    args = parser.parse_args()

    scorer = match.Scorer(args.corpus)
    ids = sorted(scorer.truth)[: args.limit]
    dev = [k for i, k in enumerate(ids) if i % 3 != 2]
    held = [k for i, k in enumerate(ids) if i % 3 == 2]
    extras = optional_extractors()
    print(f"{len(ids)} pages ({len(dev)} dev, {len(held)} held out)", file=sys.stderr)
    pages = run_all(args.corpus, ids, extras)
    add_rescue(pages)
    first, rows = grid(pages, scorer, dev, held)
    outputs, seconds, empty = collect(pages, scorer, extras, rows[0])
    parts = {"all": ids, "dev": dev, "held-out": held}
    scores = {part: scorer.run_cli(outputs, keys, args.bootstrap) for part, keys in parts.items()}

    print(f"\n{code_state()}; trafilatura {version('trafilatura')}")
    print(f"{len(ids)} pages; chosen rule: trafilatura option '{rows[0]['config']}', ", end="")
    print(rows[0]["rule"].label())
    print_table(outputs, scores, seconds, empty)
    print_parts(["baggrund", INGESTED, rows[0]["config"], COMBO, FALLBACK], scores)
    print_grid(first, 8, "stage 1: matching")
    print_grid(rows, 12, "stage 2: reference and growth on the best matching")
    refusals = report_refusals(pages, outputs[COMBO][1])
    worst_rows = worst(pages, scorer, outputs[COMBO][1], rows[0]["config"], args.worst)
    if args.json:
        for part in scores.values():
            for metrics in part.values():
                metrics.pop("tp_fp_fns", None)
        raw = {
            "scores": scores,
            "seconds_per_page_median": seconds,
            "empty_pages": empty,
            "chosen": {"config": rows[0]["config"], "rule": vars(rows[0]["rule"])},
            "grid": [{**row, "rule": vars(row["rule"])} for row in first + rows],
            "worst": worst_rows,
            "code": code_state(),
            "per_page": {
                name: {k: scorer.page_pr(k, t) for k, t in texts.items()}
                for name, (_v, texts) in outputs.items()
            },
            **refusals,
        }
        args.json.write_text(json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf8")


if __name__ == "__main__":
    main()
