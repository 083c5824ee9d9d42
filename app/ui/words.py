"""Greetings, checklist save times and the restore question in the plain words a patient reads
on screen, in the patient's language. Pure Python; dates themselves are worded by
app.domain.dates, the same on every screen."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.domain.dates import date_label
from app.i18n import _


def greeting(now: datetime, zone: str) -> str:
    hour = now.astimezone(ZoneInfo(zone)).hour
    if 5 <= hour < 12:
        return _("Good morning")
    if 12 <= hour < 18:
        return _("Good afternoon")
    return _("Good evening")


def marked_words(mark, now: datetime, zone: str) -> str:
    """When a checklist item was last saved: "Saved today, Saturday 28 November, 15:30"."""
    if mark is None or not (mark.checked or mark.value):
        return ""
    return _("Saved {when}").format(when=date_label(mark.marked_at, now, zone, in_sentence=True))


def restore_backup_question(when: str) -> str:
    """What "Restore" asks first for a backup made on this device, on Your data and on the
    recovery page. `when`: "Monday 30 November, 09:12"."""
    return _(
        "Restore the diary from {when}? What you saved after that is set aside, not "
        "deleted: the diary as it is now is kept in a file of its own."
    ).format(when=when)


def restore_file_question(name: str) -> str:
    """What "Restore" asks first for a backup file the patient chose: `name` "facet-backup.db"."""
    return _(
        "Restore the file {file}? What you saved after that is set aside, not deleted: "
        "the diary as it is now is kept in a file of its own."
    ).format(file=name)
