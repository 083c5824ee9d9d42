"""The `block` and `report` verbs as a separate process: baselines saved, the summary's numbers,
and reports written where asked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from app.domain.block_diary import PromptEntry
from app.domain.dates import date_label
from app.domain.diary import AreaScore
from app.store.block_diary_repository import BlockDiaryRepository
from app.store.database import open_database

from .helpers import cli_env, run_cli
from .test_cli import assert_one_line_error

LONDON = cli_env(TZ="Europe/London")
# A block that happened ten hours ago, so every prompt has closed: whole minutes, in UTC.
BLOCK_AT = (datetime.now(UTC) - timedelta(hours=10)).replace(second=0, microsecond=0)


def ok(*args, env=LONDON) -> str:
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def add_block(
    data_dir, at: datetime = BLOCK_AT, kind: str = "test-block", anaesthetic: str = "lidocaine"
) -> int:
    args = [
        "plan",
        "add-procedure",
        "--data-dir",
        data_dir,
        "--kind",
        kind,
        "--region",
        "lumbar",
        "--side",
        "both",
        "--at",
        at.isoformat(),
        "--levels",
        "L4-L5",
    ]
    if anaesthetic:
        args += ["--anaesthetic", anaesthetic]
    return int(ok(*args))


def seed_prompts(data_dir, block_id: int, scores: dict[int, tuple[int, int]]) -> None:
    db = open_database(data_dir)
    store = BlockDiaryRepository(db)
    for minutes, (left, right) in scores.items():
        store.add_prompt_entry(
            PromptEntry(
                block_id,
                minutes,
                BLOCK_AT + timedelta(minutes=minutes, seconds=30),
                "Europe/London",
                (AreaScore("lower_back", "left", left), AreaScore("lower_back", "right", right)),
            )
        )
    db.close()


def test_baselines_and_the_summary_with_exact_numbers(tmp_path):
    block_id = add_block(tmp_path)
    before = (BLOCK_AT - timedelta(minutes=30)).isoformat()
    assert ok(
        "block",
        "baseline",
        "--data-dir",
        tmp_path,
        "--area",
        "lower_back",
        "--side",
        "right",
        "--score",
        "8",
        "--at",
        before,
        "--activity",
        "standing",
    ).strip() == str(block_id)
    ok(
        "block",
        "baseline",
        "--data-dir",
        tmp_path,
        "--area",
        "lower_back",
        "--side",
        "left",
        "--score",
        "5",
        "--procedure",
        str(block_id),
    )
    # Right: 100% to 1 hour, 75% at 2 hours; left: 20% throughout. 30 minutes is never answered.
    seed_prompts(tmp_path, block_id, {15: (4, 0), 45: (4, 1), 60: (4, 1), 120: (4, 2)})

    summary = json.loads(ok("block", "summary", "--data-dir", tmp_path, "--format", "json"))
    assert summary["procedure"]["id"] == block_id
    assert summary["procedure"]["levels"] == "L4-L5"
    assert summary["threshold_percent"] == 80
    assert summary["anaesthetic"] == "lidocaine" and summary["expected_hours"] == [1.0, 2.0]
    left, right = summary["areas"]
    assert (left["side"], right["side"]) == ("left", "right")
    assert right["baseline"] == 8
    assert [
        (e["minutes"], e["score"], e["relief_percent"], e["missed"]) for e in right["entries"][:5]
    ] == [
        (15, 0, 100.0, False),
        (30, None, None, True),
        (45, 1, 87.5, False),
        (60, 1, 87.5, False),
        (120, 2, 75.0, False),
    ]
    assert len(right["entries"]) == 11  # the later prompts were recorded as missed
    assert right["peak_relief_percent"] == 100.0 and right["peak_minutes"] == 15
    assert right["hours_at_or_above_threshold"] == 1.0
    assert right["run"] == {
        "from_minutes": 0,
        "to_minutes": 60,
        "missed_inside": 1,
        "open_ended": False,
    }
    assert right["fits_anaesthetic"] is True and right["fit"] == "fits"
    assert (right["reached_threshold"], right["lasted_as_expected"], right["both_parts_met"]) == (
        True,
        True,
        True,
    )
    assert left["peak_relief_percent"] == 20.0 and left["fit"] == "not_reached"
    assert left["fits_anaesthetic"] is False
    assert (left["reached_threshold"], left["lasted_as_expected"], left["both_parts_met"]) == (
        False,
        False,
        False,
    )
    assert summary["sentence"] == (
        "Your diary shows at most about 20% relief in your lower back on the left. "
        "Your diary shows up to about 100% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 1 hour. "
        "Your care team will go through it with you."
    )
    assert summary["comparison"] is None

    text = ok("block", "summary", "--data-dir", tmp_path)
    assert (
        "Lower back, right side: baseline 8, peak 100%, 1 h at or above 80%, fit: fits, "
        "reached: yes, lasted as expected: yes"
    ) in text


def seed_right(data_dir, block_id: int, block_at: datetime, scores: dict[int, int]) -> None:
    db = open_database(data_dir)
    store = BlockDiaryRepository(db)
    for minutes, score in scores.items():
        store.add_prompt_entry(
            PromptEntry(
                block_id,
                minutes,
                block_at + timedelta(minutes=minutes, seconds=30),
                "Europe/London",
                (AreaScore("lower_back", "right", score),),
            )
        )
    db.close()


def test_two_brief_blocks_are_compared_part_by_part(tmp_path):
    second_at = BLOCK_AT + timedelta(minutes=1)
    first = add_block(tmp_path)
    second = add_block(tmp_path, second_at, "confirm-block", "bupivacaine")
    for block_id in (first, second):
        ok(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "lower_back",
            "--side",
            "right",
            "--score",
            "8",
            "--procedure",
            str(block_id),
            "--at",
            (BLOCK_AT - timedelta(hours=1)).isoformat(),
        )
    # Lidocaine: 100% at 15 and 30 minutes, 25% at 45: 0:00-0:30, under the 1 to 2 hours.
    seed_right(tmp_path, first, BLOCK_AT, {15: 0, 30: 0, 45: 6, 60: 8})
    # Bupivacaine: 87.5% to 2 hours, 25% at 3: 0:00-2:00, under the 3 to 8 hours.
    seed_right(tmp_path, second, second_at, {15: 1, 30: 1, 45: 1, 60: 1, 120: 1, 180: 6})
    summary = json.loads(
        ok(
            "block",
            "summary",
            "--data-dir",
            tmp_path,
            "--procedure",
            str(first),
            "--format",
            "json",
        )
    )
    comparison = summary["comparison"]
    assert comparison["first_procedure"] == first
    assert comparison["second_procedure"] == second
    assert comparison["both_blocks_met_both_parts"] is False
    [area] = comparison["areas"]
    assert area["label"] == "Lower back, right side"
    assert area["both_blocks_met_both_parts"] is False and area["concordant"] is None
    assert area["concordance"] is None
    expected = {
        "first": {
            "procedure": first,
            "anaesthetic": "lidocaine",
            "expected_hours": [1.0, 2.0],
            "peak_relief_percent": 100.0,
            "peak_minutes": 15,
            "hours_at_or_above_threshold": 0.5,
            "open_ended": False,
            "reached_threshold": True,
            "lasted_as_expected": False,
            "both_parts_met": False,
        },
        "second": {
            "procedure": second,
            "anaesthetic": "bupivacaine",
            "expected_hours": [3.0, 8.0],
            "peak_relief_percent": 87.5,
            "peak_minutes": 15,
            "hours_at_or_above_threshold": 2.0,
            "open_ended": False,
            "reached_threshold": True,
            "lasted_as_expected": False,
            "both_parts_met": False,
        },
    }
    for block in ("first", "second"):
        got = {k: v for k, v in area[block].items() if k != "fit_explanation"}
        assert got == expected[block], block
    assert area["explanation"].endswith("Both parts met: first block no, second block no.")
    for word in ("agree", "concordant"):
        assert word not in comparison["sentence"]
    text = ok("block", "summary", "--data-dir", tmp_path, "--procedure", str(second))
    assert "Both parts met: first block no, second block no." in text


def test_bad_input_is_one_error_line(tmp_path):
    assert "no block in the plan" in assert_one_line_error(
        run_cli(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "neck",
            "--side",
            "left",
            "--score",
            "5",
            env=LONDON,
        )
    )
    block_id = add_block(tmp_path)
    error = assert_one_line_error(
        run_cli(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "neck",
            "--side",
            "left",
            "--score",
            "11",
            env=LONDON,
        )
    )
    assert error == "Error: --score: The pain score must be a whole number from 0 to 10, not “11”."
    zero = assert_one_line_error(
        run_cli(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "neck",
            "--side",
            "left",
            "--score",
            "0",
            env=LONDON,
        )
    )
    assert zero == (
        "Error: --score: You chose 0. Does this place usually hurt? If not, leave it out: "
        "with a usual pain of 0 the diary cannot show relief there."
    )
    late = assert_one_line_error(
        run_cli(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "neck",
            "--side",
            "left",
            "--score",
            "5",
            "--at",
            (BLOCK_AT + timedelta(minutes=5)).isoformat(),
            env=LONDON,
        )
    )
    started = date_label(BLOCK_AT, datetime.now(UTC), "Europe/London", in_sentence=True)
    assert late == (
        "Error: --at: Your usual pain is the pain before the block, "
        f"so it cannot be dated after the block started ({started}). Choose a time before that."
    )
    db = open_database(tmp_path)
    assert BlockDiaryRepository(db).baselines(block_id) == []  # nothing was saved
    db.close()
    rfa = add_block(tmp_path, kind="rfa", anaesthetic="")
    assert "is an RFA, not a block" in assert_one_line_error(
        run_cli("block", "summary", "--data-dir", tmp_path, "--procedure", str(rfa), env=LONDON)
    )
    assert_one_line_error(
        run_cli(
            "block",
            "baseline",
            "--data-dir",
            tmp_path,
            "--area",
            "knee",
            "--side",
            "left",
            "--score",
            "3",
            env=LONDON,
        )
    )
    assert_one_line_error(
        run_cli(
            "report",
            "--data-dir",
            tmp_path,
            "--format",
            "docx",
            "--out",
            tmp_path / "x",
            env=LONDON,
        )
    )


def test_reports_are_written_where_asked(tmp_path):
    data = tmp_path / "data"
    block_id = add_block(data)
    ok(
        "block",
        "baseline",
        "--data-dir",
        data,
        "--area",
        "lower_back",
        "--side",
        "right",
        "--score",
        "8",
    )
    seed_prompts(data, block_id, {15: (3, 0), 30: (3, 1)})
    out = tmp_path / "out"
    out.mkdir()
    pdf = ok("report", "--data-dir", data, "--format", "pdf", "--out", out / "r.pdf").strip()
    assert pdf == str(out / "r.pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert "L4-L5" in text and "100% at 0:15" in text
    csv_path = ok("report", "--data-dir", data, "--format", "csv", "--out", out).strip()
    assert csv_path.endswith(".csv")
    with open(csv_path, encoding="utf-8-sig") as file:
        assert "block_prompt" in file.read()
    fhir_path = ok(
        "report", "--data-dir", data, "--format", "fhir", "--out", out / "bundle.json"
    ).strip()
    from fhir.resources.bundle import Bundle

    Bundle.parse_file(fhir_path)
    error = assert_one_line_error(
        run_cli(
            "report",
            "--data-dir",
            data,
            "--format",
            "pdf",
            "--out",
            "/proc/no-such/r.pdf",
            env=LONDON,
        )
    )
    assert error.startswith("Error: The report could not be written to /proc/no-such/r.pdf")
