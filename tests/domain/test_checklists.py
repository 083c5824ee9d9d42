from datetime import datetime, timezone

from app.domain.checklists import (
    GROUP_TITLES,
    grouped,
    known_answers,
    open_items,
    ride_home,
    step_is_done,
    step_mark_id,
)
from app.domain.pathway import builtin_pathway
from app.domain.plan import ChecklistMark, Contact

AT = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
PATHWAY = builtin_pathway("lumbar")


def ticked(*ids, checked=True):
    return {item_id: ChecklistMark(checked, "", AT) for item_id in ids}


def step_with_required_items():
    return next(step for step in PATHWAY.steps
                if any(PATHWAY.item(i).required for i in step.checklist))


def test_a_step_is_done_when_every_required_item_it_shows_is_ticked():
    step = step_with_required_items()
    required = [i for i in step.checklist if PATHWAY.item(i).required]
    assert not step_is_done(step, PATHWAY, {}, sedation=True)
    assert not step_is_done(step, PATHWAY, ticked(*required[:-1]), sedation=True)
    assert step_is_done(step, PATHWAY, ticked(*required), sedation=True)


def test_marking_a_step_itself_wins_either_way():
    step = step_with_required_items()
    required = [i for i in step.checklist if PATHWAY.item(i).required]
    assert step_is_done(step, PATHWAY, ticked(step_mark_id(step.id)), sedation=True)
    undone = {**ticked(*required), **ticked(step_mark_id(step.id), checked=False)}
    assert not step_is_done(step, PATHWAY, undone, sedation=True)


def test_a_step_without_items_is_done_only_when_marked():
    step = next(step for step in PATHWAY.steps if not step.checklist)
    assert not step_is_done(step, PATHWAY, {}, sedation=None)


def test_sedation_only_items_stay_open_unless_the_clinic_said_it_does_not_sedate():
    sedation_items = [i for i in PATHWAY.checklist_for("rfa") if i.only_if == "sedation"
                      and i.required]
    assert sedation_items, "the built-in RFA checklist has fasting items"
    for answer in (True, None):
        still_open = {i.id for i in open_items(PATHWAY, "rfa", {}, sedation=answer)}
        assert {i.id for i in sedation_items} <= still_open
    no_sedation = {i.id for i in open_items(PATHWAY, "rfa", {}, sedation=False)}
    assert not {i.id for i in sedation_items} & no_sedation


def test_open_items_are_the_required_unticked_ones_in_pathway_order():
    items = open_items(PATHWAY, "test-block", {}, sedation=False)
    assert items and all(i.required for i in items)
    first = items[0].id
    assert [i.id for i in open_items(PATHWAY, "test-block", ticked(first), sedation=False)] == \
        [i.id for i in items[1:]]


def test_groups_come_in_a_fixed_order_with_plain_titles():
    titles = [title for title, _ in grouped(list(PATHWAY.checklist_for("rfa")))]
    known = list(GROUP_TITLES.values())
    assert titles == sorted(titles, key=known.index)
    assert titles[0] == "Your ride home"


def test_the_driver_named_in_the_plan_fills_the_ride_answers():
    assert known_answers(None) == {}
    answers = known_answers(Contact("Maria", "555 0142"))
    assert answers == {"ride-driver-name": "Maria", "ride-driver-phone": "555 0142"}
    assert all(PATHWAY.item(item_id) is not None for item_id in answers)


# --- one truth about the driver -----------------------------------------------------------------

DRIVER = Contact("Maria Lopez", "07700 900123")


def saved(item_id, value, checked=True):
    return {item_id: ChecklistMark(checked, value, AT)}


def test_the_guides_driver_answers_the_driver_items_of_the_to_do_list():
    before = {i.id for i in open_items(PATHWAY, "test-block", {}, sedation=True)}
    assert {"ride-driver-name", "ride-driver-phone"} <= before
    after = {i.id for i in open_items(PATHWAY, "test-block", {}, sedation=True,
                                      known=known_answers(DRIVER))}
    assert after == before - {"ride-driver-name", "ride-driver-phone"}


def test_a_mark_the_patient_saved_decides_over_what_the_plan_knows():
    emptied = saved("ride-driver-name", "", checked=False)
    still_open = {i.id for i in open_items(PATHWAY, "test-block", emptied, sedation=True,
                                           known=known_answers(DRIVER))}
    assert "ride-driver-name" in still_open and "ride-driver-phone" not in still_open


def test_a_step_of_driver_items_is_done_by_the_guides_driver():
    step = next(s for s in PATHWAY.steps
                if "ride-driver-name" in s.checklist and "ride-driver-phone" in s.checklist)
    others = [i for i in step.checklist if i not in ("ride-driver-name", "ride-driver-phone")
              and PATHWAY.item(i).required]
    marks = ticked(*others)
    assert not step_is_done(step, PATHWAY, marks, sedation=True)
    assert step_is_done(step, PATHWAY, marks, sedation=True, known=known_answers(DRIVER))


def test_the_driver_is_the_guides_or_else_the_one_written_on_the_checklist():
    assert ride_home(DRIVER, {}) == DRIVER
    checklist = {**saved("ride-driver-name", " Sam "), **saved("ride-driver-phone", "555 0101")}
    assert ride_home(None, checklist) == Contact("Sam", "555 0101")
    assert ride_home(DRIVER, checklist) == DRIVER
    assert ride_home(None, saved("ride-driver-name", "Sam")) == Contact("Sam", "")
    assert ride_home(None, saved("ride-driver-name", "", checked=False)) is None
    assert ride_home(None, {}) is None
