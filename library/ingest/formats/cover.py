"""The board's cover sheet in front of a PDF, read into the board's header shape.

A bilag as the board publishes it starts with a cover sheet: "Flygtningenævnets
baggrundsmateriale", then Bilagsnr., Land, Kilde, Titel, Udgivet and "Optaget på
baggrundsmaterialet" with their values, on page 1 alone or at the top of page 1 above
the source's text. `split_cover` finds it in page 1 (as PDFium or OCR read it) and
returns it as the header lines the board's .txt files have, so that the
same parser, labels, dates and refusals (library.ingest.shapes) apply to both; the rest
of page 1 is the start of the source. The cover never becomes a passage.
"""

import re

from library.ingest.shapes import BOARD_TITLE, HEADER_FIELDS

_FIELD = re.compile(r"^\s*([^\t:\n]{1,60}?)\s*:\s*(.*?)\s*$")
_TITLE_WITHIN = 5  # non-empty lines before the board's title, at most (a logo, a date)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _title_line(lines: list[str]) -> int | None:
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if _squash(line).casefold() == BOARD_TITLE.casefold():
            return index
        seen += 1
        if seen >= _TITLE_WITHIN:
            return None
    return None


def _fields(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """[[label, value], …] from line `start` on, and the index of the first line after.

    A label alone on its line takes the next line as its value (a table read column by
    column); a line right below a value, without a blank line between, continues it (a
    title wrapped on the sheet)."""
    fields: list[list[str]] = []
    index, blank_before = start, False
    while index < len(lines):
        line = lines[index]
        m = _FIELD.match(line)
        if m and m.group(1).strip().casefold() in HEADER_FIELDS:
            fields.append([m.group(1).strip(), _squash(m.group(2))])
        elif not line.strip():
            blank_before = True
            index += 1
            continue
        elif fields and (not fields[-1][1] or not blank_before):
            fields[-1][1] = _squash(f"{fields[-1][1]} {line}")
        else:
            break
        blank_before = False
        index += 1
    return fields, index


def split_cover(page: str) -> tuple[str, str] | None:
    """(the cover as board-header lines, the rest of page 1) when page 1 (a line per
    printed line: a label and its value on one line, or the value on the next) begins
    with the board's cover sheet, else None."""
    lines = page.split("\n")
    title = _title_line(lines)
    if title is None:
        return None
    fields, end = _fields(lines, title + 1)
    if not fields or not all(value for _label, value in fields):
        return None
    header = BOARD_TITLE + "\n\n" + "".join(f"{label}:\t{value}\n" for label, value in fields)
    return header, "\n".join(line.strip() for line in lines[end:])
