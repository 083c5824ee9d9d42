"""Settings > Your data: when the diary was last backed up, a copy saved now in a folder the
patient picks, and a restore, from a backup the app made on this device or from a backup file
(one in the folder that is open, or a typed path). A restore is always asked first; the diary as
it was is set aside in a file of its own, never deleted, and every screen is built again on the
restored diary (`FacetCompanionApp.replace_diary`)."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from app.domain.dates import date_label
from app.i18n import N_, _
from app.store.backups import BackupError, good_backups, make_backup
from app.store.database import database_path
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.widgets.controls import AppButton
from app.ui.widgets.folder_picker import (
    FolderPicker,  # noqa: F401  (used in your_data.kv)
    start_folder,
)
from app.ui.words import restore_backup_question, restore_file_question

log = logging.getLogger(__name__)

FOLDER_KEY = "your_data.folder"  # the folder last backed up to, where the picker opens next
BACKUP_FILE_PATTERN = "*.db"
NO_ROOM = N_(
    "No backup was saved in {folder}: there is not enough free space there. Choose "
    "another folder, such as a USB stick, and tap “Back up now” again."
)
NOT_ALLOWED = N_(
    "No backup was saved in {folder}: this device does not let the app save there. "
    "Choose another folder, such as a USB stick, and tap “Back up now” again."
)
# Why a folder refused the copy, by the error the device or SQLite gave.
FOLDER_REFUSALS = {
    errno.ENOSPC: NO_ROOM,
    errno.EDQUOT: NO_ROOM,
    errno.EACCES: NOT_ALLOWED,
    errno.EPERM: NOT_ALLOWED,
    errno.EROFS: NOT_ALLOWED,
}
SQLITE_REFUSALS = {
    sqlite3.SQLITE_FULL: NO_ROOM,
    sqlite3.SQLITE_READONLY: NOT_ALLOWED,
    sqlite3.SQLITE_CANTOPEN: NOT_ALLOWED,
    sqlite3.SQLITE_PERM: NOT_ALLOWED,
}


def backup_refused(problem: BackupError, folder: str) -> str:
    """Why no copy was saved in `folder`: a full or closed folder in plain words, anything
    else as the backup said it."""
    cause = problem.__cause__
    why = None
    if isinstance(cause, OSError):
        why = FOLDER_REFUSALS.get(cause.errno)
    elif isinstance(cause, sqlite3.DatabaseError):
        why = SQLITE_REFUSALS.get(getattr(cause, "sqlite_errorcode", 0) & 0xFF)
    if why is None:
        return _("No backup was saved. {problem}").format(problem=problem)
    return _(why).format(folder=folder)


class YourDataScreen(AppScreen):
    initial_focus = StringProperty("back_up")
    last_backup_text = StringProperty("")
    outcome_text = StringProperty("")  # what the last backup or restore did, in words
    outcome_ok = BooleanProperty(True)
    files_text = StringProperty("")  # about the backup files in the open folder
    typed_error = StringProperty("")

    def open(self, outcome: str = "", ok: bool = True, **_context) -> None:
        self.outcome_text, self.outcome_ok = outcome, ok
        self.typed_error = ""
        self.ids.typed_file.text = ""
        self.ids.chooser.path = start_folder(self.services.settings.get(FOLDER_KEY))
        self.show_backups()
        self._show_outcome()

    # --- what is shown ------------------------------------------------------------------------

    def show_backups(self) -> None:
        """The last good backup in words, and one button per backup, newest first."""
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        backups = good_backups(self.services.data_dir)
        self.last_backup_text = (
            _("Last backup: {when}.").format(when=date_label(backups[0].made_at, now, zone))
            if backups
            else _("No backup yet.")
        )
        box = self.ids.backups
        box.clear_widgets()
        for backup in backups:
            when = date_label(backup.made_at, now, zone, in_sentence=True)
            button = AppButton(text=date_label(backup.made_at, now, zone))
            button.bind(
                on_press=lambda _b, path=backup.path, when=when: self.ask_to_restore(
                    path,
                    restore_backup_question(when),
                    _("Restored the diary from {when}.").format(when=when),
                )
            )
            box.add_widget(button)
        self.show_folder_files()

    def show_folder_files(self, *_args) -> None:
        """Backup files in the folder that is open, to restore from one of them."""
        folder = Path(self.ids.chooser.path)
        box = self.ids.folder_files
        box.clear_widgets()
        try:
            files = sorted(folder.glob(BACKUP_FILE_PATTERN), key=lambda p: p.name, reverse=True)
        except OSError:
            files = []
        for path in files:
            button = AppButton(text=path.name)
            button.bind(on_press=lambda _b, path=path: self.ask_to_restore_file(path))
            box.add_widget(button)
        self.files_text = (
            _("Backup files in the folder that is open:")
            if files
            else _("There is no backup file in the folder that is open.")
        )

    # --- back up now ----------------------------------------------------------------------------

    def back_up_now(self) -> None:
        folder = self.ids.chooser.chosen_folder()
        if folder is None:
            return  # the typed folder's problem is said at its field
        services = self.services
        try:
            backup = make_backup(
                database_path(services.data_dir),
                Path(folder),
                now=services.clock.now(),
                reason="by-hand",
            )
        except BackupError as problem:
            log.warning("Backing up to %s failed: %s", folder, problem)
            self._say(backup_refused(problem, folder), ok=False)
            return
        services.settings.put(FOLDER_KEY, folder)
        self._say(
            _("Saved: a backup of your diary, in the file {file}.").format(file=backup.path),
            ok=True,
        )
        self.show_folder_files()

    # --- restore --------------------------------------------------------------------------------

    def restore_typed(self) -> None:
        typed = self.ids.typed_file.text.strip()
        if not typed:
            self.typed_error = _("Type the full path of a backup file, or choose one above.")
            return
        path = Path(typed).expanduser()
        if not path.is_file():
            self.typed_error = _(
                "There is no file at {path}. Check the spelling, or choose a file from the list."
            ).format(path=typed[:80])
            return
        self.typed_error = ""
        self.ask_to_restore_file(path)

    def ask_to_restore_file(self, path: Path) -> None:
        self.ask_to_restore(
            path,
            restore_file_question(path.name),
            _("Restored the file {file}.").format(file=path.name),
        )

    def ask_to_restore(self, path: Path, question: str, restored: str) -> None:
        """Ask `question` first; `restored` says afterwards what was restored."""
        ConfirmDialog(
            title=_("Restore your diary?"),
            message=question,
            stay_text=_("Keep my diary as it is"),
            go_text=_("Restore"),
            on_go=lambda: self._restore(path, restored),
        ).open()

    def _restore(self, path: Path, restored: str) -> None:
        app = App.get_running_app()
        try:
            set_aside = app.replace_diary(path)
        except BackupError as problem:
            outcome, ok = _("Your diary was not changed. {problem}").format(problem=problem), False
        else:
            kept = (
                _("The diary you had before is kept in {file}.").format(file=set_aside)
                if set_aside
                else ""
            )
            outcome, ok = " ".join(part for part in (restored, kept) if part), True
        # Every screen was built again on the diary as it is now; this page with them.
        navigator = app.navigator
        if navigator is not None:
            navigator.go("settings")
            navigator.go("your_data", outcome=outcome, ok=ok)

    def _say(self, outcome: str, *, ok: bool) -> None:
        self.outcome_text, self.outcome_ok = outcome, ok
        self._show_outcome()

    def _show_outcome(self) -> None:
        """The top of the page, or what the last backup or restore did where it is said (in
        portrait, below the folder), once the page has laid out its words."""
        scroll = self.ids.scroll
        scroll.scroll_y = 1
        if self.outcome_text:
            Clock.schedule_once(lambda _dt: scroll.scroll_to(self.ids.outcome, animate=False))

    # --- nothing typed is lost ----------------------------------------------------------------

    @property
    def unsaved_message(self) -> str:
        return _("The path you typed has not been used yet.")

    def has_unsaved_input(self) -> bool:
        return bool(self.ids.typed_file.text.strip()) or self.ids.chooser.has_typed_path()

    def forget_unsaved_input(self) -> None:
        self.ids.typed_file.text = ""
        self.ids.chooser.forget_typed()


load_kv_beside(__file__)
