"""The full entry form: score, time, pain areas, activity, medicine and a note. Also edits."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.dates import clock_time
from app.domain.diary import AREAS, NOTE_MAX_CHARS, DiaryInputError, PainEntry
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.widgets.when_picker import WhenPicker  # noqa: F401  (used in entry.kv)

FORM_FIELDS = ("score", "at", "activity", "medication", "medication_at", "note")


class AreaRow(BoxLayout):
    """One pain area: tap its name to include it, then pick the side and its own score."""

    area = StringProperty("")
    label = StringProperty("")
    chosen = BooleanProperty(False)
    side = StringProperty("")
    score = NumericProperty(5)
    error = StringProperty("")

    def raw(self) -> dict:
        return {"area": self.area, "side": self.side or None, "score": int(self.score)}


class EntryScreen(AppScreen):
    @property
    def unsaved_message(self) -> str:
        return _("What you entered on this page has not been saved.")

    initial_focus = StringProperty("scale")
    editing_id = NumericProperty(None, allownone=True)
    note_count = StringProperty("")

    def on_kv_post(self, base_widget):
        self.area_rows = {}
        for area, label in AREAS.items():
            row = AreaRow(area=area, label=_(label))
            self.area_rows[area] = row
            self.ids.areas.add_widget(row)
        self._opened_with = self._form_values()

    def open(self, score: int | None = None, entry_id: int | None = None, **_context) -> None:
        entry = self.services.diary.get(entry_id) if entry_id is not None else None
        self.editing_id = entry.id if entry else None
        self._fill(entry, score)
        self.ids.scroll.scroll_y = 1

    @keeps_input_when_storage_fails
    def save(self) -> None:
        zone = self.services.clock.zone()
        chosen = [row for row in self.area_rows.values() if row.chosen]
        raw = {
            "score": self.ids.scale.score,
            "at": self.ids.when.value(zone),
            "areas": [row.raw() for row in chosen],
            "activity": self.ids.activity.text,
            "medication": self.ids.medication.text,
            "medication_at": self.ids.medication_when.value(zone)
            if self.ids.medication.text.strip()
            else None,
            "note": self.ids.note.text,
        }
        if self._original_at is not None and self.ids.when.is_now:  # an entry opened to edit
            raw["at"] = self._original_at
        diary = self.services.diary_service
        try:
            saved = diary.add(raw) if self.editing_id is None else diary.edit(self.editing_id, raw)
        except DiaryInputError as problem:
            self._show_errors(problem.errors, chosen)
            return
        except LookupError:  # deleted meanwhile: on the Diary, or by another window
            self._offer_to_save_as_new()
            return
        self._show_errors({}, chosen)
        self._opened_with = self._form_values()  # on disk now: leaving asks nothing
        if self.editing_id is None:
            self.navigator.home()
        else:
            self.navigator.back()
        self.show_banner(
            _("Saved: pain {score} at {time}.").format(
                score=saved.score, time=clock_time(saved.at, saved.zone)
            )
        )

    def _offer_to_save_as_new(self) -> None:
        """The patient's changes stay on the page; they are saved only if the patient asks."""
        ConfirmDialog(
            title=_("This entry was deleted"),
            message=_(
                "It was deleted while you were changing it. What you entered is still here. "
                "Save it as a new entry, with the same time?"
            ),
            stay_text=_("Not now"),
            go_text=_("Save as a new entry"),
            on_go=self._save_as_new,
        ).open()

    def _save_as_new(self) -> None:
        self.editing_id = None
        self.save()

    def delete(self) -> None:
        entry_id = self.editing_id
        self.navigator.back(confirmed=True)
        self.navigator.current.delete_entry(entry_id)

    def cancel(self) -> None:
        self.navigator.back()

    def has_unsaved_input(self) -> bool:
        return self._form_values() != self._opened_with

    def _form_values(self) -> tuple:
        rows = self.area_rows.values()
        areas = tuple((row.area, row.side, int(row.score)) for row in rows if row.chosen)
        when = self.ids.when
        return (
            self.ids.scale.score,
            when.summary,
            self.ids.medication_when.summary,
            areas,
            self.ids.activity.text,
            self.ids.medication.text,
            self.ids.note.text,
        )

    def count_note(self, text: str) -> None:
        self.note_count = _("{count} of {limit} characters").format(
            count=f"{len(text):,}", limit=f"{NOTE_MAX_CHARS:,}"
        )

    def _fill(self, entry: PainEntry | None, score: int | None) -> None:
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        self._show_errors({}, [])
        self._original_at = entry.at if entry else None
        self.ids.scale.score = entry.score if entry else score
        when = self.ids.when
        when.now_label = _("Keep the time") if entry else _("Now")
        when.other_label = _("Change the time") if entry else _("Earlier")
        when.reset(now, entry.zone if entry else zone, entry.at if entry else None)
        when.is_now = True
        chosen = {a.area: a for a in entry.areas} if entry else {}
        for area, row in self.area_rows.items():
            row.chosen = area in chosen
            row.side = chosen[area].side if area in chosen else ""
            row.score = (
                chosen[area].score if area in chosen else (score if score is not None else 5)
            )
            row.error = ""
        self.ids.activity.text = entry.activity if entry else ""
        self.ids.medication.text = entry.medication if entry else ""
        self.ids.medication_when.reset(now, zone, entry.medication_at if entry else None)
        self.ids.note.text = entry.note if entry else ""
        self.count_note(self.ids.note.text)
        self._opened_with = self._form_values()

    def _show_errors(self, errors: dict[str, str], chosen_rows: list[AreaRow]) -> None:
        for field in FORM_FIELDS:
            self.ids[f"{field}_error"].text = errors.get(field, "")
        for row in self.area_rows.values():
            row.error = ""
        for index, row in enumerate(chosen_rows):
            row.error = errors.get(f"areas.{index}", "")
        if errors:
            self.show_banner(_("Please check the fields marked in red. Nothing was lost."))


load_kv_beside(__file__)
