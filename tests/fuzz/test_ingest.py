"""Whole files through ingest: the seed texts with bytes inserted, removed or replaced.

Property: every file ends as added, unchanged or failed with a message (and a line
naming the file); a failure changes nothing: no Bilag or Passage row, no stored original
under MEDIA_ROOT/originals, nothing queued for the search index, no topic tag.
"""

import functools
import io
import tomllib

from django.core.management import call_command
from hypothesis import event, given
from hypothesis import strategies as st

from library.ingest.services import ADDED, FAILED, UNCHANGED, bilag_ingest
from library.models import Bilag, Passage, PassageTopic, SearchOutbox
from tests.fuzz import examples
from tests.library.search.corpus import TODAY
from tests.support import SEEDS, stored_files


@functools.cache
def seeds() -> list[tuple[str, bytes, dict]]:
    manifest = tomllib.loads((SEEDS / "manifest.toml").read_text())["files"]
    return [
        (path.name, path.read_bytes(), manifest.get(path.name, {}))
        for path in sorted(SEEDS.glob("*.txt"))
    ]


NOISE = [
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xe6\xf8\xe5",
    b"\r\n",
    b"\n\n",
    b"\t",
    b"%PDF-",
    b"PK\x03\x04",
    b"<html>",
    b"Bilagsnr.:\t",
    b"Land:\tXX\n",
    b"Udgivet:\t2019-02-30\n",
    b" date 2019-13 ",
    "ø".encode(),
    "\u2028".encode(),
    b"\x1b[31m",
]


@st.composite
def mutated_seed(draw) -> tuple[str, bytes, dict]:
    """A seed file with 1-5 edits, its name (sometimes with another suffix) and metadata."""
    name, raw, metadata = draw(st.sampled_from(seeds()))
    data = bytearray(raw)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        chunk = draw(st.one_of(st.binary(min_size=1, max_size=24), st.sampled_from(NOISE)))
        action = draw(st.sampled_from(["insert", "replace", "delete", "truncate", "keep-head"]))
        if action == "insert":
            data[at:at] = chunk
        elif action == "replace":
            data[at : at + len(chunk)] = chunk
        elif action == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=400))]
        elif action == "truncate":
            del data[at:]
        else:
            del data[: min(at, len(data) - 1)]
    suffix = draw(st.sampled_from([".txt"] * 6 + [".html", ".pdf", ".TXT", ".doc", ""]))
    given = draw(
        st.sampled_from([metadata, {}, {"country": "SY", "language": "xx"}, {"number": "0"}])
    )
    return name.rsplit(".", 1)[0] + suffix, bytes(data), dict(given)


def _state(media_root) -> tuple:
    return (
        Bilag.objects.count(),
        Passage.objects.count(),
        SearchOutbox.objects.count(),
        PassageTopic.objects.count(),
        len(stored_files(media_root / "originals")),
    )


def _check(result, name, data, before, after) -> None:
    """The result names the file; a failure or an unchanged file left everything as it was."""
    event(result.outcome)
    assert result.outcome in {ADDED, UNCHANGED, FAILED}
    assert result.line().startswith(name + ":")
    if result.outcome == FAILED:
        event(result.message.split("(")[0].split("'")[0][:30])
        assert result.message.strip()
        assert "Traceback" not in result.message
        assert "error in Baggrund" not in result.message, result.message  # a refusal, not a crash
        assert after == before, "a failed file leaves nothing behind"
    elif result.outcome == UNCHANGED:
        assert after == before
    else:
        bilag = result.bilag
        assert after[0] == before[0] + 1
        assert after[4] == before[4] + 1
        assert bilag.passages.exists()
        assert bilag.original.name.startswith("originals/")
        assert bilag.original.open("rb").read() == data


@examples(40, 400)
@given(mutated_seed())
def test_a_mutated_file_is_added_unchanged_or_refused_leaving_nothing(db, media_root, file):
    name, data, metadata = file
    before = _state(media_root)
    result = bilag_ingest(name=name, data=data, metadata=metadata, today=TODAY)
    _check(result, name, data, before, _state(media_root))


@st.composite
def edited_seed(draw) -> tuple[str, bytes, dict]:
    """A seed text (valid UTF-8) with words, lines or header fields inserted or removed."""
    name, raw, metadata = draw(st.sampled_from(seeds()))
    text = raw.decode("utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        piece = draw(st.one_of(st.text(min_size=1, max_size=30), st.sampled_from(PIECES)))
        action = draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=600)) :]
    return name, text.encode("utf-8", "surrogatepass"), dict(metadata)


PIECES = [
    "\n\n",
    "Bilagsnr.:\t77\n",
    "Bilagsnr.:\t-3\n",
    "Land:\tAtlantis\n",
    "Kilde:\t<script>alert(1)</script>\n",
    "Udgivet:\t2019-02-30\n",
    "Titel:\t\n",
    " date 2019-13 ",
    "Publisert: 31.02.19 25:61",
    "Flygtningenævnets baggrundsmateriale\n",
    "\x00",
    "\x0c",
    "\ufeff",
    "\ud800",
    "ﬁ",
]


@examples(40, 400)
@given(edited_seed())
def test_an_edited_text_is_added_unchanged_or_refused_leaving_nothing(db, media_root, file):
    name, data, metadata = file
    before = _state(media_root)
    result = bilag_ingest(name=name, data=data, metadata=metadata, today=TODAY)
    _check(result, name, data, before, _state(media_root))


@examples(4, 40)
@given(st.lists(mutated_seed(), min_size=2, max_size=4))
def test_the_ingest_command_names_every_file_it_refuses(db, media_root, tmp_path, files):
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    names = []
    for index, (name, data, _metadata) in enumerate(files):
        names.append(f"{index}_{name}")
        (folder / names[-1]).write_bytes(data)
    before = _state(media_root)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", str(folder), "--country", "SY", stdout=out, stderr=err)
    except SystemExit as exc:
        assert exc.code == 1
    summary = out.getvalue().strip().splitlines()[-1]
    counts = dict(
        zip(
            ["added", "unchanged", "failed"],
            [int(part.split()[-1]) for part in summary.split(",")],
            strict=True,
        )
    )
    assert sum(counts.values()) == len(names)
    failed_lines = [line for line in err.getvalue().splitlines() if line.startswith(str(folder))]
    assert len(failed_lines) == counts["failed"]
    for line in failed_lines:
        assert any(line.startswith(f"{folder / name}: ") for name in names), line
    after = _state(media_root)
    assert after[0] - before[0] == counts["added"]
    assert after[4] - before[4] == counts["added"]
