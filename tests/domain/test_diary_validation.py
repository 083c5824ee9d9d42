"""The rules a diary entry must pass before it is saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.diary import (
    AREAS,
    NOTE_MAX_CHARS,
    AreaScore,
    DiaryInputError,
    PainEntry,
    validate_entry,
)

NOW = datetime(2026, 11, 28, 14, 30, tzinfo=UTC)


def valid(raw: dict, *, now: datetime = NOW, zone: str = "UTC") -> PainEntry:
    return validate_entry(raw, now=now, zone=zone)


def errors_of(raw: dict, *, now: datetime = NOW, zone: str = "UTC") -> dict[str, str]:
    with pytest.raises(DiaryInputError) as caught:
        validate_entry(raw, now=now, zone=zone)
    assert caught.value.errors, "a DiaryInputError must name at least one field"
    return caught.value.errors


# --- score ---------------------------------------------------------------------------------


@pytest.mark.parametrize("score", range(11))
def test_every_whole_score_from_0_to_10_is_accepted(score):
    assert valid({"score": score}).score == score


@pytest.mark.parametrize(
    ("text", "expected"), [("7", 7), (" 7 ", 7), ("0", 0), ("10", 10), ("07", 7)]
)
def test_score_typed_as_text_is_read_as_a_number(text, expected):
    entry = valid({"score": text})
    assert entry.score == expected
    assert type(entry.score) is int


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (11, "11"),
        (-1, "-1"),
        (2.5, "2.5"),
        ("seven", "seven"),
        ("11", "11"),
        ("-1", "-1"),
        ("2.5", "2.5"),
        ("٧", "٧"),
        (True, "True"),
        (False, "False"),
    ],
)
def test_score_outside_0_to_10_or_not_whole_is_rejected(score, shown):
    errors = errors_of({"score": score})
    assert errors == {
        "score": f"The pain score must be a whole number from 0 to 10, not “{shown}”."
    }


@pytest.mark.parametrize("score", [None, ""])
def test_missing_score_asks_for_one(score):
    assert errors_of({"score": score}) == {
        "score": "Choose a number from 0 (no pain) to 10 (worst imaginable)."
    }
    assert errors_of({}) == {"score": "Choose a number from 0 (no pain) to 10 (worst imaginable)."}


def test_absurdly_long_scores_are_rejected_not_crashed_on():
    assert "score" in errors_of({"score": "9" * 5000})
    assert "score" in errors_of({"score": 10**5000})
    assert "…" in errors_of({"score": "9" * 5000})["score"]  # the message stays short


# --- when ----------------------------------------------------------------------------------


def test_no_time_means_now_in_utc():
    entry = valid({"score": 3})
    assert entry.at == NOW
    assert entry.at.tzinfo is UTC


def test_up_to_five_minutes_in_the_future_is_allowed_for_clock_skew():
    entry = valid({"score": 3, "at": NOW + timedelta(minutes=5)})
    assert entry.at == NOW + timedelta(minutes=5)


def test_six_minutes_in_the_future_is_rejected():
    errors = errors_of({"score": 3, "at": NOW + timedelta(minutes=6)})
    assert errors == {"at": "That time is in the future. Choose now or a time that has passed."}


def test_within_the_last_year_is_allowed_but_more_than_a_year_back_is_not():
    assert valid({"score": 3, "at": NOW - timedelta(days=365)}).at == NOW - timedelta(days=365)
    errors = errors_of({"score": 3, "at": NOW - timedelta(days=367)})
    assert errors == {"at": "That is more than a year ago. Choose a time within the last year."}


def test_medication_time_follows_the_same_limits():
    errors = errors_of({"score": 3, "medication_at": NOW + timedelta(hours=1)})
    assert set(errors) == {"medication_at"}
    entry = valid(
        {"score": 3, "medication": "Ibuprofen 400 mg", "medication_at": "2026-11-28T08:00"}
    )
    assert entry.medication_at == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def test_naive_times_are_read_in_the_patients_zone():
    # 09:15 in New York on 28 November (EST, UTC-5) is 14:15 UTC.
    entry = valid({"score": 4, "at": "2026-11-28 09:15"}, zone="America/New_York")
    assert entry.at == datetime(2026, 11, 28, 14, 15, tzinfo=UTC)
    assert entry.zone == "America/New_York"
    assert entry.local_at == datetime(2026, 11, 28, 9, 15, tzinfo=ZoneInfo("America/New_York"))
    naive = datetime(2026, 11, 28, 9, 15)
    assert valid({"score": 4, "at": naive}, zone="America/New_York").at == entry.at


def test_aware_times_keep_their_own_offset():
    entry = valid({"score": 4, "at": "2026-11-28T09:15:00+01:00"}, zone="America/New_York")
    assert entry.at == datetime(2026, 11, 28, 8, 15, tzinfo=UTC)


def test_an_unreadable_time_is_rejected_with_an_example():
    errors = errors_of({"score": 4, "at": "yesterday-ish"})
    assert errors == {
        "at": "“yesterday-ish” is not a date and time; use a form like 2026-11-28 14:30."
    }
    assert errors_of({"score": 4, "at": 1234}) == {"at": "That is not a date and time."}


def test_an_unknown_zone_is_rejected():
    assert errors_of({"score": 4}, zone="Mars/Olympus_Mons") == {
        "zone": "“Mars/Olympus_Mons” is not a time zone this device knows. Give a place's "
        "time zone, like America/New_York or Europe/London."
    }
    assert set(errors_of({"score": 4}, zone="America")) == {"zone"}  # a folder, not a zone


# --- areas ---------------------------------------------------------------------------------


def test_areas_are_kept_in_order():
    entry = valid(
        {
            "score": 6,
            "areas": [
                {"area": "lower_back", "side": "both", "score": 6},
                {"area": "leg", "side": "left", "score": "3"},
            ],
        }
    )
    assert entry.areas == (AreaScore("lower_back", "both", 6), AreaScore("leg", "left", 3))
    assert entry.areas[0].label == "Lower back, both sides"
    assert entry.areas[1].label == "Leg, left"


def test_unknown_area_names_the_choices():
    errors = errors_of({"score": 6, "areas": [{"area": "knee", "side": "left", "score": 2}]})
    assert errors == {
        "areas.0": "“knee” is not a pain area this diary knows. Choose one of: "
        + ", ".join(AREAS)
        + "."
    }


def test_unknown_side_is_rejected():
    errors = errors_of({"score": 6, "areas": [{"area": "neck", "side": "middle", "score": 2}]})
    assert errors == {"areas.0": "Choose left, right or both for neck, not “middle”."}


def test_the_same_area_and_side_twice_is_rejected():
    errors = errors_of(
        {
            "score": 6,
            "areas": [
                {"area": "neck", "side": "left", "score": 2},
                {"area": "neck", "side": "right", "score": 2},
                {"area": "neck", "side": "left", "score": 5},
            ],
        }
    )
    assert errors == {"areas.2": "Neck (left) is listed twice."}


def test_area_scores_follow_the_score_rules():
    errors = errors_of({"score": 6, "areas": [{"area": "arm", "side": "right", "score": 12}]})
    assert errors == {"areas.0": "The pain score must be a whole number from 0 to 10, not “12”."}


@pytest.mark.parametrize("areas", [5, "neck", {"area": "neck", "side": "left", "score": 1}])
def test_areas_that_are_not_a_list_of_places_are_rejected(areas):
    assert errors_of({"score": 6, "areas": areas}) == {
        "areas": "Each pain area needs a place, a side and a score."
    }


def test_odd_values_inside_areas_are_rejected_not_crashed_on():
    errors = errors_of(
        {
            "score": 6,
            "areas": [
                "neck",
                {"area": ["neck"], "side": "left", "score": 1},
                {"area": "neck", "side": {"x": 1}, "score": 1},
            ],
        }
    )
    assert set(errors) == {"areas.0", "areas.1", "areas.2"}
    assert errors["areas.0"] == "Each pain area needs a place, a side and a score."


# --- text ----------------------------------------------------------------------------------


def test_a_note_of_exactly_the_limit_is_kept():
    note = "x" * NOTE_MAX_CHARS
    assert NOTE_MAX_CHARS == 2000
    assert valid({"score": 2, "note": note}).note == note


def test_a_note_one_over_the_limit_names_its_length():
    errors = errors_of({"score": 2, "note": "x" * 2001})
    assert errors == {"note": "The note is 2,001 characters long; the limit is 2,000."}


def test_emoji_and_other_scripts_are_kept_exactly():
    note = "Schlecht geschlafen 😣🛏️ — 腰痛がひどい · боль в спине · ألم في الظهر · 👩🏽‍⚕️"
    entry = valid({"score": 2, "note": note, "activity": "Ходьба 🚶", "medication": "布洛芬"})
    assert entry.note == note
    assert entry.activity == "Ходьба 🚶"
    assert entry.medication == "布洛芬"


def test_surrounding_whitespace_is_trimmed():
    assert valid({"score": 2, "note": "  stiff in the morning \n"}).note == "stiff in the morning"


@pytest.mark.parametrize("note", ["a\x00b", "lone surrogate \ud83d"])
def test_characters_that_cannot_be_saved_are_rejected(note):
    assert errors_of({"score": 2, "note": note}) == {
        "note": "The note contains a character that cannot be saved."
    }


def test_activity_has_a_shorter_limit():
    errors = errors_of({"score": 2, "activity": "w" * 201})
    assert errors == {"activity": "What you were doing is 201 characters long; the limit is 200."}


# --- together ------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_keyed_by_field():
    with pytest.raises(DiaryInputError) as caught:
        validate_entry(
            {
                "score": "eleven",
                "at": NOW + timedelta(days=1),
                "areas": [{"area": "knee", "side": "left", "score": 1}],
                "note": "n" * 2001,
            },
            now=NOW,
            zone="UTC",
        )
    errors = caught.value.errors
    assert set(errors) == {"score", "at", "areas.0", "note"}
    assert errors["score"].startswith("The pain score must be a whole number")
    assert errors["at"].startswith("That time is in the future")
    assert errors["areas.0"].startswith("“knee” is not a pain area")
    assert errors["note"] == "The note is 2,001 characters long; the limit is 2,000."
    # str() joins them, so the command line can print one line.
    assert str(caught.value) == " ".join(errors.values())
    assert "\n" not in str(caught.value)


def test_a_full_valid_entry():
    entry = valid(
        {
            "score": "8",
            "at": "2026-11-28T07:45:00",
            "areas": [{"area": "neck", "side": "right", "score": 8}],
            "activity": "Gardening",
            "medication": "Paracetamol 1 g",
            "medication_at": "2026-11-28T08:00:00",
            "note": "Worse after bending.",
        },
        zone="Europe/Berlin",
    )
    assert entry == PainEntry(
        score=8,
        at=datetime(2026, 11, 28, 6, 45, tzinfo=UTC),
        zone="Europe/Berlin",
        areas=(AreaScore("neck", "right", 8),),
        activity="Gardening",
        medication="Paracetamol 1 g",
        medication_at=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
        note="Worse after bending.",
    )
    assert entry.local_date.isoformat() == "2026-11-28"
