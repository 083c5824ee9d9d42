"""Rows of a page built once and then only filled: making widgets is most of what opening a
page costs (each applies its kv rules), while setting a property that did not change costs
nothing and renders nothing."""

from __future__ import annotations

from kivy.uix.widget import Widget


def show_rows(box: Widget, row_class: type[Widget], rows: list[dict]) -> None:
    """One `row_class` in `box` per dict of `rows`, top first, given that dict's properties.

    The widgets already in `box` are kept when there are as many and of that class; otherwise
    they are made again."""
    shown = list(reversed(box.children))
    if len(shown) != len(rows) or any(type(widget) is not row_class for widget in shown):
        box.clear_widgets()
        shown = [row_class() for _row in rows]
        for widget in shown:
            box.add_widget(widget)
    for widget, properties in zip(shown, rows, strict=True):
        for name, value in properties.items():
            setattr(widget, name, value)
