"""Everything to do for one procedure, grouped, with the patient's medicines reviewed."""

from __future__ import annotations

from kivy.properties import StringProperty

from app.domain.checklists import grouped, item_note, known_answers
from app.domain.dates import date_label
from app.domain.medicine_review import review_medicine
from app.domain.pathway import PROCEDURE_LABELS
from app.domain.plan import PlanInputError, next_procedure
from app.i18n import _
from app.services.resources import medicines
from app.ui.kv import load_kv_beside
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.shell import place_now
from app.ui.widgets.button_flow import ButtonFlow  # noqa: F401  (used in checklist.kv)
from app.ui.widgets.checklist_item import ChecklistItemRow
from app.ui.widgets.controls import AppButton, Card
from app.ui.widgets.medication_review import MedicationReview
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in checklist.kv)
from app.ui.words import marked_words


class ChecklistGroup(Card):
    title = StringProperty("")
    caption = StringProperty("")


class ChecklistScreen(AppScreen):
    """Answers are saved as the patient goes (see ChecklistItemRow); leaving asks only about an
    answer that was refused or a medicine typed but not added."""

    heading = StringProperty("")
    ride_text = StringProperty("")
    initial_focus = StringProperty("")

    def __init__(self, **kwargs):
        self._rows: list[ChecklistItemRow] = []
        self._review: MedicationReview | None = None
        self._cards: list[ChecklistGroup] = []
        self._shape: tuple | None = None  # the groups and item ids the cards were built for
        self._rows_for: int | None = None  # the procedure the rows belong to
        self._switcher_shows: list[tuple[int, str]] = []  # (id, words) of the switcher's buttons
        super().__init__(**kwargs)

    def open(self, procedure_id: int | None = None, **_context) -> None:
        plan = self.services.plan
        self._procedures = plan.procedures(cycle=plan.current_cycle())
        if procedure_id is None:
            now = self.services.clock.now()
            upcoming = next_procedure(self._procedures, now)
            chosen = upcoming or (self._procedures[-1] if self._procedures else None)
            procedure_id = chosen.id if chosen else None
        self._procedure_id = procedure_id
        self.refresh()
        self.ids.scroll.scroll_y = 1

    def show_procedure(self, procedure_id: int) -> None:
        """Another procedure's checklist; an answer this one refused is asked about first."""

        def switch() -> None:
            self._procedure_id = procedure_id
            self.refresh()

        if not self.ask_before_leaving(switch):
            switch()

    # --- nothing typed is lost ----------------------------------------------------------------

    def on_pre_leave(self, *_args) -> None:
        self.save_what_is_typed()

    def save_what_is_typed(self) -> None:
        for row in self._rows:
            row.save_if_changed()

    def has_unsaved_input(self) -> bool:
        return bool(self._refused_rows() or self._typed_medicine())

    @property
    def unsaved_message(self) -> str:
        parts = []
        if self._refused_rows():
            parts.append(_("An answer marked in red could not be saved."))
        if self._typed_medicine():
            parts.append(
                _("“{medicine}” has not been added to your medicines.").format(
                    medicine=self._typed_medicine()
                )
            )
        return " ".join(parts)

    def forget_unsaved_input(self) -> None:
        for row in self._rows:
            row.forget_typed()
        if self._review is not None:
            self._review.forget_typed()

    def _refused_rows(self) -> list[ChecklistItemRow]:
        return [row for row in self._rows if row.has_unsaved_input()]

    def _typed_medicine(self) -> str:
        return self._review.typed if self._review is not None else ""

    # --- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the chosen procedure's items; answers still typed but refused stay as typed.

        The cards and rows are built once and filled again on later visits: building them is
        most of the page's cost (36 rows of about ten widgets each). They are built anew only
        when the groups or items differ (another pathway, sedation or procedure kind)."""
        same = self._procedure_id == self._rows_for
        kept = {row.item.id: (row.typed, row.error) for row in self._refused_rows() if same}
        kept_medicine = self._typed_medicine()
        self._rows_for = self._procedure_id
        services = self.services
        now, zone = services.clock.now(), services.clock.zone()
        self._show_switcher()
        procedure = next((p for p in self._procedures if p.id == self._procedure_id), None)
        if procedure is None:
            self.ids.groups.clear_widgets()
            self._rows, self._review, self._shape = [], None, None
            self.heading = _("No procedure in your plan yet.")
            return
        self.heading = _("{procedure}: {date}").format(
            procedure=procedure.label, date=date_label(procedure.at, now, zone, in_sentence=True)
        )
        driver = services.plan.driver()
        self.ride_text = (
            _("Your driver: {name}, {phone}").format(name=driver.name, phone=driver.phone)
            if driver
            else _("No driver added yet. You will need someone to take you home.")
        )
        clinic = services.settings.clinic()
        pathway = services.pathways.for_region(procedure.region)
        marks = services.plan.marks(procedure.id)
        answers = known_answers(driver)
        groups = grouped(list(pathway.checklist_for(procedure.kind, sedation=clinic.uses_sedation)))
        shape = tuple((title, tuple(item.id for item in items)) for title, items in groups)
        rebuilt = shape != self._shape
        if rebuilt:
            self._build(groups)
            self._shape = shape
        rows = iter(self._rows)
        for card, (_title, group_items) in zip(self._cards, groups, strict=True):
            card.caption = self.ride_text if group_items[0].group == "ride" else ""
            for item in group_items:
                row = next(rows)
                row.show(
                    item,
                    marks.get(item.id),
                    marked_words(marks.get(item.id), now, zone),
                    answers.get(item.id, ""),
                    clinic_text=item_note(item, clinic, procedure.kind),
                )
                typed, row.error = kept.get(item.id, (row.value, ""))
                row.show_typed(typed)
        if self._review is not None:
            self._review.ids.new_medicine.text = kept_medicine
            self._review.error = ""
            self._show_medicines()
        if rebuilt:  # new cards and rows, filled: placed at once, not first at 100 px wide
            place_now(self)

    def words_to_read(self) -> list[str]:
        """Read aloud: the heading, then each group's title, caption and items, as shown."""
        words = [self.heading]
        for card in self._cards:
            words += [card.title, card.caption]
            for row in reversed(card.ids.rows.children):  # Kivy keeps children last first
                if isinstance(row, ChecklistItemRow):
                    words += [row.item.text, row.clinic_text]
        return words

    def _build(self, groups) -> None:
        """One card per group and an empty row per item, filled by `refresh`."""
        box = self.ids.groups
        box.clear_widgets()
        self._rows, self._cards, self._review = [], [], None
        for title, group_items in groups:
            card = ChecklistGroup(title=title)
            for _item in group_items:
                row = ChecklistItemRow(save_mark=self._mark)
                card.ids.rows.add_widget(row)
                self._rows.append(row)
            if group_items[0].group == "medicines":
                self._review = MedicationReview(
                    save_medicine=self._add_medicine, drop_medicine=self._remove_medicine
                )
                card.ids.rows.add_widget(self._review)
            box.add_widget(card)
            self._cards.append(card)

    def _show_switcher(self) -> None:
        """A button per procedure when there are two or more; made again only when the
        procedures changed, otherwise only the chosen one changes."""
        switcher = self.ids.switcher
        shown = [(p.id, _(PROCEDURE_LABELS[p.kind])) for p in self._procedures]
        if len(shown) < 2:
            shown = []
        if shown != self._switcher_shows:
            self._switcher_shows = shown
            switcher.clear_widgets()
            for procedure_id, text in shown:
                button = AppButton(text=text, wrap=False)
                button.bind(on_press=lambda _b, pid=procedure_id: self.show_procedure(pid))
                switcher.add_widget(button)
        for button, (procedure_id, _text) in zip(reversed(switcher.children), shown, strict=True):
            button.selected = procedure_id == self._procedure_id

    def _mark(self, item, checked: bool, value: str) -> str:
        problem = self.mark_item(self._procedure_id, item, checked, value)
        if not problem:  # say when it was saved, as the rows shown with the page do
            clock = self.services.clock
            mark = self.services.plan.marks(self._procedure_id).get(item.id)
            for row in self._rows:
                if row.item is item:
                    row.marked_text = marked_words(mark, clock.now(), clock.zone())
        return problem

    @keeps_input_when_storage_fails
    def _add_medicine(self, text: str) -> str:
        try:
            self.services.plan_service.add_medicine(text)
        except PlanInputError as problem:
            return " ".join(problem.errors.values())
        self._show_medicines()
        return ""

    def _remove_medicine(self, name: str) -> None:
        self.services.plan_service.remove_medicine(name)
        self._show_medicines()

    def _show_medicines(self) -> None:
        clinic = self.services.settings.clinic()
        procedure = next(p for p in self._procedures if p.id == self._procedure_id)
        reviewed = (
            review_medicine(medicine.name, clinic, procedure.kind, medicines())
            for medicine in self.services.plan.medicines()
        )
        self._review.show(
            [
                {"name": r.name, "kind_text": r.kind_text, "instruction": r.instruction}
                for r in reviewed
            ]
        )


load_kv_beside(__file__)
