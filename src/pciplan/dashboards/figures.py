"""Charts of the trend page, drawn by :mod:`pciplan.charts` and kept in the cache: a chart depends only on
the figures it shows, so the same figures give the same SVG."""

from __future__ import annotations

from pciplan.charts import radar_chart, trend_chart
from pciplan.web.chartcache import Drawn

from .trends import Trends


def trend_figure(trends: Trends) -> Drawn | None:
    points = trends.comparable_points
    if not points or trends.province is None:
        return None
    years = [p.year for p in points]
    rank_targets = {y: v for y, v in trends.rank_targets.items() if y in years}
    inputs = {"years": years, "totals": [p.total for p in points], "ranks": [p.rank for p in points],
              "of": {p.year: p.of for p in points}, "targets": rank_targets, "province": trends.province.name}

    def build():
        return trend_chart(years, inputs["totals"], ranks=inputs["ranks"], ranked_count=inputs["of"],
                           rank_targets=rank_targets or None, province=trends.province.name,
                           source="Nguồn: VCCI, PCI các năm (pcivietnam.vn).")
    return Drawn.of(build(), kind="trend")


def peer_figure(trends: Trends) -> Drawn | None:
    peer = trends.latest_peer
    if peer is None or trends.province is None:
        return None
    subs = [s for s in trends.subindices if s.code in peer.cells]
    if len(subs) < 3:
        return None
    inputs = {"labels": [s.name for s in subs], "ours": [peer.cells[s.code].ours for s in subs],
              "median": [peer.cells[s.code].median for s in subs], "best": [peer.cells[s.code].best for s in subs],
              "year": peer.year, "best_name": peer.best_name, "province": trends.province.name}

    def build():
        return radar_chart(inputs["labels"], inputs["ours"], median=inputs["median"], best=inputs["best"],
                           best_name=f"{peer.best_name} (hạng 1)", year=peer.year, province=trends.province.name,
                           source=f"Nguồn: VCCI, PCI {peer.year}; trung vị của {peer.n} tỉnh, thành phố.")
    return Drawn.of(build(), kind="peer")
