"""Whether kiosk mode is stored as on, read without the kiosk service (PIN hashing, reports,
wiping), which an ordinary start does not need before its first frame. No Kivy."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from app.store.database import database_path

KIOSK_KEY = "kiosk"  # the clinic's: PIN hash, idle minutes, reports folder, FHIR, enabled


def kiosk_stored_as_on(stored: Any) -> bool:
    """Whether the stored kiosk settings say "on": enabled, with a PIN set."""
    return (
        isinstance(stored, dict)
        and stored.get("enabled") is True
        and isinstance(stored.get("pin"), dict)
    )


def kiosk_enabled_on_disk(data_dir: Path | None) -> bool:
    """Whether kiosk mode is stored as on, read before the window exists (full screen must be
    set before Kivy creates it) without writing anything; False when it cannot be read."""
    if data_dir is None:
        return False
    path = database_path(Path(data_dir))
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [KIOSK_KEY]).fetchone()
        finally:
            conn.close()
        stored = json.loads(row[0]) if row else {}
    except (sqlite3.Error, ValueError):
        return False
    return kiosk_stored_as_on(stored)
