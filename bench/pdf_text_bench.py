"""Compare PDF text extractors (pypdf, PDFium, pdftotext, Baggrund's reader) on PDF corpora.

    .venv/bin/python bench/pdf_text_bench.py                       # both corpora, about 3 min
    .venv/bin/python bench/pdf_text_bench.py --extractors pdftotext,pdfium,pypdf  # no Django
    .venv/bin/python bench/pdf_text_bench.py --only crazyones --json /tmp/pdf_text.json
    .venv/bin/python bench/pdf_text_bench.py --corpus ../shared/corpora/pdf-samples --timeout 30

Needs `.venv/bin/pip install cryptography pypdfium2` (AES for pypdf; PDFium) and Debian's
poppler-utils. Reads every *.pdf under each `--corpus` (default
../shared/corpora/pdf-samples and ../shared/corpora/pdf-pypdf-resources; byte-identical
copies found in both are run once unless `--keep-duplicates`) and never copies them.

Each extractor runs on each file in its own child process (bench/pdf_text_extract.py,
one after another, never in parallel) that sets RLIMIT_CPU (`--cpu`, 60 s) and RLIMIT_AS
(`--memory`, 1024 MiB) on itself; the parent kills its process group after `--timeout`
seconds of wall time (60; `--baggrund-timeout`, 300, for Baggrund's reader, which may
run OCR). Encrypted files are tried with the empty password only; a document that
comes out with no pages counts as unreadable.

"baggrund" is the text Baggrund stores, page by page: library.ingest.pdf_child (PDFium
in file order, lines and paragraphs from its text rectangles, Tesseract for pages
without text, under the library's own caps from config.settings) and then the PDF
reader's processing (clean_text, line-end hyphens decided over the whole document,
wrapped lines joined into paragraphs), imported from library.ingest.formats.pdf. It is
scored against the reference of the other three and never votes for it. Its seconds
include starting the child, and its lines are paragraphs (so its mean line length and
line-end hyphens are not comparable with the others'); pages it read by OCR have words
that the others, which never OCR, lack.

Per file and extractor: outcome (ok, encrypted-needs-password, unreadable, memory,
timeout, crashed), pages, seconds (opening and extracting, without Python's start-up),
and, on the extractors that succeeded, word F1 against the file's reference. Words are
runs of letters/digits of the NFKC-normalised, lower-cased text, compared as multisets.
The reference is the medoid: of pdftotext, pdfium and pypdf, the one whose words have the
highest mean F1 against the other successful ones (ties in that order). The
totals add the same F1 on text with line-end hyphenation undone and a 4-word shingle F1
(order-sensitive; bench/pdf_text_quality.py), ligatures (U+FB00-FB06), control
characters, NULs, lines ending in letter + '-', PDFium's U+FFFE, the mean line length
and pages that look two-column (a rough flag for a person to check the reading order).
Without "baggrund" in --extractors it needs no Django and imports nothing from the project.
"""

import argparse
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import pdf_text_quality as quality  # noqa: E402

CORPORA = BENCH.parent.parent / "shared" / "corpora"
DEFAULT_CORPORA = [CORPORA / "pdf-samples", CORPORA / "pdf-pypdf-resources"]
EXTRACTORS = ["pdftotext", "pdfium", "pypdf"]  # the voters, and the tie order for the reference
JUDGED = ["baggrund"]  # scored against the voters' reference, never one of them
ALL = EXTRACTORS + JUDGED
CHILD = BENCH / "pdf_text_extract.py"
GOOD_F1 = quality.GOOD_F1
SHORT = {
    "ok": "ok",
    "encrypted-needs-password": "PASSWORD",
    "unreadable": "UNREADABLE",
    "memory": "MEMORY",
    "timeout": "TIMEOUT",
    "crashed": "CRASHED",
}


def find_files(corpora: list[Path], only: list[str], keep_duplicates: bool) -> tuple[list, list]:
    """(label, path, expected pages or None) per PDF, and the skipped duplicates."""
    files, seen, duplicates = [], {}, []
    for corpus in corpora:
        expected = expected_pages(corpus)
        for path in sorted(corpus.rglob("*.pdf")):
            relative = path.relative_to(corpus).as_posix()
            label = f"{corpus.name.removeprefix('pdf-')}:{path.name}"
            if only and not any(
                word.lower() in f"{corpus.name}/{relative}".lower() for word in only
            ):
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in seen and not keep_duplicates:
                duplicates.append((label, seen[digest]))
                continue
            seen.setdefault(digest, label)
            files.append((label, path, expected.get(relative)))
    return files, duplicates


def expected_pages(corpus: Path) -> dict[str, int]:
    """Page counts from the corpus's files.json (py-pdf/sample-files), if it has one."""
    described = corpus / "files.json"
    if not described.exists():
        return {}
    data = json.loads(described.read_text())["data"]
    return {item["path"]: item["pages"] for item in data if "pages" in item}


def run_child(extractor: str, path: Path, args) -> dict:
    """One extractor on one file in a limited child; every way it can end is an outcome."""
    command = [sys.executable, str(CHILD), extractor, str(path)]
    command += ["--cpu", str(args.cpu), "--memory", str(args.memory * 1024 * 1024)]
    timeout = args.baggrund_timeout if extractor in JUDGED else args.timeout
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return {"outcome": "timeout", "error": f"over {timeout} s wall time", "wall": timeout}
    wall = time.perf_counter() - started
    errors = err.decode("utf-8", "replace").strip()
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        outcome = "timeout" if name == "SIGXCPU" else "crashed"
        return {"outcome": outcome, "error": f"{name} {errors[-200:]}".strip(), "wall": wall}
    try:
        result = json.loads(out)
    except ValueError:
        outcome = "memory" if "MemoryError" in errors or "bad_alloc" in errors else "crashed"
        tail = errors[-200:] or "no output"
        return {"outcome": outcome, "error": f"exit {child.returncode}: {tail}", "wall": wall}
    result["wall"] = wall
    return result


def cell(result: dict, score: dict, name: str) -> str:
    """An extractor's column in the per-file table: outcome, seconds, F1 (* = reference)."""
    if result["outcome"] != "ok":
        return SHORT[result["outcome"]]
    mark = "*" if score["reference"] == name else "o" if result.get("ocr_pages") else " "
    f1 = score["f1"].get(name)
    needed = 1 if name in JUDGED else 2
    shown = "   -  " if f1 is None or score["compared"] < needed else f"{f1:6.3f}"
    return f"ok {result['seconds']:5.2f}s {shown}{mark}"


def pages_shown(results: dict, expected) -> tuple[str, bool]:
    """The page count to print and whether the extractors (or files.json) disagree on it."""
    counts = {r["pages"] for r in results.values() if r["outcome"] == "ok"}
    if expected is not None:
        counts.add(expected)
    if not counts:
        return "-", False
    if len(counts) == 1:
        return str(counts.pop()), False
    return "/".join(str(count) for count in sorted(counts)), True


def print_header(extractors: list[str]) -> None:
    width = max(len(name) for name in extractors)
    print(
        f"\n{'file':<52} {'pages':>5}  " + "  ".join(f"{n:<{max(width, 20)}}" for n in extractors)
    )


def print_row(label: str, record: dict, extractors: list[str]) -> None:
    cells = [f"{cell(record['results'][n], record['score'], n):<20}" for n in extractors]
    print(f"{label[:52]:<52} {record['pages_shown']:>5}  " + "  ".join(cells), flush=True)


def run_file(label: str, path: Path, expected, args) -> dict:
    """Every extractor on one file, one after the other, and the file's quality scores."""
    results = {name: run_child(name, path, args) for name in args.extractors}
    score = quality.score_file(results, EXTRACTORS, JUDGED)
    shown, disagree = pages_shown(results, expected)
    return {
        "label": label,
        "path": str(path),
        "expected_pages": expected,
        "pages_shown": shown,
        "pages_disagree": disagree,
        "results": results,
        "score": score,
    }


def print_totals(records: list[dict], extractors: list[str]) -> dict:
    """The totals table, one column per extractor; returns the figures for --json."""
    totals = {name: quality.totals_for(name, records, JUDGED) for name in extractors}

    def f1(value):
        return "-" if value is None else f"{value:.4f}"

    rows = [
        ("files ok", lambda t: str(t["ok"])),
        ("refused (password, unreadable, memory)", lambda t: str(t["refused"])),
        ("crashed or timed out", lambda t: str(t["failed"])),
        ("pages (files ok)", lambda t: f"{t['pages']:,}"),
        ("extract seconds (files ok)", lambda t: f"{t['seconds']:.2f}"),
        ("pages per second", lambda t: f"{t['pages_per_second']:,.0f}"),
        ("child wall seconds, all files", lambda t: f"{t['wall']:.1f}"),
        ("files compared (2+ ok; baggrund: 1+)", lambda t: str(t["compared"])),
        ("mean word F1 vs reference", lambda t: f1(t["mean_f1"])),
        ("min word F1 vs reference", lambda t: f1(t["min_f1"])),
        (f"files with F1 < {GOOD_F1}", lambda t: str(t["below_f1"])),
        ("without OCR'd pages: mean word F1", lambda t: f1(t["mean_text_f1"])),
        ("without OCR'd pages: min word F1", lambda t: f1(t["min_text_f1"])),
        (f"without OCR'd pages: files F1 < {GOOD_F1}", lambda t: str(t["below_text_f1"])),
        ("chosen as reference", lambda t: str(t["reference"])),
        ("joined text: mean word F1", lambda t: f1(t["mean_joined_f1"])),
        ("joined text: min word F1", lambda t: f1(t["min_joined_f1"])),
        (f"joined text: files with F1 < {GOOD_F1}", lambda t: str(t["below_joined_f1"])),
        ("joined text: chosen as reference", lambda t: str(t["joined_reference"])),
        ("4-word shingle F1 (order): mean", lambda t: f1(t["mean_shingle_f1"])),
        ("4-word shingle F1 (order): min", lambda t: f1(t["min_shingle_f1"])),
        ("ligature characters", lambda t: f"{t['ligatures']:,}"),
        ("control characters (not \\n\\t\\r\\f)", lambda t: f"{t['controls']:,}"),
        ("NUL characters", lambda t: f"{t['nuls']:,}"),
        ("lines ending letter + '-'", lambda t: f"{t['hyphen_ends']:,}"),
        ("U+FFFE (PDFium's line-end hyphen)", lambda t: f"{t['fffe']:,}"),
        ("soft hyphens U+00AD", lambda t: f"{t['soft_hyphens']:,}"),
        ("U+FFFD replacement characters", lambda t: f"{t['replacement']:,}"),
        ("private-use characters", lambda t: f"{t['private_use']:,}"),
        ("mean line length (chars)", lambda t: f"{t['mean_line']:.1f}"),
    ]
    print(f"\n{'totals':<40} " + " ".join(f"{name:>11}" for name in extractors))
    for title, show in rows:
        print(f"{title:<40} " + " ".join(f"{show(totals[name]):>11}" for name in extractors))
    speeds = [quality.common_speed(name, records, extractors) for name in extractors]
    print(f"{'pages/s on files all of them read':<40} " + " ".join(f"{s:>11}" for s in speeds))
    return totals


def print_pairwise(records: list[dict], extractors: list[str]) -> None:
    """Mean word F1 of each pair of extractors over the files both read."""
    pairs: dict[str, list[float]] = {}
    for record in records:
        for pair, value in record["score"]["pairwise"].items():
            pairs.setdefault(pair, []).append(value)
    print(f"\npairwise word F1 (files both read): mean / min / files < {GOOD_F1}")
    for pair, values in pairs.items():
        below = sum(1 for value in values if value < GOOD_F1)
        mean, low = statistics.fmean(values), min(values)
        print(f"  {pair:<20} {mean:.4f} / {low:.4f} / {below} of {len(values)}")


def is_problem(record: dict) -> bool:
    """A file where an extractor failed, the words disagree or the page counts differ."""
    failed = any(r["outcome"] != "ok" for r in record["results"].values())
    score = record["score"]
    low = any(v < GOOD_F1 for key in ("f1", "joined_f1") for v in score.get(key, {}).values())
    return failed or low or record["pages_disagree"]


def print_problems(records: list[dict], extractors: list[str]) -> None:
    """Each failing or disagreeing file with its errors, F1 and word counts."""
    print(f"\nfiles where an extractor fails, F1 < {GOOD_F1} or the page counts differ:")
    for record in filter(is_problem, records):
        score = record["score"]
        expected = record["expected_pages"]
        told = (
            f", files.json says {expected} pages" if record["pages_disagree"] and expected else ""
        )
        refs = f"reference {score['reference']}, joined {score.get('joined_reference')}, "
        refs += f"shingles {score.get('shingle_reference')}"
        print(f"- {record['label']} ({refs}{told})")
        for name in extractors:
            result = record["results"][name]
            if result["outcome"] != "ok":
                error = " / ".join(result.get("error", "").splitlines())
                print(f"    {name:<10} {result['outcome']}: {error[:150]}")
                continue
            keys = ("f1", "joined_f1", "shingle_f1", "text_f1")
            f1s = [score.get(key, {}).get(name) for key in keys]
            f1s = ["-" if value is None else f"{value:.3f}" for value in f1s]
            ocr = f", without OCR'd p. {f1s[3]}" if result.get("ocr_pages") else ""
            print(
                f"    {name:<10} F1 {f1s[0]}, joined {f1s[1]}, shingles {f1s[2]}{ocr}; "
                f"{result['pages']} pages, {result['quality']['words']} words, "
                f"{result['quality']['chars']} chars"
            )


def print_notes(records: list[dict], extractors: list[str]) -> None:
    """Encrypted files opened with the empty password, warnings, two-column pages."""
    print("\nnotes (pypdf: which password the empty one matched; pdftotext: its warnings;")
    print("       baggrund: pages read by OCR, pages without text, what cleaning removed):")
    for record in records:
        for name in extractors:
            note = record["results"][name].get("note")
            if note:
                print(f"  {record['label']:<52} {name:<10} {note.splitlines()[0][:90]}")
    lines, share = quality.COLUMN_MIN_LINES, quality.COLUMN_SHORT_SHARE * 100
    print(
        f"\npages that look two-column (>= {lines} lines, median line <= {share:.0f} % of longest):"
    )
    for record in records:
        flagged = {
            name: record["results"][name]["quality"]["two_column_pages"]
            for name in extractors
            if record["results"][name]["outcome"] == "ok"
            and record["results"][name]["quality"]["two_column_pages"]
        }
        if flagged:
            shown = "; ".join(f"{name} p. {pages}" for name, pages in flagged.items())
            print(f"  {record['label']:<52} {shown[:120]}")


def versions() -> str:
    """Versions of the extractors (Tesseract's for Baggrund's OCR)."""
    poppler = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True, check=False)
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    pdfium = subprocess.run(
        [sys.executable, "-c", "import pypdfium2; print(pypdfium2.PDFIUM_INFO)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        f"pypdf {metadata.version('pypdf')}, pypdfium2 {metadata.version('pypdfium2')} "
        f"(PDFium {pdfium.stdout.strip()}), {poppler.stderr.splitlines()[0]}, "
        f"{(tesseract.stdout or tesseract.stderr).splitlines()[0]}"
    )


def dump_texts(folder: Path, record: dict) -> None:
    """Each extractor's text of one file as FOLDER/<label>.<extractor>.txt, pages
    separated by form feeds, to read side by side."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, result in record["results"].items():
        if result["outcome"] == "ok":
            target = folder / f"{record['label'].replace(':', '_')}.{name}.txt"
            target.write_text("\f\n".join(result["texts"]), encoding="utf-8")


def write_json(path: str, records: list[dict], totals: dict, duplicates: list, args) -> None:
    """The raw figures without the page texts."""
    for record in records:
        for result in record["results"].values():
            result.pop("texts", None)
    data = {
        "versions": versions(),
        "reference": "medoid: highest mean word F1 against the other successful extractors",
        "limits": {"cpu": args.cpu, "memory_mib": args.memory, "timeout": args.timeout},
        "duplicates_skipped": duplicates,
        "files": records,
        "totals": totals,
    }
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False))
    print(f"\nraw figures written to {path}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, help="folder of PDFs (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="files whose path has NAME")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall seconds a child (60)")
    parser.add_argument("--cpu", type=int, default=60, help="RLIMIT_CPU seconds a child (60)")
    parser.add_argument("--memory", type=int, default=1024, help="RLIMIT_AS MiB a child (1024)")
    parser.add_argument("--baggrund-timeout", type=float, default=300.0, help="wall s (300)")
    parser.add_argument("--extractors", default=",".join(ALL), help="comma-separated")
    parser.add_argument("--keep-duplicates", action="store_true", help="run identical files twice")
    parser.add_argument("--json", metavar="PATH", help="write the raw figures here")
    parser.add_argument("--dump", metavar="DIR", type=Path, help="write every text here")
    args = parser.parse_args()
    args.extractors = [name.strip() for name in args.extractors.split(",") if name.strip()]
    unknown = set(args.extractors) - set(ALL)
    if unknown:
        parser.error(f"unknown extractors: {', '.join(sorted(unknown))}")
    return args


def main() -> int:
    args = parse_args()
    corpora = args.corpus or DEFAULT_CORPORA
    files, duplicates = find_files(corpora, args.only, args.keep_duplicates)
    print(f"extractors      {versions()}")
    print(f"corpora         {', '.join(str(corpus) for corpus in corpora)}")
    print(f"files           {len(files)} ({len(duplicates)} byte-identical copies skipped)")
    limits = f"RLIMIT_CPU {args.cpu} s, RLIMIT_AS {args.memory} MiB, wall {args.timeout} s"
    limits += f" (baggrund: the library's caps, wall {args.baggrund_timeout:.0f} s)"
    print(f"limits          {limits}")
    print(f"reference       per file, of {', '.join(EXTRACTORS)} (ties in that order), the one")
    print("                with the highest mean word F1 against the other successful ones (the")
    print(f"                medoid, marked *); {', '.join(JUDGED)} is scored against it, never it")
    print("cells           outcome, seconds to open and extract, word F1 against the reference")
    print("                (o: Baggrund read pages by OCR, which the others have no words for)")
    started = time.perf_counter()
    print_header(args.extractors)
    records = []
    for label, path, expected in files:
        record = run_file(label, path, expected, args)
        print_row(label, record, args.extractors)
        if args.dump:
            dump_texts(args.dump, record)
        records.append(record)
    totals = print_totals(records, args.extractors)
    print_pairwise(records, args.extractors)
    print_problems(records, args.extractors)
    print_notes(records, args.extractors)
    for label, first in duplicates:
        print(f"skipped {label}: same bytes as {first}")
    print(f"\nwhole run {time.perf_counter() - started:.1f} s")
    if args.json:
        write_json(args.json, records, totals, duplicates, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
