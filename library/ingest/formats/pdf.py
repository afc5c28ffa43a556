"""PDF files: text per page (PDFium, and Tesseract for pages without a text layer), read
in a resource-limited child process (library.ingest.pdf_child), then cleaned:
ligatures and control characters, the board's cover sheet read as the header, wrapped
lines joined into paragraphs with line-end hyphens decided (formats.hyphens)."""

import json
import re
import signal
import subprocess
import sys

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library.ingest.formats.base import Extracted, ExtractError, clean_text, removed_note
from library.ingest.formats.cover import split_cover
from library.ingest.formats.hyphens import Hyphens

_PDF_REFUSALS = {
    "encrypted": gettext_lazy("the PDF is protected by a password"),
    "no_pages": gettext_lazy("the PDF has no pages"),
    "too_many_pages": gettext_lazy("the PDF has %(count)s pages; the limit is %(limit)s"),
    "unreadable": gettext_lazy("the PDF cannot be read (%(detail)s)"),
    "memory": gettext_lazy("the PDF needs more than %(mib)s MiB to read"),
    "timeout": gettext_lazy("the PDF took longer than %(seconds)s s to read"),
    "missing_tool": gettext_lazy(
        "the PDF cannot be read here: %(tool)s is not installed (run scripts/setup)"
    ),
}


def _child_env() -> dict[str, str]:
    # The child caps its own memory and CPU first thing (pdf_child.limit_resources);
    # preexec_fn is not safe in a threaded web server.
    return {
        "BAGGRUND_PDF_MAX_PAGES": str(settings.BAGGRUND_PDF_MAX_PAGES),
        "BAGGRUND_PDF_MEMORY_BYTES": str(settings.BAGGRUND_PDF_MEMORY_BYTES),
        "BAGGRUND_PDF_CPU_SECONDS": str(settings.BAGGRUND_PDF_TIMEOUT_SECONDS),
        "BAGGRUND_PDF_WALL_SECONDS": str(settings.BAGGRUND_PDF_WALL_SECONDS),
        "BAGGRUND_OCR": "1" if settings.BAGGRUND_OCR else "0",
        "BAGGRUND_OCR_LANGUAGES": settings.BAGGRUND_OCR_LANGUAGES,
        "BAGGRUND_OCR_DPI": str(settings.BAGGRUND_OCR_DPI),
        # One thread per Tesseract: on a small server, parallel pages beat threads.
        "OMP_THREAD_LIMIT": "1",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(settings.BASE_DIR),
    }


def read_pdf(data: bytes) -> Extracted:
    wall = settings.BAGGRUND_PDF_WALL_SECONDS
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "library.ingest.pdf_child"],
            input=data,
            capture_output=True,
            timeout=wall + 10,
            cwd=settings.BASE_DIR,
            env=_child_env(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(
            _("the PDF took longer than %(seconds)s s to read") % {"seconds": wall + 10}
        ) from exc
    if proc.returncode == 0:
        return _join_pages(json.loads(proc.stdout.decode("utf-8")))
    raise _refusal(proc)


def _refusal(proc: subprocess.CompletedProcess) -> ExtractError:
    memory = settings.BAGGRUND_PDF_MEMORY_BYTES
    cpu = settings.BAGGRUND_PDF_TIMEOUT_SECONDS
    message = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
    if proc.returncode in (2, 3) and message:
        try:
            payload = json.loads(message[-1])
        except ValueError:
            payload = {}
        payload.setdefault("mib", memory // (1024 * 1024))
        if payload.get("code") in _PDF_REFUSALS:
            return ExtractError(str(_PDF_REFUSALS[payload.pop("code")]) % payload)
    if proc.returncode == 3 or (message and "MemoryError" in message[-1]):
        return ExtractError(
            _("the PDF needs more than %(mib)s MiB to read") % {"mib": memory // (1024 * 1024)}
        )
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return ExtractError(
            _("the PDF needed more than %(seconds)s s of CPU time to read") % {"seconds": cpu}
        )
    if proc.returncode < 0:
        # PDFium aborts or faults when an allocation fails under the address-space cap.
        return ExtractError(
            _("the PDF needs more than %(mib)s MiB to read") % {"mib": memory // (1024 * 1024)}
        )
    detail = message[-1] if message else _("exit status %(code)s") % {"code": proc.returncode}
    return ExtractError(_("the PDF cannot be read (%(detail)s)") % {"detail": detail})


_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")


def unwrap_page(text: str, hyphens: Hyphens | None = None) -> str:
    """Join a PDF page's wrapped lines into paragraphs separated by blank lines.

    A line ends a paragraph when a blank line follows, or when it ends a sentence and is
    clearly shorter than the page's full lines. A word hyphenated across a line break is
    joined when `hyphens` (the document's) says the layout broke it; a hyphen that
    belongs to the word is kept.
    """
    hyphens = hyphens or Hyphens([text])
    lines = [line.strip() for line in text.split("\n")]
    full = sorted(len(line) for line in lines if line)
    width = full[int(len(full) * 0.8)] if full else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and line[:1].islower():
            left = current.rsplit(None, 1)[-1][:-1]
            right = re.match(r"[^\W\d_]*", line).group(0)
            current = (current[:-1] if hyphens.joins(left, right) else current) + line
        else:
            current = f"{current} {line}"
        if _SENTENCE_END.search(line) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _join_pages(payload: dict) -> Extracted:
    """The bilag text of a PDF: pages cleaned and unwrapped, the cover read as the header,
    separated by blank lines; page_starts says where each page begins."""
    pages, removed = [], 0
    for page in payload["pages"]:
        cleaned, count = clean_text(page)
        pages.append(cleaned)
        removed += count
    hyphens = Hyphens(pages)
    texts = [unwrap_page(page, hyphens) for page in pages]
    cover = split_cover(pages[0])
    if cover is not None:
        header, rest = cover
        texts[0] = header + ("\n" + unwrap_page(rest, hyphens) if rest.strip() else "")
    body = texts[1:] + ([rest] if cover is not None else texts[:1])
    if not any(t.strip() for t in body):
        raise ExtractError(_no_text_message(payload, cover is not None))
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 2
    return Extracted(
        kind="pdf",
        text="\n\n".join(texts),
        page_starts=starts,
        title=payload.get("title") or None,
        ocr_pages=payload.get("ocr_pages", []),
        unread_pages=payload.get("unread_pages", []),
        notes=removed_note(removed) + _page_notes(payload),
    )


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _page_notes(payload: dict) -> list[str]:
    notes = []
    if payload.get("ocr_pages"):
        notes.append(
            _("read by OCR: page(s) %(pages)s; check quotes against the original")
            % {"pages": _pages(payload["ocr_pages"])}
        )
    if payload.get("unread_pages"):
        notes.append(
            _("no text on page(s) %(pages)s, not even by OCR")
            % {"pages": _pages(payload["unread_pages"])}
        )
    return notes


def _no_text_message(payload: dict, cover: bool) -> str:
    if not settings.BAGGRUND_OCR:
        return _("the PDF has no extractable text (a scan needs OCR before it can be ingested)")
    if cover:
        return _("the PDF holds only the board's cover sheet, no text after it")
    return _("the PDF has no text, and OCR could read none of its %(count)s page(s)") % {
        "count": len(payload["pages"])
    }
