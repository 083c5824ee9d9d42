"""Reports the clinic reads: a one-minute PDF, a CSV of every diary entry, and an HL7 FHIR R4
Bundle. `collect_report` gathers what they show once; `export_report` writes one of them to a
file the user chose, written whole (`app.store.files.atomic_file`: a half-written report never
appears, and one a crash interrupted is cleaned away at the next start), never inside the data
folder, and over an existing file only when asked.

Every exporter takes an optional `progress(fraction, message)` callback, fraction from 0 to 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from app.domain.block_diary import (
    Baseline,
    BlockAnalysis,
    BlockComparison,
    PaperScore,
    PromptEntry,
)
from app.domain.block_diary_words import summary_sentence
from app.domain.clinic import ClinicSettings
from app.domain.outcomes import OutcomeCheckIn, OutcomeTrend
from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.domain.trend import DaySummary
from app.i18n import _
from app.services.block_diary import BlockDiaryService, OutcomeService
from app.services.pathways import PathwayService
from app.store.block_diary_repository import PatientRepository
from app.store.connection import Database
from app.store.diary_repository import DiaryRepository
from app.store.files import IfExists, atomic_file, database_folder
from app.store.settings_repository import SettingsRepository

Progress = Callable[[float, str], None]
FORMATS = {"pdf": ".pdf", "csv": ".csv", "fhir": ".json"}
# The everyday diary shown around each block: the days before it, and the two weeks after that
# clinics ask patients to score once a day.
DAYS_BEFORE_BLOCK = 7
DAYS_AFTER_BLOCK = 14


def no_progress(fraction: float, message: str) -> None:
    """The default progress callback: does nothing."""


@dataclass(frozen=True)
class BlockReport:
    procedure: Procedure
    baselines: tuple[Baseline, ...]
    entries: tuple[PromptEntry, ...]
    analysis: BlockAnalysis
    papers: tuple[PaperScore, ...] = ()  # scores entered from the paper diary
    days: tuple[DaySummary, ...] = ()  # the everyday diary around the block, by local day

    @property
    def sentence(self) -> str:
        return summary_sentence(self.analysis)

    @property
    def has_diary(self) -> bool:
        """Anything to show of the timed diary: a baseline or a scored or missed point."""
        return bool(self.analysis.areas)


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


def collect_report(
    db: Database, *, now: datetime, zone: str, pathways: PathwayService | None = None
) -> ReportData:
    """Everything a report shows. Prompts that closed unanswered are recorded as missed first."""
    settings = SettingsRepository(db)
    pathways = pathways or PathwayService(settings)
    diary = BlockDiaryService(db, pathways)
    outcomes = OutcomeService(db, pathways)
    procedures = tuple(diary.plans.procedures())
    days = DiaryRepository(db).day_summaries()
    blocks, comparisons, seen = [], [], set()
    for procedure in procedures:
        if not procedure.is_block:
            continue
        block_id = procedure.saved_id
        if procedure.at <= now:
            diary.state(block_id, now)
        blocks.append(
            BlockReport(
                procedure,
                tuple(diary.baselines(block_id)),
                tuple(diary.entries(block_id)),
                diary.analysis(block_id),
                tuple(diary.paper_scores(block_id)),
                days_around(days, procedure.local_date),
            )
        )
        other = diary.paired_block(block_id)
        if other is not None and other.id not in seen:
            comparison = diary.comparison(block_id)
            if comparison is not None:
                comparisons.append(comparison)
        seen.add(block_id)
    rfas = tuple(
        RfaReport(p, tuple(outcomes.checkins(p.saved_id)), outcomes.trend(p.saved_id))
        for p in procedures
        if p.kind == "rfa"
    )
    return ReportData(
        generated_at=now,
        zone=zone,
        patient=PatientRepository(db).details(),
        clinic=settings.clinic(),
        procedures=procedures,
        blocks=tuple(blocks),
        comparisons=tuple(comparisons),
        rfas=rfas,
    )


def days_around(days: list[DaySummary], block_day: date) -> tuple[DaySummary, ...]:
    """The everyday diary's days from `DAYS_BEFORE_BLOCK` before the block's day to
    `DAYS_AFTER_BLOCK` after it."""
    first = block_day - timedelta(days=DAYS_BEFORE_BLOCK)
    last = block_day + timedelta(days=DAYS_AFTER_BLOCK)
    return tuple(d for d in days if first <= d.day <= last)


def default_filename(fmt: str, now: datetime) -> str:
    """ "facet-report-2026-03-10.pdf" (".json" for FHIR)."""
    return f"facet-report-{now:%Y-%m-%d}{FORMATS[fmt]}"


def export_report(
    db: Database,
    fmt: str,
    out: str | os.PathLike,
    *,
    now: datetime,
    zone: str,
    progress: Progress | None = None,
    if_exists: IfExists = "refuse",
    clinic_language: str | None = None,
) -> Path:
    """Write the report in `fmt` (pdf, csv or fhir) to the file `out`, or into `out` with
    `default_filename` when it is a folder. Returns the file written.

    An existing file is refused (FileExistsError), replaced or kept with the report saved under
    the next free name, as `if_exists` says; a file in the diary's own folder is refused
    (`DestinationRefused`) before anything is written.

    The PDF's clinician fields are in `clinic_language` (when None, the clinic's report language
    setting, which is the patient's language until the clinic chooses one), its
    sentences for the patient in the patient's (the current) language. The CSV's column names
    and codes stay English whatever the language: clinics import it by those names (see
    csv_export). The FHIR Bundle's codes are standard; its display texts stay English."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}; choose pdf, csv or fhir.")
    progress = progress or no_progress
    path = Path(out)
    if path.is_dir():
        path = path / default_filename(fmt, now)
    # Entered before gathering: a refused destination is said before anything is done.
    with atomic_file(path, if_exists=if_exists, data_dir=database_folder(db.conn)) as target:
        progress(0.0, _("Gathering the diary"))
        data = collect_report(db, now=now, zone=zone)
        progress(0.1, _("Writing the report"))

        def scaled(fraction: float, message: str) -> None:
            progress(0.1 + 0.85 * fraction, message)

        if fmt == "pdf":
            from app.services.language import clinic_language as clinic_setting
            from app.services.reports.pdf_report import write_pdf

            write_pdf(
                data,
                target.temp,
                progress=scaled,
                clinic_language=clinic_language or clinic_setting(SettingsRepository(db)),
            )
        elif fmt == "csv":
            from app.services.reports.csv_export import write_report_csv

            diary = DiaryRepository(db)
            with open(target.temp, "w", encoding="utf-8-sig", newline="") as file:
                write_report_csv(
                    file,
                    data,
                    diary_entries=diary.since(),
                    diary_count=diary.count(),
                    progress=scaled,
                )
        else:
            from app.services.reports.fhir_export import write_fhir

            write_fhir(
                data, target.temp, diary_entries=DiaryRepository(db).since(), progress=scaled
            )
    progress(1.0, _("Saved {file}").format(file=target.path.name))
    return target.path
