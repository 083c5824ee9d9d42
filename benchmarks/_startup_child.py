"""One measured process start for benchmarks/startup.py; not meant to be run by hand.

    python benchmarks/_startup_child.py app DATA_DIR   the real app, started the way main.py does
    python benchmarks/_startup_child.py bare           a bare Kivy app showing one Label
    python benchmarks/_startup_child.py seed DATA_DIR  prepare DATA_DIR for "app" (not timed)

Right after the buffer swap of the first frame in which the whole widget tree is laid out and
every Label with text has its texture, it prints
`FIRST_FRAME <configured> <started> <frame> <flips>` as time.monotonic() values (the clock the
parent reads too; on Linux it is system-wide) and leaves at once with os._exit, so teardown is
not measured. `configured` is when configure_kivy
returned, `started` when App._run_prepare returned (window open, app built, on_start done).
"""

import os
import sys
import time

MODE = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

stamps: dict[str, float] = {}


def _arm_first_frame_probe() -> None:
    """Called right after configure_kivy, before anything imports Window."""
    stamps["configured"] = time.monotonic()
    from kivy.app import App  # what app.ui.app (or the bare app) imports next anyway

    real_run_prepare = App._run_prepare

    def run_prepare_then_watch_flips(app) -> None:
        real_run_prepare(app)
        stamps["started"] = time.monotonic()
        if MODE == "app" and (app.navigator is None or app.navigator.current.name != "today"):
            shown = app.navigator.current.name if app.navigator else type(app.root).__name__
            sys.stdout.write(f"NOT_TODAY {shown}\n")
            sys.stdout.flush()
            os._exit(3)
        from kivy.core.window import Window

        flips, drawn = [0], [False]

        def on_flip(window) -> None:  # bound handlers run before Window's own on_flip...
            flips[0] += 1
            drawn[0] = _drawn(window)

        real_flip = Window.flip

        def flip_then_report() -> None:  # ...which calls flip(): the buffer swap
            real_flip()
            if drawn[0]:
                now = time.monotonic()
                sys.stdout.write(
                    f"FIRST_FRAME {stamps['configured']:.6f} "
                    f"{stamps['started']:.6f} {now:.6f} {flips[0]}\n"
                )
                sys.stdout.flush()
                os._exit(0)

        Window.bind(on_flip=on_flip)
        Window.flip = flip_then_report

    App._run_prepare = run_prepare_then_watch_flips


def _drawn(window) -> bool:
    """The root fills the window, the Today screen is current (app), every text is rendered."""
    from kivy.app import App
    from kivy.uix.label import Label

    app = App.get_running_app()
    root = app.root if app else None
    if root is None or list(root.size) != list(window.size):
        return False
    if MODE == "app":
        current = app.navigator.current if app.navigator else None
        if current is None or current.name != "today" or list(current.size) != list(window.size):
            return False
        tree = current
    else:
        tree = root
    return all(w.texture is not None for w in tree.walk() if isinstance(w, Label) and w.text)


if MODE == "app":
    import app.ui.launch as launch

    real_configure_kivy = launch.configure_kivy

    def configure_kivy_then_probe(width: int, height: int, **options) -> None:
        real_configure_kivy(width, height, **options)  # e.g. kiosk=, whatever launch() passes
        _arm_first_frame_probe()

    # launch() looks configure_kivy up in its module when called, so this wraps the real one.
    launch.configure_kivy = configure_kivy_then_probe

    from app.entry import main

    main(["--data-dir", sys.argv[2]])  # exactly what `python main.py --data-dir DIR` runs
elif MODE == "seed":
    os.environ["KIVY_NO_ARGS"] = "1"
    import _shared  # this script's folder is sys.path[0]

    print("SEEDED" if _shared.skip_first_run_guide(sys.argv[2]) else "EMPTY")
    sys.exit(0)
elif MODE == "bare":
    from app.ui.kivy_config import configure_kivy  # the app's window settings, none of its code

    configure_kivy(1280, 800)
    _arm_first_frame_probe()

    from kivy.app import App
    from kivy.uix.label import Label

    class BareApp(App):
        def build(self):
            return Label(text="Hello")

    BareApp().run()
else:
    sys.exit(f"unknown mode {MODE!r}")
sys.exit("the app stopped before its first frame was drawn")
