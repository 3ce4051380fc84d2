"""The simulator's arithmetic, through :mod:`pciplan.engine` (no database here).

* :func:`what_if` — scores → total, rank and group against the field year, and the change from the
  starting year;
* :func:`solve` — the smallest sub-index increases from the starting year that reach a rank or a group
  (:func:`pciplan.engine.solver.minimum_increase`), or why none does;
* :func:`marginal` — PCI points per +0,1 of each sub-index and per +1 percentage point of each
  indicator (:func:`pciplan.engine.whatif.marginal_table`);
* :func:`survey_effects` — a plan's indicator targets and their survey estimates carried through the
  engine's rescaling bounds to the sub-index and the total, labelled as estimates;
* :func:`data_basis` — what every figure on the page rests on, real or synthetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from pciplan.engine.errors import DataNotFound, EngineError
from pciplan.engine.proportions import z_value
from pciplan.engine.scoring import assign_group, competition_rank, rank_key, rescale, round_total, total_score
from pciplan.engine.solver import minimum_increase
from pciplan.engine.whatif import field_rank_threshold, indicator_model, marginal_table
from pciplan.lib.numbers import format_number, format_signed

from .setup import Setup


def _n(value, decimals: int = 2) -> str:
    return format_number(value, decimals)


# ---------------------------------------------------------------------------------------------- what-if
@dataclass(frozen=True)
class Row:
    code: str
    number: int
    name: str
    weight_percent: float
    base: float
    plan: float | None
    value: float
    cap: float
    multiplier: float

    @property
    def change(self) -> float:
        return self.value - self.base

    @property
    def points(self) -> float:
        """PCI points this change adds to the total."""
        return self.multiplier * self.weight_percent / 100.0 * self.change

    @property
    def plan_change(self) -> float | None:
        return None if self.plan is None else self.plan - self.base


@dataclass(frozen=True)
class Outcome:
    rows: list[Row]
    total_before: float
    total_after: float
    rank_before: int
    rank_after: int
    group_before: str | None
    group_after: str | None
    n_ranked: int
    base_year: int
    field_year: int
    has_groups: bool
    published_before: float | None

    @property
    def shown_after(self) -> float:
        """The total as shown and ranked: hundredths, rounded half up."""
        return round_total(self.total_after)

    @property
    def shown_before(self) -> float:
        return round_total(self.total_before)

    @property
    def total_change(self) -> float:
        return self.shown_after - self.shown_before

    @property
    def rank_gain(self) -> int:
        """Places gained (positive: a better rank)."""
        return self.rank_before - self.rank_after

    @property
    def rank_drop(self) -> int:
        return self.rank_after - self.rank_before

    @property
    def scores(self) -> dict[str, float]:
        return {r.code: r.value for r in self.rows}


def rank_against(setup: Setup, total: float) -> int:
    """Competition rank of ``total`` among the other provinces' published totals of the field year."""
    return int(competition_rank(np.append(setup.others, total))[-1])


def what_if(setup: Setup, scores: dict[str, float]) -> Outcome:
    spec = setup.spec
    after = np.array([float(scores[c]) for c in spec.codes], dtype=np.float64)
    t_before, t_after = float(total_score(setup.base, spec)), float(total_score(after, spec))
    groups = assign_group([t_before, t_after], list(setup.field.cutoffs))
    rows = [Row(code=s.code, number=s.number, name=s.name_vi, weight_percent=s.weight_percent, base=float(b),
                plan=setup.plan_score(s.code), value=float(a), cap=float(c), multiplier=spec.total_multiplier)
            for s, b, a, c in zip(spec.subindices, setup.base, after, setup.caps, strict=True)]
    return Outcome(rows=rows, total_before=t_before, total_after=t_after, rank_before=rank_against(setup, t_before),
                   rank_after=rank_against(setup, t_after), group_before=groups[0], group_after=groups[1],
                   n_ranked=setup.n_ranked, base_year=setup.base_year, field_year=setup.field_year,
                   has_groups=bool(setup.field.cutoffs), published_before=setup.base_point.total)


@dataclass(frozen=True)
class TargetCheck:
    """The plan's rank or group target against the simulated result."""

    label: str
    target: str
    status: str  # met / not_met / unknown
    text: str

    @property
    def tone(self) -> str:
        return {"met": "ok", "not_met": "bad"}.get(self.status, "muted")

    @property
    def word(self) -> str:
        return {"met": "Đạt", "not_met": "Chưa đạt"}.get(self.status, "Chưa xác định được")


def target_checks(setup: Setup, outcome: Outcome) -> list[TargetCheck]:
    t = setup.targets
    if t is None:
        return []
    out = []
    if t.rank is not None:
        ok = outcome.rank_after <= t.rank
        out.append(TargetCheck("Thứ hạng", f"thứ {t.rank}/{t.rank_of or setup.n_ranked} trở lên",
                               "met" if ok else "not_met",
                               f"mô phỏng: hạng {outcome.rank_after}/{outcome.n_ranked} năm {setup.field_year}"))
    if t.group:
        if not outcome.has_groups:
            out.append(TargetCheck("Nhóm xếp hạng", f"nhóm {t.group} trở lên", "unknown",
                                   f"chưa có ngưỡng nhóm xếp hạng năm {setup.field_year}"))
        else:
            order = [g for g, _ in setup.field.cutoffs]
            ok = (outcome.group_after in order and t.group in order
                  and order.index(outcome.group_after) <= order.index(t.group))
            out.append(TargetCheck("Nhóm xếp hạng", f"nhóm {t.group} trở lên", "met" if ok else "not_met",
                                   f"mô phỏng: nhóm {outcome.group_after} năm {setup.field_year}"))
    return out


# ----------------------------------------------------------------------------------------------- solver
@dataclass(frozen=True)
class AnswerRow:
    row: Row
    increase: float
    after: float
    cap: float
    difficulty: float

    @property
    def points(self) -> float:
        return self.row.multiplier * self.row.weight_percent / 100.0 * self.increase


@dataclass(frozen=True)
class Answer:
    kind: str  # rank / group
    goal: str
    status: str  # optimal / already_met / infeasible / unavailable
    message: str
    required: float | None = None  # the rounded total that reaches the goal
    total_after: float | None = None
    rank_after: int | None = None
    rows: list[AnswerRow] = field(default_factory=list)
    weighted: bool = False
    caps_note: str = ""

    @property
    def shown_after(self) -> float | None:
        return None if self.total_after is None else round_total(self.total_after)

    @property
    def reached(self) -> bool:
        return self.status in ("optimal", "already_met")

    @property
    def scores_after(self) -> dict[str, float]:
        return {r.row.code: r.after for r in self.rows}

    @property
    def increased(self) -> list[AnswerRow]:
        return [r for r in self.rows if r.increase > 1e-9]

    @property
    def total_increase(self) -> float:
        return sum(r.increase for r in self.rows)


def _threshold_text(required_key: int) -> str:
    return _n(required_key / 100)


def solve(setup: Setup, *, rank: int | None = None, group: str | None = None,
          difficulty: dict[str, float] | None = None, caps: dict[str, float] | None = None) -> Answer:
    """Smallest increases from the starting year's scores that reach ``rank`` or ``group`` (one of them)."""
    spec = setup.spec
    year = setup.field_year
    if rank is not None:
        kind, goal = "rank", f"hạng {rank}/{setup.n_ranked} năm {year}"
        required = field_rank_threshold(setup.field, setup.province_slug, rank, spec)
    else:
        kind, goal = "group", f"nhóm “{group}” năm {year}"
        cut = dict(setup.field.cutoffs)
        if not cut:
            return Answer(kind, goal, "unavailable",
                          f"Chưa có ngưỡng nhóm xếp hạng năm {year} (VCCI đặt ngưỡng từng năm và không công bố quy "
                          "tắc): không tính được cần tăng bao nhiêu để vào một nhóm. Hãy đặt mục tiêu theo thứ hạng.")
        if group not in cut:
            return Answer(kind, goal, "unavailable", f"Năm {year} không có nhóm “{group}”.")
        minimum = cut[group]
        required = None if minimum is None else float((rank_key(minimum) - 0.5) / 100.0)
    cap = setup.caps.copy()
    caps_note = "mức trần: " + setup.caps_note
    if caps:
        for c, v in caps.items():
            cap[spec.codes.index(c)] = v
        names = ", ".join(spec.subindex(c).name_vi for c in caps)
        caps_note = f"mức trần do người dùng đặt cho {names}" + (
            f"; các chỉ số khác: {setup.caps_note}" if len(caps) < len(spec.codes) else "")
    cap = np.minimum(cap, spec.scale_max)
    cost = np.array([float((difficulty or {}).get(c, 1.0)) for c in spec.codes])
    base = setup.base
    t_before = float(total_score(base, spec))
    base_text = f"điểm năm {setup.base_year} ({_n(round_total(t_before))}, hạng {rank_against(setup, t_before)}/{setup.n_ranked})"
    if required is None:
        status, increases, max_total = "already_met", np.zeros_like(base), float(total_score(np.maximum(cap, base), spec))
    else:
        alloc = minimum_increase(base, spec.weights, cap, required, multiplier=spec.total_multiplier,
                                 difficulty=cost, step=0.01)
        status, increases, max_total = alloc.status, alloc.increases, alloc.max_total
    after = base + increases
    t_after = float(total_score(after, spec))
    r_after = rank_against(setup, t_after)
    rows = [AnswerRow(Row(code=s.code, number=s.number, name=s.name_vi, weight_percent=s.weight_percent,
                          base=float(b), plan=setup.plan_score(s.code), value=float(a), cap=float(max(c, b)),
                          multiplier=spec.total_multiplier),
                      increase=float(x), after=float(a), cap=float(max(c, b)), difficulty=float(k))
            for s, b, x, a, c, k in zip(spec.subindices, base, increases, after, cap, cost, strict=True)]
    weighted = bool(difficulty) and any(v != 1 for v in difficulty.values())
    need_key = None if required is None else int(rank_key(required + 1e-9))
    threshold = "" if need_key is None else _threshold_text(need_key)
    if status == "already_met":
        message = (f"Điểm năm {setup.base_year} ({_n(round_total(t_before))}, hạng "
                   f"{rank_against(setup, t_before)}/{setup.n_ranked}) đã đủ đạt {goal}"
                   + (f" — ngưỡng là tổng điểm {threshold} (làm tròn 2 chữ số)" if threshold else "")
                   + ". Không cần tăng.")
    elif status == "infeasible":
        message = (f"Không thể đạt {goal}: cần tổng điểm từ {threshold} trở lên, nhưng kể cả khi mọi chỉ số thành "
                   f"phần lên tới mức trần, tổng điểm cao nhất chỉ là {_n(round_total(max_total))}.")
    else:
        parts = [f"{r.row.name} {format_signed(r.increase)} ({_n(r.row.base)} → {_n(r.after)})"
                 for r in rows if r.increase > 1e-9]
        how = "ít tốn công nhất theo hệ số độ khó đã đặt" if weighted else "tăng ít điểm nhất"
        message = (f"Để đạt {goal} cần tổng điểm từ {threshold} trở lên (làm tròn 2 chữ số), tức thêm "
                   f"{_n(need_key / 100 - round_total(t_before))} điểm so với {base_text}. Cách {how}: "
                   + "; ".join(parts) + f". Khi đó tổng điểm {_n(round_total(t_after))}, hạng {r_after}/{setup.n_ranked}.")
    return Answer(kind, goal, status, message, required=None if need_key is None else need_key / 100,
                  total_after=t_after, rank_after=r_after, rows=rows, weighted=weighted, caps_note=caps_note)


# --------------------------------------------------------------------------------------------- marginal
@dataclass(frozen=True)
class Marginal:
    subindices: list[dict]
    indicators: list[dict]
    bounds_year: int | None
    province_clamped: bool
    note: str

    @property
    def plan_indicators(self) -> list[dict]:
        return [d for d in self.indicators if d["in_plan"]]


def marginal(setup: Setup, plan_codes: set[str] | None = None) -> Marginal:
    """The marginal table for the field year's edition; indicators of the plan first."""
    plan_codes = plan_codes or set()
    clamped = True
    try:
        table = marginal_table(setup.spec, province=setup.province_slug)
    except (DataNotFound, EngineError):
        clamped = False
        try:
            table = marginal_table(setup.spec)
        except EngineError:
            table = marginal_table(setup.spec, include_indicators=False)
    try:
        bounds_year = indicator_model().year
    except EngineError:
        bounds_year = None
    names = {s.code: s.name_vi for s in setup.spec.subindices}
    subs = [{"code": r.code, "name": r.label, "unit": r.unit, "points": float(r.pci_points),
             "per_point": 0.1 / float(r.pci_points) if r.pci_points > 0 else None}
            for r in table[table.kind == "subindex"].itertuples()]
    inds = [{"code": r.code, "label": r.label, "subindex": names.get(r.subindex_code, r.subindex_code),
             "unit": r.unit, "points": float(r.pci_points), "in_plan": r.code in plan_codes}
            for r in table[table.kind == "indicator"].itertuples()]
    inds.sort(key=lambda d: (not d["in_plan"], -d["points"]))
    note = ""
    if bounds_year:
        note = (f"Chỉ tiêu quy đổi qua cận chuẩn hóa năm {bounds_year} (pciplan hiệu chỉnh từ điểm công bố; VCCI "
                "không công bố cận), với trọng số chỉ tiêu trong chỉ số thành phần.")
        if clamped:
            note += (f" Chỉ tiêu mà {setup.province_name} đã ở mức tốt nhất của cận (năm {bounds_year}) không được "
                     "thêm điểm.")
    return Marginal(subs, inds, bounds_year, clamped, note)


# ------------------------------------------------------------------------------------- survey estimates
@dataclass(frozen=True)
class Effect:
    """A plan's indicator target and its survey estimate, through the rescaling bounds."""

    target: object
    label: str
    subindex_code: str
    subindex_name: str
    unit: str
    old_value: float | None
    old_year: int | None
    target_value: float | None
    target_sub: float | None
    target_pci: float | None
    estimate: object | None
    est_sub: tuple[float, float, float] | None  # value, low, high
    est_pci: tuple[float, float, float] | None
    probability: float | None  # P(true share beyond the target), only from real survey data
    problem: str = ""
    best_bound: float | None = None  # the value at which the indicator scores 10 (fixed benchmark)
    direction: int = 1

    @property
    def capped(self) -> bool:
        """The target or the estimate is beyond the benchmark: the part beyond adds nothing."""
        if self.best_bound is None:
            return False
        values = [v for v in (self.target_value, self.estimate.value if self.estimate else None) if v is not None]
        return any((v >= self.best_bound) if self.direction > 0 else (v <= self.best_bound) for v in values)

    @property
    def probability_percent(self) -> float | None:
        return None if self.probability is None else 100.0 * self.probability

    @property
    def synthetic(self) -> bool:
        return bool(self.estimate is not None and self.estimate.is_synthetic)


def _probability_beyond(estimate, target: float, comparator: str) -> float | None:
    """P(the true share is beyond the target), normal approximation with the interval's width."""
    if estimate is None or estimate.value is None or estimate.low is None or estimate.high is None:
        return None
    se = (estimate.high - estimate.low) / (2 * z_value(estimate.confidence))
    if se <= 0:
        return None
    z = (estimate.value - target) / se
    p_above = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    return p_above if comparator in (">", ">=") else 1 - p_above


def survey_effects(setup: Setup, estimates: dict) -> list[Effect]:
    """One :class:`Effect` per indicator target of the plan (``estimates``: ``{target_id: Estimate}``)."""
    if setup.targets is None or not setup.targets.indicators:
        return []
    try:
        model = indicator_model()
        table = model.table.set_index("code")
    except EngineError:
        model, table = None, None
    spec = setup.spec
    out = []
    for t in setup.targets.indicators:
        est = estimates.get(t.pk)
        target_value = float(t.value) if t.value is not None else None
        unit = "%" if t.unit == "%" else (t.unit or "")
        sub_code = t.subindex.code if t.subindex_id else ""
        common = {"target": t, "label": t.label, "unit": unit, "target_value": target_value, "estimate": est}
        if table is None or t.indicator_code not in table.index:
            out.append(Effect(subindex_code=sub_code, subindex_name=t.subindex.name if t.subindex_id else "",
                              old_value=None, old_year=None, target_sub=None, target_pci=None, est_sub=None,
                              est_pci=None, probability=None,
                              problem="Chưa có cận chuẩn hóa của chỉ tiêu này: không quy đổi được.", **common))
            continue
        row = table.loc[t.indicator_code]
        sub_code = str(row.subindex_code)
        sub = spec.find(sub_code)
        w_sub = (sub.weight_percent / 100.0) if sub else 0.0
        old = None
        if setup.province_slug in model.values.index and t.indicator_code in model.values.columns:
            value = model.values.loc[setup.province_slug, t.indicator_code]
            old = None if value is None or np.isnan(value) else float(value)
        direction = int(row.direction)
        common.update(subindex_code=sub_code, subindex_name=sub.name_vi if sub else sub_code,
                      old_value=old, old_year=model.year, direction=direction,
                      best_bound=float(row.upper_bound if direction > 0 else row.lower_bound))
        if old is None:
            out.append(Effect(target_sub=None, target_pci=None, est_sub=None, est_pci=None, probability=None,
                              problem=f"Chưa có giá trị năm {model.year} của {setup.province_name}: không quy đổi "
                                      "được.", **common))
            continue

        def delta(x, row=row, old=old):
            r_old, r_new = rescale([old, float(x)], row.lower_bound, row.upper_bound, int(row.direction))
            return float(row.weight) * float(r_new - r_old)

        t_sub = delta(target_value) if target_value is not None else None
        e_sub = e_pci = None
        if est is not None and est.value is not None:
            e_sub = tuple(delta(x) for x in (est.value, est.low, est.high))
            e_pci = tuple(spec.total_multiplier * w_sub * d for d in e_sub)
        probability = None
        if est is not None and not est.is_synthetic and target_value is not None:
            probability = _probability_beyond(est, target_value, t.comparator)
        out.append(Effect(target_sub=t_sub, target_pci=None if t_sub is None else spec.total_multiplier * w_sub * t_sub,
                          est_sub=e_sub, est_pci=e_pci, probability=probability, **common))
    return out


def estimated_scores(setup: Setup, effects: list[Effect]) -> dict[str, float]:
    """Sub-index scores of the starting year moved by the survey estimates (point values), for "apply"."""
    moved: dict[str, float] = {}
    for e in effects:
        if e.est_sub is not None:
            moved[e.subindex_code] = moved.get(e.subindex_code, 0.0) + e.est_sub[0]
    out = {}
    for code, delta in moved.items():
        if code in setup.codes:
            base = float(setup.base[setup.codes.index(code)])
            out[code] = float(np.clip(round(base + delta, 2), setup.spec.scale_min, setup.spec.scale_max))
    return out


# ----------------------------------------------------------------------------------------- data basis
@dataclass(frozen=True)
class Basis:
    what: str
    text: str
    kind: str  # real / estimate / synthetic / missing

    @property
    def tone(self) -> str:
        return {"real": "ok", "estimate": "info", "synthetic": "warn", "missing": "muted"}[self.kind]

    @property
    def word(self) -> str:
        return {"real": "Số liệu công bố", "estimate": "Ước lượng", "synthetic": "Dữ liệu mô phỏng",
                "missing": "Chưa có dữ liệu"}[self.kind]


def data_basis(setup: Setup, effects: list[Effect], marg: Marginal) -> list[Basis]:
    out = [Basis("Điểm năm gốc",
                 f"{setup.province_name} năm {setup.base_year}: 10 điểm chỉ số thành phần VCCI công bố.", "real"),
           Basis("Xếp hạng",
                 f"Tổng điểm công bố của {setup.n_others} tỉnh khác năm {setup.field_year}."
                 + (f" {setup.field.note}" if setup.field.note else ""), "real")]
    if setup.reference is not None:
        out.append(Basis("Trung vị, tỉnh dẫn đầu, mức trần",
                         f"Điểm chỉ số thành phần của mọi tỉnh năm {setup.reference.year} (năm gần nhất có đủ).",
                         "real"))
    if marg.bounds_year:
        out.append(Basis("Ảnh hưởng của chỉ tiêu", marg.note, "estimate"))
    ests = [e.estimate for e in effects if e.estimate is not None and e.estimate.value is not None]
    if not effects:
        pass
    elif not ests:
        out.append(Basis("Khảo sát doanh nghiệp", "Chưa có ước lượng khảo sát cho các chỉ tiêu của kế hoạch.",
                         "missing"))
    elif all(e.is_synthetic for e in ests):
        out.append(Basis("Khảo sát doanh nghiệp",
                         "Chưa có dữ liệu khảo sát thật: các ước lượng khảo sát trên trang này là DỮ LIỆU MÔ PHỎNG "
                         "(bản demo), chỉ để minh họa cách tính.", "synthetic"))
    else:
        real = [e for e in ests if not e.is_synthetic]
        out.append(Basis("Khảo sát doanh nghiệp", "Ước lượng từ khảo sát thật: " + "; ".join(
            sorted({e.source for e in real})) + ".", "estimate"))
    has_probability = any(e.probability is not None for e in effects)
    if has_probability:
        out.append(Basis("Xác suất", "Xác suất tỷ lệ thật vượt mục tiêu chỉ tính từ khảo sát thật (xấp xỉ chuẩn theo "
                         "khoảng tin cậy Wilson của ước lượng).", "estimate"))
    else:
        out.append(Basis("Xác suất đạt mục tiêu",
                         "Không hiển thị: chưa có dữ liệu khảo sát thật làm căn cứ. Thứ hạng mô phỏng là kết quả "
                         "tính toán từ số liệu công bố, không phải dự báo.", "missing"))
    return out
