"""Learn, When to call and Settings as patients and clinic staff meet them, in a real window."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from kivy.metrics import sp
from kivy.uix.screenmanager import SlideTransition

from app.domain.clinic import ClinicSettings
from app.domain.learn import ArticleFormatError
from app.store.database import open_database
from app.store.settings_repository import SettingsRepository
from app.ui import navigation
from app.ui.frame_pace import FRAMES_REMEMBERED
from app.ui.navigation import SLIDE_SECONDS
from app.ui.theme import LARGEST_TEXT_SCALE, apply_display_settings, display_choices
from app.ui.widgets.controls import AppButton
from tests.ui.test_today import add_procedure

CLINIC_PHONE = "020 7946 0000"
DOWN, END = 274, 279


def saved_clinic(data_dir):
    return SettingsRepository(open_database(data_dir)).clinic()


def open_settings(ui) -> None:
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Settings" and isinstance(w, AppButton)))
    ui.settle()
    assert ui.screen.name == "settings"


def on_screen(ui, widget) -> bool:
    """True when the widget lies within the settings or article ScrollView's visible window."""
    scroll = ui.screen.ids.scroll
    _, bottom = scroll.to_window(scroll.x, scroll.y)
    _, y = widget.to_window(widget.x, widget.y)
    return bottom <= y and y + widget.height <= bottom + scroll.height


def test_learn_opens_from_today_and_an_article_shows_its_title_and_headings(start_app):
    ui = start_app()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Learn" and isinstance(w, AppButton)))
    ui.settle()
    assert ui.screen.name == "learn"
    titles = [w.title for w in ui.screen.ids.articles.children[::-1]]
    assert titles[0] == "How the treatment works" and "When to call" in titles

    ui.tap(ui.find(lambda w: getattr(w, "article_id", "") == "how-it-works"))
    ui.settle()
    assert ui.screen.name == "article"
    texts = ui.visible_texts()
    assert "How the treatment works" in texts  # in the top bar
    assert "Step 1: the test block" in texts
    assert any(t.startswith("Your spine is a stack of bones.") for t in texts)

    ui.tap_text("Done reading")
    ui.settle()
    assert ui.screen.name == "learn"


def test_the_keyboard_scrolls_an_article(start_app):
    ui = start_app()
    ui.app.navigator.go("learn")
    ui.settle()
    ui.app.navigator.go("article", article_id="why-test-block-first")
    ui.settle()
    view, scroll = ui.screen.ids.view, ui.screen.ids.scroll
    assert view.focus, "the article takes the keyboard when it opens"
    assert scroll.scroll_y == 1
    ui.press_key(DOWN)
    assert 0 < scroll.scroll_y < 1
    ui.press_key(END)
    assert scroll.scroll_y == 0


def test_when_to_call_is_one_tap_away_and_puts_the_emergency_signs_first(start_app):
    ui = start_app()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Diary and chart"))
    ui.settle()
    ui.tap_text("When to call")
    ui.settle()

    assert ui.screen.name == "when_to_call"
    emergency, clinic = ui.screen.ids.emergency_card, ui.screen.ids.clinic_card
    assert emergency.y > clinic.y, "the emergency card comes first"
    assert on_screen(ui, ui.find_text("Call your emergency number now"))
    texts = ui.visible_texts()
    assert "Call your local emergency number right away if you have any of these:" in texts
    assert "Call your clinic the same day if you have any of these:" in texts
    assert (
        "For clinic staff: add the clinic's phone number and the local emergency number in "
        "Settings, and they will show here."
    ) in texts
    assert ui.screen.ids.emergency_view.body_font == ui.app.theme.font_large


def test_the_clinics_numbers_show_on_when_to_call_once_saved(start_app, data_dir):
    ui = start_app()
    open_settings(ui)
    ui.type_into(ui.screen.ids.name, "Riverside Pain Clinic")
    ui.type_into(ui.screen.ids.phone, CLINIC_PHONE)
    ui.type_into(ui.screen.ids.emergency_number, "999")
    ui.tap_text("Save settings")
    ui.settle()
    assert "Settings saved." in ui.visible_texts(ui.app.root)

    ui.tap_text("When to call")
    ui.settle()
    texts = ui.visible_texts()
    assert texts.index("999") < texts.index("Riverside Pain Clinic") < texts.index(CLINIC_PHONE)
    assert "Call 999 right away if you have any of these:" in texts
    assert f"Call your clinic ({CLINIC_PHONE}) the same day if you have any of these:" in texts
    assert not any(t.startswith("For clinic staff") for t in texts)


def test_when_to_call_still_gives_the_numbers_if_its_file_is_broken(start_app, monkeypatch):
    import app.ui.screens.when_to_call as when_to_call

    def broken(_article_id):
        raise ArticleFormatError("data/learn/when-to-call.md", 3, "links are not allowed")

    monkeypatch.setattr(when_to_call, "load_article", broken)
    ui = start_app()
    ui.app.services.settings.save_clinic(ClinicSettings(phone=CLINIC_PHONE, emergency_number="112"))
    ui.tap_text("When to call")
    ui.settle()
    texts = ui.visible_texts()
    assert texts.index("Call your emergency number now") < texts.index("Call your clinic today")
    assert "If you feel very unwell, call 112." in texts
    assert CLINIC_PHONE in texts


def test_clinic_settings_are_kept_after_a_restart(start_app, data_dir):
    ui = start_app()
    open_settings(ui)
    ui.type_into(ui.screen.ids.name, "Riverside Pain Clinic")
    ui.type_into(ui.screen.ids.phone, CLINIC_PHONE)
    ui.tap_text("Yes, it uses sedation")
    row = ui.screen.arrival_rows["test-block"]
    ui.tap(ui.find_text("Set a time", row))
    plus = [w for w in ui.widgets(row) if getattr(w, "text", "") == "+"][0]
    ui.tap(plus)
    ui.tap(plus)
    ui.tap_text("Save settings")
    ui.settle()

    saved = saved_clinic(data_dir)
    assert (saved.name, saved.phone, saved.uses_sedation) == (
        "Riverside Pain Clinic",
        CLINIC_PHONE,
        True,
    )
    assert saved.arrival_minutes == {"test-block": 40, "confirm-block": None, "rfa": None}

    ui = start_app()
    open_settings(ui)
    assert ui.screen.ids.name.text == "Riverside Pain Clinic"
    assert ui.screen.ids.phone.text == CLINIC_PHONE
    assert ui.find_text("Yes, it uses sedation").selected
    row = ui.screen.arrival_rows["test-block"]
    assert "40 minutes early" in ui.visible_texts(row)
    assert not ui.find_text("Not set (patients are asked to call)", row).selected
    other = ui.screen.arrival_rows["rfa"]
    assert ui.find_text("Not set (patients are asked to call)", other).selected
    # Nothing was changed, so leaving does not ask.
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"


def test_a_bad_phone_number_is_refused_at_its_field_and_nothing_typed_is_lost(start_app, data_dir):
    ui = start_app()
    open_settings(ui)
    ui.type_into(ui.screen.ids.name, "Riverside Pain Clinic")
    ui.type_into(ui.screen.ids.phone, "call reception")
    ui.type_into(ui.screen.ids.diabetes_text, "Take half your usual insulin dose.")
    ui.tap_text("50% less pain")
    ui.tap_text("Save settings")
    ui.settle()

    error = ui.screen.ids.phone_error
    assert error.text == "The clinic's phone number can hold only digits, spaces and + ( ) - . /"
    assert error.text in ui.visible_texts()
    assert on_screen(ui, error), "the page scrolls to the first problem"
    assert ui.screen.ids.name_error.text == ""
    assert ui.screen.ids.name.text == "Riverside Pain Clinic"
    assert ui.screen.ids.phone.text == "call reception"
    assert ui.screen.ids.diabetes_text.text == "Take half your usual insulin dose."
    assert ui.screen.relief_threshold == 50
    assert saved_clinic(data_dir).name == ""

    ui.press_escape()
    question = ui.open_question()
    assert question.title == "Leave without saving?"
    ui.tap_text("Keep editing", question)
    ui.settle()
    assert ui.screen.name == "settings" and ui.screen.ids.phone.text == "call reception"

    ui.screen.ids.phone.text = ""
    ui.type_into(ui.screen.ids.phone, "+44 20 7946 0000")
    ui.tap_text("Save settings")
    ui.settle()
    assert ui.screen.ids.phone_error.text == ""
    saved = saved_clinic(data_dir)
    assert (saved.phone, saved.relief_threshold_percent) == ("+44 20 7946 0000", 50)
    assert saved.diabetes_text == "Take half your usual insulin dose."


def test_unsaved_changes_survive_a_look_at_when_to_call(start_app):
    ui = start_app()
    open_settings(ui)
    ui.type_into(ui.screen.ids.address, "1 River Road")
    ui.tap_text("When to call")
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "settings"
    assert ui.screen.ids.address.text == "1 River Road"
    ui.tap_text("Cancel")
    question = ui.open_question()
    ui.tap_text("Leave without saving", question)
    ui.settle()
    assert ui.screen.name == "today"
    open_settings(ui)
    assert ui.screen.ids.address.text == "", "a discarded change does not come back"


def test_larger_text_and_high_contrast_apply_at_once_and_are_saved(start_app, data_dir):
    ui = start_app()
    theme = ui.app.theme
    assert theme.font_body == pytest.approx(sp(21))
    open_settings(ui)
    ui.tap_text("125%")
    assert theme.font_body == pytest.approx(sp(21) * 1.25)
    assert ui.find_text("125%").font_size == pytest.approx(sp(21) * 1.25)
    ui.tap_text("High contrast")
    assert theme.high_contrast
    stored = SettingsRepository(open_database(data_dir)).get("display")
    assert stored == {"text_scale": 1.25, "high_contrast": True, "less_motion": False}

    ui = start_app()
    apply_display_settings(ui.app.theme, ui.app.services.settings)  # as the app does at start-up
    assert ui.app.theme.font_body == pytest.approx(sp(21) * 1.25)
    assert ui.app.theme.high_contrast


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "big",
        {"text_scale": 3},
        {"text_scale": True},
        {"high_contrast": "yes"},
        {"text_scale": "1.25"},
    ],
)
def test_damaged_display_choices_read_as_the_defaults(stored):
    assert display_choices(stored) == {
        "text_scale": 1.0,
        "high_contrast": False,
        "less_motion": False,
    }


def where_a_page_is_drawn(ui, name: str) -> list[float]:
    """Go to `name` and return the page's x in the window at each frame drawn on the way."""
    screen = ui.app.navigator.screen(name)
    drawn: list[float] = []

    def on_flip(*_args) -> None:
        if screen.manager is not None:
            drawn.append(screen.to_window(*screen.pos)[0])

    ui.app.root_window.bind(on_flip=on_flip)
    try:
        ui.app.navigator.go(name)
        ui.wait_until(ui.still, f"the {name!r} page to arrive", draw_each=True)
    finally:
        ui.app.root_window.unbind(on_flip=on_flip)
    return drawn


def drawing_takes(ui, seconds: float) -> None:
    """As if the window's recent frames each took `seconds` (the pace decides whether a slide
    can be seen; under Xvfb's software GL frames are slow)."""
    for _ in range(FRAMES_REMEMBERED):
        ui.app.navigator.pace.record(seconds)


def slides_in(ui, name: str, frame_seconds: float = 1 / 60) -> bool:
    """Whether going to `name` starts a slide, on a device drawing a frame in `frame_seconds`."""
    drawing_takes(ui, frame_seconds)
    ui.app.navigator.go(name)
    transition = ui.app.navigator.manager.transition
    sliding = isinstance(transition, SlideTransition) and transition.is_active
    ui.settle()
    return sliding


def test_less_motion_shows_pages_at_once_and_is_kept(start_app, data_dir):
    ui = start_app()
    assert slides_in(ui, "learn"), "by default a page slides in from the side"
    ui.press_escape()
    ui.settle()
    open_settings(ui)
    ui.tap_text("Less motion")
    assert ui.app.theme.less_motion
    stored = SettingsRepository(open_database(data_dir)).get("display")
    assert stored == {"text_scale": 1.0, "high_contrast": False, "less_motion": True}
    ui.press_escape()
    ui.settle()
    drawing_takes(ui, 1 / 60)  # even where a slide could be seen
    assert set(where_a_page_is_drawn(ui, "learn")) == {0}, "every frame shows it in its place"

    ui = start_app()
    apply_display_settings(ui.app.theme, ui.app.services.settings)  # as the app does at start-up
    assert ui.app.theme.less_motion
    drawing_takes(ui, 1 / 60)
    assert set(where_a_page_is_drawn(ui, "timeline")) == {0}


def test_a_page_appears_at_once_where_frames_are_too_slow_to_show_a_slide(start_app):
    ui = start_app()
    assert not ui.app.theme.less_motion
    assert slides_in(ui, "learn", frame_seconds=SLIDE_SECONDS / 4)
    ui.press_escape()
    ui.settle()
    assert not slides_in(ui, "timeline", frame_seconds=SLIDE_SECONDS / 3)  # jumps, no glide
    assert ui.screen.name == "timeline"
    ui.press_escape()
    ui.settle()
    assert not slides_in(ui, "settings", frame_seconds=SLIDE_SECONDS / 2)
    assert ui.screen.name == "settings"


def test_when_to_call_appears_at_once_even_with_motion(start_app):
    ui = start_app()
    assert not ui.app.theme.less_motion
    drawing_takes(ui, 1 / 60)
    assert set(where_a_page_is_drawn(ui, "when_to_call")) == {0}


def test_edit_my_plan_opens_the_guide_for_editing(start_app):
    ui = start_app()
    open_settings(ui)
    ui.tap_text("Edit my plan")
    ui.settle()
    assert ui.screen.name == "guide" and ui.screen.editing


def test_a_broken_pathway_file_is_reported_to_staff_at_the_top(start_app, data_dir, tmp_path):
    ui = start_app()
    open_settings(ui)
    missing = tmp_path / "no-such-pathway.toml"
    ui.type_into(ui.screen.ids.pathway_file, str(missing))
    ui.tap_text("Save settings")
    ui.settle()
    ui.screen.ids.scroll.scroll_y = 1
    ui.settle()
    report = [t for t in ui.visible_texts() if t.startswith("For clinic staff: ")]
    assert report and "could not be used" in report[0]
    assert saved_clinic(data_dir).pathway_file == str(missing)

    ui.screen.ids.pathway_file.text = ""
    ui.tap_text("Save settings")
    ui.settle()
    assert not [t for t in ui.visible_texts() if t.startswith("For clinic staff: ")]


SHOTS = os.environ.get("FACET_SHOTS")


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_each_screen_fits_the_tablet_with_large_targets(start_app, size):
    ui = start_app(size=size)
    repo = ui.app.services.settings
    repo.save_clinic(
        ClinicSettings(name="Riverside Pain Clinic", phone=CLINIC_PHONE, emergency_number="999")
    )
    visits = [
        ("learn", {}),
        ("article", {"article_id": "how-it-works"}),
        ("when_to_call", {}),
        ("settings", {}),
    ]
    for name, context in visits:
        ui.app.navigator.go(name, **context)
        ui.settle()
        buttons = [
            w for w in ui.widgets() if isinstance(w, AppButton) and w.opacity > 0 and w.width > 0
        ]
        assert min(min(b.width, b.height) for b in buttons) >= 48, name
        assert all(b.right <= size[0] + 1 for b in buttons), name
        if SHOTS:
            orientation = "landscape" if size[0] > size[1] else "portrait"
            ui.screenshot(Path(SHOTS) / f"{name}-{orientation}.png")


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_when_to_call_page_has_no_button_that_opens_itself(start_app, size):
    ui = start_app(size=size)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("when_to_call")
    ui.settle()
    assert ui.visible_texts().count("When to call") == 1  # the page's title only


def test_a_page_is_built_with_the_cycle_collector_resting_and_it_comes_back(start_app, monkeypatch):
    """Building a page holds Python's cycle collector (its widgets are made to stay); it must be
    back after the build, even one that failed, or the session would keep every cycle it makes."""
    ui = start_app()
    seen = []
    real_import = navigation.importlib.import_module

    def import_and_look(name, *args, **kwargs):
        if name.startswith("app.ui.screens."):
            seen.append(gc.isenabled())
            if name.endswith(".learn"):
                raise ImportError("a broken page")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(navigation.importlib, "import_module", import_and_look)
    ui.app.navigator.go("settings")
    ui.settle()
    assert ui.screen.name == "settings"
    with pytest.raises(ImportError):
        ui.app.navigator.screen("learn")
    # Settings, the broken Learn, and When to call if its build ahead came meanwhile.
    assert len(seen) >= 2 and not any(seen)
    assert gc.isenabled()


def test_a_first_visit_fills_its_page_with_the_collector_resting_until_it_is_drawn(
    start_app, data_dir, clock
):
    """The cycle collector ran some 180 times in a first Checklist visit (filling its rows,
    then laying them out and rendering their words), freeing next to nothing: it rests from
    the tap until the page is on screen, and then comes back."""
    add_procedure(data_dir, clock, "2026-12-12T10:00", kind="rfa")  # a checklist of 30 rows
    ui = start_app()
    ui.settle()
    assert gc.isenabled()
    collections = []

    def count(phase, _info):
        collections.append(phase)

    gc.callbacks.append(count)  # the collector's own list: replacing it would not be seen
    try:
        ui.app.navigator.go("checklist")  # builds the page and fills its rows
    finally:
        gc.callbacks.remove(count)
    assert collections == []
    assert not gc.isenabled()  # until the page's frame is drawn
    ui.settle()
    assert ui.screen.name == "checklist"
    assert gc.isenabled()


def test_the_collector_comes_back_even_after_a_visit_that_draws_nothing(start_app, monkeypatch):
    """A visit that changes nothing on screen draws no frame (Kivy draws only what changed):
    the collector must not wait for one for ever."""
    ui = start_app()
    ui.settle()
    monkeypatch.setattr(navigation, "AfterFirstFrame", lambda _callback, _delay: None)
    ui.app.navigator.home()
    assert not gc.isenabled()
    ui.wait_until(
        gc.isenabled,
        "the collector to be back",
        timeout=navigation.COLLECTOR_REST_AT_MOST_SECONDS + 3,
    )
