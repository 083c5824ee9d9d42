"""The `diary` verbs as a separate process: what they print, what they save, how they fail."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.store.database import database_path
from app.store.migrations import MIGRATION_SET

from .helpers import cli_env, run_cli

NOTE = "Knie und Rücken 😣🛏️ · 腰痛 · ألم"


def add(data_dir, *args: str) -> int:
    result = run_cli("diary", "add", "--data-dir", data_dir, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip().isdigit(), result.stdout
    return int(result.stdout)


def listed(data_dir, *args: str) -> list[dict]:
    result = run_cli("diary", "list", "--data-dir", data_dir, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_one_line_error(result) -> str:
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0] == result.stderr.rstrip("\n").splitlines()[-1]
    return errors[0]


def test_add_prints_the_new_id(tmp_path):
    assert add(tmp_path, "--score", "4") == 1
    assert add(tmp_path, "--score", "5") == 2


def test_list_as_json_gives_the_entry_back(tmp_path):
    entry_id = add(
        tmp_path,
        "--score",
        "7",
        "--area",
        "lower_back",
        "--side",
        "both",
        "--activity",
        "Gärtnern",
        "--note",
        NOTE,
    )
    [record] = listed(tmp_path)
    assert record["id"] == entry_id
    assert record["score"] == 7
    assert record["areas"] == [{"area": "lower_back", "side": "both", "score": 7}]
    assert record["activity"] == "Gärtnern"
    assert record["note"] == NOTE
    at = datetime.fromisoformat(record["at_utc"])
    assert abs(at - datetime.now(UTC)) < timedelta(minutes=2)


def test_list_as_csv_gives_the_entry_back(tmp_path):
    entry_id = add(tmp_path, "--score", "3", "--area", "neck", "--side", "left", "--note", NOTE)
    result = run_cli("diary", "list", "--data-dir", tmp_path, "--format", "csv")
    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert row["id"] == str(entry_id)
    assert row["score"] == "3"
    assert row["areas"] == "neck:left:3"
    assert row["note"] == NOTE


def test_list_as_a_table(tmp_path):
    add(tmp_path, "--score", "6", "--area", "neck", "--side", "right", "--note", "stiff")
    result = run_cli("diary", "list", "--data-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split() == ["id", "local", "time", "score", "areas", "/", "note"]
    assert "Neck, right 6 | stiff" in row


def test_since_filters_oldest_first(tmp_path):
    now = datetime.now(UTC).replace(microsecond=0)
    ids = [
        add(tmp_path, "--score", str(n), "--at", (now - timedelta(hours=n)).isoformat())
        for n in (3, 1, 2)
    ]
    since = (now - timedelta(hours=2, minutes=1)).isoformat()
    assert [(r["id"], r["score"]) for r in listed(tmp_path, "--since", since)] == [
        (ids[2], 2),
        (ids[1], 1),
    ]
    assert [r["score"] for r in listed(tmp_path)] == [3, 2, 1]
    assert listed(tmp_path, "--since", (now + timedelta(days=1)).isoformat()) == []


def test_a_bad_since_is_a_usage_error(tmp_path):
    result = run_cli("diary", "list", "--data-dir", tmp_path, "--since", "last tuesday")
    assert "--since: “last tuesday” is not a date or time" in assert_one_line_error(result)


def test_naive_times_are_local_to_the_device(tmp_path):
    zone = "America/New_York"
    yesterday = datetime.now(ZoneInfo(zone)).date() - timedelta(days=1)
    env = cli_env(TZ=zone)
    result = run_cli(
        "diary",
        "add",
        "--data-dir",
        tmp_path,
        "--score",
        "5",
        "--at",
        f"{yesterday}T23:30",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    [record] = listed(tmp_path)
    assert record["zone"] == zone
    assert record["local_time"].startswith(f"{yesterday.isoformat()}T23:30:00")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--score", "11"], "whole number from 0 to 10"),
        (["--score", "seven"], "whole number from 0 to 10"),
        (["--score", "3", "--at", "FUTURE"], "in the future"),
        (["--score", "3", "--at", "not a time"], "is not a date and time"),
        (["--score", "3", "--area", "neck"], "--area and --side go together"),
        (["--score", "3", "--side", "left"], "--area and --side go together"),
        (["--score", "3", "--area", "knee", "--side", "left"], "Invalid value for '--area'"),
        (["--score", "3", "--note", "n" * 2001], "2,001 characters"),
    ],
    ids=[
        "score-11",
        "score-word",
        "future",
        "bad-time",
        "area-alone",
        "side-alone",
        "unknown-area",
        "long-note",
    ],
)
def test_bad_input_is_refused_with_one_line_and_nothing_saved(tmp_path, args, says):
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    args = [future if a == "FUTURE" else a for a in args]
    result = run_cli("diary", "add", "--data-dir", tmp_path, *args)
    assert says in assert_one_line_error(result)
    assert listed(tmp_path) == []


def test_facet_data_dir_is_honoured(tmp_path):
    env_dir, option_dir = tmp_path / "from-env", tmp_path / "from-option"
    env = cli_env(FACET_DATA_DIR=str(env_dir), HOME=str(tmp_path / "home"))
    result = run_cli("diary", "add", "--score", "2", "--note", "via env", env=env)
    assert result.returncode == 0, result.stderr
    assert database_path(env_dir).is_file()

    result = run_cli("diary", "list", "--format", "json", env=env)
    assert [r["note"] for r in json.loads(result.stdout)] == ["via env"]

    # --data-dir wins over the variable.
    result = run_cli("diary", "add", "--score", "3", "--data-dir", option_dir, env=env)
    assert result.returncode == 0, result.stderr
    assert [r["score"] for r in listed(option_dir)] == [3]
    assert [r["score"] for r in listed(env_dir)] == [2]
    assert not (tmp_path / "home").exists()


def test_a_database_from_a_newer_version_is_refused_clearly_and_left_alone(tmp_path):
    add(tmp_path, "--score", "4")
    path = database_path(tmp_path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [MIGRATION_SET, "m042_from_the_future", "2031-01-01 00:00:00+00:00"],
        )
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    for verb in (["list"], ["add", "--score", "5"]):
        result = run_cli("diary", *verb, "--data-dir", tmp_path)
        message = assert_one_line_error(result)
        assert "newer version of Facet Companion" in message
        assert "update the app" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
