"""Rules the code base keeps, checked over every tracked file: no Python
module passes 600 lines (a module that grows past it becomes a package split
by sub-domain)."""

import subprocess
from pathlib import Path

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
