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


class _Refused(Exception):
    """A reason the PDF is refused: a code and its parameters, for the parent to word."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.payload = {"code": code, **params}


def _chars(textpage):
    """(character, baseline, box) for each character PDFium has for the page, in the
    file's order; box is None for a space or a character PDFium generated (a space
    for a gap, a line break). A line-end hyphen PDFium marks (U+FFFE, \\x02, a soft
    hyphen) is given as "-" for the parent to decide."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    handle = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    high = 0  # a pending UTF-16 high surrogate
    for index in range(pdfium_c.FPDFText_CountChars(handle)):
        unit = pdfium_c.FPDFText_GetUnicode(handle, index)
        if 0xD800 <= unit <= 0xDBFF:
            high = unit
            continue
        if 0xDC00 <= unit <= 0xDFFF:
            char = chr(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)) if high else ""
            high = 0
        else:
            char = "-" if unit in (0x02, 0xFFFE, 0xAD) else chr(unit)
        if not char.strip() or pdfium_c.FPDFText_IsGenerated(handle, index):
            yield char, 0.0, None
            continue
        pdfium_c.FPDFText_GetCharBox(handle, index, left, right, bottom, top)
        pdfium_c.FPDFText_GetCharOrigin(handle, index, x, y)
        yield char, y.value, (left.value, bottom.value, right.value, top.value)


def _lines(textpage) -> list[tuple[float, float, float, float, str]]:
    """(left, baseline, right, top, text) per printed line, in the file's order: PDFium's
    own line breaks and spaces, each character once, and a new line wherever a
    character sits below the line or above its top and back to the left (PDFium writes
    no break after a hyphenated line end, nor always between lines; text set vertically
    or right to left stays one line)."""
    lines: list[tuple[float, float, float, float, str]] = []
    chars: list[str] = []
    box: list[float] | None = None
    last_left = 0.0

    def flush() -> None:
        nonlocal chars, box
        text = "".join(chars).strip()
        if text and box is not None:
            lines.append((box[0], box[1], box[2], box[3], text))
        chars, box = [], None

    for char, baseline, char_box in _chars(textpage):
        if char == "\n":
            flush()
            continue
        if char == "\r":
            continue
        if char_box is not None:
            height = max(char_box[3] - char_box[1], 1.0)
            jumped = box is not None and (baseline < box[1] - 0.6 * height or baseline > box[3])
            width = max(char_box[2] - char_box[0], 1.0)
            if jumped and char_box[0] < last_left - 2 * width:  # down or up, and back left
                flush()
            last_left = char_box[0]
            if box is None:
                box = [char_box[0], baseline, char_box[2], char_box[3]]
            else:
                box = [
                    min(box[0], char_box[0]),
                    min(box[1], baseline),
                    max(box[2], char_box[2]),
                    max(box[3], char_box[3]),
                ]
        chars.append(char)
    flush()
    return lines


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
                or (0 < down <= 1.3 * pitch + 0.5 and line[0] > previous[0] + 0.8 * height)
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
