"""Finishing a kiosk session leaves no byte of the patient's words in any file in the data folder.

A unique marker goes into everything the patient can type (a diary note, the name, a helper, an
own reminder, a checklist answer, a check-in note, block diary activities) and into the files the
app makes in its data folder (an automatic backup, a CSV and PDF report, a calendar file, the
temporary file of an interrupted save, a diary set aside after damage). The raw bytes of every
file under the data folder are scanned for it in UTF-8 and UTF-16 before (it must be found, or
the scan proves nothing) and after the finish (zero hits). The numbers are printed (`-s`)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.domain.block_diary import PaperScore, PromptEntry
from app.domain.diary import AreaScore, PainEntry
from app.domain.outcomes import OutcomeCheckIn
from app.domain.patient import PatientDetails
from app.domain.plan import Contact, Procedure
from app.domain.reminders import Caregiver, OwnReminder, ReminderSettings
from app.services.kiosk import KioskError, KioskService
from app.services.reports import export_report
from app.store.backups import make_backup
from app.store.block_diary_repository import (
    BlockDiaryRepository,
    OutcomeRepository,
    PatientRepository,
)
from app.store.caregivers import CaregiverRepository
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.store.own_reminders import OwnReminderRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from tests.e2e.helpers import REPO_ROOT, cli_command, cli_env

UTC = UTC
NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
ZONE = "Europe/London"
PIN = "482916"
CLINIC_NAME = "Riverside Spine Clinic"


def encodings(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be")]


def scan(folder: Path, marker: str) -> tuple[int, int, list[str]]:
    """(files scanned, bytes scanned, 'file: encoding' for every hit) under `folder`."""
    files = bytes_read = 0
    hits = []
    needles = dict(zip(("utf-8", "utf-16-le", "utf-16-be"), encodings(marker), strict=True))
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        files += 1
        bytes_read += len(data)
        hits += [
            f"{path.relative_to(folder)}: {name}"
            for name, needle in needles.items()
            if needle in data
        ]
    return files, bytes_read, hits


def fill_a_session(db, data_dir: Path, marker: str) -> None:
    """Everything a patient types, each with the marker in it."""
    plans = PlanRepository(db)
    block = plans.add_procedure(
        Procedure(
            "test-block",
            "lumbar",
            "both",
            NOW - timedelta(hours=3),
            ZONE,
            "lidocaine",
            levels=f"L4-L5 {marker}"[:60],
        )
    )
    rfa = plans.add_procedure(Procedure("rfa", "lumbar", "both", NOW - timedelta(days=30), ZONE))
    DiaryRepository(db).add(
        PainEntry(
            6,
            NOW - timedelta(hours=5),
            ZONE,
            (AreaScore("lower_back", "left", 6),),
            f"walking {marker}",
            f"ibuprofen {marker}",
            None,
            f"My note {marker} — Zoë",
        )
    )
    PatientRepository(db).save(PatientDetails(f"Ana {marker}", date(1961, 4, 23)))
    plans.set_driver(Contact(f"Driver {marker}", "0161 555 0101"))
    plans.mark("arrange-driver", block.id, checked=True, value=f"pick-up {marker}", now=NOW)
    plans.add_medicine(f"Medicine {marker}", NOW)
    OwnReminderRepository(db).add(
        OwnReminder(f"Water the plants {marker}", time(9, 0), date(2026, 12, 1)), now=NOW
    )
    CaregiverRepository(db).add(Caregiver(f"Helper {marker}", "0161 555 0102"), now=NOW)
    blocks = BlockDiaryRepository(db)
    blocks.add_prompt_entry(
        PromptEntry(
            block.id,
            30,
            NOW - timedelta(hours=2, minutes=30),
            ZONE,
            (AreaScore("lower_back", "left", 2),),
            f"sitting {marker}",
        )
    )
    blocks.add_paper_scores(
        [
            PaperScore(
                block.id,
                NOW - timedelta(hours=1),
                ZONE,
                120,
                "lower_back",
                "left",
                3,
                f"reading {marker}",
            )
        ]
    )
    OutcomeRepository(db).save(
        OutcomeCheckIn(rfa.id, 2, NOW - timedelta(days=10), ZONE, 3, None, f"Better {marker}")
    )
    settings = SettingsRepository(db)
    settings.put("reports.folder", f"/home/ana-{marker}")
    settings.save_reminder_settings(ReminderSettings())
    settings.mark_set_up()


def make_app_files(db, data_dir: Path, marker: str) -> list[str]:
    """The files the app makes in its data folder, each holding the marker."""
    backup = make_backup(data_dir / "facet.db", data_dir / "backups", now=NOW, reason="daily").path
    # Reports saved into the data folder (the app refuses that folder now; older copies did not).
    elsewhere = data_dir.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    made = []
    for fmt in ("csv", "pdf"):
        report = export_report(db, fmt, elsewhere, now=NOW, zone=ZONE)
        shutil.copyfile(report, data_dir / report.name)
        made.append(report.name)
    calendar = data_dir / "facet-companion-reminders.ics"
    calendar.write_text(
        f"BEGIN:VCALENDAR\nSUMMARY:Water the plants {marker}\nEND:VCALENDAR\n", encoding="utf-8"
    )
    interrupted = data_dir / ".facet-report-2026-11-28.csv.k3j2h1"
    interrupted.write_text(f"half a report {marker}", encoding="utf-16")
    set_aside = data_dir / "facet-damaged-20261127T100000Z.db"  # app.store.backups.set_aside
    shutil.copyfile(backup, set_aside)
    partial = data_dir / ".facet-20261128T150000.000000Z-daily.db.partial-1a2b3c4d"
    shutil.copyfile(set_aside, partial)
    salvage = data_dir / ".salvage-k2j3"  # a salvage's scratch folder
    salvage.mkdir()
    shutil.copyfile(set_aside, salvage / "damaged-copy.db")
    return [*made, calendar.name, interrupted.name, set_aside.name, partial.name, salvage.name]


@pytest.fixture
def clinic_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic-reports"
    folder.mkdir()
    return folder


@pytest.fixture
def marker() -> str:
    return f"KIOSK-MARK-{uuid.uuid4().hex}"


@pytest.mark.parametrize("in_the_file", [False, True], ids=["in-the-log", "in-the-file"])
def test_finish_leaves_no_byte_of_the_patient_in_the_data_folder(
    data_dir, clinic_folder, marker, in_the_file, capsys
):
    db = open_database(data_dir)
    SettingsRepository(db).save_clinic(
        SettingsRepository(db)
        .clinic()
        .__class__(
            name=CLINIC_NAME, phone="0161 555 0100", fasting_text="Nothing to eat for 6 hours."
        )
    )
    kiosk = KioskService(db, data_dir)
    kiosk.set_up(PIN, PIN, reports_folder=clinic_folder)
    kiosk.start_session(now=NOW)
    fill_a_session(db, data_dir, marker)
    made = make_app_files(db, data_dir, marker)
    if in_the_file:  # the session's pages copied from the log into facet.db itself
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    files_before, bytes_before, hits_before = scan(data_dir, marker)
    wal_before = (data_dir / "facet.db-wal").stat().st_size
    where = "facet.db: " if in_the_file else "facet.db-wal: "
    assert any(hit.startswith(where) for hit in hits_before), hits_before
    for name in made:
        if not name.endswith(".pdf"):  # a PDF's text is compressed
            assert any(hit.startswith(name) for hit in hits_before), (name, hits_before)

    record, wiped = kiosk.finish(None, now=NOW, zone=ZONE)

    files_after, bytes_after, hits_after = scan(data_dir, marker)
    print(
        f"\nkiosk wipe: before {files_before} files, {bytes_before} bytes, "
        f"{len(hits_before)} hits (WAL {wal_before} bytes); after {files_after} files, "
        f"{bytes_after} bytes, {len(hits_after)} hits; {wiped.rows_deleted} rows and "
        f"{len(wiped.settings_deleted)} settings deleted, {len(wiped.files_removed)} files "
        f"removed, WAL {wiped.wal_bytes} bytes\nhits before: {hits_before}"
    )
    assert hits_after == []
    assert wiped.wal_bytes == 0
    assert wiped.files_kept == ()
    assert sorted(p.name for p in data_dir.iterdir()) in (
        ["backups", "facet.db"],
        ["backups", "facet.db", "facet.db-shm", "facet.db-wal"],
    )
    assert list((data_dir / "backups").iterdir()) == []

    # the record went to the clinic's folder first, and it holds the session
    assert record.folder.parent == clinic_folder.resolve()
    assert [p.suffix for p in record.reports] == [".pdf"]
    assert record.reports[0].read_bytes().startswith(b"%PDF")
    copy = sqlite3.connect(record.diary_copy)
    assert copy.execute("SELECT note FROM entries").fetchone()[0] == f"My note {marker} — Zoë"
    copy.close()
    assert scan(clinic_folder, marker)[2], "the diary copy in the clinic's folder has the session"
    # a diary set aside after damage is never deleted unseen: it went to the clinic first
    assert (record.folder / "set-aside" / "facet-damaged-20261127T100000Z.db").exists()

    # the clinic's settings, its PIN and kiosk mode stay; the patient's are gone
    clinic = SettingsRepository(db).clinic()
    assert (clinic.name, clinic.phone, clinic.fasting_text) == (
        CLINIC_NAME,
        "0161 555 0100",
        "Nothing to eat for 6 hours.",
    )
    kiosk.check_pin(PIN, now=NOW)
    state = kiosk.status(now=NOW)
    assert (state.enabled, state.session_open) == (True, False)
    assert SettingsRepository(db).is_set_up() is False
    assert PatientRepository(db).details().name == ""
    assert PlanRepository(db).procedures(include_cancelled=True) == []
    assert kiosk.has_patient_data() is False
    db.close()
    # the file is still a good diary the next patient can use
    db = open_database(data_dir)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert capsys  # numbers printed above


def test_fhir_goes_to_the_clinic_when_turned_on_and_a_failed_report_wipes_nothing(
    data_dir, clinic_folder, marker
):
    db = open_database(data_dir)
    kiosk = KioskService(db, data_dir)
    kiosk.set_up(PIN, PIN, reports_folder=clinic_folder, fhir=True)
    fill_a_session(db, data_dir, marker)
    clinic_folder.rmdir()  # the clinic's share is not mounted today
    with pytest.raises(KioskError, match="does not exist"):
        kiosk.finish(None, now=NOW, zone=ZONE)
    clinic_folder.mkdir()
    assert PatientRepository(db).details().name == f"Ana {marker}"  # nothing wiped
    record, _ = kiosk.finish(None, now=NOW, zone=ZONE)
    assert sorted(p.suffix for p in record.reports) == [".json", ".pdf"]
    bundle = json.loads(record.reports[1].read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    db.close()


def run(*args, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(*args),
        cwd=REPO_ROOT,
        env=cli_env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_the_cli_sets_up_reports_status_and_finishes(data_dir, clinic_folder, marker):
    data = ["--data-dir", str(data_dir)]
    done = run(
        "kiosk",
        "setup",
        "--reports",
        clinic_folder,
        "--idle-minutes",
        "5",
        *data,
        stdin=f"{PIN}\n{PIN}\n",
    )
    assert done.returncode == 0, done.stderr
    assert PIN not in done.stdout + done.stderr
    status = json.loads(run("kiosk", "status", "--format", "json", *data).stdout)
    assert (
        status["enabled"],
        status["idle_minutes"],
        status["locked_until"],
        status["session_open"],
    ) == (True, 5, None, False)

    db = open_database(data_dir)
    KioskService(db, data_dir).start_session(now=NOW)
    fill_a_session(db, data_dir, marker)
    db.close()
    assert json.loads(run("kiosk", "status", "--format", "json", *data).stdout)["session_open"]

    wrong = run("kiosk", "finish", *data, stdin="000111\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip().splitlines() == [
        "Error: That PIN is not right. 4 more tries before PIN entry is locked for 5 minutes."
    ]
    mismatch = run(
        "kiosk", "setup", "--reports", clinic_folder, *data, stdin=f"{PIN}\n123789\n123780\n"
    )
    assert mismatch.stderr.strip() == "Error: The two PINs are not the same. Nothing was changed."

    finished = run("kiosk", "finish", *data, stdin=f"{PIN}\n")
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.strip().splitlines()
    assert lines[0].endswith(".pdf") and lines[1].endswith("-kiosk-session.db")
    assert lines[2].startswith("Wiped: ")
    assert scan(data_dir, marker)[2] == []
    assert (
        json.loads(run("kiosk", "status", "--format", "json", *data).stdout)["session_open"]
        is False
    )


def test_five_wrong_pins_at_the_cli_lock_it_in_one_line(data_dir, clinic_folder):
    data = ["--data-dir", str(data_dir)]
    run("kiosk", "setup", "--reports", clinic_folder, *data, stdin=f"{PIN}\n{PIN}\n")
    for _ in range(5):
        result = run("kiosk", "finish", *data, stdin="135790\n")
    assert result.stderr.startswith("Error: That PIN is not right. After 5 wrong PINs")
    locked = run("kiosk", "finish", *data, stdin=f"{PIN}\n")
    assert locked.returncode == 1
    assert len(locked.stderr.strip().splitlines()) == 1
    assert "PIN entry is locked until" in locked.stderr
    status = json.loads(run("kiosk", "status", "--format", "json", *data).stdout)
    assert datetime.fromisoformat(status["locked_until"]) > datetime.now(UTC)
    no_pin = run("kiosk", "finish", *data)
    assert no_pin.stderr.startswith("Error: No PIN was given on standard input")
