"""What every screen shares: the services it was built with and an `open` hook."""

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from app.domain.plan import PlanInputError, validate_mark_value


class AppScreen(Screen):
    services = ObjectProperty(None)
    initial_focus = StringProperty("")  # id of the control the keyboard starts on

    def on_enter(self, *_args) -> None:
        if self.initial_focus:
            Clock.schedule_once(lambda _dt: self._focus_initial())

    def _focus_initial(self) -> None:
        target = self.ids[self.initial_focus]
        if hasattr(target, "focus_first"):
            target.focus_first()
        else:
            target.focus = True

    def open(self, **context) -> None:
        """Called each time the screen is shown, with what the caller passed to `go`."""

    @property
    def navigator(self):
        return App.get_running_app().navigator

    def mark_item(self, procedure_id: int, item, checked: bool, value: str) -> str:
        """Save a checklist item's state; returns a friendly problem, or "" once it is on disk."""
        try:
            text = validate_mark_value(item, value)
        except PlanInputError as problem:
            return " ".join(problem.errors.values())
        self.services.plan.mark(item.id, procedure_id, checked=checked, value=text,
                                now=self.services.clock.now())
        return ""

    def show_banner(self, message: str, **kwargs) -> None:
        App.get_running_app().banner.show(message, **kwargs)
