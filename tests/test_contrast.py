"""Contrast of the keyboard's focus ring, button outlines and placeholder text, in both palettes,
computed as WCAG 2.2 does (relative luminance, 1.4.11 non-text contrast: 3:1 or more).

The focus ring has two bands of contrasting colours (controls.kv, <KeyboardFocus>): one at the
control's edge and one inside it. It is seen when one of its bands stands out 3:1 from what the
control sits on, and one from the control's own fill; the two bands stand out from each other as
well. One colour cannot do it alone: nothing is 3:1 against both the white page and the dark teal
buttons.
Run with `-s` to see the figures."""

from __future__ import annotations

import pytest
from kivy.utils import get_color_from_hex as hex_color

from app.ui.theme import PALETTES, SCALE_COLORS

NEEDED = 3.0

# What a focusable control sits on: the page, a card, the top bar, the banner (its Undo), a
# milestone row of the Timeline.
SITS_ON = ("background", "surface", "primary", "primary_dark", "surface_alt")
# The fills of the controls the keyboard reaches (controls.kv's AppButton kinds, the selected
# score, the banner's Undo in `focus`); the eleven score colours are added below.
FILLS = ("primary", "error", "primary_dark", "surface", "background", "surface_alt", "focus")


def luminance(colour: str) -> float:
    channels = [
        (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4) for c in hex_color(colour)[:3]
    ]
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
def test_the_focus_ring_stands_out_from_what_it_sits_on_and_from_the_control(palette_name):
    palette = PALETTES[palette_name]
    bands = (palette["focus_ring"], palette["focus_ring_inner"])
    fills = {name: palette[name] for name in FILLS}
    fills |= {f"score {score}": colour for score, colour in enumerate(SCALE_COLORS)}
    worst = []
    for place in SITS_ON:
        against_place = max(contrast(band, palette[place]) for band in bands)
        for fill_name, fill in fills.items():
            against_fill = max(contrast(band, fill) for band in bands)
            worst.append((min(against_place, against_fill), place, fill_name))
    worst.sort()
    print(
        f"\n{palette_name}: ring bands {bands[0]} / {bands[1]}, "
        f"between the bands {contrast(*bands):.2f}:1; weakest pairs "
        + ", ".join(f"on {place} around {fill} {ratio:.2f}:1" for ratio, place, fill in worst[:3])
    )
    assert contrast(*bands) >= NEEDED
    failing = [(place, fill, round(ratio, 2)) for ratio, place, fill in worst if ratio < NEEDED]
    assert not failing


@pytest.mark.parametrize("palette_name", sorted(PALETTES))
def test_outlines_and_placeholder_text_stand_out_from_the_page(palette_name):
    palette = PALETTES[palette_name]
    # A white button's or a field's outline separates it from the page or card it sits on, and
    # from its own white fill; a placeholder is read on the field's white.
    outline = {
        place: contrast(palette["outline"], palette[place])
        for place in ("background", "surface", "surface_alt")
    }
    call_outline = {
        place: contrast(palette["error"], palette[place])
        for place in ("background", "surface", "surface_alt")
    }
    placeholder = contrast(palette["muted"], palette["surface"])
    print(
        f"\n{palette_name}: outline {palette['outline']} "
        + ", ".join(f"{place} {ratio:.2f}:1" for place, ratio in outline.items())
        + f"; When to call outline {min(call_outline.values()):.2f}:1 at least"
        + f"; placeholder {palette['muted']} on the field {placeholder:.2f}:1"
    )
    assert min(outline.values()) >= NEEDED
    assert min(call_outline.values()) >= NEEDED
    assert placeholder >= NEEDED
