"""A message at the bottom of the window, with an optional action such as Undo."""

from collections.abc import Callable

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside


class Banner(BoxLayout):
    """Lives in `host` only while shown, so a hidden banner costs nothing to draw."""

    host = ObjectProperty(None)
    message = StringProperty("")
    action_text = StringProperty("")
    shown = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._action: Callable[[], None] | None = None
        self._hide_event = None

    def show(
        self,
        message: str,
        *,
        seconds: float = 6,
        action_text: str = "",
        action: Callable[[], None] | None = None,
    ) -> None:
        self.message = message
        self.action_text = action_text
        self._action = action
        self.shown = True
        if self.parent is None:
            self.host.add_widget(self)
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._hide_event = Clock.schedule_once(lambda _dt: self.hide(), seconds)

    def hide(self) -> None:
        self.shown = False
        self._action = None
        if self.parent is not None:
            self.parent.remove_widget(self)
        if self._hide_event is not None:
            self._hide_event.cancel()
            self._hide_event = None

    def run_action(self) -> None:
        action = self._action
        self.hide()
        if action is not None:
            action()


load_kv_beside(__file__)
