import re
from datetime import UTC, datetime

import pytest

from app.domain.checklists import (
    GROUP_TITLES,
    grouped,
    item_note,
    known_answers,
    open_items,
    ride_home,
    step_is_done,
    step_mark_id,
)
from app.domain.clinic import ClinicSettings
from app.domain.plan import ChecklistMark, Contact
from app.services.pathways import builtin_pathway

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
PATHWAY = builtin_pathway("lumbar")


def ticked(*ids, checked=True):
    return {item_id: ChecklistMark(checked, "", AT) for item_id in ids}


def step_with_required_items():
    return next(
        step for step in PATHWAY.steps if any(PATHWAY.item(i).required for i in step.checklist)
    )


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
    sedation_items = [
        i for i in PATHWAY.checklist_for("rfa") if i.only_if == "sedation" and i.required
    ]
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
    assert [i.id for i in open_items(PATHWAY, "test-block", ticked(first), sedation=False)] == [
        i.id for i in items[1:]
    ]


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


# ---------------------------------------------------------------- things to tell the clinic

TELL_EVERY_PROCEDURE = {
    "tell-pregnancy",
    "tell-allergies",
    "tell-infection",
    "tell-blood-thinner-change",
}


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_every_procedure_lists_the_things_to_tell_the_clinic(region):
    pathway = builtin_pathway(region)
    for kind in ("test-block", "confirm-block", "rfa"):
        tell = {i.id for i in pathway.checklist_for(kind) if i.group == "tell-clinic"}
        expected = TELL_EVERY_PROCEDURE | ({"tell-implanted-device"} if kind == "rfa" else set())
        assert tell == expected, kind
    words = " ".join(pathway.item(i).text for i in TELL_EVERY_PROCEDURE).lower()
    for thing in (
        "pregnant",
        "local anaesthetic",
        "contrast",
        "iodine",
        "latex",
        "fever",
        "infection",
        "blood thinner is started or changed",
    ):
        assert thing in words, thing
    assert dict(grouped(list(pathway.checklist_for("rfa"))))["Things to tell your clinic"]


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_things_to_tell_are_never_instructions(region):
    pathway = builtin_pathway(region)
    for item in pathway.checklist:
        if item.group == "tell-clinic":
            assert (
                "tell your clinic" in item.text.lower()
                or "told your clinic" in item.text.lower()
                or "your clinic knows" in item.text.lower()
            ), item.id
            assert not re.search(
                r"\b(stop|pause|skip|hold|switch off|turn off)\b", item.text.lower()
            ), item.id


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_the_implanted_device_question_comes_before_rfa_only(region):
    pathway = builtin_pathway(region)
    device = pathway.item("tell-implanted-device")
    assert device.procedures == ("rfa",) and device.required
    for word in (
        "pacemaker",
        "defibrillator",
        "spinal cord stimulator",
        "pump",
        "implanted device",
    ):
        assert word in device.text
    assert device.clinic_setting == "implanted_device_text"
    assert all(
        device not in pathway.checklist_for(kind) for kind in ("test-block", "confirm-block")
    )
    shown_by = [s for s in pathway.steps if device.id in s.checklist]
    assert shown_by and all(s.phase == "before" for s in shown_by)


def test_an_items_clinic_note_is_the_clinics_text_or_tell_them_before_the_day():
    device = PATHWAY.item("tell-implanted-device")
    assert item_note(device, ClinicSettings(name="Riverside", phone="555 0100"), "rfa") == (
        "If you have one, please tell Riverside on 555 0100 before the day."
    )
    own = ClinicSettings(implanted_device_text="We will call your cardiologist.")
    assert item_note(device, own, "rfa") == "We will call your cardiologist."
    assert item_note(PATHWAY.item("bring-id"), own, "rfa") == ""


# --- one truth about the driver -----------------------------------------------------------------

DRIVER = Contact("Maria Lopez", "07700 900123")


def saved(item_id, value, checked=True):
    return {item_id: ChecklistMark(checked, value, AT)}


def test_the_guides_driver_answers_the_driver_items_of_the_to_do_list():
    before = {i.id for i in open_items(PATHWAY, "test-block", {}, sedation=True)}
    assert {"ride-driver-name", "ride-driver-phone"} <= before
    after = {
        i.id
        for i in open_items(PATHWAY, "test-block", {}, sedation=True, known=known_answers(DRIVER))
    }
    assert after == before - {"ride-driver-name", "ride-driver-phone"}


def test_a_mark_the_patient_saved_decides_over_what_the_plan_knows():
    emptied = saved("ride-driver-name", "", checked=False)
    still_open = {
        i.id
        for i in open_items(
            PATHWAY, "test-block", emptied, sedation=True, known=known_answers(DRIVER)
        )
    }
    assert "ride-driver-name" in still_open and "ride-driver-phone" not in still_open


def test_a_step_of_driver_items_is_done_by_the_guides_driver():
    step = next(
        s
        for s in PATHWAY.steps
        if "ride-driver-name" in s.checklist and "ride-driver-phone" in s.checklist
    )
    others = [
        i
        for i in step.checklist
        if i not in ("ride-driver-name", "ride-driver-phone") and PATHWAY.item(i).required
    ]
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
