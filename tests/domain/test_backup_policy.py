"""Which automatic backups are made and kept: at most one a day; 7 daily and 4 weekly kept."""

from datetime import UTC, datetime, timedelta

from app.domain.backup_policy import DAILY_KEPT, WEEKLY_KEPT, backups_to_keep, daily_backup_due

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a Tuesday


def at(days_ago: float, hour: int = 9) -> datetime:
    day = NOW - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0)


def test_the_numbers_are_the_issues():
    assert (DAILY_KEPT, WEEKLY_KEPT) == (7, 4)


def test_a_backup_is_due_once_per_utc_day():
    assert daily_backup_due([], NOW)
    assert daily_backup_due([at(1)], NOW)
    assert not daily_backup_due([at(1), at(0, hour=0)], NOW)
    # 00:30 in Auckland is still the previous UTC day: the UTC date decides, as names do
    assert daily_backup_due([datetime(2026, 11, 30, 23, 59, tzinfo=UTC)], NOW)


def test_a_month_of_daily_backups_keeps_the_last_seven_days_and_four_weeks():
    made = [at(days) for days in range(30)]
    kept = backups_to_keep(made, NOW)
    assert {at(days) for days in range(7)} <= kept
    weekly = kept - {at(days) for days in range(7)}
    # the newest of each of the 4 newest ISO weeks: this week and the last three
    weeks = sorted({instant.isocalendar()[:2] for instant in kept}, reverse=True)
    assert len(weeks) == 4
    assert all(instant.isocalendar()[:2] in weeks for instant in weekly)
    assert len(kept) <= DAILY_KEPT + WEEKLY_KEPT
    # each week keeps its newest backup
    for week in weeks:
        in_week = [instant for instant in made if instant.isocalendar()[:2] == week]
        assert max(in_week) in kept


def test_several_backups_on_one_day_keep_the_newest_of_that_day_once_it_is_over():
    made = [at(1, hour=1), at(1, hour=8), at(1, hour=14), at(2)]
    assert backups_to_keep(made, NOW) == {at(1, hour=14), at(2)}


def test_every_backup_of_today_is_kept():
    """The one before a restore, beside the daily one, can be put back all day."""
    made = [at(0, hour=1), at(0, hour=8), at(0, hour=14), at(1)]
    assert backups_to_keep(made, NOW) == set(made)


def test_a_diary_left_closed_for_months_keeps_its_last_backups():
    made = [at(200 + days) for days in range(10)]
    kept = backups_to_keep(made, NOW)
    assert {at(200 + days) for days in range(7)} <= kept
    assert at(200) in kept  # the newest is never removed


def test_a_backup_dated_in_the_future_never_pushes_out_todays():
    """The device's clock was ahead, then set right: the new backup is kept, so are the odd ones."""
    ahead = [NOW + timedelta(days=days) for days in range(1, 10)]
    made = [*ahead, NOW]
    kept = backups_to_keep(made, NOW)
    assert NOW in kept
    assert set(ahead) <= kept


def test_nothing_to_keep_from_nothing():
    assert backups_to_keep([], NOW) == set()
