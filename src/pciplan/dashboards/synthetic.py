"""A SYNTHETIC province for benchmarks and query-count tests — never part of the demo.

:func:`build_province` makes, under a provincial People's Committee (new, or one that exists), ``agencies``
agencies with ``units`` units each, and for each of ``years`` years a provincial plan with one department
plan per agency (eight targets: the rank and seven sub-indices), quarterly reporting periods, and one report
per unit and quarter already due (most on time, some late, a few missing). The plans of the last year carry
``tasks`` tasks between them (dated or continuous, done, running or overdue); earlier years keep one
agency-wide task per plan. Every name says "mô phỏng" and every organisation is marked ``is_sample``; the
numbers come from a seeded generator, not from any agency.

Rows are written with ``bulk_create`` (no audit entries): this is test scaffolding, not a product path.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pciplan.catalog.models import Edition, Province, SubIndex
from pciplan.orgs.models import Organisation, User
from pciplan.orgs.models import Role as UserRole
from pciplan.plans.models import (
    Plan,
    PlanStatus,
    ReportingRule,
    Role,
    Target,
    TargetAssignment,
    TargetKind,
    Task,
    TaskAssignment,
    TaskStatus,
    TimingKind,
)
from pciplan.reports.models import Period, PeriodKind, ReportStatus, UnitReport
from pciplan.reports.periods import due_date, quarter_window

LABEL = "mô phỏng"
PASSWORD = "pciplan-synthetic-2020"
SUBINDICES = ("entry_costs", "transparency", "time_costs", "informal_charges", "policy_bias", "proactivity",
              "business_support")


@dataclass
class SyntheticProvince:
    province: Organisation
    agencies: list[Organisation]
    units: dict[int, list[Organisation]]
    plans: dict[int, list[Plan]] = field(default_factory=dict)  # year → department plans
    provincial: dict[int, Plan] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def _user(username: str, org: Organisation, role: str) -> User:
    user = User(username=username, email=f"{username}@synthetic.pciplan.invalid", full_name=f"{username} ({LABEL})",
                organisation=org, role=role, is_sample=True,
                coordinator_function="consolidator" if role == UserRole.COORDINATOR else "")
    user.set_password(PASSWORD)
    user.save()
    return user


@transaction.atomic
def build_province(*, prefix: str = "syn", agencies: int = 30, units: int = 10, tasks: int = 3000, years: int = 5,
                   last_year: int = 2020, today: dt.date = dt.date(2020, 11, 20), province: Organisation | None = None,
                   province_slug: str = "bac-giang", edition_code: str = "pci-2013", seed: int = 2020,
                   users: bool = True) -> SyntheticProvince:
    rng = random.Random(seed)
    catalog_province = Province.objects.get(slug=province.province_slug if province else province_slug)
    edition = Edition.objects.get(code=edition_code)
    subindices = {s.code: s for s in SubIndex.objects.filter(edition=edition, code__in=SUBINDICES)}
    if province is None:
        province = Organisation.objects.create(code=f"{prefix}-ubnd", name=f"UBND tỉnh ({LABEL} {prefix})",
                                               short_name=f"UBND tỉnh {prefix}", kind=Organisation.Kind.PROVINCE,
                                               province_slug=catalog_province.slug, is_sample=True)

    agency_rows = [Organisation(code=f"{prefix}-so-{i:02d}", name=f"Sở {i:02d} ({LABEL} {prefix})",
                                short_name=f"Sở {i:02d}", kind=Organisation.Kind.AGENCY, parent=province,
                                province_slug=catalog_province.slug, is_sample=True) for i in range(1, agencies + 1)]
    Organisation.objects.bulk_create(agency_rows)
    agency_list = list(Organisation.objects.filter(code__in=[a.code for a in agency_rows]).order_by("code"))
    unit_rows = [Organisation(code=f"{a.code}-p{j:02d}", name=f"Phòng {j:02d} — {a.short_name} ({LABEL})",
                              short_name=f"Phòng {j:02d}", kind=Organisation.Kind.UNIT, parent=a,
                              province_slug=catalog_province.slug, is_sample=True)
                 for a in agency_list for j in range(1, units + 1)]
    Organisation.objects.bulk_create(unit_rows)
    unit_map: dict[int, list[Organisation]] = {a.pk: [] for a in agency_list}
    for u in Organisation.objects.filter(parent__in=agency_list).order_by("code"):
        unit_map[u.parent_id].append(u)
    out = SyntheticProvince(province, agency_list, unit_map)

    first_year = last_year - years + 1
    for year in range(first_year, last_year + 1):
        provincial = Plan.objects.create(
            code=f"{prefix}-ubnd-pci-{year}", issuer=province, number=str(100 + year % 100), symbol="KH-UBND",
            date_year=year, date_month=2, date_day=15, year=year, edition=edition, province=catalog_province,
            title=f"Nâng cao PCI năm {year} ({LABEL})", status=PlanStatus.ISSUED, note=f"Kế hoạch {LABEL}.")
        out.provincial[year] = provincial
        plans = Plan.objects.bulk_create([Plan(
            code=f"{a.code}-pci-{year}", issuer=a, number=str(10 + i), symbol="KH-SO", date_year=year, date_month=3,
            date_day=1, year=year, edition=edition, province=catalog_province, parent=provincial,
            title=f"Thực hiện kế hoạch nâng cao PCI năm {year} ({LABEL})", status=PlanStatus.ISSUED)
            for i, a in enumerate(agency_list)])
        plans = list(Plan.objects.filter(code__in=[p.code for p in plans]).select_related("issuer").order_by("code"))
        out.plans[year] = plans
        _targets(plans, subindices, agency_list, unit_map, rng)
        n_tasks = tasks if year == last_year else len(plans)
        _tasks(plans, unit_map, n_tasks, year, today, rng, full=year == last_year)
        _reporting(plans, unit_map, year, today, rng)
    if users:
        a0 = agency_list[0]
        out.users = {
            "province": _user(f"{prefix}.tinh", province, UserRole.COORDINATOR),
            "leader": _user(f"{prefix}.lanhdao", a0, UserRole.LEADER),
            "coordinator": _user(f"{prefix}.dieuphoi", a0, UserRole.COORDINATOR),
            "unit_head": _user(f"{prefix}.truongphong", unit_map[a0.pk][0], UserRole.UNIT_HEAD),
        }
    return out


def _targets(plans, subindices, agencies, unit_map, rng) -> None:
    rows = []
    for plan in plans:
        rows.append(Target(plan=plan, key="rank", kind=TargetKind.RANK, label=f"Thứ hạng PCI năm {plan.year}",
                           comparator="<=", value=Decimal(30), of=63, unit="hạng", order=0))
        for i, code in enumerate(SUBINDICES, start=1):
            value = Decimal(rng.randint(600, 780)) / 100
            rows.append(Target(plan=plan, key=f"si-{code}", kind=TargetKind.SUBINDEX, subindex=subindices[code],
                               label=subindices[code].name, comparator=">=", value=value, unit="điểm",
                               baseline_year=plan.year - 1, baseline_value=value - Decimal("0.4"),
                               increase=Decimal("0.4"), order=i))
    Target.objects.bulk_create(rows)
    targets = Target.objects.filter(plan__in=plans).select_related("plan")
    assignments = []
    for t in targets:
        lead = agencies[(t.order * 7) % len(agencies)]
        assignments.append(TargetAssignment(target=t, organisation=lead, role=Role.LEAD))
        units = unit_map[t.plan.issuer_id]
        assignments.append(TargetAssignment(target=t, organisation=units[t.order % len(units)], role=Role.OWNER))
        if lead.pk != t.plan.issuer_id:
            assignments.append(TargetAssignment(target=t, organisation=t.plan.issuer, role=Role.SUPPORT))
    TargetAssignment.objects.bulk_create(assignments)


def _tasks(plans, unit_map, n, year, today, rng, *, full: bool) -> None:
    rows = []
    for k in range(n):
        plan = plans[k % len(plans)]
        dated = full and rng.random() < 0.7
        deadline = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)) if dated else None
        status, completed = TaskStatus.IN_PROGRESS, None
        roll = rng.random()
        if dated and deadline <= today and roll < 0.6:
            status, completed = TaskStatus.DONE, deadline + dt.timedelta(days=rng.choice([-5, -1, 0, 3, 12]))
        elif roll < 0.1:
            status = TaskStatus.NOT_STARTED
        rows.append(Task(plan=plan, key=f"t{k:05d}", section=f"III.{k % 7 + 1}",
                         text=f"Nhiệm vụ {k + 1} ({LABEL}): triển khai giải pháp cải thiện chỉ số.",
                         timing=TimingKind.DEADLINE if dated else TimingKind.CONTINUOUS, deadline=deadline,
                         status=status, completed_on=completed if status == TaskStatus.DONE else None,
                         progress=100 if status == TaskStatus.DONE else rng.randint(0, 90), order=k))
    Task.objects.bulk_create(rows, batch_size=1000)
    tasks = list(Task.objects.filter(plan__in=plans).select_related("plan").order_by("pk"))
    targets: dict[int, list[int]] = {}
    for pk, plan_id in Target.objects.filter(plan__in=plans).values_list("pk", "plan_id"):
        targets.setdefault(plan_id, []).append(pk)
    links, assignments = [], []
    through = Task.targets.through
    for i, task in enumerate(tasks):
        units = unit_map[task.plan.issuer_id]
        if full and i % 10:
            assignments.append(TaskAssignment(task=task, organisation=units[i % len(units)], role=Role.OWNER))
        else:  # given to the agency as a whole: every unit reports on it
            assignments.append(TaskAssignment(task=task, organisation=task.plan.issuer, role=Role.OWNER))
        mine = targets[task.plan_id]
        for target_id in {mine[i % len(mine)], mine[(i * 3 + 1) % len(mine)]}:
            links.append(through(task_id=task.pk, target_id=target_id))
    TaskAssignment.objects.bulk_create(assignments, batch_size=2000)
    through.objects.bulk_create(links, batch_size=2000)


def _reporting(plans, unit_map, year, today, rng) -> None:
    rules = ReportingRule.objects.bulk_create([ReportingRule(
        plan=p, who=ReportingRule.Who.ALL_UNITS, quarters=[1, 2, 3, 4], annual=False, quarter_due_day=5,
        consolidator=unit_map[p.issuer_id][0]) for p in plans])
    periods = []
    for plan, rule in zip(plans, rules, strict=True):
        for q in (1, 2, 3, 4):
            start, cutoff = quarter_window(year, q)
            periods.append(Period(plan=plan, rule=rule, code=f"{year}-Q{q}", kind=PeriodKind.QUARTER, year=year,
                                  quarter=q, start=start, cutoff=cutoff,
                                  due_date=due_date(kind="quarter", year=year, quarter=q, before_day=5),
                                  consolidator=rule.consolidator))
    Period.objects.bulk_create(periods)
    periods = list(Period.objects.filter(plan__in=plans).select_related("plan"))
    reports = []
    tz = timezone.get_current_timezone()
    for period in periods:
        if period.due_date > today + dt.timedelta(days=30):
            continue
        for unit in unit_map[period.plan.issuer_id]:
            roll = rng.random()
            if period.due_date >= today and roll < 0.5:
                reports.append(UnitReport(period=period, unit=unit, is_sample=True))
                continue
            if roll < 0.05:
                continue  # never sent
            late = 0 if roll < 0.85 else rng.randint(1, 10)
            sent = dt.datetime.combine(period.due_date + dt.timedelta(days=late - (0 if late else 2)), dt.time(9),
                                       tzinfo=tz)
            reports.append(UnitReport(period=period, unit=unit, status=ReportStatus.ACCEPTED, sent_count=1,
                                      first_sent_at=sent, last_sent_at=sent, late_days=late, is_sample=True,
                                      summary=f"Báo cáo {LABEL}."))
    UnitReport.objects.bulk_create(reports, batch_size=2000)
