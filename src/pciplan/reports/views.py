"""Report pages: thin — fetch through the access rule, call a selector or service, render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pciplan.audit.selectors import history_for
from pciplan.clock import today
from pciplan.lib.dates import format_date
from pciplan.lib.errors import DomainError
from pciplan.officedoc import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, recipient_lines
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.orgs.models import Organisation, Role
from pciplan.plans.models import Target, Task, TaskStatus
from pciplan.web.chartcache import Drawn

from . import calendar, consolidation, documents, offline, reminders, selectors, services
from .access import may_coordinate, may_review
from .filetypes import ACCEPT_ATTR, ACCEPTED_TEXT
from .models import ConsolidatedReport, Evidence, ReportStatus, ReportVersion, UnitReport

IMPORT_SESSION_KEY = "reports-import-{}"



def _posted_version(data) -> int:
    """The version a form was opened at; anything but a whole number is a stale form (-1), never a 500."""
    try:
        return int(data.get("version") or 0)
    except (TypeError, ValueError):
        return -1

def _period(request, period_id, *, edit=False):
    return get_for_user(request, selectors.period_get(), period_id, edit=edit)


def _report(request, report_id, *, edit=False):
    return get_for_user(request, selectors.report_get(), report_id, edit=edit)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------------ index
@login_required
def index(request):
    scope = scope_for(request)
    day = today()
    periods = list(selectors.periods_for_scope(scope))
    mine = selectors.reports_for_unit(scope, periods) if scope.is_unit_role else {}
    rows = []
    required_cache: dict[int, set[int]] = {}
    for period in periods:
        days = (period.due_date - day).days
        row = {"period": period, "report": mine.get(period.pk), "days": days, "days_abs": abs(days),
               "coordinate": may_coordinate(scope, period)}
        if scope.is_unit_role and scope.org is not None:
            if period.pk not in required_cache:
                required_cache[period.pk] = selectors.required_unit_ids(period)
            row["required"] = scope.org.pk in required_cache[period.pk]
        rows.append(row)
    current = selectors.current_period(periods, day)
    counts = {}
    if periods and not scope.is_unit_role:
        from django.db.models import Count, Q

        for item in (UnitReport.objects.filter(period__in=periods).values("period_id")
                     .annotate(sent=Count("id", filter=Q(status__in=["sent", "accepted"])),
                               accepted=Count("id", filter=Q(status="accepted")),
                               returned=Count("id", filter=Q(status="returned")))):
            counts[item["period_id"]] = item
    for row in rows:
        row["counts"] = counts.get(row["period"].pk, {})
    return render(request, "reports/index.html", {
        "rows": rows, "current": current, "today": day, "scope": scope, "unit": scope.org if scope.is_unit_role else None,
    })


# ------------------------------------------------------------------------------------------------ board
@login_required
def period_board(request, period_id):
    period, may_edit = _period(request, period_id)
    scope = scope_for(request)
    day = today()
    board = selectors.board(period, day)
    siblings = list(period.plan.periods.order_by("due_date"))
    own_row = next((r for r in board.rows if scope.is_unit_role and scope.org and r.unit.pk == scope.org.pk), None)
    can_start = (scope.is_unit_role and scope.org is not None and own_row is None
                 and scope.org.pk in selectors.eligible_unit_ids(period.plan))
    chart = documents.outcome_bars(board) if board.total.total else None
    return render(request, "reports/board.html", {
        "period": period, "plan": period.plan, "board": board, "may_coordinate": may_edit,
        "may_review": may_review(scope, period), "siblings": siblings, "today": day, "chart": chart,
        "own_row": own_row, "can_start": can_start,
        "consolidated": ConsolidatedReport.objects.filter(period=period).first(),
    })


@login_required
def board_xlsx(request, period_id):
    period, _ = _period(request, period_id)
    board = selectors.board(period, today())
    return _download(documents.board_xlsx(board), documents.filename(period, "theo doi bao cao", "xlsx"),
                     XLSX_CONTENT_TYPE)


@login_required
@require_POST
def report_start(request, period_id, unit_id):
    period, _ = _period(request, period_id)
    unit = Organisation.objects.filter(pk=unit_id).first()
    if unit is None or not scope_for(request).works_in(unit.pk):
        raise PermissionDenied("Bạn chỉ lập báo cáo cho đơn vị của mình.")
    try:
        report = services.report_start(actor=request.user, period=period, unit=unit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("reports:period", args=[period.pk]))
    return HttpResponseRedirect(reverse("reports:report", args=[report.pk]))


@login_required
@require_POST
def remind(request, period_id, unit_id):
    period, _ = _period(request, period_id, edit=True)
    unit = Organisation.objects.filter(pk=unit_id, parent_id=period.plan.issuer_id).first()
    if unit is None:
        raise Http404
    try:
        result = reminders.remind_unit(actor=request.user, period=period, unit=unit, today=today())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.failed:
            messages.warning(request, f"Đã gửi {result.sent} thư nhắc tới {unit.name}; {result.failed} thư lỗi.")
        else:
            messages.success(request, f"Đã gửi {result.sent} thư nhắc tới cán bộ {unit.name}.")
    return HttpResponseRedirect(reverse("reports:period", args=[period.pk]) + "#don-vi")


# ---------------------------------------------------------------------------------------------- reports
FIELD_NAMES = ("status", "progress", "completed_on", "done_text", "results", "difficulties", "proposals")
VALUE_NAMES = ("value", "method", "source_url", "measured_on")


def _posted(request, report):
    """The changes a form submits: report fields, per-entry and per-indicator fields (only those present)."""
    post = request.POST
    fields = {name: post[name] for name in services.REPORT_FIELDS if name in post}
    entries, values = {}, {}
    entry_ids, value_ids = selectors.report_row_ids(report)
    for pk in entry_ids:
        changes = {n: post[f"e{pk}-{n}"] for n in FIELD_NAMES if f"e{pk}-{n}" in post}
        if changes:
            entries[pk] = changes
    for pk in value_ids:
        changes = {n: post[f"v{pk}-{n}"] for n in VALUE_NAMES if f"v{pk}-{n}" in post}
        if changes:
            values[pk] = changes
    return fields, entries, values


def _form_rows(detail, *, posted=None, saved=None):
    """Rows for the form: what to show in each field (posted values after a refused save)."""
    fields, entries, values = posted or ({}, {}, {})
    rows = []
    for entry in detail["entries"]:
        shown = {n: getattr(entry, n) for n in FIELD_NAMES}
        if entry.completed_on:
            shown["completed_on"] = format_date(entry.completed_on)
        shown.update(entries.get(entry.pk, {}))
        shared = all(a.organisation_id != entry.report.unit_id for a in entry.task.assignments.all())
        stored = None
        mine = entries.get(entry.pk) or {}
        if saved is not None and any(str(mine.get(n, "")).strip() != str(getattr(entry, n) or "").strip()
                                     for n in ("status", "done_text", "results", "difficulties", "proposals")
                                     if n in mine):
            stored = {n: getattr(entry, n) for n in FIELD_NAMES}
            stored["status"] = entry.get_status_display()
        rows.append({"entry": entry, "p": f"e{entry.pk}", "v": shown, "shared": shared, "saved": stored,
                     "evidence": detail["evidence_by_task"].get(entry.task_id, [])})
    value_rows = []
    for row in detail["values"]:
        shown = {n: getattr(row, n) for n in VALUE_NAMES}
        if row.value is not None:
            from pciplan.lib.numbers import format_number

            shown["value"] = format_number(row.value, 2, strip=True, thousands=False)
        if row.measured_on:
            shown["measured_on"] = format_date(row.measured_on)
        shown.update(values.get(row.pk, {}))
        value_rows.append({"row": row, "p": f"v{row.pk}", "v": shown, "evidence": detail["evidence_by_target"].get(row.target_id, [])})
    return rows, value_rows, fields


def _report_context(request, report, may_edit, *, posted=None, conflict=None, error=None, status=200):
    scope = scope_for(request)
    detail = selectors.report_detail(report)
    rows, value_rows, fields = _form_rows(detail, posted=posted, saved=conflict)
    period = report.period
    day = today()
    latest = detail["versions"][-1] if detail["versions"] else None
    context = {
        "report": report, "period": period, "plan": period.plan, "may_edit": may_edit, "detail": detail,
        "own_rows": [r for r in rows if not r["shared"]], "shared_rows": [r for r in rows if r["shared"]],
        "value_rows": value_rows, "general": {n: fields.get(n, getattr(report, n)) for n in services.REPORT_FIELDS},
        "statuses": TaskStatus.choices, "may_send": may_edit and scope.role == Role.UNIT_HEAD,
        "may_review": report.status == ReportStatus.SENT and may_review(scope, period),
        "latest": latest, "content": latest.content if latest and not may_edit else None,
        "support": selectors.supporting_inputs(report), "today": day, "days_left": (period.due_date - day).days,
        "conflict": conflict, "error": error, "accept": ACCEPT_ATTR, "accepted_text": ACCEPTED_TEXT,
        "max_mb": settings.PCIPLAN_MAX_UPLOAD_BYTES // (1024 * 1024),
        "targets": Target.objects.filter(plan=period.plan).order_by("order", "id") if may_edit else [],
        "version": conflict.version if conflict else report.version,
    }
    return render(request, "reports/report.html", context, status=status)


@login_required
def report_detail(request, report_id):
    report, may_edit = _report(request, report_id)
    return _report_context(request, report, may_edit)


@login_required
@require_POST
def report_save(request, report_id):
    report, _ = _report(request, report_id, edit=True)
    posted = _posted(request, report)
    fields, entries, values = posted
    action = request.POST.get("action", "save")
    try:
        report = services.report_save(actor=request.user, report=report,
                                      expected_version=_posted_version(request.POST),
                                      fields=fields, entries=entries, values=values)
    except services.ConcurrentEditError as exc:
        return _report_context(request, exc.current, True, posted=posted, conflict=exc.current, error=exc.message,
                               status=409)
    except DomainError as exc:
        return _report_context(request, report, True, posted=posted, error=exc.message, status=400)
    if action == "send":
        try:
            version = services.report_send(actor=request.user, report=report)
        except DomainError as exc:
            messages.error(request, f"Đã lưu dự thảo nhưng chưa gửi: {exc.message}")
            return HttpResponseRedirect(reverse("reports:report", args=[report.pk]))
        late = f" — muộn {version.late_days} ngày so với hạn" if version.late_days else ""
        messages.success(request, f"Đã gửi báo cáo (lần {version.number}) tới {report.period.consolidator.name}{late}.")
    else:
        messages.success(request, f"Đã lưu dự thảo lúc {dt.datetime.now().strftime('%H:%M')}.")
    return HttpResponseRedirect(reverse("reports:report", args=[report.pk]))


@login_required
@require_POST
def report_review(request, report_id, decision):
    report, _ = _report(request, report_id)
    if not may_review(scope_for(request), report.period):
        raise PermissionDenied("Chỉ văn phòng tổng hợp của kỳ báo cáo mới tiếp nhận hoặc trả lại báo cáo.")
    comment = request.POST.get("comment", "")
    try:
        if decision == "tiep-nhan":
            services.report_accept(actor=request.user, report=report, comment=comment)
            messages.success(request, f"Đã tiếp nhận báo cáo của {report.unit.name}.")
        elif decision == "tra-lai":
            services.report_return(actor=request.user, report=report, comment=comment)
            messages.success(request, f"Đã trả lại báo cáo cho {report.unit.name}, kèm ý kiến.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("reports:report", args=[report.pk]) + "#tiep-nhan")
    return HttpResponseRedirect(reverse("reports:period", args=[report.period_id]))


@login_required
def version_detail(request, report_id, number):
    report, _ = _report(request, report_id)
    version = ReportVersion.objects.filter(report=report, number=number).select_related("review").first()
    if version is None:
        raise Http404
    versions = list(ReportVersion.objects.filter(report=report).select_related("review").order_by("number"))
    return render(request, "reports/version.html", {"report": report, "period": report.period, "plan": report.period.plan,
                                                    "version": version, "content": version.content,
                                                    "versions": versions})


@login_required
def report_history(request, report_id):
    report, _ = _report(request, report_id)
    return render(request, "audit/history.html", {"object": report, "entries": history_for(report), "back": report,
                                                  "title": f"Lịch sử — {report}"})


# --------------------------------------------------------------------------------------------- evidence
@login_required
@require_POST
def evidence_add(request, report_id):
    report, _ = _report(request, report_id, edit=True)
    task = target = None
    ref = request.POST.get("ref", "")
    if ref.startswith("task-"):
        task = Task.objects.filter(pk=ref[5:] or 0, plan_id=report.period.plan_id).first()
    elif ref.startswith("target-"):
        target = Target.objects.filter(pk=ref[7:] or 0, plan_id=report.period.plan_id).first()
    title = request.POST.get("title", "")
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            limit = settings.PCIPLAN_MAX_UPLOAD_BYTES
            if upload.size > limit:
                raise DomainError(f"Tệp “{upload.name}” vượt mức cho phép {limit // (1024 * 1024)} MB.", field="file")
            data = upload.read(limit + 1)
            services.evidence_add_file(actor=request.user, report=report, name=upload.name, data=data, title=title,
                                       task=task, target=target)
            messages.success(request, f"Đã thêm tệp minh chứng “{upload.name}”.")
        elif request.POST.get("url", "").strip():
            services.evidence_add_link(actor=request.user, report=report, url=request.POST["url"], title=title,
                                       task=task, target=target)
            messages.success(request, "Đã thêm liên kết minh chứng.")
        else:
            raise DomainError("Chọn một tệp hoặc nhập một liên kết.", field="file")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("reports:report", args=[report.pk]) + "#minh-chung")


@login_required
def evidence_download(request, evidence_id):
    qs = Evidence.objects.select_related("report", "report__period", "report__period__plan")
    evidence, _ = get_for_user(request, qs, evidence_id)
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name or "minh-chung",
                            content_type=evidence.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, evidence_id):
    qs = Evidence.objects.select_related("report", "report__period", "report__period__plan", "report__unit")
    evidence, _ = get_for_user(request, qs, evidence_id, edit=True)
    report_id = evidence.report_id
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, "Đã xóa minh chứng.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("reports:report", args=[report_id]) + "#minh-chung")


# ---------------------------------------------------------------------------------------------- offline
@login_required
def report_workbook(request, report_id):
    report, _ = _report(request, report_id)
    name = documents.filename(report.period, f"bao cao {report.unit.short_name or report.unit.name}", "xlsx")
    return _download(offline.workbook(report), name, XLSX_CONTENT_TYPE)


@login_required
def report_import(request, report_id):
    report, _ = _report(request, report_id, edit=True)
    context = {"report": report, "period": report.period, "plan": report.period.plan, "preview": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = "Chọn tệp Excel (.xlsx) đã điền."
        elif upload.size > settings.PCIPLAN_MAX_UPLOAD_BYTES:
            context["error"] = "Tệp quá lớn."
        else:
            try:
                preview = offline.parse(report, upload.read())
            except DomainError as exc:
                context["error"] = exc.message
            else:
                context["preview"] = preview
                context["filename"] = upload.name
                if not preview.errors and preview.changes:
                    request.session[IMPORT_SESSION_KEY.format(report.pk)] = {**preview.payload(), "filename": upload.name}
        return render(request, "reports/import.html", context, status=400 if context.get("error") else 200)
    return render(request, "reports/import.html", context)


@login_required
@require_POST
def report_import_confirm(request, report_id):
    report, _ = _report(request, report_id, edit=True)
    payload = request.session.pop(IMPORT_SESSION_KEY.format(report.pk), None)
    if not payload:
        messages.error(request, "Không còn bản xem trước để ghi; hãy tải tệp lên lại.")
        return HttpResponseRedirect(reverse("reports:import", args=[report.pk]))
    try:
        offline.apply(actor=request.user, report=report, payload=payload, filename=payload.get("filename", ""))
    except DomainError as exc:
        messages.error(request, f"Chưa ghi nội dung từ tệp Excel: {exc.message}")
        return HttpResponseRedirect(reverse("reports:import", args=[report.pk]))
    messages.success(request, "Đã ghi các thay đổi từ tệp Excel vào dự thảo.")
    return HttpResponseRedirect(reverse("reports:report", args=[report.pk]))


# ----------------------------------------------------------------------------------------- consolidated
def _sections_from_post(post, report: ConsolidatedReport) -> list[dict]:
    return [{"key": s["key"], "title": post.get(f"title-{s['key']}", s["title"]),
             "text": post.get(f"text-{s['key']}", s.get("text", ""))} for s in report.sections]


@login_required
def consolidated_edit(request, period_id):
    period, _ = _period(request, period_id, edit=True)
    day = today()
    try:
        report = consolidation.consolidated_for(actor=request.user, period=period, today=day)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("reports:period", args=[period.pk]))
    error, status = None, 200
    if request.method == "POST":
        post = request.POST
        try:
            report = consolidation.consolidated_save(
                actor=request.user, report=report, expected_version=_posted_version(post),
                sections=_sections_from_post(post, report), summary=post.get("summary", report.summary),
                opening=post.get("opening", report.opening), recipients=post.get("recipients", "").split("\n"),
                archive=post.get("archive", report.archive), signer_authority=post.get("signer_authority", ""),
                signer_title=post.get("signer_title", ""), signer_name=post.get("signer_name", ""))
        except DomainError as exc:
            error, status = exc.message, 409 if exc.code == "conflict" else 400
            report.sections = [{**s, **{k: v for k, v in n.items() if k in ("title", "text")}}
                               for s, n in zip(report.sections, _sections_from_post(post, report), strict=True)]
        else:
            messages.success(request, "Đã lưu báo cáo tổng hợp.")
            target = "reports:consolidated_preview" if post.get("action") == "preview" else "reports:consolidated"
            return HttpResponseRedirect(reverse(target, args=[period.pk]))
    return render(request, "reports/consolidated.html", {
        "period": period, "plan": period.plan, "report": report, "sections": consolidation.numbered_sections(report.sections),
        "stale": consolidation.is_stale(report), "error": error, "sources": selectors.accepted_versions(period),
        "symbol": consolidation.document_symbol(period.plan), "today": day,
    }, status=status)


@login_required
@require_POST
def consolidated_rebuild(request, period_id):
    period, _ = _period(request, period_id, edit=True)
    report = ConsolidatedReport.objects.filter(period=period).first()
    if report is None:
        return HttpResponseRedirect(reverse("reports:consolidated", args=[period.pk]))
    try:
        consolidation.consolidated_rebuild(actor=request.user, report=report, today=today())
        messages.success(request, "Đã lập lại nội dung từ các báo cáo đã tiếp nhận.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("reports:consolidated", args=[period.pk]))


def _consolidated_or_404(period):
    report = ConsolidatedReport.objects.filter(period=period).select_related("period").first()
    if report is None:
        raise Http404
    return report


@login_required
def consolidated_preview(request, period_id):
    period, may_edit = _period(request, period_id)
    report = _consolidated_or_404(period)
    day = today()
    board = selectors.board(period, day)
    doc = documents.consolidated_document(report, today=day, board=board, chart_png=b"")
    return render(request, "reports/preview.html", {
        "period": period, "plan": period.plan, "report": report, "doc": doc, "may_edit": may_edit,
        "sections": consolidation.numbered_sections(report.sections), "board": board,
        "table": documents.outcome_table(board), "chart": Drawn.of(documents.outcome_chart(board), kind="board") if board.total.total else None,
        "number_line": f"Số:        /{doc.symbol}", "date_line": f"{doc.place}, ngày      tháng {doc.month} năm {doc.year}",
        "recipients": recipient_lines(doc.recipients, doc.archive),
    })


@login_required
def consolidated_docx(request, period_id):
    period, _ = _period(request, period_id)
    report = _consolidated_or_404(period)
    data = documents.consolidated_docx(report, today=today())
    from pciplan.audit.services import audit_record

    audit_record(actor=request.user, obj=report, action="export", root=period.plan,
                 message=f"Tải báo cáo tổng hợp {period.label} (DOCX)")
    return _download(data, documents.filename(period, "bao cao tong hop", "docx"), DOCX_CONTENT_TYPE)


@login_required
def consolidated_annex(request, period_id):
    period, _ = _period(request, period_id)
    return _download(documents.annex_xlsx(period, today()), documents.filename(period, "phu luc bao cao", "xlsx"),
                     XLSX_CONTENT_TYPE)


# --------------------------------------------------------------------------------------------- calendar
@login_required
def calendar_page(request):
    scope = scope_for(request)
    units = []
    if scope.is_unit_role and scope.org is not None:
        units = [scope.org]
    elif scope.is_admin or scope.role == Role.COORDINATOR:
        home = scope.home
        if home is not None:
            units = list(Organisation.objects.filter(parent=home, kind=Organisation.Kind.UNIT).order_by("name"))
    base = request.build_absolute_uri("/").rstrip("/")
    feeds = [{"unit": u, "url": base + reverse("reports:calendar_feed", args=[u.pk, calendar.feed_token(u.pk)])}
             for u in units]
    return render(request, "reports/calendar.html", {"feeds": feeds})


def calendar_feed(request, unit_id, token):
    if not calendar.token_ok(unit_id, token):
        raise Http404
    unit = Organisation.objects.filter(pk=unit_id, kind=Organisation.Kind.UNIT).first()
    if unit is None:
        raise Http404
    data = calendar.unit_calendar(unit, base_url=request.build_absolute_uri("/").rstrip("/"), host=request.get_host())
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="pci-{unit.code}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
