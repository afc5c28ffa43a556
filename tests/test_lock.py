"""The lock file pins every dependency pyproject.toml names, runtime and dev alike.

scripts/setup installs requirements.lock only; a dependency added to pyproject.toml
without compiling the lock again (README, "Dependencies") would be missing on a fresh
clone, and a range the lock does not satisfy would be a lie."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)", re.MULTILINE)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {_normal(name): version for name, version in PINNED.findall(text)}


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(line)
        for line in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]


def test_every_dependency_is_pinned_within_its_declared_range():
    pins = _pins()
    for requirement in _declared():
        name = _normal(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run pip-compile"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {requirement.name}=={pins[name]}, outside {requirement}"
        )


def test_nothing_in_the_lock_floats():
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line and not line.startswith((" ", "#", "-"))]
    assert entries and all("==" in line for line in entries), [
        line for line in entries if "==" not in line
    ]
