"""The window's frame: the screens and the banner over them."""

from typing import TypeVar

from kivy.uix.floatlayout import FloatLayout
from kivy.uix.layout import Layout
from kivy.uix.recyclelayout import RecycleLayout
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

import app.ui.widgets.controls  # noqa: F401  (registers shared controls for shell.kv)
from app.ui.kv import load_kv_beside


class Shell(FloatLayout):
    pass


class Pages(ScreenManager):
    """The screens, without Kivy's clip (shell.kv). Kivy's ScreenManager clips its screens to
    itself with the stencil buffer, so every pixel of every frame was drawn with the stencil
    test on; the pages fill the window, which clips them anyway."""


load_kv_beside(__file__)

L = TypeVar("L", bound=Layout)


def laid_out(layout: L) -> L:
    """`layout`, made at its final size, with its children placed now.

    Made at Kivy's default 100 x 100, a page was laid out first at that size: its words wrapped
    and rendered at widths of 0 to 100 px (Today's tiles at -39 px, a word on each line), and all
    again at the real width. Kivy's layouts watch their size only from the end of their own
    __init__, so a size given to it places nothing by itself: hence the do_layout."""
    layout.do_layout()
    return layout


def place_now(widget: Widget) -> None:
    """Size and place every widget under `widget` now, top down, instead of over the layout
    passes of the next frames: a width flows from parent to child, so one pass gives each its
    own. For a page that reads a nested width as it opens (a list measuring its rows), not for
    every page: on a form with many groups (Settings, Outcomes) the pass cost 14 to 20 ms more
    than it saved. A RecycleView's rows are its own to place."""
    if isinstance(widget, RecycleLayout):
        return
    if isinstance(widget, ScrollView):
        widget.update_from_scroll()
    elif isinstance(widget, Layout):
        widget.do_layout()
    for child in widget.children:
        place_now(child)
