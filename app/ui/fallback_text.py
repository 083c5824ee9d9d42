"""What the patient typed, shown in any script: Kivy's labels have no font fallback.

A Kivy label draws all its text with one font (Roboto), and a character Roboto lacks (Chinese,
Arabic, Hebrew, emoji) becomes a box. `fallback_markup` splits a text into runs by which font has
the characters (each font's cmap, read with fontTools) and returns Kivy markup whose runs outside
Roboto say `[font=...]`; a label showing it sets `markup: True`. The patient's own `[`, `]` and
`&` are escaped, so a note can never be read as markup.

A TextInput cannot take markup, so `input_font` picks the one font that has the most of the typed
characters (Roboto whenever it has them all).

The fallback fonts are bundled in assets/fonts (see LICENSE-*.txt there), tried in order:
DejaVu Sans (Greek, Cyrillic, Arabic, Hebrew and many symbols), Droid Sans Fallback (Chinese,
Japanese, Korean), Symbola (emoji, monochrome). A character none has stays in Roboto. Without a
shaping engine Kivy draws Arabic letters unjoined and right-to-left words in typed order.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cache, lru_cache

from kivy.core.text import LabelBase
from kivy.resources import resource_find
from kivy.utils import escape_markup

from app.package_files import fonts_folder

BASE_FONT = "Roboto"  # Kivy's default font_name, which the app's labels keep
# (name registered with Kivy, file in assets/fonts), in the order they are tried.
FALLBACK_FONTS = (
    ("FacetFallbackDejaVu", "DejaVuSans.ttf"),
    ("FacetFallbackCJK", "DroidSansFallback.ttf"),
    ("FacetFallbackEmoji", "Symbola.ttf"),
)


@lru_cache(maxsize=4096)  # the Diary asks again for every row it shows, on every visit
def fallback_markup(text: str) -> str:
    """`text` as Kivy markup: its characters Roboto lacks in `[font=...]` runs of a font that
    has them; everything escaped."""
    runs: list[tuple[str, str]] = []  # (font name, text)
    for char in text:
        font = _font_for_char(char, runs[-1][0] if runs else BASE_FONT)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return "".join(
        escape_markup(part) if font == BASE_FONT else f"[font={font}]{escape_markup(part)}[/font]"
        for font, part in runs
    )


def input_font(text: str) -> str:
    """The font for a TextInput holding `text`: Roboto when it has every character, else the
    font that has the most of them (ties: the earlier one)."""
    needed = [ord(c) for c in text if _needs_glyph(c)]
    base = _coverage(BASE_FONT)
    if all(code in base for code in needed):
        return BASE_FONT
    best, best_count = BASE_FONT, sum(code in base for code in needed)
    for name, _file in FALLBACK_FONTS:
        covered = _coverage(name)
        count = sum(code in covered for code in needed)
        if count > best_count:
            best, best_count = name, count
    return best


def _font_for_char(char: str, current: str) -> str:
    if not _needs_glyph(char):
        return current  # spaces, line breaks, joiners and variation selectors stay in the run
    code = ord(char)
    if code in _coverage(BASE_FONT):
        return BASE_FONT
    for name, _file in FALLBACK_FONTS:
        if code in _coverage(name):
            return name
    return BASE_FONT


def _needs_glyph(char: str) -> bool:
    """False for whitespace and the invisible format characters (ZWJ, variation selectors)."""
    return not (
        char.isspace()
        or unicodedata.category(char) in ("Cf", "Mn")
        and unicodedata.name(char, "").startswith(("VARIATION SELECTOR", "ZERO WIDTH"))
    )


@cache
def _coverage(name: str) -> frozenset[int]:
    """The code points font `name` has glyphs for; read once, when first needed. Registers a
    fallback font with Kivy the first time, so `[font=name]` finds it."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # Kivy's root logger is DEBUG
    if name == BASE_FONT:
        path = resource_find("data/fonts/Roboto-Regular.ttf")
    else:
        path = str(fonts_folder() / dict(FALLBACK_FONTS)[name])
        LabelBase.register(name, path)
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())
