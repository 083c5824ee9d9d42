"""The timed block diary, outcome check-ins and the patient's report details on disk.
Takes and returns domain objects, never rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from app.domain.block_diary import Baseline, PaperScore, Prompt, PromptEntry, missed_entry
from app.domain.diary import AreaScore
from app.domain.outcomes import OutcomeCheckIn, Peg
from app.domain.patient import PatientDetails
from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant


class PromptAlreadyRecordedError(ValueError):
    """A prompt has one record, answered or missed; it is never overwritten."""


class PaperScoreTakenError(ValueError):
    """A block has one paper score per area and side at a minute; it is never overwritten."""


class BlockDiaryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- baselines ---------------------------------------------------------------------------

    def save_baseline(self, procedure_id: int, baseline: Baseline) -> Baseline:
        """Save the usual pain for one area and side, replacing an earlier one for the same."""
        with self.db.atomic():
            self._require_procedure(procedure_id)
            self.db.execute(
                "INSERT INTO block_baselines (procedure_id, area, side, score, at_utc, zone, "
                "activity, at_clinic) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(procedure_id, area, side) DO UPDATE SET score = excluded.score, "
                "at_utc = excluded.at_utc, zone = excluded.zone, activity = excluded.activity, "
                "at_clinic = excluded.at_clinic",
                [
                    procedure_id,
                    baseline.area,
                    baseline.side,
                    baseline.score,
                    to_db_instant(baseline.at),
                    baseline.zone,
                    baseline.activity,
                    int(baseline.at_clinic),
                ],
            )
        return baseline

    def remove_baseline(self, procedure_id: int, area: str, side: str) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM block_baselines WHERE procedure_id = ? AND area = ? AND side = ?",
                [procedure_id, area, side],
            )
        return cursor.rowcount > 0

    def baselines(self, procedure_id: int) -> list[Baseline]:
        """The baselines of one block, in the order they were first saved."""
        rows = self.db.execute(
            "SELECT area, side, score, at_utc, zone, activity, at_clinic FROM block_baselines "
            "WHERE procedure_id = ? ORDER BY id",
            [procedure_id],
        ).fetchall()
        return [
            Baseline(
                area=area,
                side=side,
                score=score,
                at=from_db_instant(at_utc),
                zone=zone,
                activity=activity,
                at_clinic=bool(at_clinic),
            )
            for area, side, score, at_utc, zone, activity, at_clinic in rows
        ]

    # --- prompts -----------------------------------------------------------------------------

    def add_prompt_entry(self, entry: PromptEntry) -> PromptEntry:
        """Save an answered (or missed) prompt. A prompt already recorded, answered or missed,
        raises `PromptAlreadyRecordedError`: a missed prompt is never filled in."""
        with self.db.atomic():
            self._require_procedure(entry.procedure_id)
            cursor = self.db.execute(
                "INSERT INTO block_prompts (procedure_id, minutes, at_utc, zone, activity, "
                "missed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(procedure_id, minutes) DO NOTHING",
                [
                    entry.procedure_id,
                    entry.minutes,
                    to_db_instant(entry.at),
                    entry.zone,
                    entry.activity,
                    int(entry.missed),
                ],
            )
            if cursor.rowcount != 1:
                raise PromptAlreadyRecordedError(
                    f"The {entry.minutes}-minute question of this block is already recorded."
                )
            prompt_id = cursor.lastrowid
            self.db.conn.executemany(
                "INSERT INTO block_prompt_scores (prompt_id, area, side, score) "
                "VALUES (?, ?, ?, ?)",
                [(prompt_id, s.area, s.side, s.score) for s in entry.scores],
            )
        return replace(entry, id=prompt_id)

    def mark_missed(self, procedure_id: int, prompts: Iterable[Prompt], zone: str) -> int:
        """Record each of `prompts` that has no record yet as missed; returns how many."""
        added = 0
        with self.db.atomic():
            for prompt in prompts:
                entry = missed_entry(procedure_id, prompt, zone)
                cursor = self.db.execute(
                    "INSERT INTO block_prompts (procedure_id, minutes, at_utc, zone, activity, "
                    "missed) VALUES (?, ?, ?, ?, '', 1) "
                    "ON CONFLICT(procedure_id, minutes) DO NOTHING",
                    [procedure_id, entry.minutes, to_db_instant(entry.at), entry.zone],
                )
                added += cursor.rowcount
        return added

    def prompt_entries(self, procedure_id: int) -> list[PromptEntry]:
        """One block's prompts, answered and missed, by minutes after the block."""
        return self._select("WHERE procedure_id = ? ORDER BY minutes", [procedure_id])

    def all_prompt_entries(self) -> Iterator[PromptEntry]:
        """Every block's prompts, by block and minutes, a page at a time."""
        last = (0, -1)
        while True:
            batch = self._select(
                "WHERE (procedure_id, minutes) > (?, ?) ORDER BY procedure_id, minutes LIMIT 500",
                list(last),
            )
            if not batch:
                return
            yield from batch
            last = (batch[-1].procedure_id, batch[-1].minutes)

    # --- the paper diary -------------------------------------------------------------------

    def add_paper_scores(self, scores: Iterable[PaperScore]) -> list[PaperScore]:
        """Save scores copied from the paper diary, all or none. A score for an area and side
        at a minute that already has one raises `PaperScoreTakenError` and saves nothing."""
        saved = []
        with self.db.atomic():
            for score in scores:
                self._require_procedure(score.procedure_id)
                cursor = self.db.execute(
                    "INSERT INTO block_paper_scores (procedure_id, minutes, at_utc, zone, area, "
                    "side, score, activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(procedure_id, minutes, area, side) DO NOTHING",
                    [
                        score.procedure_id,
                        score.minutes,
                        to_db_instant(score.at),
                        score.zone,
                        score.area,
                        score.side,
                        score.score,
                        score.activity,
                    ],
                )
                if cursor.rowcount != 1:
                    raise PaperScoreTakenError(
                        f"{score.label} already has a paper score {score.minutes} minutes "
                        "after the block."
                    )
                saved.append(replace(score, id=cursor.lastrowid))
        return saved

    def paper_scores(self, procedure_id: int | None = None) -> list[PaperScore]:
        """One block's paper scores (or every block's), by block, time, then area order saved."""
        where, params = ("WHERE procedure_id = ?", [procedure_id]) if procedure_id else ("", [])
        rows = self.db.execute(
            "SELECT id, procedure_id, minutes, at_utc, zone, area, side, score, activity "
            f"FROM block_paper_scores {where} ORDER BY procedure_id, minutes, id",
            params,
        ).fetchall()
        return [
            PaperScore(
                id=row_id,
                procedure_id=block_id,
                minutes=minutes,
                at=from_db_instant(at_utc),
                zone=zone,
                area=area,
                side=side,
                score=score,
                activity=activity,
            )
            for row_id, block_id, minutes, at_utc, zone, area, side, score, activity in rows
        ]

    def blocks_with_entries(self) -> list[int]:
        """Ids of the procedures that have a baseline, a prompt record or a paper score."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT procedure_id FROM block_baselines UNION "
                "SELECT procedure_id FROM block_prompts UNION "
                "SELECT procedure_id FROM block_paper_scores ORDER BY 1"
            )
        ]

    def _select(self, clause: str, params: list) -> list[PromptEntry]:
        rows = self.db.execute(
            "SELECT id, procedure_id, minutes, at_utc, zone, activity, missed "
            f"FROM block_prompts {clause}",
            params,
        ).fetchall()
        scores: dict[int, list[AreaScore]] = {}
        ids = [row[0] for row in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            for prompt_id, area, side, score in self.db.execute(
                f"SELECT prompt_id, area, side, score FROM block_prompt_scores "
                f"WHERE prompt_id IN ({marks}) ORDER BY id",
                ids,
            ):
                scores.setdefault(prompt_id, []).append(AreaScore(area, side, score))
        return [
            PromptEntry(
                id=prompt_id,
                procedure_id=procedure_id,
                minutes=minutes,
                at=from_db_instant(at_utc),
                zone=zone,
                scores=tuple(scores.get(prompt_id, ())),
                activity=activity,
                missed=bool(missed),
            )
            for prompt_id, procedure_id, minutes, at_utc, zone, activity, missed in rows
        ]

    def _require_procedure(self, procedure_id: int) -> None:
        found = self.db.execute("SELECT 1 FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if not found:
            raise LookupError(f"Procedure {procedure_id} does not exist")


class OutcomeRepository:
    """The pre-RFA baseline (week 0) and the check-ins after an RFA."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, checkin: OutcomeCheckIn) -> OutcomeCheckIn:
        """Save a check-in, replacing an earlier one for the same RFA and week."""
        peg = checkin.peg
        with self.db.atomic():
            if not self.db.execute(
                "SELECT 1 FROM procedures WHERE id = ?", [checkin.procedure_id]
            ).fetchone():
                raise LookupError(f"Procedure {checkin.procedure_id} does not exist")
            self.db.execute(
                "INSERT INTO outcome_checkins (procedure_id, week, at_utc, zone, pain, peg_pain, "
                "peg_enjoyment, peg_activity, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(procedure_id, week) DO UPDATE SET at_utc = excluded.at_utc, "
                "zone = excluded.zone, pain = excluded.pain, peg_pain = excluded.peg_pain, "
                "peg_enjoyment = excluded.peg_enjoyment, peg_activity = excluded.peg_activity, "
                "note = excluded.note",
                [
                    checkin.procedure_id,
                    checkin.week,
                    to_db_instant(checkin.at),
                    checkin.zone,
                    checkin.pain,
                    peg.pain if peg else None,
                    peg.enjoyment if peg else None,
                    peg.activity if peg else None,
                    checkin.note,
                ],
            )
            row_id = self.db.execute(
                "SELECT id FROM outcome_checkins WHERE procedure_id = ? AND week = ?",
                [checkin.procedure_id, checkin.week],
            ).fetchone()[0]
        return replace(checkin, id=row_id)

    def checkins(self, procedure_id: int | None = None) -> list[OutcomeCheckIn]:
        """One RFA's check-ins (or every RFA's), by RFA and week; the baseline is week 0."""
        where, params = ("WHERE procedure_id = ?", [procedure_id]) if procedure_id else ("", [])
        rows = self.db.execute(
            "SELECT id, procedure_id, week, at_utc, zone, pain, peg_pain, peg_enjoyment, "
            f"peg_activity, note FROM outcome_checkins {where} ORDER BY procedure_id, week",
            params,
        ).fetchall()
        return [
            OutcomeCheckIn(
                id=row_id,
                procedure_id=rfa_id,
                week=week,
                at=from_db_instant(at_utc),
                zone=zone,
                pain=pain,
                peg=Peg(p1, p2, p3) if p1 is not None else None,
                note=note,
            )
            for row_id, rfa_id, week, at_utc, zone, pain, p1, p2, p3, note in rows
        ]


class PatientQueries:
    """The patient's optional name and date of birth, for reports, as read."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def details(self) -> PatientDetails:
        row = self.db.execute(
            "SELECT name, birth_date FROM patient_details WHERE id = 1"
        ).fetchone()
        if row is None:
            return PatientDetails()
        return PatientDetails(row[0], date.fromisoformat(row[1]) if row[1] else None)


class PatientRepository(PatientQueries):
    """The patient's details saved; the screens save them through the patient service."""

    def save(self, details: PatientDetails) -> None:
        """Save (an empty `PatientDetails` forgets them)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM patient_details")
            if not details.is_empty:
                self.db.execute(
                    "INSERT INTO patient_details (id, name, birth_date) VALUES (1, ?, ?)",
                    [details.name, details.birth_date.isoformat() if details.birth_date else None],
                )
