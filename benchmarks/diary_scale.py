"""Diary at scale, in one process with a real Kivy window.

    python benchmarks/diary_scale.py [--sessions 4] [--visits 5] [--saves 300] [--dir DIR]

a. Opening the Diary screen (history and chart) on a data folder with 100,000 entries spread
   over three years, against one with 10 entries (one a day for the last ten days). Each folder
   is written the way the app writes it: validate_entry() builds each PainEntry (a tenth with
   pain areas, some with an activity, medicine or note) and DiaryRepository.add() saves it, all
   inside one db.atomic() (then the first-run guide is recorded as offered, as tests/ui do, so the
   app opens on Today). The app (FacetCompanionApp, as the UI tests start it, with a
   FixedClock) is started on each folder in turn, `--sessions` times, alternating folders. In
   each session the first visit builds the screen (reported, not in the ratio); then, `--visits`
   times, the benchmark empties the history RecycleView and the chart while the Today screen is
   showing, and times from `navigator.go("diary")` until the end of the first frame after which
   the history shows rows and the chart has been drawn with its days. The ratio compares the
   medians. The "All" period is timed once per session for information.
b. Saving one entry: DiaryRepository.add(a validated entry) on a database from open_database()
   against a plain sqlite3 connection with the same PRAGMAs (WAL, synchronous=FULL,
   foreign_keys=ON, busy_timeout) running the same INSERT into a copy of the same tables and
   indexes, then COMMIT. `--saves` of each, interleaved, in two folders side by side (so on the
   same file system), after 20 unmeasured saves of each. The ratio compares the medians.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _shared
from _shared import median, ms, ratio_text, stop_app, us

OPEN_TARGET = 1.5
SAVE_TARGET = 1.5
MEMORY_TARGET = 1.2
MEMORY_RUNS = 3  # app processes per folder for the peak-memory ratio
NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
ZONE = "Europe/London"
BIG, SMALL = 100_000, 10
YEARS = 3
MAX_FRAMES = 600  # a visit that has not shown its rows after this many frames is an error
FRAME_PACING_S = 0.02  # > 1/60 s: Kivy's clock then does not sleep before the next frame

ACTIVITIES = [
    "walking",
    "sitting at work",
    "gardening",
    "driving",
    "housework",
    "lying down",
    "after physio exercises",
    "shopping",
]
MEDICINES = ["paracetamol 1 g", "ibuprofen 400 mg", "naproxen 500 mg"]
NOTES = [
    "Stiff getting out of bed.",
    "Better after a warm shower.",
    "Sharp when turning my head to reverse the car.",
    "Ached all evening.\nSlept badly.",
    "Good day, hardly noticed it.",
]


# --- Data -----------------------------------------------------------------------------------


def entries_between(count: int, first: datetime, last: datetime, rng: random.Random):
    """`count` entries, evenly spread from `first` to `last`, as validate_entry() builds them
    when the patient logs at that very moment."""
    from app.domain.diary import AREAS, SIDES, validate_entry

    areas, sides = list(AREAS), list(SIDES)
    step = (last - first) / count
    score = 5
    for index in range(count):
        at = first + step * index + step * rng.uniform(0, 0.8)
        score = min(10, max(0, score + rng.choice((-2, -1, 0, 0, 1, 2))))
        raw: dict = {"score": score, "at": None}
        if index % 10 == 0:
            picked = rng.sample(areas, rng.choice((1, 1, 2)))
            raw["areas"] = [
                {
                    "area": area,
                    "side": rng.choice(sides),
                    "score": min(10, max(0, score + rng.choice((-1, 0, 1)))),
                }
                for area in picked
            ]
        if index % 4 == 0:
            raw["activity"] = rng.choice(ACTIVITIES)
        if index % 25 == 0:
            raw["medication"] = rng.choice(MEDICINES)
            raw["medication_at"] = at - timedelta(minutes=rng.randint(20, 180))
        if index % 15 == 0:
            raw["note"] = rng.choice(NOTES)
        yield validate_entry(raw, now=at, zone=ZONE)


def build_folder(folder: Path, count: int, first: datetime) -> float:
    from app.store.database import open_database
    from app.store.diary_repository import DiaryRepository

    started = time.perf_counter()
    repository = DiaryRepository(open_database(folder))
    rng = random.Random(count)
    with repository.db.atomic():
        for entry in entries_between(count, first, NOW - timedelta(minutes=10), rng):
            repository.add(entry)
    stored = repository.count()
    repository.db.close()
    if stored != count:
        raise RuntimeError(f"{folder} holds {stored} entries, not {count}")
    _shared.skip_first_run_guide(folder)  # so the app opens on Today
    return time.perf_counter() - started


# --- Part a: opening the Diary screen ---------------------------------------------------------


def prepare_kivy(scratch: Path) -> None:
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ["KIVY_HOME"] = str(scratch / "kivy-home")
    from app.ui.launch import configure_kivy

    configure_kivy(1280, 800)
    # Imported (and its .kv loaded) before the first app starts, so no session pays for it.
    import app.ui.screens.diary  # noqa: F401
    from app.ui.widgets.trend_chart import TrendChart

    # Count each chart's draws, to know when the Diary chart has been drawn with its days.
    # Kivy's Clock holds a weak method that looks `draw` up by name on every call.
    real_draw = TrendChart.draw

    @functools.wraps(real_draw)
    def counted_draw(self, *args):
        result = real_draw(self, *args)
        self.bench_draws = getattr(self, "bench_draws", 0) + 1
        return result

    TrendChart.draw = counted_draw


def pump(frames: int = 1) -> None:
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def settle(app) -> None:
    """Let the screen transition finish and the scheduled refreshes run."""
    pump(2)
    transition = app.navigator.manager.transition
    for _ in range(MAX_FRAMES):
        if not transition.is_active:
            break
        pump()
    pump(3)


def start_app(folder: Path):
    from kivy.core.window import Window

    from app.services.clock import FixedClock
    from app.ui.app import FacetCompanionApp

    Window.size = (1280, 800)
    app = FacetCompanionApp(data_dir=folder, clock=FixedClock(NOW, ZONE))
    app._run_prepare()
    settle(app)
    if app.navigator is None or app.navigator.current.name != "today":
        raise RuntimeError(f"the app did not open on the Today screen for {folder}")
    return app


def timed_until_shown(app, action) -> dict:
    """Time `action()` until the end of the first frame after which the Diary history has rows
    and its chart was redrawn with days.

    Returns seconds: `total`; `go`, the action alone (for navigator.go: the screen's refresh,
    its queries and rows); `work`, until the window starts drawing that frame (the action,
    RecycleView layout, chart canvas, label textures); `draw`, Kivy's GL calls; `flip`, the
    buffer swap (on Xvfb, software rasterising); and `frames`, how many frames that took.
    Kivy paces frames at 60 fps; waiting a frame's time first keeps that sleep out.
    """
    from kivy.base import EventLoop
    from kivy.core.window import Window

    screen = app.navigator.screen("diary")
    history = screen.ids.history
    chart = diary_chart(history)
    draws_before = {id(chart): getattr(chart, "bench_draws", 0)} if chart else {}
    marks: dict[str, float] = {}

    def on_draw(*_):  # bound handlers run just before Window's own on_draw / on_flip
        marks["draw"] = time.perf_counter()

    def on_flip(*_):
        marks["flip"] = time.perf_counter()

    Window.bind(on_draw=on_draw, on_flip=on_flip)
    try:
        time.sleep(FRAME_PACING_S)
        started = time.perf_counter()
        action()
        synchronous = time.perf_counter() - started
        for frame in range(1, MAX_FRAMES + 1):  # noqa: B007  (`frame` is reported after the loop)
            EventLoop.idle()
            chart = diary_chart(history)
            if (
                history.layout_manager.children
                and chart is not None
                and chart.days
                and getattr(chart, "bench_draws", 0) > draws_before.get(id(chart), 0)
            ):
                ended = time.perf_counter()
                break
        else:
            raise RuntimeError("the Diary screen did not show its history and chart")
    finally:
        Window.unbind(on_draw=on_draw, on_flip=on_flip)
    return {
        "total": ended - started,
        "go": synchronous,
        "work": marks["draw"] - started,
        "draw": marks["flip"] - marks["draw"],
        "flip": ended - marks["flip"],
        "frames": frame,
    }


def diary_chart(history):
    """The trend chart, in the first row of the Diary's history list; None while the list has
    no rows."""
    from app.ui.widgets.trend_chart import TrendChart

    return next(
        (
            widget
            for row in history.layout_manager.children
            for widget in row.walk(restrict=True)
            if isinstance(widget, TrendChart)
        ),
        None,
    )


def empty_diary_screen(app) -> None:
    """Empty the history and chart (while another screen shows) so the next open fills both."""
    screen = app.navigator.screen("diary")
    history = screen.ids.history
    for row in history.layout_manager.children:  # the chart's row gives the chart its days
        if hasattr(row, "days"):
            row.days = []
    history.data = []
    screen.chart_days = []
    for _ in range(MAX_FRAMES):
        pump()
        if not history.layout_manager.children:
            break
    pump(2)


def session(folder: Path, visits: int, results: dict) -> None:
    from app.domain.trend import DEFAULT_PERIOD, PERIODS

    app = start_app(folder)
    try:
        navigator = app.navigator
        results["first"].append(timed_until_shown(app, lambda: navigator.go("diary")))
        settle(app)
        for _ in range(visits):
            navigator.back()
            settle(app)
            empty_diary_screen(app)
            results["open"].append(timed_until_shown(app, lambda: navigator.go("diary")))
            settle(app)
        screen = navigator.current
        everything = next(name for name, days in PERIODS.items() if days is None)
        empty_diary_screen(app)
        results["all"].append(timed_until_shown(app, lambda: screen.choose_period(everything)))
        screen.choose_period(DEFAULT_PERIOD)
        settle(app)
    finally:
        stop_app(app)


def measure_open(folders: dict[str, Path], sessions: int, visits: int) -> dict[str, dict]:
    results = {name: {"first": [], "open": [], "all": []} for name in folders}
    for number in range(sessions):
        names = list(folders) if number % 2 == 0 else list(reversed(folders))
        for name in names:
            session(folders[name], visits, results[name])
            latest = results[name]
            print(
                f"  session {number + 1} {name:>4}: first visit "
                f"{ms(latest['first'][-1]['total'])}, opens "
                + ", ".join(f"{t['total'] * 1000:.1f}" for t in latest["open"][-visits:])
                + f" ms, All period {ms(latest['all'][-1]['total'])}"
            )
    return results


def medians_of(samples: list[dict]) -> dict[str, float]:
    return {key: median([sample[key] for sample in samples]) for key in samples[0]}


def breakdown(m: dict[str, float]) -> str:
    return (
        f"{ms(m['total'])} = until drawing {ms(m['work'])} (of which the navigation call "
        f"{ms(m['go'])}) + GL calls {ms(m['draw'])} + flip {ms(m['flip'])}; "
        f"frames {m['frames']:g}"
    )


# --- Part b: saving one entry -----------------------------------------------------------------

PRAGMAS = (
    "PRAGMA busy_timeout = {timeout}",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
)
INSERT = (
    "INSERT INTO entries (at_utc, zone, local_date, score, activity, medication, "
    "medication_at_utc, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def measure_save(scratch: Path, saves: int) -> dict[str, list[float]]:
    from app.domain.diary import validate_entry
    from app.store.database import BUSY_TIMEOUT_MS, DATABASE_FILE, open_database
    from app.store.diary_repository import DiaryRepository, to_db_instant

    store = DiaryRepository(open_database(scratch / "save-store"))
    raw_folder = scratch / "save-raw"
    raw_folder.mkdir()
    raw = sqlite3.connect(raw_folder / DATABASE_FILE, timeout=BUSY_TIMEOUT_MS / 1000)
    for pragma in PRAGMAS:
        raw.execute(pragma.format(timeout=BUSY_TIMEOUT_MS))
    checks = {
        pragma.split()[1]: (
            raw.execute(f"PRAGMA {pragma.split()[1]}").fetchone()[0],
            store.db.execute(f"PRAGMA {pragma.split()[1]}").fetchone()[0],
        )
        for pragma in PRAGMAS
    }
    if any(mine != theirs for mine, theirs in checks.values()):
        raise RuntimeError(f"PRAGMAs differ (raw, store): {checks}")
    schema = store.db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name IN ('entries', 'entry_areas') "
        "AND sql IS NOT NULL ORDER BY type DESC, rowid"
    ).fetchall()
    with raw:
        for (statement,) in schema:
            raw.execute(statement)

    entry = validate_entry(
        {
            "score": 6,
            "activity": "walking the dog",
            "note": "Stiff after sitting through a long meeting.",
        },
        now=NOW,
        zone=ZONE,
    )
    row = (
        to_db_instant(entry.at),
        entry.zone,
        entry.local_date.isoformat(),
        entry.score,
        entry.activity,
        entry.medication,
        None,
        entry.note,
    )

    def save_store() -> None:
        store.add(entry)

    def save_raw() -> None:
        raw.execute(INSERT, row)
        raw.commit()

    times: dict[str, list[float]] = {"store": [], "raw": []}
    pairs = (("store", save_store), ("raw", save_raw))
    try:
        for _ in range(20):
            save_store()
            save_raw()
        for number in range(saves):
            for name, save in pairs if number % 2 == 0 else pairs[::-1]:
                started = time.perf_counter()
                save()
                times[name].append(time.perf_counter() - started)
    finally:
        store.db.close()
        raw.close()
    return times


# --- Part c: peak memory after opening the Diary ---------------------------------------------


def memory_child(folder: Path, scratch: Path) -> None:
    """In a process of its own: start the app on `folder`, open the Diary and choose each period
    in turn (All last: every day in the chart), then print the peak RSS with Today shown and
    after the Diary."""
    from app.domain.trend import PERIODS

    prepare_kivy(scratch)
    app = start_app(folder)
    today_kb = peak_kb()
    app.navigator.go("diary")
    settle(app)
    screen = app.navigator.current
    for period in sorted(PERIODS, key=lambda name: PERIODS[name] is None):
        screen.choose_period(period)
        settle(app)
    pump(10)
    diary_kb = peak_kb()
    print(f"PEAK_KB {today_kb} {diary_kb}", flush=True)
    os._exit(0)  # teardown is not measured


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries
    that over from the parent through fork and exec, so every probe read the benchmark's own
    peak."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


def measure_memory(folders: dict[str, Path], scratch: Path, runs: int) -> dict[str, list]:
    """Peak resident memory (VmHWM) of a fresh app process on each folder, with Today shown
    and after opening the Diary; `runs` processes per folder, alternating folders."""
    import subprocess

    peaks: dict[str, list[tuple[int, int]]] = {name: [] for name in folders}
    env = dict(os.environ, KIVY_HOME=str(scratch / "kivy-home"))
    for number in range(runs):
        for name in list(folders) if number % 2 == 0 else list(reversed(folders)):
            result = subprocess.run(
                [sys.executable, __file__, "--memory-child", str(folders[name]), str(scratch)],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
            )
            lines = [line for line in result.stdout.splitlines() if line.startswith("PEAK_KB")]
            if result.returncode != 0 or not lines:
                sys.stderr.write(result.stdout + result.stderr)
                raise RuntimeError(f"the memory probe on {name} failed")
            today_kb, diary_kb = (int(part) for part in lines[0].split()[1:])
            peaks[name].append((today_kb, diary_kb))
            print(
                f"  run {number + 1} {name:>4}: peak {today_kb / 1024:.0f} MB with Today, "
                f"{diary_kb / 1024:.0f} MB after the Diary (every period)"
            )
    return peaks


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4, help="app starts per folder (4)")
    parser.add_argument("--visits", type=int, default=5, help="timed opens per session (5)")
    parser.add_argument("--saves", type=int, default=300, help="timed saves of each kind (300)")
    parser.add_argument("--dir", help="where to put the scratch folders (default: the temp dir)")
    parser.add_argument(
        "--memory-runs",
        type=int,
        default=MEMORY_RUNS,
        help=f"app processes per folder for peak memory ({MEMORY_RUNS})",
    )
    parser.add_argument(
        "--memory-child", nargs=2, metavar=("FOLDER", "SCRATCH"), help=argparse.SUPPRESS
    )
    options = parser.parse_args()
    if options.memory_child:
        _shared.ensure_display()
        memory_child(*(Path(part) for part in options.memory_child))

    display = _shared.ensure_display()
    scratch = Path(tempfile.mkdtemp(prefix="facet-bench-diary-", dir=options.dir))
    try:
        print(f"diary_scale on DISPLAY={display}, scratch folder {scratch}")
        prepare_kivy(scratch)
        folders = {"10": scratch / "data-10", "100k": scratch / "data-100k"}
        seconds = build_folder(folders["10"], SMALL, NOW - timedelta(days=SMALL))
        print(f"built {SMALL} entries (last {SMALL} days) in {seconds:.2f} s")
        seconds = build_folder(folders["100k"], BIG, NOW - timedelta(days=365 * YEARS))
        size = sum(f.stat().st_size for f in folders["100k"].iterdir()) / 1e6
        print(f"built {BIG:,} entries (over {YEARS} years) in {seconds:.1f} s, {size:.1f} MB")

        print(
            f"a. opening the Diary screen: {options.sessions} sessions per folder, "
            f"{options.visits} timed opens each"
        )
        opened = measure_open(folders, options.sessions, options.visits)
        summary = {
            name: {part: medians_of(opened[name][part]) for part in opened[name]}
            for name in folders
        }
        print("  medians (each part is its own median, so parts need not add up exactly):")
        for part, words in (
            ("open", "open"),
            ("first", "first visit (builds the screen)"),
            ("all", "All period (every day in the chart)"),
        ):
            for name in folders:
                print(f"  {name:>4} entries, {words}: {breakdown(summary[name][part])}")
        open_ratio = summary["100k"]["open"]["total"] / summary["10"]["open"]["total"]
        for part, words in (("work", "until drawing"), ("go", "navigation call alone")):
            print(
                f"  open 100k/10, {words} only: "
                f"{summary['100k']['open'][part] / summary['10']['open'][part]:.2f}"
            )
        print(
            f"  All period 100k/10: "
            f"{summary['100k']['all']['total'] / summary['10']['all']['total']:.2f}"
        )

        print(f"b. saving one entry: {options.saves} saves of each, interleaved")
        saved = measure_save(scratch, options.saves)
        for name in ("store", "raw"):
            values = sorted(saved[name])
            print(
                f"  {name:>5}: median {us(median(values))}, "
                f"p10 {us(values[len(values) // 10])}, p90 {us(values[len(values) * 9 // 10])}"
            )
        save_ratio = median(saved["store"]) / median(saved["raw"])

        print(
            f"c. peak memory (VmHWM) of a new app process: {options.memory_runs} per "
            "folder, with Today shown, then after opening the Diary and choosing every period"
        )
        peaks = measure_memory(folders, scratch, options.memory_runs)
        peak = {name: median([diary for _today, diary in runs]) for name, runs in peaks.items()}
        today_peak = {
            name: median([today for today, _diary in runs]) for name, runs in peaks.items()
        }
        print(
            f"  medians: 10 entries {today_peak['10'] / 1024:.0f} MB (Today), "
            f"{peak['10'] / 1024:.0f} MB (Diary); 100k {today_peak['100k'] / 1024:.0f} MB "
            f"(Today), {peak['100k'] / 1024:.0f} MB (Diary); Today alone 100k/10: "
            f"{today_peak['100k'] / today_peak['10']:.2f}"
        )
        memory_ratio = peak["100k"] / peak["10"]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        "ratios "
        + ratio_text("open_100k/open_10", open_ratio, OPEN_TARGET)
        + "; "
        + ratio_text("save_store/save_raw", save_ratio, SAVE_TARGET)
        + "; "
        + ratio_text("peak_memory_100k/peak_memory_10", memory_ratio, MEMORY_TARGET)
    )


if __name__ == "__main__":
    sys.exit(main())
