"""Time, peak memory and write transaction of ingesting a file of very many short paragraphs.

    .venv/bin/python bench/many_paragraphs.py                  # 200,000 paragraphs, 7 MB
    .venv/bin/python bench/many_paragraphs.py --mib 7 50       # and 50 MiB (about 1.4M)

The production issue's second probe: a 7 MB .txt of 200,000 short paragraphs took over
ten minutes. Each file here is the board header of seed 863 (a new number), then short
paragraphs of 3-8 words cut in turn from the seeds' Danish, Norwegian and English
sentences (so tagging and language detection have real words to read), about 35
characters each, up to the size. Each file, and the small seed before them, is
ingested by `manage.py ingest` alone in a child process on a throwaway SQLite database
(long_paragraph_memory.run_ingest): wall time, peak RSS (RUSAGE_CHILDREN), its excess
over the small file per byte of the file (target <= 10x), the longest write transaction
(SQLite's busy timeout is 20 s) and when each ingest phase began. Time per paragraph
that grows with the file's size would show as a rising `ms/1k` column.
"""

import argparse
import itertools
import os
import random
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.long_paragraph_memory import (
    MIB,
    PRODUCTION_HELP,
    ROOT,
    SEED,
    SMALL,
    header,
    print_row,
    run_ingest,
    seed_body,
)

WORDS_LOW, WORDS_HIGH = 3, 8


def _sentences() -> list[list[str]]:
    """The seeds' longer lines, as word lists (Danish, Norwegian, English)."""
    found = []
    for path in sorted((ROOT / "seeds").glob("00*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) > 8 and "\t" not in line and not line.startswith(" date"):
                found.append(words)
    return found


def many_file(folder: Path, size: int, paragraphs: int | None = None) -> tuple[Path, int]:
    """(path, paragraphs): the seed's header, then short paragraphs up to `size` bytes
    in all (or exactly `paragraphs` of them)."""
    head, _body = seed_body()
    rng = random.Random(863)
    words = itertools.cycle(itertools.chain.from_iterable(_sentences()))
    pieces, written, count = [], len(head.encode()) + 2, 0
    while paragraphs is None or count < paragraphs:
        paragraph = " ".join(next(words) for _ in range(rng.randint(WORDS_LOW, WORDS_HIGH)))
        written += len(paragraph.encode()) + 2
        if paragraphs is None and written > size:
            break
        pieces.append(paragraph)
        count += 1
    path = folder / f"many-{count}p.txt"
    path.write_text(
        head.replace("863", "9863") + "\n\n" + "\n\n".join(pieces) + "\n", encoding="utf-8"
    )
    return path, count


def main() -> None:
    """One row for the small seed, then one per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--paragraphs", type=int, default=200_000, help="the first file: this many paragraphs"
    )
    parser.add_argument("--mib", type=float, nargs="*", default=[], help="then files of N MiB")
    parser.add_argument("--production", action="store_true", help=PRODUCTION_HELP)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / SEED.name
        small.write_bytes(SMALL.read_bytes())
        base = run_ingest(small, folder, production=args.production)
        header()
        print_row("small seed", "", base, 0, base)
        files = [many_file(folder, 0, args.paragraphs)] if args.paragraphs else []
        files += [many_file(folder, int(mib * MIB)) for mib in args.mib]
        for path, count in files:
            size = path.stat().st_size
            run = run_ingest(path, folder, production=args.production)
            label = f"{size / MIB:.1f} MiB, {count:,} p."
            print_row(label, f"{run.seconds * 1e6 / count:.1f} ms/1k", run, size, base)
            path.unlink()
    print(f"(one child at a time; RUSAGE_CHILDREN peak; {os.cpu_count()} cores)", file=sys.stderr)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
