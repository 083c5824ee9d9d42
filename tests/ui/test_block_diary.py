"""The block diary, the outcomes after RFA and the reports, as a patient meets them: touches in a
real window with the clock simulated, checked on screen and on disk."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.block_diary import Baseline
from app.domain.block_diary_words import CARE_TEAM
from app.domain.outcomes import OutcomeCheckIn, Peg
from app.domain.plan import validate_procedure
from app.services.reports.csv_export import read_report_csv
from app.store.block_diary_repository import (
    BlockDiaryRepository,
    OutcomeRepository,
    PatientRepository,
    PromptAlreadyRecordedError,
)
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from app.ui.widgets.controls import AppButton

SHOTS = os.environ.get("FACET_SHOTS")
UTC = UTC
# The clock starts on Saturday 28 November 2026 at 15:30 in London (UTC in winter).
BLOCK_AT = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
# minutes after the block -> the score for the lower back, right side; None: left unanswered.
SCORES = {15: 1, 30: 1, 45: None, 60: 1, 120: 1, 180: 1, 240: 3, 300: 5, 360: 6, 420: 6, 480: 7}


@pytest.fixture(autouse=True)
def no_reminder_ticker(monkeypatch):
    """The reminders have tests of their own. Here the clock jumps hours at a time, which a
    running reminder ticker would rightly take for time away from the app, and answer with its
    own window over the diary."""
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None, raising=False)


def add_procedure(data_dir, clock, **raw):
    plan = PlanRepository(open_database(data_dir))
    return plan.add_procedure(validate_procedure(raw, now=clock.now(), zone=clock.zone()))


def add_block(data_dir, clock, side="right"):
    return add_procedure(
        data_dir,
        clock,
        kind="test-block",
        region="lumbar",
        side=side,
        at="2026-11-28T16:00",
        anaesthetic="lidocaine",
    )


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = ui.app.root_window.size
        orientation = "landscape" if width > height else "portrait"
        ui.screenshot(Path(SHOTS) / f"{name}-{orientation}.png")


def wait_for_tick(ui) -> None:
    """Let the screen's one-second tick notice that the clock moved."""
    ui.pump(seconds=1.2)


def tap_score(ui, score: int, root) -> None:
    ui.tap(
        ui.find(
            lambda w: (
                isinstance(w, AppButton)
                and w.text == str(score)
                and getattr(w, "score", None) == score
            ),
            root,
        )
    )


def test_a_whole_block_diary_by_touch_with_one_prompt_missed(start_app, clock, data_dir):
    block = add_block(data_dir, clock)
    ui = start_app()

    # From Today to the block's step on the timeline, and from there to its diary.
    ui.tap_text("Timeline")
    ui.settle()
    path = ui.screen.ids.path
    path.scroll_y = max(0, path.scroll_y - 0.2)  # a short swipe up, to the rows after today
    ui.pump(frames=4)
    ui.tap_text("Your timed diary has started")
    ui.settle()
    assert ui.screen.name == "step"
    ui.tap_text("Open the block diary")
    ui.settle()
    screen = ui.screen
    assert screen.name == "block_diary" and screen.page == "baseline"

    # The baseline: the block's own area and side are already chosen; the patient scores them.
    row = screen.area_rows["lower_back"]
    assert row.chosen and row.sides == ["right"]
    [side] = row.side_scores
    save_too_early = ui.find_text("Save my usual pain")
    ui.tap(save_too_early)
    assert "Choose a number from 0 (no pain) to 10 (worst imaginable)." in ui.visible_texts()
    tap_score(ui, 7, side)
    ui.type_into(screen.ids.baseline_activity, "standing at the sink")
    shot(ui, "block-baseline")
    ui.tap_text("Save my usual pain")
    assert screen.page == "waiting"
    assert screen.heading == "Your first question: today, Saturday 28 November, 16:15"
    assert screen.countdown_text == "Next question in 45 min 00 s, at 16:15"

    # The countdown follows the clock each second while the screen is shown.
    clock.advance(timedelta(seconds=10))
    wait_for_tick(ui)
    assert screen.countdown_text == "Next question in 44 min 50 s, at 16:15"

    for minutes, score in SCORES.items():
        clock.set(BLOCK_AT + timedelta(minutes=minutes, seconds=70))
        wait_for_tick(ui)
        if score is None:
            continue  # the patient was not there: this prompt closes unanswered
        assert screen.page == "prompt", (minutes, screen.page)
        assert screen.heading == (
            f"{minutes} minutes after your block"
            if minutes < 60
            else f"{minutes // 60} hour{'s' if minutes > 60 else ''} after your block"
        )
        scale_box = screen.ids.prompt_scales
        [prompt_side] = scale_box.children
        assert prompt_side.caption == "Lower back, right side: your pain right now"
        tap_score(ui, score, prompt_side)
        if minutes == 15:
            assert "Next question in 13 min 50 s, at 16:30" in ui.visible_texts()
            # No clinic text in this plan: the app gives no pain-medicine rule of its own.
            assert (
                "For pain medicine during the 8 hours of the diary, follow what your "
                "clinic told you. If you are not sure, ask them."
            ) in ui.visible_texts()
            assert "Keep taking any medicine you were told not to stop." in ui.visible_texts()
            ui.type_into(screen.ids.prompt_activity, "washing up")
            shot(ui, "block-prompt")
        ui.tap_text("Save")
        if minutes == 60:
            # The 45-minute prompt closed unanswered: recorded as missed, and never offered.
            rows = list(reversed(screen.ids.prompt_list.children))
            missed_row = next(r for r in rows if r.second == "45 minutes after your block")
            assert (missed_row.state_text, missed_row.kind) == ("Missed", "missed")
            assert "45 minutes after your block" not in [screen.heading]
            store = BlockDiaryRepository(open_database(data_dir))
            [missed] = [e for e in store.prompt_entries(block.id) if e.minutes == 45]
            assert missed.missed and missed.scores == ()
            with pytest.raises(PromptAlreadyRecordedError):
                store.add_prompt_entry(missed.__class__(block.id, 45, clock.now(), "UTC"))

    # The last prompt is answered: the diary shows what it found, in neutral words.
    assert screen.page == "summary"
    texts = ui.visible_texts()
    # The peak (86%, one score) and the time at or above 80% (3 hours) are separate facts.
    assert (
        "Your diary shows up to about 86% relief in your lower back on the right (15 "
        "minutes after the block). Relief was 80% or more for 3 hours." in texts
    ), texts
    assert (
        "The numbing medicine used, lidocaine, usually works for about 1 to 2 hours. Your "
        "clinic looks at both how much your pain eased and how long it stayed eased." in texts
    ), texts
    assert CARE_TEAM in texts
    [(label, points)] = screen.ids.chart.series
    assert label == "Lower back, right side"
    assert [m for m, relief in points if relief is None] == [45]
    ui.scroll_into_view(screen.ids.chart)
    shot(ui, "block-summary")

    db = open_database(data_dir)
    store = BlockDiaryRepository(db)
    [baseline] = store.baselines(block.id)
    assert (baseline.area, baseline.side, baseline.score, baseline.activity) == (
        "lower_back",
        "right",
        7,
        "standing at the sink",
    )
    entries = {e.minutes: e for e in store.prompt_entries(block.id)}
    assert sorted(entries) == sorted(SCORES)
    for minutes, score in SCORES.items():
        entry = entries[minutes]
        if score is None:
            assert entry.missed
        else:
            assert not entry.missed and entry.score_for("lower_back", "right") == score
            assert entry.at == BLOCK_AT + timedelta(minutes=minutes, seconds=70)
    assert entries[15].activity == "washing up"


def test_a_usual_pain_of_0_asks_whether_the_place_usually_hurts(start_app, clock, data_dir):
    block = add_block(data_dir, clock)
    ui = start_app()
    screen = ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    assert screen.page == "baseline"
    buttock = screen.area_rows["buttock"]
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.text == "Buttock", screen))
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.text == "Left", buttock))
    [buttock_left] = buttock.side_scores
    tap_score(ui, 0, buttock_left)
    [back_right] = screen.area_rows["lower_back"].side_scores
    tap_score(ui, 6, back_right)
    ui.tap_text("Save my usual pain")
    assert screen.page == "baseline"
    assert buttock_left.error == (
        "You chose 0. Does this place usually hurt? If not, leave it "
        "out: with a usual pain of 0 the diary cannot show relief "
        "there."
    )
    assert BlockDiaryRepository(open_database(data_dir)).baselines(block.id) == []
    shot(ui, "block-baseline-zero")
    # It does not usually hurt there: the patient taps it again to leave it out.
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.text.startswith("Buttock"), screen))
    ui.tap_text("Save my usual pain")
    assert screen.page == "waiting"
    [saved] = BlockDiaryRepository(open_database(data_dir)).baselines(block.id)
    assert (saved.area, saved.side, saved.score) == ("lower_back", "right", 6)


def test_change_my_usual_pain_opens_the_form_filled_with_what_was_saved(start_app, clock, data_dir):
    block = add_block(data_dir, clock)
    ui = start_app()
    screen = ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    [side] = screen.area_rows["lower_back"].side_scores
    tap_score(ui, 6, side)
    ui.type_into(screen.ids.baseline_activity, "standing at the sink")
    ui.tap_text("Save my usual pain")
    assert screen.page == "waiting"

    ui.tap_text("Change my usual pain")
    ui.settle()
    assert screen.page == "baseline"
    [side] = screen.area_rows["lower_back"].side_scores
    assert side.score == 6
    assert screen.ids.baseline_activity.text == "standing at the sink"
    tap_score(ui, 8, side)  # a change not saved yet stays while the page refreshes
    screen.refresh()
    assert screen.area_rows["lower_back"].side_scores[0].score == 8


def test_the_countdown_stops_when_the_screen_is_left_and_a_closed_prompt_cannot_be_saved(
    start_app, clock, data_dir
):
    block = add_block(data_dir, clock, side="both")
    ui = start_app()
    ui.tap_text("Block diary: score your usual pain before the block  ›")
    ui.settle()
    screen = ui.screen
    assert screen.name == "block_diary"
    rows = screen.area_rows["lower_back"]
    assert rows.sides == ["left", "right"]  # both sides, each scored on its own
    left, right = rows.side_scores
    tap_score(ui, 6, left)
    tap_score(ui, 8, right)
    ui.tap_text("Save my usual pain")
    clock.set(BLOCK_AT + timedelta(minutes=16))
    wait_for_tick(ui)
    assert screen.page == "prompt" and len(screen.ids.prompt_scales.children) == 2
    left, right = reversed(screen.ids.prompt_scales.children)
    tap_score(ui, 1, left)
    ui.tap_text("Save")
    assert right.error == "Choose a number from 0 (no pain) to 10 (worst imaginable)."
    # The patient waits too long: the prompt closes while the page is open.
    clock.set(BLOCK_AT + timedelta(minutes=31))
    wait_for_tick(ui)
    assert screen.heading == "30 minutes after your block"
    assert screen.notice.startswith(
        "The question for 15 minutes after your block closed before it was saved."
    )
    entries = BlockDiaryRepository(open_database(data_dir)).prompt_entries(block.id)
    assert [(e.minutes, e.missed) for e in entries] == [(15, True)]

    ui.press_escape()
    ui.settle()
    assert screen._tick_event is None
    assert ("Block diary: a question is open now, until 16:45  ›") in ui.visible_texts()


def test_outcomes_baseline_and_a_check_in_by_touch(start_app, clock, data_dir):
    rfa = add_procedure(
        data_dir, clock, kind="rfa", region="lumbar", side="both", at="2026-12-01T09:30"
    )
    ui = start_app()
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and "Diary and chart" in w.text))
    ui.settle()
    ui.tap_text("After your RFA")
    ui.settle()
    screen = ui.screen
    assert screen.name == "outcomes"
    ui.tap_text("Record it now")
    tap_score(ui, 7, screen.ids.pain_scale)
    for item, score in (("pain", 7), ("enjoyment", 8), ("activity", 6)):
        tap_score(ui, score, screen.ids[f"peg_{item}"])
    ui.tap_text("Save")
    assert screen.baseline_text == (
        "Your usual pain: 7 out of 10. PEG score 7.0 (pain 7, "
        "enjoyment of life 8, general activity 6)."
    )

    # Two weeks after the RFA the first check-in opens.
    clock.set(datetime(2026, 12, 15, 11, 0, tzinfo=UTC))
    ui.press_escape()
    ui.settle()
    ui.tap_text("After your RFA")
    ui.settle()
    assert "Your 2-week check-in is open" in ui.visible_texts()
    ui.tap_text("Check in now")
    tap_score(ui, 4, screen.ids.pain_scale)
    tap_score(ui, 4, screen.ids.peg_pain)
    tap_score(ui, 5, screen.ids.peg_enjoyment)
    ui.tap_text("Save")
    assert screen.mode == "form"  # the PEG is all three or none
    assert screen.ids.peg_activity_error.text
    tap_score(ui, 4, screen.ids.peg_activity)
    ui.tap_text("Save")
    assert screen.mode == "overview"
    assert screen.trend_text == (
        "At your 2-week check-in your pain was 4 out of 10: 3 points better (43%) compared "
        "with before the RFA. Your PEG score was 4.3: 2.7 points better (39%)."
    )
    assert screen.meaningful_text.startswith("That is a meaningful change")
    checkins = {c.week: c for c in OutcomeRepository(open_database(data_dir)).checkins(rfa.id)}
    assert (checkins[0].pain, checkins[0].peg) == (7, Peg(7, 8, 6))
    assert (checkins[2].pain, checkins[2].peg) == (4, Peg(4, 5, 4))
    assert checkins[0].at <= rfa.at

    # Later check-ins close to before the RFA: the gentle note about a clinic visit.
    repo = OutcomeRepository(open_database(data_dir))
    for week, pain in ((4, 6), (12, 6)):
        repo.save(OutcomeCheckIn(rfa.id, week, rfa.at + timedelta(weeks=week), "UTC", pain))
    clock.set(rfa.at + timedelta(weeks=12, days=1))
    screen.open()
    ui.settle()
    assert screen.note_title == "Relief seems to be fading"
    assert any("RFA can often be repeated" in t for t in ui.visible_texts())


def wait_for_report(ui, seconds: float = 30) -> None:
    ui.wait_until(lambda: not ui.screen.busy, "the report to finish", timeout=seconds, frames=3)
    ui.settle()


def test_reports_go_to_the_chosen_folder_with_progress_and_a_friendly_error(
    start_app, clock, data_dir, tmp_path
):
    block = add_block(data_dir, clock)
    store = BlockDiaryRepository(open_database(data_dir))
    store.save_baseline(block.id, Baseline("lower_back", "right", 7, clock.now(), "UTC"))
    (tmp_path / "For the clinic").mkdir()
    SettingsRepository(open_database(data_dir)).put("reports.folder", str(tmp_path))
    ui = start_app()
    ui.app.navigator.go("settings")
    ui.settle()
    ui.tap_text("Reports for your clinic")
    ui.settle()
    screen = ui.screen
    assert screen.name == "reports"
    ui.wait_for_text("For the clinic")  # the chooser lists the folder a few entries a frame
    ui.tap_text("For the clinic")
    ui.settle()
    folder = tmp_path / "For the clinic"
    assert screen.ids.chooser.path == str(folder)
    assert str(folder) in ui.visible_texts()

    progress = []
    screen.bind(progress=lambda _screen, value: progress.append(value))
    ui.tap_text("CSV: every score, for a spreadsheet")
    wait_for_report(ui)
    csv_file = folder / "facet-report-2026-11-28.csv"
    assert csv_file.exists()
    assert screen.result_text == f"Saved: {csv_file}"
    assert progress[-1] == 100 and any(0 < value < 100 for value in progress)
    assert progress == sorted(progress)
    with open(csv_file, encoding="utf-8-sig", newline="") as file:
        contents = read_report_csv(file)
    assert [(b.area, b.side, b.score) for _pid, b in contents.baselines] == [
        ("lower_back", "right", 7)
    ]

    ui.type_into(screen.ids.name, "Ana Souza")
    ui.type_into(screen.ids.birth_date, "1961-04-23")
    progress.clear()
    ui.tap_text("PDF: a one-page summary for your doctor")
    wait_for_report(ui)
    pdf_file = folder / "facet-report-2026-11-28.pdf"
    assert pdf_file.read_bytes().startswith(b"%PDF")
    assert progress[-1] == 100
    assert screen.ids.progress_bar.value == 100
    details = PatientRepository(open_database(data_dir)).details()
    assert (details.name, str(details.birth_date)) == ("Ana Souza", "1961-04-23")

    # Up to the top by touch, into a folder nobody may write to: a friendly message, no crash.
    for _ in range(30):  # bounded: a missed tap must fail the test, not hang it
        if screen.ids.chooser.path == "/":
            break
        ui.tap_text("‹ Up one folder", screen.ids.chooser)
    if screen.ids.chooser.path != "/":
        screen.ids.chooser.path = "/"  # the taps above moved it; the rest needs the top
    ui.wait_for_text("sys")
    ui.tap_text("sys")
    ui.settle()
    assert screen.ids.chooser.path == "/sys"
    ui.tap_text("PDF: a one-page summary for your doctor")
    wait_for_report(ui)
    assert screen.result_text.startswith("This folder cannot be written to.")
    assert not screen.result_ok


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_a_report_saved_twice_keeps_both_and_the_diary_folder_is_refused(
    start_app, clock, data_dir, tmp_path, size
):
    add_block(data_dir, clock)
    folder = tmp_path / "For the clinic"
    folder.mkdir()
    ui = start_app(size=size)
    ui.app.theme.text_scale = 1.5  # the largest text Settings offers
    ui.app.navigator.go("reports", folder=str(folder))
    ui.settle()
    screen = ui.screen
    for _ in range(2):
        ui.tap_text("CSV: every score, for a spreadsheet")
        wait_for_report(ui)
    first = folder / "facet-report-2026-11-28.csv"
    second = folder / "facet-report-2026-11-28 (2).csv"
    assert screen.result_text == f"Saved: {second}" and screen.result_ok
    assert first.read_bytes() == second.read_bytes(), "the first one is still there, whole"
    shot(ui, "reports-second-copy")

    # Into the folder that holds the diary, by touch: refused in words, nothing written there.
    screen.ids.chooser.path = str(tmp_path)
    ui.wait_for_text("data", screen.ids.chooser)
    ui.tap_text("data", screen.ids.chooser)
    ui.settle()
    assert screen.ids.chooser.path == str(data_dir)
    before = sorted(p.name for p in data_dir.iterdir())
    ui.tap_text("PDF: a one-page summary for your doctor")
    wait_for_report(ui)
    assert screen.result_text == (
        "This is the folder where the app keeps your diary. Choose "
        "another folder, for example Documents."
    )
    assert not screen.result_ok
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert screen.ids.result_label.get_root_window() is not None
    shot(ui, "reports-diary-folder")


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_new_screens_fit_the_tablet_with_large_targets(
    start_app, clock, data_dir, size, tmp_path
):
    block = add_block(data_dir, clock, side="both")
    rfa = add_procedure(
        data_dir, clock, kind="rfa", region="lumbar", side="both", at="2026-12-20T09:30"
    )
    ui = start_app(size=size)
    services = ui.app.services

    def check(name):
        ui.settle()
        buttons = [
            w
            for w in ui.widgets()
            if isinstance(w, AppButton)
            and w.opacity > 0
            and w.width > 0
            and w.height > 0
            and w.get_root_window() is not None
            and not any(p.opacity == 0 for p in _parents(w))
        ]
        assert buttons and min(min(b.width, b.height) for b in buttons) >= 48, name
        assert all(b.to_window(b.right, 0)[0] <= size[0] + 1 for b in buttons), name
        shot(ui, name)

    ui.app.navigator.go("block_diary", procedure_id=block.id)
    check("block-baseline")
    for side, usual in (("left", 6), ("right", 8)):
        services.block_diary.save_baseline(
            block.id,
            {"area": "lower_back", "side": side, "score": usual, "activity": "standing to cook"},
            now=clock.now(),
            zone=clock.zone(),
        )
    ui.screen.open(procedure_id=block.id)
    check("block-waiting")
    for minutes, right in SCORES.items():
        clock.set(BLOCK_AT + timedelta(minutes=minutes, seconds=40))
        if right is None:
            continue
        if minutes == 15:
            ui.screen.open(procedure_id=block.id)
            check("block-prompt")
        services.block_diary.answer(
            block.id,
            {
                "scores": [
                    {"area": "lower_back", "side": "left", "score": min(6, right + 2)},
                    {"area": "lower_back", "side": "right", "score": right},
                ]
            },
            now=clock.now(),
            zone=clock.zone(),
        )
    ui.screen.open(procedure_id=block.id)
    assert ui.screen.page == "summary"
    check("block-summary")
    ui.scroll_into_view(ui.screen.ids.chart)
    shot(ui, "block-summary-chart")

    repo = OutcomeRepository(services.block_diary.store.db)
    repo.save(OutcomeCheckIn(rfa.id, 0, rfa.at - timedelta(days=2), "UTC", 7, Peg(7, 8, 6)))
    for week, pain, peg in ((2, 3, Peg(3, 4, 3)), (4, 2, Peg(2, 3, 2)), (12, 6, Peg(6, 6, 6))):
        repo.save(OutcomeCheckIn(rfa.id, week, rfa.at + timedelta(weeks=week), "UTC", pain, peg))
    clock.set(rfa.at + timedelta(weeks=26, days=1))
    ui.app.navigator.go("outcomes")
    check("outcomes")
    ui.screen.start_checkin()
    check("outcomes-checkin")
    repo.save(OutcomeCheckIn(rfa.id, 26, clock.now(), "UTC", 6, Peg(6, 6, 5)))
    ui.screen.open()
    assert ui.screen.note_text
    check("outcomes-fading")

    (tmp_path / "For the clinic").mkdir()
    ui.app.navigator.go("reports", folder=str(tmp_path))
    check("reports")
    ui.tap_text("For the clinic")
    ui.screen.export("pdf")
    wait_for_report(ui)
    assert ui.screen.result_text.startswith("Saved: ")
    check("reports-saved")


def _parents(widget):
    node = widget.parent
    while node is not None and node is not node.parent:
        yield node
        node = node.parent
