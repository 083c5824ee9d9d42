"""Every diary entry as one CSV, and the reader that parses it back.

One row per record, `record` saying which: `diary` (the everyday pain diary), `block_baseline`,
`block_prompt` (answered or `missed`), `block_paper` (one score entered from the clinic's paper
diary, at its own `minutes` after the block; `paper` is 1 on these rows and only these),
`outcome` (the pre-RFA baseline is week 0). Instants are
UTC ISO-8601 with the local time and the IANA zone beside them. Area scores are written as
`area:side:score` joined by "; " (as `diary list --format csv` does); `relief` gives each
prompt's relief in percent per area, `area:side:percent` (empty when it cannot be worked out);
the reader skips it and `local_time`, which are derived. The file is UTF-8 with a byte-order
mark so spreadsheet programs read every script. Cells are written by the one CSV writer
(`app.services.safe_text.SafeCsvWriter`): free text that starts with = + - @, a tab or a carriage
return (which a spreadsheet would run as a formula) or with ' is written with a leading '.

The column names and the codes in the cells (`record` kinds, areas, sides) are English in every
language, on purpose: a clinic imports this file into its own systems by those names, and a
column renamed by the patient's language setting would break an import that worked yesterday.
What the patient typed stays as typed. (The PDF is the report for people to read; it follows the
languages.)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING

from app.domain.block_diary import Baseline, PaperScore, PromptEntry, relief_percent
from app.domain.diary import AreaScore, PainEntry
from app.domain.outcomes import OutcomeCheckIn, Peg
from app.i18n import _
from app.services.safe_text import SafeCsvWriter, from_spreadsheet_cell

if TYPE_CHECKING:
    from app.services.reports import Progress, ReportData

COLUMNS = [
    "record",
    "id",
    "procedure_id",
    "minutes",
    "week",
    "at_utc",
    "local_time",
    "zone",
    "score",
    "areas",
    "relief",
    "activity",
    "medication",
    "medication_at_utc",
    "note",
    "missed",
    "paper",
    "at_clinic",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "peg_score",
]


@dataclass
class CsvContents:
    diary: list[PainEntry] = field(default_factory=list)
    baselines: list[tuple[int, Baseline]] = field(default_factory=list)  # (procedure id, ...)
    prompts: list[PromptEntry] = field(default_factory=list)
    papers: list[PaperScore] = field(default_factory=list)
    outcomes: list[OutcomeCheckIn] = field(default_factory=list)


def write_report_csv(
    out: IO[str],
    data: ReportData,
    *,
    diary_entries: Iterable[PainEntry] = (),
    diary_count: int = 0,
    progress: Progress | None = None,
) -> None:
    writer = SafeCsvWriter(out, COLUMNS)
    writer.writeheader()
    report = progress or (lambda fraction, message: None)
    for index, entry in enumerate(diary_entries):
        writer.writerow(_diary_row(entry))
        if index % 2000 == 0:
            report(0.8 * index / max(diary_count, 1), _("Writing the pain diary"))
    report(0.8, _("Writing the block diaries"))
    for block in data.blocks:
        baseline_of = {(b.area, b.side): b.score for b in block.baselines}
        for baseline in block.baselines:
            writer.writerow(_baseline_row(block.procedure.id, baseline))
        for prompt in block.entries:
            writer.writerow(_prompt_row(prompt, baseline_of))
        for paper in block.papers:
            writer.writerow(_paper_row(paper, baseline_of))
    report(0.9, _("Writing the check-ins"))
    for rfa in data.rfas:
        for checkin in rfa.checkins:
            writer.writerow(_outcome_row(checkin))
    report(1.0, _("CSV written"))


def read_report_csv(source: IO[str]) -> CsvContents:
    """Parse a file `write_report_csv` wrote back into domain objects."""
    contents = CsvContents()
    for row in csv.DictReader(source):
        record = row["record"]
        if record == "diary":
            contents.diary.append(
                PainEntry(
                    id=_int(row["id"]),
                    score=int(row["score"]),
                    at=_instant(row["at_utc"]),
                    zone=row["zone"],
                    areas=_areas(row["areas"]),
                    activity=from_spreadsheet_cell(row["activity"]),
                    medication=from_spreadsheet_cell(row["medication"]),
                    medication_at=_instant(row["medication_at_utc"])
                    if row["medication_at_utc"]
                    else None,
                    note=from_spreadsheet_cell(row["note"]),
                )
            )
        elif record == "block_baseline":
            [area] = _areas(row["areas"])
            contents.baselines.append(
                (
                    int(row["procedure_id"]),
                    Baseline(
                        area=area.area,
                        side=area.side,
                        score=area.score,
                        at=_instant(row["at_utc"]),
                        zone=row["zone"],
                        activity=from_spreadsheet_cell(row["activity"]),
                        at_clinic=row["at_clinic"] == "1",
                    ),
                )
            )
        elif record == "block_prompt":
            contents.prompts.append(
                PromptEntry(
                    id=_int(row["id"]),
                    procedure_id=int(row["procedure_id"]),
                    minutes=int(row["minutes"]),
                    at=_instant(row["at_utc"]),
                    zone=row["zone"],
                    scores=_areas(row["areas"]),
                    activity=from_spreadsheet_cell(row["activity"]),
                    missed=row["missed"] == "1",
                )
            )
        elif record == "block_paper":
            [area] = _areas(row["areas"])
            contents.papers.append(
                PaperScore(
                    id=_int(row["id"]),
                    procedure_id=int(row["procedure_id"]),
                    at=_instant(row["at_utc"]),
                    zone=row["zone"],
                    minutes=int(row["minutes"]),
                    area=area.area,
                    side=area.side,
                    score=area.score,
                    activity=from_spreadsheet_cell(row["activity"]),
                )
            )
        elif record == "outcome":
            peg = None
            if row["peg_pain"]:
                peg = Peg(int(row["peg_pain"]), int(row["peg_enjoyment"]), int(row["peg_activity"]))
            contents.outcomes.append(
                OutcomeCheckIn(
                    id=_int(row["id"]),
                    procedure_id=int(row["procedure_id"]),
                    week=int(row["week"]),
                    at=_instant(row["at_utc"]),
                    zone=row["zone"],
                    pain=int(row["score"]),
                    peg=peg,
                    note=from_spreadsheet_cell(row["note"]),
                )
            )
        else:
            raise ValueError(f"Unknown record kind {record!r} in the CSV.")
    return contents


def _base(record: str, at: datetime, zone: str, local: datetime) -> dict:
    return {
        "record": record,
        "at_utc": at.isoformat(),
        "local_time": local.isoformat(),
        "zone": zone,
    }


def _diary_row(entry: PainEntry) -> dict:
    return {
        **_base("diary", entry.at, entry.zone, entry.local_at),
        "id": entry.id,
        "score": entry.score,
        "areas": _areas_text(entry.areas),
        "activity": entry.activity,
        "medication": entry.medication,
        "medication_at_utc": entry.medication_at.isoformat() if entry.medication_at else "",
        "note": entry.note,
    }


def _baseline_row(procedure_id: int | None, baseline: Baseline) -> dict:
    from zoneinfo import ZoneInfo

    return {
        **_base(
            "block_baseline",
            baseline.at,
            baseline.zone,
            baseline.at.astimezone(ZoneInfo(baseline.zone)),
        ),
        "procedure_id": procedure_id,
        "score": baseline.score,
        "areas": f"{baseline.area}:{baseline.side}:{baseline.score}",
        "activity": baseline.activity,
        "at_clinic": int(baseline.at_clinic),
    }


def _prompt_row(entry: PromptEntry, baseline_of: dict[tuple[str, str], int]) -> dict:
    reliefs = []
    for score in entry.scores:
        baseline = baseline_of.get((score.area, score.side))
        value = relief_percent(baseline, score.score) if baseline is not None else None
        reliefs.append(f"{score.area}:{score.side}:{'' if value is None else round(value, 1)}")
    return {
        **_base("block_prompt", entry.at, entry.zone, entry.local_at),
        "id": entry.id,
        "procedure_id": entry.procedure_id,
        "minutes": entry.minutes,
        "areas": _areas_text(entry.scores),
        "relief": "; ".join(reliefs),
        "activity": entry.activity,
        "missed": int(entry.missed),
        "paper": 0,
    }


def _paper_row(paper: PaperScore, baseline_of: dict[tuple[str, str], int]) -> dict:
    baseline = baseline_of.get((paper.area, paper.side))
    value = relief_percent(baseline, paper.score) if baseline is not None else None
    return {
        **_base("block_paper", paper.at, paper.zone, paper.local_at),
        "id": paper.id,
        "procedure_id": paper.procedure_id,
        "minutes": paper.minutes,
        "score": paper.score,
        "areas": f"{paper.area}:{paper.side}:{paper.score}",
        "relief": f"{paper.area}:{paper.side}:{'' if value is None else round(value, 1)}",
        "activity": paper.activity,
        "paper": 1,
    }


def _outcome_row(checkin: OutcomeCheckIn) -> dict:
    peg = checkin.peg
    return {
        **_base("outcome", checkin.at, checkin.zone, checkin.local_at),
        "id": checkin.id,
        "procedure_id": checkin.procedure_id,
        "week": checkin.week,
        "score": checkin.pain,
        "note": checkin.note,
        "peg_pain": peg.pain if peg else "",
        "peg_enjoyment": peg.enjoyment if peg else "",
        "peg_activity": peg.activity if peg else "",
        "peg_score": peg.score if peg else "",
    }


def _areas_text(areas: Iterable[AreaScore]) -> str:
    return "; ".join(f"{a.area}:{a.side}:{a.score}" for a in areas)


def _areas(text: str) -> tuple[AreaScore, ...]:
    found = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        area, side, score = part.split(":")
        found.append(AreaScore(area, side, int(score)))
    return tuple(found)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _int(text: str) -> int | None:
    return int(text) if text else None
