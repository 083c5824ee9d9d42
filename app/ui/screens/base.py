"""What every screen shares: the services it was built with and an `open` hook."""

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen


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

    def show_banner(self, message: str, **kwargs) -> None:
        App.get_running_app().banner.show(message, **kwargs)
