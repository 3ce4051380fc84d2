"""Task outcomes, derived from deadlines, completion dates and a cut-off day — never stored.

The categories are those of Vietnamese task-tracking reports: hoàn thành đúng hạn, hoàn thành quá hạn,
đang thực hiện trong hạn, quá hạn chưa hoàn thành; continuous and recurring tasks are reported as such.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Outcome(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    OVERDUE = "overdue"
    CONTINUOUS = "continuous"
    RECURRING = "recurring"
    CANCELLED = "cancelled"


OUTCOME_LABELS = {
    Outcome.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Outcome.DONE_LATE: "Hoàn thành quá hạn",
    Outcome.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    Outcome.OVERDUE: "Quá hạn chưa hoàn thành",
    Outcome.CONTINUOUS: "Thường xuyên",
    Outcome.RECURRING: "Định kỳ",
    Outcome.CANCELLED: "Đã hủy",
}

# The status word and its colour class (green, red, amber, grey), shared by every page.
OUTCOME_TONE = {
    Outcome.DONE_ON_TIME: "ok",
    Outcome.DONE_LATE: "warn",
    Outcome.IN_PROGRESS_ON_TIME: "info",
    Outcome.OVERDUE: "bad",
    Outcome.CONTINUOUS: "muted",
    Outcome.RECURRING: "muted",
    Outcome.CANCELLED: "muted",
}


def task_outcome(*, timing: str, status: str, deadline: dt.date | None, completed_on: dt.date | None,
                 cutoff: dt.date) -> Outcome:
    """The outcome of one task as seen on ``cutoff``.

    >>> task_outcome(timing="deadline", status="done", deadline=dt.date(2020, 8, 15),
    ...              completed_on=dt.date(2020, 8, 15), cutoff=dt.date(2020, 9, 14))
    <Outcome.DONE_ON_TIME: 'done_on_time'>
    >>> task_outcome(timing="deadline", status="in_progress", deadline=dt.date(2020, 9, 30),
    ...              completed_on=None, cutoff=dt.date(2020, 10, 1))
    <Outcome.OVERDUE: 'overdue'>
    >>> task_outcome(timing="continuous", status="in_progress", deadline=None, completed_on=None,
    ...              cutoff=dt.date(2020, 12, 14))
    <Outcome.CONTINUOUS: 'continuous'>
    """
    if status == "cancelled":
        return Outcome.CANCELLED
    if timing != "deadline" or deadline is None:
        return Outcome.RECURRING if timing == "recurring" else Outcome.CONTINUOUS
    if status == "done" and completed_on is not None and completed_on <= cutoff:
        return Outcome.DONE_ON_TIME if completed_on <= deadline else Outcome.DONE_LATE
    return Outcome.OVERDUE if cutoff > deadline else Outcome.IN_PROGRESS_ON_TIME
