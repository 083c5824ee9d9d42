"""Kiosk mode in the window: full screen, no way out without the staff PIN, the staff part
unlocked only after the PIN, and the privacy cover after the idle time.

State kept only in memory on purpose: `staff_unlocked`. A crash or a restart therefore always
comes back locked: kiosk mode itself is stored (`KioskService.settings().enabled`), so the next
start is kiosk again, with the cover up when a session was open and the PIN pad otherwise.
"""

from __future__ import annotations

import time

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty

from app.i18n import N_, _
from app.services.kiosk_flag import KIOSK_KEY, kiosk_stored_as_on

IDLE_CHECK_SECONDS = 1.0
# What comes through the cover instead of a reminder's own words: no name, no scores, no text
# the patient typed.
COVER_NOTICE = N_("A question from your care team is waiting. Tap to answer.")
# The pages staff use once unlocked; showing any other page locks the staff part again.
STAFF_SCREENS = ("kiosk_pin", "kiosk_staff", "kiosk_setup", "settings")


class KioskMode(EventDispatcher):
    """One per app; `active` only while kiosk mode is on. kv reads `app.kiosk.active` and
    `app.kiosk.staff_unlocked` to hide what a patient must not reach."""

    active = BooleanProperty(False)
    staff_unlocked = BooleanProperty(False)
    covered = BooleanProperty(False)
    # Tests keep the test window as it is; a real start sets full screen in Kivy's Config.
    controls_window = True

    def __init__(self, app, *, forced: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.app = app
        self.forced = forced  # `--kiosk` on the command line
        self.idle_seconds = 0.0
        self._last_activity = time.monotonic()
        self._idle_event = None
        self._cover = None

    @property
    def service(self):
        return self.app.services.kiosk

    # --- turning it on and off ------------------------------------------------------------

    def start(self) -> None:
        """At start-up, after the window is built: kiosk mode when it is stored or asked for."""
        if self.app.services is None:
            return  # the diary could not be opened: that page has nothing to protect
        if not self.forced and not kiosk_stored_as_on(self.app.services.settings.get(KIOSK_KEY)):
            return  # an ordinary start: the kiosk service is not even imported
        settings = self.service.settings()
        if self.forced and settings.set_up and not settings.enabled:
            self.service.set_enabled(True)
            settings = self.service.settings()
        if settings.enabled:
            self.activate(staff_unlocked=False)
        elif self.forced:
            self.app.banner.show(
                "Kiosk mode is not set up yet. Clinic staff: open Settings > Clinic kiosk.",
                seconds=30,
            )

    def activate(self, *, staff_unlocked: bool) -> None:
        settings = self.service.settings()
        self.idle_seconds = settings.idle_minutes * 60
        self.active = True
        self.staff_unlocked = staff_unlocked
        self._set_window(kiosk=True)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        self._last_activity = time.monotonic()
        if self._idle_event is None:
            self._idle_event = Clock.schedule_interval(self._check_idle, IDLE_CHECK_SECONDS)
        if self.app.banner is not None:
            self.app.banner.bind(shown=self._on_banner)
        self.app.navigator.manager.bind(current_screen=self._on_screen)
        if staff_unlocked:
            self.app.navigator.go("kiosk_staff")
        elif self.session_open():
            self.app.navigator.home()
            self.cover()
        else:
            self.show_pin_pad("start")

    def leave(self) -> None:
        """ "Leave kiosk mode" (the staff panel, after the PIN): the next start is normal."""
        self.service.set_enabled(False)
        self.stop()
        self.active = self.staff_unlocked = False
        self.uncover()
        self._set_window(kiosk=False)
        self.app.navigator.home()

    def stop(self) -> None:
        """Stop watching (also when the app stops). Changes no property kv reads: during the
        App's on_stop that would tie kv's `app` to the stopping app."""
        if self._idle_event is not None:
            self._idle_event.cancel()
            self._idle_event = None
        Window.unbind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        if self.app.banner is not None:
            self.app.banner.unbind(shown=self._on_banner)
        if self.app.navigator is not None:
            self.app.navigator.manager.unbind(current_screen=self._on_screen)

    def _on_screen(self, _manager, screen) -> None:
        if screen is not None and screen.name not in STAFF_SCREENS:
            self.staff_unlocked = False

    def _set_window(self, *, kiosk: bool) -> None:
        if not self.controls_window:
            return
        Window.borderless = kiosk
        Window.fullscreen = "auto" if kiosk else False

    # --- the staff PIN ----------------------------------------------------------------------

    def session_open(self) -> bool:
        return self.service.session_opened_at() is not None

    def show_pin_pad(self, purpose: str) -> None:
        """Ask the staff PIN; `pin_accepted(purpose)` follows the right one."""
        self.app.navigator.go("kiosk_pin", purpose=purpose)
        if purpose == "start":
            self.app.navigator.history.clear()  # nothing behind it to go Back to

    def pin_accepted(self, purpose: str) -> None:
        self.staff_unlocked = True
        navigator = self.app.navigator
        navigator.go({"settings": "settings", "setup": "kiosk_setup"}.get(purpose, "kiosk_staff"))
        if navigator.history and navigator.history[-1] == "kiosk_pin":
            navigator.history.pop()  # Back never returns to the PIN pad

    def back_to_patient(self) -> None:
        """Staff hand the tablet back: the staff part locks again."""
        self.staff_unlocked = False
        if self.session_open():
            self.app.navigator.home()
        else:
            self.show_pin_pad("start")

    def refuse_to_quit(self) -> None:
        """Escape or Back on the first page, or the window's close button: kiosk stays."""
        self.app.banner.show(
            "This tablet stays in the app. Clinic staff can close it from "
            "Settings > For clinic staff.",
            seconds=6,
        )

    # --- idle and the privacy cover ---------------------------------------------------------

    def _on_activity(self, *_args) -> None:
        self._last_activity = time.monotonic()

    def _check_idle(self, _dt=None) -> None:
        if self.covered:
            self._keep_cover_on_top()
            return
        if time.monotonic() - self._last_activity < self.idle_seconds:
            return
        if getattr(self.app.navigator.current, "busy", False):
            return  # finishing a session: the staff page shows its progress until it is done
        if self.session_open():
            self.cover()
        elif self.staff_unlocked:  # staff walked away from the staff panel
            self.staff_unlocked = False
            self.show_pin_pad("start")

    def cover(self) -> None:
        """Hide everything behind the cover: no name, no scores. The staff part locks."""
        from app.ui.widgets.kiosk_cover import KioskCover

        self.app._dismiss_questions()
        if self.app.services is not None:
            self.app.services.speech.stop()  # a page read aloud is hidden from the ears too
        self.staff_unlocked = False
        if self.app.navigator.current.name in STAFF_SCREENS:
            self.app.navigator.home()  # the tap that lifts the cover must not find staff pages
        if self._cover is None:
            self._cover = KioskCover(on_uncover=self.uncover)
        self._cover.notice = _(COVER_NOTICE) if self.app.banner.shown else ""
        if self._cover.parent is None:
            Window.add_widget(self._cover)
        self.covered = True

    def uncover(self) -> None:
        if self._cover is not None and self._cover.parent is not None:
            self._cover.parent.remove_widget(self._cover)
        self.covered = False
        self._last_activity = time.monotonic()
        if (
            self.active
            and not self.session_open()
            and self.app.navigator is not None
            and self.app.navigator.current.name != "kiosk_pin"
        ):
            self.show_pin_pad("start")

    def _keep_cover_on_top(self) -> None:
        """A popup opened under the cover (a missed-reminders list) must not show over it."""
        cover = self._cover
        if cover is not None and cover.parent is Window and Window.children[0] is not cover:
            Window.remove_widget(cover)
            Window.add_widget(cover)

    def _on_banner(self, _banner, shown: bool) -> None:
        if self.covered and self._cover is not None:
            self._cover.notice = _(COVER_NOTICE) if shown else ""
