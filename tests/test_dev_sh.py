"""The README's commands themselves: what `bash dev.sh app ...` prints must reach the terminal."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_an_error_from_the_app_command_reaches_the_terminal(tmp_path):
    """dev.sh once closed its lock with `exec 9<&- 2>/dev/null`, which sent everything printed
    on stderr after set-up to /dev/null: a verb's `Error:` line, and dev.sh's own messages."""
    done = subprocess.run(["bash", "dev.sh", "app", "--data-dir", str(tmp_path), "diary", "add",
                           "--score", "11"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "Error: --score:" in done.stderr
