"""The board's cover sheet in front of a PDF, read into the board's header shape.

A bilag as the board publishes it starts with a cover sheet: "Flygtningenævnets
baggrundsmateriale", then Bilagsnr., Land, Kilde, Titel, Udgivet and "Optaget på
baggrundsmaterialet" with their values, on page 1 alone or at the top of page 1 above
the source's text. `split_cover` finds it in page 1 (as laid out on paper, or as OCR
read it) and returns it as the header lines the board's .txt files have, so that the
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


def split_cover(laid_out: str, plain: str) -> tuple[str, str] | None:
    """(the cover as board-header lines, the rest of page 1) when page 1 begins with the
    board's cover sheet, else None. `laid_out` is page 1 a line per printed line (a
    label and its value on one line), `plain` in reading order (often the same text);
    the rest is cut from `plain` after the cover's last value, or taken from `laid_out`
    when that value cannot be found in it."""
    lines = laid_out.split("\n")
    title = _title_line(lines)
    if title is None:
        return None
    fields, end = _fields(lines, title + 1)
    if not fields or not all(value for _label, value in fields):
        return None
    header = BOARD_TITLE + "\n\n" + "".join(f"{label}:\t{value}\n" for label, value in fields)
    return header, _rest(plain, fields[-1][1]) or "\n".join(line.strip() for line in lines[end:])


def _rest(plain: str, last_value: str) -> str:
    """`plain` after the cover: after the first time the cover's last value appears
    (spacing aside) past the board's title; '' when it cannot be found."""
    at = plain.casefold().find(BOARD_TITLE.casefold())
    if at < 0:
        return ""
    pattern = r"\s+".join(re.escape(word) for word in last_value.split())
    m = re.compile(pattern, re.IGNORECASE).search(plain, at)
    return plain[m.end() :] if m else ""
