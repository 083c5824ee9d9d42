"""The staff page of kiosk mode, reached only with the staff PIN: start a new patient (with the
procedure entered from the clinic's side if staff wish), finish with this patient (the report to
the clinic's folder first, with its progress, then the wipe), leave kiosk mode, close the app.

The report is written in a worker thread with its own connection; the wipe runs back in the
window on the app's connection, so nothing else writes while it runs."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from app.domain.dates import date_label, local_date
from app.domain.pathway import PROCEDURE_LABELS, REGION_LABELS
from app.domain.patient import PatientInputError, validate_patient
from app.domain.plan import PlanInputError, already_planned_error, validate_procedure
from app.i18n import _
from app.services.kiosk import KioskError, write_session_record
from app.services.language import apply_patient_language
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.screens.reports import ReportProgress  # noqa: F401  (used in kiosk_staff.kv)
from app.ui.theme import apply_display_settings
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in kiosk_staff.kv)
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.widgets.date_time_stepper import DateTimeStepper  # noqa: F401  (used in the .kv)

log = logging.getLogger(__name__)

SIDE_LABELS = {"left": "Left", "right": "Right", "both": "Both sides"}
ANAESTHETIC_LABELS = {"lidocaine": "Lidocaine", "bupivacaine": "Bupivacaine", "": "Not known"}


class KioskStaffScreen(AppScreen):
    state_text = StringProperty("")
    session_open = BooleanProperty(False)
    has_data = BooleanProperty(False)
    reports_folder = StringProperty("")
    # the procedure staff may enter for the new patient; kind "" means none
    kind = StringProperty("")
    region = StringProperty("lumbar")
    side = StringProperty("both")
    anaesthetic = StringProperty("")
    errors = DictProperty({})
    busy = BooleanProperty(False)
    progress = NumericProperty(0)
    progress_text = StringProperty("")
    result_text = StringProperty("")
    result_ok = BooleanProperty(False)

    procedure_labels = PROCEDURE_LABELS
    region_labels = REGION_LABELS
    side_labels = SIDE_LABELS
    anaesthetic_labels = ANAESTHETIC_LABELS

    def open(self, **_context) -> None:
        self._show_state()
        if not self.busy:
            self.progress, self.progress_text = 0, ""
        self.kind, self.errors = "", {}
        self.ids.patient_name.text = self.ids.birth_date.text = ""
        clock = self.services.clock
        self.ids.when.reset(
            clock.now(),
            clock.zone(),
            clock.now()
            + timedelta(hours=1)
            - timedelta(
                minutes=clock.now().minute % 5,
                seconds=clock.now().second,
                microseconds=clock.now().microsecond,
            ),
        )
        self.ids.scroll.scroll_y = 1

    def _show_state(self) -> None:
        kiosk, clock = self.services.kiosk, self.services.clock
        opened = kiosk.session_opened_at()
        self.session_open = opened is not None
        self.has_data = kiosk.has_patient_data()
        self.reports_folder = kiosk.settings().reports_folder
        if opened is not None:
            started = date_label(opened, clock.now(), clock.zone(), in_sentence=True)
            self.state_text = _(
                "A patient is using this tablet. Their session started {when}."
            ).format(when=started)
        elif self.has_data:
            self.state_text = _(
                "This tablet still holds a diary from before. Finish with it "
                "before the next patient."
            )
        else:
            self.state_text = _("The tablet is clean and ready for the next patient.")

    # --- new patient ----------------------------------------------------------------------

    def choose_kind(self, kind: str) -> None:
        self.kind = kind
        if kind == "rfa":
            self.anaesthetic = ""

    def start_patient(self) -> None:
        if self.busy:
            return
        services = self.services
        clock = services.clock
        now, zone = clock.now(), clock.zone()
        try:
            details = validate_patient(
                {"name": self.ids.patient_name.text, "birth_date": self.ids.birth_date.text},
                today=local_date(now, zone),
            )
        except PatientInputError as problem:
            self.errors = problem.errors
            return
        procedure = None
        if self.kind:
            raw = {
                "kind": self.kind,
                "region": self.region,
                "side": self.side,
                "at": self.ids.when.value(zone),
                "anaesthetic": self.anaesthetic or None,
            }
            try:
                procedure = validate_procedure(raw, now=now, zone=zone)
                same = services.plan.find_same(procedure)
                if same is not None:
                    raise already_planned_error(same)
            except PlanInputError as problem:
                self.errors = problem.errors
                return
        self.errors = {}
        services.kiosk.start_session(now=now, patient=details, procedure=procedure)
        kiosk = App.get_running_app().kiosk
        kiosk.staff_unlocked = False
        if procedure is None:
            # The patient enters their own plan, as on a first start at home.
            self.navigator.history.clear()
            self.navigator.go("guide")
        else:
            self.navigator.home()

    # --- finish with this patient -----------------------------------------------------------

    def ask_to_finish(self) -> None:
        if self.busy:
            return
        message = (
            _(
                "Their report and a copy of their diary go to {folder} first. Then "
                "everything they entered is wiped from this tablet."
            ).format(folder=self.reports_folder)
            if self.reports_folder
            else _(
                "Their report and a copy of their diary go to the clinic's folder first. "
                "Then everything they entered is wiped from this tablet."
            )
        )
        ConfirmDialog(
            title=_("Finish with this patient?"),
            message=message,
            stay_text=_("Not yet"),
            go_text=_("Finish and wipe"),
            on_go=self.finish,
        ).open()

    def finish(self) -> None:
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        self.busy, self.result_text, self.result_ok = True, "", False
        self.progress, self.progress_text = 0, _("Writing the report…")
        settings = self.services.kiosk.settings()  # read here: the connection is this thread's
        threading.Thread(
            target=self._record, args=(settings, now, zone), daemon=True, name="kiosk-finish"
        ).start()

    def _record(self, settings, now: datetime, zone: str) -> None:
        """In the worker thread: nothing here touches a widget."""

        def progress(fraction: float, message: str) -> None:
            Clock.schedule_once(lambda _dt: self._show_progress(fraction * 0.9, message))

        try:
            record = write_session_record(
                self.services.data_dir,
                settings.reports_folder,
                now=now,
                zone=zone,
                fhir=settings.fhir,
                progress=progress,
            )
        except (KioskError, OSError) as problem:
            message = _("Nothing was wiped. {problem}").format(problem=problem)
            Clock.schedule_once(lambda _dt: self._failed(message))
        except Exception:  # the patient's data stays until a report is safely written
            log.exception("Writing the kiosk session's report failed")
            Clock.schedule_once(
                lambda _dt: self._failed(
                    _(
                        "Something went wrong while writing the report. Nothing was wiped; please "
                        "try again."
                    )
                )
            )
        else:
            Clock.schedule_once(lambda _dt: self._wipe(record))

    def _show_progress(self, fraction: float, message: str) -> None:
        if self.busy:
            self.progress = max(self.progress, round(fraction * 100))
            self.progress_text = _("{step}: {percent}%").format(
                step=message, percent=int(self.progress)
            )

    def _wipe(self, record) -> None:
        self._show_progress(0.92, _("Wiping this tablet"))
        try:
            self.services.kiosk.wipe()
        except (KioskError, OSError) as problem:
            self._failed(
                _("The report is in {folder}, but the wipe did not finish: {problem}").format(
                    folder=record.folder, problem=problem
                )
            )
            return
        app = App.get_running_app()
        apply_display_settings(app.theme, self.services.settings)  # the next patient's start
        apply_patient_language(self.services.settings)  # theirs was wiped: the default again
        self.navigator.forget_other_screens()
        self.busy, self.result_ok = False, True
        self.progress, self.progress_text = 100, _("Done: 100%")
        self.result_text = _(
            "Finished. The report is in {folder}. The tablet is wiped and "
            "ready for the next patient."
        ).format(folder=record.folder)
        self._show_state()

    def _failed(self, message: str) -> None:
        self.busy, self.result_ok = False, False
        self.progress, self.progress_text = 0, ""
        self.result_text = message
        self._show_state()

    # --- the rest ---------------------------------------------------------------------------

    def back_to_patient(self) -> None:
        App.get_running_app().kiosk.back_to_patient()

    def ask_before_leaving(self, proceed) -> bool:
        """Back or Escape here means "Back to the patient" (the staff part locks), never a
        return to the page before the PIN pad; while finishing, it waits."""
        if not self.busy:
            self.back_to_patient()
        return True

    def clinic_settings(self) -> None:
        self.navigator.go("settings")

    def change_setup(self) -> None:
        self.navigator.go("kiosk_setup")

    def ask_to_leave_kiosk(self) -> None:
        ConfirmDialog(
            title=_("Leave kiosk mode?"),
            message=_(
                "The app then opens as an ordinary app, with the staff settings open to "
                "anyone. The patient's data stays until you finish with them."
            ),
            stay_text=_("Stay in kiosk mode"),
            go_text=_("Leave kiosk mode"),
            on_go=lambda: App.get_running_app().kiosk.leave(),
        ).open()

    def close_app(self) -> None:
        App.get_running_app().stop()


load_kv_beside(__file__)
