"""Keyboard focus for the rows of a RecycleView (the Timeline's steps)."""

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import NumericProperty
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from app.ui.widgets.controls import IN_VIEW_MARGIN, KeyboardFocus, focusable_beyond


class RecycleRowFocus(KeyboardFocus, RecycleDataViewBehavior):
    """A focusable row of a RecycleView. Only the rows in sight exist as widgets, so Tab and the
    arrow keys move by the row's place in the list (scrolling the next row into sight first);
    Tab from the last row leaves the list for the control after it."""

    index = NumericProperty(-1)

    def refresh_view_attrs(self, rv, index, data):
        if index != self.index and self.focus:  # scrolled away, the widget now shows another row
            self.focus = False
        self.index = index
        return super().refresh_view_attrs(rv, index, data)

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        key = keycode[1]
        backwards = key == "up" or (key == "tab" and "shift" in modifiers)
        if key not in ("tab", "up", "down"):
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        view = self._recycle_view()
        if view is None:
            return super().keyboard_on_key_down(window, keycode, text, modifiers)
        target = self._next_row_index(view, -1 if backwards else 1)
        if target is not None:
            focus_recycle_row(view, target)
        elif key == "tab":
            beyond = focusable_beyond(view, forward=not backwards)
            if beyond is not None:
                beyond.focus = True
        return True

    def _recycle_view(self):
        node = self.parent
        while node is not None and node is not node.parent:
            if hasattr(node, "view_adapter"):
                return node
            node = node.parent
        return None

    def _next_row_index(self, view, step: int) -> int | None:
        index = self.index + step
        while 0 <= index < len(view.data):
            viewclass = view.data[index].get("viewclass", view.viewclass)
            if issubclass(
                Factory.get(viewclass) if isinstance(viewclass, str) else viewclass, RecycleRowFocus
            ):
                return index
            index += step
        return None


def focus_recycle_row(view, index: int, tries: int = 3) -> None:
    """Give the keyboard to row `index` of RecycleView `view`, scrolling it into sight."""
    layout = view.layout_manager
    options = layout.view_opts[index] if index < len(layout.view_opts) else None
    if options is not None:
        row_bottom = options["pos"][1]
        row_top = row_bottom + options["size"][1]
        hidden = layout.height - view.height
        if hidden > 0:
            seen_bottom = view.scroll_y * hidden
            if row_bottom - IN_VIEW_MARGIN < seen_bottom:
                view.scroll_y = max(0.0, (row_bottom - IN_VIEW_MARGIN) / hidden)
            elif row_top + IN_VIEW_MARGIN > seen_bottom + view.height:
                view.scroll_y = min(1.0, (row_top + IN_VIEW_MARGIN - view.height) / hidden)

    def give_focus(_dt):
        row = view.view_adapter.get_visible_view(index)
        if row is not None:
            row.focus = True
        elif tries > 1:
            focus_recycle_row(view, index, tries - 1)

    Clock.schedule_once(give_focus)
