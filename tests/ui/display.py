"""Whether there is a display for the UI tests' Kivy window. Imports no Kivy: importing
kivy.core.window without a display fails."""

from __future__ import annotations

import os

NO_DISPLAY = "no display: run the suite with `bash dev.sh test`, which starts Xvfb"


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
