"""What a patient trips on at large text, found in a laid-out widget tree.

`layout_problems(root)` lists, in words, every
- label whose text does not fit its box (runs past its edges, or is cut short with "..."),
- label that breaks a word in the middle ("Delet/e") because the word is wider than its line,
- text or control that runs outside the box holding it (a card, a row, a button),
- text or control lying over another control (a tap meant for one lands on the other),
- control smaller than 48 dp either way.
Widgets that cannot be seen (opacity 0, no size, folded away) are left out. Widgets inside the
same scrolled page are compared over the whole page, as a patient scrolls it; widgets in
different layers (a page and the bar above it) only where both are in view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

MIN_TARGET = dp(48)
SLACK = 1.5  # px: rounding in layouts
MARKUP_TAG = re.compile(r"\[/?[a-z_]+(=[^\]]*)?\]")


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, widget: Widget) -> Box:
        left, bottom = widget.to_window(widget.x, widget.y)
        return cls(left, bottom, left + widget.width, bottom + widget.height)

    def overlap(self, other: Box) -> tuple[float, float]:
        return (
            min(self.right, other.right) - max(self.left, other.left),
            min(self.top, other.top) - max(self.bottom, other.bottom),
        )

    def clipped(self, other: Box) -> Box:
        return Box(
            max(self.left, other.left),
            max(self.bottom, other.bottom),
            min(self.right, other.right),
            min(self.top, other.top),
        )

    def contains(self, other: Box) -> bool:
        return (
            other.left >= self.left - SLACK
            and other.right <= self.right + SLACK
            and other.bottom >= self.bottom - SLACK
            and other.top <= self.top + SLACK
        )

    @property
    def empty(self) -> bool:
        return self.right - self.left <= SLACK or self.top - self.bottom <= SLACK


def is_control(widget: Widget) -> bool:
    return isinstance(widget, (ButtonBehavior, TextInput, FocusBehavior)) and not isinstance(
        widget, ScrollView
    )


def describe(widget: Widget) -> str:
    text = getattr(widget, "text", "") or getattr(widget, "hint_text", "")
    words = " ".join(str(text).split())
    words = words if len(words) <= 40 else words[:37] + "..."
    return f"{type(widget).__name__} {words!r}" if words else type(widget).__name__


def layout_problems(root: Widget) -> list[str]:
    shown = list(_walk_shown(root))
    problems: list[str] = []
    for widget in shown:
        if isinstance(widget, Label) and widget.text.strip():
            problems += _text_problems(widget)
        if is_control(widget) and (
            widget.width < MIN_TARGET - SLACK or widget.height < MIN_TARGET - SLACK
        ):
            problems.append(
                f"{describe(widget)} is {widget.width / dp(1):.0f}x"
                f"{widget.height / dp(1):.0f} dp, under 48 dp"
            )
        if is_control(widget) or (isinstance(widget, Label) and widget.text.strip()):
            problems += _outside_its_box(widget)
    problems += _overlaps(
        [w for w in shown if is_control(w) or (isinstance(w, Label) and w.text.strip())]
    )
    return problems


def _walk_shown(root: Widget):
    for widget in root.walk(restrict=True):
        if _shown(widget, root):
            yield widget


def _shown(widget: Widget, root: Widget) -> bool:
    node = widget
    while node is not None:
        if node.opacity == 0 or node.width <= 0 or node.height <= 0:
            return False
        if getattr(node, "shown", True) is False:  # a folded Reveal
            return False
        if node is root or node is node.parent:
            return True
        node = node.parent
    return True


def _text_problems(label: Label) -> list[str]:
    if label.texture is None:
        label.texture_update()
    problems = []
    text_width, text_height = label.texture_size
    if text_width > label.width + SLACK or text_height > label.height + SLACK:
        problems.append(
            f"{describe(label)} needs {text_width / dp(1):.0f}x"
            f"{text_height / dp(1):.0f} dp but has {label.width / dp(1):.0f}x"
            f"{label.height / dp(1):.0f} dp: its text runs out of its box"
        )
    line_width = label.text_size[0]
    if line_width is None:
        return problems
    plain = MARKUP_TAG.sub("", label.text) if label.markup else label.text
    if (
        label.shorten
        and _width_of(label, plain.replace("\n", " ")) > line_width + SLACK
        and not label.max_lines
    ):
        problems.append(f"{describe(label)} is cut short with '...'")
    available = line_width - label.padding[0] - label.padding[2]
    for word in set(plain.split()):
        if _width_of(label, word) > available + SLACK:
            problems.append(f"{describe(label)} breaks the word {word!r} in the middle")
            break
    return problems


def _width_of(label: Label, text: str) -> float:
    return label._label.get_extents(text)[0]


def _clip_region(widget: Widget) -> tuple[Widget | None, Box | None]:
    """The scrolled page the widget is in (None: not in one) and the part of the window in view."""
    node, page, view = widget.parent, None, None
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            box = Box.of(node)
            if page is None:
                page = node
            view = box if view is None else view.clipped(box)
        if isinstance(node, (Screen, ModalView)):
            break
        node = node.parent
    return page, view


def _outside_its_box(widget: Widget) -> list[str]:
    """Text or a control sticking out of the layout that holds it (up to its page)."""
    mine = Box.of(widget)
    if isinstance(widget, Label) and widget.texture is not None:
        # only the drawn text counts: a label may be wider than its words
        width, height = widget.texture_size
        if width <= widget.width and height <= widget.height:
            return []
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, (ScrollView, Screen, ModalView)):
            return []
        if node.width > 0 and node.height > 0 and not Box.of(node).contains(mine):
            return [f"{describe(widget)} sticks out of its {type(node).__name__}"]
        node = node.parent
    return []


def _overlaps(widgets: list[Widget]) -> list[str]:
    boxes = []
    for widget in widgets:
        page, view = _clip_region(widget)
        box = Box.of(widget)
        if isinstance(widget, Label) and not is_control(widget):
            box = _text_box(widget)
        boxes.append((widget, page, view, box))
    problems = []
    for i, (first, first_page, first_view, first_box) in enumerate(boxes):
        for second, second_page, second_view, second_box in boxes[i + 1 :]:
            if not (is_control(first) or is_control(second)):
                continue
            if _related(first, second):
                continue
            a, b = first_box, second_box
            if first_page is not second_page:
                a = a.clipped(first_view) if first_view else a
                b = b.clipped(second_view) if second_view else b
                if a.empty or b.empty:
                    continue
            width, height = a.overlap(b)
            if width > SLACK and height > SLACK:
                problems.append(
                    f"{describe(first)} and {describe(second)} overlap by "
                    f"{min(width, height) / dp(1):.0f} dp"
                )
    return problems


def _text_box(label: Label) -> Box:
    """Where a label's text is drawn, by its alignment."""
    box = Box.of(label)
    width, height = label.texture_size
    width, height = min(width, label.width), min(height, label.height)
    left = {"left": box.left, "right": box.right - width}.get(
        label.halign, box.left + (label.width - width) / 2
    )
    bottom = {"bottom": box.bottom, "top": box.top - height}.get(
        label.valign, box.bottom + (label.height - height) / 2
    )
    return Box(left, bottom, left + width, bottom + height)


def _related(first: Widget, second: Widget) -> bool:
    return _is_inside(first, second) or _is_inside(second, first)


def _is_inside(widget: Widget, ancestor: Widget) -> bool:
    node = widget.parent
    while node is not None and node is not node.parent:
        if node is ancestor:
            return True
        node = node.parent
    return False
