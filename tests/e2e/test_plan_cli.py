"""The `plan` and `pathway` verbs as a separate process: what they print, save and refuse."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.clinic import validate_clinic
from app.services.pathways import builtin_pathway
from app.store.database import open_database
from app.store.settings_repository import SettingsRepository

from .helpers import REPO_ROOT, cli_env, run_cli
from .test_cli import assert_one_line_error

PATHWAYS = REPO_ROOT / "data" / "pathways"

# Dates relative to today, so the two-year window never runs out; the change of clocks in
# New York on the first Sunday of November sits between an RFA and its steps a week before.
THIS_YEAR = datetime.now(UTC).year


def first_sunday_of_november(year: int) -> date:
    day = date(year, 11, 1)
    return day + timedelta(days=(6 - day.weekday()) % 7)


CHANGE = first_sunday_of_november(THIS_YEAR + 1)
RFA_DAY = CHANGE + timedelta(days=3)
NEW_YORK = cli_env(TZ="America/New_York")


def add(data_dir, *args: str, env=NEW_YORK) -> int:
    result = run_cli("plan", "add-procedure", "--data-dir", data_dir, *args, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().isdigit(), result.stdout
    return int(result.stdout)


def shown(data_dir, *args: str, env=NEW_YORK) -> dict:
    result = run_cli("plan", "show", "--data-dir", data_dir, "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_add_procedure_and_show_every_step_with_local_time_and_zone(tmp_path):
    rfa_id = add(
        tmp_path,
        "--kind",
        "rfa",
        "--region",
        "lumbar",
        "--side",
        "both",
        "--at",
        f"{RFA_DAY}T10:00",
    )
    assert rfa_id == 1
    plan = shown(tmp_path)
    [procedure] = plan["procedures"]
    assert procedure["zone"] == "America/New_York"
    assert procedure["local_date"] == RFA_DAY.isoformat()
    assert procedure["local_time"] == "10:00"
    assert procedure["utc_offset"] == "-05:00"

    steps = plan["steps"]
    assert len(steps) == len(builtin_pathway("lumbar").steps_for("rfa"))
    assert all(s["zone"] == "America/New_York" and s["procedure_id"] == 1 for s in steps)
    assert [s["due_utc"] for s in steps] == sorted(s["due_utc"] for s in steps)
    week_before = next(s for s in steps if s["step"] == "rfa-home-help")
    assert week_before["local_date"] == (RFA_DAY - timedelta(days=7)).isoformat()
    assert week_before["local_time"] == "09:00"  # still 09:00, in summer time
    assert week_before["utc_offset"] == "-04:00"
    home = next(s for s in steps if s["step"] == "rfa-home")
    assert home["local_time"] == "12:00" and home["when"] == "2 hours after"


def test_a_time_with_an_offset_and_an_explicit_zone(tmp_path):
    add(
        tmp_path,
        "--kind",
        "test-block",
        "--region",
        "cervical",
        "--side",
        "left",
        "--at",
        f"{RFA_DAY}T09:30:00+00:00",
        "--zone",
        "Europe/London",
        "--anaesthetic",
        "bupivacaine",
    )
    [procedure] = shown(tmp_path)["procedures"]
    assert procedure["zone"] == "Europe/London"
    assert procedure["at_utc"] == f"{RFA_DAY}T09:30:00+00:00"
    assert procedure["anaesthetic"] == "bupivacaine"
    assert procedure["kind"] == "test-block" and procedure["region"] == "cervical"


def test_clinic_instructions_appear_in_their_steps(tmp_path):
    db = open_database(tmp_path)
    SettingsRepository(db).save_clinic(
        validate_clinic(
            {
                "name": "Riverside",
                "phone": "555 0100",
                "arrival_minutes": {"rfa": 45},
                "anticoagulant_hold_text": "We will call you about your blood thinner.",
            }
        )
    )
    db.close()
    add(
        tmp_path,
        "--kind",
        "rfa",
        "--region",
        "lumbar",
        "--side",
        "left",
        "--at",
        f"{RFA_DAY}T10:00",
    )
    steps = {s["step"]: s for s in shown(tmp_path)["steps"]}
    assert steps["rfa-blood-thinners"]["clinic_note"] == (
        "We will call you about your blood thinner."
    )
    assert steps["rfa-day-before"]["clinic_note"].endswith("at 09:15.")
    assert "call Riverside on 555 0100" in steps["rfa-antiplatelets"]["clinic_note"]
    assert "rfa-fasting" in steps  # the clinic has not said whether it sedates
    assert "call Riverside" in steps["rfa-fasting"]["clinic_note"]


def test_a_broken_clinic_pathway_is_reported_and_the_built_in_one_used(tmp_path):
    broken = tmp_path / "ours.toml"
    broken.write_text("format = 1\nid = 'ours'\nregion = 'lumbar'\n", encoding="utf-8")
    db = open_database(tmp_path / "data")
    SettingsRepository(db).save_clinic(validate_clinic({"pathway_file": str(broken)}))
    db.close()
    add(
        tmp_path / "data",
        "--kind",
        "rfa",
        "--region",
        "lumbar",
        "--side",
        "left",
        "--at",
        f"{RFA_DAY}T10:00",
    )
    result = run_cli(
        "plan", "show", "--data-dir", tmp_path / "data", "--format", "json", env=NEW_YORK
    )
    assert result.returncode == 0
    assert (
        f"Warning: The clinic's pathway file could not be used: {broken}: title: is missing"
        in result.stderr
    )
    assert len(json.loads(result.stdout)["steps"]) == len(
        builtin_pathway("lumbar").steps_for("rfa")
    )


def test_show_as_a_table_and_cancelled_cycles(tmp_path):
    add(
        tmp_path,
        "--kind",
        "test-block",
        "--region",
        "lumbar",
        "--side",
        "right",
        "--at",
        f"{RFA_DAY}T13:00",
        "--anaesthetic",
        "lidocaine",
    )
    result = run_cli("plan", "show", "--data-dir", tmp_path, env=NEW_YORK)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["local", "date", "time", "zone"]
    assert len(rows) == len(builtin_pathway("lumbar").steps_for("test-block"))
    assert all("America/New_York" in row and "test-block" in row for row in rows)
    assert shown(tmp_path, "--cycle", "2") == {"cycle": 2, "procedures": [], "steps": []}


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["--kind", "surgery", "--region", "lumbar", "--side", "left", "--at", "2030-01-01"],
            "“surgery”",
        ),
        (
            ["--kind", "rfa", "--region", "lumbar", "--side", "left", "--at", "tomorrow"],
            "not a date and time",
        ),
        (
            ["--kind", "rfa", "--region", "lumbar", "--side", "left", "--at", "2020-01-01T10:00"],
            "two years ago",
        ),
        (
            [
                "--kind",
                "rfa",
                "--region",
                "lumbar",
                "--side",
                "left",
                "--at",
                f"{RFA_DAY}T10:00",
                "--anaesthetic",
                "lidocaine",
            ],
            "only recorded for a test or confirming block",
        ),
        (
            [
                "--kind",
                "rfa",
                "--region",
                "lumbar",
                "--side",
                "left",
                "--at",
                f"{RFA_DAY}T10:00",
                "--zone",
                "Mars/Base",
            ],
            "Mars/Base",
        ),
        (["--kind", "rfa", "--region", "lumbar", "--side", "left"], "--at"),
    ],
)
def test_bad_input_is_one_error_line_and_saves_nothing(tmp_path, args, words):
    result = run_cli("plan", "add-procedure", "--data-dir", tmp_path, *args, env=NEW_YORK)
    line = assert_one_line_error(result)
    assert words in line
    assert shown(tmp_path)["procedures"] == []


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_pathway_check_passes_the_built_in_files(region):
    result = run_cli("pathway", "check", PATHWAYS / f"{region}.toml")
    assert result.returncode == 0, result.stderr
    pathway = builtin_pathway(region)
    assert result.stdout == (
        f"ok: {pathway.title} ({len(pathway.steps)} steps, {len(pathway.checklist)} checklist "
        "items)\n"
    )


def test_pathway_check_names_the_file_and_key_of_a_broken_file(tmp_path):
    path = tmp_path / "clinic.toml"
    text = (PATHWAYS / "lumbar.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('phase = "day"', 'phase = "someday"', 1), encoding="utf-8")
    result = run_cli("pathway", "check", path)
    assert result.returncode == 1
    line = assert_one_line_error(result)
    assert line.startswith(f"Error: {path}: steps[")
    assert ".phase: “someday” is not one of: before, day, after, followup." in line


@pytest.mark.parametrize(
    "content, key",
    [
        ("format = 1\nid = = 'x'\n", "line 2, column"),
        ("title = 'unclosed", "end of file"),
        (None, "(file)"),
        ("", "format"),
    ],
)
def test_pathway_check_unreadable_and_malformed_files(tmp_path, content, key):
    path = tmp_path / "clinic.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("pathway", "check", path)
    assert result.returncode == 1
    assert assert_one_line_error(result).startswith(f"Error: {path}: {key}")


def test_adding_the_same_procedure_twice_keeps_one(tmp_path):
    args = (
        "--kind",
        "test-block",
        "--region",
        "lumbar",
        "--side",
        "right",
        "--at",
        f"{RFA_DAY}T09:30",
    )
    first = add(tmp_path, *args)
    again = run_cli("plan", "add-procedure", "--data-dir", tmp_path, *args, env=NEW_YORK)
    assert again.returncode == 0, again.stderr
    assert int(again.stdout) == first
    assert "already in your plan, so it was not added again" in again.stderr
    plan = shown(tmp_path)
    assert [p["id"] for p in plan["procedures"]] == [first]
    assert len({s["step"] for s in plan["steps"]}) == len(plan["steps"])
    assert add(tmp_path, *args[:-1], f"{RFA_DAY}T09:45") != first  # another time is another one
