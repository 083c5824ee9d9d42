"""Checks a desktop build the way a patient and clinic IT meet it: the built program answers a
command-line verb, and `--demo` draws the Today screen in a real window. The kiosk build is set
up as clinic IT would (`kiosk setup`, the PIN on standard input) and must open on the staff PIN
pad, full screen.

    python installers/check_build.py dist/facet-companion
    python installers/check_build.py dist/facet-companion-kiosk

Run by `bash dev.sh build --check` (and so by CI) on an X display (Xvfb). The window is read back
from the X server, not from the app, so a build that draws nothing fails. Prints one line per
check and exits non-zero on the first failure; the screenshot is kept beside the build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from PIL import ImageGrab

from app.ui.theme import PALETTES

DRAW_TIMEOUT_SECONDS = 90
# Today's Log pain button (about 590 x 100 px at 1280x800), or the kiosk PIN pad's title bar
# (the window's width, 85 px high): most of it must be drawn in the app's primary colour.
PRIMARY_PIXELS = 30_000
COLOUR_TOLERANCE = 6
STAFF_PIN = "482913"


def main(build_folder: Path) -> int:
    program = build_folder / build_folder.name
    if not program.exists():
        program = program.with_suffix(".exe")
    with tempfile.TemporaryDirectory(prefix="facet-build-check-") as scratch:
        home = Path(scratch) / "home"
        (home / ".config").mkdir(parents=True)
        env = {**os.environ, "HOME": str(home), "FACET_DATA_DIR": str(Path(scratch) / "data")}
        env.pop("PYTHONPATH", None)
        screenshot = build_folder.parent / f"check-{build_folder.name}.png"
        if build_folder.name.endswith("-kiosk"):
            set_up_the_kiosk(program, env, Path(scratch) / "clinic-reports")
            draw(program, env, [], "the staff PIN pad", screenshot)
        else:
            answer_a_verb(program, env)
            draw(program, env, ["--demo"], "Today's Log pain button", screenshot)
    return 0


def answer_a_verb(program: Path, env: dict) -> None:
    added = run(program, env, "diary", "add", "--score", "4", "--note", "built program check")
    listed = run(program, env, "diary", "list")
    if "built program check" not in listed:
        fail(f"`diary list` does not show the entry just added.\n{added}\n{listed}")
    print(f"check: `{program.name} diary add` then `diary list` answer from the build")


def set_up_the_kiosk(program: Path, env: dict, reports: Path) -> None:
    reports.mkdir()
    run(program, env, "kiosk", "setup", "--reports", str(reports), stdin=f"{STAFF_PIN}\n" * 2)
    status = json.loads(run(program, env, "kiosk", "status", "--format", "json"))
    if not status.get("enabled") or status.get("session_open"):
        fail(f"`kiosk status` after set-up: {status}")
    print(f"check: `{program.name} kiosk setup` and `kiosk status` answer from the build")


def draw(program: Path, env: dict, args: list[str], what: str, screenshot: Path) -> None:
    primary = hex_rgb(PALETTES["calm"]["primary"])
    started = time.monotonic()
    app = subprocess.Popen(
        [str(program), *args, "--size", "1280x800"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        while time.monotonic() - started < DRAW_TIMEOUT_SECONDS:
            time.sleep(1)
            if app.poll() is not None:
                fail(
                    f"the built program exited ({app.returncode}) before drawing:\n"
                    + app.stdout.read().decode(errors="replace")[-3000:]
                )
            image = ImageGrab.grab(xdisplay=os.environ.get("DISPLAY")).convert("RGB")
            if count_near(image, primary) >= PRIMARY_PIXELS:
                image.save(screenshot)
                print(
                    f"check: `{program.name} {' '.join(args)}` drew {what} in "
                    f"{time.monotonic() - started:.0f} s (screenshot: {screenshot})"
                )
                return
        image.save(screenshot)
        fail(f"{what} not drawn within {DRAW_TIMEOUT_SECONDS} s (last screen: {screenshot})")
    finally:
        app.kill()
        app.wait()


def count_near(image, colour: tuple[int, int, int]) -> int:
    small = image.reduce(2)  # a quarter of the pixels is plenty to find a large button
    near = sum(
        1
        for pixel in small.get_flattened_data()
        if max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= COLOUR_TOLERANCE
    )
    return near * 4


def hex_rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(text.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def run(program: Path, env: dict, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [str(program), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        fail(
            f"`{program.name} {' '.join(args)}` exited {done.returncode}:\n"
            f"{done.stdout}{done.stderr}"
        )
    return done.stdout


def fail(message: str) -> None:
    print(f"check failed: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
