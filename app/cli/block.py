"""`python main.py block ...`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import click

from app.cli.common import _database, data_dir_option, input_problem, row_id
from app.cli.plan import procedure_record
from app.domain.diary import AREAS, SIDES
from app.domain.plan import Procedure
from app.services.clock import SystemClock

if TYPE_CHECKING:
    from app.domain.block_diary import AreaRelief, BlockAnalysis


@click.group()
def block() -> None:
    """The timed diary after a test block: the usual pain before it, and the relief summary."""


def _block_service(data_dir: str | None):
    from app.services.block_diary import BlockDiaryService

    return BlockDiaryService(_database(data_dir))


def _chosen_block(service, procedure_id: int | None, now: datetime) -> Procedure:
    if procedure_id is not None:
        try:
            return service.block(procedure_id)
        except LookupError as error:
            raise click.ClickException(str(error)) from error
    found = service.current_block(now)
    if found is None:
        raise click.ClickException(
            "There is no block in the plan yet; add one with plan add-procedure."
        )
    return found


# The domain's field names -> the options they came from, for messages.
OPTIONS = {
    "at": "--at",
    "score": "--score",
    "area": "--area",
    "side": "--side",
    "activity": "--activity",
}

procedure_option = click.option(
    "--procedure",
    "procedure_id",
    type=row_id,
    help="The block's id (default: the latest block that starts within a day or has started; "
    "else the next one).",
)


@block.command("baseline")
@click.option("--area", required=True, type=click.Choice(list(AREAS)), help="Where the pain is.")
@click.option("--side", required=True, type=click.Choice(list(SIDES)), help="Which side.")
@click.option(
    "--score", required=True, help="The usual pain during an activity that brings it on, 0 to 10."
)
@click.option(
    "--at",
    "at",
    help="When, ISO-8601 (default: now, or the block's time once it has "
    "started). Without a zone, local time.",
)
@click.option("--activity", default="", help="The activity that usually brings the pain on.")
@procedure_option
@data_dir_option
def block_baseline(area, side, score, at, activity, procedure_id, data_dir) -> None:
    """Save the usual pain for one area and side before a block, and print the block's id.
    A second baseline for the same area and side replaces the first."""
    from app.domain.block_diary import BlockDiaryInputError

    clock = SystemClock()
    service = _block_service(data_dir)
    chosen = _chosen_block(service, procedure_id, clock.now())
    raw = {"area": area, "side": side, "score": score, "at": at, "activity": activity}
    try:
        service.save_baseline(chosen.id, raw, now=clock.now(), zone=clock.zone())
    except BlockDiaryInputError as error:
        raise input_problem(error.errors, OPTIONS) from error
    click.echo(chosen.id)


@block.command("record")
@click.option(
    "--at",
    "at",
    required=True,
    help="The time written on the paper diary, ISO-8601 (for example "
    "2026-12-04T14:30). Without a zone, local time.",
)
@click.option("--area", required=True, help=f"Where the pain is: {', '.join(AREAS)}.")
@click.option("--side", required=True, help=f"Which side: {', '.join(SIDES)}.")
@click.option("--score", required=True, help="The pain score written on the paper, 0 to 10.")
@click.option("--activity", default="", help="What the patient was doing, as written.")
@procedure_option
@data_dir_option
def block_record(at, area, side, score, activity, procedure_id, data_dir) -> None:
    """Enter one score from the clinic's paper block diary, marked as entered from paper, and
    print the block's id. The time must fall after the block and before the diary ended; a
    second score for the same area and side at the same minute is refused. Live prompts keep
    their records: a missed prompt stays missed, and the paper score counts at its own time."""
    from app.domain.block_diary import BlockDiaryInputError
    from app.store.block_diary_repository import PaperScoreTakenError

    clock = SystemClock()
    service = _block_service(data_dir)
    chosen = _chosen_block(service, procedure_id, clock.now())
    raw = {"at": at, "scores": [{"area": area, "side": side, "score": score}], "activity": activity}
    try:
        service.record_paper(chosen.id, raw, now=clock.now(), zone=clock.zone())
    except BlockDiaryInputError as error:
        raise input_problem(error.errors, OPTIONS) from error
    except PaperScoreTakenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(chosen.id)


@block.command("summary")
@procedure_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@data_dir_option
def block_summary(procedure_id, output_format, data_dir) -> None:
    """Print one block's relief per area and side: relief against the baseline at every prompt,
    the peak, the hours at or above the clinic's threshold and whether they fit the anaesthetic.
    Prompts that closed unanswered are recorded as missed first.

    \b
    --format json prints one object:
      procedure: id, kind, region, side, levels, anaesthetic, at_utc, local_date,
        local_time, zone
      threshold_percent: 80 or 50;  expected_hours: [low, high] or null
      sentence: the whole block in neutral words
      areas: one per area and side, each with
        area, side, label, baseline (0-10 or null)
        entries: [{minutes, hours, at_utc, score, relief_percent, missed, source}]
          (score, relief_percent and at_utc are null for a missed prompt; source:
          prompt, paper (entered from the paper diary) or everyday (the everyday
          diary, logged during the diary's hours))
        peak_relief_percent, peak_minutes
        hours_at_or_above_threshold (null: cannot be worked out)
        run: {from_minutes, to_minutes, missed_inside, open_ended} or null
        next_score_after_gap_minutes: the first score after prompts missed right
          after the run (relief may have lasted until just before it), or null
        fits_anaesthetic (true, false or null), fit (fits, shorter, longer,
          not_reached or unknown), fit_explanation, notes, sentence
        the two parts of the rule (true, false, or null for "can't tell"):
          reached_threshold, lasted_as_expected, both_parts_met
      comparison: null, or the two blocks of the cycle compared:
        {first_procedure, second_procedure,
         both_blocks_met_both_parts (true, false or null),
         areas: [{area, side, label, first, second, both_blocks_met_both_parts,
                  concordant, concordance, explanation}], sentence}
        where first and second each hold: procedure, anaesthetic, expected_hours,
          peak_relief_percent, peak_minutes, hours_at_or_above_threshold,
          open_ended, reached_threshold, lasted_as_expected, both_parts_met,
          fit_explanation
        concordant is null unless both blocks met both parts with lidocaine for
        one and bupivacaine for the other; then true when relief lasted longer
        after bupivacaine, false when not, null when missed prompts leave it
        open; concordance says so in words (null when it does not apply)
    """
    from app.domain.block_diary import met_both_parts
    from app.domain.block_diary_words import (
        area_notes,
        area_sentence,
        comparison_sentence,
        comparison_words,
        concordance_words,
        fit_explanation,
        summary_sentence,
        yes_no,
    )

    clock = SystemClock()
    service = _block_service(data_dir)
    chosen = _chosen_block(service, procedure_id, clock.now())
    if chosen.at <= clock.now():
        service.state(chosen.id, clock.now())
    analysis = service.analysis(chosen.id)
    comparison = service.comparison(chosen.id)
    if output_format == "text":
        click.echo(f"{chosen.label}, {chosen.local_at:%Y-%m-%d %H:%M} ({chosen.zone})")
        for area in analysis.areas:
            hours = area.hours_at_threshold
            click.echo(
                f"  {area.label}: baseline {area.baseline}, peak "
                f"{'-' if area.peak is None else round(area.peak)}%, "
                f"{'-' if hours is None else f'{hours:g}'} h at or above "
                f"{area.threshold}%, fit: {area.fit.verdict}, reached: "
                f"{yes_no(area.reached_threshold)}, lasted as expected: "
                f"{yes_no(area.lasted_as_expected)}"
            )
        click.echo(summary_sentence(analysis))
        if comparison is not None:
            click.echo(comparison_sentence(comparison))
        return
    document = {
        "procedure": procedure_record(chosen),
        "threshold_percent": analysis.threshold,
        "anaesthetic": analysis.anaesthetic,
        "expected_hours": list(analysis.areas[0].fit.expected_hours)
        if analysis.areas and analysis.areas[0].fit.expected_hours
        else None,
        "sentence": summary_sentence(analysis),
        "areas": [
            {
                "area": area.area,
                "side": area.side,
                "label": area.label,
                "baseline": area.baseline,
                "entries": [
                    {
                        "minutes": p.minutes,
                        "hours": round(p.hours, 4),
                        "at_utc": p.at.isoformat() if p.at else None,
                        "score": p.score,
                        "relief_percent": None if p.relief is None else round(p.relief, 1),
                        "missed": p.missed,
                        "source": p.source,
                    }
                    for p in area.points
                ],
                "peak_relief_percent": None if area.peak is None else round(area.peak, 1),
                "peak_minutes": area.peak_minutes,
                "hours_at_or_above_threshold": area.hours_at_threshold,
                "run": None
                if area.run_from_minutes is None
                else {
                    "from_minutes": area.run_from_minutes,
                    "to_minutes": area.run_to_minutes,
                    "missed_inside": area.missed_in_run,
                    "open_ended": area.open_ended,
                },
                "next_score_after_gap_minutes": area.next_score_after_gap,
                "fits_anaesthetic": area.fit.fits,
                "fit": area.fit.verdict,
                "fit_explanation": fit_explanation(area.fit),
                "notes": list(area_notes(area)),
                "sentence": area_sentence(area),
                "reached_threshold": area.reached_threshold,
                "lasted_as_expected": area.lasted_as_expected,
                "both_parts_met": met_both_parts(area),
            }
            for area in analysis.areas
        ],
        "comparison": None
        if comparison is None
        else {
            "first_procedure": comparison.first.procedure_id,
            "second_procedure": comparison.second.procedure_id,
            "both_blocks_met_both_parts": comparison.both_parts,
            "areas": [
                {
                    "area": a.area,
                    "side": a.side,
                    "label": a.label,
                    "first": _rule_parts(comparison.first, a.first),
                    "second": _rule_parts(comparison.second, a.second),
                    "both_blocks_met_both_parts": a.both_parts,
                    "concordant": a.concordant,
                    "concordance": concordance_words(a) or None,
                    "explanation": comparison_words(a),
                }
                for a in comparison.areas
            ],
            "sentence": comparison_sentence(comparison),
        },
    }
    click.echo(json.dumps(document, ensure_ascii=False, indent=1))


def _rule_parts(analysis: BlockAnalysis, area: AreaRelief) -> dict:
    """One block's side of a comparison: the figures behind both parts of the rule."""
    from app.domain.block_diary import met_both_parts
    from app.domain.block_diary_words import fit_explanation

    return {
        "procedure": analysis.procedure_id,
        "anaesthetic": analysis.anaesthetic,
        "expected_hours": list(area.fit.expected_hours) if area.fit.expected_hours else None,
        "peak_relief_percent": None if area.peak is None else round(area.peak, 1),
        "peak_minutes": area.peak_minutes,
        "hours_at_or_above_threshold": area.hours_at_threshold,
        "open_ended": area.open_ended,
        "reached_threshold": area.reached_threshold,
        "lasted_as_expected": area.lasted_as_expected,
        "both_parts_met": met_both_parts(area),
        "fit_explanation": fit_explanation(area.fit),
    }
