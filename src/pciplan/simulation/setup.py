"""The simulator's setting: which province, which starting year, which year's field, which plan.

Everything comes from the request (``ke_hoach``, ``tinh``, ``nam_goc``, ``nam_xep_hang``); what is not
given follows the plan (its province, its targets' baseline year, its year), then the person's province,
then the latest data. A choice the catalog cannot serve raises :class:`DomainError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from pciplan.engine.editions import EditionSpec
from pciplan.engine.scoring import round_total, total_score
from pciplan.engine.whatif import Field
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number
from pciplan.orgs.access import Scope
from pciplan.plans.models import Plan

from . import selectors
from .selectors import HistoryPoint, PlanTargets, YearStatus


@dataclass
class Setup:
    """Resolved inputs of the page (no scores yet)."""

    plans: list[Plan]
    plan: Plan | None
    targets: PlanTargets | None
    provinces: list[tuple[str, str]]
    province_slug: str
    province_name: str
    history: list[HistoryPoint]
    base_years: list[int]
    field_years: list[int]
    base_year: int
    field_year: int
    spec: EditionSpec
    field: Field
    base: np.ndarray
    base_point: HistoryPoint
    actual: HistoryPoint | None
    reference: Field | None
    caps: np.ndarray
    caps_note: str
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.spec.codes

    @property
    def n_ranked(self) -> int:
        return self.field.n_ranked

    @property
    def others(self) -> np.ndarray:
        """Published totals of the other provinces of the field year."""
        return self.field.totals[self.field.others(self.province_slug)]

    @property
    def n_others(self) -> int:
        return int(self.field.others(self.province_slug).sum())

    @property
    def base_total(self) -> float:
        """The starting year's total recomputed from its sub-index scores with the field year's weights."""
        return float(total_score(self.base, self.spec))

    @property
    def base_total_shown(self) -> float:
        return round_total(self.base_total)

    def params(self) -> dict[str, str]:
        """The setting as request parameters (for links, hidden fields and chart URLs)."""
        return {"ke_hoach": str(self.plan.pk) if self.plan else "", "tinh": self.province_slug,
                "nam_goc": str(self.base_year), "nam_xep_hang": str(self.field_year)}

    def plan_score(self, code: str) -> float | None:
        return self.targets.subindex.get(code) if self.targets else None

    def default_scores(self) -> dict[str, float]:
        """The plan's sub-index targets, the starting year's score where the plan sets none."""
        return {c: (self.plan_score(c) if self.plan_score(c) is not None else float(b))
                for c, b in zip(self.codes, self.base, strict=True)}


def _int_param(params: Mapping, name: str, label: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise DomainError(f"{label} phải là một năm, ví dụ 2019; đã nhập “{raw}”.", field=name)


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in years) if years else "chưa có năm nào"


def resolve(scope: Scope, params: Mapping, *, plan: Plan | None, plan_given: bool) -> Setup:
    """The page's setting from request parameters.

    ``plan`` is the plan the request named (already fetched through the access rule) and ``plan_given``
    whether it named one at all (an empty ``ke_hoach`` means "no plan"); without it the default plan of
    :func:`selectors.default_plan` is used.
    """
    notes: list[str] = []
    plans = selectors.visible_plans(scope)
    if not plan_given:
        plan = selectors.default_plan(plans, scope)
    provinces = selectors.provinces_with_results()
    names = dict(provinces)
    slug = (params.get("tinh") or "").strip()
    if slug and slug not in names:
        raise DomainError(f"Danh mục chưa có kết quả PCI của tỉnh “{slug}”.", field="tinh")
    if plan is not None and slug and slug != plan.province.slug:
        notes.append(f"Kế hoạch {plan.reference} là của tỉnh {plan.province.name}: mục tiêu của kế hoạch không "
                     f"áp dụng cho {names[slug]}.")
        plan = None
    if not slug:
        home = scope.home.province_slug if scope.home is not None else ""
        slug = next((s for s in (plan.province.slug if plan else "", home) if s in names), "")
        if not slug:
            if not provinces:
                raise DomainError("Danh mục chưa có kết quả PCI nào: hãy nạp danh mục trước.", field="tinh")
            slug = provinces[0][0]
    targets = selectors.plan_targets(plan) if plan is not None else None

    statuses = selectors.year_statuses()
    field_years = sorted(y for y, s in statuses.items() if s.full_field)
    if not field_years:
        raise DomainError("Danh mục chưa có năm nào có tổng điểm của mọi tỉnh: chưa xếp hạng được.",
                          field="nam_xep_hang")
    field_year = _int_param(params, "nam_xep_hang", "Năm xếp hạng")
    if field_year is None:
        wanted = plan.year if plan is not None else None
        if wanted in field_years:
            field_year = wanted
        else:
            earlier = [y for y in field_years if wanted is None or y <= wanted]
            field_year = (earlier or field_years)[-1]
            if wanted is not None:
                have = statuses.get(wanted)
                count = f" (có {have.n_totals}/{have.n_ranked or '?'} tỉnh)" if have else ""
                notes.append(f"Danh mục chưa có tổng điểm năm {wanted} của mọi tỉnh{count}: xếp hạng so với năm "
                             f"{field_year}, năm gần nhất có đủ.")
    elif field_year not in field_years:
        have = statuses.get(field_year)
        count = f" (có {have.n_totals}/{have.n_ranked or '?'} tỉnh)" if have else ""
        raise DomainError(f"Danh mục chưa có tổng điểm năm {field_year} của mọi tỉnh{count}. Các năm xếp hạng được: "
                          f"{_years_text(field_years)}.", field="nam_xep_hang")
    status: YearStatus = statuses[field_year]
    spec = selectors.edition_spec(status.edition_id)

    points = selectors.history(slug)
    usable = {p.year: p for p in points
              if not p.before_edition and all(c in p.scores for c in spec.codes)}
    base_years = sorted(usable)
    if not base_years:
        raise DomainError(f"Danh mục chưa có năm nào có đủ {len(spec.codes)} điểm chỉ số thành phần của "
                          f"{names[slug]}.", field="nam_goc")
    base_year = _int_param(params, "nam_goc", "Năm gốc")
    if base_year is None:
        wanted = targets.baseline_year if targets else None
        if wanted in usable:
            base_year = wanted
        else:
            earlier = [y for y in base_years if y < field_year]
            base_year = (earlier or base_years)[-1]
    elif base_year not in usable:
        raise DomainError(f"Danh mục chưa có đủ điểm chỉ số thành phần năm {base_year} của {names[slug]}. "
                          f"Các năm có đủ: {_years_text(base_years)}.", field="nam_goc")
    base_point = usable[base_year]
    base = np.array([base_point.scores[c] for c in spec.codes], dtype=np.float64)
    if base_point.edition_code != spec.code:
        notes.append(f"Điểm năm {base_year} theo phương pháp {base_point.edition_code}; tổng điểm được tính với "
                     f"trọng số của phương pháp {spec.code} (năm {field_year}).")

    fld = selectors.field_from_catalog(status, spec)
    actual = next((p for p in points if p.year == field_year and p.total is not None), None)

    complete = [y for y, s in statuses.items() if s.full_scores]
    reference = None
    if complete:
        ref_year = max(complete)
        reference = (fld if ref_year == field_year
                     else selectors.field_from_catalog(statuses[ref_year], spec))
        best = np.nanmax(reference.subscores, axis=0)
        caps = np.minimum(np.where(np.isnan(best), spec.scale_max, best), spec.scale_max)
        caps_note = (f"điểm cao nhất tỉnh bất kỳ đạt được năm {ref_year} (năm gần nhất có điểm chỉ số thành phần "
                     f"của mọi tỉnh), không quá {format_number(spec.scale_max, strip=True)}")
    else:
        caps = np.full(len(spec.codes), spec.scale_max)
        caps_note = (f"chưa có năm nào có điểm chỉ số thành phần của mọi tỉnh: mức trần là "
                     f"{format_number(spec.scale_max, strip=True)}")
    return Setup(
        plans=plans, plan=plan, targets=targets, provinces=provinces, province_slug=slug, province_name=names[slug],
        history=points, base_years=base_years, field_years=field_years, base_year=base_year, field_year=field_year,
        spec=spec, field=fld, base=base, base_point=base_point, actual=actual, reference=reference, caps=caps,
        caps_note=caps_note, notes=notes,
    )
