"""Extract the text of a PDF, page by page, in a child process with hard limits.

Run as `python -m library.pdftext` with the PDF on standard input. Prints a JSON object
{"pages": [...], "title": ...} on success; on failure exits 2 (3 for memory) with one
JSON line on standard error, {"code": ..., params}, that the parent turns into words.
The parent (library.extract) sets CPU, memory and wall-clock limits, so a hostile or
broken PDF cannot take the server down with it.
Only pypdf and the standard library are imported here: no Django.
"""

import io
import json
import os
import resource
import sys


def extract(data: bytes, max_pages: int) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Owner-password-only PDFs open with the empty user password; anything
            # else needs a password Baggrund does not have.
            try:
                if not reader.decrypt(""):
                    raise _Refused("encrypted")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise _Refused("encrypted") from exc
        count = len(reader.pages)
        if count == 0:
            raise _Refused("no_pages")
        if count > max_pages:
            raise _Refused("too_many_pages", count=count, limit=max_pages)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = None
        try:
            meta = reader.metadata
            title = meta.title if meta and meta.title else None
        except Exception:  # metadata is optional; a broken info dict is not fatal
            title = None
    except _Refused:
        raise
    except FileNotDecryptedError as exc:
        raise _Refused("encrypted") from exc
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # this process exists to report any failure, whatever it is
        raise _Refused("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    return {"pages": pages, "title": title}


class _Refused(Exception):
    """A reason the PDF is refused: a code and its parameters, for the parent to word."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.payload = {"code": code, **params}


def limit_resources() -> None:
    """Cap this process's address space and CPU time before it reads anything."""
    memory = int(os.environ.get("BAGGRUND_PDF_MEMORY_BYTES", str(1024**3)))
    cpu = int(os.environ.get("BAGGRUND_PDF_CPU_SECONDS", "120"))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def main() -> int:
    limit_resources()
    data = sys.stdin.buffer.read()
    max_pages = int(os.environ.get("BAGGRUND_PDF_MAX_PAGES", "3000"))
    try:
        result = extract(data, max_pages)
    except _Refused as exc:
        print(json.dumps(exc.payload), file=sys.stderr)
        return 2
    except MemoryError:
        print(json.dumps({"code": "memory"}), file=sys.stderr)
        return 3
    except RecursionError:
        print(json.dumps({"code": "unreadable", "detail": "nesting too deep"}), file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
