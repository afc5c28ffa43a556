"""Text-quality measures for bench/pdf_text_bench.py: word F1, reference, odd characters.

Imported by the benchmark (no command line of its own). Words are runs of letters and
digits (`[^\\W_]+`) of the NFKC-normalised, lower-cased text, so ligatures and
full-width forms do not count against an extractor here; they are counted apart.

Besides the raw word F1 (as asked), two measures on "joined" text, where every output
first has its line-end hyphenation undone (letter, '-', line break, lower-case letter;
PDFium's U+FFFE and soft hyphens U+00AD dropped): word F1 again, so an extractor that
joins hyphenated words is not marked down by two that do not, and F1 of 4-word
shingles, which also drops when the reading order differs (against the medoid of the
shingles, chosen the same way). Extractors passed as `judged` (Baggrund's own reader)
are scored against that reference but never vote for it, so that a reader built on
one of the others (Baggrund reads with PDFium) does not make its twin the reference.
Also the totals over every file per extractor (`totals_for`). The standard library only.
"""

import re
import statistics
import unicodedata
from collections import Counter

WORD = re.compile(r"[^\W_]+")
HYPHEN_END = re.compile(r"[^\W\d_]-$")
HYPHEN_BREAK = re.compile(r"([^\W\d_])-[ \t]*\r?\n[ \t]*([^\W\d_])")
SHINGLE = 4
LIGATURES = {chr(code) for code in range(0xFB00, 0xFB07)}
ALLOWED_CONTROLS = {"\n", "\t", "\r", "\f"}
# A page "looks two-column" when it has at least this many non-empty lines and most of
# them are at most this share of its longest line (see two_column_pages).
COLUMN_MIN_LINES = 20
COLUMN_SHORT_SHARE = 0.6


def words(text: str) -> Counter:
    """The multiset of words of a text."""
    return Counter(WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def joined(text: str) -> str:
    """The text with line-end hyphenation undone (before a lower-case letter only)."""
    text = text.replace("\ufffe", "").replace("\u00ad\r\n", "").replace("\u00ad\n", "")
    text = text.replace("\u00ad", "")

    def join(match: re.Match) -> str:
        return match[1] + match[2] if match[2].islower() else match[0]

    return HYPHEN_BREAK.sub(join, text)


def shingles(text: str) -> Counter:
    """The multiset of runs of SHINGLE consecutive words: sensitive to reading order."""
    tokens = WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def f1(one: Counter, other: Counter) -> float:
    """F1 of two word multisets; two empty texts agree fully."""
    total = sum(one.values()) + sum(other.values())
    if total == 0:
        return 1.0
    return 2 * sum((one & other).values()) / total


def reference(bags: dict[str, Counter], order: list[str]) -> tuple[str | None, dict[str, float]]:
    """The medoid of the successful extractors named in `order` and the F1 against it of
    every extractor in `bags` (those not in `order` too: they are judged, not voters).

    The reference is the extractor whose words have the highest mean F1 against every
    other successful one; a tie goes to the one first in `order`. A single successful
    extractor is its own reference (F1 1.0); with none there is no reference.
    """
    names = [name for name in order if name in bags]
    if not names:
        return None, {}
    if len(names) == 1:
        return names[0], {name: f1(bags[name], bags[names[0]]) for name in bags}

    def mean_against_others(name: str) -> float:
        return statistics.fmean(f1(bags[name], bags[other]) for other in names if other != name)

    best = max(names, key=lambda name: (round(mean_against_others(name), 9), -names.index(name)))
    return best, {name: f1(bags[name], bags[best]) for name in bags}


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text, trailing spaces dropped."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def two_column_pages(texts: list[str]) -> list[int]:
    """Page numbers (1-based) whose lines are mostly far shorter than the longest one.

    Column-by-column reading gives half-width lines under a full-width title or header;
    a person should check those pages' reading order by eye.
    """
    pages = []
    for number, text in enumerate(texts, start=1):
        lengths = [len(line.strip()) for line in lines_of(text)]
        if len(lengths) < COLUMN_MIN_LINES:
            continue
        limit = COLUMN_SHORT_SHARE * max(lengths)
        if statistics.median(lengths) <= limit and max(lengths) >= 60:
            pages.append(number)
    return pages


def characters(texts: list[str]) -> dict:
    """Counts of ligatures, control characters, NULs, hyphenated line ends and lines."""
    text = "\n".join(texts)
    controls = sum(
        1
        for char in text
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) == "Cc" and char != "\0"
    )
    lines = [line for page in texts for line in lines_of(page)]
    return {
        "ligatures": sum(1 for char in text if char in LIGATURES),
        "fffe": text.count("\ufffe"),
        "soft_hyphens": text.count("\u00ad"),
        "replacement": text.count("\ufffd"),
        "private_use": sum(1 for char in text if unicodedata.category(char) == "Co"),
        "controls": controls,
        "nuls": text.count("\0"),
        "hyphen_ends": sum(1 for line in lines if HYPHEN_END.search(line)),
        "lines": len(lines),
        "mean_line": statistics.fmean(len(line.strip()) for line in lines) if lines else 0.0,
        "chars": sum(len(page) for page in texts),
        "two_column_pages": two_column_pages(texts),
    }


def text_layer_f1(ok: dict[str, dict], best: str, judged: list[str]) -> dict[str, float]:
    """Word F1 against the reference `best` on the pages no judged extractor read by OCR
    (those pages left out of every text): OCR'd words have nothing to match in
    extractors that never OCR, and would count against the reader that has them."""
    ocr = {page for name in judged if name in ok for page in ok[name].get("ocr_pages", [])}
    bags = {
        name: words("\n".join(t for page, t in enumerate(r["texts"], 1) if page not in ocr))
        for name, r in ok.items()
    }
    return {name: f1(bag, bags[best]) for name, bag in bags.items()}


def score_file(results: dict[str, dict], order: list[str], judged: list[str]) -> dict:
    """Quality of one file: reference (of the extractors in `order`), F1 of each one and
    of the `judged` ones against it, character counts, word totals."""
    ok = {name: result for name, result in results.items() if result["outcome"] == "ok"}
    voters = sum(1 for name in ok if name in order)
    if not ok:
        return {"reference": None, "f1": {}, "pairwise": {}, "compared": 0}
    texts = {name: "\n".join(result["texts"]) for name, result in ok.items()}
    bags = {name: words(text) for name, text in texts.items()}
    best, against = reference(bags, order)
    texts = {name: joined(text) for name, text in texts.items()}
    joined_best, joined_f1 = reference({n: words(t) for n, t in texts.items()}, order)
    order_best, order_f1 = reference({n: shingles(t) for n, t in texts.items()}, order)
    text_f1 = text_layer_f1(ok, best, judged) if best else {}
    everyone = order + judged
    pairwise = {
        f"{one}/{other}": f1(bags[one], bags[other])
        for index, one in enumerate(everyone)
        for other in everyone[index + 1 :]
        if one in bags and other in bags
    }
    for name, result in ok.items():
        result["quality"] = characters(result["texts"])
        result["quality"]["words"] = sum(bags[name].values())
    return {
        "reference": best,
        "f1": against,
        "joined_reference": joined_best,
        "joined_f1": joined_f1,
        "shingle_reference": order_best,
        "shingle_f1": order_f1,
        "text_f1": text_f1,
        "pairwise": pairwise,
        "compared": voters,
    }


GOOD_F1 = 0.98
REFUSED = ("encrypted-needs-password", "unreadable", "memory")
COUNTS = ("ligatures", "controls", "nuls", "hyphen_ends", "fffe", "soft_hyphens")
COUNTS += ("replacement", "private_use")


def is_compared(record: dict, name: str, judged: list[str]) -> bool:
    """Whether a file counts in an extractor's F1 figures: it read the file, and there
    was something to compare with (2+ voters read it; 1+ for a judged extractor)."""
    needed = 1 if name in judged else 2
    return record["results"][name]["outcome"] == "ok" and record["score"]["compared"] >= needed


def f1_figures(name: str, compared: list[dict], key: str) -> dict:
    """Mean, minimum and files below GOOD_F1 of one F1 measure (score key) of one extractor."""
    values = [record["score"][key][name] for record in compared]
    return {
        f"mean_{key}": statistics.fmean(values) if values else None,
        f"min_{key}": min(values) if values else None,
        f"below_{key}": sum(1 for value in values if value < GOOD_F1),
    }


def totals_for(name: str, records: list[dict], judged: list[str]) -> dict:
    """The totals of one extractor over every file."""
    results = [record["results"][name] for record in records]
    ok = [result for result in results if result["outcome"] == "ok"]
    compared = [record for record in records if is_compared(record, name, judged)]
    qualities = [result["quality"] for result in ok]
    seconds = sum(result["seconds"] for result in ok)
    pages = sum(result["pages"] for result in ok)
    lines = sum(q["lines"] for q in qualities)
    totals = {
        "ok": len(ok),
        "refused": sum(1 for r in results if r["outcome"] in REFUSED),
        "failed": sum(1 for r in results if r["outcome"] in ("timeout", "crashed")),
        "pages": pages,
        "seconds": seconds,
        "wall": sum(result["wall"] for result in results),
        "pages_per_second": pages / seconds if seconds else 0.0,
        "compared": len(compared),
        "reference": sum(1 for record in compared if record["score"]["reference"] == name),
        "joined_reference": sum(1 for r in compared if r["score"]["joined_reference"] == name),
        **{key: sum(q[key] for q in qualities) for key in COUNTS},
        "mean_line": sum(q["mean_line"] * q["lines"] for q in qualities) / lines if lines else 0.0,
    }
    for key in ("f1", "joined_f1", "shingle_f1", "text_f1"):
        totals |= f1_figures(name, compared, key)
    return totals


def common_speed(name: str, records: list[dict], extractors: list[str]) -> str:
    """Pages per second of one extractor on the files every extractor read."""
    common = [r for r in records if all(r["results"][n]["outcome"] == "ok" for n in extractors)]
    pages = sum(r["results"][name]["pages"] for r in common)
    seconds = sum(r["results"][name]["seconds"] for r in common)
    return f"{pages / seconds:,.0f}" if seconds else "-"
