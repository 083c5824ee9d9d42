"""Storage faults met by every command-line verb: each ends in one `Error: ...` line and a
non-zero exit, never a traceback (issue 10 §3).

The faults: a full disk (a small tmpfs, so only as root), a read-only database file, a read-only
data folder, a data folder that cannot be made (it would sit under a file), the app's tables
dropped, and a database another process holds locked past the busy timeout. As root, "read-only"
is a read-only bind mount (root ignores file modes); otherwise a chmod. Nothing outside tmp_path
is touched, and every mount is undone in a `finally`.

Run as a script (`python -m tests.faults.test_storage_cli`, as root) it prints how many runs of
each fault printed a traceback, the numbers the issue's closing note asks for.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import run_cli

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NEEDS_ROOT = pytest.mark.skipif(not IS_ROOT, reason="a full disk needs a tmpfs mount (root)")
TRACEBACK = "Traceback (most recent call last)"
FULL_DISK_ADDS = 20

PATHWAY = Path(__file__).resolve().parents[2] / "data" / "pathways" / "lumbar.toml"


def verbs(out: Path) -> dict[str, list[str]]:
    """One run of every verb that opens the diary (pathway check opens no diary: see
    test_cli_input). `out` is a folder for files the verbs write, away from the fault."""
    return {
        "diary add": ["diary", "add", "--score", "4", "--note", "probe"],
        "diary list": ["diary", "list"],
        "plan add-procedure": [
            "plan",
            "add-procedure",
            "--kind",
            "test-block",
            "--region",
            "lumbar",
            "--side",
            "right",
            "--at",
            _local_time(hours=24),
        ],
        "plan show": ["plan", "show"],
        "block baseline": [
            "block",
            "baseline",
            "--area",
            "lower_back",
            "--side",
            "left",
            "--score",
            "6",
        ],
        "block record": [
            "block",
            "record",
            "--area",
            "lower_back",
            "--side",
            "left",
            "--score",
            "2",
            "--at",
            _local_time(hours=-1),
        ],
        "block summary": ["block", "summary"],
        "reminders list": ["reminders", "list"],
        "reminders run": ["reminders", "run", "--once"],
        "reminders export-ics": [
            "reminders",
            "export-ics",
            "--audience",
            "patient",
            "--out",
            str(out / "calendar.ics"),
        ],
        "report": ["report", "--format", "csv", "--out", str(out / "report.csv")],
    }


def seed(data_dir: Path) -> None:
    """A diary with an entry and a block two hours ago, so every verb has something to do."""
    for args in (
        ["diary", "add", "--score", "3"],
        [
            "plan",
            "add-procedure",
            "--kind",
            "test-block",
            "--region",
            "lumbar",
            "--side",
            "left",
            "--at",
            _local_time(hours=-2),
        ],
    ):
        result = run_cli(*args, "--data-dir", data_dir)
        assert result.returncode == 0, result.stderr


def _local_time(*, hours: int) -> str:
    """The device's local time `hours` from now, as a verb's --at takes it."""
    return (datetime.now() + timedelta(hours=hours)).replace(microsecond=0).isoformat()


# --- making the faults (each yields the --data-dir to use) -------------------------------------


@contextlib.contextmanager
def mounted_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", where], check=True
    )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", where], check=True)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) cannot be written, even by root."""
    if not IS_ROOT:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    subprocess.run(["mount", "--bind", path, path], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", path, path], check=True)
        yield
    finally:
        subprocess.run(["umount", "-l", path], check=True)


def fill(folder: Path) -> None:
    """Write zeros into `folder` until its file system is full."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        for block in (65536, 512):  # the last, partial blocks too
            with contextlib.suppress(OSError):
                while filler.write(b"\0" * block):
                    pass


@contextlib.contextmanager
def full_disk(tmp: Path) -> Iterator[Path]:
    """The disk fills while the diary is open elsewhere (the app or the reminder agent), so its
    write-ahead log and shared-memory files are there."""
    with mounted_tmpfs(tmp / "disk", "4m") as disk:
        data_dir = disk / "data"
        seed(data_dir)
        app = sqlite3.connect(data_dir / "facet.db")
        try:
            app.execute("SELECT count(*) FROM sqlite_master").fetchone()
            fill(disk)
            yield data_dir
        finally:
            app.close()


@contextlib.contextmanager
def read_only_file(tmp: Path) -> Iterator[Path]:
    data_dir = tmp / "data"
    seed(data_dir)
    _checkpoint(data_dir)
    with read_only(data_dir / "facet.db"):
        yield data_dir


@contextlib.contextmanager
def read_only_folder(tmp: Path) -> Iterator[Path]:
    data_dir = tmp / "data"
    seed(data_dir)
    _checkpoint(data_dir)
    with read_only(data_dir):
        yield data_dir


@contextlib.contextmanager
def folder_under_a_file(tmp: Path) -> Iterator[Path]:
    (tmp / "a-file").write_text("not a folder")
    yield tmp / "a-file" / "data"


@contextlib.contextmanager
def dropped_tables(tmp: Path) -> Iterator[Path]:
    data_dir = tmp / "data"
    seed(data_dir)
    conn = sqlite3.connect(data_dir / "facet.db")
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' "
                "ESCAPE '\\' AND name NOT LIKE 'sqlite%'"
            )
        ]
        for table in tables:
            conn.execute(f"DROP TABLE [{table}]")
    conn.close()
    yield data_dir


@contextlib.contextmanager
def locked(tmp: Path) -> Iterator[Path]:
    """Another process holds the write lock for longer than the busy timeout."""
    data_dir = tmp / "data"
    seed(data_dir)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)",
            str(data_dir / "facet.db"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield data_dir
    finally:
        holder.kill()
        holder.wait()


def _checkpoint(data_dir: Path) -> None:
    """Everything into facet.db itself, so the read-only file holds the whole diary."""
    conn = sqlite3.connect(data_dir / "facet.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


FAULTS: dict[str, Callable[[Path], contextlib.AbstractContextManager[Path]]] = {
    "full disk": full_disk,
    "read-only file": read_only_file,
    "read-only folder": read_only_folder,
    "folder under a file": folder_under_a_file,
    "dropped tables": dropped_tables,
    "locked": locked,
}


def run_all(fault: str, tmp: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every verb once against `fault`, at most three at a time (a locked run waits its busy
    timeout, so they wait together)."""
    out = tmp / "out"
    out.mkdir()
    commands = verbs(out)
    workers = len(commands) if fault == "locked" else 3
    with FAULTS[fault](tmp) as data_dir, ThreadPoolExecutor(max_workers=workers) as pool:
        runs = {
            name: pool.submit(run_cli, *args, "--data-dir", data_dir)
            for name, args in commands.items()
        }
        return {name: run.result() for name, run in runs.items()}


def problem_with(result: subprocess.CompletedProcess[str]) -> str | None:
    """None when the run either worked or said one `Error: ...` line and exited non-zero."""
    if TRACEBACK in result.stderr:
        return "printed a traceback"
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    if len(lines) != 1 or not lines[0].startswith("Error: "):
        return f"did not end in one Error line: {result.stderr!r}"
    return None


@pytest.mark.parametrize(
    "fault", [pytest.param("full disk", marks=NEEDS_ROOT), *[f for f in FAULTS if f != "full disk"]]
)
def test_every_verb_ends_a_storage_fault_in_one_plain_line(tmp_path, fault):
    results = run_all(fault, tmp_path)
    problems = {
        name: problem for name, result in results.items() if (problem := problem_with(result))
    }
    assert problems == {}
    failed = {name: r.stderr.strip() for name, r in results.items() if r.returncode != 0}
    # Every failure is said in words, with no SQLite or Python jargon.
    for name, line in failed.items():
        for jargon in ("sqlite", "OperationalError", "Errno", "no such table"):
            assert jargon not in line, (name, line)
    # Every verb that writes says it could not (a read may still work: the diary is there).
    writers = {"diary add", "plan add-procedure", "block baseline", "reminders run"}
    assert writers <= failed.keys()


@NEEDS_ROOT
def test_adds_on_a_full_disk_each_say_so_and_nothing_saved_is_lost(tmp_path):
    with full_disk(tmp_path) as data_dir:
        results = [
            run_cli("diary", "add", "--score", "5", "--data-dir", data_dir)
            for _ in range(FULL_DISK_ADDS)
        ]
        (data_dir.parent / "filler").unlink()  # room again: the earlier entry is still there
        listed = run_cli("diary", "list", "--format", "json", "--data-dir", data_dir)
    assert [problem_with(r) for r in results] == [None] * FULL_DISK_ADDS
    assert all(r.returncode != 0 for r in results)
    assert "disk" in results[0].stderr.lower() or "space" in results[0].stderr.lower()
    assert '"score": 3' in listed.stdout


def count_tracebacks() -> None:
    """The probe: for each fault, how many verb runs printed a traceback."""
    for fault in FAULTS:
        if fault == "full disk" and not IS_ROOT:
            print(f"{fault:20} skipped (not root)")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            results = run_all(fault, Path(tmp))
        tracebacks = [name for name, r in results.items() if TRACEBACK in r.stderr]
        unclear = [name for name, r in results.items() if problem_with(r)]
        print(
            f"{fault:20} tracebacks {len(tracebacks)}/{len(results)}, "
            f"not one Error line {len(unclear)}/{len(results)}: {', '.join(unclear)}"
        )
    if IS_ROOT:
        with tempfile.TemporaryDirectory() as tmp, full_disk(Path(tmp)) as data_dir:
            adds = [
                run_cli("diary", "add", "--score", "5", "--data-dir", data_dir)
                for _ in range(FULL_DISK_ADDS)
            ]
        print(
            f"{'full-disk adds':20} tracebacks "
            f"{sum(TRACEBACK in r.stderr for r in adds)}/{FULL_DISK_ADDS}"
        )


if __name__ == "__main__":
    count_tracebacks()
