"""Starts the window: Kivy's Config (app/ui/kivy_config.py) is set before anything imports
Window."""

from __future__ import annotations

import gc

import click

from app.services.clock import SystemClock
from app.ui.kivy_config import configure_kivy


def parse_size(size: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise click.BadParameter(
            f"“{size}” is not a window size; use a form like 1280x800."
        ) from None
    if width < 600 or height < 600:
        raise click.BadParameter("The window must be at least 600x600.")
    return width, height


def launch(*, data_dir: str | None, demo: bool, size: str, kiosk: bool = False) -> None:
    # Start-up makes objects that stay: Python's cycle collector ran about 150 times before
    # Today's first frame (about 50 ms) and found next to nothing to free. It is back on once
    # that frame is on screen.
    gc.disable()
    clock = SystemClock()
    if demo:
        from app.services.demo import create_demo_data_dir

        data_dir = str(create_demo_data_dir(clock.now(), clock.zone()))
    from app.services.kiosk_flag import kiosk_enabled_on_disk
    from app.services.paths import resolve_data_dir

    # Kiosk mode stored by an earlier start counts as --kiosk: a restart comes back as a kiosk.
    kiosk = kiosk or kiosk_enabled_on_disk(resolve_data_dir(data_dir, _kivy_user_data_dir()))
    configure_kivy(*parse_size(size), kiosk=kiosk)
    from app.ui.app import FacetCompanionApp
    from app.ui.first_frame import AfterFirstFrame

    collector_back = AfterFirstFrame(lambda _dt: gc.enable(), 0)  # kept: Kivy binds weakly
    FacetCompanionApp(data_dir=data_dir, clock=clock, kiosk=kiosk).run()
    collector_back.cancel()


def _kivy_user_data_dir():
    """App.user_data_dir without building the App (on Android the app's private folder)."""
    from kivy.utils import platform

    if platform == "android":
        return None  # resolved by the App itself; the stored kiosk mode applies after start
    from app.services.paths import desktop_user_data_dir

    return desktop_user_data_dir()
