"""The Kivy application: opens the database, builds the shell and handles Back."""

from __future__ import annotations

import logging
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import ObjectProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget
from kivy.utils import platform

from app.services.data_safety import open_diary, start_new_diary
from app.services.language import apply_patient_language
from app.services.paths import resolve_data_dir
from app.ui.first_frame import AfterFirstFrame
from app.ui.kiosk_mode import KioskMode
from app.ui.navigation import Navigator
from app.ui.save_problems import why_not_saved
from app.ui.services import Services
from app.ui.shell import Shell, laid_out
from app.ui.theme import Theme, apply_display_settings
from app.ui.widgets.banner import Banner
from app.ui.widgets.confirm import ConfirmDialog, ask_to_leave_unsaved

if TYPE_CHECKING:
    from app.ui.screens.recovery import RecoveryPage

# The recovery page and the missed-reminders list are imported where they are shown: an
# ordinary start draws Today without them.

log = logging.getLogger(__name__)
T = TypeVar("T")

ESCAPE_OR_ANDROID_BACK = 27
REMINDERS_START_DELAY = 1.0  # seconds after the first frame
REMINDER_TICK_SECONDS = 15
# Reminders whose banner opens the page where the patient answers them.
REMINDER_SCREENS = {"block-prompt": "block_diary", "checkin": "outcomes"}


class FacetCompanionApp(App):
    title = "Facet Companion"
    theme = ObjectProperty(None)
    kiosk = ObjectProperty(None)  # KioskMode: `app.kiosk.active` in kv

    def __init__(
        self,
        *,
        data_dir: str | Path | None = None,
        clock,
        notifier=None,
        speaker=None,
        kiosk: bool = False,
        **kwargs,
    ):
        self.theme = Theme()
        self.kiosk = KioskMode(self, forced=kiosk)
        super().__init__(**kwargs)
        self.data_dir_option = data_dir
        self.clock = clock
        self.notifier = notifier
        self.speaker = speaker  # a Speaker; None: the device's own voice
        self.data_dir: Path | None = None
        self.frame: FloatLayout | None = None  # holds the screens, or the recovery page
        self.services: Services | None = None
        self.navigator: Navigator | None = None
        self.banner = None
        self._reminder_events: list = []

    def build(self):
        Window.clearcolor = self.theme.background
        self.theme.bind(background=lambda _theme, colour: setattr(Window, "clearcolor", colour))
        self.data_dir = resolve_data_dir(self.data_dir_option, self._mobile_data_dir())
        Window.bind(
            on_keyboard=self._on_keyboard,
            on_key_down=self._on_key_down,
            on_touch_down=self._on_touch_down,
            on_request_close=self._on_request_close,
        )
        # At the window's size from the start, so Today is built and laid out at it (laid_out).
        self.frame = FloatLayout(size=Window.size)
        self.open_diary()
        return self.frame

    def _mobile_data_dir(self) -> Path | None:
        """Android's and iOS's own app folder. On desktops the same folder Kivy would give comes
        from paths.desktop_user_data_dir, made with its parents when the diary opens: Kivy's
        user_data_dir makes only the last folder and ended the start on an account that has no
        ~/.config yet."""
        return Path(self.user_data_dir) if platform in ("android", "ios") else None

    # --- the diary: opened, shown, replaced ------------------------------------------------

    def open_diary(self) -> None:
        """Open the diary safely and show it; or, when that cannot be done alone, the page that
        says what happened and what to do. A repair from a backup is told once, on Today."""
        opened = open_diary(
            self.data_dir, now=self.clock.now(), runner="app", zone=self.clock.zone()
        )
        if opened.problem is not None:
            from app.ui.screens.recovery import RecoveryPage

            self._show_page(RecoveryPage(problem=opened.problem))
            return
        self.show_diary(opened.db)
        if opened.notice:  # over Today, once its first frame is drawn
            notice = opened.notice
            Clock.schedule_once(lambda _dt: _open_repair_notice(notice))

    def show_diary(self, db) -> None:
        """Build the services and the screens on `db`, and show Today."""
        self.services = services = Services(db, self.clock, self.data_dir, self.speaker)
        self._unless_storage_refuses(
            services.diary_service.forget_deleted, "Purging deleted entries"
        )
        apply_display_settings(self.theme, services.settings)
        apply_patient_language(services.settings)
        shell = laid_out(Shell(size=self.frame.size))
        self.banner = Banner(host=shell)
        self.navigator = Navigator(
            shell.ids.manager, self.services, self.ask_to_quit, theme=self.theme
        )
        self._show_page(shell)
        self.navigator.home()
        if not services.settings.guide_offered() and not services.plan.procedures():
            self.navigator.go("guide")
        # Reminders need not hold up the first frame; they start a moment after it.
        self._reminder_events = [
            AfterFirstFrame(lambda _dt: self._start_reminders(db), REMINDERS_START_DELAY)
        ]

    def replace_diary(self, backup_file: Path) -> Path | None:
        """Restore `backup_file` over the diary: the connection closed, the file restored (the
        current one set aside, never deleted), the diary opened again and every screen built
        afresh on it, from Today. Returns where the old file was set aside (None when there was
        none); raises
        `BackupError` with the reason in plain words, the diary then opened again as it was."""
        from app.store.backups import restore

        self._close_diary()
        try:
            return restore(self.data_dir, backup_file, now=self.clock.now())
        finally:
            self.open_diary()

    def restore_newest_backup(self) -> Path | None:
        """The recovery page's "Restore": the newest good backup (raises `BackupError`)."""
        from app.store.backups import BackupError, newest_good_backup

        newest = newest_good_backup(self.data_dir)
        if newest is None:
            raise BackupError("There is no good backup of your diary on this device.")
        return self.replace_diary(newest.path)

    def start_new_diary(self) -> None:
        """The recovery page's "Start a new diary": the old files set aside, never deleted,
        then the new diary opened as every start opens it (with the notice of what could be
        kept from the old file). Raises `BackupError` when no new file can be made, the
        recovery page shown again."""
        from app.store.backups import BackupError

        self._close_diary()
        try:
            start_new_diary(self.data_dir, now=self.clock.now()).close()
        except (OSError, sqlite3.DatabaseError) as error:
            log.warning("No new diary could be started: %s", error)
            self.open_diary()
            raise BackupError(
                f"The app could not make a new diary file in {self.data_dir}."
            ) from error
        self.open_diary()

    @property
    def recovery_page(self) -> RecoveryPage | None:
        """The "could not be opened" page, while it is the one shown."""
        from app.ui.screens.recovery import RecoveryPage

        shown = self.frame.children if self.frame is not None else []
        return next((page for page in shown if isinstance(page, RecoveryPage)), None)

    def _show_page(self, page) -> None:
        self.frame.clear_widgets()
        self.frame.add_widget(page)
        if not isinstance(page, Shell):
            self.services = self.navigator = self.banner = None

    def _close_diary(self) -> None:
        """Stop everything that reads or writes the diary, and close its connection."""
        if self.navigator is not None:
            self.navigator.current.save_what_is_typed()
        for event in self._reminder_events:
            event.cancel()
        self._reminder_events = []
        self._dismiss_questions()
        if self.services is not None:
            self.services.speech.stop()
            self.services.db.close()
        self._show_page(Widget())

    @staticmethod
    def _unless_storage_refuses(write: Callable[[], T], what: str) -> T | None:
        """A write the app makes by itself (purging old deleted entries, reminders): on storage
        that refuses writes (full, read-only, locked) it waits for a later try, logged, and the
        app keeps running; None then."""
        try:
            return write()
        except sqlite3.DatabaseError as error:
            if why_not_saved(error) is None:
                raise
            log.warning("%s waits for storage that takes writes: %s", what, error)
            return None

    def on_start(self) -> None:
        # SDL turns SIGTERM (the desktop logging out, a service manager stopping the app) into a
        # close request, which the app would answer with a question nobody is there to see. Stop
        # instead: stop() saves what is typed, as every stop does.
        signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: self.stop()))
        self.kiosk.start()  # stored kiosk mode comes back at every start, locked

    def _start_reminders(self, db) -> None:
        from app.services.kiosk import WordlessNotifier
        from app.services.notifier import PlyerNotifier
        from app.services.reminder_service import ReminderService

        # In kiosk mode a system notification carries none of the patient's words.
        notifier = WordlessNotifier(
            self.notifier or PlyerNotifier(speaker=self.services.speech), lambda: self.kiosk.active
        )
        reminders = ReminderService(db, self.clock, notifier, runner="app")
        self.services.reminders = reminders
        away = self._unless_storage_refuses(reminders.collect_missed, "Collecting reminders")
        if away:
            from app.ui.widgets.away_list import AwayList

            AwayList(away, self.clock.now(), self.clock.zone()).open()
        self.tick_reminders()
        self._reminder_events.append(
            Clock.schedule_interval(lambda _dt: self.tick_reminders(), REMINDER_TICK_SECONDS)
        )

    def tick_reminders(self) -> None:
        """Deliver what is due; the newest one also shows in the banner, with Done. Storage
        that refuses writes (full, read-only) holds reminders back until it takes them again;
        the app keeps running."""
        result = self._unless_storage_refuses(self.services.reminders.tick, "Delivering reminders")
        if result is None:
            return
        if result.away:
            from app.ui.widgets.away_list import AwayList

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
            self.banner.show(
                message,
                seconds=60,
                action_text="Open",
                action=lambda: self._open_reminder(newest, opens),
            )
        else:
            self.banner.show(
                message, seconds=60, action_text="Done", action=lambda: self._reminder_done(newest)
            )

    def _reminder_done(self, record) -> None:
        self.services.reminders.states.done(record.occurrence, now=self.clock.now())

    def _open_reminder(self, record, screen: str) -> None:
        """A block prompt opens the block diary; an RFA check-in opens the outcomes."""
        self._reminder_done(record)
        self.navigator.go(screen, procedure_id=record.occurrence.procedure_id)

    def on_pause(self) -> bool:
        """Android sends the app to the background: what saves as it goes is saved now."""
        if self.navigator is not None:
            self.navigator.current.save_what_is_typed()
        return True

    def on_stop(self):
        self.kiosk.stop()
        if self.frame is not None:
            self._close_diary()
        Window.unbind(
            on_keyboard=self._on_keyboard,
            on_key_down=self._on_key_down,
            on_touch_down=self._on_touch_down,
            on_request_close=self._on_request_close,
        )

    def ask_to_quit(self) -> None:
        if self.kiosk.active:  # only the staff page closes a kiosk
            self.kiosk.refuse_to_quit()
            return
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
        if self.kiosk.active:
            self.navigator.current.save_what_is_typed()
            return True  # the window stays: only the staff page closes a kiosk
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
        open_dialogs = [w for w in Window.children if isinstance(w, ConfirmDialog) and w.is_open]
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
        if self.kiosk.covered:
            return True  # nothing moves behind the privacy cover
        if self._dismiss_questions():
            return True
        if self.navigator is None:
            self.ask_to_quit()  # the recovery page: nothing to go back to
        else:
            self.navigator.back()
        return True


def _open_repair_notice(message: str) -> None:
    from app.ui.screens.recovery import RepairNotice

    RepairNotice(message=message).open()
