"""Touch- and keyboard-friendly controls shared by every screen."""

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
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from app.ui.kv import load_kv_beside
from app.ui.widgets.page_scroll import PageScroll  # noqa: F401  (its rule is in controls.kv)

ACTIVATE_KEYS = {"enter", "numpadenter", "spacebar"}
# Registered by name only: Kivy's Factory imports form_controls.py the first time a page's rules
# or code ask for one, so Today (which has none) opens without loading Kivy's TextInput.
FORM_CONTROLS = ("ScoreScale", "ScoreButton", "FormTextInput", "Stepper")
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


for form_control in FORM_CONTROLS:
    Factory.register(form_control, module="app.ui.widgets.form_controls")
load_kv_beside(__file__)
