"""Reads for survey pages and for the other apps (plan pages, evaluation, engine, simulator).

Every function issues a fixed number of queries. Pages show aggregates only; a segment with fewer than
:data:`MIN_CELL` answers is not shown on its own (it could point at a firm).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from pciplan.engine.proportions import Verdict, verdict
from pciplan.orgs.access import Scope

from .access import visible_instruments_filter, visible_surveys_filter
from .instrument import SEGMENTS
from .models import Instrument, Measure, Survey, SurveyEstimate, SurveyStatus

MIN_CELL = 5
SOURCE_NOTE = "Ước lượng từ khảo sát doanh nghiệp, khoảng tin cậy {level}% (Wilson)"


@dataclass(frozen=True)
class Estimate:
    """A survey estimate of an indicator on the 0–100 scale, for a plan target.

    ``verdict`` compares the interval (never the point) with the target; estimates are for information:
    they never decide a rating. ``is_synthetic`` marks demo data that must never be shown as real.
    """

    value: float | None
    low: float | None
    high: float | None
    n: int
    date: dt.date
    verdict: Verdict
    instrument: Instrument
    survey: Survey
    measure_key: str
    indicator_code: str
    nonresponse: int = 0
    eligible: int = 0
    effective_n: float = 0.0
    confidence: float = 0.95
    is_synthetic: bool = False

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def margin(self) -> float | None:
        return None if self.value is None else (self.high - self.low) / 2

    @property
    def source(self) -> str:
        text = (f"{self.survey.title} — ước lượng khảo sát, n = {self.n}, "
                f"tính đến {self.date.day}/{self.date.month}/{self.date.year}")
        return text + (" (DỮ LIỆU MÔ PHỎNG)" if self.is_synthetic else "")


def _target_value(target) -> float | None:
    return float(target.value) if target.value is not None else None


def _estimate_from(row: SurveyEstimate, target) -> Estimate:
    survey = row.survey
    return Estimate(
        value=row.value, low=row.low, high=row.high, n=row.n, date=row.as_of,
        verdict=verdict(row.low, row.high, _target_value(target) if target else None,
                        target.comparator if target else ">"),
        instrument=survey.instrument, survey=survey, measure_key=row.measure.key,
        indicator_code=row.measure.indicator_code, nonresponse=row.nonresponse, eligible=row.eligible,
        effective_n=row.effective_n, confidence=survey.confidence, is_synthetic=survey.is_synthetic)


def _overall_rows(**filters):
    return (SurveyEstimate.objects.filter(segment="", survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED],
                                          **filters)
            .select_related("measure", "survey", "survey__instrument", "survey__owner")
            .order_by("-as_of", "-n", "-survey_id"))


def latest_estimates_for_plan(plan) -> dict[int, Estimate]:
    """``{target_id: Estimate}`` for the plan's indicator targets that a survey of the plan measures.

    The latest estimate wins (then the larger sample). Two queries.
    """
    targets = list(plan.targets.filter(kind="indicator").exclude(indicator_code=""))
    if not targets:
        return {}
    out: dict[int, Estimate] = {}
    rows = list(_overall_rows(survey__plan=plan))
    for target in targets:
        code = target.indicator_code
        for row in rows:
            if code in row.measure.indicator_codes:
                out[target.pk] = _estimate_from(row, target)
                break
    return out


def evaluation_estimates(*, province_slug: str, year: int, indicator_codes: list[str]) -> dict:
    """Provider for :mod:`pciplan.evaluation.estimates`: surveys of that year under plans of that province."""
    from pciplan.evaluation.rules import Estimate as EvaluationEstimate

    rows = list(_overall_rows(survey__year=year, survey__plan__province__slug=province_slug))
    out = {}
    for code in indicator_codes:
        for row in rows:
            if code in row.measure.indicator_codes and row.value is not None:
                e = _estimate_from(row, None)
                out[code] = EvaluationEstimate(
                    value=e.value, low=e.low, high=e.high, source=e.source,
                    note="Chỉ để tham khảo: ước lượng khảo sát không quyết định kết quả đánh giá.")
                break
    return out


# ------------------------------------------------------------------------------------------------ pages
def survey_list(scope: Scope):
    return (Survey.objects.filter(visible_surveys_filter(scope))
            .select_related("instrument", "owner", "plan")
            .annotate(n_responses=Count("responses", distinct=True),
                      n_invitations=Count("invitations", distinct=True),
                      n_used=Count("invitations", filter=Q(invitations__used=True), distinct=True))
            .order_by("-year", "title"))


def instrument_list(scope: Scope):
    return (Instrument.objects.filter(visible_instruments_filter(scope)).select_related("owner")
            .annotate(n_questions=Count("questions", distinct=True), n_measures=Count("measures", distinct=True)))


def survey_queryset():
    return Survey.objects.select_related("instrument", "owner", "plan", "plan__province", "created_by")


@dataclass
class SegmentGroup:
    segment: str
    label: str
    rows: list[SurveyEstimate] = field(default_factory=list)
    hidden: int = 0  # segments not shown: fewer than MIN_CELL answers


@dataclass
class MeasureView:
    measure: Measure
    overall: SurveyEstimate | None
    target: object | None
    verdict: Verdict
    segments: list[SegmentGroup]
    published: object | None = None  # VCCI's latest published value for the plan's province (IndicatorValue)

    @property
    def target_value(self) -> float | None:
        return _target_value(self.target) if self.target else None


def survey_estimates(survey: Survey) -> list[MeasureView]:
    """Every measure of the survey: overall estimate, the plan's target and verdict, segments. Three queries."""
    measures = list(survey.instrument.measures.select_related("question", "universe_question").order_by("order", "id"))
    rows = list(SurveyEstimate.objects.filter(survey=survey).order_by("segment", "order", "segment_label"))
    targets = {}
    if survey.plan_id:
        for t in survey.plan.targets.filter(kind="indicator").exclude(indicator_code=""):
            targets[t.indicator_code] = t
    published = _latest_published(survey, measures)
    by_measure: dict[int, list[SurveyEstimate]] = {}
    for row in rows:
        by_measure.setdefault(row.measure_id, []).append(row)
    out = []
    for m in measures:
        mine = by_measure.get(m.pk, [])
        overall = next((r for r in mine if r.segment == ""), None)
        target = next((targets[c] for c in m.indicator_codes if c in targets), None)
        v = verdict(overall.low if overall else None, overall.high if overall else None,
                    _target_value(target) if target else None, target.comparator if target else ">")
        groups: OrderedDict[str, SegmentGroup] = OrderedDict()
        for key in ("size", "sector", "district", "ownership"):
            groups[key] = SegmentGroup(key, SEGMENTS[key])
        for r in mine:
            if not r.segment:
                continue
            group = groups.setdefault(r.segment, SegmentGroup(r.segment, SEGMENTS.get(r.segment, r.segment)))
            if r.n < MIN_CELL:
                group.hidden += 1
            else:
                group.rows.append(r)
        pub = next((published[c] for c in m.indicator_codes if c in published), None)
        out.append(MeasureView(m, overall, target, v, [g for g in groups.values() if g.rows or g.hidden], pub))
    return out


def _latest_published(survey: Survey, measures) -> dict:
    """{indicator code: the latest IndicatorValue VCCI published for the plan's province} — one query."""
    if not survey.plan_id:
        return {}
    from pciplan.catalog.models import IndicatorValue

    codes = {c for m in measures for c in m.indicator_codes}
    out = {}
    for value in (IndicatorValue.objects.filter(province_id=survey.plan.province_id, indicator__code__in=codes)
                  .select_related("indicator", "indicator__year").order_by("-indicator__year__year")):
        out.setdefault(value.indicator.code, value)
    return out


def invitation_counts(survey: Survey) -> dict:
    agg = survey.invitations.aggregate(total=Count("id"), used=Count("id", filter=Q(used=True)))
    return {"total": agg["total"], "used": agg["used"], "unused": agg["total"] - agg["used"]}
