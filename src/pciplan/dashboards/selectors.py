"""Reads for the role homes and the province roll-up.

Every function issues a fixed number of queries whatever the number of plans, targets, tasks, units,
periods or reports (asserted in ``tests/test_queries.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from django.db.models import Q

from pciplan.catalog.models import SubIndex
from pciplan.lib.dates import format_date
from pciplan.orgs.access import Scope
from pciplan.orgs.models import Organisation
from pciplan.orgs.models import Role as UserRole
from pciplan.plans.models import (
    Plan,
    PlanStatus,
    ReportingRule,
    Role,
    TargetAssignment,
    Task,
    TaskAssignment,
    TimingKind,
)
from pciplan.plans.outcomes import OUTCOME_LABELS, OUTCOME_TONE, Outcome, task_outcome
from pciplan.plans.selectors import TaskView, UnitWork, tasks_queryset
from pciplan.reports.models import Period, ReportStatus, UnitReport
from pciplan.reports.selectors import Board, board, current_period

from . import expectation
from .evidence import TargetRow, target_rows, task_facts, task_target_pairs
from .status import RollUp, Status, roll_up


# ------------------------------------------------------------------------------------------- plans
def agency_plans(scope: Scope) -> list[Plan]:
    """Issued (or closed) plans of the person's agency, newest year first. One query."""
    if scope.home is None:
        return []
    return list(Plan.objects.filter(issuer_id=scope.home.pk).exclude(status=PlanStatus.DRAFT)
                .select_related("issuer", "province", "edition", "parent", "parent__issuer")
                .order_by("-year", "-pk"))


def pick_plan(plans: Sequence[Plan], today: dt.date, wanted: int | None = None) -> Plan | None:
    """The plan asked for, else the plan of this year, else the latest plan not after this year."""
    if wanted is not None:
        for plan in plans:
            if plan.pk == wanted:
                return plan
    this_year = [p for p in plans if p.year == today.year]
    if this_year:
        return this_year[0]
    earlier = [p for p in plans if p.year <= today.year]
    return earlier[0] if earlier else (plans[0] if plans else None)


@dataclass
class TargetGroups:
    rows: list[TargetRow]

    @property
    def overall(self) -> list[TargetRow]:
        return [r for r in self.rows if r.group == "overall"]

    @property
    def subindex(self) -> list[TargetRow]:
        return [r for r in self.rows if r.group == "subindex"]

    @property
    def indicator(self) -> list[TargetRow]:
        return [r for r in self.rows if r.group == "indicator"]

    @property
    def sections(self) -> list[tuple[str, list[TargetRow]]]:
        return [("Mục tiêu chung", self.overall), ("Chỉ số thành phần", self.subindex), ("Chỉ tiêu", self.indicator)]

    @property
    def rollup(self) -> RollUp:
        return roll_up(r.status for r in self.rows)

    @property
    def subindex_rollup(self) -> RollUp:
        return roll_up(r.status for r in self.subindex)


# ------------------------------------------------------------------------------------------ leader
@dataclass
class Deadline:
    day: dt.date
    kind: str            # "task" | "report"
    text: str
    who: str
    obj: object
    days: int = 0

    @property
    def kind_label(self) -> str:
        return "Nhiệm vụ" if self.kind == "task" else "Báo cáo"


@dataclass
class LeaderHome:
    plan: Plan | None
    plans: list[Plan]
    targets: TargetGroups
    overdue: list[TaskView]
    deadlines: list[Deadline]
    period: Period | None
    board: Board | None
    expected: expectation.Expected
    today: dt.date
    n_tasks: int = 0
    n_dated: int = 0
    n_overdue: int = 0

    @property
    def publication(self) -> tuple[str, bool]:
        """Whether the plan year's PCI is out, in words: ``(text, published)``."""
        return publication_state(self.plan, self.targets.rows, self.today)


def publication_state(plan: Plan | None, rows: Sequence[TargetRow], today: dt.date) -> tuple[str, bool]:
    if plan is None:
        return "", False
    known = next((r.published for r in rows if r.published is not None), None)
    if known is None:
        return f"Chưa có kết quả PCI {plan.year} do VCCI công bố.", False
    if today < known.available_from:
        how = "" if known.date_stored else f" (khi chưa ghi ngày công bố, kết quả năm {plan.year} được coi là có từ {format_date(known.available_from)})"
        return f"VCCI chưa công bố PCI {plan.year} tại ngày {format_date(today)}{how}.", False
    return f"Đã có kết quả PCI {plan.year} do VCCI công bố.", True


def _task_units(view: TaskView) -> str:
    return "; ".join(a.organisation.display_name if a.organisation.kind == Organisation.Kind.UNIT
                     else "Các phòng, đơn vị" for a in view.units)


def _views(tasks, today: dt.date) -> list[TaskView]:
    out = []
    for task in tasks:
        outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                               completed_on=task.completed_on, cutoff=today)
        out.append(TaskView(task=task, outcome=outcome, outcome_label=OUTCOME_LABELS[outcome],
                            tone=OUTCOME_TONE[outcome], units=list(task.assignments.all())))
    return out


#: The leader's home lists this many overdue tasks (oldest first) and links to the rest.
OVERDUE_SHOWN = 10
DEADLINES_SHOWN = 8


def leader_home(scope: Scope, today: dt.date, wanted_plan: int | None = None) -> LeaderHome:
    plans = agency_plans(scope)
    plan = pick_plan(plans, today, wanted_plan)
    if plan is None:
        return LeaderHome(None, plans, TargetGroups([]), [], [], None, None, expectation.unavailable(), today)
    rows = target_rows([plan], today).get(plan.pk, [])
    # Every task's outcome from its dates (one light query); the full rows only for the tasks shown.
    n_tasks, n_dated, n_overdue, overdue_ids, upcoming = 0, 0, 0, [], []
    for pk, timing, status, deadline, completed_on in Task.objects.filter(plan=plan).values_list(
            "pk", "timing", "status", "deadline", "completed_on").order_by("deadline", "pk"):
        n_tasks += 1
        if timing != TimingKind.DEADLINE:
            continue
        n_dated += 1
        outcome = task_outcome(timing=timing, status=status, deadline=deadline, completed_on=completed_on,
                               cutoff=today)
        if outcome == Outcome.OVERDUE:
            n_overdue += 1
            if len(overdue_ids) < OVERDUE_SHOWN:
                overdue_ids.append(pk)
        elif (deadline is not None and deadline >= today and status not in ("done", "cancelled")
              and len(upcoming) < DEADLINES_SHOWN):
            upcoming.append(pk)
    shown = {v.task.pk: v for v in _views(tasks_queryset().filter(pk__in=overdue_ids + upcoming), today)}
    overdue = [shown[pk] for pk in overdue_ids]
    periods = list(Period.objects.filter(plan=plan).select_related("plan", "plan__issuer", "consolidator", "rule")
                   .order_by("due_date", "code"))
    period = current_period(periods, today)
    period_board = board(period, today) if period is not None else None
    deadlines = [Deadline(v.task.deadline, "task", v.task.text, _task_units(v), v.task, (v.task.deadline - today).days)
                 for v in (shown[pk] for pk in upcoming)]
    deadlines += [Deadline(p.due_date, "report", f"Báo cáo {p.label}", p.consolidator.name, p, (p.due_date - today).days)
                  for p in periods if p.due_date >= today]
    deadlines.sort(key=lambda d: (d.day, d.kind))
    return LeaderHome(
        plan=plan, plans=plans, targets=TargetGroups(rows), overdue=overdue, deadlines=deadlines[:DEADLINES_SHOWN],
        period=period, board=period_board, expected=expectation.expected_for(plan, rows, today), today=today,
        n_tasks=n_tasks, n_dated=n_dated, n_overdue=n_overdue)


# -------------------------------------------------------------------------------------- coordinator
@dataclass
class CoordinatorHome:
    plan: Plan | None
    plans: list[Plan]
    period: Period | None
    periods: list[Period]
    board: Board | None
    targets: TargetGroups
    today: dt.date


def coordinator_home(scope: Scope, today: dt.date, wanted_plan: int | None = None,
                     wanted_period: int | None = None) -> CoordinatorHome:
    plans = agency_plans(scope)
    plan = pick_plan(plans, today, wanted_plan)
    if plan is None:
        return CoordinatorHome(None, plans, None, [], None, TargetGroups([]), today)
    periods = list(Period.objects.filter(plan=plan).select_related("plan", "plan__issuer", "consolidator", "rule")
                   .order_by("due_date", "code"))
    period = next((p for p in periods if p.pk == wanted_period), None) or current_period(periods, today)
    rows = target_rows([plan], today).get(plan.pk, [])
    return CoordinatorHome(plan, plans, period, periods, board(period, today) if period else None,
                           TargetGroups(rows), today)


# -------------------------------------------------------------------------------------------- unit
@dataclass
class ReportDue:
    period: Period
    report: UnitReport | None
    required: bool
    tone: str
    label: str
    days: int

    @property
    def days_abs(self) -> int:
        return abs(self.days)

    @property
    def open(self) -> bool:
        """Still to do: not sent (or returned)."""
        return self.report is None or self.report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass
class UnitHome:
    work: UnitWork
    reports: list[ReportDue]
    today: dt.date
    targets: list[tuple[TargetRow, str]] = field(default_factory=list)

    @property
    def next_report(self) -> ReportDue | None:
        """The report to send next: an overdue one first, else the nearest due date still open."""
        pending = [r for r in self.reports if r.open and (r.required or r.report is not None)]
        late = [r for r in pending if r.days < 0]
        if late:
            return late[0]
        upcoming = [r for r in pending if r.days >= 0]
        return upcoming[0] if upcoming else None

    @property
    def unit(self) -> Organisation | None:
        return self.work.unit


def _report_state(report: UnitReport | None, required: bool, days: int) -> tuple[str, str]:
    if report is not None and report.status != ReportStatus.DRAFT:
        return report.tone, report.status_label
    if days < 0 and required:
        return "bad", f"Quá hạn {-days} ngày, chưa gửi"
    if report is not None:
        return "info", "Đang soạn"
    return ("muted", "Chưa lập") if required else ("muted", "Không bắt buộc")


# The unit's tasks: overdue first, then what runs to a deadline, then what is done, then the undated.
_UNIT_ORDER = {Outcome.OVERDUE: 0, Outcome.IN_PROGRESS_ON_TIME: 1, Outcome.DONE_LATE: 2, Outcome.DONE_ON_TIME: 3,
               Outcome.RECURRING: 4, Outcome.CONTINUOUS: 5, Outcome.CANCELLED: 6}


def _unit_year(org_ids: list[int], today: dt.date) -> int | None:
    """The plan year a unit works on now: this year if it has tasks in an issued plan of it, else the latest
    earlier year, else the first later one."""
    years = sorted(set(TaskAssignment.objects.filter(organisation_id__in=org_ids, task__plan__status=PlanStatus.ISSUED)
                       .values_list("task__plan__year", flat=True).distinct()))
    if not years:
        return None
    if today.year in years:
        return today.year
    earlier = [y for y in years if y < today.year]
    return earlier[-1] if earlier else years[0]


def unit_home(scope: Scope, today: dt.date) -> UnitHome:
    """The unit's work of the plan year under way: its tasks (its own and the agency's as a whole), the
    targets of its agency's plans it has a role toward, and the reports it owes."""
    unit = scope.org
    if unit is None or unit.kind != Organisation.Kind.UNIT:
        return UnitHome(UnitWork(unit, [], [], [], []), [], today)
    org_ids = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    year = _unit_year(org_ids, today)
    if year is None:
        return UnitHome(UnitWork(unit, [], [], [], []), [], today)
    views = []
    for task in (tasks_queryset().filter(plan__status=PlanStatus.ISSUED, plan__year=year,
                                         assignments__organisation_id__in=org_ids).distinct()):
        outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                               completed_on=task.completed_on, cutoff=today)
        views.append(TaskView(task=task, outcome=outcome, outcome_label=OUTCOME_LABELS[outcome],
                              tone=OUTCOME_TONE[outcome], units=list(task.assignments.all())))
    dated = [v for v in views if v.task.deadline and v.task.status not in ("done", "cancelled")]
    upcoming = sorted((v for v in dated if v.task.deadline >= today), key=lambda v: v.task.deadline)[:5]
    overdue = sorted((v for v in dated if v.task.deadline < today), key=lambda v: v.task.deadline)
    assignments = list(TargetAssignment.objects.filter(target__plan__status=PlanStatus.ISSUED, target__plan__year=year)
                       .filter(Q(organisation_id=unit.pk) | Q(organisation_id=unit.parent_id,
                                                            target__plan__issuer_id=unit.parent_id))
                       .select_related("target", "target__subindex", "target__plan", "target__plan__province")
                       .order_by("target__plan_id", "target__order", "target_id"))
    # One line per target, with the unit's strongest role; a role given to every unit of the agency says so.
    rank = {Role.OWNER: 0, Role.LEAD: 1, Role.SUPPORT: 2}
    best: dict[int, TargetAssignment] = {}
    for a in assignments:
        key = (rank.get(a.role, 9), a.organisation_id != unit.pk)
        if a.target_id not in best or key < (rank.get(best[a.target_id].role, 9), best[a.target_id].organisation_id != unit.pk):
            best[a.target_id] = a
    chosen = sorted(best.values(), key=lambda a: (rank.get(a.role, 9), a.target.plan_id, a.target.order, a.target_id))
    targets_roles = [(a.target, a.get_role_display() + ("" if a.organisation_id == unit.pk else " (chung các phòng)"))
                     for a in chosen]
    views.sort(key=lambda v: (_UNIT_ORDER.get(v.outcome, 9), v.task.deadline or dt.date.max, v.task.order, v.task.pk))
    work = UnitWork(unit, targets_roles, views, upcoming, overdue)

    periods = list(Period.objects.filter(plan__status=PlanStatus.ISSUED, plan__tasks__assignments__organisation_id__in=org_ids)
                   .filter(Q(year=year) | Q(due_date__gte=today - dt.timedelta(days=120), due_date__lte=today))
                   .select_related("plan", "consolidator", "rule").distinct().order_by("due_date", "code"))
    owned = set(TargetAssignment.objects.filter(organisation_id=unit.pk, role=Role.OWNER,
                                                target__plan_id__in={p.plan_id for p in periods})
                .values_list("target__plan_id", flat=True))
    reports = {r.period_id: r for r in UnitReport.objects.filter(period__in=periods, unit_id=unit.pk)}
    dues = []
    for p in periods:
        who = p.rule.who if p.rule else ReportingRule.Who.TARGET_OWNERS
        required = who == ReportingRule.Who.ALL_UNITS or p.plan_id in owned
        days = (p.due_date - today).days
        report = reports.get(p.pk)
        tone, label = _report_state(report, required, days)
        dues.append(ReportDue(p, report, required, tone, label, days))
    plans = list({t.plan_id: t.plan for t, _role in targets_roles}.values())
    rows = {r.target.pk: r for plan_rows in target_rows(plans, today).values() for r in plan_rows}
    targets = [(rows[t.pk], role) for t, role in targets_roles if t.pk in rows]
    return UnitHome(work, dues, today, targets)


# ---------------------------------------------------------------------------------------- province
@dataclass
class TaskTally:
    total: int = 0
    dated: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        if outcome in (Outcome.CONTINUOUS, Outcome.RECURRING):
            return
        self.dated += 1
        if outcome == Outcome.DONE_ON_TIME:
            self.done_on_time += 1
        elif outcome == Outcome.DONE_LATE:
            self.done_late += 1
        elif outcome == Outcome.OVERDUE:
            self.overdue += 1
        else:
            self.in_progress += 1

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def completion(self) -> float | None:
        """Share of dated tasks done (on time or late), in percent."""
        return 100 * self.done / self.dated if self.dated else None


@dataclass
class ReportTally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def punctuality(self) -> float | None:
        """Share of the reports due so far that were sent on time, in percent."""
        return 100 * self.on_time / self.due if self.due else None


def summed(cls, parts):
    """A tally (``TaskTally``, ``ReportTally``) whose every count is the sum of the parts' counts."""
    total = cls()
    for part in parts:
        for f in fields(cls):
            setattr(total, f.name, getattr(total, f.name) + getattr(part, f.name))
    return total


@dataclass
class DepartmentRow:
    agency: Organisation
    plan: Plan
    targets: list[TargetRow]
    tasks: TaskTally
    reports: ReportTally

    @property
    def rollup(self) -> RollUp:
        return roll_up(r.status for r in self.targets)


@dataclass
class DepartmentTargets:
    agency: Organisation
    plan: Plan
    rows: list[TargetRow]
    tasks: TaskTally


@dataclass
class SubIndexRow:
    subindex: SubIndex
    leads: list[Organisation]
    provincial: list[TargetRow]
    departments: list[DepartmentTargets]

    @property
    def rows(self) -> list[TargetRow]:
        return [r for d in self.departments for r in d.rows] + self.provincial

    @property
    def rollup(self) -> RollUp:
        return roll_up(r.status for r in self.rows)

    @property
    def tasks(self) -> TaskTally:
        return summed(TaskTally, (d.tasks for d in self.departments))


@dataclass
class ProvinceRollup:
    province: Organisation | None
    year: int
    years: list[int]
    provincial_plans: list[Plan]
    departments: list[DepartmentRow]
    subindices: list[SubIndexRow]
    overall: list[tuple[Organisation, Plan, TargetRow]]
    today: dt.date
    unattached: list[Plan] = field(default_factory=list)

    @property
    def rows(self) -> list[TargetRow]:
        return [r for d in self.departments for r in d.targets]

    @property
    def rollup(self) -> RollUp:
        return roll_up(r.status for r in self.rows)

    @property
    def tasks(self) -> TaskTally:
        return summed(TaskTally, (d.tasks for d in self.departments))

    @property
    def reports(self) -> ReportTally:
        return summed(ReportTally, (d.reports for d in self.departments))


def province_years(province: Organisation) -> list[int]:
    return list(Plan.objects.filter(province__slug=province.province_slug).exclude(status=PlanStatus.DRAFT)
                .values_list("year", flat=True).distinct().order_by("-year"))


def _report_tallies(plans: list[Plan], rows_by_plan: dict[int, list[TargetRow]], today: dt.date) -> dict[int, ReportTally]:
    """Per plan: reports due so far from the units the reporting rule obliges, sent on time, late, missing.
    Four queries for any number of plans."""
    plan_ids = [p.pk for p in plans]
    issuers = {p.pk: p.issuer_id for p in plans}
    periods = list(Period.objects.filter(plan_id__in=plan_ids, due_date__lt=today).select_related("rule"))
    units_of: dict[int, set[int]] = defaultdict(set)
    for pk, parent in Organisation.objects.filter(parent_id__in=set(issuers.values()), kind=Organisation.Kind.UNIT) \
            .values_list("pk", "parent_id"):
        units_of[parent].add(pk)
    assigned: dict[int, set[int]] = defaultdict(set)
    for plan_id, org_id in TaskAssignment.objects.filter(task__plan_id__in=plan_ids).values_list(
            "task__plan_id", "organisation_id").distinct():
        assigned[plan_id].add(org_id)
    owners: dict[int, set[int]] = defaultdict(set)
    for plan_id, rows in rows_by_plan.items():
        for row in rows:
            owners[plan_id].update(o.pk for o in row.owners if o.kind == Organisation.Kind.UNIT)
    reports = {(period_id, unit_id): (status, late) for period_id, unit_id, status, late in
               UnitReport.objects.filter(period__in=periods).values_list("period_id", "unit_id", "status", "late_days")}
    out: dict[int, ReportTally] = defaultdict(ReportTally)
    for period in periods:
        plan_id = period.plan_id
        units = units_of[issuers[plan_id]]
        if period.rule is not None and period.rule.who == ReportingRule.Who.ALL_UNITS:
            required = set(units) if issuers[plan_id] in assigned[plan_id] else units & assigned[plan_id]
        else:
            required = owners[plan_id] & units
        tally = out[plan_id]
        for unit_id in required:
            tally.due += 1
            status, late = reports.get((period.pk, unit_id), (None, None))
            if status in (ReportStatus.SENT, ReportStatus.ACCEPTED, ReportStatus.RETURNED):
                if late:
                    tally.late += 1
                else:
                    tally.on_time += 1
            else:
                tally.missing += 1
    return out


def province_rollup(province: Organisation | None, today: dt.date, year: int | None = None) -> ProvinceRollup:
    """The provincial plans of a year with the department plans that implement them (``province``: the
    provincial People's Committee, see :func:`.access.province_for`)."""
    if province is None:
        return ProvinceRollup(None, year or today.year, [], [], [], [], [], today)
    years = province_years(province)
    if year is None or year not in years:
        year = today.year if today.year in years else next((y for y in years if y <= today.year), years[0] if years else today.year)
    plans = list(Plan.objects.filter(province__slug=province.province_slug, year=year).exclude(status=PlanStatus.DRAFT)
                 .select_related("issuer", "issuer__parent", "province", "edition", "parent")
                 .order_by("issuer__name", "pk"))
    provincial = [p for p in plans if p.issuer.kind == Organisation.Kind.PROVINCE]
    provincial_ids = {p.pk for p in provincial}
    departments = [p for p in plans if p.pk not in provincial_ids]
    unattached = [p for p in departments if p.parent_id not in provincial_ids]
    facts = task_facts(plans, today)
    pairs = task_target_pairs(plans)
    rows_by_plan = target_rows(plans, today, facts, pairs)

    # Tasks: outcome tallies per plan and per (plan, sub-index).
    tally_by_plan: dict[int, TaskTally] = defaultdict(TaskTally)
    department_ids = {p.pk for p in departments}
    for fact in facts.values():
        if fact.plan_id in department_ids:
            tally_by_plan[fact.plan_id].add(fact.outcome)
    target_subindex = {r.target.pk: r.target.subindex_id for rows in rows_by_plan.values() for r in rows}
    tasks_by_subindex: dict[tuple[int, int], set[int]] = defaultdict(set)
    for task_id, target_id in pairs:
        sub = target_subindex.get(target_id)
        fact = facts.get(task_id)
        if sub is not None and fact is not None and fact.plan_id in department_ids:
            tasks_by_subindex[(fact.plan_id, sub)].add(task_id)
    report_tallies = _report_tallies(departments, rows_by_plan, today)

    edition_ids = {p.edition_id for p in plans}
    subindices = list(SubIndex.objects.filter(edition_id__in=edition_ids).order_by("edition__first_year", "number"))
    sub_rows = []
    for sub in subindices:
        leads: dict[int, Organisation] = {}
        provincial_rows = []
        dept_rows = []
        for plan in plans:
            mine = [r for r in rows_by_plan.get(plan.pk, []) if r.target.subindex_id == sub.pk]
            for r in mine:
                for org in r.lead:
                    leads.setdefault(org.pk, org)
            if plan.pk in provincial_ids:
                provincial_rows += mine
                continue
            tally = TaskTally()
            for task_id in tasks_by_subindex.get((plan.pk, sub.pk), ()):
                tally.add(facts[task_id].outcome)
            if mine or tally.total:
                dept_rows.append(DepartmentTargets(plan.issuer, plan, mine, tally))
        # Every sub-index is listed: one nobody plans for is a gap the coordinator must see.
        sub_rows.append(SubIndexRow(sub, sorted(leads.values(), key=lambda o: o.name), provincial_rows, dept_rows))
    overall = [(p.issuer, p, r) for p in plans for r in rows_by_plan.get(p.pk, []) if r.group == "overall"]
    dept_rows_out = [DepartmentRow(p.issuer, p, rows_by_plan.get(p.pk, []), tally_by_plan[p.pk], report_tallies[p.pk])
                     for p in departments]
    return ProvinceRollup(province, year, years, provincial, dept_rows_out, sub_rows, overall, today, unattached)


# ------------------------------------------------------------------------------------------- roles
def home_kind(scope: Scope) -> str:
    """Which home a person gets: ``province``, ``coordinator``, ``leader``, ``unit`` or ``plain``."""
    if scope.org is None:
        return "plain"
    if scope.province_wide:
        return "province"
    if scope.role == UserRole.COORDINATOR:
        return "coordinator"
    if scope.is_unit_role:
        return "unit" if scope.org.kind == Organisation.Kind.UNIT else "leader"
    if scope.role in (UserRole.LEADER, UserRole.AUDITOR) or scope.is_admin:
        return "leader"
    return "plain"


def status_counts(rows: Sequence[TargetRow]) -> Counter:
    return Counter(r.status.status for r in rows)


__all__ = ["Status", "home_kind", "leader_home", "province_rollup", "unit_home"]
