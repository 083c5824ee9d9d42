"""The Kivy application: opens the database, builds the shell and handles Back."""

from __future__ import annotations

import signal
from datetime import timedelta
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import ObjectProperty

from app.services.paths import resolve_data_dir
from app.store.database import DatabaseRefusedError, open_database
from app.ui.navigation import Navigator
from app.ui.services import Services
from app.ui.shell import Shell, StartupProblem
from app.ui.theme import Theme, apply_display_settings
from app.ui.widgets.away_list import AwayList
from app.ui.widgets.banner import Banner
from app.ui.widgets.confirm import ConfirmDialog, ask_to_leave_unsaved

ESCAPE_OR_ANDROID_BACK = 27
# Deleted entries stay restorable until the next start at least this long after deleting.
KEEP_DELETED = timedelta(hours=1)
REMINDERS_START_DELAY = 1.0  # seconds after start
REMINDER_TICK_SECONDS = 15
# Reminders whose banner opens the page where the patient answers them.
REMINDER_SCREENS = {"block-prompt": "block_diary", "checkin": "outcomes"}


class FacetCompanionApp(App):
    title = "Facet Companion"
    theme = ObjectProperty(None)

    def __init__(self, *, data_dir: str | Path | None = None, clock, notifier=None, **kwargs):
        self.theme = Theme()
        super().__init__(**kwargs)
        self.data_dir_option = data_dir
        self.clock = clock
        self.notifier = notifier
        self.data_dir: Path | None = None
        self.services: Services | None = None
        self.navigator: Navigator | None = None
        self.banner = None

    def build(self):
        Window.clearcolor = self.theme.background
        self.theme.bind(background=lambda _theme, colour: setattr(Window, "clearcolor", colour))
        self.data_dir = resolve_data_dir(self.data_dir_option, Path(self.user_data_dir))
        try:
            db = open_database(self.data_dir)
        except DatabaseRefusedError as problem:
            return StartupProblem(message=str(problem))
        self.services = services = Services(db, self.clock, self.data_dir)
        services.diary.purge_deleted(before=self.clock.now() - KEEP_DELETED)
        apply_display_settings(self.theme, services.settings)
        shell = Shell()
        self.banner = Banner(host=shell)
        self.navigator = Navigator(shell.ids.manager, self.services, self.ask_to_quit)
        self.navigator.home()
        if not services.settings.guide_offered() and not services.plan.procedures():
            self.navigator.go("guide")
        Window.bind(on_keyboard=self._on_keyboard, on_key_down=self._on_key_down,
                    on_touch_down=self._on_touch_down, on_request_close=self._on_request_close)
        # Reminders need not hold up the first frame; they start a moment later.
        self._reminder_events = [
            Clock.schedule_once(lambda _dt: self._start_reminders(db), REMINDERS_START_DELAY)
        ]
        return shell

    def on_start(self) -> None:
        # SDL turns SIGTERM (the desktop logging out, a service manager stopping the app) into a
        # close request, which the app would answer with a question nobody is there to see. Stop
        # instead: stop() saves what is typed, as every stop does.
        signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: self.stop()))

    def _start_reminders(self, db) -> None:
        from app.services.notifier import PlyerNotifier
        from app.services.reminder_service import ReminderService

        reminders = ReminderService(db, self.clock, self.notifier or PlyerNotifier(), runner="app")
        self.services.reminders = reminders
        away = reminders.collect_missed()
        if away:
            AwayList(away, self.clock.now(), self.clock.zone()).open()
        self.tick_reminders()
        self._reminder_events.append(
            Clock.schedule_interval(lambda _dt: self.tick_reminders(), REMINDER_TICK_SECONDS))

    def tick_reminders(self) -> None:
        """Deliver what is due; the newest one also shows in the banner, with Done."""
        result = self.services.reminders.tick()
        if result.away:
            AwayList(result.away, self.clock.now(), self.clock.zone()).open()
        if not result.delivered:
            return
        newest = result.delivered[-1]
        more = len(result.delivered) - 1
        message = f"{newest.occurrence.title}: {newest.occurrence.text}"
        if more:
            message += f" (and {more} more in Reminders)"
        opens = REMINDER_SCREENS.get(newest.occurrence.kind)
        if opens and newest.occurrence.procedure_id is not None:
            self.banner.show(message, seconds=60, action_text="Open",
                             action=lambda: self._open_reminder(newest, opens))
        else:
            self.banner.show(message, seconds=60, action_text="Done",
                             action=lambda: self.services.reminders.done(newest))

    def _open_reminder(self, record, screen: str) -> None:
        """A block prompt opens the block diary; an RFA check-in opens the outcomes."""
        self.services.reminders.done(record)
        self.navigator.go(screen, procedure_id=record.occurrence.procedure_id)

    def on_pause(self) -> bool:
        """Android sends the app to the background: what saves as it goes is saved now."""
        if self.navigator is not None:
            self.navigator.current.save_what_is_typed()
        return True

    def on_stop(self):
        if self.navigator is not None:
            self.navigator.current.save_what_is_typed()
        for event in getattr(self, "_reminder_events", ()):
            event.cancel()
        Window.unbind(on_keyboard=self._on_keyboard, on_key_down=self._on_key_down,
                      on_touch_down=self._on_touch_down, on_request_close=self._on_request_close)
        if self.services is not None:
            self.services.diary.db.close()

    def ask_to_quit(self) -> None:
        ConfirmDialog(
            title="Close Facet Companion?",
            message="Everything you saved stays on this device.",
            stay_text="Stay",
            go_text="Close the app",
            on_go=self.stop,
        ).open()

    def _on_request_close(self, *_args, **_kwargs) -> bool:
        """The window's close button, or the desktop logging out: ask as Escape on Today does,
        or "Leave without saving?" where input would be lost. True keeps the window open.
        `stop()` (the kiosk, the tests, "Close the app") closes without this question."""
        if self.navigator is None:
            return False  # the start-up problem page holds nothing to lose
        self._dismiss_questions()
        screen = self.navigator.current
        screen.save_what_is_typed()
        if screen.has_unsaved_input():
            ask_to_leave_unsaved(screen.unsaved_message, self.stop)
        else:
            self.ask_to_quit()
        return True

    @staticmethod
    def _dismiss_questions() -> bool:
        """Close any open question with its safe answer; True if there was one."""
        open_dialogs = [w for w in Window.children
                        if isinstance(w, ConfirmDialog) and w.is_open]
        for dialog in open_dialogs:
            dialog.dismiss()
        return bool(open_dialogs)

    def _on_key_down(self, *_args) -> None:
        self.theme.keyboard_mode = True

    def _on_touch_down(self, *_args) -> None:
        self.theme.keyboard_mode = False

    def _on_keyboard(self, _window, key, *_args) -> bool:
        if key != ESCAPE_OR_ANDROID_BACK:
            return False
        if not self._dismiss_questions():
            self.navigator.back()
        return True
