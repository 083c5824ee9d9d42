"""Pathway files: the built-in ones are complete and pass, and a bad file is refused with a message
that names the file and the key, never with a traceback."""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.clinic import STEP_SETTINGS
from app.domain.learn import fill_placeholders
from app.domain.pathway import (
    FILE_KEY,
    LEARN_ARTICLES,
    PROCEDURE_KINDS,
    REGIONS,
    TOP_KEYS,
    Offset,
    Pathway,
    PathwayError,
    parse_pathway,
    parse_pathway_bytes,
    parse_pathway_text,
)
from app.services.pathways import builtin_pathway, choose_pathway, load_pathway

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data" / "pathways"
SOURCE = "clinic.toml"


def raw(region: str = "lumbar") -> dict[str, Any]:
    """A fresh, mutable copy of a built-in file's parsed TOML."""
    return tomllib.loads((DATA_DIR / f"{region}.toml").read_text(encoding="utf-8"))


def refused(data: Any) -> PathwayError:
    with pytest.raises(PathwayError) as caught:
        parse_pathway(data, SOURCE)
    return caught.value


def index_of(items: list[dict], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item["id"] == item_id)


# --- the built-in pathways ---------------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_every_builtin_file_passes_the_check(region):
    pathway = builtin_pathway(region)
    assert pathway.region == region == pathway.id
    assert pathway.source.endswith(f"{region}.toml")
    assert load_pathway(DATA_DIR / f"{region}.toml") == pathway


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("kind", PROCEDURE_KINDS)
def test_each_procedure_has_steps_before_on_and_after_the_day(region, kind):
    steps = builtin_pathway(region).steps_for(kind)
    phases = {step.phase for step in steps}
    assert {"before", "day", "after", "followup"} <= phases
    before_days = {step.offset.days for step in steps if step.phase == "before"}
    assert {-14, -7, -3, -1} <= before_days  # about 2 weeks, 1 week, a few days, the day before


@pytest.mark.parametrize("region", REGIONS)
def test_rfa_follow_up_runs_to_a_year_and_talks_about_repeating(region):
    followup = [s for s in builtin_pathway(region).steps_for("rfa") if s.phase == "followup"]
    days = [step.offset.days for step in followup]
    assert any(21 <= d <= 28 for d in days)  # the visit at about 3 to 4 weeks
    assert max(days) >= 364
    assert any("how-long-relief-lasts" in step.learn and "again" in step.text for step in followup)


@pytest.mark.parametrize("region", REGIONS)
def test_weakness_after_the_timed_diary_is_not_said_to_be_gone(region):
    # Eight hours after a long-acting anaesthetic some numbness can remain: say so, and when
    # to call, instead of "should be gone by now".
    [step] = [s for s in builtin_pathway(region).steps if s.id == "block-timed-diary-done"]
    assert "should be gone" not in step.text
    assert "can last for some hours" in step.text
    # When to call rests on what the clinic said to expect, never on an hour the app made up.
    assert "longer than your clinic said it would, call {clinic_phone}" in " ".join(
        step.text.split()
    )
    assert "get medical help straight away" in step.text


@pytest.mark.parametrize("region", REGIONS)
def test_block_diary_and_outcome_weeks(region):
    pathway = builtin_pathway(region)
    assert pathway.block_diary.prompt_minutes == (15, 30, 45, 60, 120, 180, 240, 300, 360, 420, 480)
    assert pathway.block_diary.daily_days == 14
    assert pathway.outcome_weeks == (2, 4, 12, 26, 52)


@pytest.mark.parametrize("region", REGIONS)
def test_reminder_rules_cover_rfa_check_ins_and_the_caregiver(region):
    pathway = builtin_pathway(region)
    rfa_patient = [r for r in pathway.reminders_for("rfa") if r.audience == "patient"]
    check_in_days = {r.offset.days for r in rfa_patient if r.offset.days > 0}
    assert {1, 3, 7, 14, 21, 28} <= check_in_days
    assert any(r.repeat_monthly_until_days == 365 for r in rfa_patient)
    for kind in PROCEDURE_KINDS:
        caregiver = [r for r in pathway.reminders_for(kind) if r.audience == "caregiver"]
        assert any(r.offset.days == 0 and r.offset.at is None for r in caregiver)  # pick-up
        assert any(r.offset.days == 0 and r.offset.at == time(20, 0) for r in caregiver)
    assert any(
        r.audience == "caregiver" and r.offset.days == 3 for r in pathway.reminders_for("rfa")
    )


@pytest.mark.parametrize("region", REGIONS)
def test_every_checklist_item_is_shown_by_some_step(region):
    pathway = builtin_pathway(region)
    shown = {item_id for step in pathway.steps for item_id in step.checklist}
    assert {item.id for item in pathway.checklist} == shown


@pytest.mark.parametrize("region", REGIONS)
def test_checklist_groups_for_each_procedure(region):
    pathway = builtin_pathway(region)
    for kind in PROCEDURE_KINDS:
        groups = {item.group for item in pathway.checklist_for(kind)}
        assert {"ride", "medicines", "fasting", "bring"} <= groups
    assert "pain-medicine" in {item.group for item in pathway.checklist_for("test-block")}
    assert "pain-medicine" not in {item.group for item in pathway.checklist_for("rfa")}
    assert {"home-help", "time-off"} <= {item.group for item in pathway.checklist_for("rfa")}
    ride = {item.kind for item in pathway.checklist_for("rfa") if item.group == "ride"}
    assert {"text", "phone"} <= ride  # the driver's name and phone
    assert not [i for i in pathway.checklist_for("rfa", sedation=False) if i.group == "fasting"]
    assert list(pathway.checklist_for("rfa", audience="caregiver"))


@pytest.mark.parametrize("region", REGIONS)
def test_clinic_instructions_come_from_clinic_settings(region):
    """Drug holds, fasting, arrival and the pain-medicine hold are the clinic's words: the steps
    that need them name the setting, and no step states a duration of its own."""
    pathway = builtin_pathway(region)
    settings_by_kind = {
        kind: {s.clinic_setting for s in pathway.steps_for(kind) if s.clinic_setting}
        for kind in PROCEDURE_KINDS
    }
    needed = {
        "anticoagulant_hold_text",
        "antiplatelet_hold_text",
        "diabetes_text",
        "arrival_minutes",
        "fasting_text",
    }
    for kind in PROCEDURE_KINDS:
        assert needed <= settings_by_kind[kind]
    assert "pain_medicine_hold_text" in settings_by_kind["test-block"]
    fasting = [s for s in pathway.steps if s.clinic_setting == "fasting_text"]
    assert fasting and all(s.only_if == "sedation" for s in fasting)
    duration = re.compile(r"\b\d+\s*(minutes?|hours?|days?)\b", re.I)
    instruction = re.compile(r"\b(stop|pause|fast|eat|drink|arrive|hold)\w*\b", re.I)
    for step in pathway.steps:
        for sentence in re.split(r"[.;\n]", step.text):
            assert not (duration.search(sentence) and instruction.search(sentence)), (
                f"{step.id}: {sentence!r}"
            )
        if step.clinic_setting:
            assert "call" in step.text.lower() or step.clinic_setting in (
                "address",
                "phone",
                "arrival_minutes",
            )


def test_the_neck_is_more_careful_with_blood_thinners():
    lumbar, cervical = builtin_pathway("lumbar"), builtin_pathway("cervical")
    assert not lumbar.item("medicines-prescriber").required
    assert cervical.item("medicines-prescriber").required
    for step_id in ("block-blood-thinners", "rfa-blood-thinners"):
        neck = next(s for s in cervical.steps if s.id == step_id)
        assert "neck" in neck.text and "do not stop" in neck.text.lower()
    texts = " ".join(s.text for s in cervical.steps)
    assert "lower back" not in texts.replace("than in the lower back", "")


def step_of(region: str, step_id: str):
    return next(s for s in builtin_pathway(region).steps if s.id == step_id)


@pytest.mark.parametrize("region", REGIONS)
def test_the_nerves_are_not_said_to_control_no_muscles(region):
    texts = " ".join(s.text for s in builtin_pathway(region).steps).lower()
    assert "do not move your muscles" not in texts
    assert "does not get weaker" not in texts
    rfa = step_of(region, "rfa-two-weeks").text
    part = "back" if region == "lumbar" else "neck"
    assert f"a small muscle deep in your {part}" in rfa
    assert "not your arms or legs" in rfa and "has not been shown to cause harm" in rfa


@pytest.mark.parametrize("region", REGIONS)
def test_steps_name_the_emergency_number_by_its_placeholder(region):
    pathway = builtin_pathway(region)
    emergency = [s for s in pathway.steps if "{emergency_number}" in s.text]
    assert {s.id for s in emergency} >= {"block-daily-diary", "rfa-home"}
    for step in pathway.steps:
        assert "local emergency number" not in step.text, step.id
        filled = fill_placeholders(step.text, emergency_number="112", clinic_phone="555 0100")
        assert "{" not in filled and "}" not in filled, step.id
    home = fill_placeholders(
        step_of(region, "rfa-home").text, emergency_number="112", clinic_phone=""
    )
    assert "Call 112 for:" in home
    unset = fill_placeholders(
        step_of(region, "rfa-home").text, emergency_number="", clinic_phone=""
    )
    assert "Call your local emergency number for:" in unset


def test_a_step_may_only_hold_the_known_placeholders():
    data = raw()
    data["steps"][0]["text"] = "Call {emergency_number} or {clinic_phone}."
    parse_pathway(data, SOURCE)
    data["steps"][0]["text"] = "Call {ambulance} now."
    error = refused(data)
    assert error.key == "steps[0].text" and "{emergency_number}" in error.message


@pytest.mark.parametrize("region", REGIONS)
def test_rfa_lists_the_severe_headache_and_allergy_emergencies(region):
    home = step_of(region, "rfa-home").text.lower()
    for sign in (
        "severe headache",
        "trouble breathing",
        "swelling of your face, lips or throat",
        "bladder or bowels",
        "fever with severe",
    ):
        assert sign in home, sign


@pytest.mark.parametrize("region", REGIONS)
def test_recovery_steps_say_when_burning_or_new_pain_needs_a_call(region):
    day_1 = step_of(region, "rfa-day-1").text
    assert "{clinic_phone} if the burning is severe, if it spreads, or if it is still" in day_1
    assert "about three weeks" in day_1
    for step_id in ("rfa-day-3", "block-daily-diary"):
        text = step_of(region, step_id).text
        assert "new, severe pain that is not like your usual pain" in text, step_id
        assert "rash, itching or hives" in text, step_id


def test_neck_steps_mention_brief_dizziness_and_a_numb_scalp_for_the_clinic_to_confirm():
    assert "dizzy or unsteady" in step_of("cervical", "block-timed-diary").text
    assert "dizzy or unsteady" in step_of("cervical", "rfa-home").text
    day_1 = step_of("cervical", "rfa-day-1").text
    assert "back of your head may feel" in day_1
    assert "Ask your clinic whether this applies to you." in day_1
    lumbar = " ".join(s.text for s in builtin_pathway("lumbar").steps)
    assert "back of your head" not in lumbar and "dizzy" not in lumbar


@pytest.mark.parametrize("region", REGIONS)
def test_glp1_and_device_steps_show_the_clinics_own_text(region):
    pathway = builtin_pathway(region)
    glp1 = [s for s in pathway.steps if s.clinic_setting == "glp1_text"]
    assert {k for s in glp1 for k in s.procedures} == set(PROCEDURE_KINDS)
    assert all(s.only_if == "sedation" and s.phase == "before" for s in glp1)
    for step in glp1:
        for brand in ("Ozempic", "Wegovy", "Mounjaro", "Zepbound"):
            assert brand in step.text
    device = [s for s in pathway.steps if s.clinic_setting == "implanted_device_text"]
    assert [s.procedures for s in device] == [("rfa",)]


def test_learn_links_name_real_articles():
    learn_dir = REPO_ROOT / "data" / "learn"
    assert {path.stem for path in learn_dir.glob("*.md")} >= set(LEARN_ARTICLES)
    for region in REGIONS:
        used = {article for step in builtin_pathway(region).steps for article in step.learn}
        assert used == set(LEARN_ARTICLES)


def test_step_settings_are_clinic_fields():
    from dataclasses import fields

    from app.domain.clinic import ClinicSettings

    assert set(STEP_SETTINGS) <= {f.name for f in fields(ClinicSettings)}


# --- messages that name the key ----------------------------------------------------------------


def set_in(data: dict, path: list, value: Any) -> dict:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, value, key, words",
    [
        (["title"], None, "title", "is missing"),
        (["format"], 2, "format", "format 1"),
        (["region"], "thoracic", "region", "lumbar, cervical"),
        (["id"], "Lower Back", "id", "is not an id"),
        (["steps", 0, "phase"], "during", "steps[0].phase", "before, day, after, followup"),
        (["steps", 0, "offset", "days"], "x", "steps[0].offset.days", "whole number, not text"),
        (["steps", 0, "offset", "days"], 3, "steps[0].offset", "“before” step"),
        (["steps", 0, "offset", "hours"], 2, "steps[0].offset.hours", "not both"),
        (["steps", 0, "offset", "at"], "9am", "steps[0].offset.at", "“09:00”"),
        (["steps", 0, "offset", "at"], time(9, 0, 30), "steps[0].offset.at", "hours and minutes"),
        (["steps", 0, "offset"], [], "steps[0].offset", "must be a table, not a list"),
        (["steps", 0, "title"], "   ", "steps[0].title", "is empty"),
        (["steps", 0, "text"], "x" * 5000, "steps[0].text", "limit"),
        (["steps", 0, "text"], "bad \x00 byte", "steps[0].text", "character"),
        (["steps", 0, "procedures"], [], "steps[0].procedures", "at least one"),
        (["steps", 0, "procedures"], ["rfa", "rfa"], "steps[0].procedures", "twice"),
        (["steps", 0, "learn"], ["how-it-works", "gossip"], "steps[0].learn[1]", "gossip"),
        (["steps", 0, "clinic_setting"], "parking", "steps[0].clinic_setting", "parking"),
        (["steps", 0, "checklist"], ["no-such-item"], "steps[0].checklist[0]", "no-such-item"),
        (["steps", 0, "only_if"], "always", "steps[0].only_if", "sedation"),
        (["checklist", 0, "kind"], "checkbox", "checklist[0].kind", "tick, text, phone, time"),
        (["checklist", 0, "required"], "yes", "checklist[0].required", "true or false"),
        (["checklist", 0, "audience"], "doctor", "checklist[0].audience", "patient, caregiver"),
        (
            ["checklist", 0, "clinic_setting"],
            "device_text",
            "checklist[0].clinic_setting",
            "implanted_device_text",
        ),
        (["checklist", 0, "group"], "tell", "checklist[0].group", "tell-clinic"),
        (["block_diary", "prompt_minutes"], [15, 30, 30], "block_diary.prompt_minutes[2]", "go up"),
        (["block_diary", "daily_days"], 400, "block_diary.daily_days", "from 0 to 60"),
        (["outcome_weeks"], [2, True], "outcome_weeks[1]", "whole number"),
        (["steps"], [], "steps", "at least one"),
        (["steps"], {"a": 1}, "steps", "must be a list, not a table"),
        (["steps", 0], "a step", "steps[0]", "must be a table, not text"),
    ],
)
def test_a_bad_value_is_named_by_its_key(path, value, key, words):
    data = raw()
    if value is None:
        del data[path[0]]
    else:
        set_in(data, path, value)
    error = refused(data)
    assert error.key == key
    assert words in error.message
    assert str(error) == f"{SOURCE}: {key}: {error.message}"


def test_a_typo_in_a_key_is_named_with_a_suggestion():
    data = raw()
    data["steps"][2]["titel"] = data["steps"][2].pop("title")
    error = refused(data)
    assert error.key == "steps[2].titel"
    assert "did you mean “title”" in error.message


def test_an_unknown_top_level_key_is_refused():
    data = raw()
    data["reminder"] = data.pop("reminders")
    error = refused(data)
    assert error.key == "reminder"
    assert "did you mean “reminders”" in error.message


def test_duplicate_ids_are_named():
    data = raw()
    data["steps"][1]["id"] = data["steps"][0]["id"]
    error = refused(data)
    assert error.key == "steps[1].id"
    assert "twice" in error.message


def test_a_step_cannot_show_an_item_of_another_procedure():
    data = raw()
    rfa_step = index_of(data["steps"], "rfa-home-help")
    data["steps"][rfa_step]["checklist"] = ["pain-medicine-known"]
    error = refused(data)
    assert error.key == f"steps[{rfa_step}].checklist[0]"
    assert "not used for any" in error.message


def test_a_monthly_reminder_needs_a_time_of_day():
    data = raw()
    monthly = index_of(data["reminders"], "rfa-check-in-monthly")
    data["reminders"][monthly]["offset"] = {"days": 56}
    error = refused(data)
    assert error.key == f"reminders[{monthly}].offset.at"


def test_phase_and_offset_must_agree():
    data = raw()
    after = index_of(data["steps"], "rfa-home")
    data["steps"][after]["offset"] = {"hours": -2}
    assert refused(data).key == f"steps[{after}].offset"
    data = raw()
    day = index_of(data["steps"], "rfa-morning")
    data["steps"][day]["offset"] = {"days": 1, "at": "07:00"}
    assert refused(data).key == f"steps[{day}].offset.days"


def test_optional_parts_take_their_defaults():
    data = raw()
    for key in ("block_diary", "outcome_weeks", "reminders", "description"):
        del data[key]
    pathway = parse_pathway(data, SOURCE)
    assert pathway.block_diary == builtin_pathway("lumbar").block_diary
    assert pathway.outcome_weeks == (2, 4, 12, 26, 52)
    assert pathway.reminders == ()


def test_a_toml_local_time_is_accepted_for_at():
    text = (DATA_DIR / "lumbar.toml").read_text(encoding="utf-8")
    text = text.replace('at = "09:00"', "at = 09:00:00")
    pathway = parse_pathway_text(text, SOURCE)
    assert pathway.steps[0].offset.at == time(9, 0)


# --- files ----------------------------------------------------------------------------------


def test_a_toml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "clinic.toml"
    path.write_text('format = 1\nid = "x"\ntitle = "unclosed\n', encoding="utf-8")
    with pytest.raises(PathwayError) as caught:
        load_pathway(path)
    assert caught.value.source == str(path)
    assert re.fullmatch(r"line 3, column \d+", caught.value.key)
    assert str(caught.value).startswith(f"{path}: line 3")


@pytest.mark.parametrize(
    "content, words",
    [(None, "cannot be read"), (b"\xff\xfe title", "not UTF-8"), (b"a = [" * 250_000, "larger")],
)
def test_unreadable_files_are_a_pathway_error(tmp_path, content, words):
    path = tmp_path / "clinic.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PathwayError) as caught:
        load_pathway(path)
    assert caught.value.key == FILE_KEY
    assert words in caught.value.message


def test_bytes_are_checked_before_they_are_parsed():
    assert parse_pathway_bytes((DATA_DIR / "lumbar.toml").read_bytes(), SOURCE).id == "lumbar"
    with pytest.raises(PathwayError, match="not UTF-8"):
        parse_pathway_bytes(b"\xff title", SOURCE)
    with pytest.raises(PathwayError, match="larger than"):
        parse_pathway_bytes(b" " * 1_000_001, SOURCE)


def test_deep_nesting_is_a_pathway_error():
    with pytest.raises(PathwayError):
        parse_pathway_text("a = " + "[" * 5000 + "]" * 5000, SOURCE)


def test_choose_pathway_prefers_a_good_clinic_file(tmp_path):
    path = tmp_path / "ours.toml"
    path.write_text(
        (DATA_DIR / "lumbar.toml")
        .read_text(encoding="utf-8")
        .replace('title = "Lower back (lumbar) facet joints"', 'title = "Our lower back pathway"'),
        encoding="utf-8",
    )
    pathway, problem = choose_pathway("lumbar", path)
    assert problem is None
    assert pathway.title == "Our lower back pathway"
    assert choose_pathway("lumbar", None) == (builtin_pathway("lumbar"), None)


def test_a_broken_clinic_file_falls_back_and_says_why(tmp_path):
    path = tmp_path / "ours.toml"
    path.write_text("format = 1\nid = 'ours'\nregion = 'lumbar'\n", encoding="utf-8")
    pathway, problem = choose_pathway("lumbar", path)
    assert pathway is builtin_pathway("lumbar")
    assert f"{path}: title: is missing" in problem
    assert "lower back pathway instead" in problem


def test_a_clinic_file_for_the_other_region_falls_back(tmp_path):
    pathway, problem = choose_pathway("cervical", DATA_DIR / "lumbar.toml")
    assert pathway is builtin_pathway("cervical")
    assert "lower back, not the neck" in problem
    pathway, problem = choose_pathway("lumbar", tmp_path / "missing.toml")
    assert pathway is builtin_pathway("lumbar") and "cannot be read" in problem


def test_builtin_pathway_refuses_an_unknown_region():
    with pytest.raises(ValueError):
        builtin_pathway("thoracic")


@pytest.mark.parametrize(
    "offset, words",
    [
        (Offset(days=-14, at=time(9)), "2 weeks before, 09:00"),
        (Offset(days=-1, at=time(18)), "The day before, 18:00"),
        (Offset(hours=-3), "3 hours before"),
        (Offset(hours=0.25), "15 minutes after"),
        (Offset(), "At the appointment"),
        (Offset(days=3, at=time(9)), "3 days after, 09:00"),
        (Offset(days=182, at=time(10)), "About 6 months after, 10:00"),
        (Offset(days=364, at=time(10)), "1 year after, 10:00"),
    ],
)
def test_offset_labels(offset, words):
    assert offset.label == words


# --- fuzzing ------------------------------------------------------------------------------

toml_scalars = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(exclude_categories=()), max_size=8),
    st.integers(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.times(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["09:00", "24:00", "lumbar", "rfa", "before", "tick", "sedation", "x"]),
)
toml_keys = st.one_of(
    st.sampled_from(TOP_KEYS + ("days", "hours", "at", "phase", "procedures", "text", "kind")),
    st.text(max_size=10),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(toml_keys, inner, max_size=5)
    ),
    max_leaves=25,
)


def assert_accepted_or_named(data: Any) -> Pathway | PathwayError:
    try:
        return parse_pathway(data, SOURCE)
    except PathwayError as error:
        assert isinstance(error.key, str) and error.key.strip()
        assert isinstance(error.message, str) and error.message.strip()
        assert str(error) == f"{SOURCE}: {error.key}: {error.message}"
        str(error).encode("utf-8")  # printable on any terminal that takes UTF-8
        return error


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(toml_keys, toml_values, max_size=10))
def test_random_tables_are_accepted_or_refused_by_key(data):
    assert_accepted_or_named(data)


@settings(max_examples=300, deadline=None)
@given(toml_values)
def test_random_values_at_the_top_are_refused_by_key(data):
    assert isinstance(assert_accepted_or_named(data), (Pathway, PathwayError))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, prefix + (index,))
    return found


BASE = {region: raw(region) for region in REGIONS}
BASE_PATHS = {region: _paths(BASE[region]) for region in REGIONS}


@st.composite
def mutated_files(draw):
    region = draw(st.sampled_from(REGIONS))
    data = copy.deepcopy(BASE[region])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(BASE_PATHS[region]))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete", "add-key", "swap"]))
            last = path[-1]
            if action == "replace":
                parent[last] = draw(toml_values)
            elif action == "delete":
                del parent[last]
            elif action == "add-key" and isinstance(parent, dict):
                parent[draw(toml_keys)] = draw(toml_values)
            elif action == "swap":
                other = draw(st.sampled_from(BASE_PATHS[region]))
                source = BASE[region]
                for part in other:
                    source = source[part]
                parent[last] = copy.deepcopy(source)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or reshaped this path
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files())
def test_mutations_of_a_real_file_are_accepted_or_refused_by_key(data):
    outcome = assert_accepted_or_named(data)
    if isinstance(outcome, PathwayError):
        root = re.split(r"[.\[]", outcome.key, maxsplit=1)[0]
        assert root in TOP_KEYS or root == FILE_KEY or "is not a key" in outcome.message


LUMBAR_TEXT = (DATA_DIR / "lumbar.toml").read_text(encoding="utf-8")


@st.composite
def mutated_texts(draw):
    text = LUMBAR_TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(
            st.one_of(
                st.text(max_size=5),
                st.sampled_from(
                    ['"', "'", "[", "]", "=", "\n", "{", "}", "[[steps]]\n", "\\", "#"]
                ),
            )
        )
        end = min(len(text), at + draw(st.integers(0, 40)))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[end:]
        else:
            text = text[:at] + piece + text[end:]
    return text


@settings(max_examples=300, deadline=None)
@given(mutated_texts())
def test_mutated_file_text_is_accepted_or_refused_by_key(text):
    try:
        parse_pathway_text(text, SOURCE)
    except PathwayError as error:
        assert error.key.strip() and error.message.strip()
        assert str(error).startswith(f"{SOURCE}: {error.key}: ")


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=200))
def test_any_text_is_accepted_or_refused_by_key(text):
    try:
        parse_pathway_text(text, SOURCE)
    except PathwayError as error:
        assert error.key.strip()
