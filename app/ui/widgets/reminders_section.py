"""What every section of the Reminders screen shares (app/ui/screens/reminders.py shows one at a
time): the screen's services, a refresh that rebuilds only what changed, the banner, and for the
two sections with a form (own reminders, helpers) errors at their fields and an undoable delete.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.reminders import ReminderInputError
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import FieldError

UNDO_SECONDS = 15


class Section(BoxLayout):
    """One part of the Reminders screen."""

    screen = ObjectProperty(None)

    @property
    def reminders(self):
        return self.screen.reminders

    @property
    def clock(self):
        return self.screen.services.clock

    def now_and_zone(self) -> tuple[datetime, str]:
        return self.clock.now(), self.clock.zone()

    def refresh(self, force: bool = True) -> None:
        """Show what is stored; unless `force`, only when it changed since last shown."""

    def to_top(self) -> None:
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1

    def banner(self, message: str, **kwargs) -> None:
        self.screen.show_banner(message, **kwargs)

    def after_change(self) -> None:
        self.refresh(force=True)
        self.screen.count_inbox()


def show_errors(section: BoxLayout, errors: dict[str, str], fields: tuple[str, ...]) -> None:
    """Each problem at its field (ids `<field>_error`), and the first one scrolled into view."""
    for field in fields:
        section.ids[f"{field}_error"].text = errors.get(field, "")
    if errors:
        Clock.schedule_once(lambda _dt: _scroll_to_first_error(section))


def _scroll_to_first_error(section: BoxLayout) -> None:
    marked = [w for w in section.walk(restrict=True) if isinstance(w, FieldError) and w.text]
    if marked and "scroll" in section.ids:
        section.ids.scroll.scroll_to(marked[0], padding=dp(200), animate=False)


class FormSection(Section):
    """A list of saved things with an add form below: errors at their fields, deleting undoable."""

    FIELDS: tuple[str, ...] = ()

    def save_with(self, add, raw: dict[str, Any], saved_words) -> None:
        """Save through `add(raw)`; on a problem keep everything typed and mark the fields."""
        try:
            saved = add(raw)
        except ReminderInputError as problem:
            show_errors(self, problem.errors, self.FIELDS)
            self.banner(_("Please check the fields marked in red. Nothing was lost."))
            return
        self.clear_form()
        self.refresh()
        self.to_top()
        self.banner(saved_words(saved))

    def remove_with_undo(self, remove, restore, item_id: int, gone: str, back: str) -> None:
        remove(item_id)
        self.refresh()

        def undo() -> None:
            restore(item_id)
            self.refresh()
            self.banner(back)

        self.banner(gone, seconds=UNDO_SECONDS, action_text=_("Undo"), action=undo)

    def has_input(self) -> bool:
        """Whether anything is typed in the form and not saved."""
        return False

    def clear_form(self) -> None:
        show_errors(self, {}, self.FIELDS)


load_kv_beside(__file__)
