"""The timed diary after a block: the usual pain first, then one calm page per prompt, and what
the diary shows once every prompt is answered or missed.

While the screen is shown a one-second tick keeps the countdown current and turns the page when a
prompt opens or closes; a prompt that closes unanswered is recorded as missed at once (by
`BlockDiaryService.state`) and is never offered again.
"""

from __future__ import annotations

import contextlib

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain import block_diary as bd
from app.domain import block_diary_words as words
from app.domain.dates import clock_time, date_label
from app.domain.diary import AREAS
from app.i18n import N_, _
from app.ui.block_words import countdown_words, prompt_heading, status_words
from app.ui.kv import load_kv_beside
from app.ui.rows import show_rows
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in block_diary.kv)
from app.ui.widgets.relief_chart import ReliefChart  # noqa: F401  (used in block_diary.kv)
from app.ui.widgets.status_row import StatusRow

REGION_AREA = {"lumbar": "lower_back", "cervical": "neck"}
SIDE_ORDER = ("left", "right", "both")
# A place's scale on the usual-pain page, one whole phrase per side (shown through _()).
USUAL_PAIN_CAPTIONS = {
    "left": N_("{place}, left side: your usual pain"),
    "right": N_("{place}, right side: your usual pain"),
    "both": N_("{place}, both sides, one score: your usual pain"),
}


class SideScore(BoxLayout):
    """One area and side with its own 0 to 10 scale."""

    area = StringProperty("")
    side = StringProperty("")
    caption = StringProperty("")
    error = StringProperty("")

    @property
    def score(self):
        return self.ids.scale.score


class BaselineArea(BoxLayout):
    """One place on the baseline page: tap to include it, choose the sides, score each."""

    area = StringProperty("")
    label = StringProperty("")
    chosen = BooleanProperty(False)
    sides = ListProperty([])
    error = StringProperty("")

    def toggle(self) -> None:
        self.chosen = not self.chosen

    def toggle_side(self, side: str) -> None:
        if side == "both":
            sides = [] if "both" in self.sides else ["both"]
        elif side in self.sides:
            sides = [s for s in self.sides if s != side]
        else:
            sides = [s for s in self.sides if s != "both"] + [side]
        self.show(self.chosen, sides, {})

    def show(self, chosen: bool, sides, scores: dict) -> None:
        """Show the sides given, keeping scores already chosen; `scores` sets side -> score."""
        box = self.ids.scales
        kept = {w.side: w for w in box.children}
        box.clear_widgets()
        self.sides = [s for s in SIDE_ORDER if s in sides]
        for side in self.sides:
            widget = kept.get(side) or SideScore(
                area=self.area,
                side=side,
                caption=_(USUAL_PAIN_CAPTIONS[side]).format(place=self.label),
            )
            widget.error = ""
            if side in scores:
                widget.ids.scale.score = scores[side]
            box.add_widget(widget)
        self.chosen = chosen
        self.error = ""

    @property
    def side_scores(self) -> list[SideScore]:
        return list(reversed(self.ids.scales.children)) if self.chosen else []


class BlockDiaryScreen(AppScreen):
    page = StringProperty("none")  # none | baseline | prompt | waiting | summary
    block_text = StringProperty("")  # which block the diary is for: kind, region, side, date
    heading = StringProperty("")
    subheading = StringProperty("")
    countdown_text = StringProperty("")
    notice = StringProperty("")  # a prompt closed while its page was open
    prompt_example = StringProperty("")  # above the prompt's activity field
    care_team = StringProperty("")
    at_clinic = BooleanProperty(False)
    can_change_baseline = BooleanProperty(False)
    can_enter_paper = BooleanProperty(False)  # the block has started: a paper diary can exist

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._procedure = None
        self._state = None
        self._shown_prompt = None
        self._tick_event = None
        self._editing_baseline = False
        self._baseline_filled = False  # the baseline form was filled on this visit

    def on_kv_post(self, base_widget):
        self.area_rows = {}
        for area, label in AREAS.items():
            row = BaselineArea(area=area, label=_(label))
            self.area_rows[area] = row
            self.ids.areas.add_widget(row)

    # --- visits and the clock ---------------------------------------------------------------

    def open(self, procedure_id: int | None = None, **_context) -> None:
        service = self.services.block_diary
        now = self.services.clock.now()
        self._procedure = None
        with contextlib.suppress(LookupError):
            self._procedure = (
                service.block(procedure_id)
                if procedure_id is not None
                else service.current_block(now)
            )
        self._editing_baseline = False
        self._shown_prompt = None
        # The baseline form is filled afresh on each visit. The page is not set to "none" for
        # that: every section it hides and shows again re-renders all its words.
        self._baseline_filled = False
        self.refresh()
        self.ids.scroll.scroll_y = 1

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        self._stop_tick()
        self._tick_event = Clock.schedule_interval(self._tick, 1)

    def on_leave(self, *args) -> None:
        self._stop_tick()

    def _stop_tick(self) -> None:
        if self._tick_event is not None:
            self._tick_event.cancel()
            self._tick_event = None

    def _tick(self, _dt=None) -> None:
        state = self._state
        if state is None or self._procedure is None:
            return
        now = self.services.clock.now()
        turns = [p.due for p in (state.next,) if p] + [p.closes for p in (state.current,) if p]
        if any(now >= moment for moment in turns):
            closed = state.current if self.page == "prompt" else None
            self.refresh()
            if closed is not None and self._state.current != closed:
                self.notice = _(
                    "The question for {prompt} closed before it was saved. It stays marked as "
                    "missed, so the diary shows only what you felt at the time. That is fine."
                ).format(prompt=prompt_heading(closed.minutes))
            return
        self._show_countdown(now)

    # --- what the page shows ----------------------------------------------------------------

    def refresh(self) -> None:
        self.notice = ""
        self.care_team = _(words.CARE_TEAM)
        procedure = self._procedure
        self.block_text = ""
        if procedure is None:
            self.page = "none"
            self.heading = _("There is no block in your plan yet")
            self.subheading = _(
                "The block diary starts on the day of a test block or a "
                "confirming block. Add its date to your plan first."
            )
            self.countdown_text = ""
            return
        service = self.services.block_diary
        now = self.services.clock.now()
        self.block_text = _("{procedure}: {when}").format(
            procedure=procedure.label,
            when=date_label(procedure.at, now, self.services.clock.zone()),
        )
        self._state = state = service.state(procedure.id, now)
        baselines = service.baselines(procedure.id)
        answered = any(not e.missed for e in service.entries(procedure.id))
        self.can_change_baseline = bool(baselines) and not answered and not state.finished
        self.can_enter_paper = procedure.at <= now
        self._show_instructions(procedure.id)
        self._show_prompt_list(state)
        if not baselines or self._editing_baseline:
            self._show_baseline_page(baselines, now)
        elif state.finished:
            self._show_summary(procedure.id)
        elif state.current is not None:
            self._show_prompt_page(state.current, baselines)
        else:
            self._show_waiting_page(state, now)
        self._show_countdown(now)

    def _show_countdown(self, now) -> None:
        state = self._state
        if self.page not in ("prompt", "waiting") or state is None or state.next is None:
            self.countdown_text = ""
            return
        left = countdown_words(state.next.due - now)
        self.countdown_text = _("Next question in {left}, at {time}").format(
            left=left, time=clock_time(state.next.due, self.services.clock.zone())
        )

    def _show_baseline_page(self, baselines, now) -> None:
        procedure = self._procedure
        if self.page == "baseline" and self._baseline_filled:
            return  # keep what the patient has chosen so far
        self.page = "baseline"
        self._baseline_filled = True
        self.heading = _("Before your block: your usual pain")
        zone = self.services.clock.zone()
        started = procedure.at <= now
        self.subheading = (
            _(
                "Do the activity that usually brings on your pain, then score that usual pain for "
                "each place and side. Every score after the block is compared with it."
            )
            + " "
            + (
                _("Your block has started: score your pain as it usually was before it.")
                if started
                else _("Your block: {when}.").format(
                    when=date_label(procedure.at, now, zone, in_sentence=True)
                )
            )
        )
        saved = {}
        for baseline in baselines:
            saved.setdefault(baseline.area, {})[baseline.side] = baseline.score
        if not saved:
            area = REGION_AREA.get(procedure.region, "lower_back")
            sides = ("left", "right") if procedure.side == "both" else (procedure.side,)
            saved = {area: dict.fromkeys(sides)}
        for area, row in self.area_rows.items():
            sides = saved.get(area, {})
            row.show(area in saved, list(sides), dict(sides))
        self.ids.baseline_activity.text = baselines[0].activity if baselines else ""
        self.at_clinic = bool(baselines) and baselines[0].at_clinic
        self.ids.areas_error.text = self.ids.activity_error.text = ""
        self._baseline_shown = self._baseline_form()

    def _baseline_form(self) -> tuple:
        places = tuple(
            (row.chosen, tuple(row.sides), tuple(s.score for s in row.side_scores))
            for row in self.area_rows.values()
        )
        return places + (self.ids.baseline_activity.text, self.at_clinic)

    def has_unsaved_input(self) -> bool:
        if self.page == "prompt":  # the page starts with nothing chosen
            return any(side.score is not None for side in self.ids.prompt_scales.children) or bool(
                self.ids.prompt_activity.text.strip()
            )
        return self.page == "baseline" and self._baseline_form() != self._baseline_shown

    @property
    def unsaved_message(self) -> str:
        if self.page == "prompt":
            return _("Your answer to this question has not been saved yet.")
        return _("Your usual pain has not been saved yet.")

    def _show_prompt_page(self, prompt, baselines) -> None:
        zone = self.services.clock.zone()
        self.page = "prompt"
        self.heading = prompt_heading(prompt.minutes)
        self.subheading = _(
            "Do the activity that usually brings on your pain. While you do "
            "it, score the pain you feel right now, not how it usually is. "
            "Please answer by {time}."
        ).format(time=clock_time(prompt.closes, zone))
        if self._shown_prompt == prompt:
            return  # keep what the patient has chosen so far
        self._shown_prompt = prompt
        box = self.ids.prompt_scales
        box.clear_widgets()
        for baseline in baselines:
            # The usual score is not shown here: the patient scores what they feel now.
            box.add_widget(
                SideScore(
                    area=baseline.area,
                    side=baseline.side,
                    caption=_("{place}: your pain right now").format(place=baseline.label),
                )
            )
        activity = baselines[0].activity if baselines else ""
        self.ids.prompt_activity.text = ""
        self.prompt_example = (
            _("For example: {activity}").format(activity=activity)
            if activity
            else _("For example: walking, standing at the sink")
        )
        self.ids.prompt_activity_error.text = self.ids.prompt_error.text = ""
        self.ids.scroll.scroll_y = 1

    def _show_waiting_page(self, state, now) -> None:
        zone = self.services.clock.zone()
        self.page = "waiting"
        upcoming = state.next
        first = all(s.state == bd.UPCOMING for s in state.prompts)
        when = date_label(upcoming.due, now, zone, in_sentence=True) if upcoming else ""
        self.heading = (
            (_("Your first question: {when}") if first else _("Your next question: {when}")).format(
                when=when
            )
            if upcoming
            else ""
        )
        self.subheading = (
            _(
                "{prompt}. Until then, stay up and about and do your usual things. You can put "
                "the tablet down; come back at that time."
            ).format(prompt=prompt_heading(upcoming.minutes))
            if upcoming
            else ""
        )

    def _show_summary(self, procedure_id: int) -> None:
        service = self.services.block_diary
        analysis = service.analysis(procedure_id)
        self.page = "summary"
        self.heading = _("Your block diary is complete")
        self.subheading = _("Thank you. Every score is saved. This is what your diary shows.")
        sentences = [words.area_sentence(area) for area in analysis.areas]
        if not analysis.areas:
            sentences.append(_("Your diary for this block has no scores."))
        if words.anaesthetic_sentence(analysis):
            sentences.append(words.anaesthetic_sentence(analysis))
        show_rows(self.ids.sentences, SummaryLine, [{"text": text} for text in sentences])
        chart = self.ids.chart
        chart.threshold = analysis.threshold
        chart.last_minutes = max(service.pathway(self._procedure).block_diary.prompt_minutes)
        chart.series = [
            (area.label, tuple((p.minutes, p.relief) for p in area.points))
            for area in analysis.areas
            if area.baseline
        ]

    def _show_instructions(self, procedure_id: int) -> None:
        show_rows(
            self.ids.instructions,
            InstructionLine,
            [{"text": line} for line in self.services.block_diary.instructions(procedure_id)],
        )

    def _show_prompt_list(self, state) -> None:
        from app.ui.screens.paper_diary import paper_words

        zone = self.services.clock.zone()
        rows = [
            (
                status.prompt.due,
                {
                    "first": clock_time(status.prompt.due, zone),
                    "first_hint": 0.3,
                    "second": prompt_heading(status.prompt.minutes),
                    "state_text": status_words(status, zone),
                    "kind": status.state,
                },
            )
            for status in state.prompts
        ]
        # Lines entered from the paper diary, among the prompts at their own time.
        papers: dict[int, list] = {}
        for paper in self.services.block_diary.paper_scores(self._procedure.id):
            papers.setdefault(paper.minutes, []).append(paper)
        for line in papers.values():
            rows.append(
                (
                    line[0].at,
                    {
                        "first": clock_time(line[0].at, zone),
                        "first_hint": 0.3,
                        "second": prompt_heading(line[0].minutes),
                        "state_text": paper_words(line),
                        "kind": "done",
                    },
                )
            )
        show_rows(
            self.ids.prompt_list,
            StatusRow,
            [row for _at, row in sorted(rows, key=lambda pair: pair[0])],
        )

    def enter_paper(self) -> None:
        self.navigator.go("paper_diary", procedure_id=self._procedure.id)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        if self.page == "baseline":
            self.save_baseline()
        elif self.page == "prompt":
            self.save_prompt()

    def change_baseline(self) -> None:
        self._editing_baseline = True
        self._baseline_filled = False
        self.refresh()
        self.ids.scroll.scroll_y = 1

    @keeps_input_when_storage_fails
    def save_baseline(self) -> None:
        procedure = self._procedure
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        activity = self.ids.baseline_activity.text
        chosen, problem = [], False
        for row in self.area_rows.values():
            row.error = ""
            if row.chosen and not row.sides:
                row.error = _("Choose the side for {place}.").format(place=row.label.lower())
                problem = True
            chosen += row.side_scores
        self.ids.areas_error.text = (
            _("Tap the place where your pain usually is.") if not chosen and not problem else ""
        )
        self.ids.activity_error.text = ""
        checked = []
        for side in chosen:
            raw = {
                "area": side.area,
                "side": side.side,
                "score": side.score,
                "activity": activity,
                "at_clinic": self.at_clinic,
            }
            try:
                checked.append(bd.validate_baseline(raw, now=now, zone=zone, block_at=procedure.at))
                side.error = ""
            except bd.BlockDiaryInputError as error:
                side.error = error.errors.get("score", "")  # a 0 asks: does it usually hurt?
                self.ids.activity_error.text = error.errors.get("activity", "")
                self.ids.areas_error.text = error.errors.get("at", self.ids.areas_error.text)
                problem = True
        if problem or not chosen:
            self.show_banner(_("Please check the places marked in red. Nothing was lost."))
            return
        self.services.block_diary.replace_baselines(procedure.id, checked)
        self._editing_baseline = False
        self.refresh()
        self.ids.scroll.scroll_y = 1
        self.show_banner(_("Your usual pain is saved."))

    @keeps_input_when_storage_fails
    def save_prompt(self) -> None:
        procedure = self._procedure
        clock = self.services.clock
        sides = list(reversed(self.ids.prompt_scales.children))
        raw = {
            "scores": [{"area": s.area, "side": s.side, "score": s.score} for s in sides],
            "activity": self.ids.prompt_activity.text,
        }
        try:
            entry = self.services.block_diary.answer(
                procedure.id, raw, now=clock.now(), zone=clock.zone()
            )
        except bd.BlockDiaryInputError as error:
            if "prompt" in error.errors:
                self.refresh()
                self.notice = error.errors["prompt"]
                return
            for index, side in enumerate(sides):
                side.error = error.errors.get(f"scores.{index}", "")
            self.ids.prompt_activity_error.text = error.errors.get("activity", "")
            self.ids.prompt_error.text = error.errors.get("scores", "")
            self.show_banner(_("Please check the places marked in red. Nothing was lost."))
            return
        self._shown_prompt = None
        self.refresh()
        self.ids.scroll.scroll_y = 1
        upcoming = self._state.next
        saved = _("Saved: {prompt}.").format(prompt=prompt_heading(entry.minutes))
        then = (
            " " + _("Next question at {time}.").format(time=clock_time(upcoming.due, clock.zone()))
            if upcoming
            else ""
        )
        self.show_banner(saved + then)

    # --- keyboard ---------------------------------------------------------------------------

    def _focus_initial(self) -> None:
        if self.page == "prompt" and self.ids.prompt_scales.children:
            self.ids.prompt_scales.children[-1].ids.scale.focus_first()
        elif self.page == "baseline":
            chosen = [r for r in self.area_rows.values() if r.side_scores]
            if chosen:
                chosen[0].side_scores[0].ids.scale.focus_first()
        elif self.page in ("waiting", "summary", "none"):
            self.ids.top_bar.ids.back.focus = True


class SummaryLine(BoxLayout):
    text = StringProperty("")


class InstructionLine(BoxLayout):
    text = StringProperty("")


load_kv_beside(__file__)
