"""One vertical path from the first preparation step to the follow-up, with today marked."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from app.domain.checklists import known_answers, step_is_done
from app.domain.dates import clock_time, day_label, local_date
from app.domain.due_now import is_due_now
from app.domain.plan import build_timeline, new_round_ready
from app.i18n import N_, _
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.shell import place_now
from app.ui.widgets.button_flow import one_line_width
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.widgets.controls import AppButton
from app.ui.widgets.recycle_row_focus import RecycleRowFocus

PHASE_WORDS = {
    "before": N_("Getting ready"),
    "day": N_("On the day"),
    "after": N_("Afterwards"),
    "followup": N_("Follow-up"),
}
# A row nests four deep and settles in a few passes; this bounds a layout that never would.
MOST_LAYOUT_PASSES = 8
ROW_ROOM = dp(28)  # a row's card: its padding above and below the words, and the gap to the next


def layout_now(widget) -> None:
    """Lay `widget` out at once, labels first, so its sizes can be read before it is drawn.

    One pass settles one more level of nesting (a new width reaches the row, then its date
    column, then the column's box, then its labels), so passes run until no size in the
    widget changes: a probe that last measured a row at another width would otherwise give
    the next row a stale height, cut or padded."""
    sizes = None
    for _pass in range(MOST_LAYOUT_PASSES):
        _lay_out_once(widget)
        settled, sizes = sizes, [tuple(part.size) for part in widget.walk()]
        if sizes == settled:
            return


def _lay_out_once(widget) -> None:
    for child in widget.children:
        if isinstance(child, Label):
            child.texture_update()
        _lay_out_once(child)
    if hasattr(widget, "do_layout"):
        widget.do_layout()


class TimelineRow(RecycleRowFocus, ButtonBehavior, BoxLayout):
    procedure_id = NumericProperty(0)
    step_id = StringProperty("")
    day = StringProperty("")  # "Yesterday, Friday 27 November"
    day_lines = StringProperty("")  # the same, "Yesterday," on a line of its own
    time = StringProperty("")
    title = StringProperty("")
    detail = StringProperty("")
    done = BooleanProperty(False)
    past = BooleanProperty(False)
    due_now = BooleanProperty(False)  # its date passed, its procedure is still ahead
    milestone = BooleanProperty(False)

    def needed_height(self) -> float:
        """As tall as the whole date or the whole title and detail, whichever is taller."""
        layout_now(self)
        words = max(self.ids.date_box.minimum_height, self.ids.words_box.minimum_height)
        return max(App.get_running_app().theme.touch, words) + ROW_ROOM


class TodayMarkerRow(BoxLayout):
    text = StringProperty("")

    def needed_height(self) -> float:
        layout_now(self)
        return max(App.get_running_app().theme.touch, self.ids.words.height) + ROW_ROOM


class TimelineScreen(AppScreen):
    has_plan = BooleanProperty(False)
    cycles = ListProperty([])
    cycle = NumericProperty(0)
    heading = StringProperty("")
    new_round_offered = BooleanProperty(False)  # the current round's last procedure has happened
    heading_width = NumericProperty(0)  # the heading's words on one line

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        self._probes: dict[str, BoxLayout] = {}
        self._heights: dict[tuple, float] = {}  # a row's words -> its height, at _measured_at
        self._measured_at: tuple[float, float] | None = None  # the list's width, the text size
        # Placed whole now, at its size, so that the first open measures the rows at the list's
        # own width: otherwise each was measured at width 0 and again a frame later.
        place_now(self)
        # Rows are measured again at a new width (a turned tablet).
        self._measure_again = Clock.create_trigger(self._fit_rows)
        self.ids.path.bind(width=self._measure_again)
        # Today is brought into view again once the list's height and its rows' settle: the
        # words under the list take their room only as the page is first drawn.
        self._scroll_again = Clock.create_trigger(
            lambda _dt: self._scroll_to_today(self.ids.path.data), -1
        )
        self.ids.path.bind(height=self._scroll_again, viewport_size=self._scroll_again)

    def open(self, **_context) -> None:
        plan = self.services.plan
        self.cycles = plan.cycles()
        self.cycle = plan.current_cycle()
        buttons = self.ids.cycle_buttons
        if [button.cycle for button in reversed(buttons.children)] != list(self.cycles):
            buttons.clear_widgets()  # made again only when the rounds changed
            for cycle in self.cycles:
                button = AppButton(text=_("Round {number}").format(number=cycle), wrap=False)
                button.cycle = cycle
                button.bind(on_press=lambda _b, c=cycle: self.show_cycle(c))
                buttons.add_widget(button)
        self.refresh()

    def show_cycle(self, cycle: int) -> None:
        self.cycle = cycle
        self.refresh()

    def ask_new_round(self) -> None:
        """A new round is asked about first, and exists only once the guide saves its dates."""
        ConfirmDialog(
            title=_("Start a new round?"),
            message=_(
                "Only when your clinic has booked the treatment again. Round {number} "
                "stays here to read, with its diary and ticks. Nothing changes until you "
                "save the new dates."
            ).format(number=self.cycle),
            stay_text=_("Not now"),
            go_text=_("Start a new round"),
            on_go=lambda: self.navigator.go("guide", new_round=True),
        ).open()

    def open_step(self, procedure_id: int, step_id: str) -> None:
        self.navigator.go("step", procedure_id=procedure_id, step_id=step_id)

    def refresh(self) -> None:
        services = self.services
        now, zone = services.clock.now(), services.clock.zone()
        procedures = services.plan.procedures(cycle=self.cycle)
        self.has_plan = bool(procedures)
        sedation = services.settings.clinic().uses_sedation
        current = self.cycle == services.plan.current_cycle()
        if not current:
            self.heading = _("Round {number} (earlier)").format(number=self.cycle)
        elif len(self.cycles) > 1:
            self.heading = _("Round {number}: your plan").format(number=self.cycle)
        else:
            self.heading = _("Your plan")
        self.heading_width = one_line_width(self.ids.heading) + dp(4)
        self.new_round_offered = current and new_round_ready(procedures, now)
        for button in self.ids.cycle_buttons.children:
            button.selected = button.cycle == self.cycle
        known = known_answers(services.plan.driver())
        dated_rows = [(p.at, 0, _milestone_row(p, now)) for p in procedures]
        for region in sorted({p.region for p in procedures}):
            pathway = services.pathways.for_region(region)
            marks = {p.id: services.plan.marks(p.id) for p in procedures if p.region == region}
            for dated in build_timeline(procedures, pathway, cycle=self.cycle, sedation=sedation):
                done = step_is_done(
                    dated.step, pathway, marks[dated.procedure.id], sedation=sedation, known=known
                )
                dated_rows.append((dated.due, 1, _step_row(dated, done, now)))
        dated_rows.sort(key=lambda entry: entry[:2])
        rows = [row for due, _order, row in dated_rows if due < now]
        if procedures:
            today = local_date(now, zone)
            rows.append({"viewclass": "TodayMarkerRow", "text": day_label(today, today)})
        rows += [row for due, _order, row in dated_rows if due >= now]
        self._measure(rows)
        self.ids.path.data = rows
        self._scroll_to_today(rows)

    def _measure(self, rows) -> None:
        """Each row's height from its own words at the list's width and the chosen text size:
        a long title or a two-line date is shown whole, never cut or shortened. A row whose
        words were measured at this width and text size keeps its height (most rows, on every
        open but the first)."""
        width = self.ids.path.width
        measured_at = (width, App.get_running_app().theme.text_scale)
        if measured_at != self._measured_at:
            self._measured_at, self._heights = measured_at, {}
        for row in rows:
            words = tuple(value for key, value in sorted(row.items()) if key != "height")
            height = self._heights.get(words)
            if height is None:
                height = self._heights[words] = self._probe_height(row, width)
            row["height"] = height

    def _probe_height(self, row: dict, width: float) -> float:
        probe = self._probes.get(row["viewclass"])
        if probe is None:
            probe = self._probes[row["viewclass"]] = (
                TimelineRow() if row["viewclass"] == "TimelineRow" else TodayMarkerRow()
            )
        for key, value in row.items():
            if key not in ("viewclass", "height"):
                setattr(probe, key, value)
        probe.width = width
        return probe.needed_height()

    def _fit_rows(self, *_args) -> None:
        rows = self.ids.path.data
        if rows:
            self._measure(rows)
            self.ids.path.refresh_from_data()
            self._scroll_to_today(rows)

    def _scroll_to_today(self, rows) -> None:
        heights = [row["height"] for row in rows]
        index = next((i for i, row in enumerate(rows) if row["viewclass"] == "TodayMarkerRow"), 0)
        path = self.ids.path
        above, total, view = sum(heights[:index]), sum(heights), path.height
        path.scroll_y = 1 - min(1, max(0, (above - dp(80)) / max(1, total - view)))
        # Kivy's scroll effect keeps a place of its own (ScrollView's reading of scroll_y) and,
        # after the list's height changed, moved the list back to its old one: it starts here.
        path.effect_y.reset(path.effect_y.max * path.scroll_y)


def _milestone_row(procedure, now) -> dict:
    return _row(
        procedure.id,
        "",
        procedure.at,
        procedure.label,
        _("Your appointment"),
        done=False,
        past=procedure.at < now,
        due_now=False,
        now=now,
        zone=procedure.zone,
        milestone=True,
    )


def _step_row(dated, done: bool, now) -> dict:
    due_now = is_due_now(dated, done, now)
    return _row(
        dated.procedure.id,
        dated.step.id,
        dated.due,
        dated.step.title,
        _(PHASE_WORDS[dated.step.phase]) if dated.step.phase in PHASE_WORDS else "",
        done=done,
        past=dated.due < now and not due_now,
        due_now=due_now,
        now=now,
        zone=dated.zone,
        milestone=False,
    )


def _row(
    procedure_id, step_id, due, title, detail, *, done, past, due_now, now, zone, milestone
) -> dict:
    day = day_label(local_date(due, zone), local_date(now, zone))
    return {
        "viewclass": "TimelineRow",
        "procedure_id": procedure_id,
        "step_id": step_id,
        "day": day,
        "day_lines": day.replace(", ", ",\n", 1),
        "time": clock_time(due, zone),
        "title": title,
        "detail": _("Do this now") if due_now else detail,
        "done": done,
        "past": past,
        "due_now": due_now,
        "milestone": milestone,
    }


load_kv_beside(__file__)
