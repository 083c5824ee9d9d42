"""What the screens are given: services for every change, and read-only queries.

A screen changes what is stored only through a service (`diary_service`, `plan_service`,
`block_diary`, `outcomes`, `kiosk`...), where the domain checks the input first and a change
that spans several stores is one transaction. A screen that only shows what is stored reads it
through a query object (`diary`, `plan`, `patient`), which cannot write. The one store a screen
writes directly is `settings`: plain preferences (text size, contrast, remembered folders) with
no rule to check, where a service would only pass each call on.

The ones the Today screen needs are made at start; the rest (block diary, outcomes, reports)
on first use, so their code is not loaded before the first frame.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from app.services.diary import DiaryService
from app.services.pathways import PathwayService
from app.services.plan import PlanService
from app.services.speech import Speaker
from app.store.connection import Database
from app.store.diary_repository import DiaryQueries
from app.store.plan_repository import PlanQueries
from app.store.settings_repository import SettingsRepository


class Services:
    def __init__(self, db: Database, clock, data_dir: Path, speech: Speaker | None = None) -> None:
        self.db = db
        self.speech = speech or Speaker()  # one voice for the app: a new reading stops the last
        self.clock = clock  # SystemClock or FixedClock: now() and zone()
        self.data_dir = data_dir
        self.diary = DiaryQueries(db)
        self.diary_service = DiaryService(db, clock)
        self.plan = PlanQueries(db)
        self.plan_service = PlanService(db, clock)
        self.settings = SettingsRepository(db)
        self.pathways = PathwayService(self.settings)
        self.reminders = None  # a ReminderService, started just after the first frame

    @cached_property
    def block_diary(self):
        from app.services.block_diary import BlockDiaryService

        return BlockDiaryService(self.db, self.pathways)

    @cached_property
    def outcomes(self):
        from app.services.block_diary import OutcomeService

        return OutcomeService(self.db, self.pathways)

    @cached_property
    def patient(self):
        from app.store.block_diary_repository import PatientQueries

        return PatientQueries(self.db)

    @cached_property
    def patient_service(self):
        from app.services.patient import PatientService

        return PatientService(self.db, self.clock)

    @cached_property
    def clinic(self):
        from app.services.clinic import ClinicService

        return ClinicService(self.db)

    @cached_property
    def kiosk(self):
        from app.services.kiosk import KioskService

        return KioskService(self.db, self.data_dir)

    @cached_property
    def reports(self):
        from app.services.report_writer import ReportWriter

        return ReportWriter(self.data_dir)
