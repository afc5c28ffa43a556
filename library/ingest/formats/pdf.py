"""PDF files: text per page, read in a resource-limited child process
(library.ingest.formats.pdf_child), wrapped lines joined into paragraphs."""

import json
import re
import subprocess
import sys

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library.ingest.formats.base import Extracted, ExtractError, normalise_newlines

_PDF_REFUSALS = {
    "encrypted": gettext_lazy("the PDF is encrypted and needs a password"),
    "no_pages": gettext_lazy("the PDF has no pages"),
    "too_many_pages": gettext_lazy("the PDF has %(count)s pages; the limit is %(limit)s"),
    "unreadable": gettext_lazy("the PDF cannot be read (%(detail)s)"),
    "memory": gettext_lazy("the PDF needs more than %(mib)s MiB to read"),
}


def read_pdf(data: bytes) -> Extracted:
    memory = settings.BAGGRUND_PDF_MEMORY_BYTES
    cpu = settings.BAGGRUND_PDF_TIMEOUT_SECONDS

    try:
        proc = subprocess.run(
            [sys.executable, "-m", "library.ingest.formats.pdf_child"],
            input=data,
            capture_output=True,
            timeout=cpu + 10,
            cwd=settings.BASE_DIR,
            # The child caps its own memory and CPU first thing (library.ingest.formats.pdf_child);
            # preexec_fn is not safe in a threaded web server.
            env={
                "BAGGRUND_PDF_MAX_PAGES": str(settings.BAGGRUND_PDF_MAX_PAGES),
                "BAGGRUND_PDF_MEMORY_BYTES": str(memory),
                "BAGGRUND_PDF_CPU_SECONDS": str(cpu),
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(settings.BASE_DIR),
            },
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(
            _("the PDF took longer than %(seconds)s s to read") % {"seconds": cpu + 10}
        ) from exc
    if proc.returncode == 0:
        payload = json.loads(proc.stdout.decode("utf-8"))
        return _join_pages(payload["pages"], payload.get("title"))
    message = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
    if proc.returncode in (2, 3) and message:
        try:
            payload = json.loads(message[-1])
        except ValueError:
            payload = {}
        payload.setdefault("mib", memory // (1024 * 1024))
        if payload.get("code") in _PDF_REFUSALS:
            raise ExtractError(str(_PDF_REFUSALS[payload.pop("code")]) % payload)
    if proc.returncode == 3 or (message and "MemoryError" in message[-1]):
        raise ExtractError(
            _("the PDF needs more than %(mib)s MiB to read") % {"mib": memory // (1024 * 1024)}
        )
    if proc.returncode < 0:
        raise ExtractError(
            _("the PDF needed more than %(seconds)s s of CPU time to read") % {"seconds": cpu}
        )
    detail = message[-1] if message else _("exit status %(code)s") % {"code": proc.returncode}
    raise ExtractError(_("the PDF cannot be read (%(detail)s)") % {"detail": detail})


_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")


def unwrap_page(text: str) -> str:
    """Join a PDF page's wrapped lines into paragraphs separated by blank lines.

    A line ends a paragraph when a blank line follows, or when it ends a sentence and is
    clearly shorter than the page's full lines. A lower-case word hyphenated across a
    line break is joined; a compound's own hyphen is kept.
    """
    lines = [line.strip() for line in normalise_newlines(text).split("\n")]
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
            # "flygt-" + "ninge" is one word broken by the layout; "al-Hol-" + "lejren" is
            # a compound whose hyphen belongs to the text (the fragment has a hyphen or a
            # capital of its own).
            fragment = current.rsplit(None, 1)[-1][:-1]
            hyphen_is_layout = fragment.isalpha() and fragment.islower()
            current = (current[:-1] if hyphen_is_layout else current) + line
        else:
            current = f"{current} {line}"
        if _SENTENCE_END.search(line) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _join_pages(pages: list[str], title: str | None) -> Extracted:
    texts = [unwrap_page(page) for page in pages]
    if not any(t.strip() for t in texts):
        raise ExtractError(
            _("the PDF has no extractable text (a scan needs OCR before it can be ingested)")
        )
    starts: list[int] = []
    parts: list[str] = []
    position = 0
    for text in texts:
        starts.append(position)
        parts.append(text)
        position += len(text) + 2
    return Extracted(kind="pdf", text="\n\n".join(parts), page_starts=starts, title=title or None)
