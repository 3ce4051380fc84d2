"""An iCalendar (RFC 5545) feed per unit: its task deadlines and its report due dates.

Outlook and Google Calendar subscribe to a URL without signing in, so the feed's address carries a
token derived from the server's secret key and the unit (:func:`feed_token`); it reveals only the
unit's own dates and titles.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Alarm, Calendar, Event

from pciplan.lib.dates import format_date
from pciplan.plans.models import PlanStatus, Task, TaskStatus

from . import selectors
from .models import Period

SALT = "pciplan.reports.calendar"


def feed_token(unit_id: int) -> str:
    return salted_hmac(SALT, f"unit:{unit_id}").hexdigest()[:32]


def token_ok(unit_id: int, token: str) -> bool:
    return constant_time_compare(feed_token(unit_id), token or "")


def _event(uid: str, day: dt.date, summary: str, description: str, url: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(days=-1))
    event.add_component(alarm)
    return event


def unit_calendar(unit, *, base_url: str, host: str = "pciplan") -> bytes:
    """The ICS file for ``unit``: every dated task of the issued plans it works on, and the due date of
    every period it reports in (required or with a report started)."""
    cal = Calendar()
    cal.add("prodid", "-//pciplan//Lich bao cao PCI//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"PCI — {unit.short_name or unit.name}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now().replace(microsecond=0)
    org_ids = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    tasks = (Task.objects.filter(plan__status=PlanStatus.ISSUED, assignments__organisation_id__in=org_ids,
                                 deadline__isnull=False).exclude(status=TaskStatus.CANCELLED)
             .select_related("plan").distinct().order_by("deadline", "id"))
    for task in tasks:
        done = " (đã hoàn thành)" if task.status == TaskStatus.DONE else ""
        summary = f"Hạn nhiệm vụ PCI{done}: {task.text[:90]}{'…' if len(task.text) > 90 else ''}"
        description = (f"{task.text}\n\nHạn: {format_date(task.deadline)}"
                       f"{' (' + task.timing_text + ')' if task.timing_text else ''}\n"
                       f"Kế hoạch: {task.plan.reference} — {task.plan.title}")
        cal.add_component(_event(f"task-{task.pk}@{host}", task.deadline, summary, description,
                                 f"{base_url}/ke-hoach/nhiem-vu/{task.pk}/", stamp))
    periods = (Period.objects.filter(plan__status=PlanStatus.ISSUED, plan__issuer_id=unit.parent_id)
               .select_related("plan", "consolidator", "rule").order_by("due_date"))
    started = set(unit.unit_reports.values_list("period_id", flat=True))
    for period in periods:
        if period.pk not in started and unit.pk not in selectors.required_unit_ids(period):
            continue
        summary = f"Hạn gửi báo cáo PCI {period.label} — {unit.short_name or unit.name}"
        description = (f"Gửi báo cáo kết quả thực hiện {period.plan.reference} kỳ {period.label} về "
                       f"{period.consolidator.name}, hết ngày {format_date(period.due_date)}"
                       f"{' (' + period.due_text + ')' if period.due_text else ''}.\n"
                       f"Số liệu từ {format_date(period.start)} đến {format_date(period.cutoff)}.")
        cal.add_component(_event(f"period-{period.pk}-unit-{unit.pk}@{host}", period.due_date, summary, description,
                                 f"{base_url}/bao-cao/ky/{period.pk}/", stamp))
    return cal.to_ical()
