"""A page, or a column of one, that scrolls up and down, and draws only what is near sight.

Kivy draws every widget of a scrolled page on every frame, in sight or not. In software GL the
parts of Settings below its first screen (some 1,300 drawing steps) took half of each frame:
52 ms a frame, 25 without them. A PageScroll sets aside the drawing of each part of its page
(a card, a row, a group and what it holds) that is more than NEAR_SIGHT out of sight, and puts
it back in its place as the first frame in which it comes that near is painted. Touches, focus
and layout are untouched: only what is drawn changes, and only where nobody can see it
(tests/ui/test_page_scroll.py)."""

from __future__ import annotations

from operator import methodcaller
from weakref import WeakSet

from kivy.graphics import InstructionGroup
from kivy.metrics import dp
from kivy.uix.layout import Layout
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.stencilview import StencilView
from kivy.uix.widget import Widget

from app.ui.as_painted import AsPainted

# Parts are sorted again as each frame in which the page scrolls, moves or is laid out is
# painted, so the margin is not there for speed of scrolling: it covers what a part draws beyond
# its own box (a focus ring, a shadow). Until 2026-12-02 it was a whole view's height, which kept
# drawing up to a second screenful below every page as it opened (Outcomes: 5 ms of its 9 ms of
# drawing steps; benchmarks/screens.py).
NEAR_SIGHT = dp(48)


class PageScroll(ScrollView):
    def __init__(self, **kwargs):
        # part: the widget it is drawn in, and what holds its place there
        self._set_aside: dict[Widget, tuple[Widget, InstructionGroup]] = {}
        self._watched: WeakSet[Widget] = WeakSet()  # parts whose moves sort them again
        super().__init__(**kwargs)
        for name in ("scroll_y", "pos", "size"):
            self.fbind(name, self._ask_for_sort)

    def add_widget(self, widget, *args, **kwargs):
        super().add_widget(widget, *args, **kwargs)
        widget.fbind("size", self._ask_for_sort)
        widget.fbind("children", self._ask_for_sort)

    def remove_widget(self, widget, *args, **kwargs):
        self._bring_back_all()
        widget.funbind("size", self._ask_for_sort)
        widget.funbind("children", self._ask_for_sort)
        super().remove_widget(widget, *args, **kwargs)

    def _ask_for_sort(self, *_args) -> None:
        sorting.ask(self)

    def _sort_parts(self) -> None:
        page = self._viewport  # ScrollView's one child, the widget it scrolls
        if page is None:
            return
        for part, (holder, place) in list(self._set_aside.items()):
            if part.parent is not holder:  # taken away while set aside: its place goes too
                if place in holder.canvas.children:
                    holder.canvas.remove(place)
                del self._set_aside[part]
        # The page is drawn moved by the scroll's Translate, as it is in this frame: in the
        # page's own coordinates, what is in sight runs from the view's bottom to its top, less
        # that move.
        moved = self.g_translate.y
        self._sort(page, self.y - moved - NEAR_SIGHT, self.top - moved + NEAR_SIGHT)

    def _sort(self, holder: Widget, near_bottom: float, near_top: float) -> None:
        for part in holder.children:
            if part not in self._watched:
                part.fbind("pos", self._ask_for_sort)
                part.fbind("size", self._ask_for_sort)  # its top moves with its bottom in place
                part.fbind("parent", self._ask_for_sort)  # taken off or moved elsewhere
                self._watched.add(part)
            drawn = part.canvas in holder.canvas.children
            aside = self._set_aside.get(part)
            if aside is not None and drawn:  # put on the page again while set aside
                holder.canvas.remove(self._set_aside.pop(part)[1])
                aside = None
            if part.top < near_bottom or part.y > near_top:
                if aside is None and drawn:
                    place = InstructionGroup()
                    self._swap(holder, part.canvas, place)
                    self._set_aside[part] = (holder, place)
                continue
            if aside is not None:
                self._swap(holder, aside[1], part.canvas)
                del self._set_aside[part]
            if _lays_out_in_place(part):
                # A tall group (all of Settings' choices) is sorted inside too; and what was set
                # aside inside a group when only part of it was near comes back with it.
                self._sort(part, near_bottom, near_top)

    def _bring_back_all(self) -> None:
        for part, (holder, place) in list(self._set_aside.items()):
            if place in holder.canvas.children:
                self._swap(holder, place, part.canvas)
        self._set_aside.clear()

    @staticmethod
    def _swap(holder: Widget, drawn, instead) -> None:
        index = holder.canvas.indexof(drawn)
        holder.canvas.remove(drawn)
        holder.canvas.insert(index, instead)


# Sorted as the frame is painted: then the page's place and its parts' are those of the frame.
sorting: AsPainted[PageScroll] = AsPainted(methodcaller("_sort_parts"))


def _lays_out_in_place(widget: Widget) -> bool:
    """Whether `widget`'s children are placed in its own parent's coordinates: a plain layout,
    not one that moves or clips what it holds (a RelativeLayout, another ScrollView)."""
    return isinstance(widget, Layout) and not isinstance(widget, RelativeLayout | StencilView)
