"""Reads for the simulator: what the catalog holds, turned into the engine's inputs.

The simulator prefers the catalog (what the province has loaded, including results imported after the
release) to the data shipped with the engine, and invents nothing: a year whose provinces are not all in
the catalog cannot be ranked against, a province without every sub-index score of a year cannot start
from that year, and every gap is said in words.

This module is the small adapter between the catalog and :mod:`pciplan.engine`: it builds the engine's
:class:`~pciplan.engine.whatif.Field` and :class:`~pciplan.engine.editions.EditionSpec` from database
rows (the engine's own ``load_field`` reads only the shipped files). Every function issues a fixed number
of queries, whatever the number of provinces or years.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q

from pciplan.catalog.models import (
    Edition,
    EditionYear,
    Group,
    GroupCutoff,
    Province,
    Result,
    SubIndex,
    SubIndexScore,
)
from pciplan.catalog.selectors import province_history
from pciplan.engine.editions import EditionSpec, edition_from_dict
from pciplan.engine.whatif import Field
from pciplan.lib.errors import DomainError
from pciplan.orgs.access import Scope
from pciplan.plans.access import visible_plans_filter
from pciplan.plans.models import Plan, Target, TargetKind

# ------------------------------------------------------------------------------------------ catalog


@dataclass(frozen=True)
class YearStatus:
    """What the catalog holds for one published year."""

    year: int
    edition_id: int
    edition_code: str
    n_ranked: int | None
    n_totals: int
    n_complete: int
    n_cutoffs: int

    @property
    def full_field(self) -> bool:
        """Every ranked province has a published total: the year can be ranked against."""
        return bool(self.n_ranked) and self.n_totals >= self.n_ranked

    @property
    def full_scores(self) -> bool:
        """Every ranked province has every sub-index score (medians, best province, caps)."""
        return bool(self.n_ranked) and self.n_complete >= self.n_ranked


def year_statuses() -> dict[int, YearStatus]:
    """``{year: YearStatus}`` — three queries."""
    years = list(EditionYear.objects.values_list("year", "edition_id", "edition__code", "n_ranked"))
    n_subs = dict(SubIndex.objects.values("edition_id").annotate(n=Count("id")).values_list("edition_id", "n"))
    rows = Result.objects.annotate(k=Count("scores")).values_list("year__year", "total", "k")
    totals: Counter = Counter()
    complete: Counter = Counter()
    edition_of = {y: e for y, e, _, _ in years}
    for year, total, k in rows:
        if total is None:
            continue
        totals[year] += 1
        if k and k >= n_subs.get(edition_of.get(year), 0):
            complete[year] += 1
    cutoffs = Counter(dict(GroupCutoff.objects.values("year__year").annotate(n=Count("id"))
                           .values_list("year__year", "n")))
    return {y: YearStatus(y, e, code, n, totals[y], complete[y], cutoffs[y]) for y, e, code, n in years}


def edition_spec(edition_id: int) -> EditionSpec:
    """The catalog's edition (its sub-indices and weights as stored) as the engine's spec — two queries."""
    edition = Edition.objects.get(pk=edition_id)
    subs = list(SubIndex.objects.filter(edition_id=edition_id).order_by("number"))
    return edition_from_dict({
        "code": edition.code, "name_vi": edition.name, "index": edition.index, "first_year": edition.first_year,
        "last_year": edition.last_year, "total_multiplier": float(edition.total_multiplier),
        "is_example": edition.is_example,
        "subindices": [{"code": s.code, "number": s.number, "name_vi": s.name, "name_en": s.name_en,
                        "weight_percent": float(s.weight), "aliases": list(s.aliases or [])} for s in subs],
    })


_GROUP_ORDER = [g.value for g in Group]


def field_from_catalog(status: YearStatus, spec: EditionSpec) -> Field:
    """The provinces of a year as the engine's :class:`Field`, from the catalog — three queries.

    Raises
    ------
    DomainError
        If the catalog does not hold every ranked province's total for that year.
    """
    if not status.full_field:
        raise DomainError(
            f"Danh mục chỉ có tổng điểm năm {status.year} của {status.n_totals}/{status.n_ranked or '?'} tỉnh: "
            "không xếp hạng so với năm này được.", field="nam_xep_hang")
    rows = list(Result.objects.filter(year__year=status.year, total__isnull=False)
                .order_by("rank", "province__name")
                .values_list("pk", "province__slug", "province__name", "total", "rank"))
    index = {pk: i for i, (pk, *_rest) in enumerate(rows)}
    codes = list(spec.codes)
    sub = np.full((len(rows), len(codes)), np.nan)
    for result_id, code, score in (SubIndexScore.objects.filter(result__year__year=status.year)
                                   .values_list("result_id", "subindex__code", "score")):
        if result_id in index and code in codes:
            sub[index[result_id], codes.index(code)] = score
    cut = sorted(GroupCutoff.objects.filter(year__year=status.year).values_list("group", "min_score"),
                 key=lambda gm: _GROUP_ORDER.index(gm[0]))
    cutoffs: tuple = ()
    if cut:
        cutoffs = tuple((str(Group(g).label), float(m)) for g, m in cut)
        last = cut[-1][0]
        if last != _GROUP_ORDER[-1]:
            # The lowest group has no floor: everything below the next group's cut-off.
            cutoffs += ((str(Group(_GROUP_ORDER[_GROUP_ORDER.index(last) + 1]).label), None),)
    missing = []
    n_without = int(np.isnan(sub).any(axis=1).sum())
    if n_without:
        if n_without >= len(rows) - 1:
            missing.append("các tỉnh khác chỉ có tổng điểm và thứ hạng công bố (không có điểm chỉ số thành phần)")
        else:
            missing.append(f"{n_without} tỉnh thiếu điểm chỉ số thành phần")
    if not cutoffs:
        missing.append("chưa có ngưỡng nhóm xếp hạng")
    note = f"Năm {status.year}: " + "; ".join(missing) + "." if missing else ""
    return Field(
        year=status.year, edition=spec, slugs=tuple(r[1] for r in rows), names=tuple(r[2] for r in rows),
        totals=np.array([r[3] for r in rows], dtype=np.float64), subscores=sub,
        published_ranks=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64),
        cutoffs=cutoffs, n_ranked=int(status.n_ranked), note=note,
    )


@dataclass(frozen=True)
class HistoryPoint:
    year: int
    total: float | None
    rank: int | None
    n_ranked: int | None
    edition_code: str
    scores: dict
    before_edition: bool  # published under a method older than the earliest edition (before 2013)


def history(slug: str) -> list[HistoryPoint]:
    """A province's published results, oldest first — two queries."""
    out = []
    for result, scores in province_history(slug):
        year = result.year
        out.append(HistoryPoint(year=year.year, total=result.total, rank=result.rank, n_ranked=year.n_ranked,
                                edition_code=year.edition.code, scores=scores,
                                before_edition=year.year < year.edition.first_year))
    return out


def provinces_with_results() -> list[tuple[str, str]]:
    """(slug, name) of provinces with at least one published total — one query."""
    return list(Province.objects.filter(results__total__isnull=False).distinct().order_by("name")
                .values_list("slug", "name"))


# -------------------------------------------------------------------------------------------- plans
def visible_plans(scope: Scope) -> list[Plan]:
    """Plans the person may read, with how many sub-index targets each has — one query."""
    return list(Plan.objects.filter(visible_plans_filter(scope)).select_related("province", "edition", "issuer")
                .annotate(n_subindex_targets=Count("targets", filter=Q(targets__kind=TargetKind.SUBINDEX)))
                .order_by("-year", "-pk"))


def default_plan(plans: list[Plan], scope: Scope) -> Plan | None:
    """The plan the page starts from: one with sub-index targets, of the person's province, the latest."""
    home = scope.home.province_slug if scope.home is not None else ""

    def key(plan):
        return (plan.n_subindex_targets > 0, plan.province.slug == home, plan.year, plan.pk)

    return max(plans, key=key, default=None)


@dataclass
class PlanTargets:
    """What a plan asks of the index: sub-index scores, a rank, a group, indicator targets."""

    plan: Plan
    subindex: dict[str, float] = field(default_factory=dict)
    baseline_years: list[int] = field(default_factory=list)
    rank: int | None = None
    rank_of: int | None = None
    group: str | None = None
    indicators: list[Target] = field(default_factory=list)

    @property
    def baseline_year(self) -> int | None:
        return statistics.mode(self.baseline_years) if self.baseline_years else None


def plan_targets(plan: Plan) -> PlanTargets:
    """One query."""
    out = PlanTargets(plan)
    for t in Target.objects.filter(plan=plan).select_related("subindex").order_by("order", "id"):
        if t.kind == TargetKind.SUBINDEX and t.subindex_id and t.value is not None:
            out.subindex[t.subindex.code] = float(t.value)
            if t.baseline_year:
                out.baseline_years.append(t.baseline_year)
        elif t.kind == TargetKind.RANK and t.value is not None:
            out.rank, out.rank_of = int(t.value), t.of
        elif t.kind == TargetKind.GROUP and t.value_text:
            out.group = t.value_text
        elif t.kind == TargetKind.INDICATOR and t.indicator_code:
            out.indicators.append(t)
    return out
