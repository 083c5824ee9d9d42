"""Settings > Clinic kiosk: the staff PIN typed twice, the idle time, the clinic's reports folder
(chosen with the FolderPicker) and whether a FHIR file goes with each report. Saving turns kiosk
mode on at once and opens the staff page."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from app.i18n import _, ngettext
from app.services.kiosk import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_RANGE,
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    KioskError,
)
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in kiosk_setup.kv)
from app.ui.widgets.folder_picker import (
    FolderPicker,  # noqa: F401  (used in kiosk_setup.kv)
    start_folder,
)


class KioskSetupScreen(AppScreen):
    initial_focus = StringProperty("pin")
    idle_minutes = NumericProperty(DEFAULT_IDLE_MINUTES)
    idle_low, idle_high = IDLE_MINUTES_RANGE
    fhir = BooleanProperty(False)
    error = StringProperty("")
    pin_rule = StringProperty("")

    @property
    def unsaved_message(self) -> str:
        return _("The kiosk set-up on this page has not been saved.")

    def open(self, **_context) -> None:
        settings = self.services.kiosk.settings()
        self.idle_minutes = settings.idle_minutes
        self.fhir = settings.fhir
        self.ids.chooser.path = start_folder(settings.reports_folder or None)
        self.ids.pin.text = self.ids.pin_again.text = ""
        self.error = ""
        self.pin_rule = _(
            "{minimum} to {maximum} digits. Only clinic staff should know it: it "
            "unlocks the staff page, leaving kiosk mode and closing the "
            "app."
        ).format(minimum=PIN_MIN_DIGITS, maximum=PIN_MAX_DIGITS)

    def has_unsaved_input(self) -> bool:
        return bool(self.ids.pin.text or self.ids.pin_again.text)

    def forget_unsaved_input(self) -> None:
        self.ids.pin.text = self.ids.pin_again.text = ""

    @staticmethod
    def describe_minutes(minutes: float) -> str:
        return ngettext("{count} minute", "{count} minutes", int(minutes)).format(
            count=int(minutes)
        )

    def save(self) -> None:
        folder = self.ids.chooser.chosen_folder()
        if folder is None:
            return  # the typed folder's problem is said at its field
        try:
            self.services.kiosk.set_up(
                self.ids.pin.text,
                self.ids.pin_again.text,
                idle_minutes=int(self.idle_minutes),
                reports_folder=folder,
                fhir=self.fhir,
            )
        except KioskError as problem:
            self.error = str(problem)
            self.ids.pin.text = self.ids.pin_again.text = ""
            return
        self.forget_unsaved_input()
        self.error = ""
        kiosk = App.get_running_app().kiosk
        if kiosk.active:
            kiosk.idle_seconds = int(self.idle_minutes) * 60
            self.show_banner(_("The kiosk set-up is saved."))
            self.navigator.go("kiosk_staff")
        else:
            kiosk.activate(staff_unlocked=True)
            self.show_banner(_("Kiosk mode is on. The staff page is open."))


load_kv_beside(__file__)
