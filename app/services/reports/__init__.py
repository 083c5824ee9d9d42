"""Reports the clinic reads: a one-minute PDF, a CSV of every diary entry, and an HL7 FHIR R4
Bundle. `collect_report` gathers what they show once; `export_report` writes one of them to a
file the user chose, through a temporary file beside it so a half-written report never appears.

Every exporter takes an optional `progress(fraction, message)` callback, fraction from 0 to 1.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.store.connection import Database

from app.domain.block_diary import (
    Baseline,
    BlockAnalysis,
    BlockComparison,
    PromptEntry,
    summary_sentence,
)
from app.domain.clinic import ClinicSettings
from app.domain.outcomes import OutcomeCheckIn, OutcomeTrend
from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.services.block_diary import BlockDiaryService, OutcomeService
from app.services.pathways import PathwayService
from app.store.block_diary_repository import PatientRepository
from app.store.settings_repository import SettingsRepository

Progress = Callable[[float, str], None]
FORMATS = {"pdf": ".pdf", "csv": ".csv", "fhir": ".json"}


def no_progress(fraction: float, message: str) -> None:
    """The default progress callback: does nothing."""


@dataclass(frozen=True)
class BlockReport:
    procedure: Procedure
    baselines: tuple[Baseline, ...]
    entries: tuple[PromptEntry, ...]
    analysis: BlockAnalysis

    @property
    def sentence(self) -> str:
        return summary_sentence(self.analysis)


@dataclass(frozen=True)
class RfaReport:
    procedure: Procedure
    checkins: tuple[OutcomeCheckIn, ...]
    trend: OutcomeTrend


@dataclass(frozen=True)
class ReportData:
    generated_at: datetime
    zone: str
    patient: PatientDetails
    clinic: ClinicSettings
    procedures: tuple[Procedure, ...]  # live ones, oldest first
    blocks: tuple[BlockReport, ...]
    comparisons: tuple[BlockComparison, ...]
    rfas: tuple[RfaReport, ...]


def collect_report(db: Database, *, now: datetime, zone: str,
                   pathways: PathwayService | None = None) -> ReportData:
    """Everything a report shows. Prompts that closed unanswered are recorded as missed first."""
    settings = SettingsRepository(db)
    pathways = pathways or PathwayService(settings)
    diary = BlockDiaryService(db, pathways)
    outcomes = OutcomeService(db, pathways)
    procedures = tuple(diary.plans.procedures())
    blocks, comparisons, seen = [], [], set()
    for procedure in procedures:
        if not procedure.is_block:
            continue
        if procedure.at <= now:
            diary.state(procedure.id, now)
        blocks.append(BlockReport(procedure, tuple(diary.baselines(procedure.id)),
                                  tuple(diary.entries(procedure.id)),
                                  diary.analysis(procedure.id)))
        other = diary.paired_block(procedure.id)
        if other is not None and other.id not in seen:
            comparison = diary.comparison(procedure.id)
            if comparison is not None:
                comparisons.append(comparison)
        seen.add(procedure.id)
    rfas = tuple(
        RfaReport(p, tuple(outcomes.checkins(p.id)), outcomes.trend(p.id))
        for p in procedures if p.kind == "rfa"
    )
    return ReportData(
        generated_at=now, zone=zone, patient=PatientRepository(db).details(),
        clinic=settings.clinic(), procedures=procedures, blocks=tuple(blocks),
        comparisons=tuple(comparisons), rfas=rfas,
    )


def default_filename(fmt: str, now: datetime) -> str:
    """"facet-report-2026-03-10.pdf" (".json" for FHIR)."""
    return f"facet-report-{now:%Y-%m-%d}{FORMATS[fmt]}"


def export_report(db: Database, fmt: str, out: str | os.PathLike, *, now: datetime,
                  zone: str, progress: Progress | None = None) -> Path:
    """Write the report in `fmt` (pdf, csv or fhir) to the file `out`, or into `out` with
    `default_filename` when it is a folder. Returns the file written."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}; choose pdf, csv or fhir.")
    progress = progress or no_progress
    path = Path(out)
    if path.is_dir():
        path = path / default_filename(fmt, now)
    progress(0.0, "Gathering the diary")
    data = collect_report(db, now=now, zone=zone)
    progress(0.1, "Writing the report")

    def scaled(fraction: float, message: str) -> None:
        progress(0.1 + 0.85 * fraction, message)

    with _atomic_file(path) as temp:
        if fmt == "pdf":
            from app.services.reports.pdf_report import write_pdf

            write_pdf(data, temp, progress=scaled)
        elif fmt == "csv":
            from app.services.reports.csv_export import write_report_csv
            from app.store.diary_repository import DiaryRepository

            diary = DiaryRepository(db)
            with open(temp, "w", encoding="utf-8-sig", newline="") as file:
                write_report_csv(file, data, diary_entries=diary.since(),
                                 diary_count=diary.count(), progress=scaled)
        else:
            from app.services.reports.fhir_export import write_fhir

            write_fhir(data, temp, progress=scaled)
    progress(1.0, f"Saved {path.name}")
    return path


class _atomic_file:
    """A temporary path beside `path`, moved onto it only when the block ends without error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.close(handle)
        self.temp = Path(name)
        return self.temp

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            os.replace(self.temp, self.path)
        else:
            self.temp.unlink(missing_ok=True)
