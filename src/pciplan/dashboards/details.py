"""Reads for one target's page: its status with the reasons, the tasks behind it and what the units
reported on them. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pciplan.orgs.access import Scope
from pciplan.plans.models import Target
from pciplan.plans.outcomes import OUTCOME_LABELS, OUTCOME_TONE, Outcome, task_outcome
from pciplan.plans.selectors import TaskView, tasks_queryset
from pciplan.reports.access import reads_agency_work
from pciplan.reports.models import ReportIndicatorValue, ReportStatus, ReportTaskEntry

from .evidence import TargetRow, target_rows

# Overdue first, then what is running, then what is done, then the undated.
_ORDER = {Outcome.OVERDUE: 0, Outcome.IN_PROGRESS_ON_TIME: 1, Outcome.DONE_LATE: 2, Outcome.DONE_ON_TIME: 3,
          Outcome.RECURRING: 4, Outcome.CONTINUOUS: 5, Outcome.CANCELLED: 6}


@dataclass
class TaskEvidence:
    view: TaskView
    entries: list[ReportTaskEntry]


@dataclass
class TargetDetail:
    row: TargetRow
    tasks: list[TaskEvidence]
    values: list[ReportIndicatorValue]
    today: dt.date
    hidden_reports: bool

    @property
    def target(self) -> Target:
        return self.row.target

    @property
    def dated(self) -> list[TaskEvidence]:
        return [t for t in self.tasks if t.view.task.deadline is not None]

    @property
    def undated(self) -> list[TaskEvidence]:
        return [t for t in self.tasks if t.view.task.deadline is None]


def target_detail(target: Target, scope: Scope, today: dt.date) -> TargetDetail:
    plan = target.plan
    row = next(r for r in target_rows([plan], today)[plan.pk] if r.target.pk == target.pk)
    all_reports = reads_agency_work(scope, plan.issuer_id)
    tasks = []
    for task in tasks_queryset().filter(targets=target):
        outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                               completed_on=task.completed_on, cutoff=today)
        tasks.append(TaskView(task=task, outcome=outcome, outcome_label=OUTCOME_LABELS[outcome],
                              tone=OUTCOME_TONE[outcome], units=list(task.assignments.all())))
    tasks.sort(key=lambda v: (_ORDER.get(v.outcome, 9), v.task.deadline or dt.date.max, v.task.order, v.task.pk))
    entries = (ReportTaskEntry.objects.filter(task__targets=target, report__period__plan=plan)
               .select_related("report", "report__period", "report__unit")
               .order_by("-report__period__due_date", "report__unit__name"))
    if not all_reports:
        entries = entries.filter(report__unit_id__in=scope.own_unit_ids if scope.is_unit_role else [])
    by_task: dict[int, list[ReportTaskEntry]] = defaultdict(list)
    for entry in entries:
        # What a unit has sent; a draft only to the unit's own people (it is not a report yet).
        if entry.report.status == ReportStatus.DRAFT and not scope.works_in(entry.report.unit_id):
            continue
        by_task[entry.task_id].append(entry)
    values = list(ReportIndicatorValue.objects.filter(target=target).select_related(
        "report", "report__period", "report__unit").order_by("-report__period__due_date"))
    values = [v for v in values if scope.works_in(v.report.unit_id)
              or (all_reports and v.report.status != ReportStatus.DRAFT)]
    return TargetDetail(row=row, tasks=[TaskEvidence(v, by_task.get(v.task.pk, [])) for v in tasks], values=values,
                        today=today, hidden_reports=not all_reports)
