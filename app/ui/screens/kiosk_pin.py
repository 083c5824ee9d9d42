"""The staff PIN pad of kiosk mode: large keys, the digits shown as dots, and after five wrong
PINs the lock with the time it ends (kept across restarts by the kiosk service)."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from app.i18n import N_, _
from app.services.kiosk import PIN_MAX_DIGITS, KioskError, PinLockedError, lock_message
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen

LOCK_RECHECK_SECONDS = 2.0
BACKSPACE = 8
ENTER_KEYS = (13, 271)  # Return and the keypad's Enter
# purpose -> (title, what to do)
PURPOSES = {
    "start": (
        N_("Clinic staff"),
        N_(
            "This tablet is waiting for the next patient. Clinic "
            "staff: enter the staff PIN to start."
        ),
    ),
    "staff": (N_("For clinic staff"), N_("Enter the staff PIN to open the staff page.")),
    "settings": (
        N_("For clinic staff"),
        N_("Enter the staff PIN to change the clinic's settings."),
    ),
    "setup": (N_("Clinic kiosk"), N_("Enter the current staff PIN to change the kiosk set-up.")),
}


class PinDots(Widget):
    """One dot per digit typed, never the digits themselves."""

    count = NumericProperty(0)
    colour = ListProperty([0, 0, 0, 1])

    def on_kv_post(self, base_widget):
        self.bind(pos=self._draw, size=self._draw, count=self._draw, colour=self._draw)
        self._draw()

    def _draw(self, *_):
        self.canvas.clear()
        size, gap = dp(26), dp(18)
        shown = max(int(self.count), 6)
        left = self.center_x - (shown * size + (shown - 1) * gap) / 2
        with self.canvas:
            Color(*self.colour)
            for index in range(shown):
                x, y = left + index * (size + gap), self.center_y - size / 2
                if index < self.count:
                    Ellipse(pos=(x, y), size=(size, size))
                else:
                    Line(
                        circle=(x + size / 2, y + size / 2, size / 2 - dp(1)),
                        width=dp(1.5),
                        joint="miter",
                    )


class KioskPinScreen(AppScreen):
    purpose = StringProperty("start")
    heading = StringProperty("")
    explanation = StringProperty("")
    entered = StringProperty("")
    message = StringProperty("")
    refused = BooleanProperty(False)  # the message says the PIN was refused (shown as an error)
    locked = BooleanProperty(False)

    def open(self, purpose: str = "staff", **_context) -> None:
        self.purpose = purpose if purpose in PURPOSES else "staff"
        self.heading, self.explanation = (_(words) for words in PURPOSES[self.purpose])
        self.entered = ""
        self.message, self.refused = "", False
        self._show_lock()

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        self._lock_event = Clock.schedule_interval(self._recheck_lock, LOCK_RECHECK_SECONDS)
        Window.bind(on_key_down=self._on_key_down)

    def _on_key_down(self, _window, key, _scancode, text, _modifiers) -> bool:
        """A keyboard types the PIN too: digits, Backspace and Enter."""
        if self.manager is None or self.manager.current_screen is not self:
            return False
        if text and len(text) == 1 and text.isdigit():
            self.press_digit(text)
        elif key == BACKSPACE:
            self.delete_digit()
        elif key in ENTER_KEYS:
            self.submit()
        else:
            return False
        return True

    def _recheck_lock(self, _dt) -> bool:
        """While shown, the pad opens again by itself when the lock ends."""
        if self.get_root_window() is None:  # the app stopped with the pad on screen
            return False
        self._show_lock()
        return True

    def on_leave(self, *_args) -> None:
        Window.unbind(on_key_down=self._on_key_down)
        self.entered = ""  # no digit stays behind for the next person to see
        event = getattr(self, "_lock_event", None)
        if event is not None:
            event.cancel()

    def press_digit(self, digit: str) -> None:
        if not self.locked and len(self.entered) < PIN_MAX_DIGITS:
            self.entered += digit

    def delete_digit(self) -> None:
        self.entered = self.entered[:-1]

    def submit(self) -> None:
        if self.locked:
            return
        if not self.entered:
            self.message, self.refused = _("Type the staff PIN first."), False
            return
        clock = self.services.clock
        pin, self.entered = self.entered, ""
        try:
            self.services.kiosk.check_pin(pin, now=clock.now(), zone=clock.zone())
        except KioskError as problem:
            self.message, self.refused = str(problem), True
            if isinstance(problem, PinLockedError) or getattr(problem, "locked_until", None):
                self._show_lock()
            return
        self.message, self.refused = "", False
        self.kiosk.pin_accepted(self.purpose)

    def cancel(self) -> None:
        self.entered = ""
        self.kiosk.back_to_patient()

    @property
    def kiosk(self):
        from kivy.app import App

        return App.get_running_app().kiosk

    def _show_lock(self) -> None:
        clock = self.services.clock
        until = self.services.kiosk.locked_until(clock.now())
        was_locked, self.locked = self.locked, until is not None
        if until is not None:
            self.message = lock_message(until, clock.zone())
        elif was_locked:
            self.message, self.refused = _("PIN entry is open again."), False


load_kv_beside(__file__)
