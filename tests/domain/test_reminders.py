"""The reminder schedule worked out by hand: pathway rules, block prompts, the daily diary,
check-ins after an RFA, own reminders; daylight-saving changes in London and New York, a move to
another zone, quiet hours, snoozing, and the settings and own-reminder checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.plan import Procedure
from app.domain.reminders import (
    Caregiver,
    OwnReminder,
    ReminderInputError,
    ReminderSettings,
    block_prompt_text,
    hold,
    in_quiet_hours,
    own_reminder_when,
    reminder_settings_from_dict,
    reminder_settings_to_dict,
    schedule,
    snooze_until,
    validate_caregiver,
    validate_own_reminder,
    validate_reminder_settings,
)
from app.i18n import in_language
from app.services.pathways import builtin_pathway

UTC = UTC
LONDON, NEW_YORK = "Europe/London", "America/New_York"
PATHWAYS = {"lumbar": builtin_pathway("lumbar"), "cervical": builtin_pathway("cervical")}
DEFAULT = ReminderSettings()
NO_QUIET = ReminderSettings(quiet_hours=False)
EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def procedure(
    at: str, zone: str = LONDON, kind: str = "test-block", pid: int = 1, **changes
) -> Procedure:
    return Procedure(
        kind=kind,
        region="lumbar",
        side="left",
        at=local(at, zone).astimezone(UTC),
        zone=zone,
        id=pid,
        **changes,
    )


def plan(*procedures, own=(), zone=LONDON, reminder_settings=DEFAULT, window=EVER, **kw):
    return schedule(
        procedures,
        PATHWAYS,
        own=own,
        settings=reminder_settings,
        zone=zone,
        start=window[0],
        end=window[1],
        **kw,
    )


def local_times(occurrences, kind=None):
    return [
        f"{o.local_deliver_at:%Y-%m-%d %H:%M}"
        for o in occurrences
        if kind is None or o.kind == kind
    ]


# --- what the schedule holds ---------------------------------------------------------------


def test_a_test_block_in_london_worked_by_hand():
    found = plan(procedure("2026-06-10T10:00"))
    assert local_times(found, "block-prompt") == [
        "2026-06-10 10:15",
        "2026-06-10 10:30",
        "2026-06-10 10:45",
        "2026-06-10 11:00",
        "2026-06-10 12:00",
        "2026-06-10 13:00",
        "2026-06-10 14:00",
        "2026-06-10 15:00",
        "2026-06-10 16:00",
        "2026-06-10 17:00",
        "2026-06-10 18:00",
    ]
    assert local_times(found, "daily-diary") == [f"2026-06-{d:02d} 19:00" for d in range(11, 25)]
    pathway = {
        o.key.split(":")[1]: f"{o.local_deliver_at:%Y-%m-%d %H:%M}"
        for o in found
        if o.kind == "pathway"
    }
    assert pathway == {
        "block-two-weeks": "2026-05-27 09:00",
        "block-one-week": "2026-06-03 09:00",
        "block-day-before": "2026-06-09 18:00",
        "block-caregiver-day-before": "2026-06-09 18:00",
        "block-caregiver-pickup": "2026-06-10 08:00",
        "block-caregiver-evening": "2026-06-10 20:00",
        "block-diary-done": "2026-06-24 10:00",
    }
    assert {o.audience for o in found if "caregiver" in o.key} == {"caregiver"}
    assert found == sorted(found, key=lambda o: o.deliver_at)


def test_prompt_and_diary_words_are_calm_questions():
    first = plan(procedure("2026-06-10T10:00"))
    prompts = [o for o in first if o.kind == "block-prompt"]
    assert prompts[0].text == (
        "15 minutes since your block. Time to rate your usual pain. What are you doing right now?"
    )
    assert prompts[3].text.startswith("1 hour since") and prompts[4].text.startswith("2 hours")
    assert block_prompt_text(90).startswith("1 h 30 min since")
    diary = [o for o in first if o.kind == "daily-diary"]
    assert diary[2].text.startswith("Day 3 after your block.")
    assert "last day" in diary[-1].text and "last day" not in diary[-2].text
    assert {o.title for o in prompts + diary} == {"Block diary"}


def test_a_reminder_is_worded_in_the_language_of_the_moment_it_is_shown():
    """Titles are translated when read and prompt texts when the schedule is worked out (at
    delivery), so a notification shows in the patient's language of that moment."""
    with in_language("es"):
        prompts = [o for o in plan(procedure("2026-06-10T10:00")) if o.kind == "block-prompt"]
        assert prompts[0].title == "Diario del bloqueo"
        assert prompts[0].text == (
            "Han pasado 15 minutos desde su bloqueo. Es hora de puntuar "
            "su dolor de siempre. ¿Qué está haciendo ahora mismo?"
        )
        assert block_prompt_text(60).startswith("Ha pasado 1 hora desde su bloqueo.")
        assert (
            own_reminder_when(
                OwnReminder("Té", time(16, 0), on=date(2026, 6, 12)), date(2026, 6, 10)
            )
            == "Viernes, 12 de junio a las 16:00"
        )
    assert prompts[0].title == "Block diary", "read again in English, it is English"


def test_checkins_after_an_rfa_days_then_monthly_to_a_year():
    found = plan(procedure("2026-05-01T09:00", kind="rfa"), zone=LONDON)
    checkins = [o for o in found if o.kind == "checkin"]
    days = [(o.local_deliver_at.date() - date(2026, 5, 1)).days for o in checkins]
    assert days[:6] == [1, 3, 7, 14, 21, 28]
    assert [f"{o.local_deliver_at:%m-%d %H:%M}" for o in checkins[6:]] == [
        f"{m:02d}-26 10:00" for m in (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4)
    ]
    assert days[-1] <= 365
    assert not [o for o in found if o.kind in ("block-prompt", "daily-diary")]
    caregiver_day_3 = [o for o in found if o.key.startswith("rule:rfa-caregiver-day-3")]
    assert caregiver_day_3[0].audience == "caregiver" and caregiver_day_3[0].kind == "pathway"


def test_audiences_filter_and_cancelled_procedures_have_none():
    block = procedure("2026-06-10T10:00")
    assert {o.audience for o in plan(block, audiences=("caregiver",))} == {"caregiver"}
    patient = plan(block, audiences=("patient",))
    assert {o.audience for o in patient} == {"patient"}
    assert any(o.kind == "block-prompt" for o in patient)
    assert plan(procedure("2026-06-10T10:00", cancelled=True)) == []
    assert schedule([block], {}, settings=DEFAULT, zone=LONDON, start=EVER[0], end=EVER[1]) == []


def test_the_window_is_half_open_on_delivery_time():
    block = procedure("2026-06-10T10:00")
    at = utc("2026-06-10T09:15")  # 10:15 BST, the first prompt
    assert [o.kind for o in plan(block, window=(at, at + timedelta(minutes=15)))] == [
        "block-prompt"
    ]
    assert plan(block, window=(at - timedelta(minutes=1), at)) == []


def test_ids_are_unique_and_keys_are_stable_across_a_reschedule():
    before = plan(procedure("2026-06-10T10:00"), procedure("2026-09-01T08:00", kind="rfa", pid=2))
    assert len({o.id for o in before}) == len(before)
    moved = plan(procedure("2026-06-17T10:00"), procedure("2026-09-01T08:00", kind="rfa", pid=2))
    assert {o.key for o in before} == {o.key for o in moved}
    # A rescheduled block's reminders get new ids, so they come again; the RFA's stay.
    assert {o.id for o in before if o.procedure_id == 1}.isdisjoint(
        {o.id for o in moved if o.procedure_id == 1}
    )
    assert {o.id for o in before if o.procedure_id == 2} == {
        o.id for o in moved if o.procedure_id == 2
    }


# --- daylight saving and zones ---------------------------------------------------------------


def test_spring_forward_in_london_keeps_local_times_and_real_minutes():
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    found = plan(procedure("2026-03-28T21:30"), reminder_settings=NO_QUIET)
    diary = [o for o in found if o.kind == "daily-diary"][:2]
    assert local_times(diary) == ["2026-03-29 19:00", "2026-03-30 19:00"]
    assert [o.deliver_at for o in diary] == [utc("2026-03-29T18:00"), utc("2026-03-30T18:00")]
    prompts = [o for o in found if o.kind == "block-prompt"]
    assert prompts[-1].deliver_at - prompts[0].deliver_at == timedelta(minutes=480 - 15)
    assert f"{prompts[-1].local_deliver_at:%H:%M}" == "06:30"  # 21:30 GMT + 8 h = 06:30 BST
    day_before = [
        o for o in plan(procedure("2026-03-30T10:00")) if o.key.startswith("rule:block-day-before")
    ]
    assert local_times(day_before) == ["2026-03-29 18:00"]


def test_fall_back_in_new_york_keeps_local_times():
    # Clocks go back at 02:00 EDT on Sunday 1 November 2026.
    found = plan(procedure("2026-10-30T09:00", NEW_YORK), zone=NEW_YORK)
    diary = [o for o in found if o.kind == "daily-diary"][:2]
    assert local_times(diary) == ["2026-10-31 19:00", "2026-11-01 19:00"]
    assert [o.deliver_at for o in diary] == [utc("2026-10-31T23:00"), utc("2026-11-02T00:00")]


def test_a_time_that_happens_twice_is_the_first_and_a_skipped_one_moves_forward():
    twice = OwnReminder("Twice", time(1, 30), on=date(2026, 11, 1), id=1)
    skipped = OwnReminder("Skipped", time(2, 30), on=date(2026, 3, 8), id=2)
    found = plan(own=[twice, skipped], zone=NEW_YORK, reminder_settings=NO_QUIET)
    by_text = {o.text: o for o in found}
    assert by_text["Twice"].deliver_at == utc("2026-11-01T05:30")  # 01:30 EDT, the first one
    assert by_text["Skipped"].deliver_at == utc("2026-03-08T07:30")  # 03:30 EDT
    assert by_text["Skipped"].id == "own:2/2026-03-08"


def test_moving_zone_keeps_times_of_day_and_ids_and_spans_keep_real_time():
    block = procedure("2026-06-10T10:00")
    home = {o.id: o for o in plan(block, zone=LONDON, reminder_settings=NO_QUIET)}
    away = {o.id: o for o in plan(block, zone=NEW_YORK, reminder_settings=NO_QUIET)}
    assert home.keys() == away.keys()
    day_3 = "diary:p1:d3/2026-06-13"
    assert f"{home[day_3].local_deliver_at:%H:%M}" == f"{away[day_3].local_deliver_at:%H:%M}"
    assert away[day_3].deliver_at - home[day_3].deliver_at == timedelta(hours=5)
    prompt = next(i for i in home if i.startswith("prompt:p1:15m"))
    assert home[prompt].deliver_at == away[prompt].deliver_at == utc("2026-06-10T09:15")
    assert away[day_3].zone == NEW_YORK


def test_a_daily_own_reminder_follows_the_local_clock():
    daily = OwnReminder("Stretch", time(9, 0), starts_on=date(2026, 3, 27), id=7)
    window = (utc("2026-03-27T00:00"), utc("2026-04-01T00:00"))
    found = plan(own=[daily], window=window)
    assert local_times(found) == [f"2026-03-{d} 09:00" for d in (27, 28, 29, 30, 31)]
    assert [o.id for o in found][:2] == ["own:7/2026-03-27", "own:7/2026-03-28"]
    assert found[2].deliver_at == utc("2026-03-29T08:00")  # BST from the 29th
    early = plan(own=[daily], window=(utc("2026-03-20T00:00"), utc("2026-03-28T00:00")))
    assert local_times(early) == ["2026-03-27 09:00"]  # nothing before it starts


# --- quiet hours -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clock, quiet",
    [
        ("20:59", False),
        ("21:00", True),
        ("23:59", True),
        ("00:00", True),
        ("07:59", True),
        ("08:00", False),
        ("12:00", False),
    ],
)
def test_quiet_hours_run_from_nine_at_night_to_eight(clock, quiet):
    assert in_quiet_hours(local(f"2026-06-10T{clock}", LONDON), LONDON, DEFAULT) is quiet


def test_quiet_hours_within_one_day_and_switched_off():
    nap = ReminderSettings(quiet_start=time(13, 0), quiet_end=time(15, 0))
    assert in_quiet_hours(local("2026-06-10T14:00", LONDON), LONDON, nap)
    assert not in_quiet_hours(local("2026-06-10T22:00", LONDON), LONDON, nap)
    assert hold(local("2026-06-10T14:00", LONDON), LONDON, nap) == local("2026-06-10T15:00", LONDON)
    assert not in_quiet_hours(local("2026-06-10T23:00", LONDON), LONDON, NO_QUIET)


def test_a_held_reminder_comes_when_quiet_hours_end_in_local_time():
    late = local("2026-03-28T22:30", LONDON)  # the night the clocks go forward
    assert (
        hold(late, LONDON, DEFAULT) == local("2026-03-29T08:00", LONDON) == utc("2026-03-29T07:00")
    )
    early = local("2026-06-10T06:00", LONDON)
    assert hold(early, LONDON, DEFAULT) == local("2026-06-10T08:00", LONDON)
    assert hold(local("2026-06-10T12:00", LONDON), LONDON, DEFAULT) == local(
        "2026-06-10T12:00", LONDON
    )


def test_quiet_hours_hold_everything_but_the_block_prompts():
    block = procedure("2026-06-10T16:00")  # prompts run to midnight
    own = OwnReminder("Late tea", time(22, 15), on=date(2026, 6, 10), id=3)
    found = plan(block, own=[own])
    nine = local("2026-06-10T21:00", LONDON)
    late_prompts = [o for o in found if o.kind == "block-prompt" and o.due >= nine]
    assert [f"{o.local_deliver_at:%H:%M}" for o in late_prompts] == [
        "21:00",
        "22:00",
        "23:00",
        "00:00",
    ]
    assert not any(o.held for o in late_prompts)
    tea = next(o for o in found if o.kind == "own")
    assert tea.held and f"{tea.local_deliver_at:%Y-%m-%d %H:%M}" == "2026-06-11 08:00"
    assert f"{tea.local_due:%H:%M}" == "22:15"
    silenced = plan(block, reminder_settings=ReminderSettings(block_prompts_silenced=True))
    assert local_times(silenced, "block-prompt")[-1] == "2026-06-10 20:00"
    assert len(local_times(silenced, "block-prompt")) == 7


# --- snoozing ------------------------------------------------------------------------------

NOW = local("2026-06-10T12:00", LONDON).astimezone(UTC)


def test_snooze_ten_minutes_an_hour_and_tomorrow_morning():
    assert snooze_until("10min", NOW, LONDON, DEFAULT) == NOW + timedelta(minutes=10)
    assert snooze_until("1h", NOW, LONDON, DEFAULT) == NOW + timedelta(hours=1)
    assert snooze_until("tomorrow", NOW, LONDON, DEFAULT) == local("2026-06-11T09:00", LONDON)
    late_riser = ReminderSettings(quiet_end=time(10, 30))
    assert snooze_until("tomorrow", NOW, LONDON, late_riser) == local("2026-06-11T10:30", LONDON)


def test_snoozing_into_quiet_hours_waits_for_the_morning_unless_a_block_prompt():
    evening = local("2026-06-10T20:55", LONDON)
    assert snooze_until("10min", evening, LONDON, DEFAULT) == local("2026-06-11T08:00", LONDON)
    assert snooze_until("10min", evening, LONDON, DEFAULT, quiet_hours_apply=False) == local(
        "2026-06-10T21:05", LONDON
    )
    just_after_midnight = local("2026-06-10T23:30", LONDON)
    assert snooze_until("tomorrow", just_after_midnight, LONDON, DEFAULT) == local(
        "2026-06-11T09:00", LONDON
    )


def test_tomorrow_across_the_spring_change_is_nine_local():
    saturday = local("2026-03-28T12:00", LONDON)
    assert snooze_until("tomorrow", saturday, LONDON, DEFAULT) == utc("2026-03-29T08:00")


def test_an_unknown_snooze_is_a_friendly_error():
    with pytest.raises(ReminderInputError) as caught:
        snooze_until("forever", NOW, LONDON, DEFAULT)
    assert caught.value.errors == {"snooze": "Choose 10 minutes, 1 hour or tomorrow."}


# --- settings and own reminders --------------------------------------------------------------


def test_reminder_settings_from_a_form():
    changed = validate_reminder_settings(
        {
            "quiet_start": "22:30",
            "quiet_end": "7:00",
            "read_aloud": True,
            "block_prompts_silenced": 1,
        }
    )
    assert changed == ReminderSettings(
        quiet_start=time(22, 30), quiet_end=time(7, 0), read_aloud=True, block_prompts_silenced=True
    )
    assert validate_reminder_settings({}) == DEFAULT
    assert validate_reminder_settings({"quiet_end": "09:00"}, base=changed).quiet_start == time(
        22, 30
    )


@pytest.mark.parametrize(
    "raw, key, words",
    [
        ({"quiet_start": "25:00"}, "quiet_start", "“25:00” is not a time; write it like 21:00."),
        ({"quiet_end": "soon"}, "quiet_end", "is not a time"),
        ({"diary_at": None}, "diary_at", "is not a time"),
        ({"quiet_start": "08:00"}, "quiet_end", "different from their start"),
        ({"read_aloud": "yes"}, "read_aloud", "Choose on or off for reading reminders aloud."),
    ],
)
def test_bad_reminder_settings_are_named(raw, key, words):
    with pytest.raises(ReminderInputError) as caught:
        validate_reminder_settings(raw)
    assert words in caught.value.errors[key]


def test_same_start_and_end_is_fine_when_quiet_hours_are_off():
    off = validate_reminder_settings({"quiet_hours": False, "quiet_start": "08:00"})
    assert not in_quiet_hours(NOW, LONDON, off)


def test_stored_settings_round_trip_and_read_leniently():
    custom = ReminderSettings(quiet_start=time(22, 0), diary_at=time(18, 30), read_aloud=True)
    assert reminder_settings_from_dict(reminder_settings_to_dict(custom)) == custom
    damaged = {"quiet_start": "nonsense", "read_aloud": True, "unknown": 1}
    assert reminder_settings_from_dict(damaged) == ReminderSettings(read_aloud=True)


def test_own_reminders_daily_or_dated():
    daily = validate_own_reminder({"text": " Walk ", "at": "9:05"}, now=NOW, zone=LONDON)
    assert daily == OwnReminder("Walk", time(9, 5), starts_on=date(2026, 6, 11))  # 09:05 passed
    assert daily.daily and own_reminder_when(daily, NOW.date()) == "Every day at 09:05"
    later = validate_own_reminder({"text": "Tea", "at": "16:00"}, now=NOW, zone=LONDON)
    assert later.starts_on == date(2026, 6, 10)
    dated = validate_own_reminder(
        {"text": "Call Sam", "at": "18:00", "on": "2026-06-12", "audience": "caregiver"},
        now=NOW,
        zone=LONDON,
    )
    assert dated.on == date(2026, 6, 12) and dated.audience == "caregiver"
    assert dated.starts_on is None
    assert own_reminder_when(dated, NOW.date()) == "Friday 12 June at 18:00"
    assert own_reminder_when(dated, date(2025, 12, 31)) == "Friday 12 June 2026 at 18:00"


@pytest.mark.parametrize(
    "raw, key, words",
    [
        ({"text": "", "at": "09:00"}, "text", "Please write what to remind you of."),
        ({"text": "x" * 201, "at": "09:00"}, "text", "limit"),
        ({"text": "Walk", "at": "9"}, "at", "“9” is not a time"),
        ({"text": "Walk"}, "at", "Choose a time of day."),
        ({"text": "Walk", "at": "09:00", "on": "2026-06-10"}, "on", "That time has passed."),
        ({"text": "Walk", "at": "09:00", "on": "2029-01-01"}, "on", "more than two years"),
        ({"text": "Walk", "at": "09:00", "on": "next week"}, "on", "is not a date"),
        ({"text": "Walk", "at": "09:00", "audience": "dog"}, "audience", "helper (caregiver)"),
    ],
)
def test_bad_own_reminders_are_named(raw, key, words):
    with pytest.raises(ReminderInputError) as caught:
        validate_own_reminder(raw, now=NOW, zone=LONDON)
    assert words in caught.value.errors[key]


def test_caregivers_need_a_name_and_a_phone():
    assert validate_caregiver(
        {"name": "Maria", "phone": "555 0142", "relation": "daughter"}
    ) == Caregiver("Maria", "555 0142", "daughter")
    with pytest.raises(ReminderInputError) as caught:
        validate_caregiver({"name": "", "phone": "call me"})
    assert set(caught.value.errors) == {"name", "phone"}


# --- properties ------------------------------------------------------------------------------

ZONES = [LONDON, NEW_YORK, "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"]


@settings(max_examples=60, deadline=None)
@given(
    at=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
    ),
    kind=st.sampled_from(["test-block", "confirm-block", "rfa"]),
    booked_in=st.sampled_from(ZONES),
    zone=st.sampled_from(ZONES),
    quiet=st.booleans(),
    silenced=st.booleans(),
    split=st.integers(min_value=1, max_value=400),
)
def test_schedule_properties(at, kind, booked_in, zone, quiet, silenced, split):
    block = Procedure(kind=kind, region="lumbar", side="left", at=at, zone=booked_in, id=9)
    rules = ReminderSettings(quiet_hours=quiet, block_prompts_silenced=silenced)
    own = [OwnReminder("Daily", time(21, 30), starts_on=at.date() - timedelta(days=3), id=4)]
    window = (at - timedelta(days=130), at + timedelta(days=400))
    whole = plan(block, own=own, zone=zone, reminder_settings=rules, window=window)
    assert len({o.id for o in whole}) == len(whole)
    for occurrence in whole:
        assert occurrence.deliver_at >= occurrence.due
        assert occurrence.deliver_at - occurrence.due < timedelta(hours=24)
        if occurrence.kind == "block-prompt":
            assert not occurrence.held
            assert not (silenced and in_quiet_hours(occurrence.due, zone, rules))
        else:
            assert not in_quiet_hours(occurrence.deliver_at, zone, rules)
    middle = window[0] + timedelta(days=split)
    halves = plan(
        block, own=own, zone=zone, reminder_settings=rules, window=(window[0], middle)
    ) + plan(block, own=own, zone=zone, reminder_settings=rules, window=(middle, window[1]))
    assert [o.id for o in halves] == [o.id for o in whole]


def test_an_appointment_entered_twice_reminds_once_block_prompts_included():
    first = procedure("2026-03-10T09:00", pid=1)
    copy = procedure("2026-03-10T09:00", pid=2)
    once = plan(first)
    twice = plan(first, copy)
    assert [o.id for o in twice] == [o.id for o in once]
    assert {o.procedure_id for o in twice} == {1}
    prompts = [o for o in twice if o.kind == "block-prompt"]
    assert len(prompts) == len(PATHWAYS["lumbar"].block_diary.prompt_minutes)
    # the copy alone, or a cancelled first, still reminds: only true copies fold
    assert len(plan(copy)) == len(once)
    assert {
        o.procedure_id for o in plan(procedure("2026-03-10T09:00", pid=1, cancelled=True), copy)
    } == {2}
