"""Where the data lives, decided without importing Kivy so the CLI stays light."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Kivy derives App.user_data_dir from the App class name: FacetCompanionApp -> facetcompanion.
APP_NAME = "facetcompanion"


def desktop_user_data_dir() -> Path:
    """The folder Kivy's App.user_data_dir gives on desktop platforms."""
    if sys.platform.startswith("win"):
        return Path(os.environ["APPDATA"]) / APP_NAME
    if sys.platform == "darwin":
        return Path("~/Library/Application Support").expanduser() / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", "~/.config")).expanduser() / APP_NAME


def resolve_data_dir(option: str | os.PathLike | None, fallback: Path | None = None) -> Path:
    """--data-dir first, then FACET_DATA_DIR, then the platform's user data folder."""
    if option:
        return Path(option).expanduser()
    if os.environ.get("FACET_DATA_DIR"):
        return Path(os.environ["FACET_DATA_DIR"]).expanduser()
    return fallback or desktop_user_data_dir()
