"""Start-up of a server process: load everything once, then keep the garbage collector off it.

A worker that imports its views lazily pays for it on its first requests, and afterwards Python's cyclic
garbage collector walks the ~200 000 long-lived objects of Django, NumPy, pandas and matplotlib on every
full collection: a pause of 50–110 ms that lands on a random request (measured with
``benchmarks/bench_dashboards.py``: the unit head's home went from p95 155 ms to 60 ms). :func:`warm_up`
imports every view through the URL configuration, compiles the templates, then moves what is alive into
the permanent generation with :func:`gc.freeze`, which the collector no longer scans. Objects made by
requests are collected as before.

Called by :mod:`pciplan.wsgi` (so by every gunicorn worker); ``PCIPLAN_WARMUP=0`` turns it off.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def _compile_templates() -> int:
    """Compile the product's own templates (the cached loader keeps them)."""
    from pathlib import Path

    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

    count = 0
    for engine in engines.all():
        for folder in map(Path, engine.dirs):
            for path in sorted(folder.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(folder).as_posix())
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    continue
                count += 1
    return count


def warm_up(*, freeze: bool = True) -> dict:
    """Import the views, compile the templates and (by default) freeze the survivors; returns figures."""
    start = time.perf_counter()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module and what it needs
    templates = _compile_templates()
    gc.collect()
    if freeze:
        gc.freeze()
    figures = {"templates": templates, "frozen": gc.get_freeze_count(), "seconds": round(time.perf_counter() - start, 2)}
    log.info("warm-up: %(templates)d templates, %(frozen)d objects frozen, %(seconds)s s", figures)
    return figures
