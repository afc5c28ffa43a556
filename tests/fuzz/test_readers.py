"""The text shapes, the manifest reader and the file readers with arbitrary input.

Properties: each returns a result or raises its own error type (HeaderError,
ManifestError, ExtractError) with a message; never another exception. The PDF reader
runs in a child process per file, so its example counts are small.
"""

import functools

import pytest
from fpdf import FPDF
from hypothesis import event, given
from hypothesis import strategies as st

from library.ingest.formats import Extracted, ExtractError, extract
from library.ingest.manifest import ManifestError, load_manifest, metadata_for
from library.ingest.shapes import BOARD_TITLE, HEADER_FIELDS, HeaderError, headline, parse_text
from tests.fuzz import examples

# --- the board header and news shapes -----------------------------------------------------

header_line = st.one_of(
    st.tuples(
        st.sampled_from(sorted(HEADER_FIELDS)),
        st.sampled_from([":\t", ": ", ":", " :  "]),
        st.text(max_size=30),
    ).map("".join),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            BOARD_TITLE,
            BOARD_TITLE.upper(),
            " date 2019-02 Headline",
            "Publisert: 10.02.19 20:59",
        ]
    ),
)
shaped_text = st.one_of(
    st.text(max_size=600),
    st.lists(header_line, max_size=40).map("\n".join),
    st.lists(header_line, max_size=12).map(lambda lines: BOARD_TITLE + "\n\n" + "\n".join(lines)),
    st.tuples(
        st.from_regex(r"\A\s*date[ \t]+\d{4}(-\d{1,2}){0,2}\s", fullmatch=True),
        st.text(max_size=200),
    ).map("".join),
)


@examples(400)
@given(shaped_text)
def test_shapes_read_any_text_or_name_the_header_problem(text):
    try:
        parsed = parse_text(text)
    except HeaderError as exc:
        assert str(exc).strip()
        return
    assert parsed.shape in {"board-header", "news", "plain"}
    assert 0 <= parsed.body_start <= len(text)
    for found in parsed.fields.values():
        assert isinstance(found.value, str) and found.origin


@examples(300)
# The limit is 250 where titles are made; a headline is never cut below 20 characters.
@given(st.text(max_size=800), st.integers(min_value=20, max_value=300))
def test_headline_of_any_text_is_one_line_within_the_limit(text, limit):
    title = headline(text, limit)
    assert "\n" not in title
    assert len(title) <= limit + 1  # the cut ends in "…"


# --- manifests ----------------------------------------------------------------------------

toml_text = st.one_of(
    st.text(max_size=300),
    st.tuples(
        st.sampled_from(
            ['[files."a.txt"]\n', "[files]\n", "files = 1\n", '[files."a.txt".x]\n', ""]
        ),
        st.lists(
            st.tuples(
                st.sampled_from(["country", "publisher", "number", "title", "bogus", "published"]),
                st.sampled_from(
                    [
                        ' = "SY"\n',
                        " = 12\n",
                        " = [1, 2]\n",
                        " = {a = 1}\n",
                        " = \n",
                        ' = "\\u0000"\n',
                    ]
                ),
            ).map("".join),
            max_size=5,
        ).map("".join),
    ).map("".join),
)
csv_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.lists(
            st.sampled_from(
                ["file", "number", "country", "a.txt", "", '"', 'x"y', "\x00", "bogus", "SY"]
            ),
            max_size=6,
        ).map(",".join),
        max_size=6,
    ).map("\n".join),
)


@pytest.fixture
def manifest_dir(tmp_path):
    return tmp_path


def _load(folder, name: str, raw: bytes):
    path = folder / name
    path.write_bytes(raw)
    try:
        entries = load_manifest(path)
    except ManifestError as exc:
        assert str(exc).startswith(str(path)), "the message names the manifest"
        return None
    for file_name, metadata in entries.items():
        assert isinstance(file_name, str)
        assert all(isinstance(v, str) for v in metadata.values())
        assert isinstance(metadata_for(entries, folder, folder / file_name), dict)
    return entries


@examples(300)
@given(
    st.one_of(toml_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300))
)
def test_toml_manifest_is_read_or_refused_with_its_name(manifest_dir, raw):
    _load(manifest_dir, "manifest.toml", raw)


@examples(300)
@given(
    st.one_of(csv_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300))
)
def test_csv_manifest_is_read_or_refused_with_its_name(manifest_dir, raw):
    _load(manifest_dir, "manifest.csv", raw)


# --- the text and HTML readers ------------------------------------------------------------


def _read(name: str, data: bytes) -> Extracted | None:
    try:
        extracted = extract(name, data)
    except ExtractError as exc:
        assert str(exc).strip()
        event("refused: " + str(exc).split("(")[0][:40])
        return None
    event("read")
    if name.endswith(".txt"):
        # A text file of control characters only reads as no text: the ingest service
        # refuses it ("no text besides boilerplate"; tests/fuzz/test_ingest.py).
        assert extracted.notes or extracted.text.strip()
    else:
        assert extracted.text.strip()
    assert "\x00" not in extracted.text
    for start, end, kind in extracted.hints:
        assert 0 <= start <= end and kind
    return extracted


any_text_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=400).map(lambda t: t.encode("cp1252", "replace")),
)


@examples(300)
@given(any_text_bytes)
def test_text_reader_reads_or_names_the_problem(data):
    _read("file.txt", data)


TAGS = [
    "p",
    "div",
    "h1",
    "title",
    "nav",
    "footer",
    "script",
    "style",
    "br",
    "meta",
    "a",
    "!--",
    "![CDATA[",
    "table",
    "td",
    "li",
    "time",
    "body",
    "html",
    "head",
]
html_piece = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            '<meta property="og:title" content="x">',
            '<meta charset="x-bogus">',
            '<time datetime="2019-02-30T10:00">',
            "&amp;",
            "&#0;",
            "&#x110000;",
            "&bogus;",
            "<",
            ">",
            "<!DOCTYPE html>",
            "<?xml ?>",
            "-->",
        ]
    ),
    st.text(max_size=20),
)
html_bytes = st.one_of(
    st.lists(html_piece, max_size=40).map(
        lambda parts: ("<html><body><p>" + "".join(parts)).encode("utf-8", "surrogatepass")
    ),
    st.lists(html_piece, max_size=40).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
    any_text_bytes,
)


@examples(100)
@given(html_bytes)
def test_html_reader_reads_or_names_the_problem(data):
    _read("page.html", data)


# --- the PDF reader (a child process per file: few examples) ------------------------------


@functools.cache
def small_pdf() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.set_title("Fuzz")
    for page in range(2):
        pdf.add_page()
        pdf.multi_cell(
            0, 5, f"Side {page + 1}. Lejrene i det østlige Syrien rummer mange kvinder og børn."
        )
    return bytes(pdf.output())


@st.composite
def mutated_pdf(draw) -> bytes:
    """The small PDF with a few bytes replaced, inserted or removed, or cut short."""
    data = bytearray(small_pdf())
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if len(data) < 7:  # cut short already; the signature stays
            break
        at = draw(st.integers(min_value=5, max_value=len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=16))
        if action == "replace":
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at : at + len(chunk)]
        else:
            del data[at:]
    return bytes(data)


@examples(12, 120)
@given(mutated_pdf())
def test_mutated_pdf_is_read_or_refused_with_a_message(data):
    _read("report.pdf", data)


@examples(6, 60)
@given(st.binary(max_size=600).map(lambda tail: b"%PDF-1.4\n" + tail))
def test_arbitrary_bytes_after_the_pdf_signature_are_refused_with_a_message(data):
    assert _read("report.pdf", data) is None


@examples(30)
@given(st.binary(max_size=300))
def test_bytes_named_pdf_without_the_signature_are_refused(data):
    if b"%PDF-" in data[:1024]:
        return
    assert _read("report.pdf", data) is None
