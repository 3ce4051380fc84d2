"""Result charts: targets met or missed, survey estimates against a target, counts by status."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .base import WIDTH_IN, Chart, ChartTable, join
from .style import (
    BASELINE,
    MET,
    MISSED,
    NO_DATA,
    TARGET,
    UNCERTAIN,
    fmt,
    fmt_unit,
    status_style,
    tick_formatter,
    wrap,
)


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


RANK_UNIT = "hạng"


def _decimals(unit: str) -> int:
    return 1 if unit == "%" else 0 if unit == RANK_UNIT else 2


def _value(value: float | None, unit: str) -> str:
    """``6,99 điểm``, ``45,0%``, ``hạng 27``."""
    if value is not None and unit == RANK_UNIT:
        return f"hạng {fmt(value, 0)}"
    return fmt_unit(value, unit, _decimals(unit))


# ------------------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class TargetResult:
    """One target for the evaluation chart: baseline → target → actual.

    Parameters
    ----------
    label : str
        What is measured ("Chi phí gia nhập thị trường").
    baseline : float or None
        Value in the base year (usually the year before).
    target : float
        The target.
    actual : float or None
        Result; ``None`` when not yet published ("Chưa có dữ liệu").
    unit : str
        "điểm", "%", "hạng" … — targets of different units are drawn in separate panels.
    higher_is_better : bool
        ``False`` for a rank or a cost, where lower is better.
    status : str, optional
        Override the computed status (``"dat"``, ``"chua_dat"``, ``"chua_co_du_lieu"`` or the words).

    Examples
    --------
    >>> TargetResult("Chi phí gia nhập thị trường", 6.78, 7.61, 6.99).status_key
    'chua_dat'
    """

    label: str
    baseline: float | None
    target: float
    actual: float | None
    unit: str = "điểm"
    higher_is_better: bool = True
    status: str | None = None

    @property
    def status_key(self) -> str:
        if self.status:
            return self.status
        actual = _num(self.actual)
        if actual is None:
            return NO_DATA
        met = actual >= self.target if self.higher_is_better else actual <= self.target
        return MET if met else MISSED


def target_chart(results: Sequence[TargetResult], *, year: int, baseline_year: int | None = None,
                 title: str | None = None, source: str = "") -> Chart:
    """Per target: the baseline bar, the result bar coloured by status (hatched when missed) and the
    target as a black tick; one panel per unit.

    Parameters
    ----------
    results : sequence of TargetResult
        The targets, in the order to show them.
    year : int
        The year evaluated (the result year).
    baseline_year : int, optional
        Year of the baseline (defaults to ``year - 1``).
    title, source : str
        Title (default "Kết quả thực hiện mục tiêu năm {year}") and footnote.

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = target_chart([TargetResult("Chi phí thời gian", 6.52, 7.08, 8.68),
    ...                       TargetResult("Tính minh bạch", 6.85, 7.0, 5.39)], year=2020)
    >>> chart.alt.startswith("Kết quả thực hiện 2 mục tiêu năm 2020: 1 đạt, 1 chưa đạt")
    True
    """
    if not results:
        raise ValueError("chưa có mục tiêu nào")
    baseline_year = baseline_year or year - 1
    title = title or f"Kết quả thực hiện mục tiêu năm {year}"
    counts: dict[str, int] = {}
    parts = []
    for r in results:
        style = status_style(r.status_key)
        counts[style.label] = counts.get(style.label, 0) + 1
        parts.append(f"{r.label}: {baseline_year} {_value(_num(r.baseline), r.unit)}, mục tiêu "
                     f"{_value(r.target, r.unit)}, kết quả {_value(_num(r.actual), r.unit)} — "
                     f"{style.label.lower()}")
    summary = ", ".join(f"{n} {label.lower()}" for label, n in counts.items())
    alt = f"Kết quả thực hiện {len(results)} mục tiêu năm {year}: {summary}. " + join(parts) + "."
    table = ChartTable(
        ("Mục tiêu", f"Năm {baseline_year}", "Mục tiêu", f"Kết quả {year}", "Đánh giá"),
        tuple((r.label, _value(_num(r.baseline), r.unit), _value(r.target, r.unit),
               _value(_num(r.actual), r.unit), status_style(r.status_key).label) for r in results),
    )
    units: list[str] = []
    for r in results:
        if r.unit not in units:
            units.append(r.unit)
    groups = [[r for r in results if r.unit == unit] for unit in units]

    def draw(fig):
        axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=[len(g) + 0.8 for g in groups])[:, 0]
        seen: dict[str, object] = {}
        for ax, group, unit in zip(axes, groups, units, strict=True):
            n = len(group)
            y = np.arange(n)
            h = 0.36
            base = np.array([_num(r.baseline) or 0.0 for r in group])
            actual = [_num(r.actual) for r in group]
            ax.barh(y - h / 2, base, height=h, color=BASELINE, zorder=2)
            for i, r in enumerate(group):
                style = status_style(r.status_key)
                value = actual[i]
                if value is not None:
                    ax.barh(y[i] + h / 2, value, height=h, color=style.color, hatch=style.hatch,
                            edgecolor="white", linewidth=0, zorder=2)
                seen.setdefault(style.label, style)
                ax.plot([r.target, r.target], [y[i] - h - 0.06, y[i] + h + 0.06], color=TARGET,
                        linewidth=2.2, solid_capstyle="butt", zorder=4)
                d = _decimals(unit)
                note = (f"{fmt(value, d) if value is not None else '—'} / mục tiêu {fmt(r.target, d)}\n"
                        f"{style.label}")
                ax.annotate(note, (1.0, y[i]), xycoords=("axes fraction", "data"), xytext=(-2, 0),
                            textcoords="offset points", ha="right", va="center", fontsize=7.5,
                            color=style.text_color, fontweight="bold", linespacing=1.2)
            values = [v for r in group for v in (_num(r.baseline), r.target, _num(r.actual)) if v is not None]
            top = max(values) if values else 1.0
            ax.set_xlim(0, top * 1.5)
            ticks = [t for t in ax.xaxis.get_major_locator().tick_values(0, top) if 0 <= t <= top * 1.05]
            ax.set_xticks(ticks)
            ax.set_yticks(y)
            ax.set_yticklabels([wrap(r.label, 26) for r in group], fontsize=8)
            ax.invert_yaxis()
            ax.xaxis.set_major_formatter(tick_formatter(1, "%" if unit == "%" else ""))
            better = "" if group[0].higher_is_better else ", thấp hơn là tốt hơn"
            if unit == "%":
                ax.set_xlabel(f"Tỷ lệ (%{better})")
            elif unit == RANK_UNIT:
                ax.set_xlabel("Thứ hạng (1 = cao nhất)")
            else:
                ax.set_xlabel(f"Giá trị ({unit}{better})")
            ax.grid(axis="x", zorder=0)
            ax.tick_params(axis="y", length=0)
        handles = [Patch(facecolor=BASELINE, label=f"Năm {baseline_year}")]
        for label, style in seen.items():
            handles.append(Patch(facecolor=style.color, hatch=style.hatch, edgecolor="white",
                                 label=f"Kết quả {year}: {label.lower()}"))
        handles.append(Line2D([0], [0], color=TARGET, linewidth=2.2, label="Mục tiêu"))
        fig.legend(handles=handles, loc="lower center", ncols=min(4, len(handles)))

    height = 1.3 + sum(0.42 * len(g) + 0.5 for g in groups)
    return Chart(title, alt, table, draw, size=(WIDTH_IN, max(2.8, height)), source=source)


# ----------------------------------------------------------------------------------------- estimates
@dataclass(frozen=True)
class Estimate:
    """A survey estimate with its confidence interval, for the whole sample or one segment.

    Examples
    --------
    >>> Estimate("Toàn tỉnh", 42.0, 36.1, 47.9, n=260).n
    260
    """

    label: str
    value: float
    low: float
    high: float
    n: int | None = None
    target: float | None = None
    higher_is_better: bool = True


def estimate_status(estimate: Estimate, target: float | None) -> str:
    """``dat`` when the whole interval is on the good side of the target, ``chua_dat`` when it is
    wholly on the bad side, otherwise ``chua_chac_chan``; ``chua_co_du_lieu`` without a target.

    Examples
    --------
    >>> estimate_status(Estimate("A", 50, 46, 54), 45), estimate_status(Estimate("A", 44, 40, 48), 45)
    ('dat', 'chua_chac_chan')
    """
    if target is None:
        return NO_DATA
    if estimate.higher_is_better:
        if estimate.low >= target:
            return MET
        if estimate.high < target:
            return MISSED
    else:
        if estimate.high <= target:
            return MET
        if estimate.low > target:
            return MISSED
    return UNCERTAIN


def estimate_chart(estimates: Sequence[Estimate], *, title: str, year: int, target: float | None = None,
                   unit: str = "%", confidence: float = 0.95, source: str = "",
                   target_label: str = "Mục tiêu") -> Chart:
    """Estimates with confidence intervals against a target line, one row per segment.

    Parameters
    ----------
    estimates : sequence of Estimate
        The whole sample first, then segments (size, sector, district …).
    title : str
        What is estimated; the year is appended when missing ("… — khảo sát 2020").
    year : int
        Survey year.
    target : float, optional
        Common target, drawn as a dashed line; an ``Estimate.target`` overrides it for its row.
    unit : str
        "%" by default.
    confidence : float
        Confidence level of the intervals, for the legend ("Khoảng tin cậy 95%").

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = estimate_chart([Estimate("Toàn tỉnh", 42.0, 36.1, 47.9, n=260)],
    ...                        title="Doanh nghiệp dùng dịch vụ công nghệ", year=2020, target=45)
    >>> chart.title
    'Doanh nghiệp dùng dịch vụ công nghệ — khảo sát 2020'
    >>> "42,0% (khoảng tin cậy 95%: 36,1–47,9%, n = 260)" in chart.alt
    True
    """
    if not estimates:
        raise ValueError("chưa có ước lượng nào")
    if str(year) not in title:
        title = f"{title} — khảo sát {year}"
    d = _decimals(unit)
    level = fmt(confidence * 100, 0)
    parts = []
    rows = []
    for e in estimates:
        t = e.target if e.target is not None else target
        style = status_style(estimate_status(e, t))
        text = (f"{e.label}: {fmt_unit(e.value, unit, d)} (khoảng tin cậy {level}%: {fmt(e.low, d)}–"
                f"{fmt_unit(e.high, unit, d)}" + (f", n = {e.n}" if e.n else "") + ")")
        if t is not None:
            text += f", mục tiêu {fmt_unit(t, unit, d)} — {style.label.lower()}"
        parts.append(text)
        rows.append((e.label, fmt_unit(e.value, unit, d), f"{fmt(e.low, d)}–{fmt(e.high, d)}",
                     str(e.n) if e.n else "—", fmt_unit(t, unit, d) if t is not None else "—",
                     style.label if t is not None else "—"))
    alt = f"{title}. " + join(parts) + "."
    table = ChartTable(("Nhóm", "Ước lượng", f"Khoảng tin cậy {level}%", "Số doanh nghiệp", "Mục tiêu",
                        "Đánh giá"), tuple(rows))

    def draw(fig):
        ax = fig.subplots()
        n = len(estimates)
        y = np.arange(n)
        seen = {}
        for i, e in enumerate(estimates):
            t = e.target if e.target is not None else target
            style = status_style(estimate_status(e, t), i)
            color = style.color if t is not None else "#1F4E79"
            ax.plot([e.low, e.high], [y[i], y[i]], color=color, linewidth=2.4, solid_capstyle="butt", zorder=3)
            ax.plot([e.low, e.low], [y[i] - 0.12, y[i] + 0.12], color=color, linewidth=1.2, zorder=3)
            ax.plot([e.high, e.high], [y[i] - 0.12, y[i] + 0.12], color=color, linewidth=1.2, zorder=3)
            marker = style.marker if t is not None else "o"
            hollow = marker == "D"
            ax.plot([e.value], [y[i]], marker=marker, markersize=8 if marker == "X" else 7, color=color,
                    markeredgecolor=color if marker in {"D", "X"} else "white",
                    markerfacecolor="white" if hollow else color, markeredgewidth=1.3, zorder=5)
            label = fmt_unit(e.value, unit, d) + (f"  (n = {e.n})" if e.n else "")
            if t is not None:
                label += f" · {style.label}"
            right = max(e.high, e.target) if e.target is not None else e.high  # clear of the target mark
            ax.annotate(label, (right, y[i]), xytext=(6, 0), textcoords="offset points", va="center",
                        fontsize=8, color=style.text_color if t is not None else color)
            if e.target is not None:
                ax.plot([e.target, e.target], [y[i] - 0.3, y[i] + 0.3], color=TARGET, linewidth=2, zorder=4)
            if t is not None:
                seen.setdefault(style.label, style)
        if target is not None:
            ax.axvline(target, color=TARGET, linestyle=(0, (5, 3)), linewidth=1.3, zorder=2)
            ax.annotate(f"{target_label} {fmt_unit(target, unit, d)}", (target, 1.0),
                        xycoords=("data", "axes fraction"), xytext=(3, -2), textcoords="offset points",
                        va="top", fontsize=7.5, fontweight="bold")
        values = [v for e in estimates for v in (e.low, e.high, e.target) if v is not None]
        if target is not None:
            values.append(target)
        low, high = min(values), max(values)
        span = max(high - low, 1.0)
        lo = max(0.0, low - span * 0.25) if unit == "%" else low - span * 0.25
        hi = high + span * 0.75
        if unit == "%":
            hi = min(hi, 100.0 + span * 0.75)
        ax.set_xlim(lo, hi)
        if unit == "%":  # room on the right is for the labels: no tick past 100 %
            ax.set_xticks([t for t in ax.xaxis.get_major_locator().tick_values(lo, hi) if lo <= t <= 100.0])
        ax.set_ylim(n - 0.4, -0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([wrap(e.label, 24) for e in estimates], fontsize=8.5)
        ax.xaxis.set_major_formatter(tick_formatter(1, "%" if unit == "%" else ""))
        ax.set_xlabel("Tỷ lệ doanh nghiệp (%)" if unit == "%" else f"Giá trị ({unit})")
        ax.grid(axis="x", zorder=0)
        ax.tick_params(axis="y", length=0)
        handles = [Line2D([0], [0], color="#555555", linewidth=2.4, label=f"Khoảng tin cậy {level}%")]
        for label, style in seen.items():
            handles.append(Line2D([0], [0], linestyle="none", marker=style.marker, markersize=7,
                                  color=style.color, markeredgecolor=style.color,
                                  markerfacecolor=style.color if style.marker != "D" else "white",
                                  label=label))
        if target is not None:  # one target for every row: the dashed line across
            handles.append(Line2D([0], [0], color=TARGET, linestyle=(0, (5, 3)), linewidth=1.3,
                                  label=target_label))
        elif any(e.target is not None for e in estimates):  # a target per row: the short bar on the row
            handles.append(Line2D([0], [0], linestyle="none", marker="|", markersize=11, markeredgewidth=2,
                                  color=TARGET, label=target_label))
        fig.legend(handles=handles, loc="lower center", ncols=min(5, len(handles)))

    return Chart(title, alt, table, draw, size=(WIDTH_IN, max(2.4, 1.5 + 0.42 * len(estimates))),
                 source=source)


# ------------------------------------------------------------------------------------------- status
_PATTERNS = {  # CSS stripes for the hatches, so a page printed in black and white still tells bars apart
    "////": "repeating-linear-gradient(45deg, rgba(255,255,255,.55) 0 2px, transparent 2px 7px)",
    "\\\\": "repeating-linear-gradient(-45deg, rgba(255,255,255,.55) 0 2px, transparent 2px 7px)",
    "\\\\\\\\": "repeating-linear-gradient(-45deg, rgba(255,255,255,.55) 0 2px, transparent 2px 5px)",
    "--": "repeating-linear-gradient(0deg, rgba(255,255,255,.55) 0 2px, transparent 2px 6px)",
    "xx": "repeating-linear-gradient(45deg, rgba(255,255,255,.5) 0 2px, transparent 2px 6px), "
          "repeating-linear-gradient(-45deg, rgba(255,255,255,.5) 0 2px, transparent 2px 6px)",
    "||": "repeating-linear-gradient(90deg, rgba(255,255,255,.55) 0 2px, transparent 2px 6px)",
    "++": "repeating-linear-gradient(0deg, rgba(255,255,255,.5) 0 2px, transparent 2px 6px), "
          "repeating-linear-gradient(90deg, rgba(255,255,255,.5) 0 2px, transparent 2px 6px)",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: str
    width: float
    color: str
    pattern: str


@dataclass(frozen=True)
class StatusBars:
    """Counts by status as data for a page's HTML bars and for :func:`status_chart` (same words, same
    colours, same alt text)."""

    title: str
    alt: str
    table: ChartTable
    source: str
    total: int
    items: tuple
    styles: tuple
    values: tuple
    unit: str = ""

    @property
    def rows(self) -> list[Bar]:
        top = max(max(self.values), 1)
        return [Bar(style.label, value, fmt(value * 100 / self.total, 0) if self.total else "0",
                    round(100 * value / top, 1), style.color, _PATTERNS.get(style.hatch, ""))
                for style, value in zip(self.styles, self.values, strict=True)]


def status_bars(counts: Mapping[str, int] | Sequence[tuple[str, int]], *, title: str, period: str | None = None,
                unit: str = "", source: str = "") -> StatusBars:
    """Counts by status, styled and described, without drawing (a live page shows them as HTML bars).

    Examples
    --------
    >>> bars = status_bars({"Đúng tiến độ": 12, "Chậm": 2}, title="Tình trạng nhiệm vụ", unit="nhiệm vụ")
    >>> [(b.label, b.value, b.percent, b.width) for b in bars.rows]
    [('Đúng tiến độ', 12, '86', 100.0), ('Chậm', 2, '14', 16.7)]
    """
    items = tuple(counts.items()) if isinstance(counts, Mapping) else tuple(tuple(x) for x in counts)
    if not items:
        raise ValueError("chưa có số liệu")
    styles = tuple(status_style(key, i) for i, (key, _) in enumerate(items))
    values = tuple(int(v) for _, v in items)
    if period and period not in title:
        title = f"{title} — {period}"
    total = sum(values)
    what = f" {unit}" if unit else ""
    alt = f"{title}: tổng {total}{what}; " + ", ".join(
        f"{s.label} {v}" for s, v in zip(styles, values, strict=True)) + "."
    table = ChartTable(("Tình trạng", "Số lượng", "Tỷ lệ"),
                       tuple((s.label, str(v), f"{fmt(v * 100 / total, 0) if total else '0'}%")
                             for s, v in zip(styles, values, strict=True)))
    return StatusBars(title, alt, table, source, total, items, styles, values, unit)


def status_chart(counts: Mapping[str, int] | Sequence[tuple[str, int]], *, title: str,
                 period: str | None = None, unit: str = "", source: str = "") -> Chart:
    """Horizontal bars of counts by status (report board, task board), in the order given.

    Parameters
    ----------
    counts : mapping or sequence of (status, count)
        Status as key or Vietnamese word ("Đúng tiến độ", "chua_co_du_lieu", "Đã gửi" …).
    title : str
        "Tình trạng nhiệm vụ"; the ``period`` is appended ("— Quý III/2020").
    period : str, optional
        The period or year, for the title.
    unit : str
        What is counted ("nhiệm vụ", "báo cáo"), for the axis and the alt text.

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = status_chart({"Đúng tiến độ": 12, "Có nguy cơ": 3, "Chậm": 2}, title="Tình trạng nhiệm vụ",
    ...                      period="Quý III/2020", unit="nhiệm vụ")
    >>> chart.alt
    'Tình trạng nhiệm vụ — Quý III/2020: tổng 17 nhiệm vụ; Đúng tiến độ 12, Có nguy cơ 3, Chậm 2.'
    """
    bars = status_bars(counts, title=title, period=period, unit=unit, source=source)
    items, styles, values, total = bars.items, bars.styles, bars.values, bars.total
    title, alt, table = bars.title, bars.alt, bars.table

    def draw(fig):
        ax = fig.subplots()
        y = np.arange(len(items))
        for i, (style, value) in enumerate(zip(styles, values, strict=True)):
            ax.barh(y[i], value, color=style.color, hatch=style.hatch, edgecolor="white", linewidth=0,
                    height=0.62, zorder=2)
            share = f" ({fmt(value * 100 / total, 0)}%)" if total else ""
            ax.annotate(f"{value}{share}", (value, y[i]), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8.5, fontweight="bold")
        ax.set_yticks(y)
        ax.set_yticklabels([s.label for s in styles], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, max(max(values), 1) * 1.25)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.set_major_formatter(tick_formatter(0))
        ax.set_xlabel(f"Số {unit}" if unit else "Số lượng")
        ax.grid(axis="x", zorder=0)
        ax.tick_params(axis="y", length=0)

    return Chart(title, alt, table, draw, size=(WIDTH_IN, max(1.9, 1.0 + 0.36 * len(items))), source=source)
