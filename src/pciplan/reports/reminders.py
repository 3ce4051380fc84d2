"""Reminders by e-mail: before a due date, on overdue, escalation to the unit head, and one click on the board.

``pciplan remind`` may run any number of times a day: an automatic reminder is recorded once per (period,
unit, kind, person) under a unique constraint *before* it is sent, so a second run finds it and sends
nothing; one that failed to send is retried on the next run.

Settings: ``PCIPLAN_REMIND_DAYS_BEFORE`` (N, default 3) — members are reminded from N days before the due
date; ``PCIPLAN_ESCALATE_DAYS_AFTER`` (M, default 3) — the unit head is told M days after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pciplan.audit.services import audit_record
from pciplan.lib.dates import format_date
from pciplan.lib.errors import DomainError
from pciplan.plans.models import PlanStatus

from . import selectors
from .access import may_coordinate
from .models import Period, Reminder, ReportStatus, UnitReport

MANUAL_COOLDOWN = dt.timedelta(hours=1)


def base_url() -> str:
    return getattr(settings, "PCIPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


@dataclass
class RemindResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    lines: list[str] = field(default_factory=list)


def _pending(report: UnitReport | None) -> bool:
    return report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _needs_reminder(unit, required: set[int], reports: dict[int, UnitReport]) -> bool:
    """A required unit that has not sent, or any unit whose report was returned and not yet resent."""
    report = reports.get(unit.pk)
    if not _pending(report):
        return False
    return unit.pk in required or (report is not None and report.status == ReportStatus.RETURNED)


def _message(reminder: Reminder, period: Period, report: UnitReport | None, today: dt.date) -> EmailMessage:
    unit = reminder.unit
    due = format_date(period.due_date)
    link = base_url() + reverse("reports:period", args=[period.pk])
    plan = period.plan
    returned = report is not None and report.status == ReportStatus.RETURNED
    what = f"báo cáo {period.label} của {unit.name}"
    if reminder.kind == Reminder.Kind.BEFORE_DUE:
        days = (period.due_date - today).days
        subject = f"[pciplan] Nhắc gửi báo cáo {period.label} — hạn {due}"
        lead = (f"Còn {days} ngày nữa đến hạn gửi {what} (hạn: hết ngày {due}, "
                f"{period.due_text or 'theo kế hoạch'}).") if days else f"Hôm nay ({due}) là hạn cuối gửi {what}."
    elif reminder.kind == Reminder.Kind.ESCALATION:
        days = (today - period.due_date).days
        subject = f"[pciplan] {unit.name} chưa gửi báo cáo {period.label} — quá hạn {days} ngày"
        lead = (f"Kính gửi Trưởng đơn vị: {what} đã quá hạn {days} ngày (hạn {due}) mà chưa được gửi"
                f"{' lại sau khi bị trả lại' if returned else ''}. Đề nghị chỉ đạo hoàn thành và gửi ngay.")
    elif reminder.kind == Reminder.Kind.OVERDUE:
        days = (today - period.due_date).days
        subject = f"[pciplan] Quá hạn gửi báo cáo {period.label} ({days} ngày)"
        lead = f"{what[0].upper() + what[1:]} đã quá hạn {days} ngày (hạn {due}) mà chưa được gửi."
    else:
        subject = f"[pciplan] Đề nghị gửi báo cáo {period.label}"
        lead = (f"{period.consolidator.name} đề nghị đơn vị hoàn thành và gửi {what}"
                f"{' (đã bị trả lại, cần sửa và gửi lại)' if returned else ''}; hạn gửi: hết ngày {due}.")
    status = report.status_label if report else "chưa lập báo cáo"
    body = "\n".join([
        f"Kính gửi {reminder.recipient.get_full_name()},", "", lead, "",
        f"Kế hoạch: {plan.reference} — {plan.title}",
        f"Kỳ báo cáo: {period.label} (số liệu từ {format_date(period.start)} đến {format_date(period.cutoff)})",
        f"Nơi nhận báo cáo: {period.consolidator.name}",
        f"Tình trạng hiện tại: {status}",
        *([f"Ý kiến khi trả lại: {report.returned_comment}"] if returned and report.returned_comment else []),
        "", f"Mở báo cáo: {link}", "",
        "Thư này được gửi tự động từ hệ thống theo dõi kế hoạch nâng cao PCI (pciplan); không trả lời thư này.",
    ])
    return EmailMessage(subject=subject, body=body, to=[reminder.email])


def _deliver(reminders: list[tuple[Reminder, EmailMessage]], result: RemindResult) -> None:
    if not reminders:
        return
    connection = get_connection(fail_silently=False)
    for reminder, message in reminders:
        message.connection = connection
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any mail failure is recorded and retried next run
            Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, error=str(exc)[:300])
            result.failed += 1
            result.lines.append(f"LỖI {reminder.email}: {exc}")
        else:
            Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, sent_at=timezone.now(), error="")
            result.sent += 1
            result.lines.append(f"{reminder.get_kind_display()}: {reminder.unit.name} → {reminder.email}")


def _claim(period: Period, unit, kind: str, user, sent_by=None) -> Reminder | None:
    """Record the reminder (once); ``None`` when it was sent before. A failed one is claimed again."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(period=period, unit=unit, kind=kind, recipient=user, email=user.email,
                                           sent_by=sent_by)
    except IntegrityError:
        retry = Reminder.objects.filter(period=period, unit=unit, kind=kind, recipient=user,
                                        status=Reminder.Status.FAILED).first()
        if retry is not None:
            Reminder.objects.filter(pk=retry.pk).update(status=Reminder.Status.PENDING)
        return retry


def remind_run(*, today: dt.date, days_before: int | None = None, escalate_after: int | None = None,
               dry_run: bool = False) -> RemindResult:
    """Send the reminders due on ``today`` for every open period of the issued plans."""
    days_before = settings.PCIPLAN_REMIND_DAYS_BEFORE if days_before is None else days_before
    escalate_after = settings.PCIPLAN_ESCALATE_DAYS_AFTER if escalate_after is None else escalate_after
    result = RemindResult()
    periods = list(Period.objects.filter(plan__status=PlanStatus.ISSUED, due_date__gte=today - dt.timedelta(days=92),
                                         due_date__lte=today + dt.timedelta(days=days_before))
                   .select_related("plan", "plan__issuer", "consolidator", "rule"))
    for period in periods:
        required = selectors.required_unit_ids(period)
        reports = {r.unit_id: r for r in UnitReport.objects.filter(period=period)}
        pending_units = [u for u in selectors.agency_units(period.plan) if _needs_reminder(u, required, reports)]
        if not pending_units:
            continue
        members = list(selectors.unit_members([u.pk for u in pending_units]))
        outbox: list[tuple[Reminder, EmailMessage]] = []
        for unit in pending_units:
            people = [m for m in members if m.organisation_id == unit.pk]
            kinds: list[tuple[str, list]] = []
            if today <= period.due_date:
                kinds.append((Reminder.Kind.BEFORE_DUE, people))
            else:
                kinds.append((Reminder.Kind.OVERDUE, people))
                if (today - period.due_date).days >= escalate_after:
                    kinds.append((Reminder.Kind.ESCALATION, [m for m in people if m.role == "unit_head"]))
            for kind, recipients in kinds:
                for user in recipients:
                    if dry_run:
                        result.lines.append(f"(thử) {kind}: {unit.name} → {user.email}")
                        continue
                    reminder = _claim(period, unit, kind, user)
                    if reminder is None:
                        result.skipped += 1
                        continue
                    reminder.unit, reminder.recipient = unit, user
                    outbox.append((reminder, _message(reminder, period, reports.get(unit.pk), today)))
        _deliver(outbox, result)
    return result


def remind_unit(*, actor, period: Period, unit, today: dt.date) -> RemindResult:
    """One click on the board: e-mail the unit's members now (not more than once an hour)."""
    from pciplan.orgs.access import scope_for

    if not may_coordinate(scope_for(actor), period):
        raise DomainError("Chỉ cán bộ điều phối của cơ quan mới gửi nhắc nhở.")
    report = UnitReport.objects.filter(period=period, unit=unit).first()
    if not _pending(report):
        raise DomainError(f"{unit.name} đã gửi báo cáo {period.label}, không cần nhắc.")
    recent = Reminder.objects.filter(period=period, unit=unit, kind=Reminder.Kind.MANUAL,
                                     created_at__gte=timezone.now() - MANUAL_COOLDOWN).first()
    if recent is not None:
        at = timezone.localtime(recent.created_at).strftime("%H:%M")
        raise DomainError(f"Đã nhắc {unit.name} lúc {at}; chờ ít nhất một giờ trước khi nhắc lại.")
    people = list(selectors.unit_members([unit.pk]))
    if not people:
        raise DomainError(f"{unit.name} chưa có tài khoản nào có thư điện tử để nhắc.")
    result = RemindResult()
    outbox = []
    for user in people:
        reminder = Reminder.objects.create(period=period, unit=unit, kind=Reminder.Kind.MANUAL, recipient=user,
                                           email=user.email, sent_by=actor)
        outbox.append((reminder, _message(reminder, period, report, today)))
    _deliver(outbox, result)
    audit_record(actor=actor, obj=period, action="update", root=period.plan,
                 message=f"Nhắc {unit.name} gửi báo cáo {period.label} ({result.sent} thư)")
    return result
