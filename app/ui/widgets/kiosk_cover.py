"""The privacy cover of kiosk mode: over everything after the idle time, showing nothing of the
patient (no name, no scores, no page behind it). A tap anywhere takes it away; a reminder that
arrives meanwhile shows only as a notice without its words."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from app.ui.kv import load_kv_beside


class KioskCover(FloatLayout):
    notice = StringProperty("")  # kiosk_mode.COVER_NOTICE while a reminder waits, else ""
    on_uncover = ObjectProperty(None)

    def __init__(self, *, on_uncover: Callable[[], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_uncover = on_uncover

    def on_touch_down(self, touch) -> bool:
        # Every touch is the cover's: nothing behind it is pressed by the tap that lifts it.
        self.on_uncover()
        return True

    def on_touch_move(self, touch) -> bool:
        return True

    def on_touch_up(self, touch) -> bool:
        return True


load_kv_beside(__file__)
