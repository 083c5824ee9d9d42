"""Log pain in three taps: "Log pain", a number, then Save."""

from kivy.properties import StringProperty

from app.domain.dates import clock_time
from app.domain.diary import DiaryInputError
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen


class QuickLogScreen(AppScreen):
    initial_focus = StringProperty("scale")
    error = StringProperty("")

    def open(self, **_context) -> None:
        self.ids.scale.score = None
        self.error = ""
        self.ids.scroll.scroll_y = 1

    @keeps_input_when_storage_fails
    def save(self) -> None:
        try:
            saved = self.services.diary_service.add({"score": self.ids.scale.score})
        except DiaryInputError as problem:
            self.error = " ".join(problem.errors.values())
            return
        self.navigator.back()
        self.show_banner(
            _("Saved: pain {score} at {time}.").format(
                score=saved.score, time=clock_time(saved.at, saved.zone)
            ),
            seconds=12,
            action_text=_("Undo"),
            action=lambda: self._undo(saved.id),
        )

    def add_details(self) -> None:
        self.navigator.go("entry", score=self.ids.scale.score)

    def _undo(self, entry_id: int) -> None:
        self.services.diary_service.delete(entry_id)
        self.navigator.current.open()
        self.show_banner(_("That entry was removed."))


load_kv_beside(__file__)
