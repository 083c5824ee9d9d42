"""What every benchmark shares: the repository on sys.path, a display, medians and the ratio line.

Scripts run as `python benchmarks/NAME.py`, so this folder is sys.path[0]; `import _shared`
also puts the repository root on sys.path so `import app...` works from any working folder.
"""

from __future__ import annotations

import atexit
import importlib
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

XVFB_SCREEN = "1280x800x24"
_xvfb: subprocess.Popen | None = None


def ensure_display() -> str:
    """Use $DISPLAY if set; otherwise start Xvfb on a free display number, stopped at exit.

    Child processes inherit DISPLAY through os.environ.
    """
    if os.environ.get("DISPLAY"):
        return os.environ["DISPLAY"]
    global _xvfb
    if shutil.which("Xvfb") is None:
        sys.exit("benchmarks: DISPLAY is not set and Xvfb is not installed (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    log = tempfile.TemporaryFile()  # noqa: SIM115  (open as long as Xvfb runs)
    # -displayfd: Xvfb picks a free display number and writes it once it accepts connections.
    _xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", XVFB_SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop Xvfb
    )
    os.close(write_end)
    atexit.register(_stop_xvfb)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    number = b""
    deadline = time.monotonic() + 15
    while not number.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([read_end], [], [], max(0.0, remaining))
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            os.close(read_end)
            log.seek(0)
            sys.exit(f"benchmarks: Xvfb did not start:\n{log.read().decode(errors='replace')}")
        number += chunk
    os.close(read_end)
    os.environ["DISPLAY"] = f":{int(number)}"
    return os.environ["DISPLAY"]


def _stop_xvfb() -> None:
    global _xvfb
    if _xvfb is not None and _xvfb.poll() is None:
        _xvfb.terminate()
        try:
            _xvfb.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _xvfb.kill()
            _xvfb.wait()
    _xvfb = None


def skip_first_run_guide(data_dir) -> bool:
    """Record that the first-run guide was offered, as tests/ui/conftest.py does for a returning
    user, so the app opens on the Today screen. Creates the database if needed. Returns False,
    leaving the folder alone, when this version of the app has no first-run guide.

    May import app.ui.navigation, hence Kivy: call it after configure_kivy, or in a throwaway
    process.
    """
    try:
        from app.store.settings_repository import SettingsRepository
    except ImportError:
        return False
    marks_itself = hasattr(SettingsRepository, "mark_guide_offered")
    key = None if marks_itself else _guide_offered_key()
    if not marks_itself and key is None:
        return False
    from app.store.database import open_database

    db = open_database(data_dir)
    try:
        settings = SettingsRepository(db)
        if marks_itself:
            settings.mark_guide_offered()
        else:
            settings.put(key, True)
    finally:
        db.close()
    return True


def _guide_offered_key() -> str | None:
    for module in ("app.store.settings_repository", "app.ui.navigation"):
        try:
            key = getattr(importlib.import_module(module), "GUIDE_OFFERED_KEY", None)
        except ImportError:
            continue
        if key:
            return key
    return None


def median(values) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def ratio_text(name: str, ratio: float, target: float) -> str:
    over = "  OVER TARGET" if ratio > target else ""
    return f"{name} = {ratio:.2f} (target <= {target:g}){over}"


def stop_app(app) -> None:
    """Stop the app but keep Kivy's one window for the next (as tests/ui/conftest.py does)."""
    from kivy.app import App
    from kivy.core.window import Window

    app.dispatch("on_stop")
    for child in list(Window.children):
        Window.remove_widget(child)
    App._running_app = None
