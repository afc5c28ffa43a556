"""The shape of the code, as the README's "Where things are" promises it (import
contracts are checked by lint-imports in scripts/test; these check what it cannot)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("library", "casefiles", "config")
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_nothing_in_the_library_names_the_case_files():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("library", "templates/library")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".html", ".txt"}
        and "casefiles" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_short_and_says_what_it_is_for(path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES
    tree = ast.parse(source)
    if source.strip():
        assert ast.get_docstring(tree), "no module docstring"
    long_functions = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
        and "Long because" not in (ast.get_docstring(node) or "")
    ]
    assert long_functions == []
