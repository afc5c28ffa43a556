"""Read a PDF's text page by page in a child process with hard limits, OCR for scans.

Run as `python -m library.ingest.pdf_child` with the PDF on standard input. Prints one
JSON object on success:
    {"pages": [text per page], "ocr_pages": [...], "unread_pages": [...], "title": ...}
Each page's text has a line per printed line and a blank line between paragraphs.
On failure it exits 2 (3 for memory) with one JSON line on standard error,
{"code": ..., params}, that the parent (library.ingest.formats.pdf) turns into words.

The text layer is read with PDFium (pypdfium2): in the order the file writes it, which
is the reading order of columns, with every line-end hyphen marked (the parent decides
which to join). Lines and paragraphs come from PDFium's text rectangles. A page
without a text layer is rendered and read by Tesseract. This process caps its own
address space and CPU time before it imports PDFium, and the Tesseract it starts
inherits the caps; the parent adds a wall-clock limit, so a hostile or broken PDF
cannot take the server down with it. No Django here: the module sits outside
library.ingest.formats so that starting it imports nothing before the caps.
"""

import itertools
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

# PDFium's marks in extracted text: a hyphen at a line's end, and generated breaks.
_LINE_END_HYPHENS = ("\x02", "\ufffe", "\u00ad")


class _Refused(Exception):
    """A reason the PDF is refused: a code and its parameters, for the parent to word."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.payload = {"code": code, **params}


def _lines(textpage) -> list[tuple[float, float, float, float, str]]:
    """(left, bottom, right, top, text) per printed line, in the file's order; text
    rectangles on one baseline (a change of font) are one line."""
    lines: list[list] = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top).strip("\r\n")
        for mark in _LINE_END_HYPHENS:
            text = text.replace(mark, "-")
        if not text.strip():
            continue
        if lines and abs(lines[-1][1] - bottom) < 2 and left >= lines[-1][2] - 1:
            gap = " " if left - lines[-1][2] > 1 else ""
            lines[-1][2], lines[-1][3] = right, max(top, lines[-1][3])
            lines[-1][4] += gap + text
        else:
            lines.append([left, bottom, right, top, text])
    return [tuple(line) for line in lines]


def _page_text(textpage) -> str:
    """A page's lines, with a blank line where a paragraph ends: more space above a line
    than the page's usual line pitch, a jump up the page (the next column), or an
    indented first line."""
    lines = _lines(textpage)
    heights = sorted(top - bottom for _l, bottom, _r, top, _t in lines) or [0.0]
    height = heights[len(heights) // 2]
    pitches = sorted(
        p[1] - c[1] for p, c in itertools.pairwise(lines) if 0 < p[1] - c[1] < 4 * height
    )
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    out: list[str] = []
    for previous, line in zip([None, *lines], lines, strict=False):
        if previous is not None:
            down = previous[1] - line[1]  # baseline to baseline
            if (
                down > 1.3 * pitch + 0.5
                or line[3] > previous[3] + height  # up the page: the next column, a box
                or (0 < down <= 1.3 * pitch + 0.5 and line[0] > previous[0] + 1.5 * height)
            ):
                out.append("")
        out.append(line[4])
    return "\n".join(out)


def _ocr(page, number: int, workdir: Path, timeout: float) -> str:
    """Tesseract's reading of one rendered page ('' when it finds no text)."""
    image = workdir / f"page-{number}.png"
    dpi = int(os.environ.get("BAGGRUND_OCR_DPI", "300"))
    page.render(scale=dpi / 72, grayscale=True).to_pil().save(image)
    languages = os.environ.get("BAGGRUND_OCR_LANGUAGES", "dan+nor+eng+swe+deu")
    # psm 4: one column of text of varying sizes, read row by row, so that a cover
    # sheet's label and value on one row stay on one line.
    try:
        proc = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", languages, "--psm", "4"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _Refused("timeout", seconds=int(timeout)) from exc
    except FileNotFoundError as exc:
        raise _Refused("missing_tool", tool="tesseract") from exc
    finally:
        image.unlink(missing_ok=True)
    return proc.stdout.decode("utf-8", errors="replace") if proc.returncode == 0 else ""


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _Refused("encrypted") from exc
        said = re.search(r"\((PDFium: [^)]*)\)", str(exc))
        raise _Refused("unreadable", detail=(said.group(1) if said else str(exc))[:300]) from exc


def extract(data: bytes, max_pages: int, timeout: float, ocr: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="baggrund-pdf-") as tmp:
        workdir = Path(tmp)
        path = workdir / "in.pdf"
        path.write_bytes(data)
        document = _open(path)
        count = len(document)
        if count == 0:
            raise _Refused("no_pages")
        if count > max_pages:
            raise _Refused("too_many_pages", count=count, limit=max_pages)
        pages, ocr_pages, unread = [], [], []
        for number in range(1, count + 1):
            page = document[number - 1]
            text = _page_text(page.get_textpage())
            if not text.strip() and ocr:
                text = _ocr(page, number, workdir, timeout)
                if text.strip():
                    ocr_pages.append(number)
            if not text.strip():
                unread.append(number)
            pages.append(text)
        title = (document.get_metadata_dict().get("Title") or "").strip() or None
    return {"pages": pages, "ocr_pages": ocr_pages, "unread_pages": unread, "title": title}


def limit_resources() -> None:
    """Cap this process's address space and CPU time (and its programs') before reading."""
    memory = int(os.environ.get("BAGGRUND_PDF_MEMORY_BYTES", str(1024**3)))
    cpu = int(os.environ.get("BAGGRUND_PDF_CPU_SECONDS", "120"))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def main() -> int:
    limit_resources()
    data = sys.stdin.buffer.read()
    try:
        result = extract(
            data,
            max_pages=int(os.environ.get("BAGGRUND_PDF_MAX_PAGES", "3000")),
            timeout=float(os.environ.get("BAGGRUND_PDF_WALL_SECONDS", "900")),
            ocr=os.environ.get("BAGGRUND_OCR", "1") != "0",
        )
    except _Refused as exc:
        print(json.dumps(exc.payload), file=sys.stderr)
        return 2
    except MemoryError:
        print(json.dumps({"code": "memory"}), file=sys.stderr)
        return 3
    except Exception as exc:  # this process exists to report any failure, whatever it is
        detail = f"{type(exc).__name__}: {exc}"[:300]
        print(json.dumps({"code": "unreadable", "detail": detail}), file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
