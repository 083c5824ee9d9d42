"""Every screen at twice the standard text (WCAG 1.4.4), in landscape and portrait, in English
and in Spanish: nothing cut, no word broken in the middle, nothing covering a control, no control
under 48 dp (tests/ui/layout_check.py says what each of those means).

One app on the demo story's data serves every case; each screen is built afresh for its
language and then filled, as a patient opening it would see it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from kivy.core.window import Window

from app import i18n
from app.services.demo import create_demo_data_dir
from app.services.notifier import RecordingNotifier
from app.ui.app import FacetCompanionApp
from app.ui.navigation import SCREENS
from app.ui.theme import LARGEST_TEXT_SCALE
from tests.ui.app_window import NOW, stop_app
from tests.ui.driver import UiDriver
from tests.ui.layout_check import layout_problems

pytestmark = pytest.mark.ui

SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}
LANGUAGES = ("en", "es")
SCREEN_NAMES = list(SCREENS)  # the kiosk's pages for clinic staff included
SHOTS = os.environ.get("FACET_SHOTS")  # a folder: every case is also saved there as a PNG


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    from app.services.clock import FixedClock

    made = create_demo_data_dir(NOW, "Europe/London")
    folder = tmp_path_factory.mktemp("text-200") / "data"
    shutil.move(str(made), folder)
    app = FacetCompanionApp(
        data_dir=folder, clock=FixedClock(NOW, "Europe/London"), notifier=RecordingNotifier()
    )
    app._run_prepare()
    ui = UiDriver(app)
    ui.settle()
    yield ui
    i18n.set_language("en")
    stop_app(app)


def show(ui: UiDriver, name: str, size: tuple[int, int], language: str) -> None:
    for child in list(Window.children[:-1]):  # a dialog left open by the start (missed reminders)
        if hasattr(child, "dismiss"):
            child.dismiss(animation=False)
    navigator = ui.app.navigator
    Window.size = size
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    i18n.set_language(language)
    # Stand on another page while every other one is dropped, so each is built afresh.
    navigator.go("learn" if name != "learn" else "settings")
    ui.settle()
    navigator.forget_other_screens()
    navigator.home()
    if name != "today":
        ui.settle()
        navigator.go(name, **context_for(ui, name))
    ui.settle()
    ui.pump(frames=6)


def context_for(ui: UiDriver, name: str) -> dict:
    """What the page is opened on: the demo's test block, its first step after the day, an
    article, the newest diary entry (edited: Delete joins Cancel and Save)."""
    if name == "entry":
        [newest] = ui.app.services.diary.page(limit=1)
        return {"entry_id": newest.id}
    if name == "article":
        return {"article_id": "how-it-works"}
    if name == "step":
        [block, *_] = ui.app.services.plan.procedures()
        pathway = ui.app.services.pathways.for_region(block.region)
        step = next(step for step in pathway.steps if step.phase == "after")
        return {"procedure_id": block.id, "step_id": step.id}
    return {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("orientation", SIZES)
@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_every_screen_at_twice_the_text(demo_app, name, orientation, language):
    show(demo_app, name, SIZES[orientation], language)
    screen = demo_app.screen
    assert screen.name == name
    if SHOTS:
        demo_app.screenshot(Path(SHOTS) / f"{name}-{orientation}-{language}.png")
    problems = layout_problems(screen)
    assert not problems, f"{len(problems)} problems on {name}:\n" + "\n".join(problems)
