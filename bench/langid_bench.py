"""Which language detector should Baggrund use on passages? A benchmark on UD treebanks.

    .venv/bin/python bench/langid_bench.py                        # everything, dev + test
    .venv/bin/python bench/langid_bench.py --limit 50             # 50 units a language, quick
    .venv/bin/python bench/langid_bench.py --json /tmp/langid.json --only lingua-6-high baggrund

Needs `.venv/bin/pip install lingua-language-detector py3langid`. Reads the Universal
Dependencies dev and test files under ../shared/corpora/langid-ud (`--corpus`): Danish
DDT, Norwegian Bokmål and Nynorsk, Swedish Talbanken, English EWT, German GSD, and never
copies them. Sentences are the `# text = ` lines; a document is the run of sentences
after one `# newdoc`. Only EWT and Talbanken mark documents: in the other four each file
is one run in file order (DDT's sentences seem unrelated to their neighbours, so its
passages are runs of unrelated Danish sentences). Units per language:

  sentence  every sentence with at least one letter;
  passage   non-overlapping runs of 3 consecutive sentences of one document, joined
            with a space (a document's last 1-2 sentences make no passage);
  document  non-overlapping runs of 15 consecutive sentences of one document, and a
            whole document when it has fewer than 15 (the leftover <15 of a longer
            one is dropped). Many EWT documents are 1-5 sentence reviews and e-mails.

`--limit N` keeps N units per language and size, spread evenly over the file.

Detectors (bench/langid_detectors.py), all mapped to Baggrund's codes (py3langid's 'no'
-> nb): lingua restricted to da nb nn sv en de (and + fr) in high- and low-accuracy
mode, py3langid restricted the same way, Baggrund's marker-word detect_language (read
from library/ingest/language.py as committed at `--baggrund-rev`, default 5ede10b, the
last commit that changed the marker-word version), and one combination: lingua-6-high
and py3langid-6 scores mixed, a da/nb tie rule with Baggrund's marker words and a
short-text 'und' rule, whose figures are chosen on dev only (bench/langid_tuning.py)
and then run on test untouched: "mix" without the short-text rule; "lingua+und",
"py3langid+und" and "mix+und" with it.

Per detector, split, size and language: accuracy, share 'und', da->nb, nb->da,
nb->nn and nn->nb in %; per detector and size the median time per unit, CPU time of
the process and wall time, each the best of `--repeat` calls (3) after the answered
one (the machine is shared: CPU time is the steadier figure); per detector, load time
(import + building the models) and memory (VmRSS after loading and one detection, and
the peak VmHWM; not ru_maxrss, which a child started by fork + exec inherits from its
parent on Linux) in a child process of its own (`--probe NAME`, run twice). `--json PATH`
writes it all, with the first wrong answers of each cell.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import langid_detectors as detectors  # noqa: E402
import langid_tuning as tuning  # noqa: E402

CORPUS = BENCH.parent.parent / "shared" / "corpora" / "langid-ud"
TREEBANKS = {
    "da": ("UD_Danish-DDT", "da_ddt"),
    "nb": ("UD_Norwegian-Bokmaal", "no_bokmaal"),
    "nn": ("UD_Norwegian-Nynorsk", "no_nynorsk"),
    "sv": ("UD_Swedish-Talbanken", "sv_talbanken"),
    "en": ("UD_English-EWT", "en_ewt"),
    "de": ("UD_German-GSD", "de_gsd"),
}
SPLITS = ("dev", "test")
SIZES = ("sentence", "passage", "document")
TARGETS = {"sentence": 0.95, "passage": 0.99, "document": 1.0}
CONFUSIONS = (("da", "nb"), ("nb", "da"), ("nb", "nn"), ("nn", "nb"))
MAX_DANB = 0.01
EXAMPLES = 5
BAGGRUND_REV = "5ede10b"  # library/ingest/language.py, marker words, as last changed


def read_documents(path):
    """The sentences of a .conllu file, grouped by `# newdoc` (one group if none)."""
    documents, current = [], []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# newdoc") and current:
                documents.append(current)
                current = []
            elif line.startswith("# text = "):
                current.append(line[len("# text = ") :].strip())
    if current:
        documents.append(current)
    return documents


def units_of(documents):
    """Sentences, 3-sentence passages and 15-sentence documents (see the docstring)."""
    sentences = [s for doc in documents for s in doc if any(c.isalpha() for c in s)]
    passages, docs = [], []
    for doc in documents:
        passages += [" ".join(doc[i : i + 3]) for i in range(0, len(doc) - 2, 3)]
        if len(doc) < 15:
            docs.append(" ".join(doc))
        else:
            docs += [" ".join(doc[i : i + 15]) for i in range(0, len(doc) - 14, 15)]
    return {"sentence": sentences, "passage": passages, "document": docs}


def spread(items, limit):
    """`limit` items spread evenly over the list (all of them without a limit)."""
    if not limit or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def load_units(corpus, limit):
    """{split: {size: {language: [text, ...]}}}."""
    units = {split: {size: {} for size in SIZES} for split in SPLITS}
    for lang, (folder, stem) in TREEBANKS.items():
        for split in SPLITS:
            by_size = units_of(read_documents(corpus / folder / f"{stem}-ud-{split}.conllu"))
            for size in SIZES:
                units[split][size][lang] = spread(by_size[size], limit)
    return units


def timed(detector, text, repeat):
    """The best of `repeat` calls: (wall seconds, CPU seconds of this process)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        detector.detect(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return min(wall), min(cpu)


def run(detector, units, repeat):
    """Answers, scores and times of one detector on every unit: same shape as units."""
    out = {}
    for split in SPLITS:
        for size in SIZES:
            for lang, texts in units[split][size].items():
                cell = {"answers": [], "scores": [], "wall": [], "cpu": []}
                out.setdefault(split, {}).setdefault(size, {})[lang] = cell
                for text in texts:
                    code, scores = detector.detect(text)
                    cell["answers"].append(code)
                    cell["scores"].append(scores)
                    wall, cpu = timed(detector, text, repeat)
                    cell["wall"].append(wall)
                    cell["cpu"].append(cpu)
    return out


def cell_figures(lang, texts, cell):
    """Accuracy, 'und', confusions and wrong examples of one language's units."""
    answers = Counter(cell["answers"])
    n = len(texts)
    wrong = [
        {"text": text[:300], "answer": answer}
        for text, answer in zip(texts, cell["answers"], strict=True)
        if answer not in (lang, detectors.UND)
    ]
    return {
        "n": n,
        "accuracy": answers[lang] / n if n else 0.0,
        "und": answers[detectors.UND] / n if n else 0.0,
        "answers": dict(answers.most_common()),
        "confusion": {f"{a}>{b}": answers[b] / n for a, b in CONFUSIONS if a == lang},
        "wrong_examples": wrong[:EXAMPLES],
    }


def figures(units, results):
    """{split: {size: {"languages": {lang: cell figures}, "median_cpu_ms": ...}}}."""
    out = {}
    for split in SPLITS:
        for size in SIZES:
            cells = results[split][size]
            row = out.setdefault(split, {})[size] = {
                "languages": {
                    lang: cell_figures(lang, units[split][size][lang], cell)
                    for lang, cell in cells.items()
                },
            }
            for clock in ("wall", "cpu"):
                seconds = [s for cell in cells.values() for s in cell[clock]] or [0.0]
                row[f"median_{clock}_ms"] = 1000 * statistics.median(seconds)
                row[f"mean_{clock}_ms"] = 1000 * statistics.fmean(seconds)
    return out


def misses(size, row):
    """The languages (and confusions) of one row that miss the project's targets."""
    langs = row["languages"]
    out = [lang for lang, f in langs.items() if f["accuracy"] < TARGETS[size] - 1e-9]
    danb = [langs["da"]["confusion"]["da>nb"], langs["nb"]["confusion"]["nb>da"]]
    if max(danb) > MAX_DANB:
        out.append("da/nb")
    return out


def table(split, units, by_detector, probes):
    """The readable table of one split: cells are accuracy % / 'und' %."""
    langs = list(TREEBANKS)
    counts = "  ".join(
        f"{size}s " + "/".join(str(len(units[split][size][lang])) for lang in langs)
        for size in SIZES
    )
    head = f"{'detector':<14}{'unit':<9}" + "".join(f"{lang:>9}   " for lang in langs)
    head += (
        "".join(f"{a + '>' + b:>7}" for a, b in CONFUSIONS) + f"{'cpu ms':>8}{'wall ms':>8}  misses"
    )
    lines = [f"== {split}: accuracy % / 'und' % ({counts}; {'/'.join(langs)})", head]
    for name, figs in by_detector.items():
        for size in SIZES:
            row = figs[split][size]
            cells = row["languages"]
            line = f"{name:<14}{size:<9}" + "".join(
                f"{100 * cells[lang]['accuracy']:>6.1f}/{100 * cells[lang]['und']:<5.1f}"
                for lang in langs
            )
            line += "".join(
                f"{100 * cells[a]['confusion'][f'{a}>{b}']:>7.1f}" for a, b in CONFUSIONS
            )
            line += f"{row['median_cpu_ms']:>8.3f}{row['median_wall_ms']:>8.3f}  "
            line += ",".join(misses(size, row)) or "-"
            lines.append(line)
    lines.append("")
    lines.append(f"{'detector':<14}{'load s':>8}{'RSS MiB':>9}{'max RSS':>9}{'- baseline':>12}")
    for name, probe in probes.items():
        lines.append(
            f"{name:<14}{probe['load_s']:>8.2f}{probe['rss_mib']:>9.0f}"
            f"{probe['max_rss_mib']:>9.0f}{probe['rss_mib'] - probe['baseline_mib']:>12.0f}"
        )
    return "\n".join(lines)


def status_mib(field):
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def probe(name):
    """In a fresh child: load one detector, detect once, print time and memory as JSON."""
    combination = name.startswith("{")
    detector = tuning.Combined(json.loads(name)) if combination else detectors.make(name)
    baseline = status_mib("VmRSS")
    start = time.perf_counter()
    detector.load()
    loaded = time.perf_counter() - start
    detector.detect("Udlændingenævnet har stadfæstet afgørelsen.")
    print(
        json.dumps(
            {
                "load_s": loaded,
                "baseline_mib": baseline,
                "rss_mib": status_mib("VmRSS"),
                "max_rss_mib": status_mib("VmHWM"),
            }
        )
    )


def probe_child(name):
    """Run `probe` twice, each in a child process, so that each detector's memory is its
    own; the load time is the faster of the two (the second reads a warm page cache).

    `name` is a detector's name, or the combination's figures as JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--probe", name]
    command += ["--baggrund-rev", detectors.Baggrund.rev]
    runs = []
    for _ in range(2):
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["load_s"])
    return {**best, "load_s_each": [r["load_s"] for r in runs]}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="units per language and size")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per unit (best)")
    parser.add_argument("--only", nargs="+", choices=detectors.NAMES, help="these detectors")
    parser.add_argument(
        "--baggrund-rev", default=BAGGRUND_REV, help="commit of Baggrund's detector"
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = arguments()
    detectors.Baggrund.rev = args.baggrund_rev
    if args.probe:
        probe(args.probe)
        return
    units = load_units(args.corpus, args.limit)
    by_detector, probes, raw = {}, {}, {}
    for name in args.only or detectors.NAMES:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        probes[name] = probe_child(name)
        detector = detectors.make(name)
        detector.load()
        raw[name] = run(detector, units, args.repeat)
        by_detector[name] = figures(units, raw[name])
        del detector
    tuned = None
    if {"lingua-6-high", "py3langid-6"} <= raw.keys():
        print("tuning the combination on dev ...", file=sys.stderr, flush=True)
        tuned = tuning.tune(units, raw)
        for name, params in tuned["variants"].items():
            probes[name] = probe_child(json.dumps(params))
            combined = tuning.Combined(params)
            combined.load()
            by_detector[name] = figures(units, run(combined, units, args.repeat))
        print(tuning.report(tuned), "\n")
    print(f"baggrund = detect_language at {detectors.commit_of(args.baggrund_rev)}\n")
    for split in SPLITS:
        print(table(split, units, by_detector, probes), "\n")
    if args.json:
        report = {
            "limit": args.limit,
            "repeat": args.repeat,
            "baggrund_commit": detectors.commit_of(args.baggrund_rev),
            "figures": by_detector,
            "probes": probes,
            "tuning": tuned,
        }
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
