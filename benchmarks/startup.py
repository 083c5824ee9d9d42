"""Start-up: from process start to the first drawn frame of the Today screen, against a bare
Kivy app showing one Label, both measured as real process starts in the same run.

    python benchmarks/startup.py [--runs 7]

Each sample spawns `python benchmarks/_startup_child.py app|bare`; the child prints
time.monotonic() right after the buffer swap of its first frame in which everything is laid out
and every text is rendered, and the parent subtracts its own time.monotonic() taken just before
spawning. The app goes through the same path as `python main.py --data-dir DIR`
(app.entry.main -> click -> launch -> configure_kivy -> FacetCompanionApp.run) on a new data
folder per start with no entries; where the app has a first-run guide, the folder records it
as already offered (as tests/ui/conftest.py does), so that the app opens on Today. The bare app
sets the same Kivy Config through app/ui/kivy_config.py, which imports none of the app's code
(until 2026-12-02 it came through app.ui.launch, so the bare app also loaded click, tzlocal and
Babel, which are part of the app's start), and builds Label(text="Hello"). Runs are interleaved
(bare, app, app, bare, ...) after one unmeasured warm-up of each, which fills the disk cache,
the benchmark's own KIVY_HOME and a bytecode cache in the scratch folder (PYTHONPYCACHEPREFIX),
as an installed app has its .pyc files; with --no-bytecode-cache the environment decides
(PYTHONDONTWRITEBYTECODE=1 makes every start compile the app's modules).
Target: median app / median bare <= 1.3.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import _shared
from _shared import median, ms, ratio_text

TARGET = 1.3
CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_startup_child.py")
TIMEOUT_S = 60


def prepare_template(env: dict, scratch: str) -> tuple[str, str]:
    """A data folder with no entries in which the app opens on Today (see skip_first_run_guide);
    each app start gets its own copy."""
    template = os.path.join(scratch, "data-template")
    os.mkdir(template)
    result = subprocess.run(
        [sys.executable, CHILD, "seed", template],
        env=env,
        cwd=str(_shared.REPO_ROOT),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError("could not prepare the data folder")
    if result.stdout.split()[-1] == "SEEDED":
        return template, (
            "no entries, first-run guide already offered (as in tests/ui), a copy per start"
        )
    return template, "new and empty for every start"


def start_once(mode: str, env: dict, scratch: str, template: str) -> dict:
    args = [sys.executable, CHILD, mode]
    if mode == "app":
        data_dir = tempfile.mkdtemp(prefix="data-", dir=scratch)
        shutil.copytree(template, data_dir, dirs_exist_ok=True)
        args.append(data_dir)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        args, env=env, cwd=str(_shared.REPO_ROOT), capture_output=True, text=True, timeout=TIMEOUT_S
    )
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("FIRST_FRAME ")]
    if result.returncode == 3:
        raise RuntimeError(f"the app opened on {result.stdout.split()[-1]!r}, not on Today")
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(
            f"the {mode} start did not report a first frame (exit status {result.returncode})"
        )
    configured, app_started, frame, flips = lines[0].split()[1:]
    return {
        "total": float(frame) - started,
        "configured": float(configured) - started,
        "started": float(app_started) - started,
        "flips": int(flips),
        "cpu": cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured starts of each (default 7)")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX as they are, "
        "so each start may compile the app's modules again",
    )
    options = parser.parse_args()

    display = _shared.ensure_display()
    scratch = tempfile.mkdtemp(prefix="facet-bench-startup-")
    env = dict(os.environ)
    env.update({"KIVY_HOME": os.path.join(scratch, "kivy-home"), "KIVY_NO_ARGS": "1"})
    env.pop("FACET_DATA_DIR", None)
    if not options.no_bytecode_cache:
        # An installed app has its .pyc files. Keep them in the scratch folder rather than in
        # app/__pycache__, and write them even where PYTHONDONTWRITEBYTECODE is set.
        env["PYTHONPYCACHEPREFIX"] = os.path.join(scratch, "pycache")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        cache = (
            "as the environment says"
            if options.no_bytecode_cache
            else "cached in the scratch folder"
        )
        print(
            f"startup: {options.runs} interleaved starts each on DISPLAY={display}, "
            f"{sys.executable}, bytecode {cache}"
        )
        template, data_words = prepare_template(env, scratch)
        print(f"app data folder: {data_words}")
        for mode in ("bare", "app"):
            start_once(mode, env, scratch, template)  # warm-up, not measured
        samples: dict[str, list[dict]] = {"bare": [], "app": []}
        for run in range(options.runs):
            order = ("bare", "app") if run % 2 == 0 else ("app", "bare")
            for mode in order:
                sample = start_once(mode, env, scratch, template)
                samples[mode].append(sample)
                print(
                    f"  run {run + 1} {mode:4}: first frame {ms(sample['total']):>10}  "
                    f"(configure_kivy done {ms(sample['configured'])}, "
                    f"built and started {ms(sample['started'])}, flips {sample['flips']}, "
                    f"CPU {ms(sample['cpu'])})"
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    medians = {
        mode: {
            key: median([s[key] for s in runs]) for key in ("total", "configured", "started", "cpu")
        }
        for mode, runs in samples.items()
    }
    print(
        "medians, in phases: spawn -> configure_kivy returned -> app built and on_start done "
        "-> first frame drawn"
    )
    for mode in ("bare", "app"):
        m = medians[mode]
        print(
            f"  {mode:4}: first frame {ms(m['total']):>10} = {ms(m['configured'])} + "
            f"{ms(m['started'] - m['configured'])} + {ms(m['total'] - m['started'])}"
        )
    a, b = medians["app"], medians["bare"]
    print(
        f"  app - bare: {ms(a['total'] - b['total'])} = {ms(a['configured'] - b['configured'])}"
        f" + {ms((a['started'] - a['configured']) - (b['started'] - b['configured']))}"
        f" + {ms((a['total'] - a['started']) - (b['total'] - b['started']))}"
    )
    print(
        f"  CPU time of the process until its first frame (load-independent): "
        f"app {ms(a['cpu'])}, bare {ms(b['cpu'])}"
    )
    print(
        ratio_text("ratio startup/bare", medians["app"]["total"] / medians["bare"]["total"], TARGET)
        + f"; CPU startup/bare = {a['cpu'] / b['cpu']:.2f} (for information)"
    )


if __name__ == "__main__":
    main()
