"""The app by keyboard alone (issue 12 §2): Log pain, a score, Save, the Diary, a Timeline step,
When to call and back, with Tab, Shift-Tab, Enter, Space, the arrow keys and Escape, and the
focused control always fully in sight, also at the largest text in portrait. High contrast
recolours the charts at once. Each key goes through the window as SDL delivers it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from kivy.core.window import Window
from kivy.graphics import Color, Line, RoundedRectangle, StencilPush
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget
from kivy.utils import get_color_from_hex as hex_color

from app.domain.diary import validate_entry
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.store.settings_repository import SettingsRepository
from app.ui.screens.timeline import TimelineRow
from app.ui.theme import DISPLAY_KEY, LARGEST_TEXT_SCALE, PALETTES
from app.ui.widgets.form_controls import FormTextInput, ScoreButton
from app.ui.widgets.trend_chart import TrendChart
from tests.ui.driver import visible
from tests.ui.test_today import add_procedure

SHOTS = os.environ.get("FACET_SHOTS")
KEYS = {
    "tab": 9,
    "enter": 13,
    "spacebar": 32,
    "escape": 27,
    "left": 276,
    "right": 275,
    "up": 273,
    "down": 274,
}
DRIVER_TOLD = (
    "Your driver knows the day, the time and the address, and that they may have to wait for you."
)
PROCEDURE_AT = "2026-12-01T10:00"  # three days after the test clock's Saturday 28 November
MOST_TABS = 40  # a control further than this many Tabs away is not "reachable"


class Keyboard:
    """Presses keys as the window delivers them (key down, the keyboard event, key up) and
    counts them; after each, the control with focus must be fully in sight."""

    def __init__(self, ui, check_in_sight: bool = True):
        self.ui = ui
        self.presses = 0
        self.check_in_sight = check_in_sight

    def press(self, name: str, shift: bool = False) -> None:
        modifiers = ["shift"] if shift else []
        Window.dispatch("on_key_down", KEYS[name], 0, None, modifiers)
        Window.dispatch("on_keyboard", KEYS[name], 0, None, modifiers)
        Window.dispatch("on_key_up", KEYS[name], 0)
        self.presses += 1
        self.ui.settle()  # the focused control scrolls into sight on the next frames
        if self.check_in_sight and self.focused() is not None:
            assert_in_sight(self.focused())

    def focused(self):
        holders = [
            w
            for child in Window.children
            for w in child.walk()
            if isinstance(w, FocusBehavior) and w.focus
        ]
        return holders[0] if holders else None

    def tab_to(self, wanted, shift: bool = False) -> None:
        """Tab (or Shift-Tab) until the focused control is `wanted` (a predicate)."""
        for _ in range(MOST_TABS):
            if self.focused() is not None and wanted(self.focused()):
                return
            self.press("tab", shift=shift)
        raise AssertionError(f"Tab never reached it; focus is on {self.focused()!r}")


def text_of(widget) -> str:
    return getattr(widget, "text", "") or getattr(widget, "title", "")


def says(words: str):
    return lambda widget: words in text_of(widget)


def assert_in_sight(widget) -> None:
    """All of `widget` inside the window and inside every ScrollView around it; a widget taller
    than its ScrollView (a long article, read with the arrow keys) with its top in sight."""
    tolerance = 1
    left, bottom = widget.to_window(widget.x, widget.y)
    right, top = widget.to_window(widget.right, widget.top)
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            view_bottom = node.to_window(node.x, node.y)[1]
            view_top = node.to_window(node.right, node.top)[1]
            if widget.height > node.height:
                assert view_bottom <= top <= view_top + tolerance, (
                    f"the top of {widget!r} is out of sight"
                )
                return
            assert view_bottom - tolerance <= bottom and top <= view_top + tolerance, (
                f"{text_of(widget)!r} is scrolled out of sight ({bottom:.0f}-{top:.0f} in "
                f"{view_bottom:.0f}-{view_top:.0f})"
            )
        node = node.parent
    assert left >= -tolerance and bottom >= -tolerance, f"{widget!r} runs off the window"
    assert right <= Window.width + tolerance and top <= Window.height + tolerance, (
        f"{widget!r} runs off the window"
    )


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = Window.size
        scale = int(ui.app.theme.text_scale * 100)
        ui.screenshot(Path(SHOTS) / f"{name}-{width}x{height}-{scale}.png")


def walk_log_save_diary_timeline_call_and_back(ui, keys: Keyboard, data_dir) -> None:
    diary = DiaryRepository(open_database(data_dir))
    assert ui.screen.name == "today"
    assert text_of(keys.focused()) == "Log pain"  # where the keyboard starts on Today
    keys.press("enter")
    assert ui.screen.name == "log"

    # The scale is one Tab stop; the arrow keys move the score, both ways.
    assert isinstance(keys.focused(), ScoreButton) and keys.focused().score == 0
    for _ in range(7):
        keys.press("right")
    keys.press("left")
    assert ui.screen.ids.scale.score == 6
    assert keys.focused().score == 6
    shot(ui, "ring-on-score-scale")
    keys.tab_to(says("Save pain 6"))
    keys.press("enter")
    assert ui.screen.name == "today"
    [saved] = list(diary.since())
    assert saved.score == 6

    # The Diary shows it.
    assert text_of(keys.focused()) == "Log pain"
    keys.tab_to(says("Diary and chart"))
    keys.press("enter")
    assert ui.screen.name == "diary"
    assert any(text == "6" for text in ui.visible_texts()) or any(
        "6" in text for text in ui.visible_texts() if "pain" in text.lower()
    )
    keys.press("escape")
    assert ui.screen.name == "today"

    # A Timeline step, chosen from the rows by Tab and the arrow keys.
    keys.tab_to(says("Timeline"))
    keys.press("enter")
    assert ui.screen.name == "timeline"
    keys.tab_to(lambda widget: isinstance(widget, TimelineRow))
    keys.press("down")
    keys.press("up")
    row = keys.focused()
    assert isinstance(row, TimelineRow) and not row.milestone
    shot(ui, "ring-on-timeline-row")
    title = row.title
    keys.press("spacebar")
    assert ui.screen.name == "step"
    assert title in " ".join(ui.visible_texts())

    # When to call, from the step's top bar, read by Tab through its cards.
    keys.tab_to(says("When to call"))
    shot(ui, "ring-on-button")
    keys.press("enter")
    assert ui.screen.name == "when_to_call"
    first = keys.focused()
    keys.press("tab")
    while keys.focused() is not first and keys.presses < 200:
        keys.press("tab")  # every control of the page, each fully in sight in turn
    for _back in range(3):
        keys.press("escape")
    assert ui.screen.name == "today"
    assert [entry.score for entry in diary.since()] == [6]


def test_the_walk_by_keys_only(start_app, clock, data_dir):
    add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    keys = Keyboard(ui)
    walk_log_save_diary_timeline_call_and_back(ui, keys, data_dir)
    print(f"\nThe keyboard walk at 1280x800: {keys.presses} key presses")


def test_the_walk_at_the_largest_text_in_portrait(start_app, clock, data_dir):
    add_procedure(data_dir, clock, PROCEDURE_AT)
    SettingsRepository(open_database(data_dir)).put(
        DISPLAY_KEY, {"text_scale": LARGEST_TEXT_SCALE, "high_contrast": False}
    )
    ui = start_app(size=(800, 1280))
    assert ui.app.theme.text_scale == LARGEST_TEXT_SCALE
    keys = Keyboard(ui)
    walk_log_save_diary_timeline_call_and_back(ui, keys, data_dir)
    print(f"\nThe keyboard walk at 200% text, 800x1280: {keys.presses} key presses")


def test_shift_tab_goes_back_and_a_text_field_is_left_with_tab(start_app):
    ui = start_app()
    keys = Keyboard(ui)
    keys.press("enter")  # Log pain
    keys.press("spacebar")  # chooses the focused 0
    assert ui.screen.ids.scale.score == 0
    keys.press("tab")
    assert text_of(keys.focused()) == "Add details"
    keys.press("tab", shift=True)
    assert isinstance(keys.focused(), ScoreButton) and keys.focused().score == 0
    keys.tab_to(says("Add details"))
    keys.press("enter")
    assert ui.screen.name == "entry"
    keys.tab_to(lambda widget: isinstance(widget, FormTextInput))
    field = keys.focused()
    field.insert_text("walking")
    ui.pump(frames=2)
    keys.press("tab")
    assert keys.focused() is not field
    assert field.text == "walking"  # Tab left the field and typed nothing into it


def ring_colours(widget) -> list[tuple]:
    return [
        tuple(round(c, 3) for c in instruction.rgba)
        for instruction in widget.canvas.after.children
        if isinstance(instruction, Color)
    ]


def ring_drawn(widget, theme) -> bool:
    """Whether the focus ring (the lines in its two colours) has any shape: hidden, it has none,
    as a clear colour would cost a stencil pass per ring, every frame."""
    ring = {tuple(theme.focus_ring), tuple(theme.focus_ring_inner)}
    colour = None
    for instruction in widget.canvas.after.children:
        if isinstance(instruction, Color):
            colour = tuple(instruction.rgba)
        elif isinstance(instruction, Line) and colour in ring and instruction.points:
            return True
    return False


def chart_colours(chart) -> set[tuple]:
    return {
        tuple(round(c, 3) for c in instruction.rgba)
        for instruction in chart.canvas.children
        if isinstance(instruction, Color)
    }


def rounded(colour: str) -> tuple:
    return tuple(round(c, 3) for c in hex_color(colour))


def test_high_contrast_recolours_the_charts_and_the_ring_at_once(start_app, clock, data_dir):
    diary = DiaryRepository(open_database(data_dir))
    for hours_ago, score in ((50, 7), (26, 5), (3, 4)):
        diary.add(
            validate_entry(
                {"score": score}, now=clock.now() - timedelta(hours=hours_ago), zone=clock.zone()
            )
        )
    ui = start_app()
    keys = Keyboard(ui)
    chart = ui.screen.ids.recent_chart
    assert isinstance(chart, TrendChart)
    calm, contrast = PALETTES["calm"], PALETTES["high_contrast"]
    assert rounded(calm["primary"]) in chart_colours(chart)

    controls = [w for w in ui.widgets() if isinstance(w, FocusBehavior)]
    assert not any(ring_drawn(w, ui.app.theme) for w in controls)
    keys.press("tab")  # the keyboard in use: the ring shows on the focused control
    focused = keys.focused()
    assert [w for w in controls if ring_drawn(w, ui.app.theme)] == [focused]
    assert rounded(calm["focus_ring"]) in ring_colours(focused)
    assert rounded(calm["focus_ring_inner"]) in ring_colours(focused)
    shot(ui, "ring-calm")

    ui.app.navigator.screen("settings").set_high_contrast(True)  # what Settings' button does
    ui.pump(frames=3)
    colours = chart_colours(chart)
    assert rounded(contrast["primary"]) in colours
    assert rounded(calm["primary"]) not in colours
    assert rounded(contrast["focus_ring"]) in ring_colours(focused)
    shot(ui, "ring-high-contrast")
    ui.app.navigator.screen("settings").set_high_contrast(False)
    ui.pump(frames=3)
    assert rounded(calm["primary"]) in chart_colours(chart)


def reachable_controls(ui) -> list:
    """What Tab must reach: every control, but of a score scale only its chosen number (or 0):
    the scale is one Tab stop, and the arrow keys reach its other numbers."""
    return [
        w
        for w in ui.widgets()
        if isinstance(w, FocusBehavior)
        and w.is_focusable
        and not w.disabled
        and visible(w)
        and not (isinstance(w, ScoreButton) and w.score != (w.scale.score or 0))
    ]


# Every page a patient reaches (the kiosk's staff pages have their own keyboard test).
PAGES = (
    "today",
    "log",
    "entry",
    "diary",
    "timeline",
    "step",
    "checklist",
    "reminders",
    "learn",
    "article",
    "when_to_call",
    "settings",
    "block_diary",
    "paper_diary",
    "outcomes",
    "reports",
    "your_data",
    "guide",
)


def open_each_page(ui, block) -> Iterator[str]:
    """Opens every page of PAGES in turn from Today, with what it is about (the block, its first
    step, an article), and yields its name once it is laid out."""
    timeline = ui.app.navigator.screen("timeline")
    timeline.open()
    first_step = next(
        row
        for row in timeline.ids.path.data
        if row["viewclass"] == "TimelineRow" and not row["milestone"]
    )
    for_the_block = {"procedure_id": block.id}
    contexts = {
        "step": {"procedure_id": first_step["procedure_id"], "step_id": first_step["step_id"]},
        "article": {"article_id": "how-it-works"},
        "checklist": for_the_block,
        "block_diary": for_the_block,
        "paper_diary": for_the_block,
        "outcomes": for_the_block,
    }
    for page in PAGES:
        ui.app.navigator.home()
        ui.settle()
        ui.app.navigator.go(page, **contexts.get(page, {}))
        ui.settle()
        yield page


def test_tab_reaches_every_control_of_every_page_each_in_sight(start_app, clock, data_dir):
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    keys = Keyboard(ui)
    missed = {}
    for page in open_each_page(ui, block):
        controls = reachable_controls(ui)
        reached = set()
        # Once round the page (the Timeline's rows beyond sight come in as it scrolls).
        rows = len(ui.screen.ids.path.data) if page == "timeline" else 0
        for _ in range(len(controls) + rows + 2):
            keys.press("tab")
            focused = keys.focused()
            assert focused is not None, f"{page}: Tab lost the focus"
            assert visible(focused), f"{page}: Tab went to a hidden {focused!r}"
            reached.add(focused)
        not_reached = [text_of(w) or type(w).__name__ for w in controls if w not in reached]
        if not_reached:
            missed[page] = not_reached
    assert not missed


def test_the_pages_are_not_clipped_by_the_stencil_buffer(start_app):
    """Kivy's ScreenManager clips its screens with the stencil, which put every pixel of every
    frame through the stencil test; the pages fill the window, which clips them anyway."""
    ui = start_app()
    manager = ui.app.navigator.manager
    assert tuple(manager.size) == tuple(Window.size)
    drawn = manager.canvas.before.children + manager.canvas.after.children
    assert not [instruction for instruction in drawn if isinstance(instruction, StencilPush)]


def unseen_lines(widget) -> list[str]:
    """The lines `widget` draws in a colour that is not opaque: Kivy draws each line wider than
    1 px in such a colour through the stencil buffer, clearing it over the whole window, so a
    hidden line must have no shape rather than a clear colour."""
    found = []
    for canvas in (widget.canvas.before, widget.canvas, widget.canvas.after):
        alpha = 1.0
        for instruction in canvas.children if canvas is not None else ():
            if isinstance(instruction, Color):
                alpha = instruction.a
            elif isinstance(instruction, Line) and instruction.points and alpha < 1:
                found.append(f"{type(widget).__name__} (alpha {alpha})")
    return found


def test_no_page_draws_a_line_in_a_clear_colour(start_app, clock, data_dir):
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    ui.app.navigator.go("checklist", procedure_id=block.id)
    ui.settle()
    ui.tap(ui.find_text(DRIVER_TOLD).parent)  # a ticked box beside unticked ones
    assert not pages_drawing(ui, block, unseen_lines)


def pages_drawing(ui, block, named_in: Callable[[Widget], list[str]]) -> dict[str, list[str]]:
    """Each page of PAGES where `named_in` names something a widget draws, with the names."""
    found = {}
    for page in open_each_page(ui, block):
        names = sorted({name for widget in ui.widgets() for name in named_in(widget)})
        if names:
            found[page] = names
    return found


def slowly_drawn_shapes(widget) -> list[str]:
    """What `widget` draws that software GL draws several times slower than the same pixels
    drawn otherwise: outlines (rounded rectangles, circles) wider than 1 px with round joints,
    whose ninety joints of ten triangles each it sets up one by one, about 3 ms of every frame
    per outline, where mitred joints on so gentle a curve draw the same pixels; and Kivy's
    RoundedRectangle, whose fan of long thin triangles shades most blocks several times over,
    where RoundedFill fills the same outline (tests/ui/test_rounded_fill.py)."""
    return [
        f"{type(widget).__name__}: {description}"
        for canvas in (widget.canvas.before, widget.canvas, widget.canvas.after)
        for instruction in (canvas.children if canvas is not None else ())
        for description in (slow_shape(instruction),)
        if description
    ]


def slow_shape(instruction) -> str:
    if isinstance(instruction, RoundedRectangle):
        return "RoundedRectangle"
    if (
        isinstance(instruction, Line)
        and (instruction.rounded_rectangle or instruction.circle)
        and instruction.width > 1
        and instruction.joint == "round"
    ):
        return f"round-jointed outline (width {instruction.width:g})"
    return ""


def test_no_page_draws_shapes_software_gl_draws_slowly(start_app, clock, data_dir):
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    assert not pages_drawing(ui, block, slowly_drawn_shapes)


def test_tab_on_a_page_with_nothing_focused_starts_at_its_first_control(start_app, clock, data_dir):
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    ui.tap(ui.find_text("Log pain"))  # a touch: no ring, and the checklist focuses nothing
    ui.app.navigator.go("checklist", procedure_id=block.id)
    ui.settle()
    keys = Keyboard(ui)
    assert keys.focused() is None and not ui.app.theme.keyboard_mode
    keys.press("tab")
    assert keys.focused() is not None
    assert keys.focused().get_root_window() is not None
    assert ui.app.theme.keyboard_mode  # the ring shows
    assert text_of(keys.focused()) == "‹ Back"  # the first control of the page
