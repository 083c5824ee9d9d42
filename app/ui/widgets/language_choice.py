"""The language buttons (English, Español), each name in its own language so a patient finds
theirs whatever the app shows now. A tap stores the choice and builds the screens afresh, so the
next screen (and this one) speaks it without a restart. And the clinic's choice of the language
of its part of a report."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from app import i18n
from app.i18n import _
from app.services.language import (
    choose_clinic_language,
    choose_language,
    clinic_language_chosen,
)
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import AppButton


def language_heading() -> str:
    """ "Language", and in any other language its word with "(Language)" after it, so someone
    who does not read the language shown can still find the way back."""
    heading = _("Language")
    return heading if i18n.language() == i18n.DEFAULT_LANGUAGE else f"{heading} (Language)"


class LanguageChoice(BoxLayout):
    current = StringProperty(i18n.DEFAULT_LANGUAGE)

    def on_kv_post(self, base_widget) -> None:
        self.current = i18n.language()
        self.buttons = {}
        for code, name in i18n.LANGUAGES.items():
            button = AppButton(text=name, selected=code == self.current)
            button.bind(on_press=lambda _button, code=code: self.choose(code))
            self.buttons[code] = button
            self.add_widget(button)

    def choose(self, code: str) -> None:
        if code == i18n.language():
            return
        app = App.get_running_app()
        choose_language(app.services.settings, code)
        app.navigator.rebuild_screens()


load_kv_beside(__file__)


class ReportLanguageChoice(BoxLayout):
    """The clinic's choice of language for the clinician's part of a report: the patient's
    language (until the clinic chooses), or one of `LANGUAGES`. Saved at once."""

    chosen = StringProperty("")  # "": the patient's language

    def on_kv_post(self, base_widget) -> None:
        settings = App.get_running_app().services.settings
        self.chosen = clinic_language_chosen(settings) or ""
        self.buttons = {"": AppButton(text=_("The patient's language"))}
        self.buttons.update({code: AppButton(text=name) for code, name in i18n.LANGUAGES.items()})
        for code, button in self.buttons.items():
            button.selected = code == self.chosen
            button.bind(on_press=lambda _button, code=code: self.choose(code))
            self.add_widget(button)

    def choose(self, code: str) -> None:
        choose_clinic_language(App.get_running_app().services.settings, code or None)
        self.chosen = code
        for each, button in self.buttons.items():
            button.selected = each == code
