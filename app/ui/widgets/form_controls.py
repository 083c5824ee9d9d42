"""The controls of a form: the 0 to 10 pain scale, text fields and minus/plus steppers.

Apart from controls.py so that Today, which has none of them, opens without loading them (Kivy's
TextInput and these rules): controls.py registers their names with Kivy's Factory, which imports
this module the first time a page's rules or code asks for one."""

import math

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.textinput import TextInput

from app.i18n import N_
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import AppButton, KeyboardFocus, focusable_beyond


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


load_kv_beside(__file__)
