"""The README's commands themselves: what `bash dev.sh app ...` prints must reach the terminal."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_an_error_from_the_app_command_reaches_the_terminal(tmp_path):
    """dev.sh once closed its lock with `exec 9<&- 2>/dev/null`, which sent everything printed
    on stderr after set-up to /dev/null: a verb's `Error:` line, and dev.sh's own messages."""
    done = subprocess.run(
        ["bash", "dev.sh", "app", "--data-dir", str(tmp_path), "diary", "add", "--score", "11"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "Error: --score:" in done.stderr


# A project the size of a stamp with the real settings (pyproject.toml) and the real .venv, so
# the gates judge it as they judge the app: every layer the contract names is there, with the
# import the contract lets through.
STAMP_PROJECT = {
    "app/__init__.py": "",
    "app/package_files.py": 'FOLDER = "data"\n',
    "app/i18n.py": "from app.package_files import FOLDER\n\nCATALOGS = FOLDER\n",
    "app/domain/__init__.py": "",
    "app/store/__init__.py": "",
    "app/services/__init__.py": "",
    "app/ui/__init__.py": "",
    "app/ui/launch.py": "def go():\n    return None\n",
    "app/cli/__init__.py": "def f():\n    from app.ui.launch import go\n\n    return go()\n",
    "tests/test_stamp.py": "def test_the_stamp_runs():\n    assert 1 + 1 == 2\n",
}


def run_dev_sh_test(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "dev.sh", "test", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_each_failing_gate_fails_the_test_command_and_says_what_to_run(tmp_path):
    for name in ("dev.sh", "pyproject.toml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / ".venv").symlink_to((ROOT / ".venv").resolve())
    for name, text in STAMP_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    # An unused import (lint) of SQLite into the domain (layers), written unformatted (format),
    # and None where an int is declared (types).
    broken = tmp_path / "app/domain/dose.py"
    broken.write_text("import sqlite3\nDOSE : int = None\n", encoding="utf-8")

    done = run_dev_sh_test(tmp_path)
    assert done.returncode == 1
    for gate, command in [
        ("lint (ruff check)", ".venv/bin/ruff check ."),
        ("format (ruff format --check)", ".venv/bin/ruff format --diff ."),
        ("types (mypy", ".venv/bin/mypy"),
        ("layers (import-linter)", ".venv/bin/lint-imports"),
    ]:
        failure = next(line for line in done.stderr.splitlines() if f"GATE FAILED: {gate}" in line)
        assert command in failure
    assert "app.domain is not allowed to import sqlite3" in done.stderr
    assert "1 passed" in done.stdout  # the tests ran although the gates had failed

    broken.write_text("DOSE: int = 0\n", encoding="utf-8")
    done = run_dev_sh_test(tmp_path)
    assert (done.returncode, done.stderr.count("gate passed")) == (0, 4), done.stderr
