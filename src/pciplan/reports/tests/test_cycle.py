"""Reminders, the board's bounded queries, the calendar feed, pages for every role, the command line."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pciplan.conftest import PERSONAS
from pciplan.reports import calendar, reminders, selectors, services
from pciplan.reports.models import Reminder, ReportStatus, UnitReport

pytestmark = pytest.mark.django_db


def test_remind_twice_sends_each_reminder_once(year_period, personas, settings):
    settings.PCIPLAN_REMIND_DAYS_BEFORE = 3
    settings.PCIPLAN_ESCALATE_DAYS_AFTER = 3
    day = dt.date(2020, 12, 2)  # two days before the due date (hết ngày 4/12)
    first = reminders.remind_run(today=day)
    second = reminders.remind_run(today=day)
    members = {personas["unit_member"].email, personas["unit_head"].email}
    assert first.sent == len(mail.outbox) == len(members)
    assert {m.to[0] for m in mail.outbox} == members
    assert second.sent == 0 and second.skipped == len(members)
    assert "hạn 4/12/2020" in mail.outbox[0].subject and "Phòng Quản lý Công nghệ" in mail.outbox[0].body
    # The supporting unit is not obliged to report: nobody there is reminded.
    assert personas["other_unit"].email not in {m.to[0] for m in mail.outbox}


def test_overdue_then_escalation_to_the_head(year_period, personas, settings):
    settings.PCIPLAN_ESCALATE_DAYS_AFTER = 3
    reminders.remind_run(today=dt.date(2020, 12, 5))
    kinds = sorted(Reminder.objects.filter(period=year_period).values_list("kind", flat=True))
    assert kinds == ["overdue", "overdue"]
    mail.outbox.clear()
    reminders.remind_run(today=dt.date(2020, 12, 7))
    assert [m.to[0] for m in mail.outbox] == [personas["unit_head"].email]
    assert "quá hạn 3 ngày" in mail.outbox[0].subject
    mail.outbox.clear()
    call_command("remind", "--date", "07/12/2020", verbosity=0)
    assert mail.outbox == []


def test_a_sent_report_stops_the_reminders(draft, personas, demo_day):
    from .conftest import fill

    report, _ = fill(draft, personas["unit_member"])
    services.report_send(actor=personas["unit_head"], report=report)
    assert reminders.remind_run(today=dt.date(2020, 12, 2)).sent == 0


def test_one_click_reminder_from_the_board(year_period, personas, client_for):
    unit = personas["unit_member"].organisation
    url = reverse("reports:remind", args=[year_period.pk, unit.pk])
    assert client_for("unit_head").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    response = client_for("coordinator").post(url, follow=True)
    assert "Đã gửi 2 thư nhắc" in response.content.decode()
    assert len(mail.outbox) == 2
    response = client_for("coordinator").post(url, follow=True)  # not twice within the hour
    assert "chờ ít nhất một giờ" in response.content.decode() and len(mail.outbox) == 2


def test_a_failed_mail_is_retried_on_the_next_run(year_period, personas, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise OSError("máy chủ thư không trả lời")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    result = reminders.remind_run(today=dt.date(2020, 12, 2))
    assert result.failed == 2 and result.sent == 0
    monkeypatch.undo()
    result = reminders.remind_run(today=dt.date(2020, 12, 2))
    assert result.sent == 2 and len(mail.outbox) == 2


def test_board_counts_outcomes_as_task_tracking_reports_do(q3, demo_day):
    board = selectors.board(q3, demo_day)
    assert board.asof == dt.date(2020, 9, 14)
    qlcn = next(r for r in board.rows if r.unit.code == "bg-so-khcn-qlcn")
    counts = qlcn.counts.counts
    # Kế hoạch khởi nghiệp: hạn 31/8, xong 28/8 → đúng hạn; Kế hoạch DN KH&CN: hạn 30/9, chưa xong ở ngày chốt 14/9.
    assert counts["done_on_time"] == 1 and counts["in_progress_on_time"] == 1 and counts["overdue"] == 0
    assert counts["continuous"] == 4  # continuous tasks are reported as such, never overdue
    assert qlcn.required and qlcn.state == "accepted"
    ttud = next(r for r in board.rows if r.unit.code == "bg-so-khcn-ttud")
    assert ttud.late_days == 1 and not ttud.required
    annual = selectors.board(q3.plan.periods.get(code="2020-Y"), demo_day)
    assert annual.asof == demo_day
    ttud_year = next(r for r in annual.rows if r.unit.code == "bg-so-khcn-ttud").counts.counts
    assert ttud_year["overdue"] == 1  # Đề án Techmart, hạn 30/9/2020, chưa hoàn thành ngày 20/11
    assert sum(board.total.counts.values()) == q3.plan.tasks.count()


def test_board_issues_a_bounded_number_of_queries(q3, personas, client_for, demo_day):
    from pciplan.orgs.models import Organisation, Role, User
    from pciplan.plans import services as plan_services

    client = client_for("consolidator")
    url = reverse("reports:period", args=[q3.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    amendment = plan_services.plan_amend(actor=personas["coordinator"], plan=q3.plan, reason="Thêm đơn vị (thử nghiệm)")
    for i in range(15):
        unit = Organisation.objects.create(code=f"test-unit-{i}", name=f"Đơn vị thử nghiệm {i}", kind="unit",
                                           parent=q3.plan.issuer)
        member = User.objects.create(username=f"test.member.{i}", email=f"m{i}@test.invalid", full_name=f"Cán bộ {i}",
                                     role=Role.UNIT_MEMBER, organisation=unit)
        plan_services.task_create(actor=personas["coordinator"], plan=q3.plan, key=f"test-task-{i}",
                                  text=f"Nhiệm vụ thử nghiệm {i}", units=[plan_services.UnitRole(unit)],
                                  amendment=amendment)
        services.report_start(actor=member, period=q3, unit=unit)
    after = count()
    assert after <= before + 2, (before, after)
    assert after <= 40


def test_calendar_feed_per_unit(year_period, personas, client):
    unit = personas["unit_member"].organisation
    token = calendar.feed_token(unit.pk)
    assert client.get(reverse("reports:calendar_feed", args=[unit.pk, "sai-ma"])).status_code == 404
    response = client.get(reverse("reports:calendar_feed", args=[unit.pk, token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    cal = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}
    assert any(k.startswith("Hạn gửi báo cáo PCI Năm 2020") and v == dt.date(2020, 12, 4) for k, v in events.items())
    assert any(k.startswith("Hạn gửi báo cáo PCI Quý III/2020") and v == dt.date(2020, 10, 4) for k, v in events.items())
    assert dt.date(2020, 9, 30) in events.values() and dt.date(2020, 8, 31) in events.values()
    other = personas["other_unit"].organisation
    assert token != calendar.feed_token(other.pk)


def _report_pages(q3, year_period):
    qlcn = UnitReport.objects.get(period=q3, unit__code="bg-so-khcn-qlcn")
    return [reverse("reports:index"), reverse("reports:period", args=[q3.pk]),
            reverse("reports:period", args=[year_period.pk]), reverse("reports:calendar")], qlcn


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_renders_for_every_role(persona, q3, year_period, client_for, demo_day):
    client = client_for(persona)
    pages, qlcn = _report_pages(q3, year_period)
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), (persona, url, response.status_code)
        if persona != "outsider":
            assert response.status_code == 200, (persona, url)
            assert 'lang="vi"' in response.content.decode()
    expected = 200 if persona in ("admin", "coordinator", "consolidator", "unit_head", "unit_member", "leader",
                                  "auditor", "province") else 404
    for url in [reverse("reports:report", args=[qlcn.pk]), reverse("reports:version", args=[qlcn.pk, 1]),
                reverse("reports:history", args=[qlcn.pk]), reverse("reports:workbook", args=[qlcn.pk])]:
        assert client.get(url).status_code == expected, (persona, url)
    consolidated = client.get(reverse("reports:consolidated", args=[q3.pk])).status_code
    assert consolidated == (200 if persona in ("admin", "coordinator", "consolidator") else 403 if persona != "outsider"
                            else 404), persona


def test_unit_member_sees_the_draft_form_and_the_head_the_send_button(draft, client_for, demo_day):
    html = client_for("unit_member").get(reverse("reports:report", args=[draft.pk])).content.decode()
    assert 'name="version"' in html and "Lưu dự thảo" in html and "Phê duyệt và gửi" not in html
    html = client_for("unit_head").get(reverse("reports:report", args=[draft.pk])).content.decode()
    assert "Phê duyệt và gửi" in html
    html = client_for("consolidator").get(reverse("reports:report", args=[draft.pk])).content.decode()
    assert "Lưu dự thảo" not in html and "đang được đơn vị soạn" in html


def test_consolidator_reviews_from_the_page(draft, personas, client_for, demo_day):
    from .conftest import fill

    report, _ = fill(draft, personas["unit_member"])
    services.report_send(actor=personas["unit_head"], report=report)
    client = client_for("consolidator")
    assert "Tiếp nhận báo cáo" in client.get(reverse("reports:report", args=[report.pk])).content.decode()
    response = client.post(reverse("reports:review", args=[report.pk, "tra-lai"]), {"comment": ""}, follow=True)
    assert "cần ghi ý kiến" in response.content.decode()
    client.post(reverse("reports:review", args=[report.pk, "tra-lai"]), {"comment": "Bổ sung số liệu (thử nghiệm)."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    html = client_for("unit_member").get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Bổ sung số liệu (thử nghiệm)." in html and "Lưu dự thảo" in html


def test_consolidated_report_command(q3, tmp_path, demo_day):
    out = tmp_path / "bc.docx"
    annex = tmp_path / "pl.xlsx"
    call_command("consolidated_report", "--period", "2020-Q3", "-o", str(out), "--annex", str(annex), verbosity=0)
    assert out.read_bytes()[:2] == b"PK" and annex.read_bytes()[:2] == b"PK"
    call_command("consolidated_report", "--period", "2020-q3", "-o", str(out), "--plan", q3.plan.code, verbosity=0)
    call_command("consolidated_report", "--period", "2020-Q3", "-o", str(out), "--plan", str(q3.plan.pk), verbosity=0)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không có kỳ"):
        call_command("consolidated_report", "--period", "2020-Q1", "-o", str(out), verbosity=0)
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("consolidated_report", "--period", "2020-Q3", "-o", str(out), "--plan", "khong-co", verbosity=0)


def test_report_page_and_save_issue_a_bounded_number_of_queries(draft, personas, client_for, demo_day):
    """The report form and its save cost the same number of queries with 12 more task rows (synthetic)."""
    from pciplan.plans import services as plan_services
    from pciplan.reports.models import ReportTaskEntry

    client = client_for("unit_member")
    url = reverse("reports:report", args=[draft.pk])

    def count(method, *args):
        with CaptureQueriesContext(connection) as ctx:
            response = method(*args)
            assert response.status_code in (200, 302), response.status_code
        return len(ctx.captured_queries)

    def save_form():
        draft.refresh_from_db()
        ids = list(ReportTaskEntry.objects.filter(report=draft).values_list("pk", flat=True))
        form = {"version": draft.version, "action": "save", "summary": f"Tình hình chung (thử nghiệm {draft.version})."}
        form.update({f"e{pk}-done_text": f"Đã thực hiện (thử nghiệm {draft.version})" for pk in ids})
        return reverse("reports:save", args=[draft.pk]), form

    page_before, save_before = count(client.get, url), count(client.post, *save_form())
    plan = draft.period.plan
    amendment = plan_services.plan_amend(actor=personas["coordinator"], plan=plan, reason="Thêm nhiệm vụ (thử nghiệm)")
    for i in range(12):
        task = plan_services.task_create(actor=personas["coordinator"], plan=plan, key=f"test-row-{i}",
                                         text=f"Nhiệm vụ thử nghiệm {i}", units=[plan_services.UnitRole(draft.unit)],
                                         amendment=amendment)
        ReportTaskEntry.objects.create(report=draft, task=task, order=1000 + i)
    page_after, save_after = count(client.get, url), count(client.post, *save_form())
    assert page_after == page_before, (page_before, page_after)
    assert save_after <= save_before + 12 + 1, (save_before, save_after)  # one UPDATE per changed row, no reads


def test_board_shows_outcomes_as_bars_with_the_board_counts(q3, client_for, demo_day):
    """The live board shows its outcome counts as HTML bars (nothing drawn per request); the figures are
    the board's own."""
    import re

    board = selectors.board(q3, demo_day)
    html = client_for("consolidator").get(reverse("reports:period", args=[q3.pk])).content.decode()
    assert "<svg" not in html.split('id="h-chart"')[1]
    values = [int(v) for v in re.findall(r'class="pp-bar-value num">(\d+) ', html)]
    assert values == [board.total.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]
    assert f"Tổng {board.total.total} nhiệm vụ." in html
