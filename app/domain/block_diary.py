"""The timed diary after a test block, and what it shows: relief against the usual pain.

The diary: first the *baseline*, the usual pain for each area and side during an activity that
usually provokes it, on the same 0 to 10 scale; then a *prompt* at each of the pathway's
`BlockDiarySchedule.prompt_minutes` after the block. A prompt is open from the moment it is due
until it closes: when the next prompt is due, or `GRACE` (30 minutes) after it was due, whichever
comes first (so 15 minutes for the 15-minute prompts, 30 minutes for the hourly ones, 30 minutes
for the last). A prompt that closes unanswered is recorded as *missed* and can never be filled in
afterwards: the diary holds only what the patient felt at the time.

Scores written on the clinic's paper diary are entered afterwards as *paper scores*
(`validate_paper_entry`): each at its own minute after the block, never as a prompt's answer, so
a missed prompt stays missed. Everyday diary entries logged during the diary's hours add their
area scores the same way (`everyday_scores`), marked as such.

The analysis, per area and side, takes each prompt at its scheduled minute after the block (the
answer was given within the prompt's window) and each paper or everyday score at its own minute:

- relief (%) = (baseline - score) / baseline x 100; negative when the pain was worse than usual;
  none when the baseline was 0 (a percentage of nothing cannot be worked out);
- the peak: the highest relief, at the earliest prompt that reached it;
- hours at or above the clinic's threshold (`relief_threshold_percent`, 80% or 50%): the longest
  *run* of prompts whose relief was at or above the threshold, measured from its first to its
  last prompt. A run that starts at the diary's first prompt is measured from the block itself
  (a local anaesthetic acts within minutes). A missed prompt (or one where this area was not
  scored) inside a run does not break it, because the scores on both sides of it were at or
  above the threshold; it is counted in `missed_in_run`. A score below the threshold ends a run.
  The duration cannot be worked out (None) without a baseline, with a baseline of 0, or with
  fewer than two scores;
- whether that duration fits the anaesthetic used, against the clinic's expected hours
  (`ClinicSettings.expected_hours`, low to high): see `fit_anaesthetic`.

The rule a clinic applies to a block has two parts, and each is stated on its own, per area and
side, as yes, no or can't tell:

1. *Reached the threshold* (`AreaRelief.reached_threshold`): the peak relief is at or above the
   threshold at some prompt. Can't tell without a baseline, with a baseline of 0, or without
   scores.
2. *Lasted as long as the anaesthetic is expected to* (`AreaRelief.lasted_as_expected`): the
   hours at or above the threshold are at least the low end of the expected hours (for example
   1 hour for lidocaine, 3 hours for bupivacaine by default). No when the threshold was never
   reached, or when relief fell below it sooner. Can't tell when the anaesthetic is not
   recorded, when the duration cannot be worked out, when relief was still at or above the
   threshold at the last score (the diary ended or goes on), or when the prompts right after
   the run were missed and the next score came later than the low end (relief may have gone on
   until just before it).

For two blocks (`compare_blocks`), per shared area and side: which parts each block met, with
the numbers behind them, in neutral words. Only when both parts hold for both blocks does the
comparison say so ("both blocks met both parts"); and only then, with lidocaine for one block
and bupivacaine for the other, is it *concordant* when relief at or above the threshold lasted
longer after bupivacaine: its hours are more than the most the lidocaine relief can have
lasted (up to the next score when the prompts right after it were missed, without limit when it
was still there at the last score; see `_at_most_hours`); *not longer* when the most the
bupivacaine relief can have lasted is no more than the lidocaine hours; otherwise can't tell.
Two blocks that reached the threshold only briefly, or two that did not reach it, get no
verdict.

The results hold the numbers and the answers, not sentences: app/domain/block_diary_words.py
says them (`summary_sentence` neutrally for the patient, giving the peak and the time at or above
the threshold as two facts; notes and explanations with the numbers for the clinic). The app
describes the diary; the care team decides what it means. Nothing here reads the clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.dates import date_label
from app.domain.diary import (
    AREAS,
    SIDES,
    TEXT_MAX_CHARS,
    AreaScore,
    LocalTimes,
    PainEntry,
    _checked_areas,
    _checked_instant,
    _checked_score,
    _checked_text,
    checked_zone,
)
from app.domain.pathway import BlockDiarySchedule
from app.domain.typed import shown
from app.i18n import N_, _, ngettext

GRACE = timedelta(minutes=30)
SHORT_ACTING, LONG_ACTING = "lidocaine", "bupivacaine"

# Verdicts of `fit_anaesthetic`.
FITS = "fits"
SHORTER = "shorter"
LONGER = "longer"
NOT_REACHED = "not_reached"
UNKNOWN = "unknown"

# Why how long relief lasted cannot be worked out (`AnaestheticFit.reason`).
WHY_NO_BASELINE = "no_baseline"
WHY_ZERO_BASELINE = "zero_baseline"
WHY_NO_SCORES = "no_scores"
WHY_ONE_SCORE = "one_score"

# States of a prompt at a given moment.
UPCOMING = "upcoming"
OPEN = "open"
DONE = "done"
MISSED = "missed"

ZERO_BASELINE = N_(
    "You chose 0. Does this place usually hurt? If not, leave it out: with a "
    "usual pain of 0 the diary cannot show relief there."
)

# Where a score in the analysis came from: a live prompt, the clinic's paper diary entered
# afterwards, or an everyday diary entry logged during the diary's hours. At one minute after the
# block the first of these that holds a score for an area and side is the one used.
FROM_PROMPT = "prompt"
FROM_PAPER = "paper"
FROM_EVERYDAY = "everyday"
SOURCES = (FROM_PROMPT, FROM_PAPER, FROM_EVERYDAY)


# --- what is recorded ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The usual pain for one area and side, before the block. `at` is aware UTC."""

    area: str
    side: str
    score: int
    at: datetime
    zone: str
    activity: str = ""  # the activity that usually provokes the pain
    at_clinic: bool = False  # entered by the clinic rather than the patient

    @property
    def label(self) -> str:
        return area_label(self.area, self.side)


@dataclass(frozen=True)
class Prompt:
    """One timed prompt: `minutes` after the block, due at `due`, missed from `closes` on."""

    index: int
    minutes: int
    due: datetime
    closes: datetime


@dataclass(frozen=True)
class PromptEntry:
    """The answer to one prompt, or the record that it was missed (`missed`, no scores).

    `at` is when it was answered (aware UTC); for a missed prompt, when it was due (records made
    before that rule hold the time it closed: reports date a missed prompt by `prompt_due`)."""

    procedure_id: int
    minutes: int
    at: datetime
    zone: str
    scores: tuple[AreaScore, ...] = ()
    activity: str = ""
    missed: bool = False
    id: int | None = None

    @property
    def local_at(self) -> datetime:
        return self.at.astimezone(ZoneInfo(self.zone))

    def score_for(self, area: str, side: str) -> int | None:
        return next((s.score for s in self.scores if (s.area, s.side) == (area, side)), None)


@dataclass(frozen=True)
class PaperScore(LocalTimes):
    """One score the patient wrote on the clinic's paper diary, entered into the app afterwards.

    `at` is the time written on the paper (aware UTC), `minutes` the whole minutes after the
    block it falls on. Live prompts keep their own records (a missed one stays missed); a paper
    score fills the analysis at its own time."""

    procedure_id: int
    at: datetime
    zone: str
    minutes: int
    area: str
    side: str
    score: int
    activity: str = ""
    id: int | None = None

    @property
    def label(self) -> str:
        return area_label(self.area, self.side)

    @property
    def timed(self) -> TimedScore:
        return TimedScore(self.minutes, self.at, self.area, self.side, self.score, FROM_PAPER)


@dataclass(frozen=True)
class TimedScore:
    """A score at its own time after the block that is not a live prompt's answer: from the
    paper diary or the everyday diary (`source`)."""

    minutes: int
    at: datetime
    area: str
    side: str
    score: int
    source: str


@dataclass
class BlockDiaryInputError(ValueError):
    """Every problem found in one submission, keyed by field name."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


# --- the prompts and where the diary stands -----------------------------------------------------


def prompt_schedule(block_at: datetime, schedule: BlockDiarySchedule) -> tuple[Prompt, ...]:
    """The timed prompts after a block at `block_at` (aware), with when each closes."""
    minutes = sorted(set(schedule.prompt_minutes))
    start = block_at.astimezone(UTC)  # real minutes, whatever the clocks do
    prompts = []
    for index, minute in enumerate(minutes):
        due = start + timedelta(minutes=minute)
        closes = due + GRACE
        if index + 1 < len(minutes):
            closes = min(closes, due + timedelta(minutes=minutes[index + 1] - minute))
        prompts.append(Prompt(index=index, minutes=minute, due=due, closes=closes))
    return tuple(prompts)


@dataclass(frozen=True)
class PromptStatus:
    prompt: Prompt
    state: str  # upcoming | open | done | missed
    entry: PromptEntry | None = None


@dataclass(frozen=True)
class DiaryState:
    """Where the block diary stands at `now`.

    `current`: the open prompt, not yet answered (None when there is none). `next`: the next
    prompt not yet due, and `countdown` until it is. `to_mark_missed`: prompts that closed
    unanswered and have no missed record yet; the store records them (`mark_missed`).
    """

    now: datetime
    prompts: tuple[PromptStatus, ...]
    current: Prompt | None
    next: Prompt | None
    countdown: timedelta | None
    to_mark_missed: tuple[Prompt, ...]

    @property
    def finished(self) -> bool:
        """Every prompt is answered or missed."""
        return all(status.state in (DONE, MISSED) for status in self.prompts)

    @property
    def answer_by(self) -> datetime | None:
        """When the current prompt closes."""
        return self.current.closes if self.current else None


def diary_state(
    prompts: Sequence[Prompt], entries: Iterable[PromptEntry], now: datetime
) -> DiaryState:
    """Each prompt's state at `now` given what is recorded, and the current and next prompt."""
    by_minute = {entry.minutes: entry for entry in entries}
    statuses: list[PromptStatus] = []
    to_mark: list[Prompt] = []
    current = upcoming = None
    for prompt in prompts:
        entry = by_minute.get(prompt.minutes)
        if entry is not None:
            state = MISSED if entry.missed else DONE
        elif now < prompt.due:
            state = UPCOMING
            upcoming = upcoming or prompt
        elif now < prompt.closes:
            state = OPEN
            current = prompt
        else:
            state = MISSED
            to_mark.append(prompt)
        statuses.append(PromptStatus(prompt, state, entry))
    return DiaryState(
        now=now,
        prompts=tuple(statuses),
        current=current,
        next=upcoming,
        countdown=(upcoming.due - now) if upcoming else None,
        to_mark_missed=tuple(to_mark),
    )


def missed_entry(procedure_id: int, prompt: Prompt, zone: str) -> PromptEntry:
    """The record of a prompt that closed unanswered, dated when it was due."""
    return PromptEntry(
        procedure_id=procedure_id, minutes=prompt.minutes, at=prompt.due, zone=zone, missed=True
    )


# --- checking input -----------------------------------------------------------------------------


def validate_baseline(
    raw: Mapping[str, Any], *, now: datetime, zone: str, block_at: datetime | None = None
) -> Baseline:
    """Check a baseline (area, side, score, at, activity, at_clinic) or raise
    `BlockDiaryInputError`.

    `at` may be left out: it is then `now`, or the block's time when the block has already
    started (the baseline is the usual pain before it). It may not be in the future, nor after
    the block started. A score of 0 is refused with a question (`ZERO_BASELINE`): relief in
    percent cannot be worked out from it, so a place that does not usually hurt is left out.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(zone, errors)
    area, side = _checked_area_side(raw.get("area"), raw.get("side"), errors)
    score = _checked_score(raw.get("score"), "score", errors)
    if "score" not in errors and score == 0:
        errors["score"] = _(ZERO_BASELINE)
    default_at = min(now, block_at) if block_at is not None else now
    at = _checked_instant(raw.get("at"), "at", now, zone, errors) or default_at
    if "at" not in errors and block_at is not None and at > block_at:
        errors["at"] = _(
            "Your usual pain is the pain before the block, so it cannot be dated after the "
            "block started ({block}). Choose a time before that."
        ).format(block=date_label(block_at, now, zone, in_sentence=True))
    activity = _checked_text(
        raw.get("activity"), "activity", N_("The activity"), TEXT_MAX_CHARS, errors
    )
    if errors:
        raise BlockDiaryInputError(errors)
    return Baseline(
        area=area,
        side=side,
        score=score,
        at=at.astimezone(UTC),
        zone=zone,
        activity=activity,
        at_clinic=bool(raw.get("at_clinic", False)),
    )


def validate_prompt_entry(
    raw: Mapping[str, Any], *, prompt: Prompt, procedure_id: int, now: datetime, zone: str
) -> PromptEntry:
    """Check the answer to `prompt` given at `now`, or raise `BlockDiaryInputError`.

    `raw` keys: scores (iterable of mappings with area, side, score; at least one), activity.
    A prompt can be answered only while it is open: a missed one stays missed.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(zone, errors)
    if now < prompt.due:
        errors["prompt"] = _("This question opens at {time}, {duration} after the block.").format(
            time=_local_time(prompt.due, zone), duration=minutes_words(prompt.minutes)
        )
    elif now >= prompt.closes:
        errors["prompt"] = _(
            "This question closed at {time}. It stays marked as missed, so the diary shows only "
            "what you felt at the time."
        ).format(time=_local_time(prompt.closes, zone))
    scores = _checked_areas(raw.get("scores") or (), errors)
    if not scores and not any(key.startswith("areas") for key in errors):
        errors["scores"] = _("Choose a number from 0 to 10 for at least one area.")
    errors = {
        ("scores" + key[5:] if key.startswith("areas") else key): message
        for key, message in errors.items()
    }
    activity = _checked_text(
        raw.get("activity"), "activity", N_("What you were doing"), TEXT_MAX_CHARS, errors
    )
    if errors:
        raise BlockDiaryInputError(errors)
    return PromptEntry(
        procedure_id=procedure_id,
        minutes=prompt.minutes,
        at=now.astimezone(UTC),
        zone=zone,
        scores=scores,
        activity=activity,
    )


def prompt_due(block_at: datetime, minutes: int) -> datetime:
    """When the prompt `minutes` after a block at `block_at` was due (aware UTC)."""
    return block_at.astimezone(UTC) + timedelta(minutes=minutes)


def minutes_after(block_at: datetime, at: datetime) -> int:
    """Whole minutes from the block to `at`, to the nearest minute."""
    return round((at - block_at).total_seconds() / 60)


def diary_ends(prompts: Sequence[Prompt]) -> datetime | None:
    """When the timed diary ends: the moment its last prompt closes (None without prompts)."""
    return prompts[-1].closes if prompts else None


def scored_times(
    entries: Iterable[PromptEntry], papers: Iterable[PaperScore]
) -> set[tuple[int, str, str]]:
    """(minutes after the block, area, side) of every score already recorded for a block, from
    its answered prompts (at their scheduled minute) and its paper scores."""
    taken = {(e.minutes, s.area, s.side) for e in entries if not e.missed for s in e.scores}
    return taken | {(p.minutes, p.area, p.side) for p in papers}


# The time copied from a paper line: "14:30", "9.05", "9h05" or "1430".
PAPER_TIME_PATTERN = re.compile(r"\s*(\d{1,2})[:.h ]?(\d{2})\s*")


def paper_time_after(block_at: datetime, text: str, zone: str) -> datetime | None:
    """The first moment after the block whose local clock in `zone` shows `text`, so a paper
    line written after midnight falls on the next day; None when `text` is not a time of day."""
    match = PAPER_TIME_PATTERN.fullmatch(text or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    start = block_at.astimezone(ZoneInfo(zone))
    candidate = start.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= start:
        candidate += timedelta(days=1)
    return candidate


def validate_paper_entry(
    raw: Mapping[str, Any],
    *,
    procedure_id: int,
    block_at: datetime,
    prompts: Sequence[Prompt],
    taken: Iterable[tuple[int, str, str]],
    now: datetime,
    zone: str,
) -> tuple[PaperScore, ...]:
    """Check scores copied from the clinic's paper diary, or raise `BlockDiaryInputError`.

    `raw` keys: at (the time on the paper: ISO text or an aware datetime; without a zone, local
    time in `zone`), scores (iterable of mappings with area, side, score; at least one),
    activity. The time must fall after the block and no later than the diary's end (when its
    last prompt closes), and not in the future. `taken`: the (minutes, area, side) already
    scored for this block (`scored_times`); a second score for the same area and side at the
    same minute is refused, so nothing already saved is overwritten.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(zone, errors)
    at = _checked_instant(raw.get("at"), "at", now, zone, errors)
    if at is None and "at" not in errors:
        errors["at"] = _("Enter the time written on the paper diary.")
    ends = diary_ends(prompts)
    minutes = 0
    if at is not None:  # the block's own limits say more than "in the future" would
        minutes = minutes_after(block_at, at)
        if minutes < 1:
            errors["at"] = _(
                "{time} is not after the block ({block}). A diary score comes after the block."
            ).format(
                time=date_label(at, now, zone),
                block=date_label(block_at, now, zone, in_sentence=True),
            )
        elif ends is not None and at > ends:
            errors["at"] = _(
                "{time} is after the block diary ended ({ended}). Later scores "
                "belong in the everyday pain diary."
            ).format(
                time=date_label(at, now, zone), ended=date_label(ends, now, zone, in_sentence=True)
            )
    scores = _checked_areas(raw.get("scores") or (), errors)
    if not scores and not any(key.startswith("areas") for key in errors):
        errors["scores"] = _("Choose a number from 0 to 10 for at least one area.")
    errors = {
        ("scores" + key[5:] if key.startswith("areas") else key): message
        for key, message in errors.items()
    }
    if "at" not in errors and at is not None:
        already = set(taken)
        for index, score in enumerate(scores):
            if f"scores.{index}" not in errors and (minutes, score.area, score.side) in already:
                errors[f"scores.{index}"] = _(
                    "There is already a score for {place} from {time}. It stays as it was saved."
                ).format(
                    place=area_label(score.area, score.side).lower(),
                    time=date_label(at, now, zone, in_sentence=True),
                )
    activity = _checked_text(
        raw.get("activity"), "activity", N_("What you were doing"), TEXT_MAX_CHARS, errors
    )
    if errors or at is None:  # (a missing time is one of the errors)
        raise BlockDiaryInputError(errors)
    return tuple(
        PaperScore(
            procedure_id=procedure_id,
            at=at.astimezone(UTC),
            zone=zone,
            minutes=minutes,
            area=s.area,
            side=s.side,
            score=s.score,
            activity=activity,
        )
        for s in scores
    )


def everyday_scores(
    entries: Iterable[PainEntry], *, block_at: datetime, prompts: Sequence[Prompt]
) -> tuple[TimedScore, ...]:
    """The area scores of everyday diary entries logged during the diary's hours (after the
    block, until its last prompt closes), each at its own minute after the block. An entry's
    overall score has no area and side, so it cannot be set against a baseline and is left out."""
    ends = diary_ends(prompts)
    found = []
    for entry in entries:
        minutes = minutes_after(block_at, entry.at)
        if minutes < 1 or ends is None or entry.at > ends:
            continue
        found += [
            TimedScore(minutes, entry.at, s.area, s.side, s.score, FROM_EVERYDAY)
            for s in entry.areas
        ]
    return tuple(found)


def _checked_area_side(area: Any, side: Any, errors: dict[str, str]) -> tuple[str, str]:
    if not isinstance(area, str) or area not in AREAS:
        errors["area"] = _(
            "“{area}” is not a pain area this diary knows. Choose one of: {known}."
        ).format(area=shown(area), known=", ".join(AREAS))
        area = next(iter(AREAS))
    if not isinstance(side, str) or side not in SIDES:
        errors["side"] = _("Choose left, right or both, not “{side}”.").format(side=shown(side))
        side = "both"
    return area, side


def _local_time(instant: datetime, zone: str) -> str:
    return f"{instant.astimezone(ZoneInfo(zone)):%H:%M}"


# --- the analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliefPoint:
    """One point of the diary for one area and side: a prompt, or a paper or everyday diary
    score at its own minute (`source`). `score` is None when the prompt was missed or not
    scored; `relief` (%) is None then, and when the baseline was 0 or is missing."""

    minutes: int
    score: int | None
    relief: float | None
    at: datetime | None = None
    source: str = FROM_PROMPT  # where the score came from (see SOURCES)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def missed(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class AnaestheticFit:
    """Whether the hours at or above the threshold fit what the anaesthetic is expected to last.

    verdict: fits | shorter | longer | not_reached (relief never reached the threshold) |
    unknown. `lasted`: the second part of the rule, whether relief at or above the threshold
    lasted at least as long as the anaesthetic is expected to (the low end of the clinic's
    expected hours); None when it cannot be told. The rest are the facts the verdict rests on
    (`block_diary_words.fit_explanation` says them): the hours at or above the threshold (None:
    they cannot be worked out, for `reason`), whether relief was still there at the last score
    (`open_ended`) while the diary has more prompts to come (`more_to_come`), and the most it can
    have lasted when the prompts right after it were missed (`could_last_hours`)."""

    verdict: str
    anaesthetic: str | None
    expected_hours: tuple[float, float] | None
    lasted: bool | None = None
    threshold: int = 80
    hours: float | None = None
    reason: str = ""  # one of the WHY_ codes, or "" (too few scores)
    open_ended: bool = False
    more_to_come: bool = False
    could_last_hours: float | None = None

    @property
    def fits(self) -> bool | None:
        if self.verdict == FITS:
            return True
        if self.verdict in (SHORTER, LONGER, NOT_REACHED):
            return False
        return None


@dataclass(frozen=True)
class AreaRelief:
    """The analysis for one area and side of one block."""

    area: str
    side: str
    baseline: int | None
    threshold: int
    points: tuple[ReliefPoint, ...]
    peak: float | None
    peak_minutes: int | None
    hours_at_threshold: float | None
    run_from_minutes: int | None  # the longest run at or above the threshold, 0 = the block
    run_to_minutes: int | None
    missed_in_run: int
    open_ended: bool  # the run reaches the last score and later prompts have none
    fit: AnaestheticFit
    # The first score after prompts missed right after the run (None when the prompt after the
    # run was scored, or when no score follows): relief may have lasted until just before it.
    next_score_after_gap: int | None

    @property
    def label(self) -> str:
        return area_label(self.area, self.side)

    @property
    def scored(self) -> tuple[ReliefPoint, ...]:
        return tuple(point for point in self.points if point.score is not None)

    @property
    def reached_threshold(self) -> bool | None:
        """Did relief reach the threshold at any prompt? None when it cannot be worked out."""
        return None if self.peak is None else self.peak >= self.threshold - 1e-9

    @property
    def lasted_as_expected(self) -> bool | None:
        """The second part of the rule (see `fit_anaesthetic`); None: cannot be told."""
        return self.fit.lasted

    @property
    def worse_than_usual(self) -> bool:
        return self.baseline is not None and any(
            p.score is not None and p.score > self.baseline for p in self.points
        )

    @property
    def lowest_relief(self) -> float | None:
        values = [p.relief for p in self.points if p.relief is not None]
        return min(values) if values else None


@dataclass(frozen=True)
class BlockAnalysis:
    procedure_id: int | None
    anaesthetic: str | None
    threshold: int
    areas: tuple[AreaRelief, ...]

    def area(self, area: str, side: str) -> AreaRelief | None:
        return next((a for a in self.areas if (a.area, a.side) == (area, side)), None)


def relief_percent(baseline: int, score: int) -> float | None:
    """(baseline - score) / baseline x 100; None when the baseline is 0."""
    if baseline == 0:
        return None
    return (baseline - score) / baseline * 100


def analyse_block(
    baselines: Iterable[Baseline],
    entries: Iterable[PromptEntry],
    *,
    prompt_minutes: Sequence[int],
    threshold: int = 80,
    anaesthetic: str | None = None,
    expected_hours: tuple[float, float] | None = None,
    procedure_id: int | None = None,
    other_scores: Iterable[TimedScore] = (),
) -> BlockAnalysis:
    """Relief per area and side for one block.

    The areas are every area and side with a baseline, a prompt score or a paper score. A
    prompt of the schedule (`prompt_minutes`) with no entry counts as missed when a later prompt
    or score has an entry; prompts after the last one are left out (not reached yet, or the
    diary stopped there). `other_scores` (paper and everyday diary scores) add points at their
    own minutes for their area and side; at a minute where a prompt was answered for that area
    and side the prompt's score is used, and a paper score before an everyday one. Everyday
    scores only add to areas the diary already has.
    """
    baseline_of = {(b.area, b.side): b.score for b in baselines}
    entries = sorted(entries, key=lambda e: e.minutes)
    others: dict[tuple[int, str, str], TimedScore] = {}
    for other in sorted(other_scores, key=lambda o: (SOURCES.index(o.source), o.at)):
        others.setdefault((other.minutes, other.area, other.side), other)
    keys = (
        set(baseline_of)
        | {(s.area, s.side) for e in entries for s in e.scores}
        | {(o.area, o.side) for o in others.values() if o.source == FROM_PAPER}
    )
    order = {
        key: index for index, key in enumerate((area, side) for area in AREAS for side in SIDES)
    }
    last_recorded = max(
        [e.minutes for e in entries] + [minutes for minutes, _area, _side in others], default=-1
    )
    prompt_points = sorted(
        {m for m in prompt_minutes if m <= last_recorded} | {e.minutes for e in entries}
    )
    later_prompts = any(m > last_recorded for m in prompt_minutes)
    first_prompt = (
        min(prompt_minutes) if prompt_minutes else (prompt_points[0] if prompt_points else 0)
    )
    by_minute = {e.minutes: e for e in entries}
    areas = []
    for area, side in sorted(keys, key=lambda key: order[key]):
        baseline = baseline_of.get((area, side))
        minutes = sorted(set(prompt_points) | {m for m, a, s in others if (a, s) == (area, side)})
        points = []
        for minute in minutes:
            entry = by_minute.get(minute)
            score: int | None = None
            at: datetime | None = None
            if entry is not None and not entry.missed:
                score = entry.score_for(area, side)
                at = entry.at if score is not None else None
            source = FROM_PROMPT
            extra = others.get((minute, area, side))
            if score is None and extra is not None:
                score, at, source = extra.score, extra.at, extra.source
            relief = (
                relief_percent(baseline, score)
                if baseline is not None and score is not None
                else None
            )
            points.append(ReliefPoint(minute, score, relief, at, source))
        areas.append(
            _area_relief(
                area,
                side,
                baseline,
                tuple(points),
                threshold,
                anaesthetic,
                expected_hours,
                first_prompt,
                later_prompts,
            )
        )
    return BlockAnalysis(procedure_id, anaesthetic, threshold, tuple(areas))


def _area_relief(
    area: str,
    side: str,
    baseline: int | None,
    points: tuple[ReliefPoint, ...],
    threshold: int,
    anaesthetic: str | None,
    expected_hours: tuple[float, float] | None,
    first_prompt: int,
    later_prompts: bool,
) -> AreaRelief:
    scored = [p for p in points if p.score is not None]
    peak = peak_minutes = hours = run_from = run_to = None
    missed_in_run, open_ended, next_after_gap = 0, False, None
    could_last_hours: float | None = None
    if baseline is None:
        reason = WHY_NO_BASELINE
    elif baseline == 0:
        reason = WHY_ZERO_BASELINE
    elif not scored:
        reason = WHY_NO_SCORES
    else:
        reason = ""
        best = max(p.relief for p in scored if p.relief is not None)
        peak, peak_minutes = best, next(p.minutes for p in scored if p.relief == best)
        if len(scored) == 1:
            reason = WHY_ONE_SCORE
        else:
            run = _longest_run(points, threshold)
            if run is None:
                hours = 0.0
            else:
                start, end = run
                # Measured from the block when nothing was scored before the run began.
                from_block = points[start].minutes <= first_prompt and all(
                    p.score is None for p in points[:start]
                )
                run_from = 0 if from_block else points[start].minutes
                run_to = points[end].minutes
                hours = (run_to - run_from) / 60
                missed_in_run = sum(1 for p in points[start : end + 1] if p.score is None)
                open_ended = end == _last_scored(points) and (
                    later_prompts or end < len(points) - 1
                )
                if not open_ended and end + 1 < len(points) and points[end + 1].score is None:
                    next_after_gap = next(
                        p.minutes for p in points[end + 1 :] if p.score is not None
                    )
                    could_last_hours = (next_after_gap - run_from) / 60
    fit = fit_anaesthetic(
        hours,
        anaesthetic=anaesthetic,
        expected_hours=expected_hours,
        threshold=threshold,
        reached=None if peak is None else peak >= threshold - 1e-9,
        open_ended=open_ended,
        more_to_come=later_prompts,
        reason=reason,
        could_last_hours=could_last_hours,
    )
    return AreaRelief(
        area=area,
        side=side,
        baseline=baseline,
        threshold=threshold,
        points=points,
        peak=peak,
        peak_minutes=peak_minutes,
        hours_at_threshold=hours,
        run_from_minutes=run_from,
        run_to_minutes=run_to,
        missed_in_run=missed_in_run,
        open_ended=open_ended,
        fit=fit,
        next_score_after_gap=next_after_gap,
    )


def _longest_run(points: Sequence[ReliefPoint], threshold: int) -> tuple[int, int] | None:
    """(first, last) indexes of the longest run at or above the threshold, the earliest on a tie.

    A run starts and ends on a scored point at or above the threshold; unscored points inside it
    do not break it; a scored point below the threshold does."""
    best: tuple[int, int] | None = None
    start = last = None
    for index, point in enumerate(points):
        if point.relief is None:
            continue
        if point.relief >= threshold - 1e-9:
            if start is None:
                start = index
            last = index
            continue
        best = _longer(best, start, last, points)
        start = last = None
    return _longer(best, start, last, points)


def _longer(
    best: tuple[int, int] | None, start: int | None, last: int | None, points: Sequence[ReliefPoint]
) -> tuple[int, int] | None:
    if start is None or last is None:
        return best
    if best is None:
        return (start, last)
    span = points[last].minutes - points[start].minutes
    best_span = points[best[1]].minutes - points[best[0]].minutes
    return (start, last) if span > best_span else best


def _last_scored(points: Sequence[ReliefPoint]) -> int:
    return max(index for index, point in enumerate(points) if point.score is not None)


def fit_anaesthetic(
    hours: float | None,
    *,
    anaesthetic: str | None,
    expected_hours: tuple[float, float] | None,
    threshold: int,
    reached: bool | None,
    open_ended: bool = False,
    more_to_come: bool = False,
    could_last_hours: float | None = None,
    reason: str = "",
) -> AnaestheticFit:
    """Compare the hours at or above the threshold with what the anaesthetic is expected to last
    (`expected_hours`, low to high), and answer the second part of the rule (`lasted`).

    In order:
    - no anaesthetic recorded, or no expected hours -> unknown, lasted cannot be told;
    - the duration cannot be worked out -> unknown (because of `reason`), cannot be told;
    - relief never reached the threshold -> not_reached, lasted no;
    - longer than the high end -> longer, lasted yes;
    - at least the low end: fits, lasted yes; but when the run reaches the last score and the
      prompts after it have no score (`open_ended`) -> unknown (it may have gone on past the
      high end), lasted still yes;
    - shorter than the low end: when `open_ended` -> unknown, cannot be told (it may have gone
      on); when the prompts right after the run were missed and the next score comes later
      than the low end (`could_last_hours`, counted from the run's start) -> unknown, cannot be
      told; otherwise shorter, lasted no.
    `more_to_come`: the schedule has prompts after the last one recorded (the diary is still
    running), which only changes the words.
    """

    def verdict(name: str, lasted: bool | None = None) -> AnaestheticFit:
        return AnaestheticFit(
            name,
            anaesthetic,
            expected_hours,
            lasted,
            threshold,
            hours,
            reason,
            open_ended,
            more_to_come,
            could_last_hours,
        )

    if anaesthetic is None or expected_hours is None or hours is None:
        return verdict(UNKNOWN)
    low, high = expected_hours
    if not reached:
        return verdict(NOT_REACHED, lasted=False)
    if hours > high + 1e-9:
        return verdict(LONGER, lasted=True)
    if hours >= low - 1e-9:
        return verdict(UNKNOWN if open_ended else FITS, lasted=True)
    if open_ended or (could_last_hours is not None and could_last_hours > low + 1e-9):
        return verdict(UNKNOWN)
    return verdict(SHORTER, lasted=False)


# --- two blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaComparison:
    """Two blocks' results for one area and side, part by part.

    `both_parts`: True when both blocks met both parts of the rule (reached the threshold, and
    lasted as long as their anaesthetic is expected to); False when either block did not meet
    a part; None otherwise (a part cannot be told, and no part was shown not met).
    `first_met`, `second_met`: each block's `met_both_parts`.
    `anaesthetics_compared`: `both_parts` is True and one block used lidocaine and the other
    bupivacaine, so the comparison asks whether relief lasted longer after bupivacaine;
    `concordant` answers (None: it cannot be told, or the question does not apply)."""

    area: str
    side: str
    first: AreaRelief
    second: AreaRelief
    first_anaesthetic: str | None
    second_anaesthetic: str | None
    first_met: bool | None
    second_met: bool | None
    both_parts: bool | None
    anaesthetics_compared: bool
    concordant: bool | None

    @property
    def label(self) -> str:
        return area_label(self.area, self.side)


@dataclass(frozen=True)
class BlockComparison:
    first: BlockAnalysis
    second: BlockAnalysis
    areas: tuple[AreaComparison, ...]

    @property
    def both_parts(self) -> bool | None:
        """Both blocks met both parts in every shared area (False when any area did not; None
        when one cannot be told or no area is shared)."""
        values = [a.both_parts for a in self.areas]
        if False in values:
            return False
        if not values or None in values:
            return None
        return True


def compare_blocks(first: BlockAnalysis, second: BlockAnalysis) -> BlockComparison:
    """Compare two blocks area by area (the areas and sides both diaries have)."""
    areas = []
    for one in first.areas:
        other = second.area(one.area, one.side)
        if other is not None:
            areas.append(_comparison(one, other, first.anaesthetic, second.anaesthetic))
    return BlockComparison(first, second, tuple(areas))


def met_both_parts(relief: AreaRelief) -> bool | None:
    """Both parts of the rule for one block: False when either part was not met, None when
    either cannot be told (and none was missed)."""
    parts = (relief.reached_threshold, relief.lasted_as_expected)
    if False in parts:
        return False
    return None if None in parts else True


def _comparison(
    one: AreaRelief, other: AreaRelief, first_drug: str | None, second_drug: str | None
) -> AreaComparison:
    first_met, second_met = met_both_parts(one), met_both_parts(other)
    met = (first_met, second_met)
    both = False if False in met else None if None in met else True
    drugs = {first_drug: one, second_drug: other}
    compared = bool(both) and set(drugs) == {SHORT_ACTING, LONG_ACTING}
    concordant = None
    if compared:
        short, long_ = drugs[SHORT_ACTING], drugs[LONG_ACTING]
        long_hours, short_hours = long_.hours_at_threshold or 0.0, short.hours_at_threshold or 0.0
        if long_hours > _at_most_hours(short) + 1e-9:
            concordant = True
        elif _at_most_hours(long_) <= short_hours + 1e-9:
            concordant = False
    return AreaComparison(
        one.area,
        one.side,
        one,
        other,
        first_drug,
        second_drug,
        first_met,
        second_met,
        both,
        compared,
        concordant,
    )


def _at_most_hours(relief: AreaRelief) -> float:
    """The longest the relief at or above the threshold can have lasted: unbounded when it was
    still there at the last score; up to the first score after prompts missed right after the
    run; else the hours measured."""
    if relief.open_ended:
        return math.inf
    if relief.next_score_after_gap is not None:
        return (relief.next_score_after_gap - (relief.run_from_minutes or 0)) / 60
    return relief.hours_at_threshold or 0.0


# --- labels and durations ----------------------------------------------------------------------
# (the checks and labels above use them; the sentences about the results are in
# block_diary_words)

# Shown through _(): one phrase per place and per side, as each language says them.
AREA_SIDE_LABELS = {
    "left": N_("{area}, left side"),
    "right": N_("{area}, right side"),
    "both": N_("{area}, both sides"),
}


def area_label(area: str, side: str) -> str:
    """ "Lower back, right side", "Neck, both sides"."""
    name = _(AREAS[area]) if area in AREAS else area
    return _(AREA_SIDE_LABELS[side]).format(area=name) if side in AREA_SIDE_LABELS else name


def minutes_words(minutes: int) -> str:
    """15 -> "15 minutes", 60 -> "1 hour", 90 -> "1 hour 30 minutes"."""
    return duration_words(minutes)


def duration_words(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    hour_words = ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    minute_words = ngettext("{count} minute", "{count} minutes", rest).format(count=rest)
    if hours and rest:
        return _("{hours} {minutes}").format(hours=hour_words, minutes=minute_words)
    return hour_words if hours else minute_words


# --- which block ----------------------------------------------------------------------------------

BLOCK_SOON = timedelta(hours=24)


def diary_block(procedures: Iterable[Any], now: datetime) -> Any | None:
    """The block a diary is about at `now`: the latest live block that starts within
    `BLOCK_SOON` (24 hours) from now or has started; else the next one; None without blocks.

    `procedures` are `app.domain.plan.Procedure`s."""
    blocks = [p for p in procedures if p.is_block and not p.cancelled]
    started = [p for p in blocks if p.at <= now + BLOCK_SOON]
    if started:
        return max(started, key=lambda p: (p.at, p.id or 0))
    return min(blocks, key=lambda p: (p.at, p.id or 0), default=None)
