"""What the layer contract cannot see: the domain reads no files, and the command line's verbs
load no Kivy when they really run.

Which layer may import which is import-linter's contract in pyproject.toml ([tool.importlinter]),
run by `bash dev.sh test` before the tests (`.venv/bin/lint-imports` alone).
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).parents[1] / "app"


def imported_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
    return names


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# What reading or touching a file looks like in Python. The domain gets text or parsed objects
# from app/services (app/services/resources.py for the app's own files) and does none of it.
FILE_MODULES = ("os", "io", "shutil", "glob", "tempfile", "importlib.resources")
FILE_METHODS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "iterdir",
    "glob",
    "rglob",
    "exists",
    "is_file",
    "is_dir",
    "stat",
    "mkdir",
    "unlink",
    "touch",
}


def file_access(path: Path) -> list[str]:
    """Each place in `path` that reads or touches a file: "line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [
        (line, f"imports {name}")
        for line, name in imported_names(path)
        if any(within(name, module) for module in FILE_MODULES)
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("open", "__file__"):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in FILE_METHODS:
            found.append((node.lineno, f".{node.attr}"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_the_domain_reads_no_files():
    found = [
        f"{path.relative_to(APP.parent)}:{hit}"
        for path in sorted((APP / "domain").rglob("*.py"))
        for hit in file_access(path)
    ]
    assert found == []


def test_the_file_check_sees_file_access(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os.path\nfrom pathlib import Path\nHERE = Path(__file__)\n"
        "first = open(HERE).readline()\nrest = HERE.read_text()\n",
        encoding="utf-8",
    )
    assert file_access(probe) == ["1: imports os.path", "3: __file__", "4: open", "5: .read_text"]


# Every verb group, run for real (their imports sit inside the verbs), in one fresh interpreter.
CLI_RUNS = """
import json, sys
from datetime import date, timedelta
from click.testing import CliRunner
from app.cli import cli

data, out = sys.argv[1], sys.argv[2]
runs = [
    ["diary", "add", "--score", "4"], ["diary", "list", "--format", "csv"],
    ["plan", "add-procedure", "--kind", "test-block", "--region", "lumbar", "--side", "right",
     "--at", f"{date.today() + timedelta(days=10)}T09:00", "--zone", "Europe/London",
     "--anaesthetic", "lidocaine"],
    ["plan", "show"], ["reminders", "list"], ["reminders", "export-ics", "--out", out + "/r.ics"],
    ["report", "--format", "pdf", "--out", out], ["report", "--format", "fhir", "--out", out],
    ["data", "backup", "--out", out], ["data", "check"], ["kiosk", "status"],
    ["block", "summary"],
]
codes = [CliRunner().invoke(cli, run + ["--data-dir", data])
         .exit_code for run in runs]
print(json.dumps({"codes": codes,
                  "kivy": sorted(m for m in sys.modules if m == "kivy" or m.startswith("kivy."))}))
"""


def test_the_command_line_verbs_load_no_kivy(tmp_path):
    """The README promises the verbs import no Kivy: checked in sys.modules after real runs."""
    import json
    import subprocess
    import sys

    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", CLI_RUNS, str(tmp_path / "data"), str(out)],
        capture_output=True,
        text=True,
        cwd=APP.parent,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["kivy"] == []
    assert report["codes"][:5] == [0, 0, 0, 0, 0]  # the verbs really ran
