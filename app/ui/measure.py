"""How much room words take, measured before they are shown: for a row height a RecycleView
needs with its data, or a button as wide as its words on one line.

Measuring renders the words, and a page asks for the same ones on every open (a list's rows,
its buttons), so each answer is kept. An answer depends only on the arguments: the fonts behind
a name never change once the app has registered them."""

from __future__ import annotations

from functools import lru_cache

from kivy.core.text import Label as CoreLabel
from kivy.core.text.markup import MarkupLabel

KEPT_MEASURES = 4096  # a few pages' rows at two widths and two text sizes


@lru_cache(maxsize=KEPT_MEASURES)
def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """The width of `text` on one line."""
    label = CoreLabel(text=text, font_size=font_size, bold=bold)
    label.refresh()
    return label.texture.size[0] if label.texture is not None else 0


@lru_cache(maxsize=KEPT_MEASURES)
def text_height(
    text: str, font_size: float, width: float, bold: bool = False, markup: bool = False
) -> float:
    """The height of `text` once wrapped at `width` (`markup`: Kivy markup, as a label with
    markup shows it)."""
    label = (MarkupLabel if markup else CoreLabel)(
        text=text, font_size=font_size, bold=bold, text_size=(max(width, 1), None)
    )
    label.refresh()
    return label.texture.size[1] if label.texture is not None else 0


def widest_word(texts, font_size: float, bold: bool = False) -> float:
    """The widest single word of `texts`: a wrapping label narrower than this breaks a word."""
    return max(
        (text_width(word, font_size, bold) for text in texts for word in text.split()), default=0
    )
