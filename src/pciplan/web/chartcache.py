"""Drawn charts, kept in the cache.

Drawing a chart with matplotlib takes 0,1–1 s; a page shows the same figures to everyone until the
figures change. A :class:`pciplan.charts.Chart` is described completely by what it shows — its title,
its alt text (every number), its data table, its source line and its size — so that description is the
cache key: the same figures give the same drawing, and changed figures a new key (nothing to invalidate).
The cache is Django's (per process by default, shared across processes with ``PCIPLAN_REDIS_URL``).

This is the one place pages and documents draw charts through; :mod:`pciplan.charts` itself stays pure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from pciplan.charts import Chart, ChartTable

CACHE_SECONDS = 24 * 3600


def _key(chart: Chart, fmt: str, kind: str) -> str:
    text = "\n".join([kind, fmt, chart.title, chart.alt, chart.source, repr(chart.table), repr(chart.size)])
    return f"pciplan:chart:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def svg(chart: Chart, *, kind: str = "") -> str:
    """The chart's inline SVG (:meth:`Chart.svg`), drawn once per distinct content."""
    key = _key(chart, "svg", kind)
    out = cache.get(key)
    if out is None:
        out = chart.svg()
        cache.set(key, out, CACHE_SECONDS)
    return out


def png(chart: Chart, dpi: int = 200, *, kind: str = "") -> bytes:
    """The chart's PNG (:meth:`Chart.png`) at ``dpi``, drawn once per distinct content."""
    key = _key(chart, f"png{dpi}", kind)
    out = cache.get(key)
    if out is None:
        out = chart.png(dpi)
        cache.set(key, out, CACHE_SECONDS)
    return out


@dataclass(frozen=True)
class Drawn:
    """What a template needs of a chart: the SVG already drawn, the title, the alt text and the table."""

    svg: str
    title: str
    alt: str
    table: ChartTable
    chart: Chart

    @classmethod
    def of(cls, chart: Chart | None, *, kind: str = "") -> Drawn | None:
        if chart is None:
            return None
        return cls(svg(chart, kind=kind), chart.title, chart.alt, chart.table, chart)
