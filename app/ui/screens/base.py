"""What every screen shares: the services it was built with, an `open` hook, and the one way a
screen holding unsaved input is left (Back, Escape, Android's back and the window's close request
all ask the same question)."""

from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.screenmanager import Screen

from app.domain.plan import PlanInputError
from app.i18n import N_, _
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.widgets.confirm import ask_to_leave_unsaved


class AppScreen(Screen):
    services = ObjectProperty(None)
    initial_focus = StringProperty("")  # id of the control the keyboard starts on

    def on_enter(self, *_args) -> None:
        if self.initial_focus:
            Clock.schedule_once(lambda _dt: self._focus_initial())

    def on_pre_leave(self, *_args) -> None:
        # A control of a page that is no longer shown must not keep the keyboard: Tab would
        # move the focus through a page nobody sees.
        for widget in self.walk(restrict=True):
            if isinstance(widget, FocusBehavior) and widget.focus:
                widget.focus = False

    def _focus_initial(self) -> None:
        target = self.ids[self.initial_focus]
        if hasattr(target, "focus_first"):
            target.focus_first()
        else:
            target.focus = True

    # Said by "Leave without saving?" when this screen holds input that is not on disk.
    unsaved_message = N_("What you typed on this page has not been saved.")

    def open(self, **context) -> None:
        """Called each time the screen is shown, with what the caller passed to `go`. Coming
        back to a screen that holds unsaved input does not call it, so nothing typed is reset."""

    def save_what_is_typed(self) -> None:
        """A screen that saves as the patient goes (the checklist) saves what is still pending
        here; it is called before anything asks `has_unsaved_input`."""

    def has_unsaved_input(self) -> bool:
        """True while the screen holds something typed or chosen that is not saved."""
        return False

    def forget_unsaved_input(self) -> None:
        """After "Leave without saving": the next visit starts from what is saved."""

    def ask_before_leaving(self, proceed: Callable[[], None]) -> bool:
        """Return True after asking "Leave without saving?" (calling `proceed` if the patient
        leaves), or False when nothing typed would be lost. Screens whose Back means something
        else first (the guide's previous page) override this."""
        self.save_what_is_typed()
        if not self.has_unsaved_input():
            return False

        def leave() -> None:
            self.forget_unsaved_input()
            proceed()

        ask_to_leave_unsaved(_(self.unsaved_message), leave)
        return True

    @property
    def navigator(self):
        return App.get_running_app().navigator

    @keeps_input_when_storage_fails
    def mark_item(self, procedure_id: int, item, checked: bool, value: str) -> str:
        """Save a checklist item's state; returns a friendly problem, or "" once it is on disk."""
        try:
            self.services.plan_service.mark_item(procedure_id, item, checked=checked, value=value)
        except PlanInputError as problem:
            return " ".join(problem.errors.values())
        return ""

    def show_banner(self, message: str, **kwargs) -> None:
        App.get_running_app().banner.show(message, **kwargs)
