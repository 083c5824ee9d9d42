"""`diary add` in a loop while the writer is killed with SIGKILL at random moments.

After restart every entry whose id was printed is there, each entry is whole (its area row
came with it), and `PRAGMA integrity_check` says ok.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import statistics
import subprocess
import time

from app.store.database import database_path

from .helpers import REPO_ROOT, cli_command, cli_env, run_cli

RUNS = 40
SEED = 20261128
NOTE = "Nach dem Aufstehen 😣 " * 60  # about 1,300 characters, so the write is not trivial


def start_add(data_dir, score: int, env, run: int, *at: str) -> subprocess.Popen[str]:
    """One `diary add`; `run` numbers the note, so no run is a retry of another."""
    return subprocess.Popen(
        cli_command(
            "diary",
            "add",
            "--data-dir",
            data_dir,
            "--score",
            str(score),
            "--area",
            "lower_back",
            "--side",
            "both",
            "--note",
            f"{NOTE}{run}",
            *at,
        ),
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def printed_id(stdout: str) -> int | None:
    text = stdout.strip()
    return int(text) if text.isdigit() else None


def test_every_printed_id_survives_sigkill_at_random_moments(tmp_path):
    env = cli_env()
    rng = random.Random(SEED)
    printed: dict[int, int] = {}  # id -> score sent

    # How long does one whole `diary add` take on this machine? (The first run also creates
    # and migrates the database.)
    durations = []
    for score in (1, 2, 3, 4):
        started = time.monotonic()
        proc = start_add(tmp_path, score, env, -score)
        stdout, stderr = proc.communicate(timeout=60)
        durations.append(time.monotonic() - started)
        assert proc.returncode == 0, stderr
        printed[printed_id(stdout)] = score
    typical = statistics.median(durations[1:])

    killed_before_printing = 0
    for run in range(RUNS):
        score = run % 11
        # Half the kills anywhere in a run, half in its last part, after the imports, where the
        # database is opened, written and committed and the id printed (about the last fifth).
        if run % 2:
            delay = rng.uniform(0, 1.25 * typical)
        else:
            delay = rng.uniform(0.7 * typical, 1.05 * typical)
        proc = start_add(tmp_path, score, env, run)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # a no-op if it has already finished
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), (
            f"run {run} failed on its own (exit {proc.returncode}):\n{stderr}"
        )
        assert "Traceback" not in stderr
        entry_id = printed_id(stdout)
        if entry_id is None:
            assert proc.returncode == -signal.SIGKILL, f"run {run} finished without an id"
            killed_before_printing += 1
        else:
            assert entry_id not in printed, f"id {entry_id} was printed twice"
            printed[entry_id] = score

    # The loop really did both: interrupted writers, and writers that got to print.
    assert killed_before_printing >= 1
    assert len(printed) > 4

    print(
        f"one run takes {typical:.3f}s; ids printed: {len(printed)}; "
        f"killed before printing: {killed_before_printing}"
    )
    # Restart: the app opens the database again, recovering the write-ahead log.
    result = run_cli("diary", "list", "--data-dir", tmp_path, "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    listed = {record["id"]: record for record in json.loads(result.stdout)}

    print(
        f"entries after restart: {len(listed)}, "
        f"of them saved but killed before printing: {len(set(listed) - set(printed))}"
    )
    missing = sorted(set(printed) - set(listed))
    assert not missing, f"printed but lost: {missing}"
    for entry_id, score in printed.items():
        assert listed[entry_id]["score"] == score
    for record in listed.values():  # all or nothing: no entry without its area or note
        assert record["areas"] == [{"area": "lower_back", "side": "both", "score": record["score"]}]
        assert record["note"].startswith(NOTE.strip())

    conn = sqlite3.connect(database_path(tmp_path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()

    # And it still takes new entries.
    result = run_cli("diary", "add", "--data-dir", tmp_path, "--score", "5", env=env)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > max(listed)


def test_a_retry_after_a_kill_prints_the_id_and_never_saves_twice(tmp_path):
    """Each add is killed at a random moment, then sent again with the same --at, score and
    note until it prints an id: one entry per add, and the id printed is that entry's."""
    env = cli_env(TZ="UTC")
    rng = random.Random(SEED)
    started = time.monotonic()
    first = start_add(tmp_path, 0, env, 0, "--at", "2026-11-01T08:00")
    first.communicate(timeout=60)
    typical = time.monotonic() - started
    printed, retried_to_an_earlier_save = {}, 0
    for run in range(1, RUNS + 1):
        at = ("--at", f"2026-11-01T{8 + run // 60:02d}:{run % 60:02d}")
        proc = start_add(tmp_path, run % 11, env, run, *at)
        time.sleep(rng.uniform(0.5 * typical, 1.1 * typical))
        proc.send_signal(signal.SIGKILL)
        stdout, _ = proc.communicate(timeout=60)
        if printed_id(stdout) is None:
            retry = start_add(tmp_path, run % 11, env, run, *at)
            stdout, stderr = retry.communicate(timeout=60)
            assert retry.returncode == 0, stderr
            retried_to_an_earlier_save += "Already saved as entry" in stderr
        printed[run] = printed_id(stdout)
    listed = json.loads(
        run_cli("diary", "list", "--data-dir", tmp_path, "--format", "json", env=env).stdout
    )
    by_note = {record["note"].removeprefix(NOTE.strip()).strip(): record["id"] for record in listed}
    print(
        f"{RUNS} adds killed at random: {retried_to_an_earlier_save} had saved before the "
        f"kill and their retry printed that id; entries {len(listed) - 1}"
    )
    assert len(listed) == RUNS + 1  # the first add, and one per run: nothing saved twice
    assert all(by_note[str(run)] == entry_id for run, entry_id in printed.items())


def test_the_same_add_sent_again_within_a_minute_is_already_saved(tmp_path):
    env = cli_env(TZ="UTC")
    args = ("diary", "add", "--data-dir", tmp_path, "--score", "6", "--note", "after the walk")
    first = run_cli(*args, "--at", "2026-11-01T08:00:00", env=env)
    again = run_cli(*args, "--at", "2026-11-01T08:00:40", env=env)
    assert (again.returncode, again.stdout) == (0, first.stdout)
    assert again.stderr == (
        f"Already saved as entry {first.stdout.strip()} (same time, score "
        "and note), so it was not saved twice.\n"
    )
    other_note = run_cli(
        "diary",
        "add",
        "--data-dir",
        tmp_path,
        "--score",
        "6",
        "--note",
        "before bed",
        "--at",
        "2026-11-01T08:00:00",
        env=env,
    )
    later = run_cli(*args, "--at", "2026-11-01T08:01:01", env=env)
    now_twice = run_cli(*args[:-2], env=env), run_cli(*args[:-2], env=env)
    ids = {first.stdout, other_note.stdout, later.stdout, now_twice[0].stdout}
    assert len(ids) == 4 and now_twice[1].stdout == now_twice[0].stdout
