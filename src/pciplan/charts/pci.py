"""Index charts: sub-index radar, ranking of all provinces, trend of our total and rank."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .base import WIDTH_IN, Chart, ChartTable, join
from .style import (
    BEST,
    MEDIAN,
    OTHERS,
    OURS,
    TARGET,
    fmt,
    fmt_unit,
    tick_formatter,
    wrap,
)


def _check_lengths(name: str, values: Sequence | None, n: int) -> None:
    if values is not None and len(values) != n:
        raise ValueError(f"{name}: cần {n} giá trị, có {len(values)}")


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------------------------- radar
def radar_chart(labels: Sequence[str], ours: Sequence[float | None], *, year: int, province: str,
                target: Sequence[float | None] | None = None, median: Sequence[float | None] | None = None,
                best: Sequence[float | None] | None = None, best_name: str = "Tỉnh dẫn đầu",
                title: str | None = None, source: str = "", scale: tuple[float, float] = (0, 10),
                index_name: str = "PCI") -> Chart:
    """Radar of our sub-index scores against the target, the national median and the best province.

    Parameters
    ----------
    labels : sequence of str
        Sub-index short names in Vietnamese ("Gia nhập thị trường", "Tính minh bạch", …).
    ours : sequence of float
        Our scores, same order (``None`` for a sub-index without a score).
    year : int
        Edition year, shown in the title.
    province : str
        Our province ("Bắc Giang").
    target, median, best : sequence of float, optional
        Target scores, national median, and the best province's scores (named by ``best_name``).
    title, source : str
        Title (default "Chỉ số thành phần PCI {year} — {province}") and footnote ("Nguồn: VCCI …").
    scale : (float, float)
        Radial axis range (sub-indices run 1–10).

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = radar_chart(["Gia nhập thị trường", "Tính minh bạch", "Chi phí thời gian"],
    ...                     [6.99, 5.39, 8.68], target=[7.61, 7.0, 7.08], year=2020, province="Bắc Giang")
    >>> chart.title
    'Chỉ số thành phần PCI 2020 — Bắc Giang'
    >>> "6,99" in chart.alt
    True
    """
    n = len(labels)
    if n < 3:
        raise ValueError("biểu đồ radar cần ít nhất 3 chỉ số")
    _check_lengths("ours", ours, n)
    for name, values in (("target", target), ("median", median), ("best", best)):
        _check_lengths(name, values, n)
    title = title or f"Chỉ số thành phần {index_name} {year} — {province}"
    series = [(province, ours, "ours")]
    if target is not None:
        series.append((f"Mục tiêu {year}", target, "target"))
    if median is not None:
        series.append(("Trung vị cả nước", median, "median"))
    if best is not None:
        series.append((best_name, best, "best"))

    parts = []
    for i, label in enumerate(labels):
        extra = []
        for name, values, kind in series[1:]:
            value = _num(values[i])
            if value is not None:
                word = {"target": "mục tiêu", "median": "trung vị"}.get(kind, name)
                extra.append(f"{word} {fmt(value)}")
        parts.append(f"{label} {fmt(_num(ours[i]))}" + (f" ({', '.join(extra)})" if extra else ""))
    alt = (f"Biểu đồ radar {n} chỉ số thành phần {index_name} {year} của {province} (thang điểm "
           f"{fmt(scale[0], 0)}–{fmt(scale[1], 0)}): " + join(parts) + ".")
    table = ChartTable(
        ("Chỉ số thành phần", *[name for name, _, _ in series]),
        tuple((label, *[fmt(_num(values[i])) for _, values, _ in series]) for i, label in enumerate(labels)),
    )

    def draw(fig):
        ax = fig.add_subplot(projection="polar")
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
        closed = np.concatenate([angles, angles[:1]])
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(*scale)
        step = 2 if scale[1] - scale[0] >= 8 else 1
        ax.set_yticks(np.arange(scale[0] + step, scale[1] + 0.01, step))
        ax.yaxis.set_major_formatter(tick_formatter(1))
        ax.tick_params(axis="y", labelsize=7, colors="#777777")
        ax.set_rlabel_position(180 / n)
        ax.set_xticks(angles)
        ax.set_xticklabels([wrap(label, 20) for label in labels], fontsize=8.5)
        ax.tick_params(axis="x", pad=6)
        ax.grid(color="#D5D5D5", linewidth=0.6)
        ax.spines["polar"].set_color("#BBBBBB")
        styles = {
            "ours": {"color": OURS, "linewidth": 2.2, "marker": "o", "markersize": 4.5, "zorder": 5},
            "target": {"color": TARGET, "linewidth": 1.3, "linestyle": (0, (5, 3)), "marker": "s",
                       "markersize": 3.5, "markerfacecolor": "white", "zorder": 4},
            "median": {"color": MEDIAN, "linewidth": 1.2, "linestyle": ":", "marker": "^", "markersize": 3.5,
                       "zorder": 3},
            "best": {"color": BEST, "linewidth": 1.2, "linestyle": "-.", "marker": "D", "markersize": 3,
                     "zorder": 3},
        }
        for name, values, kind in reversed(series):
            data = np.array([np.nan if _num(v) is None else float(v) for v in values])
            ax.plot(closed, np.concatenate([data, data[:1]]), label=name, **styles[kind])
            if kind == "ours":
                ax.fill(closed, np.nan_to_num(np.concatenate([data, data[:1]]), nan=scale[0]), color=OURS,
                        alpha=0.10, zorder=2)
        handles, names = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], names[::-1], loc="lower center", ncols=min(4, len(series)))

    return Chart(title, alt, table, draw, size=(WIDTH_IN, 5.4), source=source)


# ------------------------------------------------------------------------------------------- ranking
def ranking_chart(scores: Mapping[str, float] | Sequence[tuple[str, float]], *, year: int, highlight: str,
                  ranks: Mapping[str, int] | None = None, target: float | None = None,
                  target_label: str | None = None, show_median: bool = True, title: str | None = None,
                  source: str = "", unit: str = "điểm", index_name: str = "PCI") -> Chart:
    """All provinces' totals as horizontal bars, best at the top, our province highlighted.

    Parameters
    ----------
    scores : mapping or sequence of (name, score)
        Every ranked province's total for the year (63, or 34 from 2025).
    year : int
        Edition year.
    highlight : str
        Our province (must be in ``scores``).
    ranks : mapping, optional
        Published ranks. They are facts and win over the order of the scores (ties: VCCI ranked
        Bắc Giang 27th and Khánh Hòa 28th with 63,98 each in 2020). Without them the order of equal
        scores is the order given.
    target : float, optional
        Target score, drawn as a dashed line.
    show_median : bool
        Draw the median of the scores as a dotted line.

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = ranking_chart({"Quảng Ninh": 75.09, "Bắc Giang": 63.98, "Khánh Hòa": 63.98},
    ...                       ranks={"Quảng Ninh": 1, "Bắc Giang": 27, "Khánh Hòa": 28}, year=2020,
    ...                       highlight="Bắc Giang", target=65)
    >>> "hạng 27" in chart.alt
    True
    """
    items = list(scores.items()) if isinstance(scores, Mapping) else [tuple(x) for x in scores]
    items = [(str(name), float(value)) for name, value in items if _num(value) is not None]
    if not items:
        raise ValueError("không có điểm số nào để vẽ")
    names = [name for name, _ in items]
    if highlight not in names:
        raise ValueError(f"“{highlight}” không có trong danh sách tỉnh")
    if ranks:
        order = sorted(range(len(items)), key=lambda i: (ranks.get(items[i][0], 10**6), i))
    else:
        order = sorted(range(len(items)), key=lambda i: (-items[i][1], i))
    items = [items[i] for i in order]
    count = len(items)
    position = {name: (ranks[name] if ranks and name in ranks else pos)
                for pos, (name, _) in enumerate(items, start=1)}
    values = np.array([v for _, v in items])
    median = float(np.median(values))
    ours_value = dict(items)[highlight]
    ours_rank = position[highlight]
    title = title or f"{index_name} {year}: điểm số của {count} tỉnh, thành phố"
    target_label = target_label or "Mục tiêu"
    alt = join([
        f"{index_name} {year} của {count} tỉnh, thành phố, xếp từ cao xuống thấp: cao nhất {items[0][0]} "
        f"{fmt_unit(items[0][1], unit)}",
        f"{highlight} {fmt_unit(ours_value, unit)}, hạng {ours_rank}/{count}",
        f"thấp nhất {items[-1][0]} {fmt_unit(items[-1][1], unit)}",
        f"trung vị {fmt_unit(median, unit)}" if show_median else "",
        f"{target_label.lower()} {fmt_unit(target, unit)}" if target is not None else "",
    ]) + "."
    table = ChartTable(("Hạng", "Tỉnh, thành phố", f"Điểm {year}"),
                       tuple((str(position[name]), name, fmt(value)) for name, value in items))

    def draw(fig):
        ax = fig.add_subplot()
        y = np.arange(count)
        colors = [OURS if name == highlight else OTHERS for name, _ in items]
        ax.barh(y, values, color=colors, height=0.72, zorder=2)  # bars start at the axis floor
        ax.set_yticks(y)
        ax.set_yticklabels([f"{position[name]}. {name}" for name, _ in items], fontsize=7)
        for label, (name, _) in zip(ax.get_yticklabels(), items, strict=True):
            if name == highlight:
                label.set_fontweight("bold")
                label.set_color(OURS)
        ax.invert_yaxis()
        ax.set_ylim(count - 0.4, -0.6)
        low = min(values.min(), median, target if target is not None else values.min())
        high = max(values.max(), target if target is not None else values.max())
        floor = max(0.0, 5 * math.floor((low - 2) / 5))
        ax.set_xlim(floor, high + (high - floor) * 0.22)
        ax.xaxis.set_major_formatter(tick_formatter(1))
        what = f"Tổng điểm {index_name} ({unit})" if unit else f"Tổng điểm {index_name}"
        ax.set_xlabel(what + (f" — trục bắt đầu từ {fmt(floor, 0)}" if floor > 0 else ""))
        ax.grid(axis="x", zorder=0)
        ax.tick_params(axis="y", length=0)
        idx = [name for name, _ in items].index(highlight)
        ax.annotate(f"{fmt(ours_value)} — hạng {ours_rank}/{count}", (ours_value, idx), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8, fontweight="bold", color=OURS)
        if show_median:
            ax.axvline(median, color=MEDIAN, linestyle=":", linewidth=1.2, zorder=3)
            ax.annotate(f"Trung vị {fmt(median)}", (median, count - 1), xytext=(3, 0),
                        textcoords="offset points", fontsize=7.5, color=MEDIAN, va="center")
        if target is not None:
            ax.axvline(target, color=TARGET, linestyle=(0, (5, 3)), linewidth=1.3, zorder=4)
            ax.annotate(f"{target_label} {fmt(target)}", (target, 0), xytext=(3, 0),
                        textcoords="offset points", fontsize=7.5, color=TARGET, va="center",
                        fontweight="bold")

    height = max(3.0, 1.1 + 0.135 * count)
    return Chart(title, alt, table, draw, size=(WIDTH_IN, height), source=source)


# --------------------------------------------------------------------------------------------- trend
def trend_chart(years: Sequence[int], totals: Sequence[float | None], *, province: str,
                ranks: Sequence[int | None] | None = None, ranked_count: int | Mapping[int, int] = 63,
                targets: float | Mapping[int, float] | None = None,
                rank_targets: int | Mapping[int, int] | None = None, title: str | None = None,
                source: str = "", unit: str = "điểm", index_name: str = "PCI") -> Chart:
    """Our total over the years, and our rank in a second panel below (1 at the top).

    Parameters
    ----------
    years, totals : sequences
        Years and total scores (``None`` where there is no published score; the line breaks there).
    province : str
        Our province.
    ranks : sequence of int, optional
        Published ranks, same order as ``years``.
    ranked_count : int or mapping year → int
        How many provinces were ranked (63; 34 from 2025), for "27/63".
    targets : float or mapping year → float, optional
        Target score: one value (a line) or per year (hollow diamonds).
    rank_targets : int or mapping year → int, optional
        Target rank(s).

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = trend_chart([2019, 2020], [64.47, 63.98], ranks=[40, 27], province="Bắc Giang",
    ...                     rank_targets={2020: 30})
    >>> chart.title
    'PCI của Bắc Giang, 2019–2020: điểm số và thứ hạng'
    >>> "2020: 63,98 điểm, hạng 27/63" in chart.alt
    True
    """
    n = len(years)
    if n == 0:
        raise ValueError("chưa có năm nào")
    _check_lengths("totals", totals, n)
    _check_lengths("ranks", ranks, n)
    years = [int(y) for y in years]
    values = [_num(v) for v in totals]
    rank_values = [None if r is None else int(r) for r in ranks] if ranks is not None else None

    def count_for(year: int) -> int:
        return ranked_count.get(year, 63) if isinstance(ranked_count, Mapping) else int(ranked_count)

    def per_year(spec) -> dict[int, float]:
        if spec is None:
            return {}
        if isinstance(spec, Mapping):
            return {int(k): float(v) for k, v in spec.items()}
        return {}

    span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
    title = title or (f"{index_name} của {province}, {span}: điểm số và thứ hạng" if rank_values
                      else f"Điểm {index_name} của {province}, {span}")
    parts = []
    for i, year in enumerate(years):
        text = f"{year}: {fmt_unit(values[i], unit)}"
        if rank_values and rank_values[i] is not None:
            text += f", hạng {rank_values[i]}/{count_for(year)}"
        parts.append(text)
    target_map = per_year(targets)
    rank_target_map = per_year(rank_targets)
    extras = []
    if isinstance(targets, int | float):
        extras.append(f"mục tiêu {fmt_unit(float(targets), unit)}")
    extras += [f"mục tiêu {y}: {fmt_unit(v, unit)}" for y, v in sorted(target_map.items())]
    if isinstance(rank_targets, int):
        extras.append(f"mục tiêu thứ hạng {rank_targets}")
    extras += [f"mục tiêu thứ hạng {y}: {int(v)}/{count_for(y)}" for y, v in sorted(rank_target_map.items())]
    alt = f"{index_name} của {province} qua các năm — " + join(parts) + (
        ". " + join(extras).capitalize() if extras else "") + "."
    columns = ["Năm", f"Điểm ({unit})"] + (["Thứ hạng"] if rank_values else [])
    rows = []
    for i, year in enumerate(years):
        row = [str(year), fmt(values[i])]
        if rank_values:
            row.append("—" if rank_values[i] is None else f"{rank_values[i]}/{count_for(year)}")
        rows.append(tuple(row))
    table = ChartTable(tuple(columns), tuple(rows))

    def draw(fig):
        if rank_values:
            ax, ax_rank = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        else:
            ax, ax_rank = fig.subplots(1, 1), None
        x = np.array(years)
        y = np.array([np.nan if v is None else v for v in values])
        ax.plot(x, y, color=OURS, linewidth=2, marker="o", markersize=4.5, label=f"Điểm {index_name}", zorder=4)
        for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
            if not np.isnan(yi):
                up = _label_above(y, i)
                ax.annotate(fmt(yi), (xi, yi), xytext=(0, 6 if up else -7), textcoords="offset points",
                            ha="center", va="bottom" if up else "top", fontsize=7, color=OURS)
        if isinstance(targets, int | float):
            ax.axhline(float(targets), color=TARGET, linestyle=(0, (5, 3)), linewidth=1.2,
                       label=f"Mục tiêu {fmt(float(targets))}")
        if target_map:
            tx = sorted(target_map)
            ax.plot(tx, [target_map[t] for t in tx], linestyle="none", marker="D", markersize=6,
                    markerfacecolor="white", markeredgecolor=TARGET, markeredgewidth=1.3,
                    label="Mục tiêu điểm", zorder=5)
        finite = [float(v) for v in y[~np.isnan(y)]] + list(target_map.values())
        if isinstance(targets, int | float):
            finite.append(float(targets))
        low, high = min(finite), max(finite)
        pad = max((high - low) * 0.12, 1.0)
        ax.set_ylim(low - pad, high + pad)
        ax.yaxis.set_major_formatter(tick_formatter(1))
        ax.set_ylabel(f"Điểm ({unit})")
        ax.grid(axis="y")
        if ax_rank is not None:
            r = np.array([np.nan if v is None else v for v in rank_values], dtype=float)
            ax_rank.plot(x, r, color=OURS, linewidth=1.6, marker="s", markersize=4, linestyle="--",
                         label="Thứ hạng", zorder=4)
            for i, (xi, ri, year) in enumerate(zip(x, r, years, strict=True)):
                if not np.isnan(ri):
                    up = _label_above(-r, i)  # rank axis is inverted: a better rank is higher
                    ax_rank.annotate(f"{int(ri)}/{count_for(year)}", (xi, ri), xytext=(0, 6 if up else -7),
                                     textcoords="offset points", ha="center", va="bottom" if up else "top",
                                     fontsize=7, color=OURS)
            if isinstance(rank_targets, int):
                ax_rank.axhline(rank_targets, color=TARGET, linestyle=(0, (5, 3)), linewidth=1.2,
                                label=f"Mục tiêu hạng {rank_targets}")
            if rank_target_map:
                tx = sorted(rank_target_map)
                ax_rank.plot(tx, [rank_target_map[t] for t in tx], linestyle="none", marker="D",
                             markersize=6, markerfacecolor="white", markeredgecolor=TARGET,
                             markeredgewidth=1.3, label="Mục tiêu thứ hạng", zorder=5)
            all_ranks = [float(v) for v in r[~np.isnan(r)]] + list(rank_target_map.values())
            if isinstance(rank_targets, int):
                all_ranks.append(rank_targets)
            best_rank, worst = (min(all_ranks), max(all_ranks)) if all_ranks else (1, 63)
            span = max(worst - best_rank, 4)
            lowest, highest = worst + span * 0.25, max(0.0, best_rank - span * 0.25)
            ax_rank.set_ylim(lowest, highest)
            step = 10 if span > 15 else 5 if span > 6 else 1
            ax_rank.set_yticks([t for t in [1, *range(step, int(lowest) + 1, step)] if highest <= t <= lowest])
            ax_rank.set_ylabel("Thứ hạng\n(1 = cao nhất)")
            ax_rank.grid(axis="y")
            bottom = ax_rank
        else:
            bottom = ax
        handles, names = ax.get_legend_handles_labels()
        if ax_rank is not None:
            more_handles, more_names = ax_rank.get_legend_handles_labels()
            handles, names = handles + more_handles, names + more_names
        fig.legend(handles, names, loc="lower center", ncols=min(4, len(handles)))
        bottom.set_xticks(x)
        bottom.set_xticklabels([str(v) for v in years], rotation=45 if n > 12 else 0)
        bottom.set_xlim(x.min() - 0.5, x.max() + 0.5)

    return Chart(title, alt, table, draw, size=(WIDTH_IN, 4.8 if rank_values else 3.2), source=source)


def _label_above(values: np.ndarray, i: int) -> bool:
    """Put a point's label above it unless it sits below both neighbours' mean (a dip)."""
    neighbours = [values[j] for j in (i - 1, i + 1) if 0 <= j < len(values) and not np.isnan(values[j])]
    return not neighbours or values[i] >= float(np.mean(neighbours))
