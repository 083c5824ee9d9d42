"""One timeline step opened: when, what to do, the clinic's own words, its checklist and reading."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from app.domain.checklists import applies, item_note, known_answers, step_is_done
from app.domain.clinic import STEP_SETTINGS, clinic_note, in_sentence
from app.domain.dates import date_label, date_label_with_distance
from app.domain.due_now import is_due_now
from app.domain.learn import fill_placeholders
from app.domain.plan import DatedStep, build_timeline
from app.i18n import _
from app.services.resources import load_article
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.button_flow import ButtonFlow  # noqa: F401  (used in step.kv)
from app.ui.widgets.checklist_item import ChecklistItemRow
from app.ui.widgets.controls import AppButton
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in step.kv)
from app.ui.words import marked_words


class StepScreen(AppScreen):
    title = StringProperty("")
    when = StringProperty("")
    procedure_text = StringProperty("")
    text = StringProperty("")
    clinic_title = StringProperty("")
    clinic_text = StringProperty("")
    done = BooleanProperty(False)
    diary_text = StringProperty("")  # the block diary or the RFA check-ins, from the day on
    initial_focus = StringProperty("done_button")

    def open(self, procedure_id: int | None = None, step_id: str | None = None, **_context) -> None:
        if procedure_id is not None:
            self._procedure_id, self._step_id = procedure_id, step_id
        elif not hasattr(self, "_step_id"):
            # A page built afresh (after a language change or a kiosk session) and opened
            # without a step: the next step of the plan, never an empty or broken page.
            upcoming = self._next_step()
            if upcoming is None:  # no plan: its timeline says how to add one
                Clock.schedule_once(lambda _dt: self.navigator.go("timeline"))
                return
            self._procedure_id, self._step_id = upcoming.procedure.id, upcoming.step.id
        services = self.services
        now, zone = services.clock.now(), services.clock.zone()
        procedure = services.plan.procedure(self._procedure_id)
        pathway = services.pathways.for_region(procedure.region)
        step = next(s for s in pathway.steps if s.id == self._step_id)
        clinic = services.settings.clinic()
        due = step.offset.due(procedure.at, procedure.zone)
        self._procedure, self._pathway, self._step = procedure, pathway, step
        self.title = step.title
        self.when = date_label_with_distance(due, now, procedure.zone)
        self.procedure_text = _("{procedure}: {date}").format(
            procedure=procedure.label,
            date=date_label(procedure.at, now, procedure.zone, in_sentence=True),
        )
        self.text = fill_placeholders(
            step.text, emergency_number=clinic.emergency_number, clinic_phone=clinic.phone
        )
        setting = step.clinic_setting or ""
        self.clinic_title = (
            in_sentence(_(STEP_SETTINGS[setting])) if setting in STEP_SETTINGS else ""
        )
        self.clinic_text = (
            clinic_note(
                clinic, step.clinic_setting, kind=procedure.kind, local_at=procedure.local_at
            )
            if step.clinic_setting
            else ""
        )
        marks = services.plan.marks(procedure.id)
        self._known = known_answers(services.plan.driver())
        self.done = step_is_done(
            step, pathway, marks, sedation=clinic.uses_sedation, known=self._known
        )
        if is_due_now(DatedStep(step, procedure, due, procedure.zone), self.done, now):
            self.when = _("{when}: do this now").format(when=self.when)
        self._show_items(marks, clinic, now, zone)
        self._show_reading()
        self.diary_text = (
            ""
            if step.phase == "before"
            else _("Open the block diary")
            if procedure.is_block
            else _("Open your check-ins after the RFA")
        )
        self.ids.scroll.scroll_y = 1

    def _next_step(self) -> DatedStep | None:
        """The plan's first step due from now on, else its last one; None without a plan."""
        services = self.services
        plan, now = services.plan, services.clock.now()
        procedures = plan.procedures(cycle=plan.current_cycle())
        sedation = services.settings.clinic().uses_sedation
        dated = sorted(
            (
                step
                for region in {p.region for p in procedures}
                for step in build_timeline(
                    procedures, services.pathways.for_region(region), sedation=sedation
                )
            ),
            key=lambda step: step.due,
        )
        return next((step for step in dated if step.due >= now), dated[-1] if dated else None)

    def open_diary(self) -> None:
        screen = "block_diary" if self._procedure.is_block else "outcomes"
        self.navigator.go(screen, procedure_id=self._procedure.id)

    def toggle_done(self) -> None:
        self.services.plan_service.mark_step(self._procedure.id, self._step.id, done=not self.done)
        self.done = not self.done

    def _show_items(self, marks, clinic, now, zone) -> None:
        box = self.ids.todo_items
        box.clear_widgets()
        for item_id in self._step.checklist:
            item = self._pathway.item(item_id)
            if item is None or not applies(item, clinic.uses_sedation):
                continue
            row = ChecklistItemRow(save_mark=self._mark)
            # The step shows its own clinic text above; an item repeating it would say it twice.
            note = (
                ""
                if item.clinic_setting == self._step.clinic_setting
                else item_note(item, clinic, self._procedure.kind)
            )
            row.show(
                item,
                marks.get(item.id),
                marked_words(marks.get(item.id), now, zone),
                self._known.get(item.id, ""),
                clinic_text=note,
            )
            box.add_widget(row)

    def _mark(self, item, checked: bool, value: str) -> str:
        problem = self.mark_item(self._procedure.id, item, checked, value)
        if not problem:
            marks = self.services.plan.marks(self._procedure.id)
            sedation = self.services.settings.clinic().uses_sedation
            self.done = step_is_done(
                self._step, self._pathway, marks, sedation=sedation, known=self._known
            )
        return problem

    def _show_reading(self) -> None:
        box = self.ids.reading
        box.clear_widgets()
        for article_id in self._step.learn:
            button = AppButton(
                text=_("Read: {title}").format(title=load_article(article_id).title), halign="left"
            )
            button.bind(
                on_press=lambda _b, a=article_id: self.navigator.go("article", article_id=a)
            )
            box.add_widget(button)


load_kv_beside(__file__)
