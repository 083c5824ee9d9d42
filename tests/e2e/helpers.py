"""Running `python main.py ...` as a separate process, the way clinic IT and scripts do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MAIN = REPO_ROOT / "main.py"


def cli_env(**overrides: str | None) -> dict[str, str]:
    """The test's environment without FACET_DATA_DIR, plus `overrides` (None removes a name)."""
    env = {k: v for k, v in os.environ.items() if k != "FACET_DATA_DIR"}
    env["PYTHONIOENCODING"] = "utf-8"
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def cli_command(*args: str | os.PathLike) -> list[str]:
    return [sys.executable, str(MAIN), *map(str, args)]


def run_cli(
    *args: str | os.PathLike, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(*args),
        cwd=REPO_ROOT,
        env=env if env is not None else cli_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def last_json_line(script: str, *args: str, timeout: float = 90):
    """What `script` (Python, run with `args` in a process of its own, where it may open the
    app's window) printed last, read as JSON; the process must end well."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO_ROOT,
        env=cli_env(KIVY_NO_CONSOLELOG="1"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
