"""Reads for plan pages. Every function issues a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from pciplan.lib.text import fold
from pciplan.orgs.access import Scope
from pciplan.orgs.models import Organisation

from .access import visible_plans_filter
from .models import Plan, Role, Target, TargetAssignment, TargetKind, Task, TaskAssignment
from .outcomes import OUTCOME_LABELS, OUTCOME_TONE, task_outcome

_ASSIGNMENTS = Prefetch("assignments", queryset=TargetAssignment.objects.select_related("organisation").order_by("role", "organisation__name"))
_TASK_ASSIGNMENTS = Prefetch("assignments", queryset=TaskAssignment.objects.select_related("organisation").order_by("organisation__name"))


def plan_list(scope: Scope):
    return (
        Plan.objects.filter(visible_plans_filter(scope))
        .select_related("issuer", "edition", "province", "parent")
        .annotate(n_targets=Count("targets", distinct=True), n_tasks=Count("tasks", distinct=True))
        .order_by("-year", "issuer__name")
    )


def plan_get(pk):
    return Plan.objects.select_related("issuer", "issuer__parent", "edition", "province", "parent", "parent__issuer")


@dataclass
class TargetRow:
    target: Target
    weight: object
    lead: list[Organisation] = field(default_factory=list)
    owners: list[Organisation] = field(default_factory=list)
    supporters: list[Organisation] = field(default_factory=list)
    n_tasks: int = 0

    @property
    def needed(self):
        return self.target.increase


def plan_targets(plan: Plan) -> list[TargetRow]:
    """One row per target: what, weight, baseline, target, increase, lead, owners, supporters, tasks."""
    targets = (
        Target.objects.filter(plan=plan)
        .select_related("subindex")
        .prefetch_related(_ASSIGNMENTS)
        .annotate(n_tasks=Count("tasks", distinct=True))
        .order_by("order", "id")
    )
    rows = []
    for target in targets:
        row = TargetRow(target=target, weight=target.subindex.weight if target.subindex_id else None,
                        n_tasks=target.n_tasks)
        for a in target.assignments.all():
            {Role.LEAD: row.lead, Role.OWNER: row.owners, Role.SUPPORT: row.supporters}[a.role].append(a.organisation)
        rows.append(row)
    return rows


def collective_label(org: Organisation) -> str:
    """An assignment to an agency itself means all its units."""
    return "Các phòng, đơn vị trực thuộc" if org.kind != Organisation.Kind.UNIT else org.name


@dataclass
class TaskView:
    task: Task
    outcome: str
    outcome_label: str
    tone: str
    units: list[TaskAssignment]


def _task_view(task: Task, today: dt.date) -> TaskView:
    outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                           completed_on=task.completed_on, cutoff=today)
    return TaskView(task=task, outcome=outcome, outcome_label=OUTCOME_LABELS[outcome], tone=OUTCOME_TONE[outcome],
                    units=list(task.assignments.all()))


def tasks_queryset():
    return Task.objects.select_related("plan").prefetch_related(_TASK_ASSIGNMENTS, "targets").order_by("order", "id")


def target_tasks_by_unit(target: Target, today: dt.date) -> OrderedDict:
    """The target's tasks grouped by unit and its role toward the target ("Phối hợp", "Chủ trì")."""
    roles = {a.organisation_id: a.get_role_display() for a in target.assignments.all()}
    groups: OrderedDict[tuple, list[TaskView]] = OrderedDict()
    for task in tasks_queryset().filter(targets=target):
        view = _task_view(task, today)
        for assignment in view.units:
            org = assignment.organisation
            key = (collective_label(org), roles.get(org.pk, assignment.get_role_display()))
            groups.setdefault(key, []).append(view)
    return groups


def plan_tasks(plan: Plan, today: dt.date) -> list[TaskView]:
    return [_task_view(t, today) for t in tasks_queryset().filter(plan=plan)]


@dataclass
class UnitWork:
    unit: Organisation | None
    targets: list[tuple[Target, str]]
    tasks: list[TaskView]
    upcoming: list[TaskView]
    overdue: list[TaskView]


def unit_work(scope: Scope, today: dt.date, plan: Plan | None = None) -> UnitWork:
    """The signed-in person's unit: its targets with its role, its tasks, and what falls due next.

    Work given to the agency as a whole ("Các phòng, đơn vị trực thuộc Sở") is every unit's work.
    """
    unit = scope.org
    if unit is None:
        return UnitWork(None, [], [], [], [])
    org_ids = {unit.pk}
    if unit.parent_id and unit.kind == Organisation.Kind.UNIT:
        org_ids.add(unit.parent_id)
    plan_filter = Q(plan=plan) if plan else Q(plan__status="issued")
    assignments = (TargetAssignment.objects.filter(organisation_id__in=org_ids)
                   .filter(Q(target__plan=plan) if plan else Q(target__plan__status="issued"))
                   .select_related("target", "target__subindex", "target__plan").order_by("target__plan", "target__order"))
    targets = [(a.target, a.get_role_display()) for a in assignments]
    tasks = [_task_view(t, today) for t in
             tasks_queryset().filter(plan_filter, assignments__organisation_id__in=org_ids).distinct()]
    dated = [v for v in tasks if v.task.deadline and v.task.status not in ("done", "cancelled")]
    upcoming = sorted((v for v in dated if v.task.deadline >= today), key=lambda v: v.task.deadline)[:5]
    overdue = sorted((v for v in dated if v.task.deadline < today), key=lambda v: v.task.deadline)
    return UnitWork(unit, targets, tasks, upcoming, overdue)


def search(scope: Scope, query: str, limit: int = 50):
    """Diacritic-insensitive search over tasks and targets of the plans the person can see."""
    words = fold(query).split()
    if not words:
        return [], []
    plans = Plan.objects.filter(visible_plans_filter(scope))
    task_q = Q()
    target_q = Q()
    for word in words:
        task_q &= Q(text_folded__contains=word)
        target_q &= Q(label_folded__contains=word)
    tasks = list(Task.objects.filter(task_q, plan__in=plans).select_related("plan").prefetch_related(_TASK_ASSIGNMENTS)[:limit])
    targets = list(Target.objects.filter(target_q, plan__in=plans).select_related("plan", "subindex")[:limit])
    return targets, tasks


OVERALL_KINDS = (TargetKind.RANK, TargetKind.GROUP, TargetKind.TOTAL)


def plan_for_section(plan: Plan):
    """Tasks of a plan grouped by section (III.1.b …) for the printable view."""
    groups = defaultdict(list)
    for task in tasks_queryset().filter(plan=plan):
        groups[task.section].append(task)
    return dict(groups)
