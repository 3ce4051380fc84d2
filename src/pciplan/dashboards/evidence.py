"""Gather the evidence the status rule needs (:mod:`.status`) for every target of any number of plans.

A fixed number of queries whatever the number of plans, targets or tasks: the targets, their assignments and
the organisations assigned (3), the tasks' dates and the task–target links (2), the published results of the
plans' province and year with their sub-index scores (2), indicator values (1) and survey estimates (1) — the
last two only when a plan has indicator targets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pciplan.catalog.models import IndicatorValue, Result, SubIndexScore
from pciplan.evaluation.selectors import target_spec
from pciplan.orgs.models import Organisation
from pciplan.plans.models import Plan, Role, Target, TargetAssignment, TargetKind, Task, TimingKind
from pciplan.plans.outcomes import Outcome, task_outcome
from pciplan.surveys.models import SurveyEstimate, SurveyStatus

from .status import Interval, Published, TargetStatus, Work, results_available_from, target_status

OVERALL = (TargetKind.RANK, TargetKind.GROUP, TargetKind.TOTAL)


@dataclass
class TargetRow:
    """One target with its status on the day and what the status was decided from."""

    target: Target
    status: TargetStatus
    work: Work
    n_tasks: int = 0
    published: Published | None = None
    estimate: Interval | None = None
    lead: list[Organisation] = field(default_factory=list)
    owners: list[Organisation] = field(default_factory=list)
    supporters: list[Organisation] = field(default_factory=list)

    @property
    def group(self) -> str:
        if self.target.kind in OVERALL:
            return "overall"
        return "subindex" if self.target.kind == TargetKind.SUBINDEX else "indicator"


def publication_date(edition_year) -> tuple[dt.date, bool]:
    """When a year's results became known: the catalog's publication date if it stores one, otherwise
    1 May of the following year (:func:`.status.results_available_from`). ``(date, stored)``."""
    stored = getattr(edition_year, "published_on", None)
    return results_available_from(edition_year.year, stored), stored is not None


def _published_value(target: Target, result: Result | None, scores: dict[str, float],
                     indicator_values: dict[str, IndicatorValue]):
    if target.kind == TargetKind.INDICATOR:
        iv = indicator_values.get(target.indicator_code or "")
        if iv is None:
            return None, ""
        return iv.value, iv.source_url  # shares are stored on the 0–100 scale, as targets are written
    if result is None:
        return None, ""
    value = {
        TargetKind.RANK: result.rank,
        TargetKind.TOTAL: result.total,
        TargetKind.GROUP: result.get_group_display() if result.group else None,
        TargetKind.SUBINDEX: scores.get(target.subindex.code) if target.subindex_id else None,
    }.get(target.kind)
    return value, result.source_url


@dataclass(frozen=True)
class TaskFact:
    """What the dashboards need of a task: its plan, whether it has a deadline, its outcome on the day."""

    plan_id: int
    dated: bool
    outcome: Outcome


def task_facts(plans: Sequence[Plan], today: dt.date) -> dict[int, TaskFact]:
    """``{task_id: TaskFact}`` for the plans' tasks that are not cancelled: one query."""
    out = {}
    for pk, plan_id, timing, status, deadline, completed_on in Task.objects.filter(
            plan_id__in=[p.pk for p in plans]).exclude(status="cancelled").values_list(
            "pk", "plan_id", "timing", "status", "deadline", "completed_on"):
        outcome = task_outcome(timing=timing, status=status, deadline=deadline, completed_on=completed_on, cutoff=today)
        out[pk] = TaskFact(plan_id, timing == TimingKind.DEADLINE and deadline is not None, outcome)
    return out


def task_target_pairs(plans: Sequence[Plan]) -> list[tuple[int, int]]:
    """``(task_id, target_id)`` of every task–target link of the plans: one query."""
    return list(Task.targets.through.objects.filter(target__plan_id__in=[p.pk for p in plans])
                .values_list("task_id", "target_id"))


def target_rows(plans: Sequence[Plan], today: dt.date, facts: dict[int, TaskFact] | None = None,
                pairs: list[tuple[int, int]] | None = None) -> dict[int, list[TargetRow]]:
    """``{plan_id: [TargetRow, …]}`` in the plans' order of targets (``facts``, ``pairs``: what
    :func:`task_facts` and :func:`task_target_pairs` give for these plans, when the caller has them)."""
    plan_ids = [p.pk for p in plans]
    if not plan_ids:
        return {}
    by_id = {p.pk: p for p in plans}
    # Related rows are grouped here rather than prefetched: a custom prefetch clones a queryset per target.
    targets = list(Target.objects.filter(plan_id__in=plan_ids).select_related("subindex").order_by("plan_id", "order", "id"))
    links = list(TargetAssignment.objects.filter(target__plan_id__in=plan_ids).order_by("role", "organisation__name")
                 .values_list("target_id", "organisation_id", "role"))
    orgs = Organisation.objects.in_bulk({org_id for _t, org_id, _r in links})
    assignments: dict[int, list[tuple[Organisation, str]]] = defaultdict(list)
    for target_id, org_id, role in links:
        assignments[target_id].append((orgs[org_id], role))

    # Tasks behind each target.
    facts = task_facts(plans, today) if facts is None else facts
    n_tasks: dict[int, int] = defaultdict(int)
    dated: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    for task_id, target_id in (task_target_pairs(plans) if pairs is None else pairs):
        fact = facts.get(task_id)
        if fact is None:  # cancelled
            continue
        n_tasks[target_id] += 1
        if fact.dated:
            dated[target_id] += 1
            if fact.outcome == Outcome.OVERDUE:
                overdue[target_id] += 1

    # Published results of each plan's province for its year.
    keys = {(p.province_id, p.year) for p in plans}
    provinces = {k[0] for k in keys}
    years = {k[1] for k in keys}
    results = {(r.province_id, r.year.year): r for r in
               Result.objects.filter(province_id__in=provinces, year__year__in=years).select_related("year")}
    scores_of: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for province_id, year, code, score in SubIndexScore.objects.filter(
            result__province_id__in=provinces, result__year__year__in=years).values_list(
            "result__province_id", "result__year__year", "subindex__code", "score"):
        scores_of[(province_id, year)][code] = score
    codes = sorted({t.indicator_code for t in targets if t.kind == TargetKind.INDICATOR and t.indicator_code})
    values: dict[tuple[int, int], dict[str, IndicatorValue]] = defaultdict(dict)
    estimates: dict[tuple[int, int], dict[str, Interval]] = defaultdict(dict)
    if codes:
        for iv in (IndicatorValue.objects.filter(province_id__in=provinces, indicator__year__year__in=years,
                                                 indicator__code__in=codes)
                   .select_related("indicator", "indicator__year")):
            values[(iv.province_id, iv.indicator.year.year)][iv.indicator.code] = iv
        rows = (SurveyEstimate.objects.filter(segment="", survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED],
                                              survey__year__in=years, survey__plan__province_id__in=provinces,
                                              as_of__lte=today, value__isnull=False)
                .select_related("measure", "survey", "survey__plan").order_by("-as_of", "-n", "-survey_id"))
        for row in rows:
            key = (row.survey.plan.province_id, row.survey.year)
            interval = Interval(low=row.low, high=row.high, value=row.value, as_of=row.as_of,
                                source=f"{row.survey.title}, n = {row.n}", synthetic=row.survey.is_synthetic)
            for code in row.measure.indicator_codes:
                estimates[key].setdefault(code, interval)  # the latest estimate wins, then the larger sample

    out: dict[int, list[TargetRow]] = defaultdict(list)
    for t in targets:
        plan = by_id[t.plan_id]
        t.plan = plan  # the plan is at hand: no query per target
        key = (plan.province_id, plan.year)
        result = results.get(key)
        edition_year = result.year if result else None
        iv = values.get(key, {}).get(t.indicator_code or "") if t.kind == TargetKind.INDICATOR else None
        if edition_year is None and iv is not None:
            edition_year = iv.indicator.year
        published = None
        if edition_year is not None:
            value, source = _published_value(t, result, scores_of.get(key, {}), values.get(key, {}))
            available_from, stored = publication_date(edition_year)
            published = Published(year=plan.year, value=value, available_from=available_from, source=source,
                                   of=edition_year.n_ranked or None, date_stored=stored)
        estimate = None
        if t.kind == TargetKind.INDICATOR and t.unit == "%" and t.indicator_code:
            estimate = estimates.get(key, {}).get(t.indicator_code)
        work = Work(dated=dated[t.pk], overdue=overdue[t.pk])
        status = target_status(target_spec(t), plan_year=plan.year, today=today, published=published,
                               estimate=estimate, work=work)
        row = TargetRow(target=t, status=status, work=work, n_tasks=n_tasks[t.pk], published=published,
                        estimate=estimate)
        for org, role in assignments.get(t.pk, ()):
            {Role.LEAD: row.lead, Role.OWNER: row.owners, Role.SUPPORT: row.supporters}[role].append(org)
        out[t.plan_id].append(row)
    return dict(out)
