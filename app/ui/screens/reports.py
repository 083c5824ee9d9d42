"""Reports for the clinic: choose a folder, optionally add a name and date of birth, and save a
PDF, a CSV or a FHIR file there. The report is written in a worker thread; its progress and its
result come back to the window through `Clock.schedule_once`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.progressbar import ProgressBar

from app.domain.patient import PatientInputError
from app.i18n import _
from app.services.report_writer import ReportFolderError
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.folder_picker import (
    FolderPicker,  # noqa: F401  (used in reports.kv)
    start_folder,
)

log = logging.getLogger(__name__)

FOLDER_KEY = "reports.folder"
FORMAT_WORDS = {"pdf": "PDF", "csv": "CSV", "fhir": "FHIR"}


class ReportProgress(ProgressBar):
    """A ProgressBar drawn in the theme's colours (see reports.kv)."""


class ReportsScreen(AppScreen):
    _details_shown = ("", "")  # the name and date of birth as last filled in or saved
    initial_focus = StringProperty("pdf_button")
    busy = BooleanProperty(False)
    progress = NumericProperty(0)  # 0 to 100
    progress_text = StringProperty("")
    result_text = StringProperty("")
    result_ok = BooleanProperty(False)
    squeezed = BooleanProperty(False)  # side by side with large text: tighter margins (reports.kv)

    def open(self, folder: str | None = None, **_context) -> None:
        chooser = self.ids.chooser
        chooser.path = start_folder(folder or self.services.settings.get(FOLDER_KEY))
        self._show_saved_details()
        if not self.busy:
            self.progress, self.progress_text, self.result_text = 0, "", ""

    def _show_saved_details(self) -> None:
        details = self.services.patient.details()
        self.ids.name.text = details.name
        self.ids.birth_date.text = details.birth_date.isoformat() if details.birth_date else ""
        self.ids.name_error.text = self.ids.birth_date_error.text = ""
        self._details_shown = self._typed_details()

    def _typed_details(self) -> tuple[str, str]:
        return self.ids.name.text, self.ids.birth_date.text

    # --- nothing typed is lost ----------------------------------------------------------------

    def has_unsaved_input(self) -> bool:
        return self._typed_details() != self._details_shown or self.ids.chooser.has_typed_path()

    @property
    def unsaved_message(self) -> str:
        if self._typed_details() != self._details_shown:
            return _(
                "The name or date of birth you typed has not been saved. It is saved when "
                "you save a report."
            )
        return _("The folder you typed has not been opened.")

    def forget_unsaved_input(self) -> None:
        self._show_saved_details()
        self.ids.chooser.forget_typed()

    # --- saving a report ----------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        if self.busy:
            return
        if not self._save_details():
            return
        folder = self.ids.chooser.chosen_folder()
        if folder is None:
            return  # the typed folder's problem is said at its field
        problem = self.services.reports.folder_problem(folder)
        if problem:
            self._failed(problem)
            return
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        self.busy, self.result_text, self.result_ok = True, "", False
        self.progress = 0
        self.progress_text = _("Making the {format} report…").format(format=FORMAT_WORDS[fmt])
        threading.Thread(
            target=self._write, args=(fmt, folder, now, zone), daemon=True, name=f"report-{fmt}"
        ).start()
        self._show_outcome()

    def _save_details(self) -> bool:
        raw = {"name": self.ids.name.text, "birth_date": self.ids.birth_date.text}
        try:
            self.services.patient_service.save_details(raw)
        except PatientInputError as problem:
            self.ids.name_error.text = problem.errors.get("name", "")
            self.ids.birth_date_error.text = problem.errors.get("birth_date", "")
            self.show_banner(_("Please check the details marked in red. Nothing was lost."))
            return False
        self.ids.name_error.text = self.ids.birth_date_error.text = ""
        self._details_shown = self._typed_details()
        return True

    # --- in the worker thread: nothing here touches a widget ---------------------------------

    def _write(self, fmt: str, folder: str, now, zone: str) -> None:
        def progress(fraction: float, message: str) -> None:
            Clock.schedule_once(lambda _dt: self._show_progress(fraction, message))

        try:
            path = self.services.reports.write(fmt, folder, now=now, zone=zone, progress=progress)
        except ReportFolderError as problem:
            message = str(problem)
            Clock.schedule_once(lambda _dt: self._failed(message))
        except Exception:  # the report must never take the app down with it
            log.exception("Writing the %s report failed", fmt)
            message = _(
                "Something went wrong while making the report, and nothing was saved. "
                "Please try again, or try another folder."
            )
            Clock.schedule_once(lambda _dt: self._failed(message))
        else:
            Clock.schedule_once(lambda _dt: self._done(path, folder))

    # --- back in the window -----------------------------------------------------------------

    def _show_progress(self, fraction: float, message: str) -> None:
        if self.busy:
            self.progress = max(self.progress, round(fraction * 100))
            self.progress_text = _("{step}: {percent}%").format(
                step=message, percent=int(self.progress)
            )

    def _done(self, path: Path, folder: str) -> None:
        self.busy, self.result_ok = False, True
        self.progress = 100
        self.progress_text = _("Done: 100%")
        self.result_text = _("Saved: {file}").format(file=path)
        self.services.settings.put(FOLDER_KEY, folder)
        self._show_outcome()  # said here, in place: a banner would cover it

    def _failed(self, message: str) -> None:
        self.busy, self.result_ok = False, False
        self.progress_text = ""
        self.progress = 0
        self.result_text = message
        self._show_outcome()

    def _show_outcome(self) -> None:
        """Bring the progress bar and the result into sight once they are laid out."""

        def scroll(_dt):
            self.ids.side_scroll.scroll_to(self.ids.result_label, padding=dp(24), animate=False)

        Clock.schedule_once(scroll, 0.05)


load_kv_beside(__file__)
