"""Reads for the reporting cycle. Every function issues a fixed number of queries, whatever the number of
units, reports or tasks."""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from pciplan.orgs.access import Scope
from pciplan.orgs.models import Organisation, Role
from pciplan.plans.access import visible_plans_filter
from pciplan.plans.models import (
    Plan,
    PlanStatus,
    ReportingRule,
    Target,
    TargetAssignment,
    TargetKind,
    Task,
    TaskAssignment,
)
from pciplan.plans.models import Role as PlanRole
from pciplan.plans.outcomes import OUTCOME_LABELS, OUTCOME_TONE, Outcome, task_outcome

from .models import (
    Evidence,
    Period,
    Reminder,
    ReportIndicatorValue,
    ReportStatus,
    ReportTaskEntry,
    ReportVersion,
    UnitReport,
)
from .periods import days_late

SHORT_LABELS = {
    Outcome.DONE_ON_TIME: "HT đúng hạn", Outcome.DONE_LATE: "HT quá hạn", Outcome.IN_PROGRESS_ON_TIME: "Đang TH trong hạn",
    Outcome.OVERDUE: "Quá hạn chưa HT", Outcome.CONTINUOUS: "Thường xuyên", Outcome.RECURRING: "Định kỳ",
}
# The order of the columns in every count of task outcomes.
OUTCOME_ORDER = (Outcome.DONE_ON_TIME, Outcome.DONE_LATE, Outcome.IN_PROGRESS_ON_TIME, Outcome.OVERDUE,
                 Outcome.CONTINUOUS, Outcome.RECURRING)


# --------------------------------------------------------------------------------------------- units
def agency_units(plan: Plan) -> list[Organisation]:
    return list(Organisation.objects.filter(parent_id=plan.issuer_id, kind=Organisation.Kind.UNIT).order_by("name"))


def eligible_unit_ids(plan: Plan, units: list[Organisation] | None = None) -> set[int]:
    """Units that may report: those with tasks of their own, and every unit of the agency when the plan
    gives tasks to the agency as a whole ("Các phòng, đơn vị trực thuộc Sở")."""
    units = agency_units(plan) if units is None else units
    unit_ids = {u.pk for u in units}
    assigned = set(TaskAssignment.objects.filter(task__plan=plan).values_list("organisation_id", flat=True).distinct())
    if plan.issuer_id in assigned:
        return unit_ids
    return unit_ids & assigned


def required_unit_ids(period: Period, eligible: set[int] | None = None) -> set[int]:
    """Units the reporting rule obliges to report (the reference plan: units that own a target)."""
    eligible = eligible_unit_ids(period.plan) if eligible is None else eligible
    rule = period.rule
    if rule is not None and rule.who == ReportingRule.Who.ALL_UNITS:
        return set(eligible)
    owners = set(TargetAssignment.objects.filter(target__plan_id=period.plan_id, role=PlanRole.OWNER,
                                                 organisation__kind=Organisation.Kind.UNIT)
                 .values_list("organisation_id", flat=True))
    return owners


def unit_tasks(plan: Plan, unit: Organisation):
    """The unit's tasks: its own and those given to the agency as a whole."""
    org_ids = [unit.pk] + ([unit.parent_id] if unit.parent_id == plan.issuer_id else [])
    return (Task.objects.filter(plan=plan, assignments__organisation_id__in=org_ids).distinct()
            .prefetch_related(Prefetch("assignments", queryset=TaskAssignment.objects.select_related("organisation")),
                              "targets")
            .order_by("order", "id"))


def unit_indicator_targets(plan: Plan, unit: Organisation):
    """Indicator targets the unit owns (chủ trì): the unit reports their measured values."""
    return (Target.objects.filter(plan=plan, kind=TargetKind.INDICATOR, assignments__organisation=unit,
                                  assignments__role=PlanRole.OWNER).distinct().order_by("order", "id"))


# ------------------------------------------------------------------------------------------- periods
def periods_for_scope(scope: Scope):
    """Periods of the issued plans the person's agency runs (or, for province-wide readers, any)."""
    plans = Plan.objects.filter(visible_plans_filter(scope)).exclude(status=PlanStatus.DRAFT)
    if not scope.is_admin:
        plans = plans.filter(issuer_id__in=scope.readable_org_ids)
    return (Period.objects.filter(plan__in=plans).select_related("plan", "plan__issuer", "consolidator")
            .order_by("plan__year", "plan_id", "due_date"))


def current_period(periods: list[Period], today: dt.date) -> Period | None:
    """The period to work on now: the first whose due date is today or later, else the last one."""
    upcoming = [p for p in periods if p.due_date >= today]
    return upcoming[0] if upcoming else (periods[-1] if periods else None)


def period_get():
    return Period.objects.select_related("plan", "plan__issuer", "plan__issuer__parent", "plan__province",
                                         "consolidator", "rule")


# ---------------------------------------------------------------------------------------------- board
@dataclass
class OutcomeCounts:
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome):
        self.counts[outcome] += 1

    def cells(self):
        return [(o, OUTCOME_LABELS[o], OUTCOME_TONE[o], self.counts.get(o, 0)) for o in OUTCOME_ORDER]

    def header(self):
        """``(short label, full label)`` for table headers."""
        return [(SHORT_LABELS[o], OUTCOME_LABELS[o]) for o in OUTCOME_ORDER]

    @property
    def total(self) -> int:
        return sum(self.counts.get(o, 0) for o in OUTCOME_ORDER)

    @property
    def with_deadline(self) -> int:
        return sum(self.counts.get(o, 0) for o in OUTCOME_ORDER[:4])


@dataclass
class BoardRow:
    unit: Organisation
    required: bool
    report: UnitReport | None
    counts: OutcomeCounts
    state: str = ""
    state_label: str = ""
    tone: str = "muted"
    late_days: int = 0
    last_reminder: Reminder | None = None

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status in (ReportStatus.SENT, ReportStatus.ACCEPTED)

    @property
    def needs_reminder(self) -> bool:
        """A required unit that has not sent, or a unit whose report was returned."""
        return (self.required and self.state in ("none", "draft", "overdue")) or self.state == "returned"


@dataclass
class Board:
    period: Period
    asof: dt.date
    today: dt.date
    rows: list[BoardRow]
    shared: OutcomeCounts
    targets: list[tuple[Target, OutcomeCounts]]
    total: OutcomeCounts
    n_required: int = 0
    n_sent: int = 0
    n_accepted: int = 0
    n_late: int = 0
    n_returned: int = 0
    n_waiting: int = 0

    @property
    def overdue(self) -> bool:
        return self.today > self.period.due_date

    @property
    def days_to_due(self) -> int:
        return (self.period.due_date - self.today).days

    @property
    def due_badge(self) -> tuple[str, str]:
        days = self.days_to_due
        if days < 0:
            return "bad", f"Đã quá hạn {-days} ngày"
        if days == 0:
            return "warn", "Hôm nay là hạn cuối"
        return ("warn" if days <= 3 else "info"), f"Còn {days} ngày"


def _state(row: BoardRow, period: Period, today: dt.date) -> None:
    report = row.report
    if not row.required and (report is None or report.status == ReportStatus.DRAFT):
        row.state, row.tone = ("optional_draft", "info") if report else ("optional", "muted")
        row.state_label = "Đang soạn (không bắt buộc)" if report else "Không bắt buộc, chưa lập"
        return
    if report is None or report.status == ReportStatus.DRAFT:
        started = report is not None
        if today > period.due_date:
            row.late_days = days_late(today, period.due_date)
            row.state, row.tone = "overdue", "bad"
            row.state_label = f"Quá hạn {row.late_days} ngày, chưa gửi" + ("" if started else " (chưa lập)")
        else:
            row.state, row.tone = ("draft", "info") if started else ("none", "muted")
            row.state_label = "Đang soạn" if started else "Chưa lập báo cáo"
        return
    row.late_days = report.late_days or 0
    if report.status == ReportStatus.RETURNED:
        row.state, row.tone, row.state_label = "returned", "bad", "Bị trả lại, chờ gửi lại"
    elif report.status == ReportStatus.SENT:
        row.state, row.tone, row.state_label = "sent", "warn", report.status_label
    else:
        row.state, row.tone, row.state_label = "accepted", "ok", "Đã tiếp nhận"


def board(period: Period, today: dt.date) -> Board:
    """Who has sent, who is late, who was returned, and the task outcomes per unit and per target, as of
    the period's cut-off (or today, while the period runs). A fixed number of queries."""
    plan = period.plan
    asof = min(period.cutoff, today)
    units = agency_units(plan)
    eligible = eligible_unit_ids(plan, units)
    required = required_unit_ids(period, eligible)
    reports = {r.unit_id: r for r in UnitReport.objects.filter(period=period)}
    reminders: dict[int, Reminder] = {}
    for reminder in Reminder.objects.filter(period=period).order_by("created_at", "id"):
        reminders[reminder.unit_id] = reminder
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("assignments", "targets").order_by("order", "id"))
    targets = list(Target.objects.filter(plan=plan).select_related("subindex").order_by("order", "id"))

    per_unit: dict[int, OutcomeCounts] = defaultdict(OutcomeCounts)
    per_target: dict[int, OutcomeCounts] = defaultdict(OutcomeCounts)
    shared, total = OutcomeCounts(), OutcomeCounts()
    for task in tasks:
        outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                               completed_on=task.completed_on, cutoff=asof)
        if outcome == Outcome.CANCELLED:
            continue
        total.add(outcome)
        for assignment in task.assignments.all():
            if assignment.organisation_id == plan.issuer_id:
                shared.add(outcome)
            else:
                per_unit[assignment.organisation_id].add(outcome)
        for target in task.targets.all():
            per_target[target.pk].add(outcome)

    rows = []
    shown = [u for u in units if u.pk in required or u.pk in reports or u.pk in per_unit]
    for unit in shown:
        row = BoardRow(unit=unit, required=unit.pk in required, report=reports.get(unit.pk),
                       counts=per_unit[unit.pk], last_reminder=reminders.get(unit.pk))
        _state(row, period, today)
        rows.append(row)
    rows.sort(key=lambda r: (not r.required, r.report is None, r.unit.name))
    result = Board(period=period, asof=asof, today=today, rows=rows, shared=shared,
                   targets=[(t, per_target[t.pk]) for t in targets if per_target[t.pk].total], total=total)
    for row in rows:
        if row.required:
            result.n_required += 1
        if row.sent:
            result.n_sent += 1
        if row.state == "accepted":
            result.n_accepted += 1
        if row.state == "returned":
            result.n_returned += 1
        if row.state == "sent":
            result.n_waiting += 1
        if row.late_days and (row.state == "overdue" or row.sent or row.state == "returned"):
            result.n_late += 1
    return result


# -------------------------------------------------------------------------------------------- reports
def report_get():
    return UnitReport.objects.select_related("period", "period__plan", "period__plan__issuer", "period__consolidator",
                                             "period__rule", "unit", "updated_by", "created_by")


def report_row_ids(report: UnitReport) -> tuple[list[int], list[int]]:
    """The ids of the report's task rows and indicator rows (what a posted form may name)."""
    return (list(ReportTaskEntry.objects.filter(report=report).values_list("pk", flat=True)),
            list(ReportIndicatorValue.objects.filter(report=report).values_list("pk", flat=True)))


def report_detail(report: UnitReport) -> dict:
    """Everything a report page shows, in a fixed number of queries."""
    entries = list(ReportTaskEntry.objects.filter(report=report).select_related("task")
                   .prefetch_related(Prefetch("task__assignments", queryset=TaskAssignment.objects.select_related("organisation")),
                                     "task__targets")
                   .order_by("order", "id"))
    for entry in entries:
        entry.report = report  # the same row: no query per entry for entry.report
    values = list(ReportIndicatorValue.objects.filter(report=report).select_related("target").order_by("order", "id"))
    evidence = list(Evidence.objects.filter(report=report).select_related("task", "target", "uploaded_by").order_by("id"))
    versions = list(ReportVersion.objects.filter(report=report).select_related("review", "sent_by").order_by("number"))
    by_task: dict[int, list[Evidence]] = defaultdict(list)
    by_target: dict[int, list[Evidence]] = defaultdict(list)
    general = []
    for ev in evidence:
        if ev.task_id:
            by_task[ev.task_id].append(ev)
        elif ev.target_id:
            by_target[ev.target_id].append(ev)
        else:
            general.append(ev)
    return {"entries": entries, "values": values, "evidence": evidence, "versions": versions,
            "evidence_by_task": dict(by_task), "evidence_by_target": dict(by_target), "evidence_general": general}


@dataclass
class SupportInput:
    unit_name: str
    task_text: str
    status: str
    done_text: str
    results: str
    difficulties: str
    proposals: str
    version: int
    report_status: str


def supporting_inputs(report: UnitReport) -> OrderedDict:
    """What supporting units reported (their latest sent version) on tasks that serve the targets this
    unit owns: ``{target: [SupportInput, …]}``. The owner of a target answers for it in its report."""
    period = report.period
    owned = list(Target.objects.filter(plan_id=period.plan_id, assignments__organisation_id=report.unit_id,
                                       assignments__role=PlanRole.OWNER).distinct().order_by("order", "id"))
    if not owned:
        return OrderedDict()
    owned_ids = {t.pk for t in owned}
    task_targets: dict[int, set[int]] = defaultdict(set)
    for task_id, target_id in Task.targets.through.objects.filter(target_id__in=owned_ids).values_list("task_id", "target_id"):
        task_targets[task_id].add(target_id)
    latest: dict[int, ReportVersion] = {}
    for version in (ReportVersion.objects.filter(report__period=period).exclude(report__unit_id=report.unit_id)
                    .select_related("report", "report__unit").order_by("report_id", "number")):
        latest[version.report_id] = version
    out: OrderedDict[Target, list[SupportInput]] = OrderedDict((t, []) for t in owned)
    by_id = {t.pk: t for t in owned}
    for version in latest.values():
        for item in version.content.get("tasks", []):
            for target_id in task_targets.get(item.get("task_id"), ()):
                if not any(item.get(k) for k in ("done_text", "results", "difficulties", "proposals")):
                    continue
                out[by_id[target_id]].append(SupportInput(
                    unit_name=version.report.unit.name, task_text=item.get("text", ""),
                    status=item.get("status_label", ""), done_text=item.get("done_text", ""),
                    results=item.get("results", ""), difficulties=item.get("difficulties", ""),
                    proposals=item.get("proposals", ""), version=version.number,
                    report_status=version.report.get_status_display()))
    return OrderedDict((t, items) for t, items in out.items() if items)


def reports_for_unit(scope: Scope, periods: list[Period]) -> dict[int, UnitReport]:
    if scope.org is None:
        return {}
    return {r.period_id: r for r in UnitReport.objects.filter(period__in=periods, unit_id=scope.org.pk)}


def unit_members(unit_ids, *, heads_only: bool = False):
    from pciplan.orgs.models import User

    qs = User.objects.filter(organisation_id__in=list(unit_ids), is_active=True).exclude(email="")
    if heads_only:
        qs = qs.filter(role=Role.UNIT_HEAD)
    else:
        qs = qs.filter(role__in=(Role.UNIT_HEAD, Role.UNIT_MEMBER))
    return qs.order_by("organisation_id", "full_name")


def accepted_versions(period: Period) -> list[ReportVersion]:
    """The accepted version of every accepted report of the period (the consolidation's sources)."""
    return list(ReportVersion.objects.filter(report__period=period, report__status=ReportStatus.ACCEPTED,
                                             review__decision="accepted")
                .select_related("report", "report__unit").order_by("report__unit__name", "number"))
