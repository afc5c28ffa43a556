"""The real-text evaluation set and `manage.py topic_quality --eval`: the set as kept in
the repository (size, languages, sources, licence), the fixed split, and the table."""

import hashlib
import io
import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import CommandError, call_command

from library.topics.evaluation import EVAL_PATH, EvalError, load_texts, split_of

LANGUAGES = {"da", "nb", "nn", "sv", "en", "de"}


def test_the_set_holds_400_paragraphs_of_40_real_texts_in_six_languages():
    texts = load_texts()

    assert len(texts) >= 40
    assert sum(len(t.paragraphs) for t in texts) >= 400
    assert {t.language for t in texts} == LANGUAGES
    for text in texts:
        host = urlparse(text.source).hostname.rstrip(".")
        edition = "no" if text.language == "nb" else text.language
        assert re.fullmatch(rf"{edition}(\.m)?\.(wikipedia|wikinews)\.org", host), text.name
        assert text.licence in {"CC BY-SA 4.0", "CC BY 2.5"}, text.name
        assert text.name.startswith(f"{text.language}-"), text.name


def test_every_text_is_held_out_or_not_by_its_name_alone():
    texts = load_texts()

    split = split_of(texts)

    assert split == split_of(list(reversed(texts[: len(texts) // 2])) + texts[len(texts) // 2 :])
    for name, part in split.items():
        held = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 3 == 0
        assert part == ("heldout" if held else "dev")
    assert 0.2 < list(split.values()).count("heldout") / len(split) < 0.45


def _write(folder: Path, name: str, language: str, paragraphs: list[tuple[str, list[str]]]):
    body = (
        "".join(
            f"[[paragraphs]]\ntext = '''{text}'''\nabout = {about!r}\n\n"
            for text, about in paragraphs
        )
        .replace("'", '"')
        .replace('"""', "'''")
    )
    (folder / f"{name}.toml").write_text(
        f'source = "https://{language}.wikipedia.org/wiki/X"\ntitle = "X"\n'
        f'language = "{language}"\nlicence = "CC BY-SA 4.0"\ntaken = "2026-12-07"\n\n{body}',
        encoding="utf-8",
    )


@pytest.mark.django_db
def test_topic_quality_eval_prints_each_method_split_topic_and_language(tmp_path):
    # "da-a" is held out, "da-c" development (by the hash of the name).
    assert split_of(load_texts_named(tmp_path, ["da-a", "da-c"])) == {
        "da-a": "heldout",
        "da-c": "dev",
    }
    camp = "Over 70.000 mennesker bor nu i flygtningelejren al-Hol."
    back = "I lejren mangler børnene rent vand."
    other = "Parlamentet vedtog finansloven i går."
    for name in ("da-a", "da-c"):
        _write(
            tmp_path,
            name,
            "da",
            [(camp, ["refugee-camps"]), (back, ["refugee-camps"]), (other, [])],
        )
    out = io.StringIO()

    call_command("topic_quality", "--eval-path", str(tmp_path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:2] == ["dev: 1 texts, 3 paragraphs", "heldout: 1 texts, 3 paragraphs"]
    rows = {
        tuple(line.split()[:3]): line.split()[3]
        for line in lines
        if line.startswith(("dev ", "heldout "))
    }
    assert rows[("dev", "lexicon", "refugee-camps")] == "1.00/0.50"
    assert rows[("dev", "context", "refugee-camps")] == "1.00/1.00"
    assert rows[("heldout", "context", "refugee-camps")] == "1.00/1.00"
    assert rows[("dev", "lexicon", "foreign-fighters")] == "-"  # nothing to find, none found


def load_texts_named(folder: Path, names: list[str]):
    for name in names:
        _write(folder, name, "da", [("Tekst.", [])])
    return load_texts(folder)


@pytest.mark.django_db
def test_a_bad_text_is_named(tmp_path):
    (tmp_path / "da-broken.toml").write_text('source = "x"\n[[paragraphs]]\ntext = 1\n')

    with pytest.raises(EvalError, match=r"^da-broken\.toml: "):
        load_texts(tmp_path)
    with pytest.raises(CommandError, match=r"da-broken\.toml"):
        call_command("topic_quality", "--eval-path", str(tmp_path))


def test_the_texts_are_valid_toml_with_labels_from_the_core_topics():
    for file in sorted(EVAL_PATH.glob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        for paragraph in data["paragraphs"]:
            assert set(paragraph.get("about", [])) <= {
                "refugee-camps",
                "foreign-fighters",
                "civilian-casualties",
            }, file.name
