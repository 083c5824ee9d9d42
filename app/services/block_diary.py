"""The block diary and the outcome check-ins as the UI and the CLI use them: the store, the
pathway's schedule and the clinic's settings put together. `now` and the zone come from the
caller (a `SystemClock` in the app)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain import block_diary as bd
from app.domain import block_diary_words as words
from app.domain.block_diary import (
    Baseline,
    BlockAnalysis,
    BlockComparison,
    DiaryState,
    PaperScore,
    Prompt,
    PromptEntry,
    TimedScore,
)
from app.domain.outcomes import (
    DueCheckIn,
    OutcomeCheckIn,
    OutcomeTrend,
    checkin_schedule,
    outcome_trend,
    validate_checkin,
)
from app.domain.pathway import Pathway
from app.domain.plan import Procedure
from app.i18n import _
from app.services.pathways import PathwayService
from app.store.block_diary_repository import BlockDiaryRepository, OutcomeRepository
from app.store.connection import Database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository


class BlockDiaryService:
    """One block's timed diary: baseline, prompts, missed prompts and the relief analysis."""

    def __init__(self, db: Database, pathways: PathwayService | None = None) -> None:
        self.plans = PlanRepository(db)
        self.store = BlockDiaryRepository(db)
        self.everyday = DiaryRepository(db)
        self.settings = SettingsRepository(db)
        self.pathways = pathways or PathwayService(self.settings)

    def block(self, procedure_id: int) -> Procedure:
        """The block with this id; LookupError when there is none or it is an RFA."""
        procedure = self.plans.procedure(procedure_id)
        if procedure is None:
            raise LookupError(f"There is no procedure {procedure_id}.")
        if not procedure.is_block:
            raise LookupError(
                f"Procedure {procedure_id} is an RFA, not a block; the timed "
                "diary is kept after a block."
            )
        return procedure

    def current_block(self, now) -> Procedure | None:
        """The block the diary is about at `now` (see `block_diary.diary_block`)."""
        return bd.diary_block(self.plans.procedures(), now)

    def pathway(self, procedure: Procedure) -> Pathway:
        return self.pathways.for_region(procedure.region)

    def prompts(self, procedure_id: int) -> tuple[Prompt, ...]:
        procedure = self.block(procedure_id)
        return bd.prompt_schedule(procedure.at, self.pathway(procedure).block_diary)

    def instructions(self, procedure_id: int) -> tuple[str, ...]:
        return words.diary_instructions(
            self.prompts(procedure_id), self.settings.clinic().pain_medicine_hold_text
        )

    def state(self, procedure_id: int, now) -> DiaryState:
        """Where the diary stands at `now`. Prompts that closed unanswered are recorded as
        missed here, so the state returned already shows them as missed records."""
        procedure = self.block(procedure_id)
        prompts = self.prompts(procedure_id)
        state = bd.diary_state(prompts, self.store.prompt_entries(procedure_id), now)
        if state.to_mark_missed:
            self.store.mark_missed(procedure_id, state.to_mark_missed, procedure.zone)
            state = bd.diary_state(prompts, self.store.prompt_entries(procedure_id), now)
        return state

    def baselines(self, procedure_id: int) -> list[Baseline]:
        return self.store.baselines(procedure_id)

    def save_baseline(
        self, procedure_id: int, raw: Mapping[str, Any], *, now, zone: str
    ) -> Baseline:
        """Check and save one area's usual pain (raises `BlockDiaryInputError`)."""
        procedure = self.block(procedure_id)
        baseline = bd.validate_baseline(raw, now=now, zone=zone, block_at=procedure.at)
        return self.store.save_baseline(procedure_id, baseline)

    def replace_baselines(self, procedure_id: int, baselines: list[Baseline]) -> None:
        """The usual pain page saved as a whole: places no longer chosen removed, the rest
        saved, in one transaction, so a save the storage refuses changes nothing."""
        keep = {(b.area, b.side) for b in baselines}
        with self.store.db.atomic():
            for old in self.store.baselines(procedure_id):
                if (old.area, old.side) not in keep:
                    self.store.remove_baseline(procedure_id, old.area, old.side)
            for baseline in baselines:
                self.store.save_baseline(procedure_id, baseline)

    def answer(self, procedure_id: int, raw: Mapping[str, Any], *, now, zone: str) -> PromptEntry:
        """Check and save the answer to the prompt open at `now` (raises
        `BlockDiaryInputError`, keyed "prompt" when no prompt is open)."""
        state = self.state(procedure_id, now)
        prompt = state.current
        if prompt is None:
            upcoming = state.next
            message = (
                _("There is no question to answer right now.")
                if upcoming is None
                else _("The next question opens in {duration}.").format(
                    duration=bd.duration_words(_minutes(state))
                )
            )
            raise bd.BlockDiaryInputError({"prompt": message})
        entry = bd.validate_prompt_entry(
            raw, prompt=prompt, procedure_id=procedure_id, now=now, zone=zone
        )
        return self.store.add_prompt_entry(entry)

    def entries(self, procedure_id: int) -> list[PromptEntry]:
        return self.store.prompt_entries(procedure_id)

    def paper_scores(self, procedure_id: int) -> list[PaperScore]:
        return self.store.paper_scores(procedure_id)

    def record_paper(
        self, procedure_id: int, raw: Mapping[str, Any], *, now, zone: str
    ) -> list[PaperScore]:
        """Check and save scores copied from the paper diary at one time (raises
        `BlockDiaryInputError`; nothing is saved unless every score is right)."""
        procedure = self.block(procedure_id)
        taken = bd.scored_times(
            self.store.prompt_entries(procedure_id), self.store.paper_scores(procedure_id)
        )
        scores = bd.validate_paper_entry(
            raw,
            procedure_id=procedure_id,
            block_at=procedure.at,
            prompts=self.prompts(procedure_id),
            taken=taken,
            now=now,
            zone=zone,
        )
        return self.store.add_paper_scores(scores)

    def everyday_scores(self, procedure_id: int) -> tuple[TimedScore, ...]:
        """The everyday diary's area scores logged during this block's diary hours."""
        procedure = self.block(procedure_id)
        prompts = self.prompts(procedure_id)
        ends = bd.diary_ends(prompts)
        if ends is None:
            return ()
        during = list(self.everyday.since(procedure.at, until=ends))
        return bd.everyday_scores(during, block_at=procedure.at, prompts=prompts)

    def analysis(self, procedure_id: int) -> BlockAnalysis:
        procedure = self.block(procedure_id)
        clinic = self.settings.clinic()
        others = [p.timed for p in self.store.paper_scores(procedure_id)]
        return bd.analyse_block(
            self.store.baselines(procedure_id),
            self.store.prompt_entries(procedure_id),
            prompt_minutes=self.pathway(procedure).block_diary.prompt_minutes,
            threshold=clinic.relief_threshold_percent,
            anaesthetic=procedure.anaesthetic,
            expected_hours=clinic.expected_hours(procedure.anaesthetic or ""),
            procedure_id=procedure_id,
            other_scores=[*others, *self.everyday_scores(procedure_id)],
        )

    def sentence(self, procedure_id: int) -> str:
        return words.summary_sentence(self.analysis(procedure_id))

    def paired_block(self, procedure_id: int) -> Procedure | None:
        """The other block of the same cycle and region (the first two blocks pair up)."""
        procedure = self.block(procedure_id)
        blocks = [
            p
            for p in self.plans.procedures(cycle=procedure.cycle)
            if p.is_block and p.region == procedure.region
        ]
        pair = blocks[:2]
        if len(pair) < 2 or procedure not in pair:
            return None
        return pair[1] if pair[0].id == procedure_id else pair[0]

    def comparison(self, procedure_id: int) -> BlockComparison | None:
        """The two blocks of this block's cycle compared, earlier first; None without a pair."""
        other = self.paired_block(procedure_id)
        if other is None:
            return None
        first, second = sorted([self.block(procedure_id), other], key=lambda p: p.at)
        return bd.compare_blocks(self.analysis(first.saved_id), self.analysis(second.saved_id))


def _minutes(state: DiaryState) -> int:
    seconds = state.countdown.total_seconds() if state.countdown else 0
    return max(1, int(-(-seconds // 60)))


class OutcomeService:
    """The pre-RFA baseline and the check-ins after an RFA."""

    def __init__(self, db: Database, pathways: PathwayService | None = None) -> None:
        self.plans = PlanRepository(db)
        self.store = OutcomeRepository(db)
        self.settings = SettingsRepository(db)
        self.pathways = pathways or PathwayService(self.settings)

    def rfa(self, procedure_id: int) -> Procedure:
        procedure = self.plans.procedure(procedure_id)
        if procedure is None or procedure.kind != "rfa":
            raise LookupError(f"There is no RFA with the id {procedure_id}.")
        return procedure

    def latest_rfa(self, now) -> Procedure | None:
        """The latest live RFA, past or booked."""
        rfas = [p for p in self.plans.procedures() if p.kind == "rfa"]
        return max(rfas, key=lambda p: p.at, default=None)

    def schedule(self, procedure_id: int) -> tuple[DueCheckIn, ...]:
        rfa = self.rfa(procedure_id)
        weeks = self.pathways.for_region(rfa.region).outcome_weeks
        return checkin_schedule(rfa.at, rfa.zone, weeks)

    def open_checkin(self, procedure_id: int, now) -> DueCheckIn | None:
        done = {c.week for c in self.store.checkins(procedure_id)}
        return next(
            (c for c in self.schedule(procedure_id) if c.state(now, c.week in done) == "open"), None
        )

    def save(
        self, procedure_id: int, week: int, raw: Mapping[str, Any], *, now, zone: str
    ) -> OutcomeCheckIn:
        """Check and save the baseline (week 0) or a check-in (raises `OutcomeInputError`)."""
        rfa = self.rfa(procedure_id)
        checkin = validate_checkin(
            raw,
            procedure_id=procedure_id,
            rfa_at=rfa.at,
            week=week,
            now=now,
            zone=zone,
            schedule=self.schedule(procedure_id),
        )
        return self.store.save(checkin)

    def checkins(self, procedure_id: int) -> list[OutcomeCheckIn]:
        return self.store.checkins(procedure_id)

    def trend(self, procedure_id: int) -> OutcomeTrend:
        return outcome_trend(self.store.checkins(procedure_id))
