"""Kivy's Config for the app's window, set before anything imports Window.

Its own module, importing nothing of the app, so that benchmarks/startup.py's bare Kivy app can
open the same window without loading any of the app's code."""

import os


def configure_kivy(width: int, height: int, *, kiosk: bool = False) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    # A kiosk fills the screen with no title bar to close it by; Window reads these when created.
    Config.set("graphics", "fullscreen", "auto" if kiosk else "0")
    Config.set("graphics", "borderless", "1" if kiosk else "0")
    Config.set("graphics", "minimum_width", "600")
    Config.set("graphics", "minimum_height", "600")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", os.environ.get("FACET_LOG_LEVEL", "warning"))
    Config.set("input", "mouse", "mouse,disable_multitouch")
