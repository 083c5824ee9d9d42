"""The kiosk service: PIN rules and its hash, the lock across restarts, status, and which settings
and tables belong to the clinic."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.patient import PatientDetails
from app.domain.plan import validate_procedure
from app.services import kiosk as kiosk_module
from app.services.kiosk import (
    CLINIC_SETTING_KEYS,
    KEPT_TABLES,
    KIOSK_KEY,
    PATIENT_SETTING_KEYS,
    PIN_LOCK,
    KioskError,
    KioskNotSetUpError,
    KioskService,
    PinLockedError,
    WrongPinError,
    check_new_pin,
    patient_tables,
)
from app.store.block_diary_repository import PatientRepository
from app.store.database import open_database
from app.store.plan_repository import PlanQueries
from app.store.settings_repository import SettingsRepository
from tests.conftest import REPO_ROOT

NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
PIN = "482916"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic-reports"
    folder.mkdir()
    return folder


@pytest.fixture
def service(fresh_db, data_dir, reports) -> KioskService:
    kiosk = KioskService(fresh_db, data_dir)
    kiosk.set_up(PIN, PIN, idle_minutes=4, reports_folder=reports)
    return kiosk


@pytest.mark.parametrize(
    "pin, problem",
    [
        ("12345", "6 to 12 digits long; this one has 5"),
        ("1234567890123", "this one has 13"),
        ("12a456", "digits only"),
        ("１２３４５６", "digits only"),  # full-width digits are not what the pad types
        (" 482916", "digits only"),
        ("", "digits only"),
        ("000000", "one digit repeated"),
    ],
)
def test_a_pin_needs_six_to_twelve_plain_digits(pin, problem):
    with pytest.raises(KioskError, match=problem):
        check_new_pin(pin)


def test_the_two_pins_must_match_and_nothing_changes_when_they_do_not(fresh_db, data_dir, reports):
    kiosk = KioskService(fresh_db, data_dir)
    with pytest.raises(KioskError, match="not the same"):
        kiosk.set_up(PIN, "482917", reports_folder=reports)
    assert kiosk.settings().set_up is False
    assert SettingsRepository(fresh_db).get(KIOSK_KEY) is None


def test_only_a_salted_scrypt_hash_is_stored(service, fresh_db, data_dir, reports):
    stored = SettingsRepository(fresh_db).get(KIOSK_KEY)
    assert PIN not in repr(stored)
    assert set(stored["pin"]) == {"salt", "hash", "n", "r", "p"}
    assert len(bytes.fromhex(stored["pin"]["salt"])) == 16
    assert stored["pin"]["n"] >= 2**14
    fresh_db.close()
    assert PIN.encode() not in (data_dir / "facet.db").read_bytes()
    db = open_database(data_dir)
    again = KioskService(db, data_dir)
    again.set_up(PIN, PIN, reports_folder=reports)
    # the same PIN set again gets a new salt, so two tablets' hashes never match
    assert SettingsRepository(db).get(KIOSK_KEY)["pin"]["salt"] != stored["pin"]["salt"]
    db.close()


def test_the_right_pin_passes_and_a_wrong_one_counts_down(service):
    service.check_pin(PIN, now=NOW)
    with pytest.raises(WrongPinError, match="4 more tries") as wrong:
        service.check_pin("482910", now=NOW)
    assert wrong.value.tries_left == 4
    service.check_pin(PIN, now=NOW)  # a right PIN starts the count again
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPinError) as wrong:
            service.check_pin("111111", now=NOW)
        assert wrong.value.tries_left == left


def test_five_wrong_pins_lock_for_five_minutes_across_a_restart(fresh_db, data_dir, reports):
    KioskService(fresh_db, data_dir).set_up(PIN, PIN, reports_folder=reports)
    fresh_db.close()
    for attempt in range(5):
        # a new service on a new connection each time: nothing is kept in memory
        db = open_database(data_dir)
        kiosk = KioskService(db, data_dir)
        with pytest.raises(WrongPinError) as wrong:
            kiosk.check_pin("999990", now=NOW + timedelta(seconds=attempt))
        db.close()
    assert wrong.value.tries_left == 0
    until = NOW + timedelta(seconds=4) + PIN_LOCK
    assert wrong.value.locked_until == until
    assert "locked until 15:35 UTC" in str(wrong.value)

    db = open_database(data_dir)
    kiosk = KioskService(db, data_dir)
    assert kiosk.status(now=NOW + timedelta(minutes=2)).locked_until == until
    # even the right PIN is refused while locked, and it does not reset the lock
    with pytest.raises(PinLockedError, match="locked until 15:35"):
        kiosk.check_pin(PIN, now=until - timedelta(seconds=1))
    assert kiosk.locked_until(until - timedelta(seconds=1)) == until
    kiosk.check_pin(PIN, now=until)
    assert kiosk.status(now=until).locked_until is None
    db.close()


def test_the_lock_names_the_local_time(service):
    for _ in range(5):
        with pytest.raises(WrongPinError):
            service.check_pin("123123", now=NOW, zone="America/New_York")
    with pytest.raises(PinLockedError, match=r"locked until 10:35\.$"):
        service.check_pin(PIN, now=NOW, zone="America/New_York")


def test_status_reports_what_clinic_it_asks(service, reports):
    state = service.status(now=NOW)
    assert state.as_json() == {
        "set_up": True,
        "enabled": True,
        "idle_minutes": 4,
        "reports_folder": str(reports.resolve()),
        "locked_until": None,
        "session_open": False,
        "session_opened_at": None,
    }
    service.start_session(now=NOW)
    assert service.status(now=NOW).as_json()["session_open"] is True
    assert service.status(now=NOW).session_opened_at == NOW
    service.set_enabled(False)
    assert service.status(now=NOW).enabled is False


def test_status_before_set_up_and_a_pin_check_without_one(fresh_db, data_dir):
    kiosk = KioskService(fresh_db, data_dir)
    assert kiosk.status(now=NOW).as_json()["set_up"] is False
    assert kiosk.status(now=NOW).idle_minutes == 3  # the default
    with pytest.raises(KioskNotSetUpError, match="not set up"):
        kiosk.check_pin(PIN, now=NOW)


@pytest.mark.parametrize("minutes", [0, 61, -3, True])
def test_idle_minutes_are_checked(fresh_db, data_dir, reports, minutes):
    with pytest.raises(KioskError, match="from 1 to 60"):
        KioskService(fresh_db, data_dir).set_up(
            PIN, PIN, idle_minutes=minutes, reports_folder=reports
        )


def test_the_reports_folder_must_exist_and_lie_outside_the_data_folder(
    fresh_db, data_dir, tmp_path
):
    kiosk = KioskService(fresh_db, data_dir)
    with pytest.raises(KioskError, match="does not exist"):
        kiosk.set_up(PIN, PIN, reports_folder=tmp_path / "missing")
    inside = data_dir / "reports"
    inside.mkdir()
    with pytest.raises(KioskError, match="outside the app's data folder"):
        kiosk.set_up(PIN, PIN, reports_folder=inside)
    with pytest.raises(KioskError, match="outside the app's data folder"):
        kiosk.set_up(PIN, PIN, reports_folder=data_dir)


# --- what belongs to the clinic and what to the patient --------------------------------------


def test_every_table_is_the_clinics_or_the_patients(fresh_db):
    tables = set(fresh_db.table_names())
    assert set(KEPT_TABLES) <= tables
    assert set(patient_tables(fresh_db)) == tables - set(KEPT_TABLES)
    # the patient's data the wipe must reach, by name
    for table in (
        "entries",
        "entry_areas",
        "procedures",
        "contacts",
        "checklist_marks",
        "patient_medicines",
        "own_reminders",
        "caregivers",
        "reminder_occurrences",
        "calendar_exports",
        "block_baselines",
        "block_prompts",
        "block_prompt_scores",
        "block_paper_scores",
        "outcome_checkins",
        "patient_details",
    ):
        assert table in patient_tables(fresh_db)


def test_every_settings_key_the_app_writes_is_the_clinics_or_the_patients():
    """A new settings key must be placed on one side of the list, or this test fails."""
    written = set()
    for path in (REPO_ROOT / "app").rglob("*.py"):
        if "domain" in path.parts:  # the domain stores nothing (its FILE_KEY is a TOML key)
            continue
        written |= set(
            re.findall(r'^[A-Z_]*KEY = "([^"]+)"', path.read_text(encoding="utf-8"), flags=re.M)
        )
    assert written, "the scan found no settings keys at all"
    assert not set(CLINIC_SETTING_KEYS) & set(PATIENT_SETTING_KEYS)
    assert written <= set(CLINIC_SETTING_KEYS) | set(PATIENT_SETTING_KEYS), (
        written - set(CLINIC_SETTING_KEYS) - set(PATIENT_SETTING_KEYS)
    )
    # the clinic's name, phone, instructions and pathway file are one key; the driver and helpers
    # are patient tables, not settings; the language of the clinic's part of reports is its own
    assert set(CLINIC_SETTING_KEYS) == {
        "clinic",
        "kiosk",
        "kiosk.pin_lock",
        "clinic.report_language",
    }


def test_the_wipe_keeps_the_clinics_settings_and_deletes_the_patients(service, fresh_db):
    settings = SettingsRepository(fresh_db)
    for key in PATIENT_SETTING_KEYS:
        settings.put(key, {"left": "by the patient"})
    settings.put("some.future.key", "patient words")
    settings.put("clinic", {"name": "Riverside Spine Clinic", "pathway_file": "/srv/p.toml"})
    settings.put("clinic.report_language", "en")
    service.start_session(now=NOW)
    result = service.wipe()
    assert set(result.settings_deleted) == {*PATIENT_SETTING_KEYS, "some.future.key"}
    kept = {key for (key,) in fresh_db.execute("SELECT key FROM settings")}
    assert kept == set(CLINIC_SETTING_KEYS)
    assert settings.clinic().name == "Riverside Spine Clinic"
    assert settings.clinic().pathway_file == "/srv/p.toml"
    service.check_pin(PIN, now=NOW)  # the PIN stays
    assert service.status(now=NOW).session_open is False
    assert service.status(now=NOW).enabled is True


def test_record_session_refuses_a_folder_inside_the_data_folder(service, data_dir):
    with pytest.raises(KioskError, match="outside"):
        service.record_session(data_dir, now=NOW, zone="UTC")


def test_module_names_the_lock_it_documents():
    assert kiosk_module.PIN_TRIES == 5 and timedelta(minutes=5) == PIN_LOCK
    assert kiosk_module.PIN_MIN_DIGITS == 6 and kiosk_module.DEFAULT_IDLE_MINUTES == 3


def test_in_kiosk_mode_a_system_notification_carries_no_words_and_nothing_is_read_aloud():
    from app.services.kiosk import WORDLESS_MESSAGE, WordlessNotifier
    from app.services.notifier import RecordingNotifier

    kiosk = {"on": True}
    inner = RecordingNotifier()
    notifier = WordlessNotifier(inner, lambda: kiosk["on"])
    assert notifier.notify("Block diary", "Ana: how is your pain?", tag="x") is True
    assert notifier.speak("Ana: how is your pain?") is False
    kiosk["on"] = False
    notifier.notify("Block diary", "How is your pain?")
    notifier.speak("How is your pain?")
    assert notifier.shown == [
        ("Facet Companion", WORDLESS_MESSAGE),
        ("Block diary", "How is your pain?"),
    ]
    assert notifier.spoken == ["How is your pain?"]


def test_kiosk_mode_is_read_from_disk_before_the_window_without_writing(
    fresh_db, data_dir, reports, tmp_path
):
    from app.services.kiosk_flag import kiosk_enabled_on_disk

    assert kiosk_enabled_on_disk(tmp_path / "nowhere") is False
    assert kiosk_enabled_on_disk(None) is False
    assert kiosk_enabled_on_disk(data_dir) is False
    kiosk = KioskService(fresh_db, data_dir)
    kiosk.set_up(PIN, PIN, reports_folder=reports)
    assert kiosk_enabled_on_disk(data_dir) is True
    kiosk.set_enabled(False)
    assert kiosk_enabled_on_disk(data_dir) is False
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "facet.db").write_bytes(b"not a database at all" * 100)
    assert kiosk_enabled_on_disk(garbage) is False
    assert (garbage / "facet.db").read_bytes() == b"not a database at all" * 100


def test_kiosk_start_sets_full_screen_and_borderless_before_the_window(tmp_path):
    """`--kiosk` reaches Kivy's Config before anything imports Window (a process of its own)."""
    import subprocess
    import sys

    code = (
        "from app.ui.launch import configure_kivy\n"
        "configure_kivy(1280, 800, kiosk=True)\n"
        "import sys\n"
        "from kivy.config import Config\n"
        "assert 'kivy.core.window' not in sys.modules\n"
        "print(Config.get('graphics', 'fullscreen'), Config.get('graphics', 'borderless'))\n"
    )
    env = {"KIVY_NO_ARGS": "1", "KIVY_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["auto", "1"]


def test_a_tablet_where_only_the_app_itself_wrote_holds_no_patient_data(service, fresh_db):
    fresh_db.execute(
        "INSERT INTO reminder_heartbeats (runner, pid, at_utc, first_at_utc) "
        "VALUES ('app', 1, '2026-11-28T15:30:00+00:00', '2026-11-28T15:30:00+00:00')"
    )
    assert service.has_patient_data() is False
    fresh_db.execute(
        "INSERT INTO patient_medicines (name, added_at_utc) "
        "VALUES ('ibuprofen', '2026-11-28T15:30:00+00:00')"
    )
    assert service.has_patient_data() is True


def test_a_session_starts_with_what_staff_entered_in_one_go(service, fresh_db):
    procedure = validate_procedure(
        {"kind": "test-block", "region": "lumbar", "side": "left", "at": "2026-12-01T13:00"},
        now=NOW,
        zone="UTC",
    )
    patient = PatientDetails("Ana Ruiz", None)
    service.start_session(now=NOW, patient=patient, procedure=procedure)
    assert service.session_opened_at() == NOW
    assert PatientRepository(fresh_db).details() == patient
    [saved] = PlanQueries(fresh_db).procedures()
    assert (saved.kind, saved.at) == ("test-block", procedure.at)
    settings = SettingsRepository(fresh_db)
    assert settings.is_set_up() and settings.guide_offered()


def test_a_session_without_a_procedure_leaves_the_plan_to_the_guide(service, fresh_db):
    service.start_session(now=NOW, patient=PatientDetails())
    assert service.session_opened_at() == NOW
    assert PatientRepository(fresh_db).details() == PatientDetails()
    settings = SettingsRepository(fresh_db)
    assert not settings.is_set_up() and not settings.guide_offered()
