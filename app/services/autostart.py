"""Starting the reminder agent at login, so reminders come while the app's window is closed.

On Linux (and other XDG desktops) this is a desktop entry in the autostart folder:
`$XDG_CONFIG_HOME/autostart/facet-companion-reminders.desktop` (default `~/.config/autostart`),
whose Exec runs this Python with `main.py reminders run` from a checkout, with
`-m app reminders run` from an installed package (which has no main.py), or a desktop build's
own program with `reminders run`. Windows and macOS have no
such folder; README's "Reminders when the app is closed" says what to do there (a shortcut in
`shell:startup` or a Task Scheduler task on Windows), and `supported()` is False.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.services.resources import installed

ENTRY_NAME = "facet-companion-reminders.desktop"
MAIN = Path(__file__).resolve().parents[2] / "main.py"


def supported() -> bool:
    """True where an XDG autostart entry does the job (Linux and the BSDs)."""
    return not (sys.platform.startswith("win") or sys.platform == "darwin")


def autostart_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(config).expanduser() / "autostart" / ENTRY_NAME


def is_enabled() -> bool:
    return autostart_path().is_file()


def command(data_dir: str | os.PathLike | None = None, python: str | None = None) -> list[str]:
    """The agent's command line: this Python, the app (this checkout's main.py, or `-m app` when
    installed), `reminders run`; a desktop build's program takes the verbs itself."""
    if getattr(sys, "frozen", False):  # PyInstaller: sys.executable is the built program
        app = []
    else:
        app = ["-m", "app"] if installed() else [str(MAIN)]
    args = [python or sys.executable, *app, "reminders", "run"]
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).expanduser().resolve())]
    return args


def desktop_entry(data_dir: str | os.PathLike | None = None, python: str | None = None) -> str:
    exec_line = " ".join(_quote(arg) for arg in command(data_dir, python))
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Facet Companion reminders\n"
        "Comment=Shows Facet Companion reminders while the app is closed\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def enable(data_dir: str | os.PathLike | None = None, python: str | None = None) -> Path:
    """Write the autostart entry (replacing an older one) and return its path. `data_dir` is
    passed on with --data-dir when the app does not use the default folder."""
    path = autostart_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(desktop_entry(data_dir, python), encoding="utf-8")
    os.replace(temporary, path)
    return path


def disable() -> bool:
    """Remove the autostart entry; False when there was none."""
    try:
        autostart_path().unlink()
    except FileNotFoundError:
        return False
    return True


def _quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    arg = arg.replace("%", "%%")
    if arg and not any(ch in arg for ch in ' \t\n"\'\\><~|&;$*?#()`='):
        return arg
    # Inside quotes " ` $ take one backslash; a backslash takes four, because the file's own
    # string escapes (\\ for \) are undone before the quoting rule.
    escaped = "".join("\\" * 4 if ch == "\\" else "\\" + ch if ch in '"`$' else ch
                      for ch in arg)
    return f'"{escaped}"'
