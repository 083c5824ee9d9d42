"""One checklist item: a large tick box, or a short answer (text, phone number, time) that is
saved when the field loses the keyboard, on Enter or Save, and when the screen is left."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.textinput import TextInput

from app.domain.pathway import ChecklistItem
from app.i18n import N_, _
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import KeyboardFocus

AUDIENCE_NOTES = {"caregiver": N_("For the person helping you")}


class TickBox(KeyboardFocus, ButtonBehavior, BoxLayout):
    checked = BooleanProperty(False)
    text = StringProperty("")


class AnswerField(BoxLayout):
    """An item answered in words: its words, the field and its Save button. Built only for such
    items: most items are ticks, and a hidden answer part in each of their rows made the
    Checklist's first visit build 380 widgets instead of 295."""

    row = ObjectProperty(None, rebind=True)


class ChecklistItemRow(BoxLayout):
    """`save_mark(item, checked, value)` saves and returns an error message, or "" when saved."""

    item: ChecklistItem = ObjectProperty(None)
    checked = BooleanProperty(False)
    value = StringProperty("")
    note = StringProperty("")
    clinic_text = StringProperty("")  # the clinic's words for this item, from its settings
    marked_text = StringProperty("")
    error = StringProperty("")
    save_mark: Callable[[ChecklistItem, bool, str], str] = ObjectProperty(None)

    @property
    def answer(self) -> TextInput | None:
        """The field an answer is typed in; None for a tick."""
        field = self._answer_field
        return field.ids.answer if field is not None else None

    @property
    def _answer_field(self) -> AnswerField | None:
        fields = self.ids.answer_slot.children
        return fields[0] if fields else None

    def show(
        self,
        item: ChecklistItem,
        mark,
        marked_text: str,
        known_answer: str = "",
        clinic_text: str = "",
    ) -> None:
        self.item = item
        self.clinic_text = clinic_text
        self.checked = bool(mark and mark.checked)
        self.value = mark.value if mark else known_answer
        self.marked_text = marked_text
        notes = [_(AUDIENCE_NOTES[item.audience])] if item.audience in AUDIENCE_NOTES else []
        if not item.required:
            notes.append(_("Optional"))
        self.note = "  ·  ".join(notes)
        self.error = ""
        self._fit_answer_field(item.kind != "tick")

    def _fit_answer_field(self, wanted: bool) -> None:
        slot, field = self.ids.answer_slot, self._answer_field
        if wanted and field is None:
            slot.add_widget(AnswerField(row=self))
        elif not wanted and field is not None:
            slot.remove_widget(field)

    def toggle(self) -> None:
        self._save(not self.checked, self.value)

    def save_answer(self, text: str) -> None:
        self._save(bool(text.strip()), text)

    @property
    def typed(self) -> str:
        return self.answer.text if self.answer is not None else self.value

    def show_typed(self, text: str) -> None:
        """Put `text` in the answer field (an answer typed before and refused stays as typed)."""
        if self.answer is not None:
            self.answer.text = text

    def has_unsaved_input(self) -> bool:
        """An answer typed but not saved: not yet, or refused (its error is shown)."""
        return self.item is not None and self.item.kind != "tick" and self.typed != self.value

    def save_if_changed(self) -> None:
        if self.has_unsaved_input():
            self.save_answer(self.typed)

    def forget_typed(self) -> None:
        self.show_typed(self.value)
        self.error = ""

    def _save(self, checked: bool, value: str) -> None:
        self.error = self.save_mark(self.item, checked, value)
        if not self.error:
            self.checked, self.value = checked, value


load_kv_beside(__file__)
