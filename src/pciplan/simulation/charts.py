"""The simulator's charts, drawn by :mod:`pciplan.charts` (SVG on the page, PNG for reports).

SVGs are cached by what they show (title, alt text and table hold every number), so moving a slider back
to a value already seen costs nothing.
"""

from __future__ import annotations

import numpy as np

from pciplan import charts as pc
from pciplan.engine.scoring import competition_rank, round_total
from pciplan.web import chartcache

from .compute import Answer, Outcome
from .setup import Setup

KINDS = ("radar", "xep-hang", "xu-huong")


def _source(setup: Setup, *years: int) -> str:
    listed = ", ".join(str(y) for y in sorted(set(years)))
    return f"Nguồn: VCCI, PCI {listed}; điểm mục tiêu do người dùng nhập trong pciplan (mô phỏng)."


def radar(setup: Setup, outcome: Outcome) -> pc.Chart:
    """Our starting scores vs the simulated targets vs the national median and the best province of the latest
    year with every province's sub-index scores (named on the chart)."""
    labels = [r.name for r in outcome.rows]
    ours = [r.base for r in outcome.rows]
    target = [r.value for r in outcome.rows]
    ref = setup.reference
    median = best = None
    best_name = "Tỉnh dẫn đầu"
    years = [setup.base_year]
    if ref is not None:
        median = np.nanmedian(ref.subscores, axis=0).tolist()
        ranks = np.where(np.isnan(ref.published_ranks), np.inf, ref.published_ranks)
        top = int(np.argmin(ranks)) if np.isfinite(ranks).any() else int(np.nanargmax(ref.totals))
        best = ref.subscores[top].tolist()
        best_name = f"{ref.names[top]} (dẫn đầu {ref.year})"
        years.append(ref.year)
    title = (f"Chỉ số thành phần: {setup.province_name} {setup.base_year} và mục tiêu {setup.field_year}"
             + (f", so với trung vị cả nước và tỉnh dẫn đầu năm {ref.year}" if ref is not None else ""))
    return pc.radar_chart(labels, ours, year=setup.field_year, province=f"{setup.province_name} {setup.base_year}",
                          target=target, median=median, best=best, best_name=best_name, title=title,
                          source=_source(setup, *years))


def ranking(setup: Setup, outcome: Outcome, answer: Answer | None) -> pc.Chart:
    """Every province's published total of the field year, ours replaced by the simulated total."""
    fld = setup.field
    mask = fld.others(setup.province_slug)
    ours = f"{setup.province_name} (mô phỏng)"
    names = [n for n, keep in zip(fld.names, mask, strict=True) if keep] + [ours]
    totals = np.append(fld.totals[mask], round_total(outcome.total_after))
    ranks = competition_rank(totals)
    target = target_label = None
    if answer is not None and answer.required is not None:
        target, target_label = answer.required, f"Ngưỡng {answer.goal.split(' năm')[0]}"
    title = (f"PCI {setup.field_year}: tổng điểm {len(names)} tỉnh, thành phố — {setup.province_name} theo điểm "
             "mô phỏng")
    return pc.ranking_chart(list(zip(names, totals.tolist(), strict=True)), year=setup.field_year, highlight=ours,
                            ranks=dict(zip(names, ranks.tolist(), strict=True)), target=target,
                            target_label=target_label, title=title,
                            source=f"Nguồn: VCCI, PCI {setup.field_year} (tổng điểm công bố các tỉnh khác); điểm của "
                                   f"{setup.province_name} tính từ điểm mô phỏng.")


def trend(setup: Setup, outcome: Outcome) -> pc.Chart:
    """Our published totals and ranks over the years, with the simulated total and the plan's rank target."""
    points = [p for p in setup.history if p.total is not None]
    years = [p.year for p in points]
    totals = [p.total for p in points]
    ranks = [p.rank for p in points]
    counts = {p.year: p.n_ranked or setup.n_ranked for p in points}
    if setup.field_year not in years:
        years.append(setup.field_year)
        totals.append(None)
        ranks.append(None)
        counts[setup.field_year] = setup.n_ranked
        order = np.argsort(years)
        years, totals, ranks = ([seq[i] for i in order] for seq in (years, totals, ranks))
    rank_targets = None
    if setup.targets is not None and setup.targets.rank is not None:
        rank_targets = {setup.plan.year: setup.targets.rank}
    span = f"{years[0]}–{years[-1]}"
    title = (f"PCI của {setup.province_name}, {span}: điểm và thứ hạng công bố; ◇ điểm mô phỏng năm "
             f"{setup.field_year}" + (", mục tiêu thứ hạng của kế hoạch" if rank_targets else ""))
    return pc.trend_chart(years, totals, ranks=ranks, ranked_count=counts, province=setup.province_name,
                          targets={setup.field_year: round_total(outcome.total_after)}, rank_targets=rank_targets,
                          title=title, source=f"Nguồn: VCCI, PCI {years[0]}–{max(p.year for p in points)}"
                          + ("; trước 2013 theo phương pháp cũ" if any(p.before_edition for p in points) else "")
                          + ".")


def build(kind: str, setup: Setup, outcome: Outcome, answer: Answer | None) -> pc.Chart:
    if kind == "radar":
        return radar(setup, outcome)
    if kind == "xep-hang":
        return ranking(setup, outcome, answer)
    if kind == "xu-huong":
        return trend(setup, outcome)
    raise KeyError(kind)


def svg(kind: str, chart: pc.Chart) -> str:
    return chartcache.svg(chart, kind=f"simulation-{kind}")


def png(kind: str, chart: pc.Chart) -> bytes:
    return chartcache.png(chart, 200, kind=f"simulation-{kind}")
