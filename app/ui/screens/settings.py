"""Settings: text size and contrast for the patient; the clinic's details and instructions for
staff.

Display changes apply and are saved at once, so the patient sees the effect of a tap; the app
applies the saved choices at start-up with `app.ui.theme.apply_display_settings`. The clinic's
settings are a form: Save has the clinic service check them all (`validate_clinic`) and save
them, shows each problem at its field and keeps everything typed; leaving with unsaved changes
asks first.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.clinic import (
    ARRIVAL_MINUTES_MAX,
    PROCEDURE_CODE_KEYS,
    PROCEDURE_KINDS,
    ClinicInputError,
    ClinicSettings,
)
from app.domain.pathway import REGIONS
from app.i18n import N_, _, ngettext
from app.ui.kv import load_kv_beside
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.theme import DISPLAY_KEY
from app.ui.widgets import form_controls  # noqa: F401  (before settings.kv: see the end)
from app.ui.widgets.button_flow import ButtonFlow  # noqa: F401  (used in settings.kv)
from app.ui.widgets.controls import FieldError
from app.ui.widgets.language_choice import (  # noqa: F401  (used in settings.kv)
    LanguageChoice,
    ReportLanguageChoice,
)

TEXT_FIELDS = (
    "name",
    "phone",
    "address",
    "emergency_number",
    "fasting_text",
    "anticoagulant_hold_text",
    "antiplatelet_hold_text",
    "diabetes_text",
    "glp1_text",
    "pain_medicine_hold_text",
    "rfa_pain_medicine_text",
    "implanted_device_text",
    "pathway_file",
)
PROCEDURE_LABELS = {
    "test-block": N_("Test block"),
    "confirm-block": N_("Confirming block"),
    "rfa": N_("RFA (radiofrequency ablation)"),
}
DEFAULT_ARRIVAL_MINUTES = 30  # where the stepper starts when a time is first set


class ArrivalRow(BoxLayout):
    """How early to arrive for one kind of procedure, or "Not set" (patients are told to ask)."""

    kind = StringProperty("")
    label = StringProperty("")
    is_set = BooleanProperty(False)
    minutes = NumericProperty(DEFAULT_ARRIVAL_MINUTES)
    maximum = NumericProperty(ARRIVAL_MINUTES_MAX)
    error = StringProperty("")

    def show(self, minutes: int | None) -> None:
        self.is_set = minutes is not None
        self.minutes = DEFAULT_ARRIVAL_MINUTES if minutes is None else minutes

    def raw(self) -> int | None:
        return int(self.minutes) if self.is_set else None

    @staticmethod
    def describe(minutes: float) -> str:
        if not minutes:
            return _("At the appointment time")
        return ngettext("{count} minute early", "{count} minutes early", int(minutes)).format(
            count=int(minutes)
        )


# The procedure code fields, by `PROCEDURE_CODE_KEYS`: blocks (test and confirming) and RFA.
CODE_LABELS = {
    "block-lumbar": N_("Test and confirming blocks, lower back"),
    "block-cervical": N_("Test and confirming blocks, neck"),
    "rfa-lumbar": N_("RFA, lower back"),
    "rfa-cervical": N_("RFA, neck"),
}


class CodeRow(BoxLayout):
    """The clinic's CPT code for one kind of procedure and region, exported only when entered."""

    key = StringProperty("")
    label = StringProperty("")
    error = StringProperty("")


class HoursRow(BoxLayout):
    """How many hours a local anaesthetic is expected to work: shortest and longest."""

    label = StringProperty("")
    low = NumericProperty(1.0)
    high = NumericProperty(2.0)
    error = StringProperty("")

    def show(self, hours: tuple[float, float]) -> None:
        self.low, self.high = hours

    def raw(self) -> list[float]:
        return [float(self.low), float(self.high)]

    @staticmethod
    def describe(hours: float) -> str:
        return ngettext("{count} hour", "{count} hours", 1 if hours == 1 else 2).format(
            count=f"{hours:g}"
        )


class SettingsScreen(AppScreen):
    @property
    def unsaved_message(self) -> str:
        return _("The changes on this page have not been saved.")

    initial_focus = StringProperty("scale_1")
    uses_sedation = ObjectProperty(None, allownone=True)  # None: the clinic has not said
    relief_threshold = NumericProperty(80)
    problems = StringProperty("")

    def on_kv_post(self, base_widget):
        self.arrival_rows: dict[str, ArrivalRow] = {}
        for kind in PROCEDURE_KINDS:
            row = ArrivalRow(
                kind=kind, label=_(PROCEDURE_LABELS[kind]) if kind in PROCEDURE_LABELS else kind
            )
            self.arrival_rows[kind] = row
            self.ids.arrivals.add_widget(row)
        self.code_rows: dict[str, CodeRow] = {}
        for key in PROCEDURE_CODE_KEYS:
            self.code_rows[key] = CodeRow(key=key, label=_(CODE_LABELS[key]))
            self.ids.codes.add_widget(self.code_rows[key])
        self._opened_with: tuple = ()

    def open(self, **_context) -> None:
        self._show_problems()
        if self._opened_with and self._form_values() != self._opened_with:
            return  # back from "When to call" or the plan: what was typed is still here
        self._fill(self.services.settings.clinic())
        self.ids.scroll.scroll_y = 1

    # ------------------------------------------------------------------ display

    def set_text_scale(self, scale: float) -> None:
        self.app_theme.text_scale = scale
        self._save_display()

    def set_high_contrast(self, on: bool) -> None:
        self.app_theme.high_contrast = on
        self._save_display()

    def set_less_motion(self, on: bool) -> None:
        self.app_theme.less_motion = on
        self._save_display()

    @property
    def app_theme(self):
        return App.get_running_app().theme

    @keeps_input_when_storage_fails
    def _save_display(self) -> None:
        theme = self.app_theme
        self.services.settings.put(
            DISPLAY_KEY,
            {
                "text_scale": theme.text_scale,
                "high_contrast": theme.high_contrast,
                "less_motion": theme.less_motion,
            },
        )

    # ------------------------------------------------------------------ the clinic's form

    @staticmethod
    def fasting_note(uses_sedation: bool | None) -> str:
        """What the eating and drinking text is for, given the sedation answer."""
        if uses_sedation is False:
            return _(
                "Only used with sedation. While “No” is chosen, patients are told the "
                "clinic gives no eating and drinking instructions, and to call if unsure."
            )
        if uses_sedation:
            return _("Shown to patients before each procedure, because the clinic uses sedation.")
        return _(
            "Only meaningful with sedation. Until the sedation question is answered, "
            "patients see this text before each procedure."
        )

    @staticmethod
    def glp1_note(uses_sedation: bool | None) -> str:
        """What the GLP-1 text is for, given the sedation answer."""
        if uses_sedation is False:
            return _(
                "Only used with sedation. While “No” is chosen, patients who take one are "
                "told the clinic gives no instructions about it, and to call if unsure."
            )
        return _(
            "For semaglutide (Ozempic, Wegovy, Rybelsus), tirzepatide (Mounjaro, Zepbound), "
            "liraglutide, dulaglutide, exenatide and the like, for diabetes or weight loss. "
            "They slow down the stomach, which matters with sedation."
        )

    @staticmethod
    def staff_part_shown(kiosk_active: bool, staff_unlocked: bool) -> bool:
        """The clinic's part: always outside kiosk mode, with the staff PIN inside it."""
        return not kiosk_active or staff_unlocked

    def open_kiosk_setup(self) -> None:
        """A kiosk already set up asks its current PIN before the set-up can change."""
        kiosk = App.get_running_app().kiosk
        if self.services.kiosk.settings().set_up and not kiosk.staff_unlocked:
            kiosk.show_pin_pad("setup")
        else:
            self.navigator.go("kiosk_setup")

    def edit_plan(self) -> None:
        self.navigator.go("guide", editing=True)

    @keeps_input_when_storage_fails
    def save(self) -> None:
        try:
            clinic = self.services.clinic.save(self._raw())
        except ClinicInputError as problem:
            self._show_errors(problem.errors)
            self.show_banner(_("Please check the fields marked in red. Nothing was lost."))
            return
        self._fill(clinic)
        self._show_problems()
        self.show_banner(_("Settings saved."))

    def cancel(self) -> None:
        self.navigator.back()

    def has_unsaved_input(self) -> bool:
        return bool(self._opened_with) and self._form_values() != self._opened_with

    def forget_unsaved_input(self) -> None:
        self._fill(self.services.settings.clinic())

    def _raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {field: self.ids[field].text for field in TEXT_FIELDS}
        raw["uses_sedation"] = self.uses_sedation
        raw["relief_threshold_percent"] = int(self.relief_threshold)
        raw["arrival_minutes"] = {kind: row.raw() for kind, row in self.arrival_rows.items()}
        raw["lidocaine_hours"] = self.ids.lidocaine.raw()
        raw["bupivacaine_hours"] = self.ids.bupivacaine.raw()
        raw["procedure_codes"] = {key: row.ids.code.text for key, row in self.code_rows.items()}
        return raw

    def _form_values(self) -> tuple:
        raw = self._raw()
        return tuple((key, repr(value)) for key, value in sorted(raw.items()))

    def _fill(self, clinic: ClinicSettings) -> None:
        for field in TEXT_FIELDS:
            self.ids[field].text = getattr(clinic, field)
        self.uses_sedation = clinic.uses_sedation
        self.relief_threshold = clinic.relief_threshold_percent
        for kind, row in self.arrival_rows.items():
            row.show(clinic.arrival_for(kind))
        self.ids.lidocaine.show(clinic.lidocaine_hours)
        self.ids.bupivacaine.show(clinic.bupivacaine_hours)
        for key, row in self.code_rows.items():
            row.ids.code.text = clinic.procedure_codes.get(key, "")
        self._show_errors({})
        self._opened_with = self._form_values()

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in (*TEXT_FIELDS, "uses_sedation", "relief_threshold_percent", "arrival_minutes"):
            self.ids[f"{field}_error"].text = errors.get(field, "")
        for kind, row in self.arrival_rows.items():
            row.error = errors.get(f"arrival_minutes.{kind}", "")
        self.ids.lidocaine.error = errors.get("lidocaine_hours", "")
        self.ids.bupivacaine.error = errors.get("bupivacaine_hours", "")
        for key, row in self.code_rows.items():
            row.error = errors.get(f"procedure_codes.{key}", "")
        if errors:
            Clock.schedule_once(lambda _dt: self._scroll_to_first_error())

    def _scroll_to_first_error(self) -> None:
        marked = [
            w for w in self.ids.form.walk(restrict=True) if isinstance(w, FieldError) and w.text
        ]
        if marked:  # walk() goes top to bottom, so this is the first problem on the page
            self.ids.scroll.scroll_to(marked[0], padding=dp(160), animate=False)

    def _show_problems(self) -> None:
        pathways = self.services.pathways
        messages = [pathways.problem(region) for region in REGIONS]
        # A file in use for its own region is fine; a broken one is reported once, not per region.
        problem = None if None in messages else messages[0]
        self.problems = _("For clinic staff: {problem}").format(problem=problem) if problem else ""


# settings.kv's SettingsLongText is a FormTextInput with its own height rule, which wins only
# when it is applied after <FormTextInput>'s: Kivy applies rules in the order their files were
# loaded, so form_controls.kv (imported above) is loaded first.
load_kv_beside(__file__)
