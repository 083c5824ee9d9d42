"""The patient's medicines, each recognised kind shown with the clinic's own instruction."""

from __future__ import annotations

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import Card


class MedicineRow(Card):
    name = StringProperty("")
    kind_text = StringProperty("")
    instruction = StringProperty("")
    review = ObjectProperty(None)


class MedicationReview(BoxLayout):
    """Rows come from the screen (`show`); adding and removing go back to it via callbacks."""

    error = StringProperty("")
    save_medicine = ObjectProperty(None)
    drop_medicine = ObjectProperty(None)

    def show(self, rows: list[dict]) -> None:
        box = self.ids.rows
        box.clear_widgets()
        for row in rows:
            box.add_widget(MedicineRow(review=self, **row))

    def add(self) -> None:
        self.error = self.save_medicine(self.ids.new_medicine.text)
        if not self.error:
            self.ids.new_medicine.text = ""

    @property
    def typed(self) -> str:
        """A medicine name typed but not added yet."""
        return self.ids.new_medicine.text.strip()

    def forget_typed(self) -> None:
        self.ids.new_medicine.text = ""
        self.error = ""

    def remove(self, name: str) -> None:
        self.drop_medicine(name)


load_kv_beside(__file__)
