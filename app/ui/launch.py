"""Starts the window. Kivy's Config is set here, before anything imports Window."""

from __future__ import annotations

import os

import click

from app.services.clock import SystemClock


def configure_kivy(width: int, height: int) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "minimum_width", "600")
    Config.set("graphics", "minimum_height", "600")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", os.environ.get("FACET_LOG_LEVEL", "warning"))
    Config.set("input", "mouse", "mouse,disable_multitouch")


def parse_size(size: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"“{size}” is not a window size; use a form like 1280x800.")
    if width < 600 or height < 600:
        raise click.BadParameter("The window must be at least 600x600.")
    return width, height


def launch(*, data_dir: str | None, demo: bool, size: str) -> None:
    configure_kivy(*parse_size(size))
    clock = SystemClock()
    if demo:
        from app.services.demo import create_demo_data_dir

        data_dir = str(create_demo_data_dir(clock.now(), clock.zone()))
    from app.ui.app import FacetCompanionApp

    FacetCompanionApp(data_dir=data_dir, clock=clock).run()
