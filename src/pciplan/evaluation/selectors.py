"""Reads for the year-end evaluation: gather plain values from the database, evaluate them with the pure
rules (:mod:`pciplan.evaluation.rules`) and return one JSON-able dict — the same shape that is stored
when the evaluation is signed, so a page, a document and the command line all read one structure.

A computation issues a fixed number of queries, whatever the number of targets, units or tasks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from pciplan.catalog.models import EditionYear, IndicatorValue, Result, SubIndexScore
from pciplan.clock import today as clock_today
from pciplan.lib.dates import format_date
from pciplan.orgs.access import Scope
from pciplan.orgs.models import Organisation
from pciplan.plans.models import AccountabilityRule, Plan, Target, TargetAssignment, Task, TaskAssignment
from pciplan.plans.outcomes import OUTCOME_LABELS, OUTCOME_TONE, Outcome, task_outcome

from . import rules, sources
from .access import visible_evaluations_filter
from .estimates import estimates_for
from .models import Evaluation, UnitRemark

SNAPSHOT_VERSION = 1


# ------------------------------------------------------------------------------------------- lists
def evaluation_list(scope: Scope):
    return (Evaluation.objects.filter(visible_evaluations_filter(scope))
            .select_related("plan", "plan__issuer", "plan__province", "signed_by", "prepared_by")
            .order_by("-year", "plan__issuer__name"))


def evaluation_get():
    return Evaluation.objects.select_related("plan", "plan__issuer", "plan__province", "plan__edition", "signed_by",
                                             "prepared_by")


def remarks_by_org(evaluation: Evaluation) -> dict[int, UnitRemark]:
    return {r.organisation_id: r for r in UnitRemark.objects.filter(evaluation=evaluation)}


# ------------------------------------------------------------------------------------ plain inputs
def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def target_spec(target: Target) -> rules.TargetSpec:
    return rules.TargetSpec(
        key=target.key, label=target.label, kind=target.kind, comparator=target.comparator,
        value=_dec(target.value), value_text=target.value_text or "", unit=target.unit or "", of=target.of,
        subindex_code=target.subindex.code if target.subindex_id else None,
        indicator_code=target.indicator_code or None, baseline_year=target.baseline_year,
        baseline_value=_dec(target.baseline_value), increase=_dec(target.increase), section=target.section,
    )


def _published_result(province_id: int, year: int) -> Result | None:
    return (Result.objects.filter(province_id=province_id, year__year=year).select_related("year")
            .prefetch_related(Prefetch("scores", queryset=SubIndexScore.objects.select_related("subindex")))
            .first())


def _actuals(plan: Plan, year: int, specs: list[rules.TargetSpec], targets: list[Target]):
    """The published value of every target, with its source: two to four queries."""
    result = _published_result(plan.province_id, year)
    scores = {s.subindex.code: s.score for s in result.scores.all()} if result else {}
    of = (result.year.n_ranked if result else None) or None
    source = result.source_url if result else ""
    codes = [s.indicator_code for s in specs if s.kind == "indicator" and s.indicator_code]
    values = {}
    if codes:
        for iv in (IndicatorValue.objects.filter(province_id=plan.province_id, indicator__year__year=year,
                                                 indicator__code__in=codes).select_related("indicator")):
            values[iv.indicator.code] = iv
    actuals: dict[str, rules.Actual] = {}
    for spec in specs:
        value, src = None, source
        if result is not None:
            if spec.kind == "rank":
                value = result.rank
            elif spec.kind == "total":
                value = result.total
            elif spec.kind == "group":
                value = result.get_group_display() if result.group else None
            elif spec.kind == "subindex":
                value = scores.get(spec.subindex_code)
        if spec.kind == "indicator":
            iv = values.get(spec.indicator_code or "")
            if iv is not None:
                # The catalog stores shares on the 0–100 scale, as the plan writes its targets ("trên 45%").
                value = iv.value
                src = iv.source_url or source
        actuals[spec.key] = rules.Actual(value=value, year=year, source=src if value is not None else "", of=of)
    # Baselines the plan did not write down: the published value of the baseline year.
    missing = [s for s in specs if s.baseline_year and s.baseline_value is None and s.kind in ("rank", "total", "subindex")]
    if missing:
        by_year = defaultdict(list)
        for s in missing:
            by_year[s.baseline_year].append(s)
        for base_year, group in by_year.items():
            base = _published_result(plan.province_id, base_year)
            if base is None:
                continue
            base_scores = {s.subindex.code: s.score for s in base.scores.all()}
            for i, s in enumerate(specs):
                if s in group:
                    v = {"rank": base.rank, "total": base.total}.get(s.kind, base_scores.get(s.subindex_code))
                    if v is not None:
                        specs[i] = rules.TargetSpec(**{**s.__dict__, "baseline_value": rules.published(v, s.kind)})
    published = {
        "available": result is not None, "year": year, "total": result.total if result else None,
        "rank": result.rank if result else None, "of": of,
        "group": result.get_group_display() if result and result.group else None,
        "source": source, "precision": result.precision if result else "",
        "scores": dict(scores),
    }
    return actuals, published


def _units(plan: Plan, year: int, assignments: list[TargetAssignment], task_orgs: list[Organisation]):
    """Units of the issuing agency (valid during the year) and the outside organisations of the plan."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    internal = [o for o in Organisation.objects.filter(parent_id=plan.issuer_id, kind=Organisation.Kind.UNIT)
                if (o.valid_from is None or o.valid_from <= end) and (o.valid_to is None or o.valid_to >= start)]
    known = {o.pk for o in internal}
    for org in [a.organisation for a in assignments] + task_orgs:
        if org.kind == Organisation.Kind.UNIT and org.parent_id == plan.issuer_id and org.pk not in known:
            internal.append(org)
            known.add(org.pk)
    external: dict[int, Organisation] = {}
    for a in assignments:
        org = a.organisation
        if org.pk != plan.issuer_id and org.pk not in known and org.parent_id != plan.issuer_id:
            external.setdefault(org.pk, org)
    return internal, list(external.values())


def _task_outcomes(plan: Plan, cutoff: dt.date) -> tuple[dict[int, Counter], dict[int, list[dict]], dict[int, int]]:
    """Per organisation: counts of task outcomes, its late or overdue tasks, and how many tasks it has."""
    counts: dict[int, Counter] = defaultdict(Counter)
    problems: dict[int, list[dict]] = defaultdict(list)
    tasks = Task.objects.filter(plan=plan).prefetch_related(
        Prefetch("assignments", queryset=TaskAssignment.objects.only("id", "task_id", "organisation_id", "role")))
    for task in tasks.order_by("order", "id"):
        outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                               completed_on=task.completed_on, cutoff=cutoff)
        for a in task.assignments.all():
            counts[a.organisation_id][str(outcome)] += 1
            if outcome in (Outcome.DONE_LATE, Outcome.OVERDUE):
                problems[a.organisation_id].append({
                    "text": task.text[:200], "outcome": str(outcome), "label": OUTCOME_LABELS[outcome],
                    "tone": OUTCOME_TONE[outcome], "deadline": task.deadline.isoformat() if task.deadline else None,
                    "deadline_text": format_date(task.deadline),
                    "completed_on": task.completed_on.isoformat() if task.completed_on else None,
                    "section": task.section, "collective": False,
                })
    totals = {org: sum(c.values()) for org, c in counts.items()}
    return counts, problems, totals


TASK_OUTCOME_ORDER = (Outcome.DONE_ON_TIME, Outcome.DONE_LATE, Outcome.OVERDUE, Outcome.IN_PROGRESS_ON_TIME,
                      Outcome.RECURRING, Outcome.CONTINUOUS, Outcome.CANCELLED)


def _task_summary(direct: Counter, collective: Counter, problems: list[dict]) -> dict:
    return {
        "total": sum(direct.values()), "collective_total": sum(collective.values()),
        "counts": [{"outcome": str(o), "label": OUTCOME_LABELS[o], "tone": OUTCOME_TONE[o], "n": direct.get(str(o), 0)}
                   for o in TASK_OUTCOME_ORDER if direct.get(str(o), 0)],
        "on_time": direct.get(str(Outcome.DONE_ON_TIME), 0), "late": direct.get(str(Outcome.DONE_LATE), 0),
        "overdue": direct.get(str(Outcome.OVERDUE), 0), "problems": problems,
    }


def evaluation_cutoff(year: int, today: dt.date | None = None, annual_cutoff: dt.date | None = None) -> dt.date:
    """Task outcomes are read at the cut-off of the year's annual report (14/12 under the reference
    plan's reporting rule; 31/12 without one), or today if that day has not come."""
    return min(today or clock_today(), annual_cutoff or dt.date(year, 12, 31))


def compute(plan: Plan, year: int, *, today: dt.date | None = None) -> dict:
    """Evaluate ``plan`` for ``year`` from the data as it is now: the snapshot dict."""
    today = today or clock_today()
    cutoff = evaluation_cutoff(year, today, sources.annual_cutoff(plan, year))
    targets = list(Target.objects.filter(plan=plan).select_related("subindex").prefetch_related(
        Prefetch("assignments", queryset=TargetAssignment.objects.select_related("organisation")))
        .order_by("order", "id"))
    specs = [target_spec(t) for t in targets]
    actuals, published = _actuals(plan, year, specs, targets)
    estimates = estimates_for(province_slug=plan.province.slug, year=year,
                              indicator_codes=[s.indicator_code for s in specs if s.indicator_code])
    results = {s.key: rules.evaluate_target(s, actuals.get(s.key),
                                            estimate=estimates.get(s.indicator_code or "") if s.indicator_code else None)
               for s in specs}

    assignments = [a for t in targets for a in t.assignments.all()]
    task_org_ids = set(TaskAssignment.objects.filter(task__plan=plan).values_list("organisation_id", flat=True))
    task_orgs = list(Organisation.objects.filter(pk__in=task_org_ids, kind=Organisation.Kind.UNIT,
                                                 parent_id=plan.issuer_id))
    internal, external = _units(plan, year, assignments, task_orgs)
    internal.sort(key=lambda o: (o.is_sample, o.name))
    unit_keys = [str(o.pk) for o in internal]
    key_by_id = {t.pk: t.key for t in targets}
    raw = [rules.AssignmentSpec(key_by_id[a.target_id], str(a.organisation_id), a.role) for a in assignments]
    expanded = rules.expand_assignments(raw, collective_keys=[str(plan.issuer_id)], unit_keys=unit_keys)
    acc_rules = list(AccountabilityRule.objects.filter(plan=plan).filter(Q(year=year) | Q(year__isnull=True))
                     .prefetch_related(Prefetch("targets", queryset=Target.objects.only("id", "key")))
                     .order_by("section", "key"))
    rule_specs = [rules.RuleSpec(key=r.key, roles=tuple(r.roles or ()), target_kinds=tuple(r.target_kinds or ()),
                                 target_keys=tuple(t.key for t in r.targets.all()),
                                 org_key=str(r.organisation_id) if r.organisation_id else None,
                                 section=r.section, year=r.year, text=r.text, consequence=r.consequence)
                  for r in acc_rules]
    unit_specs = [rules.UnitSpec(str(o.pk), o.name, internal=True, sample=o.is_sample, short_name=o.short_name)
                  for o in internal]
    unit_specs += [rules.UnitSpec(str(o.pk), o.name, internal=False, sample=o.is_sample, short_name=o.short_name)
                   for o in sorted(external, key=lambda o: (o.kind != Organisation.Kind.PROVINCE, o.name))]
    outcomes = rules.evaluate_units(unit_specs, expanded, rule_specs, results)

    counts, problems, _totals = _task_outcomes(plan, cutoff)
    collective_counts = counts.get(plan.issuer_id, Counter())
    punctuality = sources.report_punctuality(plan, year, [o.pk for o in internal], today=today)

    units = []
    for outcome in outcomes:
        d = outcome.as_dict()
        org_id = int(outcome.unit.key)
        d["org_id"] = org_id
        if outcome.unit.internal:
            d["tasks"] = _task_summary(counts.get(org_id, Counter()), collective_counts, problems.get(org_id, []))
            d["reports"] = punctuality.get(org_id) if punctuality is not None else None
        else:
            d["tasks"] = None
            d["reports"] = None
        units.append(d)

    target_dicts = []
    for spec, t in zip(specs, targets, strict=True):
        d = results[spec.key].as_dict()
        d["target_id"] = t.pk
        d["roles"] = [{"org_id": a.organisation_id, "name": a.organisation.name,
                       "short_name": a.organisation.short_name, "role": a.role,
                       "collective": a.organisation_id == plan.issuer_id} for a in t.assignments.all()]
        target_dicts.append(d)
    status_counts = Counter(r.status for r in results.values())
    now = timezone.localtime()
    return {
        "version": SNAPSHOT_VERSION,
        "plan": {"id": plan.pk, "code": plan.code, "reference": plan.reference, "title": plan.title,
                 "issuer": plan.issuer.name, "issuer_short": plan.issuer.short_name, "year": plan.year,
                 "province": plan.province.name, "province_slug": plan.province.slug,
                 "edition": plan.edition.code, "signer_name": plan.signer_name},
        "year": year, "computed_at": now.isoformat(timespec="seconds"), "cutoff": cutoff.isoformat(),
        "computed_at_text": f"{now:%H:%M} {format_date(now.date())}", "cutoff_text": format_date(cutoff),
        "published": published,
        "targets": target_dicts,
        "units": units,
        "rules": [{"key": r.key, "section": r.section, "text": r.text, "roles": list(r.roles),
                   "target_kinds": list(r.target_kinds), "targets": list(r.target_keys)} for r in rule_specs],
        "counts": {"met": status_counts.get(rules.Status.MET, 0), "not_met": status_counts.get(rules.Status.NOT_MET, 0),
                   "not_measurable": status_counts.get(rules.Status.NOT_MEASURABLE, 0), "total": len(results)},
        "has_report_data": punctuality is not None,
        "has_estimates": any(r.estimate is not None for r in results.values()),
    }


def evaluation_data(evaluation: Evaluation, *, today: dt.date | None = None) -> dict:
    """The signed snapshot, or the live computation of a draft."""
    if evaluation.snapshot is not None:
        return evaluation.snapshot
    return compute(evaluation.plan, evaluation.year, today=today)


def plans_to_evaluate(scope: Scope):
    """Plans the person may prepare an evaluation for that have none for their year yet."""
    from pciplan.plans.access import visible_plans_filter

    from .access import may_prepare

    plans = (Plan.objects.filter(visible_plans_filter(scope)).exclude(status="draft")
             .select_related("issuer", "province").order_by("-year", "issuer__name"))
    taken = set(Evaluation.objects.values_list("plan_id", "year"))
    years_published = set(EditionYear.objects.filter(results__isnull=False).values_list("year", flat=True).distinct())
    return [(p, p.year in years_published) for p in plans
            if (p.pk, p.year) not in taken and may_prepare(scope, p)]
