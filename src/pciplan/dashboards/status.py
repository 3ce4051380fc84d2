"""The status of a target on a given day — one rule, in one place, on plain values (no Django).

The rule takes the best evidence available on that day, in this order:

1. **A published result for the plan year** (VCCI's PCI): *Đạt* (achieved) or *Chưa đạt* (missed), decided at
   the precision VCCI publishes (:func:`pciplan.evaluation.rules.evaluate_target`). A year's results count
   only from the day they are published (:func:`results_available_from`): on 20/11/2020 the 2020 results do
   not exist yet, whatever the database holds.
2. Otherwise **a business-survey estimate** with its confidence interval: *Đúng tiến độ* (on track) when the
   whole interval satisfies the target, *Chậm* (off track) when no point of it does, *Có nguy cơ* (at risk)
   when it straddles the target (:func:`pciplan.engine.proportions.verdict`).
3. Otherwise **the work**: *Có nguy cơ* when a third or more of the target's dated tasks are overdue,
   *Đúng tiến độ* when none is. Continuous and recurring tasks have no date and do not count.
4. *Chưa có dữ liệu* (no data) when nothing above applies — including the case the rule leaves open: some
   dated tasks overdue, but fewer than a third.

:func:`target_status` returns the status, its Vietnamese word, its tone (the colour of ``{% status_badge %}``),
which evidence decided, a one-line summary for a table cell and the steps of the reasoning ("vì sao?").

>>> from decimal import Decimal as D
>>> spec = TargetSpec(key="si", label="Dịch vụ hỗ trợ doanh nghiệp", kind="subindex", comparator=">=",
...                   value=D("6.5"), unit="điểm", subindex_code="business_support")
>>> s = target_status(spec, plan_year=2020, today=dt.date(2020, 11, 20), work=Work(dated=3, overdue=1))
>>> s.status.value, s.label, s.tone, s.basis.value
('at_risk', 'Có nguy cơ', 'warn', 'tasks')
>>> s.summary
'1/3 nhiệm vụ có thời hạn quá hạn'
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from pciplan.engine.proportions import verdict
from pciplan.evaluation.rules import Actual, TargetSpec, evaluate_target, format_value
from pciplan.evaluation.rules import Status as PublishedStatus
from pciplan.lib.dates import format_date
from pciplan.lib.numbers import format_number

__all__ = [
    "RULE_STEPS",
    "Basis",
    "Interval",
    "Published",
    "Status",
    "TargetSpec",
    "TargetStatus",
    "Work",
    "results_available_from",
    "roll_up",
    "target_status",
]

#: When no publication date is stored, a year's results are taken as known from 1 May of the next year.
#: VCCI launches the PCI of year N in the spring of N + 1 (PCI 2019 and PCI 2020 were both launched in the
#: first half of the following year), so nothing of year N is known on any day of year N.
DEFAULT_PUBLICATION = (5, 1)


class Status(StrEnum):
    ACHIEVED = "achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"


LABELS = {
    Status.ACHIEVED: "Đạt",
    Status.MISSED: "Chưa đạt",
    Status.ON_TRACK: "Đúng tiến độ",
    Status.OFF_TRACK: "Chậm",
    Status.AT_RISK: "Có nguy cơ",
    Status.NO_DATA: "Chưa có dữ liệu",
}
TONES = {
    Status.ACHIEVED: "ok",
    Status.MISSED: "bad",
    Status.ON_TRACK: "ok",
    Status.OFF_TRACK: "bad",
    Status.AT_RISK: "warn",
    Status.NO_DATA: "muted",
}
#: Worst first: the order of a roll-up and of the status columns.
SEVERITY = (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED, Status.NO_DATA)


class Basis(StrEnum):
    PUBLISHED = "published"
    ESTIMATE = "estimate"
    TASKS = "tasks"
    NONE = "none"


BASIS_LABELS = {
    Basis.PUBLISHED: "Kết quả VCCI công bố",
    Basis.ESTIMATE: "Ước lượng khảo sát",
    Basis.TASKS: "Tiến độ nhiệm vụ",
    Basis.NONE: "Không có căn cứ",
}

#: The rule as shown to the user, in order.
RULE_STEPS = (
    "Có kết quả PCI của năm kế hoạch do VCCI công bố (tính từ ngày công bố): Đạt hoặc Chưa đạt, so ở độ chính "
    "xác VCCI công bố (hai chữ số thập phân).",
    "Nếu chưa có: ước lượng từ khảo sát doanh nghiệp — cả khoảng tin cậy đạt mục tiêu: Đúng tiến độ; cả khoảng "
    "không đạt: Chậm; khoảng tin cậy chứa mục tiêu: Có nguy cơ.",
    "Nếu không có ước lượng: tiến độ nhiệm vụ có thời hạn gắn với mục tiêu — từ một phần ba số nhiệm vụ trở lên "
    "quá hạn: Có nguy cơ; không nhiệm vụ nào quá hạn: Đúng tiến độ (nhiệm vụ thường xuyên, định kỳ không tính).",
    "Không căn cứ nào cho kết luận: Chưa có dữ liệu.",
)


def results_available_from(year: int, published_on: dt.date | None = None) -> dt.date:
    """The first day the results of PCI ``year`` are known: the stored publication date, or 1 May of the
    following year when none is stored.

    >>> results_available_from(2020)
    datetime.date(2021, 5, 1)
    >>> results_available_from(2020, dt.date(2021, 5, 19))
    datetime.date(2021, 5, 19)
    """
    if published_on is not None:
        return published_on
    return dt.date(year + 1, *DEFAULT_PUBLICATION)


# ------------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Published:
    """What VCCI published for the plan year and this target: a number, a group label, or ``None`` when the
    year's results hold nothing for it. ``available_from`` is the publication day."""

    year: int
    value: Decimal | float | int | str | None
    available_from: dt.date
    source: str = ""
    of: int | None = None
    date_stored: bool = False


@dataclass(frozen=True)
class Interval:
    """A survey estimate on the target's scale with its confidence interval."""

    low: float | None
    high: float | None
    value: float | None = None
    source: str = ""
    as_of: dt.date | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class Work:
    """The target's tasks with a deadline (not cancelled) and how many of them are overdue on the day."""

    dated: int = 0
    overdue: int = 0

    def __post_init__(self):
        if self.dated < 0 or self.overdue < 0 or self.overdue > self.dated:
            raise ValueError(f"số nhiệm vụ không hợp lệ: {self.overdue} quá hạn trên {self.dated} có thời hạn")

    @property
    def at_risk(self) -> bool:
        """A third or more overdue (exact: 3 · overdue ≥ dated)."""
        return self.dated > 0 and 3 * self.overdue >= self.dated


# ------------------------------------------------------------------------------------------ result
@dataclass(frozen=True)
class TargetStatus:
    status: Status
    basis: Basis
    summary: str
    steps: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]

    @property
    def reason(self) -> str:
        """The deciding step (the last one)."""
        return self.steps[-1] if self.steps else ""

    @property
    def is_final(self) -> bool:
        return self.basis == Basis.PUBLISHED

    def as_dict(self) -> dict:
        return {"status": str(self.status), "label": self.label, "tone": self.tone, "basis": str(self.basis),
                "basis_label": self.basis_label, "summary": self.summary, "steps": list(self.steps)}


# ------------------------------------------------------------------------------------------- words
def _fmt(value, spec: TargetSpec) -> str:
    return format_value(value, spec.unit, spec.kind)


def target_words(spec: TargetSpec) -> str:
    """The target in words: ``từ 7,61 trở lên``, ``trên 45%``, ``thứ 30/63 hoặc cao hơn``, ``nhóm “Khá” trở lên``.

    >>> target_words(TargetSpec(key="r", label="Hạng", kind="rank", comparator="<=", value=Decimal(30), of=63))
    'thứ 30/63 hoặc cao hơn'
    >>> target_words(TargetSpec(key="i", label="DN", kind="indicator", comparator=">", value=Decimal(45), unit="%"))
    'trên 45%'
    """
    if spec.kind == "group":
        return f"nhóm “{spec.value_text}”" + {">=": " trở lên", ">": " (cao hơn)", "<=": " trở xuống",
                                               "<": " (thấp hơn)"}[spec.comparator]
    if spec.kind == "rank":
        text = f"thứ {_fmt(spec.value, spec)}" + (f"/{spec.of}" if spec.of else "")
        return text + {"<=": " hoặc cao hơn", "<": " (cao hơn)", ">=": " hoặc thấp hơn", ">": " (thấp hơn)"}[spec.comparator]
    value = _fmt(spec.value, spec)
    return {">=": f"từ {value} trở lên", ">": f"trên {value}", "<=": f"từ {value} trở xuống",
            "<": f"dưới {value}"}[spec.comparator]


def _estimate_number(value: float | None, spec: TargetSpec) -> str:
    if value is None:
        return "—"
    text = format_number(value, 1)
    return f"{text}%" if spec.unit == "%" else text


# -------------------------------------------------------------------------------------------- rule
def _published_step(spec: TargetSpec, published: Published | None, plan_year: int, today: dt.date):
    """``(status or None, summary, step text)`` from the published result."""
    if published is None:
        return None, "", f"Chưa có kết quả PCI {plan_year} do VCCI công bố."
    if today < published.available_from:
        note = "" if published.date_stored else (
            f" (chưa ghi ngày công bố: kết quả năm {published.year} được coi là có từ "
            f"{format_date(published.available_from)})")
        return None, "", f"Kết quả PCI {published.year} chưa được công bố tại ngày {format_date(today)}{note}."
    result = evaluate_target(spec, Actual(published.value, published.year, published.source, published.of))
    if result.status == PublishedStatus.NOT_MEASURABLE:
        return None, "", f"Kết quả PCI {published.year} đã công bố nhưng không có số liệu cho mục tiêu này."
    status = Status.ACHIEVED if result.status == PublishedStatus.MET else Status.MISSED
    summary = f"PCI {published.year}: {result.actual_text} — {result.verdict_text}"
    return status, summary, (f"Kết quả PCI {published.year} do VCCI công bố: {result.margin_text} → "
                             f"{LABELS[status]}.")


_ESTIMATE_WORDS = {
    "met": (Status.ON_TRACK, "cả khoảng tin cậy đạt mục tiêu"),
    "missed": (Status.OFF_TRACK, "không điểm nào của khoảng tin cậy đạt mục tiêu"),
    "uncertain": (Status.AT_RISK, "khoảng tin cậy chứa mức mục tiêu, chưa chắc chắn đạt"),
}


def _estimate_step(spec: TargetSpec, estimate: Interval | None):
    if spec.kind == "group" or spec.value is None:
        return None, "", "Không có ước lượng khảo sát cho loại mục tiêu này."
    if estimate is None or estimate.low is None or estimate.high is None:
        return None, "", "Không có ước lượng khảo sát cho mục tiêu này."
    v = verdict(estimate.low, estimate.high, float(spec.value), spec.comparator)
    if v.key not in _ESTIMATE_WORDS:
        return None, "", "Không có ước lượng khảo sát dùng được cho mục tiêu này."
    status, words = _ESTIMATE_WORDS[v.key]
    interval = f"{_estimate_number(estimate.low, spec)}–{_estimate_number(estimate.high, spec)}"
    point = f"{_estimate_number(estimate.value, spec)} " if estimate.value is not None else ""
    tail = []
    if estimate.as_of is not None:
        tail.append(f"tính đến {format_date(estimate.as_of)}")
    if estimate.synthetic:
        tail.append("DỮ LIỆU MÔ PHỎNG")
    source = f" ({estimate.source})" if estimate.source else ""
    summary = f"{point}(khoảng {interval})"
    step = (f"Ước lượng khảo sát{source}: {point}(khoảng tin cậy {interval}"
            f"{', ' + ', '.join(tail) if tail else ''}) so với mục tiêu {target_words(spec)}: {words} → "
            f"{LABELS[status]}.")
    return status, summary, step


def _work_step(work: Work):
    if work.dated == 0:
        return None, "", ("Không có nhiệm vụ có thời hạn nào gắn với mục tiêu (nhiệm vụ thường xuyên, định kỳ "
                          "không tính).")
    ratio = f"{work.overdue}/{work.dated} nhiệm vụ có thời hạn quá hạn"
    if work.at_risk:
        return Status.AT_RISK, ratio, f"{ratio} (từ một phần ba trở lên) → {LABELS[Status.AT_RISK]}."
    if work.overdue == 0:
        return (Status.ON_TRACK, f"0/{work.dated} nhiệm vụ có thời hạn quá hạn",
                f"Không nhiệm vụ nào trong {work.dated} nhiệm vụ có thời hạn bị quá hạn → {LABELS[Status.ON_TRACK]}.")
    return None, ratio, (f"{ratio}: dưới một phần ba nên chưa coi là có nguy cơ, nhưng cũng không phải đúng tiến "
                         "độ — tiến độ nhiệm vụ chưa cho kết luận.")


def target_status(spec: TargetSpec, *, plan_year: int, today: dt.date, published: Published | None = None,
                  estimate: Interval | None = None, work: Work | None = None) -> TargetStatus:
    """The status of one target on ``today`` from the best evidence available (see the module docstring).

    >>> from decimal import Decimal as D
    >>> spec = TargetSpec(key="si", label="Chi phí không chính thức", kind="subindex", comparator=">=",
    ...                   value=D("6.5"), unit="điểm", subindex_code="informal_charges")
    >>> pub = Published(2020, 6.47, dt.date(2021, 5, 1), "VCCI")
    >>> target_status(spec, plan_year=2020, today=dt.date(2021, 6, 1), published=pub).label
    'Chưa đạt'
    >>> target_status(spec, plan_year=2020, today=dt.date(2020, 11, 20), published=pub).status.value
    'no_data'
    >>> pct = TargetSpec(key="i", label="DN dùng dịch vụ", kind="indicator", comparator=">", value=D(45), unit="%")
    >>> target_status(pct, plan_year=2020, today=dt.date(2020, 11, 20), estimate=Interval(38.2, 47.9, 43.0)).summary
    '43,0% (khoảng 38,2%–47,9%)'
    """
    work = work or Work()
    steps: list[str] = []
    status, summary, step = _published_step(spec, published, plan_year, today)
    steps.append(step)
    if status is not None:
        return TargetStatus(status, Basis.PUBLISHED, summary, tuple(steps))
    status, summary, step = _estimate_step(spec, estimate)
    steps.append(step)
    if status is not None:
        return TargetStatus(status, Basis.ESTIMATE, summary, tuple(steps))
    status, summary, step = _work_step(work)
    steps.append(step)
    if status is not None:
        return TargetStatus(status, Basis.TASKS, summary, tuple(steps))
    steps.append(f"Không căn cứ nào ở trên cho kết luận → {LABELS[Status.NO_DATA]}.")
    return TargetStatus(Status.NO_DATA, Basis.NONE, summary or "—", tuple(steps))


# ----------------------------------------------------------------------------------------- roll-up
@dataclass(frozen=True)
class RollUp:
    """Several targets' statuses together: the worst one that has data, and the counts."""

    status: Status
    counts: tuple[tuple[Status, int], ...]
    total: int

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def with_data(self) -> int:
        return sum(n for s, n in self.counts if s != Status.NO_DATA)

    def chips(self) -> list[tuple[str, str, int]]:
        """``(tone, label, n)`` for the statuses present, worst first."""
        return [(TONES[s], LABELS[s], n) for s, n in self.counts if n]


def roll_up(statuses: Iterable[Status | TargetStatus]) -> RollUp:
    """The worst status among those with data (missed, off track, at risk, on track, achieved); *no data*
    only when no target has any.

    >>> r = roll_up([Status.ON_TRACK, Status.NO_DATA, Status.AT_RISK])
    >>> r.label, r.with_data, r.total
    ('Có nguy cơ', 2, 3)
    >>> roll_up([Status.ACHIEVED, Status.ON_TRACK]).label
    'Đúng tiến độ'
    >>> roll_up([]).label
    'Chưa có dữ liệu'
    """
    counts = Counter(s.status if isinstance(s, TargetStatus) else Status(s) for s in statuses)
    worst = next((s for s in SEVERITY if s != Status.NO_DATA and counts.get(s)), Status.NO_DATA)
    return RollUp(worst, tuple((s, counts.get(s, 0)) for s in SEVERITY), sum(counts.values()))
