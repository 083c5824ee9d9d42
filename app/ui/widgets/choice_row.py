"""ChoiceRow: the buttons of one choice side by side while each keeps its longest word whole at
an equal share of the width, one above another when larger text or longer words need it (a
button never breaks a word, and a row never runs off the screen)."""

from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside
from app.ui.measure import widest_word

# AppButton wraps its words dp(16) inside its width, within its own padding; a little to spare.
WRAP_MARGIN = 16
SPARE = 4


def room_for_words(button) -> float:
    """The width `button` needs to show its longest word whole."""
    return (
        widest_word([button.text], button.font_size, button.bold)
        + dp(WRAP_MARGIN)
        + 2 * button.padding[0]
        + dp(SPARE)
    )


class ChoiceRow(BoxLayout):
    # Chosen at once (not on the next frame) when the width, a button or its words change, so
    # the buttons are where they are drawn by the time anyone can touch them.
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(width=self._choose_orientation, children=self._watch_buttons)

    def _watch_buttons(self, *_args) -> None:
        for button in self.children:
            button.unbind(text=self._choose_orientation, font_size=self._choose_orientation)
            button.bind(text=self._choose_orientation, font_size=self._choose_orientation)
        self._choose_orientation()

    def _choose_orientation(self, *_args) -> None:
        buttons = [child for child in self.children if hasattr(child, "text")]
        if not buttons:
            return
        share = (self.width - self.spacing * (len(buttons) - 1)) / len(buttons)
        needed = max(room_for_words(button) for button in buttons)
        self.orientation = "horizontal" if needed <= share else "vertical"


load_kv_beside(__file__)
