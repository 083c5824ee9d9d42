"""An article's blocks as large, calm text: headings, paragraphs, and bullets with a hanging indent.

The view sits in a ScrollView and grows to its content's height. On a wide window the text keeps
to a centred column (`column` wide at most), so lines stay a comfortable length to read. It can take
keyboard focus, and then the arrow, Page and Home/End keys scroll the ScrollView around it.
"""

from __future__ import annotations

import re

from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.utils import escape_markup

from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import KeyboardFocus

_BOLD = re.compile(r"\*\*(.+?)\*\*")
LINE_STEP = dp(60)  # how far one arrow key scrolls


def to_markup(text: str) -> str:
    """Article text as Kivy markup: `**bold**` becomes bold, anything else is shown as written."""
    return _BOLD.sub(r"[b]\1[/b]", escape_markup(text))


class ArticleHeading(Label):
    view = ObjectProperty(None, allownone=True)


class ArticleParagraph(Label):
    view = ObjectProperty(None, allownone=True)


class ArticleBullet(BoxLayout):
    view = ObjectProperty(None, allownone=True)
    text = StringProperty("")


_WIDGETS = {"heading": ArticleHeading, "paragraph": ArticleParagraph, "bullet": ArticleBullet}


class ArticleTitle(Label):
    pass


class ArticleView(KeyboardFocus, BoxLayout):
    title = StringProperty("")  # shown above the blocks, wrapping, when set
    blocks = ListProperty([])
    column = NumericProperty(dp(900))  # the widest the text column may be
    # 0: the theme's font_body and font_large. (Not set in the base kv rule, where its binding
    # would fight a subclass that sets them.)
    body_font = NumericProperty(0)
    heading_font = NumericProperty(0)

    def on_title(self, *_):
        self._build()

    def on_blocks(self, *_):
        self._build()

    def _build(self) -> None:
        self.clear_widgets()
        if self.title:
            self.add_widget(ArticleTitle(text=escape_markup(self.title)))
        for block in self.blocks:
            self.add_widget(_WIDGETS[block.kind](view=self, text=to_markup(block.text)))

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        scroll = self._scroll_view()
        key = keycode[1]
        if scroll is None or key not in ("up", "down", "pageup", "pagedown", "home", "end"):
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        if key == "home":
            scroll.scroll_y = 1
        elif key == "end":
            scroll.scroll_y = 0
        else:
            distance = scroll.height * 0.85 if key.startswith("page") else LINE_STEP
            distance = -distance if key in ("up", "pageup") else distance
            _, dy = scroll.convert_distance_to_scroll(0, distance)
            scroll.scroll_y = min(1.0, max(0.0, scroll.scroll_y - dy))
        return True

    def _scroll_view(self) -> ScrollView | None:
        node = self.parent
        while node is not None and node is not node.parent:
            if isinstance(node, ScrollView):
                return node
            node = node.parent
        return None


load_kv_beside(__file__)
