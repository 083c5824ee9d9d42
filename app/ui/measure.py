"""How much room words take, measured before they are shown: for a row height a RecycleView
needs with its data, or a button as wide as its words on one line."""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel


def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """The width of `text` on one line."""
    label = CoreLabel(text=text, font_size=font_size, bold=bold)
    label.refresh()
    return label.texture.size[0] if label.texture is not None else 0


def text_height(text: str, font_size: float, width: float, bold: bool = False) -> float:
    """The height of `text` once wrapped at `width`."""
    label = CoreLabel(text=text, font_size=font_size, bold=bold, text_size=(max(width, 1), None))
    label.refresh()
    return label.texture.size[1] if label.texture is not None else 0


def widest_word(texts, font_size: float, bold: bool = False) -> float:
    """The widest single word of `texts`: a wrapping label narrower than this breaks a word."""
    return max(
        (text_width(word, font_size, bold) for text in texts for word in text.split()), default=0
    )
