"""Every screen, opened by a touch, in one process with a real Kivy window.

    python benchmarks/screens.py [--opens 5] [--data demo|100k|both] [--profile SCREEN]

Two data folders: the demo story (`--demo`'s plan, diary, block diaries and check-ins, with a
FixedClock at the story's "now"), and the same story with 100,000 more diary entries spread over
three years (written as benchmarks/diary_scale.py writes them). The real app (FacetCompanionApp,
as tests/ui start it) runs on each in turn. For every screen the benchmark goes to where the
patient opens it (Today for most; the Diary for the block diary, RFA and reports pages; Learn for
an article), waits until that screen is still, then touches the button that opens it (a real
touch down and up at the button's centre, through the window's input) and times:

- wall: from the touch until the end of the buffer swap of the first frame in which the screen
  is the current one, the transition has finished, the screen fills the manager, every Label
  with text has its texture, and no chart, list or refresh of the screen waits on the clock;
- cpu: this process's own CPU time (time.process_time: user + system of every thread, GL
  rasterising included) over the same span. It does not depend on what else the machine runs,
  so it is the number to compare on a shared machine;
- drawing: the part of the wall time spent painting that last frame (from the start of the
  window's on_draw to the end of the swap). On software GL it grows with what the screen shows
  (every pixel of every card, button and text is shaded on the CPU); the rest of the wall time
  is the app's own work for the open: the touch, the page's refresh, layout, text rendering.

The first visit of each screen builds it (module import, .kv, widgets); it is printed for
information. Then each screen is opened `--opens` times (back to where it is opened from, not
timed, between), and the medians are reported. The last line gives the ratio of the slowest
screen's median wall time to Log pain's (the lightest screen), with the targets: every screen
under 250 ms, When to call under 150 ms, the slowest within 1.3x of Log pain.

`--less-motion` measures with Settings' "Less motion" on (pages appear without sliding).
`--profile SCREEN` instead runs cProfile over one open (after the first visit) of that screen on
the demo folder (`--data 100k`: the 100,000-entry one) and prints the top functions by
cumulative and by own time; with `--first-visit`, over the first visit, which builds the screen.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import _shared
from _shared import median, ms, ratio_text, stop_app

if TYPE_CHECKING:
    from kivy.uix.scrollview import ScrollView

NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
ZONE = "Europe/London"
BIG = 100_000
YEARS = 3
MAX_FRAMES = 600
FRAME_PACING_S = 0.02  # > 1/60 s: Kivy's clock then does not sleep before the touch's frame
SLOWEST_TARGET = 1.3
EVERY_SCREEN_TARGET_S = 0.250
WHEN_TO_CALL_TARGET_S = 0.150


# --- Where each screen is opened, and the button that opens it -------------------------------


def _tile(title: str):
    return lambda w: getattr(w, "title", None) == title and hasattr(w, "detail")


def _text(text: str):
    return lambda w: getattr(w, "text", None) == text


def _class(name: str):
    return lambda w: type(w).__name__ == name


def _first_article(w) -> bool:
    return type(w).__name__ == "ArticleButton" and not w.disabled


# screen -> (the screen it is opened from, how to find the button there)
ROUTES = {
    "log": ("today", _text("Log pain")),
    "when_to_call": ("today", _class("WhenToCallButton")),
    "checklist": ("today", _text("Checklist")),
    "diary": ("today", _tile("Diary and chart")),
    "timeline": ("today", _tile("Timeline")),
    "reminders": ("today", _tile("Reminders")),
    "learn": ("today", _tile("Learn")),
    "settings": ("today", _tile("Settings")),
    "block_diary": ("diary", _text("Block diary")),
    "outcomes": ("diary", _text("After your RFA")),
    "reports": ("diary", _text("Reports for your clinic")),
    "article": ("learn", _first_article),
}
LIGHTEST = "log"


# --- Data -------------------------------------------------------------------------------------


def build_folders(scratch: Path, which: list[str]) -> dict[str, Path]:
    from app.services.demo import create_demo_data_dir
    from app.store.database import open_database
    from app.store.diary_repository import DiaryRepository

    made = create_demo_data_dir(NOW, ZONE)
    demo = scratch / "data-demo"
    shutil.move(str(made), demo)
    _shared.skip_first_run_guide(demo)
    folders = {"demo": demo}
    if "100k" in which:
        import random

        from diary_scale import entries_between  # the same entries as the diary benchmark

        big = scratch / "data-100k"
        shutil.copytree(demo, big)
        started = time.perf_counter()
        repository = DiaryRepository(open_database(big))
        with repository.db.atomic():
            for entry in entries_between(
                BIG, NOW - timedelta(days=365 * YEARS), NOW - timedelta(days=1), random.Random(BIG)
            ):
                repository.add(entry)
        count = repository.count()
        repository.db.close()
        print(
            f"built the 100k folder: the demo story and {BIG:,} more entries "
            f"({count:,} in all) in {time.perf_counter() - started:.1f} s"
        )
        folders["100k"] = big
    return {name: folders[name] for name in which}


# --- The app ----------------------------------------------------------------------------------


def prepare_kivy(scratch: Path) -> None:
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ["KIVY_HOME"] = str(scratch / "kivy-home")
    from app.ui.launch import configure_kivy

    configure_kivy(1280, 800)


def pump(frames: int = 1) -> None:
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def close_popups() -> None:
    """A start with missed reminders opens a list of them; the patient closes it first."""
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    for child in list(Window.children):
        if isinstance(child, ModalView):
            child.dismiss(animation=False)
    pump(2)


def start_app(folder: Path, less_motion: bool = False):
    from kivy.core.window import Window

    from app.services.clock import FixedClock
    from app.services.notifier import RecordingNotifier
    from app.ui.app import FacetCompanionApp

    Window.size = (1280, 800)
    app = FacetCompanionApp(
        data_dir=folder, clock=FixedClock(NOW, ZONE), notifier=RecordingNotifier()
    )
    app._run_prepare()
    app.theme.less_motion = less_motion  # as Settings' "Less motion" does
    deadline = time.monotonic() + 30
    while app.services.reminders is None:  # they start a moment after the first frame
        if time.monotonic() > deadline:
            raise RuntimeError("the reminders did not start")
        pump()
    pump(3)
    close_popups()
    if app.navigator.current.name != "today":
        raise RuntimeError(f"the app opened on {app.navigator.current.name!r}, not on Today")
    return app


def waiting_on_clock(widget) -> bool:
    """A chart, list or screen refresh that is scheduled for a later frame."""
    from kivy.clock import ClockEvent

    for name in ("_redraw", "_refresh", "_refresh_trigger"):
        event = getattr(widget, name, None)
        if isinstance(event, ClockEvent) and event.is_triggered:
            return True
    return False


def shown(app, screen) -> bool:
    """The screen is in place: current, transition over, laid out, every text rendered."""
    from kivy.uix.label import Label

    manager = app.navigator.manager
    if manager.current_screen is not screen or manager.transition.is_active:
        return False
    if list(screen.size) != list(manager.size) or list(screen.pos) != list(manager.pos):
        return False
    for widget in screen.walk(restrict=True):
        if isinstance(widget, Label) and widget.text and widget.texture is None:
            return False
        if waiting_on_clock(widget):
            return False
    return True


def settle(app) -> None:
    """Wait until the current screen is shown and a few more frames have passed."""
    for _ in range(MAX_FRAMES):
        pump()
        if shown(app, app.navigator.current):
            break
    pump(3)


def go_to(app, name: str) -> None:
    """Untimed: be on `name` with Today underneath, as a patient who came from Today."""
    navigator = app.navigator
    if navigator.current.name != "today":
        navigator.home()
        settle(app)
    if name != "today":
        navigator.go(name)
        settle(app)


def find_button(app, predicate):
    """The first button that matches, scrolled into view first as a patient would scroll.

    Found again after each scroll: in a RecycleView scrolling hands the row widgets other rows'
    data, so the widget found before may show something else afterwards.
    """
    from kivy.uix.scrollview import ScrollView

    screen = app.navigator.current
    for _ in range(5):
        matches = [w for w in screen.walk(restrict=True) if predicate(w)]
        if not matches:
            raise RuntimeError(f"no button to tap on {screen.name!r}")
        button = matches[0]
        node = button.parent
        while node is not None and node is not node.parent and not isinstance(node, ScrollView):
            node = node.parent
        if not isinstance(node, ScrollView) or not scroll_into_view(node, button):
            return button
        pump(3)
    raise RuntimeError(f"could not scroll the button into view on {screen.name!r}")


def scroll_into_view(scroll: ScrollView, widget) -> bool:
    """Scroll `scroll` at once so that `widget` is inside it; False if it already was.

    ScrollView.scroll_to would do this, but it asks the viewport's `_trigger_layout` whether a
    layout is pending, and a RecycleView's layout has a plain method there (no `is_triggered`).
    """
    # In the coordinates of the scroll view's parent, those of scroll.x and scroll.top.
    left, bottom = scroll.parent.to_widget(*widget.to_window(*widget.pos))
    right, top = scroll.parent.to_widget(*widget.to_window(widget.right, widget.top))
    dx = (
        scroll.x - left
        if left < scroll.x
        else (scroll.right - right if right > scroll.right else 0)
    )
    dy = scroll.y - bottom if bottom < scroll.y else (scroll.top - top if top > scroll.top else 0)
    if not dx and not dy:
        return False
    scroll_dx, scroll_dy = scroll.convert_distance_to_scroll(dx, dy)
    scroll.scroll_x = min(1, max(0, scroll.scroll_x - scroll_dx))
    scroll.scroll_y = min(1, max(0, scroll.scroll_y - scroll_dy))
    return True


def timed_open(app, name: str) -> dict:
    """From the touch on the button that opens `name` until it is shown (see the docstring)."""
    from kivy.base import EventLoop
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    origin, predicate = ROUTES[name]
    go_to(app, origin)
    button = find_button(app, predicate)
    x, y = button.to_window(*button.center)
    target = app.navigator.screen(name) if name in app.navigator._built else None
    draws: list[float] = []

    def on_draw(*_):  # bound handlers run before Window's own on_draw, which paints the frame
        draws.append(time.perf_counter())

    Window.bind(on_draw=on_draw)
    try:
        time.sleep(FRAME_PACING_S)
        touch = UnitTestTouch(x, y)
        cpu_started, started = time.process_time(), time.perf_counter()
        touch.touch_down()
        touch.touch_up()
        for frame in range(1, MAX_FRAMES + 1):  # noqa: B007  (`frame` is reported after the loop)
            EventLoop.idle()
            current = app.navigator.current
            if target is None and current.name == name:
                target = current
            if target is not None and shown(app, target):
                ended, cpu_ended = time.perf_counter(), time.process_time()
                break
        else:
            raise RuntimeError(f"{name!r} was not shown after {MAX_FRAMES} frames")
    finally:
        Window.unbind(on_draw=on_draw)
    return {
        "wall": ended - started,
        "drawing": ended - draws[-1],
        "cpu": cpu_ended - cpu_started,
        "frames": frame,
    }


def measure(folder: Path, opens: int, less_motion: bool) -> dict[str, dict]:
    app = start_app(folder, less_motion)
    try:
        results = {name: {"first": timed_open(app, name), "opens": []} for name in ROUTES}
        for _ in range(opens):
            for name in ROUTES:
                results[name]["opens"].append(timed_open(app, name))
    finally:
        stop_app(app)
    return results


def profile(folder: Path, name: str, top: int, first_visit: bool = False) -> None:
    from kivy.base import EventLoop

    app = start_app(folder)
    try:
        if not first_visit:
            timed_open(app, name)  # the first visit builds the screen
        origin, predicate = ROUTES[name]
        go_to(app, origin)
        button = find_button(app, predicate)
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(*button.to_window(*button.center))
        profiler = cProfile.Profile()
        time.sleep(FRAME_PACING_S)
        profiler.enable()
        touch.touch_down()
        touch.touch_up()
        for _ in range(MAX_FRAMES):
            EventLoop.idle()
            current = app.navigator.current
            if current.name == name and shown(app, current):
                break
        profiler.disable()
    finally:
        stop_app(app)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        visit = "the first visit" if first_visit else "one open"
        print(f"--- {visit} of {name!r}, by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:20000])


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opens", type=int, default=5, help="timed opens per screen (5)")
    parser.add_argument(
        "--data", choices=("demo", "100k", "both"), default="both", help="which data folders (both)"
    )
    parser.add_argument("--profile", choices=sorted(ROUTES), help="cProfile one open instead")
    parser.add_argument(
        "--first-visit", action="store_true", help="--profile the first visit, which builds it"
    )
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile (30)")
    parser.add_argument(
        "--less-motion",
        action="store_true",
        help="with Settings' Less motion on (no slide between pages)",
    )
    options = parser.parse_args()

    display = _shared.ensure_display()
    scratch = Path(tempfile.mkdtemp(prefix="facet-bench-screens-"))
    try:
        print(f"screens on DISPLAY={display}, scratch folder {scratch}")
        prepare_kivy(scratch)
        which = ["demo", "100k"] if options.data == "both" else [options.data]
        if options.profile:
            which = which[-1:] if options.data == "100k" else ["demo"]
        folders = build_folders(scratch, which)
        if options.profile:
            profile(folders[which[0]], options.profile, options.top, options.first_visit)
            return
        results = {}
        for data, folder in folders.items():
            print(f"{data}: first visit, then {options.opens} opens of each screen")
            results[data] = measure(folder, options.opens, options.less_motion)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    worst_ratio, worst_where = 0.0, ""
    worst_cpu_ratio, worst_cpu_where = 0.0, ""
    over: list[str] = []
    for data, screens in results.items():
        print(
            f"{data}: median of {options.opens} opens (first visit in brackets), "
            "wall (of which drawing the last frame) / own CPU / frames"
        )
        medians, cpu_medians, work_medians = {}, {}, {}
        for name, runs in screens.items():
            wall = median([run["wall"] for run in runs["opens"]])
            drawing = median([run["drawing"] for run in runs["opens"]])
            work_medians[name] = median([run["wall"] - run["drawing"] for run in runs["opens"]])
            cpu = median([run["cpu"] for run in runs["opens"]])
            frames = median([run["frames"] for run in runs["opens"]])
            medians[name] = wall
            cpu_medians[name] = cpu
            limit = WHEN_TO_CALL_TARGET_S if name == "when_to_call" else EVERY_SCREEN_TARGET_S
            mark = "" if wall < limit else f"  OVER {limit * 1000:.0f} ms"
            if mark:
                over.append(f"{data} {name}")
            first = runs["first"]
            print(
                f"  {name:>13}: {ms(wall):>9} ({ms(drawing):>8}) / {ms(cpu):>9} / {frames:3g}"
                f"   (first {ms(first['wall'])} / {ms(first['cpu'])}){mark}"
            )
        slowest = max(medians, key=medians.get)
        ratio = medians[slowest] / medians[LIGHTEST]
        print(f"  slowest: {slowest} {ms(medians[slowest])}, Log pain {ms(medians[LIGHTEST])}")
        if ratio >= worst_ratio:
            worst_ratio, worst_where = ratio, f"{data}: {slowest}"
        busiest = max(work_medians, key=work_medians.get)
        print(
            f"  the app's own work (wall less drawing): most {busiest} "
            f"{ms(work_medians[busiest])}, Log pain {ms(work_medians[LIGHTEST])}"
        )
        cpu_slowest = max(cpu_medians, key=cpu_medians.get)
        cpu_ratio = cpu_medians[cpu_slowest] / cpu_medians[LIGHTEST]
        print(
            f"  slowest by CPU: {cpu_slowest} {ms(cpu_medians[cpu_slowest])}, "
            f"Log pain {ms(cpu_medians[LIGHTEST])}"
        )
        if cpu_ratio >= worst_cpu_ratio:
            worst_cpu_ratio, worst_cpu_where = cpu_ratio, f"{data}: {cpu_slowest}"
    targets = "every screen < 250 ms, When to call < 150 ms: " + (
        f"OVER for {', '.join(over)}" if over else "met"
    )
    print(
        ratio_text(f"ratio slowest/log_pain ({worst_where})", worst_ratio, SLOWEST_TARGET)
        + "; "
        + targets
        + f"; CPU slowest/log_pain ({worst_cpu_where}) = {worst_cpu_ratio:.2f} (for information)"
    )


if __name__ == "__main__":
    sys.exit(main())
