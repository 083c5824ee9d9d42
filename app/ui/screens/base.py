"""What every screen shares: the services it was built with and an `open` hook."""

from kivy.app import App
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen


class AppScreen(Screen):
    services = ObjectProperty(None)

    def open(self, **context) -> None:
        """Called each time the screen is shown, with what the caller passed to `go`."""

    @property
    def navigator(self):
        return App.get_running_app().navigator

    def show_banner(self, message: str, **kwargs) -> None:
        App.get_running_app().banner.show(message, **kwargs)
