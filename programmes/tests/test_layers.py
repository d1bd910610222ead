"""Programmes is the ground floor the other apps build on: its modules import
none of the apps built on it. The one exception is ``followups``: a programme's
form edits the programme's follow-up months, which that app keeps."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent

# Apps whose models point at partners, programmes or conventions (or build on those that do).
BUILT_ON_PROGRAMMES = {"duos", "reporting", "imports", "audit", "privacy", "reminders", "api"}


def imported_packages(path):
    """The top-level package of every absolute import in the module at ``path``
    (imports inside functions included)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def programmes_modules():
    return sorted(
        path
        for path in APP.rglob("*.py")
        if "tests" not in path.relative_to(APP).parts and "migrations" not in path.relative_to(APP).parts
    )


def test_the_walk_sees_the_modules():
    names = {path.name for path in programmes_modules()}
    assert {"models.py", "views.py", "selectors.py", "forms.py", "filters.py", "permissions.py"} <= names


@pytest.mark.parametrize("path", programmes_modules(), ids=lambda path: str(path.relative_to(APP)))
def test_programmes_imports_no_app_built_on_it(path):
    assert not set(imported_packages(path)) & BUILT_ON_PROGRAMMES
