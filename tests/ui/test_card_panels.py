"""The card panels and the bottom button bar are drawn from the theme (controls.kv's Card and
BottomBar), so the display choices in Settings recolour every one of them at once."""

from __future__ import annotations

import pytest
from kivy.graphics import Color, Rectangle
from kivy.metrics import dp
from kivy.utils import get_color_from_hex as hex_color

from app.ui.theme import PALETTES
from app.ui.widgets.controls import Card
from app.ui.widgets.rounded_fill import RoundedFill

pytestmark = pytest.mark.ui


def rounded(colour) -> tuple:
    return tuple(round(c, 3) for c in colour)


def panel(widget, shape=RoundedFill) -> tuple[tuple, tuple, tuple]:
    """The colour, place and size of the first `shape` a widget draws behind its content."""
    colour = None
    for instruction in widget.canvas.before.children:
        if isinstance(instruction, Color):
            colour = rounded(instruction.rgba)
        elif isinstance(instruction, shape):
            return colour, tuple(instruction.pos), tuple(instruction.size)
    raise AssertionError(f"{widget!r} draws no {shape.__name__}")


def test_cards_and_the_bottom_bar_take_their_colours_from_the_theme(start_app):
    ui = start_app()
    settings = ui.app.navigator.go("settings")
    ui.settle()
    calm, contrast = PALETTES["calm"], PALETTES["high_contrast"]
    cards = [w for w in ui.widgets() if isinstance(w, Card)]
    assert len(cards) >= 3  # Settings is a column of FormCards
    for card in cards:
        assert panel(card) == (
            rounded(hex_color(calm["surface"])),
            tuple(card.pos),
            tuple(card.size),
        )
    [bar] = [w for w in ui.widgets() if type(w).__name__ == "BottomBar"]
    assert panel(bar, Rectangle)[0] == rounded(hex_color(calm["surface_alt"]))

    # A paler card, and a row of a list whose panel leaves room above and below it.
    pale = Card(tone="surface_alt", size_hint_y=None, height=dp(100))
    row = Card(gap=dp(4), size_hint_y=None, height=dp(100))
    page = settings.ids.form
    page.add_widget(pale)
    page.add_widget(row)
    ui.pump(frames=3)
    assert panel(pale)[0] == rounded(hex_color(calm["surface_alt"]))
    assert panel(row)[1:] == ((row.x, row.y + dp(4)), (row.width, row.height - dp(8)))

    settings.set_high_contrast(True)  # what Settings' button does
    ui.pump(frames=3)
    try:
        assert panel(bar, Rectangle)[0] == rounded(hex_color(contrast["surface_alt"]))
        assert panel(pale)[0] == rounded(hex_color(contrast["surface_alt"]))
        assert rounded(hex_color(contrast["surface_alt"])) != rounded(
            hex_color(calm["surface_alt"])
        )
    finally:
        settings.set_high_contrast(False)
        page.remove_widget(pale)
        page.remove_widget(row)
