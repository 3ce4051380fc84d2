"""Writes for the reporting cycle. Each function is one transaction, checks who acts, and leaves an audit
entry. Statuses change only here, through guarded transitions:

    draft ──(unit head sends)──▶ sent ──(consolidating unit accepts)──▶ accepted
      ▲                           │
      └──── returned ◀──(returns with a comment)

A sent version is an immutable snapshot (:class:`~.models.ReportVersion`); a draft is saved with an
optimistic version number, so the second of two people editing the same draft is told, and loses
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from pciplan.audit.models import AuditEntry
from pciplan.audit.services import audit_create, audit_record, audit_transition
from pciplan.audit.services import snapshot as audit_snapshot
from pciplan.clock import today as clock_today
from pciplan.lib.dates import format_date
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, format_number, parse_decimal
from pciplan.lib.text import nfc
from pciplan.orgs.access import Scope, scope_for
from pciplan.orgs.models import Organisation, Role
from pciplan.plans import services as plan_services
from pciplan.plans.models import Plan, PlanStatus, TaskStatus
from pciplan.plans.outcomes import OUTCOME_LABELS, task_outcome

from . import selectors
from .access import may_review
from .filetypes import FileTypeError, check_upload
from .models import (
    Evidence,
    Period,
    ReportIndicatorValue,
    ReportReview,
    ReportStatus,
    ReportTaskEntry,
    ReportVersion,
    UnitReport,
)
from .periods import days_late, periods_for

REPORT_FIELDS = ("summary", "difficulties", "proposals")
ENTRY_FIELDS = ("status", "progress", "completed_on", "done_text", "results", "difficulties", "proposals")
VALUE_FIELDS = ("value", "method", "source_url", "measured_on")
TEXT_LIMIT = 20_000

ENTRY_LABELS = {"status": "Tình trạng", "progress": "Tiến độ (%)", "completed_on": "Ngày hoàn thành",
                "done_text": "Công việc đã thực hiện", "results": "Kết quả đạt được",
                "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị"}
VALUE_LABELS = {"value": "Giá trị đo được", "method": "Cách đo, nguồn số liệu", "source_url": "Liên kết nguồn",
                "measured_on": "Ngày đo"}
REPORT_LABELS = {"summary": "Tình hình chung", "difficulties": "Khó khăn, vướng mắc chung",
                 "proposals": "Đề xuất, kiến nghị chung"}


class ConcurrentEditError(DomainError):
    """Someone saved the draft after it was opened: nothing of this save was written."""

    def __init__(self, report: UnitReport):
        who = report.updated_by.get_full_name() if report.updated_by_id else "một người khác"
        when = timezone.localtime(report.updated_at).strftime("%H:%M %d/%m/%Y") if report.updated_at else ""
        super().__init__(
            f"Báo cáo vừa được {who} lưu lúc {when}, sau khi bạn mở trang. Nội dung bạn nhập CHƯA được lưu và vẫn "
            "còn trong các ô bên dưới; phần đã được lưu hiện ở dòng “Bản đang lưu”. Hãy đối chiếu rồi bấm Lưu lại.",
            code="conflict")
        self.current = report


# --------------------------------------------------------------------------------------------- helpers
# What saving, sending and reviewing change on a report: reloaded after the guarded UPDATE, keeping the
# period, plan and unit already loaded (``refresh_from_db()`` would drop them and cost a query each).
STATE_FIELDS = ["status", "version", "sent_count", "summary", "difficulties", "proposals", "updated_at",
                "updated_by", "first_sent_at", "last_sent_at", "late_days", "returned_comment", "decided_at"]


def _scope(actor) -> Scope:
    return scope_for(actor)


def _require_member(actor, unit: Organisation, what: str = "lập, sửa báo cáo") -> None:
    if actor is None:
        return
    scope = _scope(actor)
    if not scope.works_in(unit.pk):
        raise DomainError(f"Chỉ cán bộ của {unit.name} mới được {what} của đơn vị này.")


def _text(value, label: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    text = "\n".join(nfc(line) if line.strip() else "" for line in text.split("\n"))
    if len(text) > TEXT_LIMIT:
        raise DomainError(f"{label}: nội dung dài quá {format_number(TEXT_LIMIT, 0)} ký tự.")
    return text


def _date(value, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    from pciplan.lib.dates import parse_date

    try:
        return parse_date(str(value))
    except ValueError:
        raise DomainError(f"{label}: ngày phải có dạng ngày/tháng/năm, ví dụ 28/8/2020.")


def _url(value, label: str) -> str:
    url = (value or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(f"{label}: “{url[:80]}” không phải là địa chỉ trang web (bắt đầu bằng http:// hoặc https://).")
    if len(url) > 500:
        raise DomainError(f"{label}: địa chỉ dài quá 500 ký tự.")
    return url


def _plain(value):
    if isinstance(value, Decimal):
        return format_number(value, 4, strip=True, thousands=False).replace(",", ".")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------------------------- periods
@transaction.atomic
def periods_generate(*, actor, plan: Plan) -> list[Period]:
    """Create or bring up to date the periods defined by the plan's reporting rules (idempotent)."""
    out: list[Period] = []
    seen: set[str] = set()
    for rule in plan.reporting_rules.select_related("consolidator").order_by("id"):
        specs = periods_for(year=plan.year, quarters=rule.quarters, annual=rule.annual,
                            quarter_due_day=rule.quarter_due_day, annual_due_month=rule.annual_due_month,
                            annual_due_day=rule.annual_due_day, plan_start=plan.start_date)
        for spec in specs:
            if spec.code in seen:
                continue
            seen.add(spec.code)
            values = {"rule": rule, "kind": spec.kind, "year": spec.year, "quarter": spec.quarter,
                      "covers_quarter": spec.covers_quarter, "start": spec.start, "cutoff": spec.cutoff,
                      "due_date": spec.due, "consolidator": rule.consolidator,
                      "due_text": (rule.quarter_due_text if spec.kind == "quarter" else rule.annual_due_text)[:200]}
            period = Period.objects.filter(plan=plan, code=spec.code).first()
            if period is None:
                period = Period.objects.create(plan=plan, code=spec.code, **values)
                audit_create(actor=actor, obj=period, root=plan, message=f"Kỳ báo cáo {period.label}")
            else:
                before = {k: getattr(period, k + "_id" if k in ("rule", "consolidator") else k) for k in values}
                after = {k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}
                if before != after:
                    for k, v in values.items():
                        setattr(period, k, v)
                    period.save()
                    audit_record(actor=actor, obj=period, action=AuditEntry.Action.UPDATE, before=before,
                                 after=after, root=plan, message="Cập nhật kỳ báo cáo theo quy định báo cáo")
            out.append(period)
    return out


# --------------------------------------------------------------------------------------------- reports
@transaction.atomic
def report_start(*, actor, period: Period, unit: Organisation, is_sample: bool = False) -> UnitReport:
    """The unit's report for the period, created pre-filled on first use: one entry per task of the unit
    (its own and the agency-wide ones, with their current status) and one row per indicator it owns."""
    _require_member(actor, unit)
    existing = UnitReport.objects.filter(period=period, unit=unit).first()
    if existing:
        return existing
    if period.plan.status != PlanStatus.ISSUED:
        raise DomainError("Chỉ báo cáo kế hoạch đang thực hiện (đã ban hành, chưa kết thúc).")
    if unit.pk not in selectors.eligible_unit_ids(period.plan):
        raise DomainError(f"{unit.name} không có nhiệm vụ trong kế hoạch này, không cần báo cáo.")
    try:
        with transaction.atomic():
            report = UnitReport.objects.create(period=period, unit=unit, created_by=actor, updated_by=actor,
                                               is_sample=is_sample)
    except IntegrityError:  # created meanwhile by a colleague
        return UnitReport.objects.get(period=period, unit=unit)
    previous = _previous_content(period, unit)
    entries = []
    for order, task in enumerate(selectors.unit_tasks(period.plan, unit), start=1):
        carried = previous.get(task.pk, {})
        entries.append(ReportTaskEntry(report=report, task=task, status=task.status, progress=task.progress,
                                       completed_on=task.completed_on, order=order,
                                       **{k: carried.get(k) or "" for k in CARRIED_FIELDS}))
    ReportTaskEntry.objects.bulk_create(entries)
    values = [ReportIndicatorValue(report=report, target=target, order=order)
              for order, target in enumerate(selectors.unit_indicator_targets(period.plan, unit), start=1)]
    ReportIndicatorValue.objects.bulk_create(values)
    audit_create(actor=actor, obj=report, root=period.plan,
                 message=f"Lập báo cáo {period.label}: {len(entries)} nhiệm vụ, {len(values)} chỉ tiêu")
    return report


CARRIED_FIELDS = ("done_text", "results", "difficulties", "proposals")


def _previous_content(period: Period, unit: Organisation) -> dict[int, dict]:
    """What the unit last sent for an earlier period of the plan, by task: a new report starts from it."""
    version = (ReportVersion.objects.filter(report__unit=unit, report__period__plan_id=period.plan_id,
                                            report__period__due_date__lt=period.due_date)
               .order_by("-report__period__due_date", "-number").first())
    if version is None:
        return {}
    return {item["task_id"]: item for item in version.content.get("tasks", [])}


def _clean_entry(entry: ReportTaskEntry, changes: dict, plan: Plan) -> dict:
    clean = {}
    where = f"Nhiệm vụ “{entry.task.text[:60]}…”"
    for name, raw in changes.items():
        if name not in ENTRY_FIELDS:
            raise DomainError(f"Không sửa được trường “{name}”.")
        label = f"{where} — {ENTRY_LABELS[name]}"
        if name == "status":
            if raw not in TaskStatus.values:
                raise DomainError(f"{label}: phải là một trong: {', '.join(str(s.label) for s in TaskStatus)}.",
                                  field=f"e{entry.pk}-status")
            clean[name] = raw
        elif name == "progress":
            try:
                number = Decimal(str(raw).strip().rstrip("%").replace(",", ".")) if raw not in (None, "") else Decimal(0)
                # Checked before int(): int(Decimal("1e999999999")) would build a billion-digit integer.
                if number.is_finite() and number.adjusted() >= 3:  # 1000 or more, either sign
                    raise DomainError(f"{label}: phải từ 0 đến 100.", field=f"e{entry.pk}-progress")
                value = int(number)
            except (ArithmeticError, ValueError):
                raise DomainError(f"{label}: phải là số từ 0 đến 100.", field=f"e{entry.pk}-progress")
            if not 0 <= value <= 100:
                raise DomainError(f"{label}: phải từ 0 đến 100.", field=f"e{entry.pk}-progress")
            clean[name] = value
        elif name == "completed_on":
            clean[name] = _date(raw, label)
        else:
            clean[name] = _text(raw, label)
    status = clean.get("status", entry.status)
    completed_on = clean.get("completed_on", entry.completed_on)
    if status == TaskStatus.DONE:
        if completed_on is None:
            raise DomainError(f"{where}: đã hoàn thành thì cần ngày hoàn thành.", field=f"e{entry.pk}-completed_on")
        if completed_on < plan.start_date:
            raise DomainError(f"{where}: ngày hoàn thành {format_date(completed_on)} sớm hơn ngày ban hành kế hoạch.",
                              field=f"e{entry.pk}-completed_on")
        if completed_on > clock_today():
            raise DomainError(f"{where}: ngày hoàn thành {format_date(completed_on)} chưa tới.",
                              field=f"e{entry.pk}-completed_on")
        clean["progress"] = 100
    elif "status" in clean or "completed_on" in clean:
        clean["completed_on"] = None
    return clean


def _clean_value(row: ReportIndicatorValue, changes: dict) -> dict:
    clean = {}
    where = f"Chỉ tiêu “{row.target.label[:60]}”"
    for name, raw in changes.items():
        if name not in VALUE_FIELDS:
            raise DomainError(f"Không sửa được trường “{name}”.")
        label = f"{where} — {VALUE_LABELS[name]}"
        if name == "value":
            if raw in (None, ""):
                clean[name] = None
                continue
            try:
                value = parse_decimal(raw)
            except NumberFormatError as exc:
                raise DomainError(f"{label}: {exc}.", field=f"v{row.pk}-value")
            if row.target.unit == "%" and not 0 <= value <= 100:
                raise DomainError(f"{label}: tỷ lệ phải từ 0 đến 100%.", field=f"v{row.pk}-value")
            if abs(value) >= Decimal("1e8"):
                raise DomainError(f"{label}: số quá lớn.", field=f"v{row.pk}-value")
            clean[name] = value.quantize(Decimal("0.0001"))
        elif name == "source_url":
            clean[name] = _url(raw, label)
        elif name == "measured_on":
            clean[name] = _date(raw, label)
        else:
            clean[name] = _text(raw, label)
    return clean


def _norm(value):
    if isinstance(value, Decimal):
        return value.normalize()
    return value


@transaction.atomic
def report_save(*, actor, report: UnitReport, expected_version: int, fields: dict | None = None,
                entries: dict | None = None, values: dict | None = None, message: str = "") -> UnitReport:
    """Save a draft. ``entries`` maps an entry id to changed fields, ``values`` an indicator row id.

    Raises :class:`ConcurrentEditError` when the draft was saved by someone else since ``expected_version``
    (nothing is written), and :class:`DomainError` when the report is no longer a draft.
    """
    _require_member(actor, report.unit)
    current = UnitReport.objects.select_related("updated_by", "period", "period__plan", "unit").get(pk=report.pk)
    if not current.editable:
        raise DomainError(f"Báo cáo đã gửi ({current.get_status_display().lower()}): bản đã gửi không sửa được. "
                          "Nếu cần sửa, đề nghị đơn vị tổng hợp trả lại báo cáo.")
    if current.version != int(expected_version):
        raise ConcurrentEditError(current)
    before, after = {}, {}
    report_changes = {}
    for name, raw in (fields or {}).items():
        if name not in REPORT_FIELDS:
            raise DomainError(f"Không sửa được trường “{name}”.")
        value = _text(raw, REPORT_LABELS[name])
        if value != getattr(current, name):
            report_changes[name] = value
            before[name], after[name] = getattr(current, name), value
    entry_rows = {e.pk: e for e in ReportTaskEntry.objects.filter(report=current).select_related("task")}
    entry_changes = {}
    for key, changes in (entries or {}).items():
        entry = entry_rows.get(int(key))
        if entry is None:
            raise DomainError("Nhiệm vụ không thuộc báo cáo này.")
        clean = _clean_entry(entry, changes, current.period.plan)
        diff = {k: v for k, v in clean.items() if _norm(getattr(entry, k)) != _norm(v)}
        if diff:
            entry_changes[entry.pk] = diff
            for k, v in diff.items():
                before[f"{entry.task.key}.{k}"] = _plain(getattr(entry, k))
                after[f"{entry.task.key}.{k}"] = _plain(v)
    value_rows = {v.pk: v for v in ReportIndicatorValue.objects.filter(report=current).select_related("target")}
    value_changes = {}
    for key, changes in (values or {}).items():
        row = value_rows.get(int(key))
        if row is None:
            raise DomainError("Chỉ tiêu không thuộc báo cáo này.")
        clean = _clean_value(row, changes)
        diff = {k: v for k, v in clean.items() if _norm(getattr(row, k)) != _norm(v)}
        if diff:
            value_changes[row.pk] = diff
            for k, v in diff.items():
                before[f"{row.target.key}.{k}"] = _plain(getattr(row, k))
                after[f"{row.target.key}.{k}"] = _plain(v)
    if not before:
        return current
    # Claim the next version first: a concurrent save that got here first makes this one fail whole.
    claimed = UnitReport.objects.filter(pk=current.pk, version=current.version).update(
        version=F("version") + 1, updated_by=actor, updated_at=timezone.now(), **report_changes)
    if not claimed:
        raise ConcurrentEditError(UnitReport.objects.select_related("updated_by").get(pk=current.pk))
    for pk, diff in entry_changes.items():
        ReportTaskEntry.objects.filter(pk=pk).update(**diff)
    for pk, diff in value_changes.items():
        ReportIndicatorValue.objects.filter(pk=pk).update(**diff)
    current.refresh_from_db(fields=STATE_FIELDS)
    audit_record(actor=actor, obj=current, action=AuditEntry.Action.UPDATE, before=before, after=after,
                 root=current.period.plan, message=message or f"Lưu dự thảo báo cáo (lần lưu {current.version})")
    return current


def report_content(report: UnitReport) -> dict:
    """The content of a report as sent: plain JSON, kept forever in :class:`ReportVersion`."""
    detail = selectors.report_detail(report)
    period = report.period
    asof = min(period.cutoff, clock_today())
    tasks = []
    for entry in detail["entries"]:
        task = entry.task
        outcome = task_outcome(timing=task.timing, status=entry.status, deadline=task.deadline,
                               completed_on=entry.completed_on, cutoff=asof)
        tasks.append({
            "task_id": task.pk, "task_key": task.key, "section": task.section, "text": task.text,
            "timing": task.timing, "deadline": task.deadline.isoformat() if task.deadline else None,
            "timing_text": task.timing_text, "target_ids": [t.pk for t in task.targets.all()],
            "shared": all(a.organisation_id != report.unit_id for a in task.assignments.all()),
            "status": entry.status, "status_label": str(TaskStatus(entry.status).label), "progress": entry.progress,
            "completed_on": entry.completed_on.isoformat() if entry.completed_on else None,
            "outcome": str(outcome), "outcome_label": OUTCOME_LABELS[outcome],
            "done_text": entry.done_text, "results": entry.results, "difficulties": entry.difficulties,
            "proposals": entry.proposals,
            "evidence_ids": [e.pk for e in detail["evidence_by_task"].get(task.pk, [])],
        })
    values = [{
        "target_id": v.target_id, "target_key": v.target.key, "label": v.target.label, "unit": v.target.unit,
        "comparator": v.target.comparator, "target_value": _plain(v.target.value),
        "value": _plain(v.value) if v.value is not None else None, "method": v.method, "source_url": v.source_url,
        "measured_on": v.measured_on.isoformat() if v.measured_on else None,
    } for v in detail["values"]]
    evidence = [{
        "id": e.pk, "kind": e.kind, "title": e.title, "original_name": e.original_name, "content_type": e.content_type,
        "size": e.size, "sha256": e.sha256, "url": e.url, "task_id": e.task_id, "target_id": e.target_id,
    } for e in detail["evidence"]]
    return {"unit": report.unit.name, "unit_id": report.unit_id, "period": period.code, "summary": report.summary,
            "difficulties": report.difficulties, "proposals": report.proposals, "tasks": tasks,
            "indicators": values, "evidence": evidence, "is_sample": report.is_sample}


def _apply_task_statuses(*, actor, report: UnitReport, content: dict) -> int:
    """Carry the reported status of the unit's own tasks onto the plan's tasks (shared tasks are not)."""
    from pciplan.plans.models import Task

    changed = 0
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=[i["task_id"] for i in content["tasks"] if not i["shared"]])
             .select_related("plan")}
    for item in content["tasks"]:
        task = tasks.get(item["task_id"])
        if task is None:
            continue
        completed_on = dt.date.fromisoformat(item["completed_on"]) if item["completed_on"] else None
        if (task.status, task.completed_on, task.progress) == (item["status"], completed_on, item["progress"]):
            continue
        plan_services.task_set_status(actor=actor, task=task, status=item["status"], completed_on=completed_on,
                                      progress=item["progress"])
        changed += 1
    return changed


def _check_complete(report: UnitReport) -> None:
    missing = [e for e in ReportTaskEntry.objects.filter(report=report).select_related("task")
               if e.status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE) and not (e.done_text or e.results)]
    if missing:
        names = "; ".join(f"“{e.task.text[:50]}…”" for e in missing[:3])
        more = f" và {len(missing) - 3} nhiệm vụ khác" if len(missing) > 3 else ""
        raise DomainError(f"Chưa ghi công việc đã thực hiện hoặc kết quả cho nhiệm vụ đang thực hiện/đã hoàn thành: "
                          f"{names}{more}.")
    if not report.summary.strip() and not any(
            e.done_text or e.results for e in ReportTaskEntry.objects.filter(report=report)):
        raise DomainError("Báo cáo chưa có nội dung: ghi tình hình chung hoặc kết quả của ít nhất một nhiệm vụ.")


@transaction.atomic
def report_send(*, actor, report: UnitReport, on: dt.date | None = None, at: dt.datetime | None = None) -> ReportVersion:
    """The unit head approves and sends the report: an immutable version is kept, lateness recorded,
    evidence frozen, the unit's task statuses carried onto the plan."""
    scope = _scope(actor)
    if not scope.works_in(report.unit_id):
        raise DomainError(f"Đơn vị chỉ gửi báo cáo của chính mình; báo cáo này là của {report.unit.name}.")
    if getattr(actor, "role", None) != Role.UNIT_HEAD:
        raise DomainError("Chỉ trưởng đơn vị phê duyệt và gửi báo cáo. Cán bộ lưu dự thảo rồi báo trưởng đơn vị.")
    current = UnitReport.objects.select_for_update().select_related("period", "period__plan", "unit").get(pk=report.pk)
    if current.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise DomainError(f"Báo cáo đang ở trạng thái “{current.status_label}”, không gửi được nữa.")
    _check_complete(current)
    on = on or clock_today()
    at = at or timezone.now()
    period = current.period
    content = report_content(current)
    number = current.sent_count + 1
    late = days_late(on, period.due_date)
    version = ReportVersion.objects.create(
        report=current, number=number, sent_at=at, sent_on=on, sent_by=actor,
        sent_by_name=actor.get_full_name() if actor else "", due_date=period.due_date, late_days=late, content=content)
    Evidence.objects.filter(report=current, frozen=False).update(frozen=True)
    from_status = current.status
    claimed = UnitReport.objects.filter(pk=current.pk, version=current.version).update(
        status=ReportStatus.SENT, sent_count=number, version=F("version") + 1, updated_by=actor, updated_at=at,
        last_sent_at=at, first_sent_at=current.first_sent_at or at,
        late_days=current.late_days if current.late_days is not None else late, returned_comment="")
    if not claimed:
        raise ConcurrentEditError(UnitReport.objects.select_related("updated_by").get(pk=current.pk))
    current.refresh_from_db(fields=STATE_FIELDS)
    _apply_task_statuses(actor=actor, report=current, content=content)
    late_text = f" — muộn {late} ngày so với hạn {format_date(period.due_date)}" if late else ""
    audit_transition(actor=actor, obj=current, from_status=from_status, to_status=ReportStatus.SENT, root=period.plan,
                     message=f"Gửi báo cáo {period.label} (lần {number}){late_text}")
    return version


@transaction.atomic
def report_review(*, actor, report: UnitReport, decision: str, comment: str = "",
                  at: dt.datetime | None = None) -> ReportReview:
    """The consolidating unit accepts the sent version, or returns it with a comment."""
    period = Period.objects.select_related("plan", "consolidator").get(pk=report.period_id)
    if not may_review(_scope(actor), period):
        raise DomainError(f"Chỉ {period.consolidator.name} (đơn vị tổng hợp của {period.plan.issuer.name}) "
                          "mới tiếp nhận hoặc trả lại báo cáo.")
    current = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if current.status != ReportStatus.SENT:
        raise DomainError(f"Chỉ báo cáo đã gửi, đang chờ tiếp nhận mới tiếp nhận hoặc trả lại được "
                          f"(báo cáo đang “{current.status_label}”).")
    if decision not in ReportReview.Decision.values:
        raise DomainError("Quyết định phải là tiếp nhận hoặc trả lại.")
    comment = _text(comment, "Ý kiến")
    if decision == ReportReview.Decision.RETURNED and not comment:
        raise DomainError("Trả lại báo cáo thì cần ghi ý kiến: đơn vị cần bổ sung, sửa gì.", field="comment")
    version = ReportVersion.objects.filter(report=current).order_by("-number").first()
    at = at or timezone.now()
    review = ReportReview.objects.create(version=version, decision=decision, comment=comment, by=actor,
                                         by_name=actor.get_full_name(), at=at)
    to_status = ReportStatus.ACCEPTED if decision == ReportReview.Decision.ACCEPTED else ReportStatus.RETURNED
    UnitReport.objects.filter(pk=current.pk).update(
        status=to_status, version=F("version") + 1, decided_at=at,
        returned_comment=comment if to_status == ReportStatus.RETURNED else "")
    current.refresh_from_db(fields=STATE_FIELDS)
    verb = "Tiếp nhận" if to_status == ReportStatus.ACCEPTED else "Trả lại"
    audit_transition(actor=actor, obj=current, from_status=ReportStatus.SENT, to_status=to_status, root=period.plan,
                     message=f"{verb} báo cáo lần {version.number}" + (f": {comment}" if comment else ""))
    return review


def report_accept(*, actor, report: UnitReport, comment: str = "", at: dt.datetime | None = None) -> ReportReview:
    return report_review(actor=actor, report=report, decision=ReportReview.Decision.ACCEPTED, comment=comment, at=at)


def report_return(*, actor, report: UnitReport, comment: str, at: dt.datetime | None = None) -> ReportReview:
    return report_review(actor=actor, report=report, decision=ReportReview.Decision.RETURNED, comment=comment, at=at)


# -------------------------------------------------------------------------------------------- evidence
def _evidence_snapshot(evidence: Evidence) -> dict:
    """Audited values of an evidence row (the file by its stored name; a link has none)."""
    names = [f.name for f in Evidence._meta.concrete_fields if f.name != "file"]
    return {**audit_snapshot(evidence, names), "file": evidence.file.name or None}


def _audit_evidence(actor, evidence: Evidence, action: str, message: str, root) -> None:
    values = _evidence_snapshot(evidence)
    audit_record(actor=actor, obj=evidence, action=action, root=root, message=message,
                 before=values if action == AuditEntry.Action.DELETE else None,
                 after=values if action == AuditEntry.Action.CREATE else None)


def _require_editable(actor, report: UnitReport) -> UnitReport:
    _require_member(actor, report.unit, "thêm, bớt minh chứng")
    current = UnitReport.objects.select_related("unit", "period", "period__plan").get(pk=report.pk)
    if not current.editable:
        raise DomainError("Báo cáo đã gửi: không thêm, bớt minh chứng được nữa.")
    return current


def _check_refs(report: UnitReport, task=None, target=None) -> None:
    if task is not None and not ReportTaskEntry.objects.filter(report=report, task=task).exists():
        raise DomainError("Nhiệm vụ không thuộc báo cáo này.", field="task")
    if target is not None and target.plan_id != report.period.plan_id:
        raise DomainError("Mục tiêu không thuộc kế hoạch này.", field="target")


@transaction.atomic
def evidence_add_file(*, actor, report: UnitReport, name: str, data: bytes, title: str = "", task=None,
                      target=None) -> Evidence:
    """Attach a file: its type is checked by content and its size against ``PCIPLAN_MAX_UPLOAD_BYTES``."""
    current = _require_editable(actor, report)
    _check_refs(current, task, target)
    name = nfc((name or "tep").replace("\\", "/").rsplit("/", 1)[-1])[:200] or "tep"
    try:
        kind = check_upload(name, data, max_bytes=settings.PCIPLAN_MAX_UPLOAD_BYTES)
    except FileTypeError as exc:
        raise DomainError(str(exc), field="file")
    evidence = Evidence(report=current, task=task, target=target, kind=Evidence.Kind.FILE,
                        title=_text(title, "Mô tả")[:300] or name, original_name=name, content_type=kind.content_type,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    evidence.file.save(f"{kind.extensions[0]}.{kind.extensions[0]}", ContentFile(data), save=False)
    stored = evidence.file.name
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    _audit_evidence(actor, evidence, AuditEntry.Action.CREATE, f"Thêm minh chứng: {name}", current.period.plan)
    return evidence


@transaction.atomic
def evidence_add_link(*, actor, report: UnitReport, url: str, title: str = "", task=None, target=None) -> Evidence:
    current = _require_editable(actor, report)
    _check_refs(current, task, target)
    url = _url(url, "Liên kết")
    if not url:
        raise DomainError("Nhập địa chỉ trang web (ví dụ trang Cổng thông tin điện tử của Sở).", field="url")
    evidence = Evidence.objects.create(report=current, task=task, target=target, kind=Evidence.Kind.LINK, url=url,
                                       title=_text(title, "Mô tả")[:300] or url, uploaded_by=actor)
    _audit_evidence(actor, evidence, AuditEntry.Action.CREATE, f"Thêm liên kết minh chứng: {url}", current.period.plan)
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    current = _require_editable(actor, evidence.report)
    if evidence.frozen:
        raise DomainError("Minh chứng đã gửi kèm một bản báo cáo, được lưu giữ cùng bản đó và không xóa được.")
    _audit_evidence(actor, evidence, AuditEntry.Action.DELETE, f"Xóa minh chứng: {evidence}", current.period.plan)
    name, storage = evidence.file.name, evidence.file.storage if evidence.file else None
    evidence.delete()
    if name and storage is not None:
        transaction.on_commit(lambda: storage.delete(name))
