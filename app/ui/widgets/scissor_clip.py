"""Scrolling views clip what they show with a scissor rather than Kivy's stencil.

Kivy's ScrollView (and so RecycleView and every page and list of the app) is a StencilView: it
draws its rectangle into the stencil buffer, and every pixel drawn inside it then passes the
stencil test. Software GL tests each of those pixels one by one; a scissor instead drops what
falls outside its rectangle before anything is drawn. With scissors one frame of Settings took
about a quarter less CPU, of the Reminders a third less, and screenshots of every page, at the
top and scrolled, were the same pixel for pixel as with the stencil.

A scissor is a rectangle in window pixels, where the stencil was drawn in the view's own
coordinates: so it is moved whenever the view moves on screen, also when what holds it moves
(a page sliding in, the window turned). A view inside another scrolling view (a folder list on
a scrolling page) keeps the stencil: the outer view moves what it holds by a translation it
sets a frame later, which no property announces, so a scissor would lag one scroll behind.
tests/ui/test_page_scroll.py checks that the scissor stays on its view.

Window pixels are where the page is drawn only while nothing draws the window moved or into an
Fbo: a rotated window, a soft keyboard mode that pans or scales it ("pan", "below_target",
"scale"), a shader transition between pages or a page exported as an image would need the
stencil back. The app uses none of these.
"""

from __future__ import annotations

from math import ceil

from kivy.graphics import (
    BindTexture,
    InstructionGroup,
    ScissorPop,
    ScissorPush,
    StencilPop,
    StencilPush,
    StencilUnUse,
    StencilUse,
)
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

STENCIL = (StencilPush, StencilUse, StencilUnUse, StencilPop)


def clip_with_scissor(view: Widget) -> None:
    """Called once the rules of `view` are applied (on_kv_post of <ScrollView>, controls.kv).
    A view whose rules draw no stencil (none of the app's) is left as it is."""
    kinds = {type(i) for i in view.canvas.before.children + view.canvas.after.children}
    if set(STENCIL) <= kinds:
        ScissorClip(view)  # kept alive by the view's bindings to it


class ScissorClip:
    def __init__(self, view: Widget) -> None:
        self.view = view
        self.scissor = (ScissorPush(pos=(0, 0), size=(0, 0)), ScissorPop())
        self.stencil = (
            _gather(view.canvas.before, StencilPush, StencilUse),
            _gather(view.canvas.after, StencilUnUse, StencilPop),
        )
        self.clipping = self.stencil  # the pair in the view's canvas now
        self.followed: list[tuple[Widget, str, object]] = []  # (ancestor, property, callback)
        view.fbind("pos", self.place)
        view.fbind("size", self.place)
        view.fbind("parent", self.follow_ancestors)
        self.follow_ancestors()

    def follow_ancestors(self, *_args) -> None:
        """Where the view is on screen also changes with what holds it (a screen sliding in
        draws its page moved); and inside another scrolling view the stencil clips."""
        for ancestor, name, callback in self.followed:
            ancestor.funbind(name, callback)
        self.followed = []
        nested = False
        ancestor = self.view.parent
        while isinstance(ancestor, Widget):
            nested = nested or isinstance(ancestor, ScrollView)
            self.followed.append((ancestor, "pos", self.place))
            self.followed.append((ancestor, "parent", self.follow_ancestors))
            ancestor = ancestor.parent
        for ancestor, name, callback in self.followed:
            ancestor.fbind(name, callback)
        self._clip_with(self.stencil if nested else self.scissor)
        self.place()

    def place(self, *_args) -> None:
        view = self.view
        left, bottom = view.to_window(*view.pos)
        right, top = view.to_window(view.right, view.top)
        # The pixels whose centres the view covers, as the stencil's rectangle covered them.
        left, bottom, right, top = (ceil(edge - 0.5) for edge in (left, bottom, right, top))
        push = self.scissor[0]
        push.pos = (left, bottom)
        push.size = (max(0, right - left), max(0, top - bottom))

    def _clip_with(self, pair) -> None:
        canvases = (self.view.canvas.before, self.view.canvas.after)
        for canvas, now, instead in zip(canvases, self.clipping, pair, strict=True):
            if now is not instead:
                index = canvas.indexof(now)
                canvas.remove(now)
                canvas.insert(index, instead)
        self.clipping = pair


def _gather(canvas, first_kind: type, last_kind: type) -> InstructionGroup:
    """Move the instructions from the first of `first_kind` to the first of `last_kind` into a
    group that takes their place."""
    first = next(i for i in canvas.children if isinstance(i, first_kind))
    last = next(i for i in canvas.children if isinstance(i, last_kind))
    start = canvas.indexof(first)
    group = InstructionGroup()
    for instruction in canvas.children[start : canvas.indexof(last) + 1]:
        if not isinstance(instruction, BindTexture):  # a Rectangle takes its own along
            canvas.remove(instruction)
            group.add(instruction)
    canvas.insert(start, group)
    return group
