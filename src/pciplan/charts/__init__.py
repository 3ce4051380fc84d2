"""Server-side charts for pages (SVG) and documents (PNG), one style for both.

Pure library (matplotlib, numpy; no Django). Every function returns a :class:`Chart` with ``.svg()``,
``.png(dpi)``, a Vietnamese ``title`` with the year, an ``alt`` text that states the numbers, and a
``table`` of the same data for readers who read rather than look.

- :func:`radar_chart` — our sub-indices vs target, national median, best province.
- :func:`ranking_chart` — all provinces' totals, sorted, ours highlighted, target line.
- :func:`trend_chart` — our total over the years, rank in a second panel.
- :func:`target_chart` — baseline → target → result per target, met/missed.
- :func:`estimate_chart` — survey estimates with confidence intervals against a target.
- :func:`status_chart` — counts by status (report and task boards).
"""

from .base import Chart, ChartTable
from .pci import radar_chart, ranking_chart, trend_chart
from .results import Estimate, TargetResult, estimate_chart, estimate_status, status_chart, target_chart
from .style import (
    AT_RISK,
    LATE,
    MET,
    MISSED,
    NO_DATA,
    ON_TRACK,
    PALETTE,
    UNCERTAIN,
    StatusStyle,
    status_style,
)

__all__ = [
    "AT_RISK",
    "LATE",
    "MET",
    "MISSED",
    "NO_DATA",
    "ON_TRACK",
    "PALETTE",
    "UNCERTAIN",
    "Chart",
    "ChartTable",
    "Estimate",
    "StatusStyle",
    "TargetResult",
    "estimate_chart",
    "estimate_status",
    "radar_chart",
    "ranking_chart",
    "status_chart",
    "status_style",
    "target_chart",
    "trend_chart",
]
