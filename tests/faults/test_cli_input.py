"""Bad input at the command line: far-off dates, huge ids, long junk, missing options, times the
clocks jump over, zones that are not places, pipes and devices given as files. Each is refused in
one `Error: ...` line naming the option, echoing at most 80 characters of what was typed, with no
traceback and nothing saved (issue 10 §3 and §5)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.helpers import cli_env, run_cli

TRACEBACK = "Traceback (most recent call last)"
JUNK = "x" * 5000
HUGE = "9" * 30
VERY_LONG_NUMBER = "9" * 5000
NEW_YORK = cli_env(TZ="America/New_York")
PATHWAY = Path(__file__).resolve().parents[2] / "data" / "pathways" / "lumbar.toml"
PROCEDURE = [
    "plan",
    "add-procedure",
    "--kind",
    "test-block",
    "--region",
    "lumbar",
    "--side",
    "left",
]

CASES = {
    # far-off dates
    "diary add, year 1": (["diary", "add", "--score", "3", "--at", "0001-01-01T00:00"], "--at"),
    "diary add, year 9999": (["diary", "add", "--score", "3", "--at", "9999-12-31T23:59"], "--at"),
    "diary list, year 1": (["diary", "list", "--since", "0001-01-01"], "--since"),
    "diary list, year 9999": (["diary", "list", "--since", "9999-12-31T23:59:59"], "--since"),
    "plan, year 9999": (
        [*PROCEDURE, "--at", "9999-12-31T23:59", "--zone", "Pacific/Kiritimati"],
        "--at",
    ),
    "plan, year 1": ([*PROCEDURE, "--at", "0001-01-01T00:00", "--zone", "Asia/Tokyo"], "--at"),
    "reminders, from 9999": (["reminders", "list", "--from", "9999-12-31T00:00"], "--from"),
    "reminders, to year 1": (["reminders", "list", "--to", "0001-01-01"], "--to"),
    # huge ids and numbers
    "block summary, huge id": (["block", "summary", "--procedure", HUGE], "--procedure"),
    "block summary, 5000 digits": (
        ["block", "summary", "--procedure", VERY_LONG_NUMBER],
        "--procedure",
    ),
    "plan show, huge cycle": (["plan", "show", "--cycle", HUGE], "--cycle"),
    "diary add, huge score": (["diary", "add", "--score", VERY_LONG_NUMBER], "--score"),
    # long junk is echoed short
    "diary add, junk time": (["diary", "add", "--score", "3", "--at", JUNK], "--at"),
    "diary list, junk since": (["diary", "list", "--since", JUNK], "--since"),
    "diary list, junk format": (["diary", "list", "--format", JUNK], "--format"),
    "plan, junk zone": ([*PROCEDURE, "--at", "2027-01-01T09:00", "--zone", JUNK], "--zone"),
    "junk verb": ([JUNK], None),
    "junk option": (["diary", "list", f"--{JUNK}"], None),
    "junk option value": (["diary", "list", f"--format={JUNK}"], "--format"),
    # a missing option is one line, no usage block
    "diary add, no score": (["diary", "add"], "--score"),
    "plan, no kind": (["plan", "add-procedure"], "--kind"),
    # zones that are not places
    "plan, Factory zone": ([*PROCEDURE, "--at", "2027-01-01T09:00", "--zone", "Factory"], "--zone"),
    "plan, unknown zone": (
        [*PROCEDURE, "--at", "2027-01-01T09:00", "--zone", "Mars/Base"],
        "--zone",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_short_line_naming_the_option(tmp_path, case):
    args, option = CASES[case]
    result = run_cli(*args, "--data-dir", tmp_path / "data")
    assert TRACEBACK not in result.stderr
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Usage:" not in result.stderr
    if option:
        assert option in lines[0]
    for typed in (JUNK, VERY_LONG_NUMBER):
        assert typed[:81] not in lines[0]  # at most 80 characters of it
    assert result.stdout == ""


def entries(data_dir: Path, env=None) -> list[dict]:
    listed = run_cli("diary", "list", "--format", "json", "--data-dir", data_dir, env=env)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def test_a_time_the_clocks_jump_over_is_refused_with_the_two_choices(tmp_path):
    result = run_cli(
        "diary",
        "add",
        "--score",
        "4",
        "--at",
        "2026-03-08T02:30",
        "--data-dir",
        tmp_path,
        env=NEW_YORK,
    )
    assert result.stderr == (
        "Error: --at: 02:30 does not exist on Sunday 8 March 2026: the "
        "clocks jump from 02:00 to 03:00. Choose 01:59 or 03:00.\n"
    )
    planned = run_cli(*PROCEDURE, "--at", "2027-03-14T02:30", "--data-dir", tmp_path, env=NEW_YORK)
    assert "Choose 01:59 or 03:00." in planned.stderr and planned.returncode == 1


def test_a_time_that_happens_twice_is_the_first_and_says_so(tmp_path):
    result = run_cli(
        "diary",
        "add",
        "--score",
        "4",
        "--at",
        "2026-11-01T01:30",
        "--data-dir",
        tmp_path,
        env=NEW_YORK,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Note: 01:30 happens twice on Sunday 1 November 2026")
    assert "2026-11-01T01:30-05:00" in result.stderr
    assert entries(tmp_path, NEW_YORK)[0]["at_utc"].startswith("2026-11-01T05:30")


@pytest.mark.parametrize(
    "tz, stored", [("EST5EDT", "America/New_York"), (":PST8PDT", "America/Los_Angeles")]
)
def test_an_old_style_device_zone_is_stored_as_its_place(tmp_path, tz, stored):
    result = run_cli("diary", "add", "--score", "4", "--data-dir", tmp_path, env=cli_env(TZ=tz))
    assert result.returncode == 0, result.stderr
    assert entries(tmp_path)[0]["zone"] == stored


@pytest.mark.parametrize("tz", ["Factory", "Mars/Base", "EST+5"])
def test_an_unset_or_unknown_device_zone_saves_nothing_as_utc(tmp_path, tz):
    result = run_cli("diary", "add", "--score", "4", "--data-dir", tmp_path, env=cli_env(TZ=tz))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: The time zone is not set")
    assert entries(tmp_path) == []


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", JUNK])
def test_block_record_refuses_a_far_off_or_junk_time_naming_at(tmp_path, at):
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    planned = run_cli(*PROCEDURE, "--at", yesterday, "--data-dir", tmp_path, env=cli_env(TZ="UTC"))
    assert planned.returncode == 0, planned.stderr
    result = run_cli(
        "block",
        "record",
        "--area",
        "lower_back",
        "--side",
        "left",
        "--score",
        "3",
        "--at",
        at,
        "--data-dir",
        tmp_path,
        env=cli_env(TZ="UTC"),
    )
    assert result.returncode == 1 and TRACEBACK not in result.stderr
    assert result.stderr.startswith("Error: --at: ") and result.stderr.count("\n") == 1
    assert JUNK[:81] not in result.stderr


def test_plan_zone_in_old_style_is_stored_as_its_place(tmp_path):
    result = run_cli(
        *PROCEDURE, "--at", "2027-01-05T09:00", "--zone", "EST5EDT", "--data-dir", tmp_path
    )
    assert result.returncode == 0, result.stderr
    shown = run_cli("plan", "show", "--format", "json", "--data-dir", tmp_path)
    procedure = json.loads(shown.stdout)["procedures"][0]
    assert (procedure["zone"], procedure["at_utc"]) == (
        "America/New_York",
        "2027-01-05T14:00:00+00:00",
    )


# --- pathway check: pipes, devices, a byte-order mark --------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_pathway_check_refuses_a_pipe_without_waiting(tmp_path):
    pipe = tmp_path / "pathway.toml"
    os.mkfifo(pipe)
    result = run_cli("pathway", "check", pipe, timeout=20)
    assert (
        result.stderr == f"Error: “{pipe}” is a pipe, not a file. Give the pathway's .toml file.\n"
    )
    assert result.returncode == 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_pathway_check_refuses_a_device(device):
    result = run_cli("pathway", "check", device, timeout=20)
    assert result.stderr == (
        f"Error: “{device}” is a device, not a file. Give the pathway's .toml file.\n"
    )


def test_pathway_check_reads_a_file_with_a_byte_order_mark(tmp_path):
    marked = tmp_path / "lumbar.toml"
    marked.write_bytes(b"\xef\xbb\xbf" + PATHWAY.read_bytes())
    result = run_cli("pathway", "check", marked)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: Lower back")
