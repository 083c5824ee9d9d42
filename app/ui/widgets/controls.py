"""Touch- and keyboard-friendly controls shared by every screen."""

import math

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics import ScissorPop, ScissorPush
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from app.i18n import N_
from app.ui.kv import load_kv_beside
from app.ui.widgets.page_scroll import PageScroll  # noqa: F401  (its rule is in controls.kv)

ACTIVATE_KEYS = {"enter", "numpadenter", "spacebar"}
IN_VIEW_MARGIN = dp(12)  # room kept between a focused control and the edge of its scrolling page


def scroll_into_view(widget: Widget, margin: float = IN_VIEW_MARGIN) -> None:
    """Scroll the nearest ScrollView around `widget` so that all of it is in sight (WCAG 2.4.11).
    A widget taller than the view (a whole article) shows its top."""
    view = widget.parent
    while view is not None and view is not view.parent and not isinstance(view, ScrollView):
        view = view.parent
    if not isinstance(view, ScrollView) or view.parent is None or not view.do_scroll_y:
        return
    # Both in the coordinates the ScrollView itself is placed in.
    bottom = view.parent.to_widget(*widget.to_window(widget.x, widget.y))[1] - view.y
    top = bottom + widget.height
    if widget.height + 2 * margin > view.height:
        if 0 <= top <= view.height:
            return  # its top is in sight already; the arrow keys read on
        shift = top + margin - view.height  # the content moves down by this much
    elif top + margin > view.height:
        shift = top + margin - view.height
    elif bottom - margin < 0:
        shift = bottom - margin
    else:
        return
    _dx, scroll_step = view.convert_distance_to_scroll(0, shift)
    view.scroll_y = min(1.0, max(0.0, view.scroll_y + scroll_step))


class KeyboardFocus(FocusBehavior):
    """What every control the keyboard can reach shares: Tab and Shift-Tab reach it, Enter or
    Space presses it (when it is a button), the focus ring shows while the keyboard is in use
    (controls.kv), and it scrolls itself fully into sight when it gets focus."""

    ring_radius = NumericProperty(dp(14))
    ring_shown = BooleanProperty(False)  # set in controls.kv
    # A text field shows its ring whenever it has the cursor, touch or keyboard.
    ring_on_touch = BooleanProperty(False)

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        if self.get_root_window() is None:
            # Taken off the screen (a closed question) while it had the keyboard: let go, and
            # the navigator gives Tab to what is in front.
            self.focus = False
            return False
        if keycode[1] in ACTIVATE_KEYS and isinstance(self, ButtonBehavior) and not self.disabled:
            self.trigger_action(duration=0.05)
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def on_focus(self, _widget, focused: bool) -> None:
        app = App.get_running_app()
        # Only for the keyboard: a touch focuses what is under the finger, and scrolling then
        # would move the control away before the finger lifts, and the tap would miss it.
        if focused and app is not None and app.theme.keyboard_mode:
            # After this frame's layout, so a page that has just been filled is measured.
            Clock.schedule_once(lambda _dt: scroll_into_view(self))


class RecycleRowFocus(KeyboardFocus, RecycleDataViewBehavior):
    """A focusable row of a RecycleView. Only the rows in sight exist as widgets, so Tab and the
    arrow keys move by the row's place in the list (scrolling the next row into sight first);
    Tab from the last row leaves the list for the control after it."""

    index = NumericProperty(-1)

    def refresh_view_attrs(self, rv, index, data):
        if index != self.index and self.focus:  # scrolled away, the widget now shows another row
            self.focus = False
        self.index = index
        return super().refresh_view_attrs(rv, index, data)

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        key = keycode[1]
        backwards = key == "up" or (key == "tab" and "shift" in modifiers)
        if key not in ("tab", "up", "down"):
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        view = self._recycle_view()
        if view is None:
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        target = self._next_row_index(view, -1 if backwards else 1)
        if target is not None:
            focus_recycle_row(view, target)
        elif key == "tab":
            beyond = focusable_beyond(view, forward=not backwards)
            if beyond is not None:
                beyond.focus = True
        return True

    def _recycle_view(self):
        node = self.parent
        while node is not None and node is not node.parent:
            if hasattr(node, "view_adapter"):
                return node
            node = node.parent
        return None

    def _next_row_index(self, view, step: int) -> int | None:
        index = self.index + step
        while 0 <= index < len(view.data):
            viewclass = view.data[index].get("viewclass", view.viewclass)
            if issubclass(
                Factory.get(viewclass) if isinstance(viewclass, str) else viewclass, RecycleRowFocus
            ):
                return index
            index += step
        return None


def focus_recycle_row(view, index: int, tries: int = 3) -> None:
    """Give the keyboard to row `index` of RecycleView `view`, scrolling it into sight."""
    layout = view.layout_manager
    options = layout.view_opts[index] if index < len(layout.view_opts) else None
    if options is not None:
        row_bottom = options["pos"][1]
        row_top = row_bottom + options["size"][1]
        hidden = layout.height - view.height
        if hidden > 0:
            seen_bottom = view.scroll_y * hidden
            if row_bottom - IN_VIEW_MARGIN < seen_bottom:
                view.scroll_y = max(0.0, (row_bottom - IN_VIEW_MARGIN) / hidden)
            elif row_top + IN_VIEW_MARGIN > seen_bottom + view.height:
                view.scroll_y = min(1.0, (row_top + IN_VIEW_MARGIN - view.height) / hidden)

    def give_focus(_dt):
        row = view.view_adapter.get_visible_view(index)
        if row is not None:
            row.focus = True
        elif tries > 1:
            focus_recycle_row(view, index, tries - 1)

    Clock.schedule_once(give_focus)


def focusable_beyond(container: Widget, forward: bool):
    """The first control the keyboard can reach after (or before) everything inside `container`."""
    inside = set(container.walk(restrict=True))
    walk = container.walk(loopback=True) if forward else container.walk_reverse(loopback=True)
    for widget in walk:
        if widget in inside or widget is container:
            continue
        if isinstance(widget, FocusBehavior) and widget.is_focusable and not widget.disabled:
            return widget
    return None


class AppButton(KeyboardFocus, ButtonBehavior, Label):
    """A rounded button that a keyboard can reach (Tab) and press (Enter or Space)."""

    # "bar": on the coloured top bar; "call": the When to call button, red on white.
    kind = OptionProperty(
        "secondary", options=["primary", "secondary", "quiet", "danger", "bar", "call"]
    )
    selected = BooleanProperty(False)
    fill = ObjectProperty(None, allownone=True)
    wrap = BooleanProperty(True)
    fixed_height = NumericProperty(0)


class ScoreScale(BoxLayout):
    """The 0 to 10 scale as eleven large buttons, with words at 0, 5 and 10."""

    score = NumericProperty(None, allownone=True)
    button_height = NumericProperty(0)
    columns = NumericProperty(11)  # 6 (two rows) where eleven would keep the digits small
    # The words under 0, 5 and 10: a question about interference needs its own.
    low_words = StringProperty(N_("No pain"))
    middle_words = StringProperty(N_("Moderate"))
    high_words = StringProperty(N_("Worst imaginable"))

    def choose(self, score: int) -> None:
        self.score = score

    def focus_first(self) -> None:
        """The keyboard starts on the chosen score, or on 0 while none is chosen."""
        self.button_for(self.score or 0).focus = True

    def button_for(self, score: int) -> "ScoreButton":
        return next(b for b in self.ids.buttons.children if b.score == score)


# Arrow keys on the scale: Right and Up raise the score, Left and Down lower it.
SCORE_KEY_STEPS = {"right": 1, "up": 1, "left": -1, "down": -1}


class ScoreButton(AppButton):
    """One number of the scale. The scale is one stop for Tab (on the chosen number, or 0), as a
    group of radio buttons is: the arrow keys choose the next number and move there, as on a
    slider; Home and End choose 0 and 10; Tab and Shift-Tab leave the scale."""

    score = NumericProperty(0)

    @property
    def scale(self) -> "ScoreScale | None":
        scale = self.parent.parent if self.parent is not None else None
        return scale if isinstance(scale, ScoreScale) else None

    def on_focus(self, button, focused: bool) -> None:
        super().on_focus(button, focused)
        scale = self.scale
        # Tabbing into the scale lands on the chosen number (once this focus change is over).
        # Not on a touch: the touched number is being chosen.
        if (
            focused
            and scale is not None
            and scale.score is not None
            and scale.score != self.score
            and App.get_running_app().theme.keyboard_mode
        ):
            Clock.schedule_once(lambda _dt: setattr(scale.button_for(scale.score), "focus", True))

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        scale = self.scale
        key = keycode[1]
        if scale is None or self.disabled:
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        if key == "tab":
            beyond = focusable_beyond(scale, forward="shift" not in modifiers)
            if beyond is not None:
                beyond.focus = True
            return True
        if key in SCORE_KEY_STEPS:
            start = self.score if scale.score is None else scale.score
            target = min(10, max(0, start + SCORE_KEY_STEPS[key]))
        elif key in ("home", "end"):
            target = 0 if key == "home" else 10
        else:
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        scale.choose(target)
        scale.button_for(target).focus = True
        return True


class FormTextInput(KeyboardFocus, TextInput):
    """A text field: Tab leaves it (it never types a tab); its ring shows while it has the
    cursor."""


class Stepper(BoxLayout):
    """A value changed with large minus and plus buttons; `describe` turns it into words."""

    value = NumericProperty(0)
    minimum = NumericProperty(0)
    maximum = NumericProperty(10)
    step = NumericProperty(1)
    caption = StringProperty("")
    text = StringProperty("")
    describe = ObjectProperty(None, allownone=True)
    can_decrease = BooleanProperty(True)
    can_increase = BooleanProperty(True)

    def on_kv_post(self, base_widget):
        self.bind(
            value=self._refresh,
            describe=self._refresh,
            minimum=self._refresh,
            maximum=self._refresh,
            step=self._refresh,
        )
        self._refresh()

    def change(self, direction: int) -> None:
        self.value = self._stepped(direction)

    def _stepped(self, direction: int) -> float:
        # A value off the step's grid (a typed 09:40 with 15-minute steps) goes to the next
        # grid value in that direction (09:45 or 09:30), never past it.
        steps = (self.value - self.minimum) / self.step
        if math.isclose(steps, round(steps), abs_tol=1e-9):  # on the grid, give or take a float
            steps = round(steps)
        target = math.floor(steps) + 1 if direction > 0 else math.ceil(steps) - 1
        return min(self.maximum, max(self.minimum, self.minimum + target * self.step))

    def _refresh(self, *_):
        self.text = self.describe(self.value) if self.describe else str(int(self.value))
        self.can_decrease = self._stepped(-1) != self.value
        self.can_increase = self._stepped(1) != self.value


class Reveal(BoxLayout):
    """A vertical group that folds away to nothing, and then takes no touches, while hidden.

    Hidden, it is also not rasterised: opacity 0 alone still has every pixel of its contents
    blended (invisibly) into every frame, which in software GL made a page with many folded
    groups (the checklist, the RFA check-ins) cost two to four times a plain page per frame. A
    scissor of no area around the group drops its pixels before they are drawn."""

    shown = BooleanProperty(True)

    def __init__(self, **kwargs):
        self._fold = (ScissorPush(x=0, y=0, width=0, height=0), ScissorPop())
        super().__init__(**kwargs)

    def on_shown(self, _reveal, shown: bool) -> None:
        push, pop = self._fold
        if shown:
            self.canvas.before.remove(push)
            self.canvas.after.remove(pop)
        else:
            self.canvas.before.insert(0, push)
            self.canvas.after.add(pop)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.shown else False


class Card(BoxLayout):
    """A group on a rounded panel of the theme's card colour (drawn in controls.kv, so high
    contrast recolours it). `tone` "surface_alt" is the paler panel, for a group set inside a
    card or a row of a list; `gap` leaves room clear above and below the panel, so that rows of
    a list laid edge to edge show apart."""

    tone = OptionProperty("surface", options=("surface", "surface_alt"))
    gap = NumericProperty(0)


class FieldError(Label):
    """A friendly message under a field; takes no room while empty."""


class TopBar(BoxLayout):
    title = StringProperty("")
    show_back = BooleanProperty(True)
    show_call = BooleanProperty(True)
    stacked = BooleanProperty(False)  # the title on its own line below the buttons

    def on_show_call(self, _bar, shown: bool) -> None:
        # The When to call screen has no use for a button that opens itself.
        call, row = self.ids.call, self.ids.row
        # `in children`, not `parent is row`: the ids are weak proxies, never `is` the widget.
        if not shown and call in row.children:
            self._hidden_call = call.__self__  # kv refers to it by a weak id: keep it alive
            row.remove_widget(call)

    def go_back(self) -> None:
        App.get_running_app().navigator.back()


load_kv_beside(__file__)
