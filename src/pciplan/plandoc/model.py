"""The draft a plan document is read into: plain dataclasses with ``to_dict()``.

Every extracted field can carry the span of source text it came from: ``spans[field]`` is a
``(start, end)`` pair of character offsets into :attr:`PlanDraft.text` (the normalised text), or a
list of pairs for a list field (``owner_units``). ``span`` is the whole passage an item came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

Span = tuple[int, int]
SpanMap = dict[str, Any]


def _number(value):
    """JSON-friendly number: 7.61, 45 (an integral float becomes an int)."""
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def _spans_out(spans: SpanMap) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in spans.items():
        if isinstance(value, list):
            out[key] = [list(v) for v in value]
        elif value is not None:
            out[key] = list(value)
    return out


class _Base:
    """``to_dict(spans=False)`` gives the JSON shape of ``pciplan import-plan --json``."""

    _numbers: tuple[str, ...] = ()
    _private: tuple[str, ...] = ("spans", "span")

    def to_dict(self, spans: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name in self._private:
                continue
            value = getattr(self, f.name)
            if f.name in self._numbers:
                value = _number(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, list):
                value = [v.to_dict(spans) if isinstance(v, _Base) else v for v in value]
            elif isinstance(value, _Base):
                value = value.to_dict(spans)
            out[f.name] = value
        if spans:
            out["span"] = list(self.span) if getattr(self, "span", None) else None
            out["spans"] = _spans_out(getattr(self, "spans", {}) or {})
        return out


@dataclass
class UnitRef(_Base):
    """A unit named in the plan: as written, normalised, and its role toward the item."""

    name: str
    normalized: str
    role: str | None = None  # "lead" | "owner" | "supporting"
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class DocumentRef(_Base):
    """Another document the plan cites: "Kế hoạch số 222/KH-UBND ngày 03/8/2020 của UBND tỉnh"."""

    kind: str | None
    number: str | None
    date: dt.date | None
    issuer: str | None
    text: str
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class DocumentInfo(_Base):
    """The plan's own identity. ``date`` is ISO: ``2020-08-15``, or ``2020-08`` when the day is blank."""

    issuer: str | None = None
    parent_issuer: str | None = None
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    date: str | None = None
    year: int | None = None
    title: str | None = None
    implements: DocumentRef | None = None
    signer: str | None = None
    signer_title: str | None = None
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)

    def to_dict(self, spans: bool = False) -> dict[str, Any]:
        out = super().to_dict(spans)
        if self.implements is not None:
            out["implements"] = self.implements.number or self.implements.text
            out["implements_ref"] = self.implements.to_dict(spans)
        return out


@dataclass
class OverallTarget(_Base):
    """A target for the whole index: rank ("đứng thứ 30/63", "TOP 5", "tăng 5 bậc"), score or group."""

    kind: str  # "rank" | "score" | "group"
    rank: int | None = None
    of: int | None = None
    score: float | None = None
    group: str | None = None
    operator: str | None = None
    increase: float | None = None
    baseline_year: int | None = None
    year: int | None = None
    text: str = ""
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)
    _numbers = ("score", "increase")


@dataclass
class SubIndexTarget(_Base):
    """A target for one sub-index, with the agencies and units answerable for it."""

    subindex_code: str
    subindex_text: str
    target_score: float | None = None
    operator: str | None = None
    increase: float | None = None
    baseline_year: int | None = None
    target_rank: int | None = None
    rank_operator: str | None = None
    lead_unit: str | None = None
    owner_units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)
    year: int | None = None
    text: str = ""
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)
    _numbers = ("target_score", "increase")


@dataclass
class IndicatorTarget(_Base):
    """A target for an indicator: "doanh nghiệp từng sử dụng dịch vụ … trên 45%" → ">" 45 "%"."""

    text: str
    operator: str
    value: float
    unit: str | None = None
    owner_units: list[str] = field(default_factory=list)
    subindex_code: str | None = None
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)
    _numbers = ("value",)


@dataclass
class Deadline(_Base):
    """A date the plan sets: qualifier "before", "by_end_of_month" or "on"; for a recurring duty
    (``recurrence`` "monthly", "quarterly", "half_yearly" or "yearly") ``date`` is the first occurrence
    after the plan's date and ``rule`` says how the next ones fall."""

    text: str
    date: dt.date | None
    qualifier: str
    recurrence: str | None = None
    rule: str | None = None
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class Task(_Base):
    """A task as listed under a unit, with the units and their roles and its first deadline."""

    text: str
    units: list[UnitRef] = field(default_factory=list)
    deadline: dt.date | None = None
    subindex_code: str | None = None
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class ReportingDuty(_Base):
    """A duty to report: who reports, to whom, how often and by when."""

    text: str
    reporters: list[str] = field(default_factory=list)
    recipient: str | None = None
    recurrence: str | None = None
    deadline: dt.date | None = None
    qualifier: str | None = None
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class Baseline(_Base):
    """A past result the plan quotes ("năm 2023 đạt 69,66 điểm, xếp thứ 5"): a baseline, not a target."""

    kind: str  # "score" | "rank" | "group" | "subindex"
    year: int | None = None
    subindex_code: str | None = None
    score: float | None = None
    rank: int | None = None
    of: int | None = None
    group: str | None = None
    text: str = ""
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)
    _numbers = ("score",)


@dataclass
class UnitEntry(_Base):
    """One unit of the plan, however many ways it is written."""

    name: str
    normalized: str
    key: str
    variants: list[str] = field(default_factory=list)
    span: Span | None = None
    spans: SpanMap = field(default_factory=dict)


@dataclass
class PlanDraft(_Base):
    """Everything read from one plan. ``text`` is the normalised source all spans point into."""

    text: str
    document: DocumentInfo
    overall_targets: list[OverallTarget] = field(default_factory=list)
    subindex_targets: list[SubIndexTarget] = field(default_factory=list)
    indicator_targets: list[IndicatorTarget] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    reporting_duties: list[ReportingDuty] = field(default_factory=list)
    baselines: list[Baseline] = field(default_factory=list)
    units: list[UnitEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str = "text"
    _private = ("text", "span", "spans")

    def to_dict(self, spans: bool = False) -> dict[str, Any]:
        out = super().to_dict(spans)
        if spans:
            out.pop("span", None)
            out.pop("spans", None)
            out["text"] = self.text
        return out

    @property
    def targets(self) -> list[Any]:
        """All targets, in the order they appear in the text."""
        items = [*self.overall_targets, *self.subindex_targets, *self.indicator_targets]
        return sorted(items, key=lambda t: (t.span or (0, 0))[0])
