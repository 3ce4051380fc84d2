"""Target solver: the cheapest set of sub-index increases that reaches a target rank or group.

Minimise ``Σ cᵢ·xᵢ`` (``cᵢ`` a difficulty weight, 1 by default) over increases ``xᵢ ≥ 0`` with
``sᵢ + xᵢ ≤ capᵢ`` such that ``multiplier × Σ wᵢ·(sᵢ + xᵢ)`` reaches the total the target needs.
Increases move in steps of 0,01 (the precision scores are published at) and the problem is solved
exactly as an integer programme with :func:`scipy.optimize.milp`; ``step=None`` solves the continuous
problem with :func:`scipy.optimize.linprog`.

The total a rank needs: with competition ranking on totals rounded to 0,01, rank ``r`` is reached when
the rounded total is at least the ``r``-th best rounded total of the other provinces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from pciplan.lib.numbers import format_number

from .data import SUBINDEX_CODES, load_results
from .editions import EditionSpec
from .errors import DataNotFound, InputError
from .scoring import assign_group, competition_rank, rank_key, round_total, total_score
from .whatif import _field_totals, base_scores, field_rank_threshold, load_field, resolve_province

__all__ = ["Allocation", "SolveResult", "SolveSpec", "default_caps", "minimum_increase", "solve_target"]

_MARGIN = 1e-9
_SCALE = 1e6


@dataclass(frozen=True)
class Allocation:
    """Solution of :func:`minimum_increase`: ``status`` is ``optimal``, ``already_met`` or ``infeasible``."""

    status: str
    increases: np.ndarray
    cost: float
    total: float
    max_total: float


def minimum_increase(base, weights, caps, required_total: float, *, multiplier: float = 10.0,
                     difficulty=None, step: float | None = 0.01) -> Allocation:
    """Cheapest increases of ``base`` scores so that ``multiplier × Σ wᵢ·(sᵢ + xᵢ) ≥ required_total``.

    Parameters
    ----------
    base, weights, caps : array_like
        Current scores, weights (fractions), highest reachable scores.
    required_total : float
    difficulty : array_like, optional
        Cost per point of each sub-index (default 1).
    step : float or None
        Increases are multiples of ``step`` (exact integer programme); ``None`` for continuous.

    Examples
    --------
    >>> a = minimum_increase([5, 5], [0.6, 0.4], [10, 10], 51.0, step=0.1)
    >>> a.status, a.increases.round(2).tolist(), round(a.cost, 2)
    ('optimal', [0.2, 0.0], 0.2)
    >>> minimum_increase([5, 5], [0.5, 0.5], [6, 6], 70.0).status
    'infeasible'
    """
    s = np.asarray(base, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    cap = np.maximum(np.asarray(caps, dtype=np.float64), s)
    c = np.ones_like(s) if difficulty is None else np.asarray(difficulty, dtype=np.float64)
    if np.any(c <= 0):
        raise InputError("Hệ số độ khó phải lớn hơn 0.")
    current = float(multiplier * s @ w)
    max_total = float(multiplier * cap @ w)
    need = required_total - current
    if need <= _MARGIN:
        return Allocation("already_met", np.zeros_like(s), 0.0, current, max_total)
    if max_total < required_total - _MARGIN:
        return Allocation("infeasible", np.zeros_like(s), float("nan"), current, max_total)
    gain = multiplier * w
    if step:
        # The constraint row is scaled to millionths of a point, so that the solver's feasibility tolerance
        # (about 1e-6 on the row) means 1e-12 points: reaching the required total exactly counts, and no
        # total slips below it.
        units = np.floor((cap - s) / step + 1e-9)
        res = milp(c=c * step, constraints=LinearConstraint((gain * step * _SCALE)[None, :],
                                                            lb=(need - _MARGIN) * _SCALE, ub=np.inf),
                   integrality=np.ones_like(s), bounds=Bounds(np.zeros_like(s), units))
        if res.status != 0 or res.x is None:
            return Allocation("infeasible", np.zeros_like(s), float("nan"), current, max_total)
        x = np.round(res.x) * step
    else:
        res = linprog(c, A_ub=-gain[None, :] * _SCALE, b_ub=[-(need - _MARGIN) * _SCALE], bounds=list(zip(np.zeros_like(s), cap - s,
                                                                                         strict=True)),
                      method="highs")
        if res.status != 0:
            return Allocation("infeasible", np.zeros_like(s), float("nan"), current, max_total)
        x = res.x
    return Allocation("optimal", x, float(c @ x), float(multiplier * (s + x) @ w), max_total)


def default_caps(edition: EditionSpec, year: int | None = None) -> tuple[np.ndarray, int]:
    """Best score any province reached per sub-index in the latest year with every province's sub-index
    scores (or ``year``), never above the scale maximum. Returns ``(caps, year)``.

    Examples
    --------
    >>> from pciplan.engine.editions import load_edition
    >>> caps, y = default_caps(load_edition("pci-2013"))
    >>> y, round(float(caps[0]), 2)
    (2016, 9.28)
    """
    caps, year = _default_caps(edition, year)
    return caps.copy(), year


@lru_cache(maxsize=16)
def _default_caps(edition: EditionSpec, year: int | None) -> tuple[np.ndarray, int]:
    res = load_results()
    codes = [c for c in edition.codes if c in res.columns]
    if len(codes) != len(edition.codes):
        raise DataNotFound("Dữ liệu kèm theo không có điểm chỉ số thành phần của phiên bản này để tính mức trần.")
    if year is None:
        complete = res.dropna(subset=codes).groupby("year").size()
        full_years = [y for y, n in complete.items() if n >= 30]
        if not full_years:
            raise DataNotFound("Chưa có năm nào có điểm chỉ số thành phần của mọi tỉnh để tính mức trần.")
        year = int(max(full_years))
    best = res[res.year == year][codes].max().to_numpy(dtype=np.float64)
    return np.minimum(best, edition.scale_max), int(year)


@dataclass(frozen=True)
class SolveSpec:
    """Everything a solution was computed from."""

    province: str
    base_year: int
    field_year: int
    edition: str
    weights_percent: tuple[float, ...]
    target_rank: int | None
    target_group: str | None
    difficulty: tuple[float, ...]
    caps: tuple[float, ...]
    caps_note: str
    step: float | None


@dataclass(frozen=True)
class SolveResult:
    """Result of :func:`solve_target`.

    ``status``: ``optimal`` (``increases`` reach the target at least cost), ``already_met`` or
    ``infeasible`` (``message`` says why, in Vietnamese).
    """

    spec: SolveSpec
    edition: EditionSpec
    status: str
    message: str
    required_total: float | None
    total_before: float
    total_after: float
    rank_before: int
    rank_after: int
    group_after: str | None
    cost: float
    increases: Mapping[str, float]
    scores_after: Mapping[str, float]
    notes: tuple[str, ...] = ()
    table: pd.DataFrame = field(default=None, compare=False)

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {
            "province": self.spec.province, "base_year": self.spec.base_year, "field_year": self.spec.field_year,
            "edition": self.spec.edition, "target_rank": self.spec.target_rank,
            "target_group": self.spec.target_group, "status": self.status, "message": self.message,
            "required_total": None if self.required_total is None else round(self.required_total, 4),
            "total_before": round_total(self.total_before), "total_after": round_total(self.total_after),
            "rank_before": self.rank_before, "rank_after": self.rank_after, "group_after": self.group_after,
            "cost": None if np.isnan(self.cost) else round(self.cost, 4),
            "increases": {k: round(v, 4) for k, v in self.increases.items()},
            "scores_after": {k: round(v, 4) for k, v in self.scores_after.items()},
            "caps": dict(zip(SUBINDEX_CODES if len(self.spec.caps) == 10 else range(len(self.spec.caps)),
                             self.spec.caps, strict=True)),
            "caps_note": self.spec.caps_note, "notes": list(self.notes),
        }


def _vector(values: Mapping[str, float] | None, edition: EditionSpec, default: np.ndarray, what: str) -> np.ndarray:
    out = default.astype(np.float64).copy()
    for text, value in (values or {}).items():
        sub = edition.find(str(text))
        if sub is None:
            raise InputError(f"{what}: không có chỉ số thành phần “{text}” trong phiên bản {edition.code}.")
        out[edition.codes.index(sub.code)] = float(value)
    return out


def solve_target(province: str, *, target_rank: int | None = None, target_group: str | None = None,
                 base_year: int = 2019, field_year: int | None = 2020, edition: EditionSpec | None = None,
                 difficulty: Mapping[str, float] | None = None, caps: Mapping[str, float] | None = None,
                 step: float | None = 0.01, base: Mapping[str, float] | None = None) -> SolveResult:
    """Smallest (difficulty-weighted) sub-index increases for a province to reach a rank or group.

    Parameters
    ----------
    province : str
        Name or slug.
    target_rank : int, optional
        Rank to reach (1 = best) against the other provinces of ``field_year``.
    target_group : str, optional
        Performance group to reach ("Khá" …); needs the field year's cut-offs.
    base_year, field_year : int
        Starting scores and the year ranked against (default: Bắc Giang's situation, 2019 vs 2020).
    difficulty : mapping, optional
        Sub-index → cost per point (default 1 for all).
    caps : mapping, optional
        Sub-index → highest reachable score (default :func:`default_caps`).
    step : float or None
        Increase granularity (0,01).

    Examples
    --------
    >>> r = solve_target("Bắc Giang", target_rank=10)
    >>> r.status, r.rank_before, r.rank_after, r.required_total
    ('optimal', 23, 10, 66.735)
    >>> round(sum(r.increases.values()), 2)  # 1,13 points on 20% sub-indices: 64,475 + 2,26 = 66,735
    1.13
    >>> solve_target("Bắc Giang", target_rank=1, caps={c: 7 for c in SUBINDEX_CODES}).status
    'infeasible'
    """
    if (target_rank is None) == (target_group is None):
        raise InputError("Chọn đúng một mục tiêu: thứ hạng hoặc nhóm xếp hạng.")
    field_year = base_year if field_year is None else int(field_year)
    slug = resolve_province(province)
    fld = load_field(field_year)
    edition = edition or fld.edition
    if base is not None:
        s = np.array([float(base[c]) for c in edition.codes], dtype=np.float64)
    else:
        s, _, _ = base_scores(slug, base_year, edition)
    notes = [fld.note] if fld.note else []
    if target_rank is not None:
        try:
            target_rank = int(target_rank)
        except (TypeError, ValueError):
            raise InputError(f"Thứ hạng mục tiêu phải là số nguyên; nhận được “{target_rank}”.")
        required = field_rank_threshold(fld, slug, target_rank, edition)
        goal = f"hạng {target_rank}/{fld.n_ranked} năm {field_year}"
    else:
        groups = [g for g, _ in fld.cutoffs]
        if not fld.cutoffs:
            raise InputError(f"Chưa có ngưỡng nhóm xếp hạng năm {field_year}: không thể đặt mục tiêu theo nhóm.")
        match = [(g, m) for g, m in fld.cutoffs if g.casefold() == str(target_group).strip().casefold()]
        if not match:
            raise InputError(f"Không có nhóm “{target_group}”. Các nhóm: {', '.join(groups)}.")
        g, minimum = match[0]
        required = None if minimum is None else float((rank_key(minimum) - 0.5) / 100.0)
        goal = f"nhóm “{g}” năm {field_year}"
    default, cap_year = default_caps(edition)
    caps_note = (f"mức trần mặc định: điểm cao nhất của tỉnh bất kỳ năm {cap_year} (năm gần nhất có điểm chỉ số "
                 "thành phần của mọi tỉnh), không quá 10")
    cap = _vector(caps, edition, default, "Mức trần")
    if caps:
        caps_note = "mức trần do người dùng đặt cho " + ", ".join(str(k) for k in caps) + "; còn lại " + caps_note
    cap = np.minimum(cap, edition.scale_max)
    cost = _vector(difficulty, edition, np.ones(len(s)), "Độ khó")
    if np.any(cost <= 0):
        raise InputError("Hệ số độ khó phải lớn hơn 0.")
    others, extra = _field_totals(fld, fld.others(slug), edition)
    notes += extra
    t_before = float(total_score(s, edition))
    rank_before = int(competition_rank(np.append(others, t_before))[-1])
    if required is None:
        alloc = Allocation("already_met", np.zeros_like(s), 0.0, t_before, float(total_score(np.maximum(cap, s), edition)))
    else:
        alloc = minimum_increase(s, edition.weights, cap, required, multiplier=edition.total_multiplier,
                                 difficulty=cost, step=step)
    after = s + alloc.increases
    t_after = float(total_score(after, edition))
    rank_after = int(competition_rank(np.append(others, t_after))[-1])
    group_after = assign_group([t_after], list(fld.cutoffs))[0]
    if alloc.status == "optimal":
        message = (f"Đạt {goal}: tổng điểm cần ≥ {format_number(required, 3)}, sau khi tăng là "
                   f"{format_number(round_total(t_after))} (hạng {rank_after}).")
    elif alloc.status == "already_met":
        message = f"Đã đạt {goal} với điểm hiện tại ({format_number(round_total(t_before))}, hạng {rank_before})."
    else:
        message = (f"Không thể đạt {goal}: kể cả khi mọi chỉ số thành phần lên tới mức trần, tổng điểm cao nhất là "
                   f"{format_number(alloc.max_total, 3)}, thấp hơn mức cần {format_number(required, 3)}.")
    table = pd.DataFrame({
        "code": list(edition.codes), "name_vi": [x.name_vi for x in edition.subindices],
        "weight_percent": [x.weight_percent for x in edition.subindices], "before": s, "cap": np.maximum(cap, s),
        "difficulty": cost, "increase": alloc.increases, "after": after,
        "points": edition.total_multiplier * edition.weights * alloc.increases,
    })
    spec = SolveSpec(province=slug, base_year=int(base_year), field_year=field_year, edition=edition.code,
                     weights_percent=tuple(x.weight_percent for x in edition.subindices),
                     target_rank=target_rank, target_group=target_group, difficulty=tuple(cost.tolist()),
                     caps=tuple(np.maximum(cap, s).tolist()), caps_note=caps_note, step=step)
    return SolveResult(
        spec=spec, edition=edition, status=alloc.status, message=message, required_total=required,
        total_before=t_before, total_after=t_after, rank_before=rank_before, rank_after=rank_after,
        group_after=group_after, cost=alloc.cost,
        increases=MappingProxyType(dict(zip(edition.codes, alloc.increases.tolist(), strict=True))),
        scores_after=MappingProxyType(dict(zip(edition.codes, after.tolist(), strict=True))),
        notes=tuple(notes), table=table,
    )
