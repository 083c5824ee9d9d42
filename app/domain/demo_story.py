"""A believable three-month diary for `--demo`, so a new user sees a living app.

The story: a patient with lumbar facet pain, right side worse and sometimes in the right buttock,
usual pain around 6 to 7. About 9 weeks ago a first test block with lidocaine (strong relief for an
hour or two, then back to usual); about 6 weeks ago a confirming block with bupivacaine (relief for
5 to 6 hours); about 3 weeks ago radiofrequency ablation (RFA): a few sore days at the needle site,
then the pain eases over 2 to 3 weeks to around 2 to 3 today.

What a real cycle holds beside the everyday diary: each block's timed diary (the usual pain before
it, then the prompts answered, one of the first block's missed while the patient was out), and the
RFA's baseline with PEG the day before and its 2-week check-in. On a block day the timed scores go
in the block diary, not the everyday one, as the app asks.

Pure and deterministic: `now`, the zone and the seed decide everything. Every entry is built through
the app's own validation (`validate_entry`, `validate_baseline`, `validate_prompt_entry`,
`validate_checkin`), so the demo obeys the same rules as a patient typing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.block_diary import (
    Baseline,
    PromptEntry,
    missed_entry,
    prompt_schedule,
    validate_baseline,
    validate_prompt_entry,
)
from app.domain.diary import PainEntry, validate_entry
from app.domain.outcomes import OutcomeCheckIn, checkin_schedule, validate_checkin
from app.domain.pathway import DEFAULT_BLOCK_DIARY, DEFAULT_OUTCOME_WEEKS

STORY_DAYS = 90
REGION = "lumbar"
SIDE = "right"

# Days before today (in the patient's zone), moved by a day to miss weekends, and local times.
FIRST_BLOCK_DAYS_AGO = 63
CONFIRM_BLOCK_DAYS_AGO = 42
RFA_DAYS_AGO = 21
FIRST_BLOCK_TIME = time(13, 0)
CONFIRM_BLOCK_TIME = time(11, 0)
RFA_TIME = time(9, 30)

# The patient writes nothing before 06:30 or from 23:00 on.
EARLIEST = time(6, 30)
LATEST = time(22, 59)


@dataclass(frozen=True)
class DemoProcedure:
    """A procedure in the demo story. `at` is aware UTC; `anaesthetic` is None for an RFA."""

    kind: str  # "test-block", "confirm-block" or "rfa"
    at: datetime
    region: str
    side: str
    anaesthetic: str | None


def demo_procedures(now: datetime, zone: str) -> tuple[DemoProcedure, ...]:
    """The story's three procedures, oldest first, placed relative to `now` in `zone`."""
    today = _today(now, zone)
    first, confirm, rfa = _procedure_days_ago(today)

    def at(days_ago: int, local_time: time) -> datetime:
        return _instant(today - timedelta(days=days_ago), local_time, zone)

    return (
        DemoProcedure("test-block", at(first, FIRST_BLOCK_TIME), REGION, SIDE, "lidocaine"),
        DemoProcedure(
            "confirm-block", at(confirm, CONFIRM_BLOCK_TIME), REGION, SIDE, "bupivacaine"
        ),
        DemoProcedure("rfa", at(rfa, RFA_TIME), REGION, SIDE, None),
    )


@dataclass(frozen=True)
class DemoBlockDiary:
    """One block's timed diary: `kind` names the story's block; `procedure_id` in the prompts is
    0 until the caller saves them against the block it added."""

    kind: str
    baselines: tuple[Baseline, ...]
    prompts: tuple[PromptEntry, ...]


def demo_block_diaries(now: datetime, zone: str) -> tuple[DemoBlockDiary, ...]:
    """The two blocks' timed diaries, as far as they had happened at `now`."""
    diaries = []
    for story in demo_procedures(now, zone):
        if story.kind == "rfa" or story.at > now:
            continue
        curve = _LIDOCAINE_CURVE if story.kind == "test-block" else _BUPIVACAINE_CURVE
        before = story.at - timedelta(minutes=20)
        baselines = tuple(
            validate_baseline(
                {
                    "area": area,
                    "side": "right",
                    "score": usual,
                    "activity": "getting out of the car",
                    "at": before,
                },
                now=before,
                zone=zone,
                block_at=story.at,
            )
            for area, usual in (("lower_back", _BLOCK_BASELINE), ("buttock", _BLOCK_BASELINE - 1))
        )
        prompts = []
        for index, prompt in enumerate(prompt_schedule(story.at, DEFAULT_BLOCK_DIARY)):
            answered = prompt.due + timedelta(minutes=1 + index % 3)
            if answered > now:
                break
            score = dict(curve).get(prompt.minutes)
            if score is None:  # the patient was out: the prompt closed unanswered
                if prompt.closes <= now:
                    prompts.append(missed_entry(0, prompt, zone))
                continue
            raw = {
                "scores": [
                    {"area": "lower_back", "side": "right", "score": score},
                    {"area": "buttock", "side": "right", "score": _clamp(score - 1, 0, 10)},
                ],
                "activity": _TIMED_ACTIVITIES[index % len(_TIMED_ACTIVITIES)],
            }
            prompts.append(
                validate_prompt_entry(raw, prompt=prompt, procedure_id=0, now=answered, zone=zone)
            )
        diaries.append(DemoBlockDiary(story.kind, baselines, tuple(prompts)))
    return tuple(diaries)


def demo_checkins(now: datetime, zone: str) -> tuple[OutcomeCheckIn, ...]:
    """The RFA's baseline with PEG the day before it, and each check-in that had come round by
    `now` (an hour after it was due); `procedure_id` is 0 until the caller saves them."""
    rfa = next(p for p in demo_procedures(now, zone) if p.kind == "rfa")
    schedule = checkin_schedule(rfa.at, zone, DEFAULT_OUTCOME_WEEKS)
    day_before = rfa.at - timedelta(days=1)
    checkins = []
    if day_before <= now:
        checkins.append(
            validate_checkin(
                {
                    "pain": 7,
                    "peg": {"pain": 7, "enjoyment": 7, "activity": 6},
                    "at": day_before,
                    "note": "The usual: worst getting out of the car and at the sink.",
                },
                procedure_id=0,
                rfa_at=rfa.at,
                week=0,
                now=day_before,
                zone=zone,
            )
        )
    # The story answers the first check-ins; the later ones have not come round by `now`.
    for due, (pain, peg, note) in zip(schedule, _CHECKINS, strict=False):
        at = due.due + timedelta(hours=1)
        if at > now:
            break
        checkins.append(
            validate_checkin(
                {
                    "pain": pain,
                    "peg": dict(zip(("pain", "enjoyment", "activity"), peg, strict=True)),
                    "at": at,
                    "note": note,
                },
                procedure_id=0,
                rfa_at=rfa.at,
                week=due.week,
                now=at,
                zone=zone,
                schedule=schedule,
            )
        )
    return tuple(checkins)


def demo_entries(now: datetime, zone: str, seed: int = 7) -> list[PainEntry]:
    """About 90 days of diary entries ending at `now` (none after it), oldest first."""
    today = _today(now, zone)
    rng = random.Random(seed)
    first, confirm, rfa = _procedure_days_ago(today)
    notes = {
        **_STORY_NOTES,
        first + 1: "Test injection tomorrow. Diary ready and a lift sorted.",
        confirm + 1: "Second test block tomorrow, the longer-lasting one this time.",
        rfa + 1: "RFA tomorrow. A bit nervous, but hopeful.",
        **{rfa - after: text for after, text in _AFTER_RFA_NOTES.items()},
    }
    raws: list[dict[str, Any]] = []
    for days_ago in range(STORY_DAYS, -1, -1):
        day = today - timedelta(days=days_ago)
        if days_ago == first:
            raws += _block_day(
                day, zone, rng, _LIDOCAINE_CURVE, _FIRST_BLOCK_NOTES, FIRST_BLOCK_TIME
            )
        elif days_ago == confirm:
            raws += _block_day(
                day, zone, rng, _BUPIVACAINE_CURVE, _CONFIRM_BLOCK_NOTES, CONFIRM_BLOCK_TIME
            )
        elif days_ago == rfa:
            raws += _rfa_day(day, zone, rng)
        else:
            raws += _ordinary_day(
                day,
                zone,
                rng,
                days_after_rfa=rfa - days_ago,
                note=notes.get(days_ago, ""),
                flare=days_ago in _FLARE_DAYS_AGO,
            )
    # Today's story stops at `now`: an entry later today would be in the future.
    entries = [validate_entry(raw, now=now, zone=zone) for raw in raws if raw["at"] <= now]
    return sorted(entries, key=lambda entry: entry.at)


def _procedure_days_ago(today: date) -> tuple[int, int, int]:
    """Days before today of the first block, the confirming block and the RFA, on weekdays.

    All three fall about 9, 6 and 3 weeks back; a clinic does not work at weekends, so a Saturday
    moves to the Friday before and a Sunday to the Monday after.
    """
    nudge = {5: 1, 6: -1}.get(today.weekday(), 0)  # same weekday as today: whole weeks back
    return FIRST_BLOCK_DAYS_AGO + nudge, CONFIRM_BLOCK_DAYS_AGO + nudge, RFA_DAYS_AGO + nudge


# --- the everyday pattern -------------------------------------------------------------------

_SLOTS = {
    "morning": (time(7, 0), time(9, 40)),
    "afternoon": (time(12, 15), time(16, 45)),
    "evening": (time(18, 0), time(22, 15)),
}
_ACTIVITIES = {
    "morning": [
        "getting out of bed",
        "making breakfast",
        "walking the dog",
        "getting dressed",
        "putting my socks on",
    ],
    "afternoon": [
        "after gardening",
        "standing at the sink",
        "getting out of the car",
        "sitting at my desk",
        "after the supermarket",
        "hoovering the lounge",
        "hanging out the washing",
    ],
    "evening": [
        "making dinner",
        "standing at the sink",
        "getting up from the sofa",
        "walking the dog",
        "climbing the stairs",
        "watching TV",
    ],
}
_SLOT_EFFECT = {"morning": 0.4, "afternoon": 0.0, "evening": 0.5}
_DAY_PLANS = [
    (("morning", "evening"), 4),
    (("morning", "afternoon", "evening"), 4),
    (("evening",), 2),
    (("morning",), 1),
    (("afternoon", "evening"), 2),
    (("morning", "afternoon", "afternoon", "evening"), 1),
]

# (days after the RFA, usual pain that day): soreness first, then easing; straight lines between.
_RFA_RECOVERY = [(1, 6.0), (3, 5.8), (4, 5.3), (7, 4.6), (10, 4.0), (14, 3.0), (21, 2.4), (40, 2.2)]
_USUAL_PAIN = 6.2

# A few notes the patient wrote, on the day's last entry: by days before today, and by days after
# the RFA. Most entries have none.
_FLARE_DAYS_AGO = {79}
_STORY_NOTES = {
    STORY_DAYS - 1: "Started this diary so the clinic can see what my back is really like.",
    79: "Overdid it in the garden. Hot water bottle and an early night.",
    70: "Couldn't pick up my grandson today. That one stung more than the back.",
}
_AFTER_RFA_NOTES = {
    1: "Still tender where the needles went in, like a bruise. Taking it easy as told.",
    3: "Skin on the right feels a bit numb and itchy. The nurse said that can happen.",
    9: "Got out of the car without thinking about my back. Only noticed afterwards!",
    16: "Walked the dog the long way round the park 😊 Best week in a long time.",
}
_BAD_DAY_NOTE = "Bad day. Everything takes twice as long when my back is like this."


def _ordinary_day(
    day: date, zone: str, rng: random.Random, *, days_after_rfa: int, note: str, flare: bool
) -> list[dict[str, Any]]:
    if rng.random() < 0.04 and not note:
        return []  # a day the patient forgot the diary
    plans, weights = zip(*_DAY_PLANS, strict=True)
    slots = rng.choices(plans, weights=weights)[0]
    flare = flare or (days_after_rfa < 0 and rng.random() < 0.07)
    usual = _usual_pain(days_after_rfa) + (1.2 if flare else 0.0)
    takes_medicine = rng.random() < _medicine_chance(days_after_rfa, flare)
    raws: list[dict[str, Any]] = []
    used_times: list[time] = []
    for slot in slots:
        at_time = _random_time(rng, *_SLOTS[slot], avoid=used_times)
        used_times.append(at_time)
        # Stiff mornings and tired evenings matter while the pain is still the old pain.
        effect = _SLOT_EFFECT[slot] if days_after_rfa < 7 else 0.0
        score = _clamp(round(usual + effect + rng.gauss(0, 0.6)), 1, 9)
        activity = "" if rng.random() < 0.15 else rng.choice(_ACTIVITIES[slot])
        if flare and slot != "morning":
            activity = "after gardening"
        raws.append(
            {
                "at": _local(day, at_time, zone),
                "score": score,
                "areas": _everyday_areas(rng, score, days_after_rfa),
                "activity": activity,
            }
        )
    raws.sort(key=lambda raw: raw["at"])
    if takes_medicine:
        target = rng.choice(raws)
        taken = target["at"] - timedelta(minutes=rng.choice([20, 30, 45, 60, 90]))
        if taken.time() >= EARLIEST:
            target["medication"] = rng.choice(["ibuprofen 400 mg"] * 3 + ["paracetamol 1 g"])
            target["medication_at"] = taken
    if flare and not note and rng.random() < 0.3:
        note = _BAD_DAY_NOTE
    raws[-1]["note"] = note
    return raws


def _usual_pain(days_after_rfa: int) -> float:
    if days_after_rfa < 0:
        return _USUAL_PAIN
    points = _RFA_RECOVERY
    if days_after_rfa <= points[0][0]:
        return points[0][1]
    for (d0, p0), (d1, p1) in pairwise(points):
        if days_after_rfa <= d1:
            return p0 + (p1 - p0) * (days_after_rfa - d0) / (d1 - d0)
    return points[-1][1]


def _medicine_chance(days_after_rfa: int, flare: bool) -> float:
    if flare:
        return 0.8
    if days_after_rfa < 0:
        return 0.3
    if days_after_rfa <= 4:
        return 0.7
    if days_after_rfa <= 10:
        return 0.25
    return 0.05


def _everyday_areas(rng: random.Random, score: int, days_after_rfa: int) -> list[dict[str, Any]]:
    areas = [{"area": "lower_back", "side": "right", "score": score}]
    left = score - rng.choice([2, 3, 4])
    if rng.random() < 0.5 and left >= 1:
        areas.append({"area": "lower_back", "side": "left", "score": left})
    buttock = score - rng.choice([1, 1, 2])
    if rng.random() < (0.35 if days_after_rfa < 0 else 0.1) and buttock >= 1:
        areas.append({"area": "buttock", "side": "right", "score": buttock})
    return areas


# --- the procedure days ---------------------------------------------------------------------

# The timed diary's prompts (every 15 minutes for the first hour, then hourly to 8 hours) and
# the usual pain on the right, rated during activities that usually hurt; the buttock scores one
# less. The first block's 3-hour prompt has no score: the patient was out and missed it.
_BLOCK_BASELINE = 7
_LIDOCAINE_CURVE = [
    (15, 1),
    (30, 1),
    (45, 0),
    (60, 1),
    (120, 1),
    (240, 5),
    (300, 6),
    (360, 7),
    (420, 6),
    (480, 7),
]
_BUPIVACAINE_CURVE = [
    (15, 1),
    (30, 1),
    (45, 0),
    (60, 0),
    (120, 1),
    (180, 1),
    (240, 1),
    (300, 1),
    (360, 2),
    (420, 4),
    (480, 6),
]
# The RFA's check-ins as they came round (pain, PEG items, note), soonest first.
_CHECKINS = [
    (3, (3, 3, 2), "Much better than before. Still a bit tender on the right."),
    (2, (2, 2, 2), ""),
    (2, (2, 1, 2), ""),
]
_TIMED_ACTIVITIES = [
    "bending to load the dishwasher",
    "standing at the sink",
    "walking to the end of the road",
    "getting up from the sofa",
    "climbing the stairs",
    "putting my socks on",
]
_FIRST_BLOCK_NOTES = {
    -15: "Just before the injection. The usual ache on the right.",
    "evening": "Bent down to tie my shoes this afternoon with no twinge at all. Strange but "
    "lovely! It crept back later, like the nurse said it would.",
}
_CONFIRM_BLOCK_NOTES = {
    -15: "Before the second test block. Usual pain, right side.",
    "evening": "Walked round the garden twice this afternoon and the pain was way down. "
    "Wearing off slowly now. What a day though.",
}


def _block_day(
    day: date,
    zone: str,
    rng: random.Random,
    curve: list[tuple[int, int]],
    notes: dict[Any, str],
    block_time: time,
) -> list[dict[str, Any]]:
    block_at = _local(day, block_time, zone)
    baseline = _BLOCK_BASELINE
    morning = _clamp(baseline + rng.choice([0, 0, 1]), 0, 10)
    raws: list[dict[str, Any]] = [
        {
            "at": _local(day, time(8, rng.randrange(0, 40)), zone),
            "score": morning,
            "areas": _treated_areas(morning, with_buttock=False),
            "activity": "getting out of bed",
        },
        {
            "at": block_at - timedelta(minutes=15),
            "score": baseline,
            "areas": _treated_areas(baseline, with_buttock=True),
            "activity": "getting out of the car",
            "note": notes.get(-15, ""),
        },
    ]
    # The timed scores are in the block diary; the everyday diary picks up after it has ended.
    evening = _clamp(dict(curve)[max(dict(curve))] - 1, 0, 10)
    raws.append(
        {
            "at": block_at + timedelta(hours=9, minutes=rng.randrange(0, 40)),
            "score": evening,
            "areas": _treated_areas(evening, with_buttock=False),
            "activity": rng.choice(_ACTIVITIES["evening"]),
            "note": notes.get("evening", ""),
        }
    )
    return raws


def _rfa_day(day: date, zone: str, rng: random.Random) -> list[dict[str, Any]]:
    rfa_at = _local(day, RFA_TIME, zone)
    morning = rng.choice([6, 7])
    return [
        {
            "at": _local(day, time(7, rng.randrange(5, 40)), zone),
            "score": morning,
            "areas": _treated_areas(morning, with_buttock=True),
            "activity": "getting dressed",
            "note": "RFA today. My daughter is driving me there and back.",
        },
        {
            "at": rfa_at + timedelta(hours=rng.choice([5, 6]), minutes=rng.randrange(0, 30)),
            "score": 6,
            "areas": _treated_areas(6, with_buttock=False),
            "activity": "resting on the sofa",
            "note": "Home. Sore where the needles went in, but the ice pack helps.",
        },
        {
            "at": _local(day, time(20, rng.randrange(0, 50)), zone),
            "score": 5,
            "areas": _treated_areas(5, with_buttock=False),
            "activity": "getting up from the sofa",
            "medication": "paracetamol 1 g",
            "medication_at": _local(day, time(19, 30), zone),
        },
    ]


def _treated_areas(score: int, *, with_buttock: bool) -> list[dict[str, Any]]:
    areas = [{"area": "lower_back", "side": "right", "score": score}]
    if with_buttock:
        areas.append({"area": "buttock", "side": "right", "score": _clamp(score - 1, 0, 10)})
    return areas


# --- time helpers ---------------------------------------------------------------------------


def _today(now: datetime, zone: str) -> date:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(ZoneInfo(zone)).date()


def _local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def _instant(day: date, at: time, zone: str) -> datetime:
    return _local(day, at, zone).astimezone(UTC)


def _random_time(rng: random.Random, start: time, end: time, *, avoid: list[time]) -> time:
    first = start.hour * 60 + start.minute
    last = end.hour * 60 + end.minute
    for _ in range(20):
        minutes = rng.randrange(first, last + 1)
        if all(abs(minutes - (t.hour * 60 + t.minute)) >= 60 for t in avoid):
            break
    return time(minutes // 60, minutes % 60)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
