"""Reminders, "Calendar file": the procedures and one audience's reminders saved as a .ics file
for a phone's calendar, in a folder the patient chooses."""

from __future__ import annotations

from pathlib import Path

from kivy.properties import StringProperty

from app.i18n import _, ngettext
from app.services.calendar_export import export_calendar
from app.store.files import DIARY_FOLDER, DestinationRefused
from app.ui.kv import load_kv_beside
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in reminders_calendar.kv)
from app.ui.widgets.folder_picker import FolderPicker  # noqa: F401  (used in reminders_calendar.kv)
from app.ui.widgets.reminders_section import Section

CALENDAR_FILES = {
    "patient": "facet-companion-reminders.ics",
    "caregiver": "facet-companion-for-my-helper.ics",
}


class CalendarSection(Section):
    audience = StringProperty("patient")
    result = StringProperty("")
    error = StringProperty("")

    def choose(self, audience: str) -> None:
        self.audience = audience
        self.result = self.error = ""

    def save(self) -> None:
        folder = self.ids.chooser.chosen_folder()
        self.result = ""
        if folder is None:
            return  # the typed folder's problem is said at its field
        # Saved again, it keeps the earlier file and takes the next free name, as a report does
        # (see app/services/report_writer.py): the events keep their UIDs, so importing the
        # newer file updates the calendar all the same.
        try:
            export = export_calendar(
                self.reminders,
                self.audience,
                Path(folder) / CALENDAR_FILES[self.audience],
                if_exists="new_name",
            )
        except DestinationRefused:
            self.error = _(DIARY_FOLDER)
            return
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.error = _(
                "The file could not be saved in this folder ({reason}). "
                "Choose another folder, such as Documents, and try again."
            ).format(reason=reason)
            return
        self.error = ""
        out = export.path
        words = [
            _("Saved “{file}” in {folder}.").format(file=out.name, folder=out.parent),
            ngettext("It holds {count} event.", "It holds {count} events.", export.events).format(
                count=export.events
            ),
            ngettext(
                "{count} of them has an alarm.", "{count} of them have an alarm.", export.alarms
            ).format(count=export.alarms),
        ]
        if export.cancelled:
            words.append(
                ngettext(
                    "{count} event that no longer applies is marked as cancelled.",
                    "{count} events that no longer apply are marked as cancelled.",
                    export.cancelled,
                ).format(count=export.cancelled)
            )
        self.result = " ".join(words)
        self.banner(_("Calendar file saved."))


load_kv_beside(__file__)
