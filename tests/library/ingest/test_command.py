"""`manage.py ingest PATH…`: summary, exit status, options, manifests, bad paths."""

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from library.models import Bilag, Passage, Publisher
from tests.support import SEEDS

SEED_000 = "000_091d3380eedcd8de.txt"
SEED_001 = "001_eb9eaf48cf008476.txt"
SEED_002 = "002_5dca1336a18c5cf3.txt"
SEED_004 = "004_e1216e5ac3c25b1b.txt"


def ingest(*args: str) -> tuple[list[str], list[str]]:
    """Run the command; return its stdout and stderr lines."""
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


@pytest.fixture
def incoming(tmp_path) -> Path:
    """An empty folder for files to ingest (apart from the per-test media folder)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


def copy_seeds(folder: Path, *names: str) -> list[Path]:
    return [Path(shutil.copy(SEEDS / name, folder / name)) for name in names]


def test_ingest_seeds_twice_second_run_adds_nothing(db, seeds_dir):
    first_out, first_err = ingest(str(seeds_dir))
    counts = (Bilag.objects.count(), Passage.objects.count(), Publisher.objects.count())

    second_out, second_err = ingest(str(seeds_dir))

    assert first_out[-1] == "added 5, unchanged 0, failed 0"
    assert second_out[-1] == "added 0, unchanged 5, failed 0"
    assert (first_err, second_err) == ([], [])
    assert (Bilag.objects.count(), Passage.objects.count(), Publisher.objects.count()) == counts
    assert counts == (5, 126, 2)


def test_ingest_verbose_prints_one_line_per_file(db, incoming):
    (path,) = copy_seeds(incoming, SEED_004)

    out, err = ingest(str(path), "-v", "2")

    assert err == []
    assert out == [
        f"{incoming}/{SEED_004}: added as bilag 863 (language detected: English)",
        "added 1, unchanged 0, failed 0",
    ]


def test_ingest_failure_exits_1_with_one_line_naming_the_file(db, incoming):
    good, bad = copy_seeds(incoming, SEED_004, SEED_000)  # 000 has no country here
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(incoming), stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue().splitlines() == [
        f"{bad}: missing required field(s) country (not in the file; give it as an option, "
        "in the form or in a manifest)"
    ]
    assert out.getvalue().splitlines() == ["added 1, unchanged 0, failed 1"]
    assert list(Bilag.objects.values_list("original_name", flat=True)) == [good.name]


def test_ingest_folder_reports_file_of_unknown_type(db, incoming):
    copy_seeds(incoming, SEED_004)
    (incoming / "notes.docx").write_bytes(b"PK\x03\x04 not really a document")

    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(incoming), stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue().splitlines() == [
        f"{incoming / 'notes.docx'}: unsupported file type '.docx': "
        "Baggrund takes .txt, .html, .htm, .pdf"
    ]
    assert out.getvalue().splitlines() == ["added 1, unchanged 0, failed 1"]


def test_ingest_options_apply_to_a_single_file(db, incoming):
    (path,) = copy_seeds(incoming, SEED_000)

    out, err = ingest(
        str(path),
        "--country",
        "Syrien",
        "--publisher",
        "Ritzau",
        "--published",
        "2019-02-17",
        "--number",
        "901",
        "--title",
        "37.000 civile flygtet",
        "--intake",
        "2019-03-01",
        "--language",
        "dansk",
    )

    bilag = Bilag.objects.get()
    assert (out, err) == (["added 1, unchanged 0, failed 0"], [])
    assert bilag.number == 901
    assert bilag.country == "SY"
    assert bilag.publisher.name == "Ritzau"
    assert bilag.title == "37.000 civile flygtet"
    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 2, 17), "day")
    assert bilag.intake == dt.date(2019, 3, 1)
    assert bilag.language == "da"


def test_ingest_options_win_over_the_folder_manifest(db, seeds_dir):
    out, _err = ingest(str(seeds_dir / SEED_002), "--publisher", "VG Nett", "--country", "IQ")

    bilag = Bilag.objects.get()
    assert out == ["added 1, unchanged 0, failed 0"]
    assert bilag.publisher.name == "VG Nett"
    assert bilag.country == "IQ"
    assert (bilag.published, bilag.published_precision) == (dt.date(2019, 2, 10), "day")


def test_ingest_single_seed_uses_its_folder_manifest(db, seeds_dir):
    ingest(str(seeds_dir / SEED_002))

    bilag = Bilag.objects.get()
    assert (bilag.number, bilag.country, bilag.publisher.name) == (1, "SY", "VG")


def test_ingest_number_with_two_files_is_refused(db, incoming):
    first, second = copy_seeds(incoming, SEED_000, SEED_001)

    with pytest.raises(CommandError) as error:
        ingest(str(first), str(second), "--number", "5", "--country", "SY")

    assert str(error.value) == "--number and --title can only be given with a single file"
    assert Bilag.objects.count() == 0


def test_ingest_title_with_a_folder_is_refused(db, seeds_dir):
    with pytest.raises(CommandError) as error:
        ingest(str(seeds_dir), "--title", "One title for all")

    assert str(error.value) == "--number and --title can only be given with a single file"
    assert Bilag.objects.count() == 0


def test_ingest_toml_manifest(db, incoming, tmp_path):
    copy_seeds(incoming, SEED_000, SEED_001)
    manifest = tmp_path / "metadata.toml"
    manifest.write_text(
        f'[files."{SEED_000}"]\n'
        'number = 70\ncountry = "Syrien"\npublisher = "Ritzau"\n\n'
        f'[files."incoming/{SEED_001}"]\n'
        'number = 71\ncountry = "Irak"\npublished = "2018-11-24"\nintake = "2018-12-01"\n',
        encoding="utf-8",
    )

    out, err = ingest(str(incoming), "--manifest", str(manifest))

    first, second = Bilag.objects.order_by("number")
    assert (out, err) == (["added 2, unchanged 0, failed 0"], [])
    assert (first.number, first.country, first.publisher.name) == (70, "SY", "Ritzau")
    assert (first.published, first.published_precision) == (dt.date(2019, 2, 1), "month")
    assert (second.number, second.country, second.publisher) == (71, "IQ", None)
    assert (second.published, second.published_precision) == (dt.date(2018, 11, 24), "day")
    assert second.intake == dt.date(2018, 12, 1)


def test_ingest_csv_manifest_found_beside_the_files(db, incoming):
    copy_seeds(incoming, SEED_000, SEED_001)
    (incoming / "manifest.csv").write_text(
        "file,number,country,publisher,title,published,intake,language\n"
        f"{SEED_000},80,SY,DR,Kampene om IS' sidste lomme,,2019-02-20,\n"
        f'{SEED_001},81,Syria,"NTB, Oslo",,2018-11,,nb\n',
        encoding="utf-8",
    )

    out, err = ingest(str(incoming))

    first, second = Bilag.objects.order_by("number")
    assert (out, err) == (["added 2, unchanged 0, failed 0"], [])
    assert (first.number, first.country, first.publisher.name) == (80, "SY", "DR")
    assert first.title == "Kampene om IS' sidste lomme"
    assert first.intake == dt.date(2019, 2, 20)
    assert (second.number, second.country, second.publisher.name) == (81, "SY", "NTB, Oslo")
    assert second.language == "nb"


def test_ingest_malformed_toml_manifest_names_the_manifest(db, incoming, tmp_path):
    copy_seeds(incoming, SEED_000)
    manifest = tmp_path / "broken.toml"
    manifest.write_text(f'[files."{SEED_000}"\ncountry = "SY"\n', encoding="utf-8")

    with pytest.raises(CommandError) as error:
        ingest(str(incoming), "--manifest", str(manifest))

    assert str(error.value) == (
        f"{manifest}: not valid TOML (Expected ']' at the end of a table declaration "
        "(at line 1, column 34))"
    )
    assert Bilag.objects.count() == 0


def test_ingest_csv_manifest_without_file_column_names_the_manifest(db, incoming):
    copy_seeds(incoming, SEED_000)
    manifest = incoming / "manifest.csv"
    manifest.write_text(f"name,country\n{SEED_000},SY\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        ingest(str(incoming))

    assert str(error.value) == (
        f"{manifest}: the first row must name the columns, starting with 'file'"
    )
    assert Bilag.objects.count() == 0


def test_ingest_manifest_with_unknown_field_names_the_manifest(db, incoming, tmp_path):
    copy_seeds(incoming, SEED_000)
    manifest = tmp_path / "m.toml"
    manifest.write_text(f'[files."{SEED_000}"]\ncountry = "SY"\nauthor = "AFP"\n')

    with pytest.raises(CommandError) as error:
        ingest(str(incoming), "--manifest", str(manifest))

    assert str(error.value) == (
        f"{manifest}: entry '{SEED_000}' has unknown field(s) author; "
        "known: number, country, publisher, title, published, intake, language"
    )


def test_ingest_missing_manifest_file_names_it(db, incoming, tmp_path):
    copy_seeds(incoming, SEED_000)
    manifest = tmp_path / "nowhere.toml"

    with pytest.raises(CommandError) as error:
        ingest(str(incoming), "--manifest", str(manifest))

    assert str(error.value) == f"{manifest}: cannot be read (No such file or directory)"


def test_ingest_nonexistent_path_is_a_command_error(db, tmp_path):
    missing = tmp_path / "no-such-folder"

    with pytest.raises(CommandError) as error:
        ingest(str(missing))

    assert str(error.value) == f"{missing}: no such file or folder"
    assert Bilag.objects.count() == 0


def test_ingest_empty_folder_is_a_command_error(db, incoming):
    with pytest.raises(CommandError) as error:
        ingest(str(incoming))

    assert str(error.value) == f"no files to ingest in {incoming}"
