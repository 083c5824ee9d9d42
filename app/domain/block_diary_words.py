"""The block diary's results in words: what the analysis found, for the patient and the clinic.

app/domain/block_diary.py works out the numbers and the rule's answers (`analyse_block`,
`compare_blocks`) and keeps them as facts; this module says them. For the patient, in their
language and in neutral words that describe the diary and leave the meaning to the care team:
`area_sentence`, `summary_sentence`, `anaesthetic_sentence`, and `diary_instructions` while the
diary runs. For the clinic's report and the command line, in English with the numbers behind
them: `area_notes`, `fit_explanation`, `parts_words` and the two blocks' `comparison_words`.
Nothing here decides anything: each sentence follows the verdict or the facts it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.domain.block_diary import (
    FITS,
    LONG_ACTING,
    LONGER,
    NOT_REACHED,
    SHORT_ACTING,
    SHORTER,
    UNKNOWN,
    WHY_NO_BASELINE,
    WHY_NO_SCORES,
    WHY_ONE_SCORE,
    WHY_ZERO_BASELINE,
    AnaestheticFit,
    AreaComparison,
    AreaRelief,
    BlockAnalysis,
    BlockComparison,
    Prompt,
    duration_words,
    minutes_words,
)
from app.i18n import N_, _, ngettext

ANAESTHETIC_WORDS = {SHORT_ACTING: "lidocaine", LONG_ACTING: "bupivacaine"}
CARE_TEAM = N_("Your care team will go through it with you.")  # shown through _()
KEEP_TAKING = N_("Keep taking any medicine you were told not to stop.")  # shown through _()

# Why the duration cannot be worked out (`AnaestheticFit.reason`), in the clinic's words.
REASON_WORDS = {
    WHY_NO_BASELINE: "there is no usual pain (baseline) to compare with",
    WHY_ZERO_BASELINE: "the usual pain was 0",
    WHY_NO_SCORES: "no scores were recorded",
    WHY_ONE_SCORE: "only one score was recorded",
}
TOO_FEW_SCORES = "there are too few scores"

# Shown through _(): one phrase per place and per side, as each language says them.
WHERE_PLACES = {
    "lower_back": N_("in your lower back"),
    "neck": N_("in your neck"),
    "buttock": N_("in your buttock"),
    "leg": N_("in your leg"),
    "arm": N_("in your arm"),
    "between_shoulders": N_("between your shoulders"),
    "head": N_("in your head"),
}
WHERE_SIDES = {
    "left": N_("{place} on the left"),
    "right": N_("{place} on the right"),
    "both": N_("{place} on both sides"),
}


# --- numbers ------------------------------------------------------------------------------------


def percent_text(value: float) -> str:
    """A whole percentage, halves rounded up: 87.5 -> "88%"."""
    return f"{math.floor(value + 0.5)}%"


def relief_words(relief: float | None) -> str:
    """ "75% relief", "no change", "40% more pain than usual", "not worked out"."""
    if relief is None:
        return _("not worked out")
    if relief < 0:
        return _("{percent} more pain than usual").format(percent=percent_text(-relief))
    if abs(relief) < 1e-9:
        return _("no change")
    return _("{percent} relief").format(percent=percent_text(relief))


def hours_range_words(low: float, high: float) -> str:
    if low == high:
        return ngettext("{count} hour", "{count} hours", 1 if low == 1 else 2).format(
            count=f"{low:g}"
        )
    return _("{low} to {high} hours").format(low=f"{low:g}", high=f"{high:g}")


def _where(area: str, side: str) -> str:
    """ "in your lower back on the right", "between your shoulders on both sides"."""
    place = _(WHERE_PLACES[area]) if area in WHERE_PLACES else area
    return _(WHERE_SIDES[side]).format(place=place) if side in WHERE_SIDES else place


# --- for the patient ----------------------------------------------------------------------------


def area_sentence(relief: AreaRelief) -> str:
    """One neutral sentence about one area and side (without the care-team line)."""
    where = _where(relief.area, relief.side)
    if relief.baseline is None:
        return _(
            "No usual pain was recorded for the pain {where}, so relief there cannot be worked out."
        ).format(where=where)
    if relief.baseline == 0:
        return _(
            "Your usual pain {where} was 0, so relief in percent cannot be worked out; "
            "your scores are in the diary."
        ).format(where=where)
    if relief.peak is None:
        return _("Your diary has no scores for the pain {where} after the block.").format(
            where=where
        )
    if relief.peak <= 0:
        if (relief.lowest_relief or 0) < 0:
            return _(
                "Your diary shows more pain than usual {where} after the block (up to "
                "{percent} more)."
            ).format(where=where, percent=percent_text(-(relief.lowest_relief or 0)))
        return _("Your diary shows no relief {where}: the pain stayed at its usual level.").format(
            where=where
        )
    if relief.hours_at_threshold is None:
        point = relief.scored[0]
        return _(
            "Your diary has one score for the pain {where}: {relief} {duration} after the block."
        ).format(
            where=where, relief=relief_words(point.relief), duration=minutes_words(point.minutes)
        )
    if not relief.reached_threshold:
        return _("Your diary shows at most about {percent} relief {where}.").format(
            percent=percent_text(relief.peak), where=where
        )
    # The peak and the time at or above the threshold are two facts: the peak may be one score.
    peak = _(
        "Your diary shows up to about {percent} relief {where} ({duration} after the block)."
    ).format(
        percent=percent_text(relief.peak),
        where=where,
        duration=minutes_words(relief.peak_minutes or 0),
    )
    if relief.hours_at_threshold == 0:
        return (
            peak
            + " "
            + _("Relief was {threshold}% or more at one score only.").format(
                threshold=relief.threshold
            )
        )
    lasted = duration_words(round(relief.hours_at_threshold * 60))
    lasted_words = (
        _("Relief was {threshold}% or more for {duration} or more.")
        if relief.open_ended
        else _("Relief was {threshold}% or more for {duration}.")
    )
    return peak + " " + lasted_words.format(threshold=relief.threshold, duration=lasted)


def anaesthetic_sentence(analysis: BlockAnalysis) -> str:
    """What the numbing medicine usually lasts, and that both parts matter; "" when the block's
    anaesthetic or its expected hours are not recorded. A fact for the patient, not a verdict."""
    fit = next((a.fit for a in analysis.areas if a.fit.expected_hours), None)
    if fit is None or fit.expected_hours is None or not fit.anaesthetic:
        return ""
    name = ANAESTHETIC_WORDS.get(fit.anaesthetic, fit.anaesthetic)
    return _(
        "The numbing medicine used, {medicine}, usually works for about {hours}. Your "
        "clinic looks at both how much your pain eased and how long it stayed eased."
    ).format(medicine=name, hours=hours_range_words(*fit.expected_hours))


def summary_sentence(analysis: BlockAnalysis) -> str:
    """The whole block in neutral words, ending with the care team, e.g. "Your diary shows about
    85% relief in your lower back on the right for 3 hours. Your care team will go through it
    with you." """
    if not analysis.areas:
        return _("Your diary for this block holds no scores.") + " " + _(CARE_TEAM)
    return " ".join(area_sentence(a) for a in analysis.areas) + " " + _(CARE_TEAM)


def diary_instructions(prompts: Sequence[Prompt], clinic_pain_text: str = "") -> tuple[str, ...]:
    """What to keep in mind while the diary runs, in plain words.

    About pain medicine the app says only what the clinic entered (`clinic_pain_text`, its
    instruction about pain medicine around a block); without it, the patient is asked to follow
    what the clinic told them. Either way: keep taking anything they were told not to stop."""
    hours = duration_words(prompts[-1].minutes) if prompts else _("first hours")
    clinic_text = clinic_pain_text.strip()
    lines = [
        _(
            "Do the things that usually bring on your pain, and score that usual pain, not the "
            "needle site."
        ),
        _("Score each area and side on its own."),
        _("Please stay up and about: no napping for the {hours} of the diary.").format(hours=hours),
        _("About pain medicine, your clinic says: {clinic_text}").format(clinic_text=clinic_text)
        if clinic_text
        else _(
            "For pain medicine during the {hours} of the diary, follow what your clinic told you. "
            "If you are not sure, ask them."
        ).format(hours=hours),
        _(KEEP_TAKING),
    ]
    return tuple(lines)


# --- for the clinic -----------------------------------------------------------------------------


def area_notes(relief: AreaRelief) -> tuple[str, ...]:
    """What the clinic should know about one area's numbers: why relief cannot be worked out,
    pain worse than usual, missed prompts, and relief still there at the last score."""
    label = relief.label.lower()
    notes: list[str] = []
    if relief.baseline is None:
        notes.append(
            f"No usual pain (baseline) was recorded for {label}, so relief cannot be worked out."
        )
    elif relief.baseline == 0:
        notes.append(f"Relief in percent cannot be worked out when the usual pain was 0 ({label}).")
    elif not relief.scored:
        notes.append(f"No scores were recorded for {label} after the block.")
    else:
        if len(relief.scored) == 1:
            notes.append(
                f"Only one score was recorded for {label} "
                f"({minutes_words(relief.scored[0].minutes)} after the block), so how "
                "long relief lasted cannot be worked out."
            )
        if relief.worse_than_usual:
            notes.append(
                f"At times the pain was worse than usual ({label}: up to "
                f"{percent_text(-(relief.lowest_relief or 0))} more pain than usual)."
            )
    gaps = sum(1 for point in relief.points if point.missed)
    if gaps:
        notes.append(
            f"{gaps} prompt{'s were' if gaps != 1 else ' was'} missed or not scored "
            f"for {label}; missed prompts are shown as gaps, never filled in."
        )
    if relief.missed_in_run:
        notes.append(
            f"{relief.missed_in_run} missed prompt"
            f"{'s' if relief.missed_in_run != 1 else ''} fell inside the time at or "
            f"above {relief.threshold}%; the scores on both sides were at or above it, "
            "so that time is counted."
        )
    if relief.open_ended and relief.hours_at_threshold is not None:
        notes.append(
            f"Relief was still at or above {relief.threshold}% at the last score "
            f"({minutes_words(relief.run_to_minutes or 0)} after the block), so it may "
            "have lasted longer."
        )
    return tuple(notes)


def fit_explanation(fit: AnaestheticFit) -> str:
    """The verdict of `fit_anaesthetic` with the numbers behind it, e.g. "Relief at or above 80%
    lasted 3 hours; lidocaine usually lasts about 1 to 2 hours, so this is longer."."""
    if fit.anaesthetic is None or fit.expected_hours is None:
        return (
            "The anaesthetic used for this block is not recorded, so the time cannot be "
            "compared with how long it usually lasts."
        )
    name = ANAESTHETIC_WORDS.get(fit.anaesthetic, fit.anaesthetic)
    threshold = fit.threshold
    if fit.hours is None:
        because = REASON_WORDS.get(fit.reason, TOO_FEW_SCORES)
        return f"How long relief lasted cannot be worked out because {because}."
    if fit.verdict == NOT_REACHED:
        return (
            f"Relief did not reach {threshold}%, so there is no time at or above it to "
            f"compare with {name}."
        )
    expected = f"{name} usually lasts about {hours_range_words(*fit.expected_hours)}"
    lasted = duration_words(round(fit.hours * 60))
    if fit.verdict == LONGER:
        return f"Relief at or above {threshold}% lasted {lasted}; {expected}, so this is longer."
    if fit.verdict == FITS:
        return f"Relief at or above {threshold}% lasted {lasted}; {expected}, which fits."
    if fit.verdict == SHORTER:
        return f"Relief at or above {threshold}% lasted {lasted}; {expected}, so this is shorter."
    after = (
        "the diary has more questions to come"
        if fit.more_to_come
        else "the questions after it were missed"
    )
    if fit.verdict == UNKNOWN and fit.lasted:  # still going, already as long as expected
        return (
            f"Relief was still at or above {threshold}% at the last score, after {lasted}, "
            f"and {after}; {expected}, so it lasted at least as long as expected and may "
            "have lasted longer."
        )
    if fit.open_ended:
        when = "yet" if fit.more_to_come else "from the diary"
        return (
            f"Relief was still at or above {threshold}% at the last score, after {lasted}, "
            f"and {after}; {expected}, so whether it lasted that long cannot be told {when}."
        )
    could_last = duration_words(round((fit.could_last_hours or 0) * 60))
    return (
        f"Relief at or above {threshold}% lasted at least {lasted}; the questions right "
        f"after that were missed, so it may have lasted up to just under {could_last}; "
        f"{expected}, so whether it lasted that long cannot be told from the diary."
    )


def yes_no(value: bool | None) -> str:
    """ "yes", "no" or "can't tell"."""
    return {True: "yes", False: "no", None: "can't tell"}[value]


def parts_words(relief: AreaRelief) -> str:
    """Which parts of the rule one block met, with the numbers behind them, e.g. "reached 80%
    (peak 100%); at or above 80% for 45 minutes, and lidocaine usually lasts about 1 to 2
    hours: lasted as long as expected: no"."""
    threshold = relief.threshold
    fit = relief.fit
    if relief.reached_threshold is None:
        return f"relief cannot be worked out ({_lower_first(fit_explanation(fit))})"
    peak = percent_text(relief.peak or 0)
    if not relief.reached_threshold:
        return f"did not reach {threshold}% (peak {peak})"
    words = f"reached {threshold}% (peak {peak})"
    if relief.hours_at_threshold is None or fit.expected_hours is None:
        return (
            f"{words}; lasted as long as expected: can't tell "
            f"({_lower_first(fit_explanation(fit))})"
        )
    more = " or more" if relief.open_ended else ""
    name = ANAESTHETIC_WORDS.get(fit.anaesthetic or "", fit.anaesthetic or "")
    return (
        f"{words}; at or above {threshold}% for "
        f"{duration_words(round(relief.hours_at_threshold * 60))}{more}, and {name} usually "
        f"lasts about {hours_range_words(*fit.expected_hours)}: lasted as long as "
        f"expected: {yes_no(relief.lasted_as_expected)}"
    )


def concordance_words(comparison: AreaComparison) -> str:
    """Whether relief lasted longer after bupivacaine than after lidocaine, with both durations;
    "" when the question does not apply (`AreaComparison.anaesthetics_compared`)."""
    if not comparison.anaesthetics_compared:
        return ""
    drugs = {
        comparison.first_anaesthetic: comparison.first,
        comparison.second_anaesthetic: comparison.second,
    }
    long_hours = drugs[LONG_ACTING].hours_at_threshold or 0.0
    short_hours = drugs[SHORT_ACTING].hours_at_threshold or 0.0
    if comparison.concordant:
        ending = "longer after the longer-acting medicine (concordant)."
    elif comparison.concordant is False:
        ending = "not longer after the longer-acting medicine."
    else:
        ending = (
            "whether it lasted longer after the longer-acting medicine cannot be told, "
            "because missed or missing scores leave the end of the relief open."
        )
    return (
        f"Relief at or above {comparison.first.threshold}% lasted "
        f"{duration_words(round(long_hours * 60))} after bupivacaine and "
        f"{duration_words(round(short_hours * 60))} after lidocaine: {ending}"
    )


def comparison_words(comparison: AreaComparison) -> str:
    """Two blocks' results for one area and side, part by part, and what they have in common."""
    not_recorded = "anaesthetic not recorded"
    words = (
        f"{comparison.label}: first block ({comparison.first_anaesthetic or not_recorded}): "
        f"{parts_words(comparison.first)}. Second block "
        f"({comparison.second_anaesthetic or not_recorded}): "
        f"{parts_words(comparison.second)}."
    )
    if comparison.both_parts:
        words += " Both blocks met both parts: enough relief, for as long as expected."
    else:
        words += (
            f" Both parts met: first block {yes_no(comparison.first_met)}, second block "
            f"{yes_no(comparison.second_met)}."
        )
    concordance = concordance_words(comparison)
    return words + " " + concordance if concordance else words


def comparison_sentence(comparison: BlockComparison) -> str:
    """The two blocks compared, area by area, ending with the care team."""
    if not comparison.areas:
        return (
            "The two diaries have no area and side in common, so they cannot be "
            "compared. " + CARE_TEAM
        )
    return " ".join(comparison_words(a) for a in comparison.areas) + " " + CARE_TEAM


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:].rstrip(".")
