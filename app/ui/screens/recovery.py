""" "Your diary could not be opened": shown instead of the app when the diary cannot be opened
safely and nothing safe could be done alone (`app.services.data_safety.DiaryProblem`). It says
what happened in plain words, by kind, and offers what can be done: restore the newest backup,
try again (a locked or read-only file), or start a new diary (a missing diary, or a damaged one
with no backup to bring back). Every choice that changes files is asked first; nothing is ever
deleted: the old files are set aside. Also the notice shown
once over Today after the app repaired the diary from a backup by itself (or started a new one).
"""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.modalview import ModalView

from app.domain.dates import date_label
from app.i18n import N_, _
from app.store.backups import BackupError, newest_good_backup
from app.ui.kv import load_kv_beside
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.words import restore_backup_question

log = logging.getLogger(__name__)

# kind -> what happened, in a few words; the problem's own message says the rest (what was
# found, that nothing was changed, and what to do) in plain words.
WHAT_HAPPENED = {
    "damaged": N_("Your diary file is damaged"),
    "read_only": N_("The app cannot write to your diary"),
    "locked": N_("Another program is using your diary"),
    "newer": N_("Your diary is from a newer version of the app"),
    "missing": N_("Your diary file is missing"),
}
TRY_AGAIN_KINDS = {"read_only", "locked"}


class RecoveryPage(FloatLayout):
    """`problem`: the `DiaryProblem` that stopped the start."""

    problem = ObjectProperty(None)
    what_happened = StringProperty("")
    details = StringProperty("")
    can_restore = BooleanProperty(False)
    can_try_again = BooleanProperty(False)
    can_start_new = BooleanProperty(False)
    restore_text = StringProperty("")
    error = StringProperty("")  # a restore or new diary that did not work, and why

    def on_problem(self, _page, problem) -> None:
        kind = problem.kind
        self.what_happened = _(WHAT_HAPPENED[kind])
        self.details = problem.message
        self.can_restore = problem.can_restore or kind == "missing"
        self.can_try_again = kind in TRY_AGAIN_KINDS
        self.can_start_new = kind == "missing" or (kind == "damaged" and not self.can_restore)
        self.restore_text = (
            _("Restore my diary") if kind == "missing" else _("Restore the newest backup")
        )
        Clock.schedule_once(lambda _dt: self._focus_first_choice())

    def _focus_first_choice(self) -> None:
        """The keyboard starts on what the page suggests first, as the app's screens do."""
        shown = [
            self.ids.restore if self.can_restore else None,
            self.ids.try_again if self.can_try_again else None,
            self.ids.start_new if self.can_start_new else None,
            self.ids.close,
        ]
        next(button for button in shown if button is not None).focus = True

    def ask_to_restore(self) -> None:
        app = App.get_running_app()
        newest = newest_good_backup(app.data_dir)
        if newest is None:
            self.error = _("No good backup of your diary was found on this device.")
            return
        when = date_label(newest.made_at, app.clock.now(), app.clock.zone(), in_sentence=True)
        missing = self.problem.kind == "missing"
        ConfirmDialog(
            title=_("Restore your diary?"),
            message=(
                _("Restore the diary from {when}? It holds what you saved up to then.").format(
                    when=when
                )
                if missing
                else restore_backup_question(when)
            ),
            stay_text=_("Not now"),
            go_text=_("Restore"),
            on_go=lambda: self._restore(when),
        ).open()

    def _restore(self, when: str) -> None:
        app = App.get_running_app()
        try:
            app.restore_newest_backup()
        except BackupError as problem:
            log.warning("Restoring the newest backup failed: %s", problem)
            self._say_on_shown_page(
                _("The backup could not be restored. {problem}").format(problem=problem)
            )
            return
        if app.banner is not None:
            app.banner.show(
                _("Your diary was restored from {when}.").format(when=when),
                seconds=30,
                action_text=_("OK"),
            )

    def ask_to_start_new(self) -> None:
        ConfirmDialog(
            title=_("Start a new diary?"),
            message=_(
                "The app starts again with an empty diary. Your old diary file and its "
                "backups stay on this device, set aside, not deleted: a backup can still "
                "be restored later from Settings, “Your data”."
            ),
            stay_text=_("Not now"),
            go_text=_("Start a new diary"),
            on_go=self._start_new,
        ).open()

    def _start_new(self) -> None:
        try:
            App.get_running_app().start_new_diary()
        except BackupError as problem:
            self._say_on_shown_page(
                _("A new diary could not be started. {problem}").format(problem=problem)
            )

    @staticmethod
    def _say_on_shown_page(message: str) -> None:
        """After a failed attempt the diary was looked at again: the page now shown (a new one,
        saying how things stand now) says why the attempt did not work."""
        page = App.get_running_app().recovery_page
        if page is not None:
            page.error = message

    def try_again(self) -> None:
        App.get_running_app().open_diary()


class RepairNotice(ModalView):
    """Said once, over Today, after the app set a damaged diary aside and restored a backup, or
    started a new diary and kept what it could of the old one."""

    message = StringProperty("")

    def on_open(self):
        self.ids.ok.focus = True


load_kv_beside(__file__)
