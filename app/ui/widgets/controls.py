"""Touch- and keyboard-friendly controls shared by every screen."""

import math

from kivy.app import App
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

from app.ui.kv import load_kv_beside

ACTIVATE_KEYS = {"enter", "numpadenter", "spacebar"}


class AppButton(FocusBehavior, ButtonBehavior, Label):
    """A rounded button that a keyboard can reach (Tab) and press (Enter or Space)."""

    # "bar": on the coloured top bar; "call": the When to call button, red on white.
    kind = OptionProperty("secondary",
                          options=["primary", "secondary", "quiet", "danger", "bar", "call"])
    selected = BooleanProperty(False)
    fill = ObjectProperty(None, allownone=True)
    wrap = BooleanProperty(True)
    fixed_height = NumericProperty(0)

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        if keycode[1] in ACTIVATE_KEYS and not self.disabled:
            self.trigger_action(duration=0.05)
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)


class ScoreScale(BoxLayout):
    """The 0 to 10 scale as eleven large buttons, with words at 0, 5 and 10."""

    score = NumericProperty(None, allownone=True)
    button_height = NumericProperty(0)
    # The words under 0, 5 and 10: a question about interference needs its own.
    low_words = StringProperty("No pain")
    middle_words = StringProperty("Moderate")
    high_words = StringProperty("Worst imaginable")

    def choose(self, score: int) -> None:
        self.score = score

    def focus_first(self) -> None:
        self.ids.buttons.children[-1].focus = True


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
        self.bind(value=self._refresh, describe=self._refresh, minimum=self._refresh,
                  maximum=self._refresh, step=self._refresh)
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
    """A vertical group that folds away to nothing, and then takes no touches, while hidden."""

    shown = BooleanProperty(True)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.shown else False


class FieldError(Label):
    """A friendly message under a field; takes no room while empty."""


class TopBar(BoxLayout):
    title = StringProperty("")
    show_back = BooleanProperty(True)
    show_call = BooleanProperty(True)
    stacked = BooleanProperty(False)  # the title on its own line below the buttons

    def on_show_call(self, _bar, shown: bool) -> None:
        # The When to call screen has no use for a button that opens itself.
        call = self.ids.call
        if not shown and call.parent is self.ids.row:
            self._hidden_call = call.__self__  # kv refers to it by a weak id: keep it alive
            self.ids.row.remove_widget(call)

    def go_back(self) -> None:
        App.get_running_app().navigator.back()


load_kv_beside(__file__)
