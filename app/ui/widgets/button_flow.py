"""Buttons side by side while each one's words fit on one line, else one above the other at the
full width: at the largest text, or in a longer language, a button's name is never broken in the
middle of a word and no button is squeezed under another."""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside

BUTTON_SIDES = dp(32)  # the room a button keeps either side of its words


def one_line_width(label) -> float:
    """The width `label`'s text needs on one line, in pixels."""
    core = CoreLabel(font_size=label.font_size, bold=label.bold, font_name=label.font_name)
    return max((core.get_extents(line)[0] for line in label.text.split("\n")), default=0)


class ButtonFlow(BoxLayout):
    """Its children share a row in proportion to their words, or stack when they do not fit."""

    def do_layout(self, *args) -> None:
        buttons = list(reversed(self.children))
        needs = [one_line_width(button) + BUTTON_SIDES for button in buttons]
        room = self.width - self.padding[0] - self.padding[2] - self.spacing * (len(buttons) - 1)
        side_by_side = sum(needs) <= room
        self.orientation = "horizontal" if side_by_side else "vertical"
        for button, need in zip(buttons, needs, strict=True):
            button.size_hint_x = need if side_by_side else 1
        super().do_layout(*args)


load_kv_beside(__file__)
