"""What the evaluation takes from the reporting cycle (:mod:`pciplan.reports`): report punctuality and
task outcomes per unit over the year.

Until the reporting app provides its selectors, ``report_punctuality`` answers ``None`` (the pages say
"Chưa có dữ liệu báo cáo định kỳ") and task outcomes are derived from the plan's tasks with
:func:`pciplan.plans.outcomes.task_outcome`.
"""

from __future__ import annotations

import importlib


def _reports_selectors():
    try:
        return importlib.import_module("pciplan.reports.selectors")
    except ModuleNotFoundError as exc:
        if exc.name == "pciplan.reports.selectors":
            return None
        raise


def report_punctuality(plan, year: int, org_ids: list[int]) -> dict[int, dict] | None:
    """``{org_id: {"due": n, "on_time": n, "late": n, "missing": n, "items": [...]}}`` or ``None``."""
    module = _reports_selectors()
    func = getattr(module, "unit_punctuality", None) if module else None
    if func is None:
        return None
    return func(plan=plan, year=year, org_ids=org_ids)


def task_outcomes_from_reports(plan, year: int, org_ids: list[int]) -> dict[int, dict] | None:
    module = _reports_selectors()
    func = getattr(module, "unit_task_outcomes", None) if module else None
    if func is None:
        return None
    return func(plan=plan, year=year, org_ids=org_ids)
