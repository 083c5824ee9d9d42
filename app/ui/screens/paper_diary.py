"""Enter a paper diary: one line of the clinic's paper block diary at a time, copied into the app
afterwards. The time written on the paper is typed ("14:30") or stepped 5 minutes at a time; it
is taken as the first such clock time after the block, so a diary that runs past midnight needs
no date. Each area and side gets its own 0 to 10 scale. A saved line counts in the relief summary
at its own time and is shown as "from paper"; live prompts keep their own records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kivy.properties import StringProperty

from app.domain import block_diary as bd
from app.domain.dates import clock_time, date_label
from app.i18n import _
from app.ui.block_words import side_score_words
from app.ui.kv import load_kv_beside
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.screens.block_diary import REGION_AREA, SideScore

STEP = timedelta(minutes=5)


def paper_words(scores) -> str:
    """What a paper line's row says: "From paper: left 3, right 1"."""
    several_places = len({s.area for s in scores}) > 1
    parts = [
        _("{place}: {score}").format(place=bd.area_label(s.area, s.side).lower(), score=s.score)
        if several_places
        else side_score_words(s.side, s.score)
        for s in scores
    ]
    return _("From paper: {scores}").format(scores=", ".join(parts))


class PaperDiaryScreen(AppScreen):
    heading = StringProperty("")
    block_text = StringProperty("")
    when_text = StringProperty("")  # the chosen time in words, or what is wrong with it
    time_error = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._procedure = None
        self._prompts: tuple = ()
        self._at: datetime | None = None
        self._showing_time = False
        self._opened_with: tuple = ()

    # --- visits -----------------------------------------------------------------------------

    def open(self, procedure_id: int | None = None, **_context) -> None:
        service = self.services.block_diary
        zone, now = self.services.clock.zone(), self.services.clock.now()
        # Opened from the block diary with its block; otherwise (a link from elsewhere) the
        # block the diary is about now.
        self._procedure = (
            service.block(procedure_id) if procedure_id is not None else service.current_block(now)
        )
        if self._procedure is None:
            raise LookupError("There is no block for a paper diary.")
        procedure = self._procedure
        self._prompts = service.prompts(procedure.id)
        ends = bd.diary_ends(self._prompts)
        self.heading = _("Enter a paper diary")
        self.block_text = _(
            "Copy one line of the paper diary your clinic gave you: the time you wrote down, "
            "what you were doing, and each score. Your block: {block}. The diary runs until "
            "{ends}. Each line you save counts at its own time, marked as from paper."
        ).format(
            block=date_label(procedure.at, now, zone, in_sentence=True),
            ends=date_label(ends, now, zone, in_sentence=True),
        )
        self._show_scales()
        self._set_time(procedure.at + timedelta(minutes=15))
        self.ids.activity.text = ""
        self.ids.activity_error.text = self.ids.scores_error.text = ""
        self._opened_with = self._form_values()
        self.ids.scroll.scroll_y = 1

    def _show_scales(self) -> None:
        procedure = self._procedure
        service = self.services.block_diary
        places = [(b.area, b.side) for b in service.baselines(procedure.id)]
        if not places:
            area = REGION_AREA.get(procedure.region, "lower_back")
            sides = ("left", "right") if procedure.side == "both" else (procedure.side,)
            places = [(area, side) for side in sides]
        box = self.ids.scales
        box.clear_widgets()
        for area, side in places:
            box.add_widget(SideScore(area=area, side=side, caption=bd.area_label(area, side)))

    @property
    def side_scores(self) -> list[SideScore]:
        return list(reversed(self.ids.scales.children))

    # --- the time ---------------------------------------------------------------------------

    def step_time(self, direction: int) -> None:
        """5 minutes earlier or later; never to the block's own time or before it."""
        if self._at is None:
            self._set_time(self._procedure.at + timedelta(minutes=15))
            return
        stepped = self._at + direction * STEP
        if bd.minutes_after(self._procedure.at, stepped) >= 1:
            self._set_time(stepped)

    def type_time(self, text: str) -> None:
        """The patient typed a time: use it once it reads as one, and say so when it does not."""
        if self._showing_time:
            return  # the stepper wrote this text: the time is already set
        zone = self.services.clock.zone()
        at = bd.paper_time_after(self._procedure.at, text, zone)
        if at is None:
            self._at = None
            self.time_error = (
                _("“{text}” is not a time. Type it as on the paper, for example 14:30.").format(
                    text=text.strip()
                )
                if text.strip()
                else ""
            )
            self.when_text = ""
            return
        self._set_time(at, typed=True)

    def _set_time(self, at: datetime, typed: bool = False) -> None:
        zone = self.services.clock.zone()
        self._at = at
        self.time_error = ""
        minutes = bd.minutes_after(self._procedure.at, at)
        when = date_label(at, self.services.clock.now(), zone)
        self.when_text = (
            _("{when}: {duration} after the block").format(
                when=when, duration=bd.duration_words(minutes)
            )
            if minutes > 0
            else _("{when}: before the block").format(when=when)
        )
        if not typed:
            self._showing_time = True
            try:
                self.ids.time_input.text = clock_time(at, zone)
            finally:
                self._showing_time = False

    # --- saving -----------------------------------------------------------------------------

    @keeps_input_when_storage_fails
    def save(self) -> None:
        clock = self.services.clock
        sides = self.side_scores
        for side in sides:
            side.error = ""
        self.ids.scores_error.text = self.ids.activity_error.text = ""
        if self._at is None:
            self.time_error = self.time_error or _("Type the time written on the paper.")
            self.show_banner(_("Please check the places marked in red. Nothing was lost."))
            return
        chosen = [s for s in sides if s.score is not None]
        raw = {
            "at": self._at,
            "scores": [{"area": s.area, "side": s.side, "score": s.score} for s in chosen],
            "activity": self.ids.activity.text,
        }
        try:
            saved = self.services.block_diary.record_paper(
                self._procedure.id, raw, now=clock.now(), zone=clock.zone()
            )
        except bd.BlockDiaryInputError as error:
            self.time_error = error.errors.get("at", "")
            for index, side in enumerate(chosen):
                side.error = error.errors.get(f"scores.{index}", "")
            self.ids.scores_error.text = error.errors.get("scores", "")
            self.ids.activity_error.text = error.errors.get("activity", "")
            self.show_banner(_("Please check the places marked in red. Nothing was lost."))
            return
        at = saved[0].at
        self.show_banner(
            _("Saved from your paper diary: {time}. Enter the next line, or go back.").format(
                time=clock_time(at, clock.zone())
            )
        )
        # Ready for the next line of the paper: fresh scales, the time of the next question
        # (paper forms follow the same times), or an hour on after the last.
        self._show_scales()
        self.ids.activity.text = ""
        following = next((p.due for p in self._prompts if p.due > at), at + timedelta(hours=1))
        self._set_time(following)
        self._opened_with = self._form_values()
        self.ids.scroll.scroll_y = 1

    @property
    def unsaved_message(self) -> str:
        return _("The line you entered from your paper diary has not been saved.")

    def has_unsaved_input(self) -> bool:
        return self._procedure is not None and self._form_values() != self._opened_with

    def forget_unsaved_input(self) -> None:
        self._show_scales()
        self.ids.activity.text = ""
        self._opened_with = self._form_values()

    def _form_values(self) -> tuple:
        return (tuple(s.score for s in self.side_scores), self.ids.activity.text)

    def _focus_initial(self) -> None:
        # The first scale, as on a prompt's page: focusing the time field would open the
        # on-screen keyboard over the page on a tablet.
        if self.side_scores:
            self.side_scores[0].ids.scale.focus_first()


load_kv_beside(__file__)
