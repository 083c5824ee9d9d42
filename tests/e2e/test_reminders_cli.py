"""The `reminders` verbs as a separate process: the list in JSON, the calendar file read back by
two independent libraries (icalendar and recurring-ical-events) with the right events and alarm
instants in the right zone, stable UIDs across exports, and the agent run once."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.domain.reminders import Caregiver, OwnReminder
from app.store.block_diary_repository import PatientRepository
from app.store.caregivers import CaregiverRepository
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

from .helpers import cli_env, run_cli
from .test_cli import assert_one_line_error

UTC = UTC
LONDON = ZoneInfo("Europe/London")
ENV = cli_env(TZ="Europe/London")
# A test block two days before the clocks go forward (28 March 2027) and an RFA three days before
# they go back (31 October 2027).
BLOCK_AT = datetime(2027, 3, 26, 10, 0, tzinfo=LONDON)
RFA_AT = datetime(2027, 10, 28, 9, 0, tzinfo=LONDON)
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    db = open_database(folder)
    plans, own = PlanRepository(db), OwnReminderRepository(db)
    for kind, at in (("test-block", BLOCK_AT), ("rfa", RFA_AT)):
        plans.add_procedure(
            Procedure(
                kind=kind, region="lumbar", side="left", at=at.astimezone(UTC), zone="Europe/London"
            )
        )
    own.add(OwnReminder("Morning stretch", clock_time(9, 0), starts_on=date(2027, 3, 25)), now=NOW)
    own.add(
        OwnReminder(
            "Ring Alex about Saturday",
            clock_time(17, 0),
            on=date(2027, 3, 27),
            audience="caregiver",
        ),
        now=NOW,
    )
    CaregiverRepository(db).add(Caregiver("Maria", "555 0142", "daughter"), now=NOW)
    db.close()
    return folder


def listed(data_dir, *args: str) -> list[dict]:
    result = run_cli(
        "reminders", "list", "--data-dir", data_dir, "--format", "json", *args, env=ENV
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def export(data_dir, audience: str, out: Path, *options: str) -> icalendar.Calendar:
    result = run_cli(
        "reminders",
        "export-ics",
        "--audience",
        audience,
        "--out",
        out,
        "--data-dir",
        data_dir,
        *options,
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: ")
    return icalendar.Calendar.from_ical(out.read_bytes())


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def alarms(calendar: icalendar.Calendar, start: datetime, end: datetime) -> dict[str, list]:
    """Alarm instants (UTC) by event summary, as recurring-ical-events computes them."""
    found: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar, components=["VALARM"]).between(start, end):
        [alarm] = event.walk("VALARM")
        trigger = alarm.decoded("TRIGGER")
        found.setdefault(str(event["SUMMARY"]), []).append(trigger.astimezone(UTC))
    return found


# --- list ----------------------------------------------------------------------------------


def test_list_json_gives_local_times_zones_and_states(data_dir):
    rows = listed(
        data_dir, "--from", "2027-03-26T00:00", "--to", "2027-03-30T00:00", "--audience", "patient"
    )
    assert {row["audience"] for row in rows} == {"patient"}
    prompts = [row for row in rows if row["kind"] == "block-prompt"]
    assert [row["local_time"][11:16] for row in prompts] == [
        "10:15",
        "10:30",
        "10:45",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
        "17:00",
        "18:00",
    ]
    first = prompts[0]
    assert first["id"] == "prompt:p1:15m/2027-03-26T10:15Z"
    assert first["local_time"] == "2027-03-26T10:15:00+00:00" and first["zone"] == "Europe/London"
    assert first["state"] == "scheduled" and first["title"] == "Block diary"
    diary = {row["id"]: row["local_time"] for row in rows if row["kind"] == "daily-diary"}
    assert diary["diary:p1:d1/2027-03-27"] == "2027-03-27T19:00:00+00:00"
    assert diary["diary:p1:d2/2027-03-28"] == "2027-03-28T19:00:00+01:00"  # after the change
    stretch = [row["local_time"] for row in rows if row["kind"] == "own"]
    assert stretch == [f"2027-03-{d}T09:00:00+00:00" for d in (26, 27)] + [
        "2027-03-28T09:00:00+01:00",
        "2027-03-29T09:00:00+01:00",
    ]
    helpers = listed(
        data_dir,
        "--from",
        "2027-03-26T00:00",
        "--to",
        "2027-03-30T00:00",
        "--audience",
        "caregiver",
    )
    assert [row["text"][:20] for row in helpers] == [
        "The block is today. ",
        "Please check on them",
        "Ring Alex about Satu",
    ]


def test_list_table_and_bad_windows(data_dir):
    table = run_cli(
        "reminders",
        "list",
        "--data-dir",
        data_dir,
        "--from",
        "2027-03-26T10:00",
        "--to",
        "2027-03-26T11:00",
        env=ENV,
    )
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["local", "time", "zone", "for", "state", "reminder"]
    assert len(lines) == 4 and "2027-03-26 10:15  Europe/London" in lines[1]  # 11:00 is out
    bad_from = run_cli("reminders", "list", "--data-dir", data_dir, "--from", "soon", env=ENV)
    assert "--from: “soon” is not a date or time" in assert_one_line_error(bad_from)
    backwards = run_cli(
        "reminders",
        "list",
        "--data-dir",
        data_dir,
        "--from",
        "2027-03-26",
        "--to",
        "2027-03-25",
        env=ENV,
    )
    assert "must be later than --from" in assert_one_line_error(backwards)


# --- export-ics ------------------------------------------------------------------------------


def test_the_patients_calendar_has_the_right_events_and_alarms_in_london_time(data_dir, tmp_path):
    calendar = export(data_dir, "patient", tmp_path / "patient.ics")
    events = by_uid(calendar)
    block = events["procedure-1@facet-companion"]
    assert str(block["SUMMARY"]) == "Test block, lower back, left side"
    assert block["DTSTART"].params["TZID"] == "Europe/London"
    assert block.decoded("DTSTART") == BLOCK_AT
    assert not block.walk("VALARM")
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/London"}
    prompt = events["prompt-p1-15m@facet-companion"]
    assert prompt["DTSTART"].params["TZID"] == "Europe/London"
    assert not any("drive home" in str(e["SUMMARY"]) for e in events.values())  # helpers' only

    # Read by recurring-ical-events: the block day and the days after the clocks go forward.
    day = recurring_ical_events.of(calendar).between(date(2027, 3, 26), date(2027, 3, 27))
    summaries = sorted(str(e["SUMMARY"]) for e in day)
    assert summaries.count("Test block, lower back, left side") == 1
    assert sum("since your block" in s for s in summaries) == 11
    found = alarms(calendar, utc(2027, 3, 27), utc(2027, 3, 30))
    diary = sorted(t for s, times in found.items() if s.startswith("Day ") for t in times)
    assert diary == [utc(2027, 3, 27, 19), utc(2027, 3, 28, 18), utc(2027, 3, 29, 18)]
    assert found["Morning stretch"] == [
        utc(2027, 3, 27, 9),
        utc(2027, 3, 28, 8),
        utc(2027, 3, 29, 8),
    ]
    # The RFA's check-ins either side of the clocks going back.
    autumn = alarms(calendar, utc(2027, 10, 29), utc(2027, 11, 1))
    assert autumn["Day 1 after your RFA: how is the soreness? Add a quick score."] == [
        utc(2027, 10, 29, 9)
    ]
    assert autumn["Day 3 after your RFA: a quick score, please."] == [utc(2027, 10, 31, 10)]
    monthly = [e for e in events.values() if "monthly check-in" in str(e["SUMMARY"])]
    assert len(monthly) == 11


def test_the_helpers_calendar_holds_their_reminders_only(data_dir, tmp_path):
    calendar = export(data_dir, "caregiver", tmp_path / "helpers.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Facet Companion: for helpers"
    found = alarms(calendar, utc(2027, 3, 25), utc(2027, 3, 28))
    assert found == {
        "Tomorrow you are driving someone home from their back procedure. Check the time and "
        "the address.": [utc(2027, 3, 25, 18)],
        "The block is today. They must not drive home. Keep your phone near you for the pick-up.": [
            utc(2027, 3, 26, 8)
        ],
        "Please check on them this evening. Some soreness is normal; new weakness or a fever "
        "is not.": [utc(2027, 3, 26, 20)],
        "Ring Alex about Saturday": [utc(2027, 3, 27, 17)],
        # No pick-up time on the checklist: the event sits at the appointment.
        "Pick up the patient": [utc(2027, 3, 26, 10)],
    }
    pickup = by_uid(calendar)["pickup-1@facet-companion"]
    assert str(pickup["DESCRIPTION"]).splitlines() == [
        "Pick up the patient from the clinic after their test block, lower back, left side.",
        "Their appointment: Friday 26 March 2027, 10:00.",
        "The clinic will call you when it is time to pick them up.",
        "They must not drive themselves home.",
    ]
    autumn = alarms(calendar, utc(2027, 10, 31), utc(2027, 11, 1))
    assert list(autumn.values()) == [[utc(2027, 10, 31, 18)]]  # day 3, 18:00 GMT
    assert not any("since your block" in str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))


def test_the_helpers_pickup_says_whom_where_and_when(data_dir, tmp_path):
    db = open_database(data_dir)
    settings = SettingsRepository(db)
    settings.save_clinic(
        replace(
            settings.clinic(),
            name="Riverside Spine Clinic",
            address="4 Mill Lane, Oxford",
            phone="01865 555 0100",
        )
    )
    PatientRepository(db).save(PatientDetails(name="Sam Patel"))
    PlanRepository(db).mark("caregiver-pickup-time", 1, checked=True, value="12:30", now=NOW)
    db.close()
    calendar = export(data_dir, "caregiver", tmp_path / "helpers.ics")
    events = by_uid(calendar)
    pickup = events["pickup-1@facet-companion"]
    assert str(pickup["SUMMARY"]) == "Pick up Sam Patel"
    assert pickup.decoded("DTSTART") == BLOCK_AT.replace(hour=12, minute=30)
    assert str(pickup["LOCATION"]) == "4 Mill Lane, Oxford"
    assert str(pickup["DESCRIPTION"]).splitlines() == [
        "Pick up Sam Patel from Riverside Spine Clinic, 4 Mill Lane, Oxford after their test "
        "block, lower back, left side.",
        "Their appointment: Friday 26 March 2027, 10:00.",
        "Pick-up time: 12:30.",
        "They must not drive themselves home.",
        "The clinic's phone: 01865 555 0100.",
    ]
    # The helper's reminders for that block say it too.
    eve = next(e for e in events.values() if str(e["SUMMARY"]).startswith("Tomorrow you are"))
    assert "Pick up Sam Patel from Riverside Spine Clinic" in str(eve["DESCRIPTION"])
    assert "Pick-up time: 12:30." in str(eve["DESCRIPTION"])
    # The patient's own file keeps the appointment itself, not a pick-up.
    patient = by_uid(export(data_dir, "patient", tmp_path / "patient.ics"))
    assert "pickup-1@facet-companion" not in patient
    assert (
        str(patient["procedure-1@facet-companion"]["SUMMARY"])
        == "Test block, lower back, left side"
    )


def test_exporting_again_updates_the_same_events(data_dir, tmp_path):
    out = tmp_path / "patient.ics"
    first = by_uid(export(data_dir, "patient", out))
    again = by_uid(export(data_dir, "patient", out, "--force"))
    assert again.keys() == first.keys()
    assert {u: e["SEQUENCE"] for u, e in again.items()} == dict.fromkeys(first, 0)

    db = open_database(data_dir)
    PlanRepository(db).reschedule(
        1, (BLOCK_AT + timedelta(days=7)).astimezone(UTC), "Europe/London"
    )
    stretch = OwnReminderRepository(db).all()[0]
    OwnReminderRepository(db).delete(stretch.id, now=NOW)
    db.close()
    moved = by_uid(export(data_dir, "patient", out, "--force"))
    assert moved.keys() == first.keys()  # same UIDs: the phone updates, nothing is doubled
    block = moved["procedure-1@facet-companion"]
    assert block["SEQUENCE"] == 1 and block.decoded("DTSTART") == BLOCK_AT + timedelta(days=7)
    assert block.decoded("LAST-MODIFIED") >= first["procedure-1@facet-companion"].decoded(
        "LAST-MODIFIED"
    )  # the same second, when the machine is fast
    assert moved["prompt-p1-15m@facet-companion"]["SEQUENCE"] == 1
    rfa = moved["procedure-2@facet-companion"]
    assert rfa["SEQUENCE"] == 0
    assert rfa.decoded("LAST-MODIFIED") == first["procedure-2@facet-companion"].decoded(
        "LAST-MODIFIED"
    )
    gone = moved["own-1@facet-companion"]
    assert str(gone["STATUS"]) == "CANCELLED" and gone["SEQUENCE"] == 1
    assert not gone.walk("VALARM")
    still_gone = by_uid(export(data_dir, "patient", out, "--force"))["own-1@facet-companion"]
    assert str(still_gone["STATUS"]) == "CANCELLED" and still_gone["SEQUENCE"] == 1
    live = [
        e
        for e in recurring_ical_events.of(icalendar.Calendar.from_ical(out.read_bytes())).between(
            date(2027, 3, 26), date(2027, 3, 28)
        )
        if str(e.get("STATUS", "")) != "CANCELLED"
    ]
    assert not any("Morning stretch" in str(e["SUMMARY"]) for e in live)


def test_export_problems_are_one_line_errors(data_dir, tmp_path):
    wrong = run_cli(
        "reminders",
        "export-ics",
        "--audience",
        "dog",
        "--out",
        tmp_path / "x.ics",
        "--data-dir",
        data_dir,
        env=ENV,
    )
    assert "dog" in assert_one_line_error(wrong)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    unwritable = run_cli(
        "reminders",
        "export-ics",
        "--audience",
        "patient",
        "--out",
        blocked / "x.ics",
        "--data-dir",
        data_dir,
        env=ENV,
    )
    assert str(blocked / "x.ics") in assert_one_line_error(unwritable)


# --- run -----------------------------------------------------------------------------------


def run_once(data_dir, log: Path, at: datetime):
    clock = json.dumps(
        {"start": at.isoformat(), "speed": 1, "real_start": time.time(), "zone": "Europe/London"}
    )
    env = cli_env(TZ="Europe/London", FACET_TEST_CLOCK=clock, FACET_TEST_NOTIFY_LOG=str(log))
    result = run_cli("reminders", "run", "--once", "--data-dir", data_dir, env=env)
    assert result.returncode == 0, result.stderr
    return result


def test_run_once_delivers_what_is_due_once(data_dir, tmp_path):
    log = tmp_path / "notifications.jsonl"
    first = run_once(data_dir, log, utc(2027, 3, 26, 10, 15, 20))
    assert first.stdout == (
        "2027-03-26 10:15  Block diary: 15 minutes since your block. Time to "
        "rate your usual pain. What are you doing right now?\n"
    )
    second = run_once(data_dir, log, utc(2027, 3, 26, 10, 16))
    assert second.stdout == ""
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["tag"] for r in records] == ["prompt:p1:15m/2027-03-26T10:15Z"]
    rows = listed(data_dir, "--from", "2027-03-26T10:00", "--to", "2027-03-26T10:31")
    assert [row["state"] for row in rows] == ["delivered", "scheduled"]
