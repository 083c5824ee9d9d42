"""Starting the reminder agent at login, so reminders come while the app's window is closed.

On Linux (and other XDG desktops) this is a desktop entry in the autostart folder:
`$XDG_CONFIG_HOME/autostart/facet-companion-reminders.desktop` (default `~/.config/autostart`),
whose Exec runs this Python with `main.py reminders run` from a checkout, with
`-m app reminders run` from an installed package (which has no main.py), or a desktop build's
own program with `reminders run`. Windows and macOS have no
such folder; README's "Reminders when the app is closed" says what to do there (a shortcut in
`shell:startup` or a Task Scheduler task on Windows), and `supported()` is False.

The file is written whole and private (0600), and every path in its Exec line is quoted so that
no path, whatever it holds (spaces, quotes, `$`, `%`, newlines), can end the line or add one.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

from app.package_files import installed
from app.store.files import write_atomically

ENTRY_NAME = "facet-companion-reminders.desktop"
# Line breaks the file's string escapes can carry (\n \r \t), and what they cannot: other
# control characters, the Unicode line separators, which some readers take as a line end, and
# the stand-ins Python uses for a file name's bytes that are not UTF-8 (the file is UTF-8).
FILE_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
UNWRITABLE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
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
    frozen = getattr(sys, "frozen", False)  # PyInstaller: sys.executable is the built program
    app = [] if frozen else ["-m", "app"] if installed() else [str(MAIN)]
    args = [python or sys.executable, *app, "reminders", "run"]
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).expanduser().resolve())]
    return args


def desktop_entry(data_dir: str | os.PathLike | None = None, python: str | None = None) -> str:
    """The entry's text; OSError (EINVAL) when a path holds a character it cannot carry."""
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
    text = desktop_entry(data_dir, python)
    return write_atomically(autostart_path(), text.encode("utf-8"), if_exists="replace")


def disable() -> bool:
    """Remove the autostart entry; False when there was none."""
    try:
        autostart_path().unlink()
    except FileNotFoundError:
        return False
    return True


def _quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    if UNWRITABLE.search(arg):
        raise OSError(
            errno.EINVAL, "A folder name holds a character that a login entry cannot hold", arg
        )
    arg = arg.replace("%", "%%")
    if arg and not any(ch in arg for ch in " \t\n\r\"'\\><~|&;$*?#()`="):
        return arg
    # Inside quotes " ` $ take one backslash; a backslash takes four, because the file's own
    # string escapes (\\ for \) are undone before the quoting rule; a newline, a carriage
    # return and a tab are written as those string escapes, so the line goes on.
    escaped = "".join(
        "\\" * 4 if ch == "\\" else "\\" + ch if ch in '"`$' else FILE_ESCAPES.get(ch, ch)
        for ch in arg
    )
    return f'"{escaped}"'
