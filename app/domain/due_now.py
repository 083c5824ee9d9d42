"""Preparation steps to do now: their date has passed but their procedure has not.

Such a step was missed, or its date fell before the plan was even made (a blood-thinner step
"11 days before" for a block booked 3 days ahead). It is not history: the patient still has to
do it (or ask the clinic) before the procedure, so it is shown as "Do this now", first.
A step the patient marked done, or whose procedure has started, is not. Pure Python.
"""

from __future__ import annotations

from datetime import datetime

from app.domain.plan import DatedStep


def is_due_now(dated: DatedStep, done: bool, now: datetime) -> bool:
    return not done and dated.due < now < dated.procedure.at
