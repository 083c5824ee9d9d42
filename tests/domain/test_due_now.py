"""A preparation step whose date passed while its procedure is still ahead is to do now."""

from datetime import UTC, datetime, timedelta

from app.domain.due_now import is_due_now
from app.domain.plan import Procedure, build_timeline
from app.services.pathways import builtin_pathway

UTC = UTC
NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
PATHWAY = builtin_pathway("lumbar")


def timeline_for_block_in(days: int):
    block = Procedure(
        kind="test-block",
        region="lumbar",
        side="both",
        at=NOW + timedelta(days=days),
        zone="Europe/London",
        id=1,
    )
    return build_timeline([block], PATHWAY)


def test_a_step_dated_before_the_plan_was_made_is_due_now_until_done():
    timeline = timeline_for_block_in(3)
    passed = [d for d in timeline if d.due < NOW]
    assert passed, "the pathway has steps more than 3 days before a block"
    assert all(is_due_now(d, done=False, now=NOW) for d in passed)
    assert not any(is_due_now(d, done=True, now=NOW) for d in passed)
    assert not any(is_due_now(d, done=False, now=NOW) for d in timeline if d.due >= NOW)


def test_after_the_procedure_has_started_a_passed_step_is_history():
    timeline = timeline_for_block_in(-2)
    assert not any(is_due_now(d, done=False, now=NOW) for d in timeline)
