"""The block diary's words on screen: prompt headings, the countdown, each prompt's state, and
the line Today shows while a diary runs. Pure Python, apart from reading the services given."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.block_diary import BLOCK_SOON, DONE, MISSED, OPEN, PromptStatus, minutes_words
from app.domain.dates import clock_time, date_label
from app.i18n import _, ngettext


def prompt_heading(minutes: int) -> str:
    """ "15 minutes after your block", "2 hours after your block"."""
    return _("{duration} after your block").format(duration=minutes_words(minutes))


def countdown_words(left: timedelta) -> str:
    """ "4 min 05 s", "1 h 05 min", "3 days": short enough to read at a glance each second."""
    seconds = max(0, int(left.total_seconds() + 0.999))
    if seconds >= 2 * 86400:
        days = seconds // 86400
        return ngettext("{count} day", "{count} days", days).format(count=days)
    if seconds >= 3600:
        hours, rest = divmod(seconds, 3600)
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{rest // 60:02d}")
    minutes, rest = divmod(seconds, 60)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=f"{rest:02d}")


def status_words(status: PromptStatus, zone: str) -> str:
    """What one prompt's row says: its answer, "Missed", "Open now" or when it opens."""
    if status.state == DONE and status.entry is not None:
        scores = status.entry.scores
        if len({s.area for s in scores}) != 1:
            return _("Done")  # several places: the row has no room to name them all
        sides = ", ".join(side_score_words(s.side, s.score) for s in scores)
        return _("Done: {sides}").format(sides=sides)
    if status.state == MISSED:
        return _("Missed")
    if status.state == OPEN:
        return _("Open now, until {time}").format(time=clock_time(status.prompt.closes, zone))
    return _("Not yet")


def side_score_words(side: str, score: int) -> str:
    """ "left 3", "both sides 5"."""
    words = {
        "left": _("left {score}"),
        "right": _("right {score}"),
        "both": _("both sides {score}"),
    }
    return words[side].format(score=score)


def today_line(block_diary, block, now: datetime, zone: str) -> str:
    """The line Today shows for the block diary of `block` ('' when there is nothing to say):
    from a day before the block until its last prompt has been answered or missed."""
    if block is None or now < block.at - BLOCK_SOON:
        return ""
    state = block_diary.state(block.id, now)
    if state.finished:
        return ""
    if not block_diary.baselines(block.id):
        return _("Block diary: score your usual pain before the block")
    if state.current is not None:
        return _("Block diary: a question is open now, until {time}").format(
            time=clock_time(state.current.closes, zone)
        )
    if state.next is not None:
        return _("Block diary: next question {when}").format(
            when=date_label(state.next.due, now, zone, in_sentence=True)
        )
    return ""
