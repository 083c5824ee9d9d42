"""Settings on disk: small JSON values by key, the clinic's settings, and first-run state."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.domain.clinic import ClinicSettings, clinic_from_dict, clinic_to_dict
from app.store.connection import Database

if TYPE_CHECKING:
    from app.domain.reminders import ReminderSettings

CLINIC_KEY = "clinic"
SET_UP_KEY = "set_up"
GUIDE_OFFERED_KEY = "guide.offered"
REMINDERS_KEY = "reminders"
# A note for the app from a repair the reminder agent or a command made (app/services/data_safety)
RECOVERY_NOTICE_KEY = "data_safety.notice"


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:  # a damaged value reads as unset rather than stopping the app
            return default

    def put(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, text],
            )

    def remove(self, key: str) -> None:
        self.db.execute("DELETE FROM settings WHERE key = ?", [key])

    def clinic(self) -> ClinicSettings:
        """The saved clinic settings; defaults for anything unset or unreadable."""
        stored = self.get(CLINIC_KEY, {})
        return clinic_from_dict(stored if isinstance(stored, dict) else {})

    def save_clinic(self, settings: ClinicSettings) -> None:
        self.put(CLINIC_KEY, clinic_to_dict(settings))

    def reminder_settings(self) -> ReminderSettings:
        """Quiet hours, read-aloud and the rest; defaults for anything unset or unreadable."""
        # The reminder rules are imported when reminders are first read (a moment after the
        # app's first frame), not by every start that only reads the display settings.
        from app.domain.reminders import reminder_settings_from_dict

        stored = self.get(REMINDERS_KEY, {})
        return reminder_settings_from_dict(stored if isinstance(stored, dict) else {})

    def save_reminder_settings(self, settings: ReminderSettings) -> None:
        from app.domain.reminders import reminder_settings_to_dict

        self.put(REMINDERS_KEY, reminder_settings_to_dict(settings))

    def is_set_up(self) -> bool:
        """True once the first-run guide has saved a plan."""
        return self.get(SET_UP_KEY, False) is True

    def mark_set_up(self) -> None:
        self.put(SET_UP_KEY, True)

    def guide_offered(self) -> bool:
        """True once the first-run guide has been shown, so it opens by itself only once."""
        return self.get(GUIDE_OFFERED_KEY, False) is True

    def mark_guide_offered(self) -> None:
        self.put(GUIDE_OFFERED_KEY, True)
