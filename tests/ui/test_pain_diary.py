"""The everyday pain diary as a patient meets it: touches in a real window, checked on screen and
on disk."""

from datetime import timedelta

from app.domain.diary import validate_entry
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.ui.screens.recovery import RecoveryPage


def saved_entries(data_dir):
    return list(DiaryRepository(open_database(data_dir)).since())


def seed(data_dir, clock, *raws):
    repo = DiaryRepository(open_database(data_dir))
    return [repo.add(validate_entry(raw, now=clock.now(), zone=clock.zone())) for raw in raws]


def show_last_rows(ui) -> None:
    """Scroll the Diary's list to its end, as a patient would to reach the older entries (the
    chart and its words come first in the list)."""
    ui.screen.ids.history.scroll_y = 0
    ui.pump(frames=4)


def log_from_today(ui, score: int, *, then: str) -> None:
    """Tap "Log pain" and a score, then the button named `then`."""
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text(str(score))
    ui.tap_text(then)
    ui.settle()


def test_quick_log_takes_three_taps_and_is_on_disk(start_app, data_dir):
    ui = start_app()
    log_from_today(ui, 7, then="Save pain 7")

    assert ui.screen.name == "today"
    assert "Saved: pain 7 at 15:30." in ui.visible_texts(ui.app.root)
    assert "Last logged: pain 7 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()
    [entry] = saved_entries(data_dir)
    assert (entry.score, entry.zone, entry.areas) == (7, "Europe/London", ())
    assert entry.at == ui.app.clock.now()


def test_undo_in_the_banner_removes_a_quick_entry(start_app, data_dir):
    ui = start_app()
    log_from_today(ui, 3, then="Save pain 3")
    ui.tap_text("Undo", ui.app.root)
    ui.settle()
    assert saved_entries(data_dir) == []
    assert "Nothing logged yet. Your first entry takes three taps." in ui.visible_texts()


def test_details_save_areas_sides_activity_and_a_note_in_any_script(start_app, data_dir):
    ui = start_app()
    log_from_today(ui, 4, then="Add details")
    row = ui.screen.area_rows["lower_back"]
    ui.tap(ui.find_text("Lower back", row))
    ui.tap(ui.find_text("Right", row))
    ui.type_into(ui.screen.ids.activity, "walking the dog")
    ui.type_into(ui.screen.ids.note, "Stiff this morning 😣 腰が痛い")
    ui.tap_text("Save")
    ui.settle()

    [entry] = saved_entries(data_dir)
    assert entry.score == 4
    assert [(a.area, a.side, a.score) for a in entry.areas] == [("lower_back", "right", 4)]
    assert entry.activity == "walking the dog"
    assert entry.note == "Stiff this morning 😣 腰が痛い"
    assert ui.screen.name == "today"


def test_a_time_in_the_future_is_refused_at_the_field_and_the_form_keeps_what_was_typed(
    start_app, data_dir
):
    ui = start_app()
    log_from_today(ui, 5, then="Add details")
    ui.type_into(ui.screen.ids.note, "keep me")
    ui.tap_text("Earlier")
    hour_plus = [w for w in ui.widgets(ui.screen.ids.when) if getattr(w, "text", "") == "+"][1]
    ui.tap(hour_plus)
    ui.tap(hour_plus)
    ui.tap_text("Save")
    ui.settle()

    assert ui.screen.name == "entry"
    assert "That time is in the future. Choose now or a time that has passed." in ui.visible_texts()
    assert ui.screen.ids.note.text == "keep me"
    assert ui.screen.ids.scale.score == 5
    assert saved_entries(data_dir) == []


def test_an_earlier_time_is_saved_in_the_patients_zone(start_app, data_dir):
    ui = start_app()
    log_from_today(ui, 2, then="Add details")
    ui.tap_text("Earlier")
    day_minus = [w for w in ui.widgets(ui.screen.ids.when) if getattr(w, "text", "") == "−"][0]
    ui.tap(day_minus)
    assert ui.screen.ids.when.summary == "Yesterday, Friday 27 November, 15:30"
    ui.tap_text("Save")
    ui.settle()
    [entry] = saved_entries(data_dir)
    assert entry.at == ui.app.clock.now() - timedelta(days=1)


def test_history_shows_days_newest_first_then_edit_delete_and_undo(start_app, clock, data_dir):
    now = clock.now()
    seed(
        data_dir,
        clock,
        {"score": 6, "at": now - timedelta(days=1, hours=2), "activity": "gardening"},
        {"score": 3, "at": now - timedelta(hours=1)},
        {
            "score": 8,
            "at": now - timedelta(minutes=10),
            "areas": [{"area": "neck", "side": "left", "score": 8}],
        },
    )
    ui = start_app()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Diary and chart"))
    ui.settle()

    history = ui.screen.ids.history
    kinds = [(row["viewclass"], row.get("score")) for row in history.data]
    assert kinds == [
        ("DiaryOverviewRow", None),
        ("DiaryLinksRow", None),
        ("DayHeaderRow", None),
        ("EntryRow", 8),
        ("EntryRow", 3),
        ("DayHeaderRow", None),
        ("EntryRow", 6),
    ]
    assert history.data[2]["text"] == "Today, Saturday 28 November"
    assert "Neck, left: 8" in history.data[3]["detail"]
    assert "Last 30 days: 3 entries, average 5.7, lowest 3, highest 8." in ui.screen.summary

    show_last_rows(ui)
    ui.tap(ui.find(lambda w: getattr(w, "text", "") == "Edit" and w.parent.parent.score == 3))
    ui.settle()
    assert ui.screen.name == "entry"
    ui.tap_text("9")
    ui.tap_text("Save")
    ui.settle()
    assert ui.screen.name == "diary"
    assert sorted(e.score for e in saved_entries(data_dir)) == [6, 8, 9]

    show_last_rows(ui)
    ui.tap(ui.find(lambda w: getattr(w, "text", "") == "Delete" and w.parent.parent.score == 9))
    ui.settle()
    assert sorted(e.score for e in saved_entries(data_dir)) == [6, 8]
    assert [row.get("score") for row in ui.screen.ids.history.data if "score" in row] == [8, 6]
    assert "Entry deleted." in ui.visible_texts(ui.app.root)

    ui.pump(seconds=10.5)  # the undo must still be there after ten seconds
    ui.tap_text("Undo", ui.app.root)
    ui.settle()
    assert sorted(e.score for e in saved_entries(data_dir)) == [6, 8, 9]
    assert [row.get("score") for row in ui.screen.ids.history.data if "score" in row] == [8, 9, 6]


def test_an_entry_deleted_while_being_changed_keeps_the_changes_and_asks_before_saving_anew(
    start_app, clock, data_dir
):
    """Another window (or the CLI) deleted the entry open here: Save says so, loses nothing, and
    saves the changes as a new entry, at the entry's own time, only when the patient says so."""
    at = clock.now() - timedelta(hours=3)
    seed(data_dir, clock, {"score": 4, "at": at, "activity": "walking"})
    ui = start_app()
    [entry] = saved_entries(data_dir)
    ui.app.navigator.go("entry", entry_id=entry.id)
    ui.settle()
    ui.tap_text("7")
    DiaryRepository(open_database(data_dir)).delete(entry.id, now=clock.now())

    ui.tap_text("Save")
    question = ui.open_question()
    assert "This entry was deleted" in ui.visible_texts(question)
    ui.tap_text("Not now", question)
    ui.settle()
    assert ui.screen.name == "entry" and ui.screen.ids.scale.score == 7
    assert saved_entries(data_dir) == []

    ui.tap_text("Save")
    ui.tap_text("Save as a new entry", ui.open_question())
    ui.settle()
    assert ui.screen.name == "today"
    [saved] = saved_entries(data_dir)
    assert (saved.score, saved.at, saved.activity) == (7, at, "walking")
    assert saved.id != entry.id


def test_period_filters_change_history_and_chart(start_app, clock, data_dir):
    now = clock.now()
    seed(
        data_dir,
        clock,
        {"score": 2, "at": now - timedelta(days=40)},
        {"score": 4, "at": now - timedelta(days=3)},
    )
    ui = start_app()
    ui.app.navigator.go("diary")
    ui.settle()
    assert [row["score"] for row in ui.screen.ids.history.data if "score" in row] == [4]
    ui.tap_text("90 days")
    ui.settle()
    assert [row["score"] for row in ui.screen.ids.history.data if "score" in row] == [4, 2]
    assert len(ui.screen.chart_days) == 2
    ui.tap_text("7 days")
    ui.settle()
    assert len(ui.screen.chart_days) == 1


def test_escape_goes_back_and_never_quits_without_asking(start_app):
    ui = start_app()
    ui.app.navigator.go("diary")
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"
    ui.press_escape()
    ui.settle()
    question = ui.open_question()
    assert "Close Facet Companion?" in ui.visible_texts(question)
    ui.press_escape()
    ui.settle()
    assert not question.is_open and ui.question() is None
    assert ui.app.navigator.current.name == "today"


def test_entries_are_still_there_after_a_restart(start_app, data_dir):
    ui = start_app()
    log_from_today(ui, 9, then="Save pain 9")
    ui = start_app()
    assert "Last logged: pain 9 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()


def test_portrait_tablet_keeps_every_control_large(start_app):
    ui = start_app(size=(800, 1280))
    ui.tap_text("Log pain")
    ui.settle()
    buttons = [
        w for w in ui.widgets() if getattr(w, "score", None) is not None and hasattr(w, "kind")
    ]
    assert len(buttons) == 11
    assert min(b.width for b in buttons) >= 48
    assert min(b.height for b in buttons) >= 72
    assert all(b.right <= 800 for b in buttons)


def test_a_database_from_a_newer_version_is_refused_and_left_alone(start_app, data_dir):
    db = open_database(data_dir)
    with db.atomic():
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('facet', 'm999_future', '2030-01-01')"
        )
    db.close()
    before = (data_dir / "facet.db").read_bytes()
    ui = start_app()
    [page] = ui.app.root.children
    assert isinstance(page, RecoveryPage)
    assert "newer version of Facet Companion" in page.details
    assert (data_dir / "facet.db").read_bytes() == before


TAB, ENTER, RIGHT = 9, 13, 275


def test_the_keyboard_alone_can_log_pain(start_app, data_dir):
    ui = start_app()
    assert ui.screen.ids.log_pain.focus
    ui.press_key(ENTER)
    ui.settle()
    assert ui.screen.name == "log"
    for _ in range(7):  # the scale is one Tab stop; the arrow keys move the score
        ui.press_key(RIGHT)
    assert ui.screen.ids.scale.score == 7
    for _ in range(2):  # "Add details", "Save pain 7"
        ui.press_key(TAB)
    assert ui.screen.ids.save.focus
    assert ui.app.theme.keyboard_mode
    ui.press_key(ENTER)
    ui.settle()
    assert [e.score for e in saved_entries(data_dir)] == [7]


def test_history_loads_older_entries_as_the_patient_scrolls_down(start_app, clock, data_dir):
    now = clock.now()
    seed(data_dir, clock, *({"score": n % 11, "at": now - timedelta(hours=n)} for n in range(400)))
    ui = start_app()
    ui.app.navigator.go("diary")
    ui.settle()
    shown = lambda: sum(1 for row in ui.screen.ids.history.data if "score" in row)  # noqa: E731
    assert shown() == 150
    ui.screen.ids.history.scroll_y = 0
    ui.settle()
    assert shown() == 300
    assert 0.3 < ui.screen.ids.history.scroll_y < 0.7, "the rows being read stay in place"
    ui.screen.ids.history.scroll_y = 0
    ui.settle()
    assert shown() == 400


def test_leaving_a_form_with_unsaved_input_asks_first(start_app, data_dir):
    ui = start_app()
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("Add details")
    ui.settle()
    ui.type_into(ui.screen.ids.note, "half a thought")
    ui.press_escape()
    question = ui.open_question()
    assert question.title == "Leave without saving?"
    ui.tap_text("Keep editing", question)
    ui.settle()
    assert ui.screen.name == "entry" and ui.screen.ids.note.text == "half a thought"
    ui.tap_text("Cancel")
    ui.settle()
    question = ui.open_question()
    ui.tap_text("Leave without saving", question)
    ui.settle()
    assert ui.screen.name == "log"
    assert saved_entries(data_dir) == []
