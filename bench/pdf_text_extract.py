"""Child process of bench/pdf_text_bench.py: one extractor on one PDF, under hard limits.

    .venv/bin/python bench/pdf_text_extract.py pypdf FILE.pdf --cpu 60 --memory 1073741824
    .venv/bin/python bench/pdf_text_extract.py pdfium FILE.pdf
    .venv/bin/python bench/pdf_text_extract.py pdftotext FILE.pdf
    .venv/bin/python bench/pdf_text_extract.py baggrund FILE.pdf

Sets RLIMIT_CPU and RLIMIT_AS on itself first (no `preexec_fn` in the parent; the
pdftotext grandchild inherits both), then imports the extractor, opens the file (with
the empty password when it is encrypted) and prints one JSON object on standard output:
{"outcome": "ok", "pages": N, "seconds": S, "texts": [...], "note": "..."} (note: which
password the empty one matched, for pypdf; pdftotext's warnings; Baggrund's OCR pages
and notes; Baggrund adds "ocr_pages") or {"outcome": "encrypted-needs-password" |
"unreadable" | "memory" | "timeout" | "crashed", "error": "..."}. `seconds` is the time
to open the file and extract every page, without the start-up of Python and the import
of the library.

"baggrund" is Baggrund's own reader: `python -m library.ingest.pdf_child` (PDFium,
Tesseract for pages without text) with the environment, working directory and wall
limit library.ingest.formats.pdf gives it (`_child_env()`, so the library's own caps
from config.settings, not --cpu/--memory, which this process then does not set: the
child could not raise them back), then the parent's processing of its pages
(`_join_pages`: clean_text, Hyphens over all pages, unwrap_page, the cover sheet) and
refusal messages (`_refusal`), imported from the project with Django set up on
config.settings. Its `seconds` include starting that child (Python and PDFium, about a
tenth of a second a file). The other extractors import nothing from the project.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENCRYPTED = "encrypted-needs-password"
UNREADABLE = "unreadable"


class Refused(Exception):
    """The extractor would not give the text: an outcome and the error behind it."""

    def __init__(self, outcome: str, error: str):
        super().__init__(error)
        self.outcome = outcome
        self.error = error


def extract_pypdf(path: str) -> tuple[list[str], str]:
    """Plain-mode text of every page with pypdf, as the project's PDF child reads it."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = PdfReader(path, strict=False)
    note = ""
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (FileNotDecryptedError, NotImplementedError, DependencyError) as exc:
            raise Refused(ENCRYPTED, f"{type(exc).__name__}: {exc}") from exc
        if not opened:
            raise Refused(ENCRYPTED, "the empty password does not open it")
        note = f"the empty password is its {opened.name.lower().replace('_', ' ')}"
    try:
        return [page.extract_text() or "" for page in reader.pages], note
    except FileNotDecryptedError as exc:
        raise Refused(ENCRYPTED, f"{type(exc).__name__}: {exc}") from exc


def extract_pdfium(path: str) -> tuple[list[str], str]:
    """Text of every page with PDFium (pypdfium2); PDFium tries the empty password itself."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path, password=None)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise Refused(ENCRYPTED, str(exc)) from exc
        raise
    texts = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return texts, ""


def extract_pdftotext(path: str, cpu: int) -> tuple[list[str], str]:
    """poppler's pdftotext, default reading order, whole file, pages split on form feeds."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        timeout=cpu * 2,
        check=False,
    )
    errors = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        if "password" in errors.lower():
            raise Refused(ENCRYPTED, errors[-300:])
        if "out of memory" in errors.lower() or "bad_alloc" in errors:
            raise MemoryError(errors[-300:])
        raise Refused(UNREADABLE, f"exit {done.returncode}: {errors[-300:]}")
    text = done.stdout.decode("utf-8", "replace")
    pages = text.split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    warnings = errors.splitlines()
    if not pages:  # pdftotext exits 0 with no output when it finds no page tree
        raise Refused(UNREADABLE, f"no pages; {len(warnings)} warnings: {errors[:200]}")
    note = f"{len(warnings)} warnings, first: {warnings[0][:100]}" if warnings else ""
    return pages, note


def setup_baggrund() -> None:
    """Django on config.settings (formats.pdf reads its limits there), messages in English."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")
    import library.ingest.formats.pdf  # noqa: F401  (imported before the clock starts)


# pdf_child's refusal codes (exit 2 or 3, JSON on stderr) as this benchmark's outcomes.
CHILD_OUTCOMES = {"encrypted": ENCRYPTED, "memory": "memory", "timeout": "timeout"}


def baggrund_outcome(proc: subprocess.CompletedProcess) -> str:
    """The outcome of a failed pdf_child run, from its exit status and refusal code."""
    if proc.returncode < 0:
        return "timeout" if -proc.returncode == signal.SIGXCPU else "crashed"
    if proc.returncode == 3:
        return "memory"
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    try:
        code = json.loads(lines[-1]).get("code") if lines else None
    except (ValueError, AttributeError):
        return "crashed"  # a traceback, not a refusal
    return CHILD_OUTCOMES.get(code, UNREADABLE)


def extract_baggrund(path: str) -> tuple[list[str], str, dict]:
    """Baggrund's text per page: its PDF child, then read_pdf's processing of the pages;
    and the pages it read by OCR ({"ocr_pages": [...]}, 1-based)."""
    from django.conf import settings

    from library.ingest.formats.base import ExtractError
    from library.ingest.formats.pdf import _child_env, _join_pages, _refusal

    proc = subprocess.run(
        [sys.executable, "-m", "library.ingest.pdf_child"],
        input=Path(path).read_bytes(),
        capture_output=True,
        timeout=settings.BAGGRUND_PDF_WALL_SECONDS + 10,
        cwd=settings.BASE_DIR,
        env=_child_env(),
        check=False,
    )
    if proc.returncode != 0:
        raise Refused(baggrund_outcome(proc), str(_refusal(proc)))
    payload = json.loads(proc.stdout.decode("utf-8"))
    try:
        extracted = _join_pages(payload)
    except ExtractError as exc:
        raise Refused(UNREADABLE, f"{exc} ({len(payload['pages'])} pages)") from exc
    ends = [start - 2 for start in extracted.page_starts[1:]] + [len(extracted.text)]
    texts = [extracted.text[a:b] for a, b in zip(extracted.page_starts, ends, strict=True)]
    notes = [f"OCR p. {extracted.ocr_pages}"] if extracted.ocr_pages else []
    notes += [f"unread p. {extracted.unread_pages}"] if extracted.unread_pages else []
    return texts, "; ".join(notes + extracted.notes), {"ocr_pages": extracted.ocr_pages}


def run(extractor: str, path: str, cpu: int) -> dict:
    """Extract and time one file; every failure becomes an outcome with its error."""
    if extractor == "baggrund":
        setup_baggrund()
        function = extract_baggrund
    elif extractor == "pypdf":
        import pypdf  # noqa: F401  (imported before the clock starts)

        function = extract_pypdf
    elif extractor == "pdfium":
        import pypdfium2  # noqa: F401

        function = extract_pdfium
    else:

        def function(name: str) -> tuple[list[str], str]:
            return extract_pdftotext(name, cpu)

    start = time.perf_counter()
    try:
        texts, note, *extra = function(path)
    except Refused as exc:
        return {"outcome": exc.outcome, "error": exc.error}
    except MemoryError as exc:
        return {"outcome": "memory", "error": f"MemoryError: {exc}"[:300]}
    except RecursionError:
        return {"outcome": UNREADABLE, "error": "RecursionError: nesting too deep"}
    except Exception as exc:  # the child exists to report any failure, whatever it is
        return {"outcome": UNREADABLE, "error": f"{type(exc).__name__}: {exc}"[:300]}
    seconds = time.perf_counter() - start
    if not texts:
        return {"outcome": UNREADABLE, "error": "the document has no pages"}
    result = {"outcome": "ok", "pages": len(texts), "seconds": seconds, "texts": texts}
    return result | ({"note": note} if note else {}) | (extra[0] if extra else {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extractor", choices=["pypdf", "pdfium", "pdftotext", "baggrund"])
    parser.add_argument("path")
    parser.add_argument("--cpu", type=int, default=60, help="RLIMIT_CPU seconds")
    parser.add_argument("--memory", type=int, default=1024**3, help="RLIMIT_AS bytes")
    args = parser.parse_args()
    if args.extractor != "baggrund":  # Baggrund's child sets the library's own caps
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
        resource.setrlimit(resource.RLIMIT_CPU, (args.cpu, args.cpu + 5))
    result = run(args.extractor, args.path, args.cpu)
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
