"""The year-end evaluation rules, on plain values (no Django, no database).

Three steps, each a pure function:

1. :func:`evaluate_target` — compare the published value of one target with the target as written:
   met / not met / not measurable (nothing published), the margin (actual − target, in the target's
   unit) and the change on the baseline year.
2. :func:`evaluate_units` — apply the plan's accountability rules to every unit: the targets it answers
   for (its role toward each target, the rule's target kinds, specific targets and organisation), the
   ones it missed, and whether its head may still be rated "hoàn thành xuất sắc nhiệm vụ"
   (``True``), may not (``False``) or cannot be decided yet (``None``: a deciding value is not
   published).
3. :func:`to_cli_json` — the machine-readable summary printed by ``pciplan evaluate --json``.

Precision. Decisions are taken with :class:`~decimal.Decimal` on the value *as published* against the
target *as written*: VCCI publishes scores, totals and indicator values with two decimals, so a value
stored with more digits (the 2013–2016 workbooks carry full precision) is first rounded half-up to two
decimals, the figure a reader sees in VCCI's tables. Ranks are whole numbers. Survey estimates never
decide anything; they travel beside the published value for information only.

>>> from decimal import Decimal as D
>>> t = TargetSpec(key="si-informal_charges", label="Chi phí không chính thức", kind="subindex",
...                comparator=">=", value=D("6.5"), unit="điểm", subindex_code="informal_charges",
...                baseline_year=2019, baseline_value=D("6.06"), increase=D("0.44"))
>>> r = evaluate_target(t, Actual(value=6.47, year=2020, source="VCCI"))
>>> r.status, r.margin, r.margin_text
(<Status.NOT_MET: 'not_met'>, Decimal('-0.03'), '6,47 so với mục tiêu 6,50: thiếu 0,03')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold

#: VCCI publishes scores, totals and indicator values with two decimals.
PUBLISHED_DECIMALS = 2

KINDS = ("rank", "group", "total", "subindex", "indicator")
OVERALL_KINDS = ("rank", "group", "total")
COMPARATORS = (">=", ">", "<=", "<")

#: VCCI's performance groups, best first (the catalog's ``Group`` labels).
GROUPS = ("Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp")

#: The four grades of the annual review of civil servants (Nghị định 90/2020/NĐ-CP), best first —
#: the scale the accountability consequence speaks of.
GRADES = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)
EXCELLENT = GRADES[0]

ROLE_LABELS = {"lead": "Đầu mối", "owner": "Chủ trì", "support": "Phối hợp"}
ROLE_ORDER = {"lead": 0, "owner": 1, "support": 2}


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURABLE = "not_measurable"


STATUS_LABELS = {Status.MET: "Đạt", Status.NOT_MET: "Chưa đạt", Status.NOT_MEASURABLE: "Chưa có dữ liệu"}
STATUS_TONES = {Status.MET: "ok", Status.NOT_MET: "bad", Status.NOT_MEASURABLE: "muted"}


# ------------------------------------------------------------------------------------------ inputs
@dataclass(frozen=True)
class TargetSpec:
    """One target of the plan, as written (values are Decimals exactly as the plan states them)."""

    key: str
    label: str
    kind: str
    comparator: str
    value: Decimal | None = None
    value_text: str = ""
    unit: str = ""
    of: int | None = None
    subindex_code: str | None = None
    indicator_code: str | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    increase: Decimal | None = None
    section: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"loại mục tiêu không hợp lệ: {self.kind!r}")
        if self.comparator not in COMPARATORS:
            raise ValueError(f"phép so sánh không hợp lệ: {self.comparator!r}")
        if self.kind == "group":
            if group_index(self.value_text) is None:
                raise ValueError(f"nhóm xếp hạng không hợp lệ: {self.value_text!r}")
        elif self.value is None:
            raise ValueError(f"mục tiêu {self.key!r} chưa có giá trị")

    @property
    def is_overall(self) -> bool:
        return self.kind in OVERALL_KINDS

    @property
    def lower_is_better(self) -> bool:
        """Ranks (and any target written "từ … trở xuống", "dưới …") improve downwards."""
        return self.comparator in ("<=", "<")

    @property
    def target(self) -> Decimal | str:
        return self.value_text if self.kind == "group" else self.value


@dataclass(frozen=True)
class Actual:
    """A published value with its source. ``value`` is a number, a group label, or ``None``."""

    value: Decimal | float | int | str | None
    year: int | None = None
    source: str = ""
    of: int | None = None  # provinces ranked that year, for a rank


@dataclass(frozen=True)
class Estimate:
    """A business-survey estimate of a value VCCI has not published: shown, never deciding."""

    value: float
    low: float | None = None
    high: float | None = None
    source: str = ""
    note: str = ""


# ------------------------------------------------------------------------------------------- values
def published(value, kind: str) -> Decimal | None:
    """The value as VCCI publishes it: a whole rank, or a number at two decimals (half-up).

    >>> published(6.47, "subindex"), published(27, "rank"), published(0.194805 * 100, "indicator")
    (Decimal('6.47'), Decimal('27'), Decimal('19.48'))
    >>> published(6.4951, "subindex")
    Decimal('6.50')
    >>> published(None, "total") is None
    True
    """
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"giá trị không phải là số: {value!r}")
    if not number.is_finite():
        raise ValueError(f"giá trị không phải là số hữu hạn: {value!r}")
    if kind == "rank":
        if number != number.to_integral_value():
            raise ValueError(f"thứ hạng phải là số nguyên: {value!r}")
        return number.quantize(Decimal(1))
    if -number.as_tuple().exponent > PUBLISHED_DECIMALS:
        number = number.quantize(Decimal(1).scaleb(-PUBLISHED_DECIMALS), rounding=ROUND_HALF_UP)
    return number


def group_index(label: str | None) -> int | None:
    """0 for "Rất tốt" … 5 for "Thấp"; tolerant of case and missing diacritics; ``None`` if unknown.

    >>> group_index("Khá"), group_index("kha"), group_index("TƯƠNG ĐỐI THẤP"), group_index("")
    (2, 2, 4, None)
    """
    key = fold(label or "").replace("_", " ")
    for i, name in enumerate(GROUPS):
        if fold(name) == key:
            return i
    return None


def group_label(label: str | None) -> str | None:
    i = group_index(label)
    return None if i is None else GROUPS[i]


def compare(actual: Decimal, comparator: str, target: Decimal) -> bool:
    """Whether ``actual`` satisfies ``comparator target``; "trên 45%" is not met by exactly 45%.

    >>> compare(Decimal("45"), ">", Decimal("45")), compare(Decimal("45"), ">=", Decimal("45"))
    (False, True)
    >>> compare(Decimal("27"), "<=", Decimal("30"))
    True
    """
    if comparator == ">=":
        return actual >= target
    if comparator == ">":
        return actual > target
    if comparator == "<=":
        return actual <= target
    if comparator == "<":
        return actual < target
    raise ValueError(f"phép so sánh không hợp lệ: {comparator!r}")


def _decimals(unit: str, kind: str) -> int:
    if kind == "rank":
        return 0
    return 2


def format_value(value, unit: str = "", kind: str = "subindex") -> str:
    """A value the way the evaluation sheet prints it: ``6,50``, ``45%``, ``hạng 27``.

    >>> format_value(Decimal("6.5"), "điểm"), format_value(Decimal("45"), "%", "indicator")
    ('6,50', '45%')
    >>> format_value(Decimal("45.5"), "%", "indicator"), format_value(Decimal("27"), "hạng", "rank")
    ('45,5%', '27')
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "%":
        return f"{format_number(value, PUBLISHED_DECIMALS, strip=True)}%"
    return format_number(value, _decimals(unit, kind), strip=kind == "rank")


def _comparator_words(comparator: str, text: str) -> str:
    return {">=": text, ">": f"trên {text}", "<=": text, "<": f"dưới {text}"}[comparator]


# ------------------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class TargetResult:
    """One target evaluated against the published value."""

    target: TargetSpec
    actual: Decimal | str | None
    status: Status
    margin: Decimal | None
    change: Decimal | None
    year: int | None
    source: str = ""
    of: int | None = None
    estimate: Estimate | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tone(self) -> str:
        return STATUS_TONES[self.status]

    def _fmt(self, value) -> str:
        return format_value(value, self.target.unit, self.target.kind)

    @property
    def target_text(self) -> str:
        """The target as a reader says it: ``6,50``, ``trên 45%``, ``thứ 30/63``, ``nhóm “Khá” trở lên``."""
        t = self.target
        if t.kind == "group":
            suffix = {">=": " trở lên", ">": " (cao hơn)", "<=": " trở xuống", "<": " (thấp hơn)"}[t.comparator]
            return f"nhóm “{t.value_text}”{suffix}"
        if t.kind == "rank":
            return f"thứ {self._fmt(t.value)}" + (f"/{t.of}" if t.of else "")
        return _comparator_words(t.comparator, self._fmt(t.value))

    @property
    def baseline_text(self) -> str:
        t = self.target
        if t.baseline_value is None:
            return "—"
        return f"thứ {self._fmt(t.baseline_value)}" if t.kind == "rank" else self._fmt(t.baseline_value)

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return "—"
        if self.target.kind == "group":
            return f"nhóm “{self.actual}”"
        if self.target.kind == "rank":
            of = self.of or self.target.of
            return f"thứ {self._fmt(self.actual)}" + (f"/{of}" if of else "")
        return self._fmt(self.actual)

    @property
    def verdict_text(self) -> str:
        """``thiếu 0,03``, ``vượt 1,60``, ``đạt đúng mức mục tiêu``, ``vượt 3 bậc`` …"""
        t = self.target
        if self.status == Status.NOT_MEASURABLE:
            return f"chưa có số liệu công bố{f' năm {self.year}' if self.year else ''}"
        if t.kind == "group":
            if self.status == Status.MET:
                return "đạt" if self.actual == t.value_text else "vượt mục tiêu"
            return "chưa đạt"
        assert self.margin is not None
        better = -self.margin if t.lower_is_better else self.margin
        size = self._fmt(abs(self.margin)) if t.unit != "%" else format_value(abs(self.margin), "%", t.kind)
        step = " bậc" if t.kind == "rank" else (" điểm phần trăm" if t.unit == "%" else "")
        if t.unit == "%":
            size = size.rstrip("%")
        if better > 0:
            return f"vượt {size}{step}"
        if better < 0:
            return f"thiếu {size}{step}"
        return "đạt đúng mức mục tiêu" if self.status == Status.MET else "bằng mức mục tiêu, chưa vượt"

    @property
    def margin_text(self) -> str:
        """``6,47 so với mục tiêu 6,50: thiếu 0,03`` — the sentence of the evaluation sheet."""
        if self.status == Status.NOT_MEASURABLE:
            return f"Chưa có số liệu công bố{f' năm {self.year}' if self.year else ''} (mục tiêu {self.target_text})"
        return f"{self.actual_text} so với mục tiêu {self.target_text}: {self.verdict_text}"

    @property
    def change_text(self) -> str:
        """Change on the baseline year: ``+0,41 so với năm 2019 (6,06)`` or ``tăng 13 bậc so với năm 2019 (thứ 40)``."""
        t = self.target
        if self.change is None or t.baseline_year is None:
            return "—"
        if t.kind == "rank":
            n = abs(int(self.change))
            if self.change == 0:
                return f"giữ nguyên hạng so với năm {t.baseline_year}"
            word = "tăng" if self.change < 0 else "giảm"
            return f"{word} {n} bậc so với năm {t.baseline_year} (thứ {self._fmt(t.baseline_value)})"
        sign = "+" if self.change > 0 else ("-" if self.change < 0 else "±")
        return f"{sign}{self._fmt(abs(self.change)).rstrip('%')} so với năm {t.baseline_year} ({self._fmt(t.baseline_value)})"

    @property
    def change_short(self) -> str:
        """``+0,41`` or ``tăng 13 bậc`` — the change on the baseline year, for a table cell."""
        if self.change is None:
            return "—"
        if self.target.kind == "rank":
            n = abs(int(self.change))
            return "giữ nguyên" if n == 0 else f"{'tăng' if self.change < 0 else 'giảm'} {n} bậc"
        sign = "+" if self.change > 0 else ("-" if self.change < 0 else "±")
        text = format_value(abs(self.change), self.target.unit, self.target.kind).rstrip("%")
        return f"{sign}{text}" + (" điểm %" if self.target.unit == "%" else "")

    def as_dict(self) -> dict:
        """Plain JSON values (numbers as strings, exactly) for the stored snapshot."""
        t = self.target
        return {
            "key": t.key, "label": t.label, "kind": t.kind, "subindex_code": t.subindex_code,
            "indicator_code": t.indicator_code, "comparator": t.comparator, "section": t.section,
            "unit": t.unit, "of": t.of,
            "target": t.value_text if t.kind == "group" else _str(t.value),
            "baseline_year": t.baseline_year, "baseline_value": _str(t.baseline_value), "increase": _str(t.increase),
            "actual": self.actual if isinstance(self.actual, str) or self.actual is None else _str(self.actual),
            "actual_of": self.of, "year": self.year, "source": self.source,
            "status": str(self.status), "status_label": self.status_label, "tone": self.tone,
            "margin": _str(self.margin), "change": _str(self.change),
            "target_text": self.target_text, "actual_text": self.actual_text, "baseline_text": self.baseline_text, "verdict_text": self.verdict_text,
            "margin_text": self.margin_text, "change_text": self.change_text, "change_short": self.change_short,
            "estimate": None if self.estimate is None else {
                "value": self.estimate.value, "low": self.estimate.low, "high": self.estimate.high,
                "source": self.estimate.source, "note": self.estimate.note,
                "text": estimate_text(self.estimate, t.unit, t.kind),
            },
        }


def _str(value) -> str | None:
    return None if value is None else str(value)


def estimate_text(estimate: Estimate, unit: str, kind: str = "indicator") -> str:
    """``ước tính 46,2% (khoảng 41,0–51,4%)`` — always worded as an estimate."""
    text = f"ước tính {format_value(published(estimate.value, kind), unit, kind)}"
    if estimate.low is not None and estimate.high is not None:
        low = format_value(published(estimate.low, kind), unit, kind).rstrip("%")
        high = format_value(published(estimate.high, kind), unit, kind)
        text += f" (khoảng {low}–{high})"
    return text


def evaluate_target(target: TargetSpec, actual: Actual | None, *, estimate: Estimate | None = None) -> TargetResult:
    """Compare one target with its published value.

    ``actual`` is ``None`` (or has ``value=None``) when VCCI published nothing for it: the target is then
    *not measurable* whatever ``estimate`` says.

    >>> rank = TargetSpec(key="rank", label="Thứ hạng", kind="rank", comparator="<=", value=Decimal(30), of=63,
    ...                   unit="hạng", baseline_year=2019, baseline_value=Decimal(40))
    >>> r = evaluate_target(rank, Actual(27, 2020, of=63))
    >>> r.status.value, r.margin, r.margin_text, r.change_text
    ('met', Decimal('-3'), 'thứ 27/63 so với mục tiêu thứ 30/63: vượt 3 bậc', 'tăng 13 bậc so với năm 2019 (thứ 40)')
    >>> pct = TargetSpec(key="i", label="DN dùng dịch vụ công nghệ", kind="indicator", comparator=">",
    ...                  value=Decimal(45), unit="%")
    >>> evaluate_target(pct, Actual(45, 2020)).margin_text
    '45% so với mục tiêu trên 45%: bằng mức mục tiêu, chưa vượt'
    >>> evaluate_target(pct, None, estimate=Estimate(52.0, 47.0, 57.0)).status.value
    'not_measurable'
    """
    year = actual.year if actual else None
    source = actual.source if actual else ""
    of = actual.of if actual else None
    raw = actual.value if actual else None
    if target.kind == "group":
        label = group_label(raw) if isinstance(raw, str) and raw.strip() else None
        if raw not in (None, "") and label is None:
            raise ValueError(f"nhóm xếp hạng không hợp lệ: {raw!r}")
        if label is None:
            return TargetResult(target, None, Status.NOT_MEASURABLE, None, None, year, source, of, estimate)
        a, t = group_index(label), group_index(target.value_text)
        # A better group has a smaller index: "từ nhóm Khá trở lên" is met by Khá, Tốt, Rất tốt.
        met = compare(Decimal(-a), target.comparator, Decimal(-t))
        return TargetResult(target, label, Status.MET if met else Status.NOT_MET, None, None, year, source, of,
                            estimate)
    value = published(raw, target.kind)
    if value is None:
        return TargetResult(target, None, Status.NOT_MEASURABLE, None, None, year, source, of, estimate)
    met = compare(value, target.comparator, target.value)
    change = value - target.baseline_value if target.baseline_value is not None else None
    return TargetResult(target, value, Status.MET if met else Status.NOT_MET, value - target.value, change, year,
                        source, of, estimate)


# -------------------------------------------------------------------------------------------- units
@dataclass(frozen=True)
class UnitSpec:
    """An organisation the evaluation speaks of.

    ``internal`` — a unit of the issuing agency (its head is rated by the agency); external agencies
    (the leads of most sub-indices) are evaluated but not rated by it.
    """

    key: str
    name: str
    internal: bool = True
    sample: bool = False
    short_name: str = ""


@dataclass(frozen=True)
class AssignmentSpec:
    """``org_key`` has ``role`` toward ``target_key``; ``collective`` when given to the agency as a whole."""

    target_key: str
    org_key: str
    role: str
    collective: bool = False


@dataclass(frozen=True)
class RuleSpec:
    """An accountability rule of the plan (``plans.AccountabilityRule``)."""

    key: str
    roles: tuple[str, ...]
    target_kinds: tuple[str, ...] = ()
    target_keys: tuple[str, ...] = ()
    org_key: str | None = None
    section: str = ""
    year: int | None = None
    text: str = ""
    consequence: str = "no_excellent_rating"

    def covers(self, *, org_key: str, role: str, target: TargetSpec) -> bool:
        if self.roles and role not in self.roles:
            return False
        if self.target_kinds and target.kind not in self.target_kinds:
            return False
        if self.target_keys and target.key not in self.target_keys:
            return False
        return not (self.org_key and self.org_key != org_key)


@dataclass(frozen=True)
class Accountable:
    """A target a unit answers for, the role that makes it so and the rules that apply."""

    result: TargetResult
    role: str
    rules: tuple[RuleSpec, ...]
    collective: bool = False


@dataclass(frozen=True)
class UnitOutcome:
    unit: UnitSpec
    roles: tuple[tuple[TargetResult, str, bool], ...]   # every target the unit has a role toward
    accountable: tuple[Accountable, ...]
    excellent_rating_allowed: bool | None
    explanation: tuple[str, ...] = field(default=())

    @property
    def missed(self) -> tuple[Accountable, ...]:
        return tuple(a for a in self.accountable if a.result.status == Status.NOT_MET)

    @property
    def undetermined(self) -> tuple[Accountable, ...]:
        return tuple(a for a in self.accountable if a.result.status == Status.NOT_MEASURABLE)

    @property
    def owned(self) -> tuple[tuple[TargetResult, str, bool], ...]:
        """Targets toward which the unit is owner or lead."""
        return tuple(r for r in self.roles if r[1] in ("lead", "owner"))

    @property
    def supported(self) -> tuple[tuple[TargetResult, str, bool], ...]:
        return tuple(r for r in self.roles if r[1] == "support")

    @property
    def only_supports(self) -> bool:
        return bool(self.roles) and not self.owned

    @property
    def decision_label(self) -> str:
        if not self.unit.internal:
            return "Ngoài Sở, không xếp loại"
        return {True: "Được xét “Hoàn thành xuất sắc”", False: "Không được xếp loại “Hoàn thành xuất sắc”",
                None: "Chưa xác định"}[self.excellent_rating_allowed]

    @property
    def decision_tone(self) -> str:
        return {True: "ok", False: "bad", None: "warn"}[self.excellent_rating_allowed]

    @property
    def consequence_text(self) -> str:
        """What follows for the unit's head, on the four-grade scale of the annual review."""
        prefix = "" if self.unit.internal else "Đơn vị ngoài Sở, Sở không đánh giá, xếp loại; chỉ để tham khảo: "
        if self.excellent_rating_allowed is False:
            return (prefix + f"người đứng đầu không được xếp loại “{EXCELLENT.lower()}”; mức cao nhất có thể xét "
                    f"là “{GRADES[1].lower()}”.")
        if self.excellent_rating_allowed is None:
            return (prefix + "chưa xác định được: còn mục tiêu chịu trách nhiệm chưa có số liệu công bố; chưa "
                    f"xét mức “{EXCELLENT.lower()}” cho đến khi có số liệu.")
        if not self.accountable:
            return prefix + ("kế hoạch không đặt hạn chế xếp loại cho đơn vị (chỉ phối hợp hoặc không có mục "
                             f"tiêu chịu trách nhiệm); có thể xét đến mức “{EXCELLENT.lower()}”.")
        return prefix + (f"đạt mọi mục tiêu chịu trách nhiệm; kế hoạch không hạn chế, có thể xét đến mức "
                         f"“{EXCELLENT.lower()}”.")

    def as_dict(self) -> dict:
        return {
            "key": self.unit.key, "name": self.unit.name, "short_name": self.unit.short_name,
            "internal": self.unit.internal, "sample": self.unit.sample,
            "roles": [{"target": r.target.key, "label": r.target.label, "role": role, "role_label": ROLE_LABELS[role],
                       "collective": collective, "status": str(r.status), "status_label": r.status_label,
                       "tone": r.tone, "margin_text": r.margin_text}
                      for r, role, collective in self.roles],
            "accountable": [{"target": a.result.target.key, "label": a.result.target.label, "role": a.role,
                             "role_label": ROLE_LABELS[a.role], "status": str(a.result.status),
                             "status_label": a.result.status_label, "tone": a.result.tone,
                             "margin_text": a.result.margin_text,
                             "rules": [r.section or r.key for r in a.rules]} for a in self.accountable],
            "role_by_target": {r.target.key: role for r, role, _c in reversed(self.roles)},
            "missed": [a.result.target.label for a in self.missed],
            "undetermined": [a.result.target.label for a in self.undetermined],
            "only_supports": self.only_supports,
            "excellent_rating_allowed": self.excellent_rating_allowed,
            "decision_label": self.decision_label, "decision_tone": self.decision_tone,
            "consequence_text": self.consequence_text, "explanation": list(self.explanation),
        }


def expand_assignments(assignments: Iterable[AssignmentSpec], *, collective_keys: Iterable[str],
                       unit_keys: Sequence[str]) -> list[AssignmentSpec]:
    """Replace an assignment to the agency as a whole by one per unit (``collective=True``).

    >>> expand_assignments([AssignmentSpec("t", "so", "support")], collective_keys=["so"], unit_keys=["a", "b"])
    [AssignmentSpec(target_key='t', org_key='a', role='support', collective=True), AssignmentSpec(target_key='t', org_key='b', role='support', collective=True)]
    """
    collective = set(collective_keys)
    out = []
    for a in assignments:
        if a.org_key in collective:
            out.extend(AssignmentSpec(a.target_key, key, a.role, True) for key in unit_keys)
        else:
            out.append(a)
    return out


def _decide(accountable: Sequence[Accountable]) -> bool | None:
    """Three-valued: a missed target decides (False) even if another is unknown; otherwise an unknown
    target leaves the outcome undetermined (None), never allowed."""
    statuses = {a.result.status for a in accountable}
    if Status.NOT_MET in statuses:
        return False
    if Status.NOT_MEASURABLE in statuses:
        return None
    return True


def _explain(unit: UnitSpec, roles, accountable: Sequence[Accountable], rules: Sequence[RuleSpec]) -> list[str]:
    lines = []
    for a in accountable:
        refs = ", ".join(f"mục {r.section}" if r.section else r.key for r in a.rules)
        how = ROLE_LABELS[a.role].lower() + (" (giao chung các phòng, đơn vị)" if a.collective else "")
        verdict = {Status.MET: "đạt", Status.NOT_MET: "không đạt",
                   Status.NOT_MEASURABLE: "chưa xác định được"}[a.result.status]
        lines.append(f"{a.result.target.label} — đơn vị {how}, thuộc quy định trách nhiệm ({refs}): "
                     f"{a.result.margin_text} → {verdict}.")
    supported = [r for r, role, _c in roles if role == "support"]
    if supported and not any(role in ("lead", "owner") for _r, role, _c in roles):
        sections = ", ".join(f"mục {r.section}" for r in rules if r.section)
        lines.append(f"Đơn vị chỉ phối hợp ({len(supported)} mục tiêu); quy định trách nhiệm"
                     f"{f' ({sections})' if sections else ''} áp dụng cho đơn vị đầu mối, chủ trì, không áp dụng cho "
                     "đơn vị phối hợp.")
    elif not accountable and roles:
        lines.append("Không có mục tiêu nào của đơn vị thuộc phạm vi quy định trách nhiệm của kế hoạch.")
    elif not roles:
        lines.append("Đơn vị không được giao mục tiêu nào trong kế hoạch.")
    return lines


def evaluate_units(units: Sequence[UnitSpec], assignments: Iterable[AssignmentSpec], rules: Sequence[RuleSpec],
                   results: Mapping[str, TargetResult]) -> list[UnitOutcome]:
    """Apply the accountability rules to every unit.

    ``assignments`` are already expanded (see :func:`expand_assignments`). A unit answers for a target
    when one of its roles toward it is covered by a rule (role, target kind, specific targets, organisation).
    Its head may be rated excellent (``True``) unless it missed a target it answers for (``False``);
    when a deciding value is not published the outcome is ``None`` (undetermined).
    """
    by_unit: dict[str, list[AssignmentSpec]] = {}
    for a in assignments:
        if a.target_key in results:
            by_unit.setdefault(a.org_key, []).append(a)
    order = {key: i for i, key in enumerate(results)}
    outcomes = []
    for unit in units:
        mine = sorted(by_unit.get(unit.key, []), key=lambda a: (order[a.target_key], ROLE_ORDER.get(a.role, 9)))
        roles: list[tuple[TargetResult, str, bool]] = []
        seen_roles = set()
        for a in mine:
            if (a.target_key, a.role) in seen_roles:
                continue
            seen_roles.add((a.target_key, a.role))
            roles.append((results[a.target_key], a.role, a.collective))
        accountable: dict[str, Accountable] = {}
        for result, role, collective in roles:
            covering = tuple(r for r in rules if r.covers(org_key=unit.key, role=role, target=result.target))
            if not covering:
                continue
            key = result.target.key
            if key in accountable:
                merged = tuple(dict.fromkeys(accountable[key].rules + covering))
                accountable[key] = Accountable(result, accountable[key].role, merged, accountable[key].collective)
            else:
                accountable[key] = Accountable(result, role, covering, collective)
        acc = tuple(accountable.values())
        outcomes.append(UnitOutcome(unit=unit, roles=tuple(roles), accountable=acc,
                                    excellent_rating_allowed=_decide(acc),
                                    explanation=tuple(_explain(unit, roles, acc, rules))))
    return outcomes


# ----------------------------------------------------------------------------------------- JSON out
def _number(value: str | Decimal | None):
    if value is None:
        return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def target_json(result: TargetResult | Mapping) -> dict:
    """One target in the ``pciplan evaluate --json`` shape; accepts a result or its stored dict."""
    d = result.as_dict() if isinstance(result, TargetResult) else result
    group = d["kind"] == "group"
    return {
        "subject": d["label"], "kind": d["kind"],
        "subindex_code": d["subindex_code"] if d["kind"] == "subindex" else None,
        "comparator": d["comparator"],
        "target": d["target"] if group else _number(d["target"]),
        "actual": d["actual"] if group else _number(d["actual"]),
        "status": d["status"], "margin": _number(d["margin"]),
    }


def to_cli_json(snapshot: Mapping) -> dict:
    """``{"overall": [T…], "targets": [T…], "units": [...]}`` from a stored evaluation snapshot."""
    return {
        "overall": [target_json(t) for t in snapshot["targets"] if t["kind"] in OVERALL_KINDS],
        "targets": [target_json(t) for t in snapshot["targets"] if t["kind"] not in OVERALL_KINDS],
        "units": [{"unit": u["name"], "accountable_targets_missed": list(u["missed"]),
                   "excellent_rating_allowed": u["excellent_rating_allowed"],
                   "internal": u["internal"]} for u in snapshot["units"]],
    }
