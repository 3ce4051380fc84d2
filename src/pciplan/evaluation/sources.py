"""What the evaluation takes from the reporting cycle (:mod:`pciplan.reports`): report punctuality per unit
over the year, and the cut-off day of the year's data.

Punctuality comes from ``reports.selectors.unit_punctuality(plan=, year=, org_ids=)`` when the reporting
app provides it; otherwise it is read from the app's per-period board (:func:`reports.selectors.board`),
one board per reporting period of the year (a handful of periods, a fixed number of queries each). Task
outcomes are derived with the same rule the reporting board uses (:func:`pciplan.plans.outcomes.task_outcome`)
at the cut-off of the year's annual report.
"""

from __future__ import annotations

import datetime as dt
import importlib


def _reports_selectors():
    try:
        return importlib.import_module("pciplan.reports.selectors")
    except ModuleNotFoundError as exc:
        if exc.name in ("pciplan.reports.selectors", "pciplan.reports"):
            return None
        raise


def _periods(plan, year: int):
    try:
        from pciplan.reports.models import Period
    except ImportError:  # pragma: no cover - a build without the reporting app
        return []
    return list(Period.objects.filter(plan=plan, year=year).select_related("plan", "plan__issuer", "rule",
                                                                         "consolidator").order_by("due_date", "code"))


def annual_cutoff(plan, year: int) -> dt.date | None:
    """The cut-off of the year's data in the plan's reporting periods (e.g. 14/12), if any."""
    periods = _periods(plan, year)
    return max((p.cutoff for p in periods), default=None)


def report_punctuality(plan, year: int, org_ids: list[int], *, today: dt.date) -> dict[int, dict] | None:
    """``{org_id: {"due", "on_time", "late", "missing", "upcoming", "items": [...]}}``, or ``None`` when
    the plan has no reporting periods for the year."""
    module = _reports_selectors()
    if module is None:
        return None
    func = getattr(module, "unit_punctuality", None)
    if func is not None:
        return func(plan=plan, year=year, org_ids=org_ids)
    board = getattr(module, "board", None)
    periods = _periods(plan, year)
    if board is None or not periods:
        return None
    out = {org_id: {"due": 0, "on_time": 0, "late": 0, "missing": 0, "upcoming": 0, "items": []} for org_id in org_ids}
    for period in periods:
        result = board(period, today)
        for row in result.rows:
            entry = out.get(row.unit.pk)
            if entry is None or not row.required:
                continue
            item = {"period": period.label, "due_date": period.due_date.isoformat(), "state": row.state,
                    "label": row.state_label, "tone": row.tone, "late_days": row.late_days}
            entry["items"].append(item)
            sent = row.sent or row.state == "returned"
            if period.due_date >= today and not sent:
                entry["upcoming"] += 1
                continue
            entry["due"] += 1
            if sent:
                entry["late" if row.late_days else "on_time"] += 1
            else:
                entry["missing"] += 1
    for e in out.values():
        e["required"] = bool(e["items"])
    return out
