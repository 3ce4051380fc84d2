"""Reporting periods and unit reports, through the reports app's access rule and selectors (read only:
drafting and sending happen on the pages, where the unit head approves)."""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from pciplan.orgs.access import access_for, get_for_user, scope_for
from pciplan.reports import selectors
from pciplan.reports.models import ReportIndicatorValue, ReportTaskEntry, UnitReport

from .schemas import OrgRef, Pagination, responses

router = Router(tags=["Báo cáo"])


class PeriodOut(Schema):
    id: int
    plan_id: int
    code: str
    label: str
    kind: str
    year: int
    quarter: int | None
    start: dt.date
    cutoff: dt.date
    due_date: dt.date
    consolidator: OrgRef


class ReportOut(Schema):
    id: int
    period_id: int
    unit: OrgRef
    status: str
    version: int
    sent_count: int
    first_sent_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    late_days: int | None


class EntryOut(Schema):
    task_id: int
    status: str
    progress: int
    completed_on: dt.date | None
    done_text: str
    results: str
    difficulties: str
    proposals: str


class ValueOut(Schema):
    target_id: int
    value: float | None
    method: str
    source_url: str
    measured_on: dt.date | None


class ReportDetailOut(ReportOut):
    summary: str
    difficulties: str
    proposals: str
    entries: list[EntryOut]
    values: list[ValueOut]


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _period(p) -> dict:
    return {"id": p.pk, "plan_id": p.plan_id, "code": p.code, "label": p.label, "kind": p.kind, "year": p.year,
            "quarter": p.quarter, "start": p.start, "cutoff": p.cutoff, "due_date": p.due_date,
            "consolidator": _org(p.consolidator)}


def _report(r) -> dict:
    return {"id": r.pk, "period_id": r.period_id, "unit": _org(r.unit), "status": r.status, "version": r.version,
            "sent_count": r.sent_count, "first_sent_at": r.first_sent_at, "last_sent_at": r.last_sent_at,
            "late_days": r.late_days}


@router.get("/reports/periods", response=responses(list[PeriodOut]), summary="Kỳ báo cáo người dùng được xem")
@paginate(Pagination)
def periods(request):
    return [_period(p) for p in selectors.periods_for_scope(scope_for(request))]


@router.get("/reports/periods/{period_id}/reports", response=responses(list[ReportOut]),
            summary="Báo cáo của các đơn vị trong một kỳ (những báo cáo người dùng được xem)")
@paginate(Pagination)
def period_reports(request, period_id: int):
    period, _ = get_for_user(request, selectors.period_get(), period_id)
    reports = (UnitReport.objects.filter(period=period).select_related("unit", "period", "period__plan")
               .order_by("unit__name"))
    return [_report(r) for r in reports if access_for(request, r).read]


@router.get("/reports/{report_id}", response=responses(ReportDetailOut), summary="Một báo cáo đơn vị")
def report_detail(request, report_id: int):
    report, _ = get_for_user(request, selectors.report_get(), report_id)
    entries = ReportTaskEntry.objects.filter(report=report).order_by("order", "id")
    values = ReportIndicatorValue.objects.filter(report=report).order_by("order", "id")
    return {**_report(report), "summary": report.summary, "difficulties": report.difficulties,
            "proposals": report.proposals,
            "entries": [{"task_id": e.task_id, "status": e.status, "progress": e.progress, "completed_on": e.completed_on,
                         "done_text": e.done_text, "results": e.results, "difficulties": e.difficulties,
                         "proposals": e.proposals} for e in entries],
            "values": [{"target_id": v.target_id, "value": float(v.value) if v.value is not None else None,
                        "method": v.method, "source_url": v.source_url, "measured_on": v.measured_on} for v in values]}
