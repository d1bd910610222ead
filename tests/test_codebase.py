"""Rules the code base keeps, checked over every tracked file: no Python
module passes 600 lines (a module that grows past it becomes a package split
by sub-domain); the repository stands on its own (its documents are the
README and ``docs/``, and nothing points outside it); module docstrings
describe the code, not the work items that asked for it."""

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 600


def tracked_files(suffix=""):
    """Paths (relative to the repository) of the files git tracks, ending in
    ``suffix``; files added but not yet committed count too."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(path for path in out.splitlines() if path.endswith(suffix) and (ROOT / path).is_file())


def test_tracked_files_are_found():
    assert "manage.py" in tracked_files(".py")


def test_no_module_passes_600_lines():
    too_long = {}
    for path in tracked_files(".py"):
        lines = (ROOT / path).read_text().count("\n")
        if lines > MAX_MODULE_LINES:
            too_long[path] = lines
    assert not too_long, f"split these modules into packages: {too_long}"


# A reference to a document outside the repository (the design and craft notes
# it was written from): the repository's own are docs/design.md and docs/figures.md.
OUTSIDE_DOCUMENT = re.compile(r"\.\./shared|shared/DESIGN|DESIGN\.md|CRAFT\.md")

# An issue or ticket named in a module docstring: "issue 4", "the figures issue",
# "#12", "(1/7)".
ISSUE_REFERENCE = re.compile(r"\bissues?\b|\btickets?\b|(?<![&\w])#\d+|\(\s*\d+\s*/\s*\d+\s*\)", re.IGNORECASE)


def test_no_tracked_file_points_outside_the_repository():
    this_file = Path(__file__).resolve().relative_to(ROOT).as_posix()
    found = []
    for path in tracked_files():
        if path.startswith("docs/") or path == this_file:
            continue
        try:
            text = (ROOT / path).read_text()
        except UnicodeDecodeError:
            continue  # binary: compiled catalogues, images
        found += [f"{path}: {match.group(0)}" for match in OUTSIDE_DOCUMENT.finditer(text)]
    assert not found, found


def test_the_design_documents_are_in_the_repository():
    readme = (ROOT / "README.md").read_text()
    for page in ("docs/design.md", "docs/figures.md"):
        assert (ROOT / page).is_file()
        assert page in readme


@pytest.mark.parametrize(
    ("docstring", "names_an_issue"),
    [
        ("Figures and reports (issue 4).", True),
        ("The speed rows of the figures issue.", True),
        ("Fixes #12.", True),
        ("Step (1/7): the models.", True),
        ("77/152 = 50.7 %, as published.", False),
        ("Escaped as &#39; in HTML.", False),
    ],
)
def test_the_issue_pattern(docstring, names_an_issue):
    assert bool(ISSUE_REFERENCE.search(docstring)) is names_an_issue


def test_no_module_docstring_names_an_issue():
    found = []
    for path in tracked_files(".py"):
        docstring = ast.get_docstring(ast.parse((ROOT / path).read_text(), filename=path)) or ""
        found += [f"{path}: {match.group(0)}" for match in ISSUE_REFERENCE.finditer(docstring)]
    assert not found, found
