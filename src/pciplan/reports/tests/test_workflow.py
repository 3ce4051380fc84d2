"""The workflow as guarded transitions: who may do what, immutability of sent versions, lateness, audit."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from pciplan.audit.models import AuditEntry
from pciplan.lib.errors import DomainError
from pciplan.plans.models import Task
from pciplan.reports import services
from pciplan.reports.models import ImmutableError, ReportStatus, ReportVersion, UnitReport

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_demo_periods_come_from_the_reporting_rule(q3, year_period):
    assert (q3.due_date, q3.cutoff, q3.consolidator.code) == (dt.date(2020, 10, 4), dt.date(2020, 9, 14), "bg-so-khcn-khtc")
    assert (year_period.due_date, year_period.cutoff) == (dt.date(2020, 12, 4), dt.date(2020, 12, 14))
    assert not q3.plan.periods.filter(code__in=["2020-Q1", "2020-Q2"]).exists()
    before = q3.plan.periods.count()
    services.periods_generate(actor=None, plan=q3.plan)
    assert q3.plan.periods.count() == before  # idempotent


def test_full_cycle_with_a_return(draft, personas, demo_day):
    member, head, khtc = personas["unit_member"], personas["unit_head"], personas["consolidator"]
    report, entry = fill(draft, member)
    v1 = services.report_send(actor=head, report=report, on=dt.date(2020, 12, 3))
    assert (v1.number, v1.late_days) == (1, 0)
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    services.report_return(actor=khtc, report=report, comment="Bổ sung kết quả cụ thể (thử nghiệm).")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.editable
    report, _ = fill(report, member, results="Đã có kết quả (thử nghiệm).")
    v2 = services.report_send(actor=head, report=report, on=dt.date(2020, 12, 5))
    assert (v2.number, v2.late_days) == (2, 1)
    report.refresh_from_db()
    assert report.late_days == 0  # the first sending was on time
    services.report_accept(actor=khtc, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    # The first version still says what was first sent.
    v1.refresh_from_db()
    first = next(t for t in v1.content["tasks"] if t["task_id"] == entry.task_id)
    second = next(t for t in v2.content["tasks"] if t["task_id"] == entry.task_id)
    assert first["results"] == "" and second["results"] == "Đã có kết quả (thử nghiệm)."
    # Every step is in the audit trail, with its actor.
    steps = list(AuditEntry.objects.filter(object_id=str(report.pk), content_type__model="unitreport",
                                           action="transition").order_by("id").values_list("after", "actor_id"))
    assert steps == [({"status": "sent"}, head.pk), ({"status": "returned"}, khtc.pk), ({"status": "sent"}, head.pk),
                     ({"status": "accepted"}, khtc.pk)]
    # The reported status is carried onto the unit's own task in the plan.
    assert Task.objects.get(pk=entry.task_id).status == "in_progress"


def test_a_report_sent_on_the_05th_is_flagged_late(q3, personas, demo_day):
    ttud = UnitReport.objects.get(period=q3, unit__code="bg-so-khcn-ttud")
    assert ttud.late_days == 1
    assert ttud.versions.get(number=1).late_days == 1
    qlcn = UnitReport.objects.get(period=q3, unit__code="bg-so-khcn-qlcn")
    assert qlcn.late_days == 0 and qlcn.sent_count == 2 and qlcn.status == ReportStatus.ACCEPTED


def test_a_member_cannot_send_only_the_head(draft, personas, demo_day):
    report, _ = fill(draft, personas["unit_member"])
    with pytest.raises(DomainError, match="trưởng đơn vị"):
        services.report_send(actor=personas["unit_member"], report=report)


def test_a_unit_cannot_send_or_edit_for_another_unit(draft, personas, demo_day):
    report, entry = fill(draft, personas["unit_member"])
    with pytest.raises(DomainError, match="chính mình"):
        services.report_send(actor=personas["other_unit_head"], report=report)
    with pytest.raises(DomainError):
        services.report_save(actor=personas["other_unit"], report=report, expected_version=report.version,
                             fields={"summary": "ghi đè"})
    client = Client()
    client.force_login(personas["other_unit"])
    assert client.post(reverse("reports:save", args=[report.pk]), {"version": report.version}).status_code == 404
    assert client.get(reverse("reports:report", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.summary != "ghi đè"


def test_only_the_consolidating_unit_accepts(draft, personas, other_coordinator, demo_day):
    report, _ = fill(draft, personas["unit_member"])
    services.report_send(actor=personas["unit_head"], report=report)
    for actor in (other_coordinator, personas["province"], personas["coordinator"], personas["unit_head"],
                  personas["leader"], personas["auditor"]):
        with pytest.raises(DomainError, match="đơn vị tổng hợp"):
            services.report_accept(actor=actor, report=report)
    with pytest.raises(DomainError, match="ý kiến"):
        services.report_return(actor=personas["consolidator"], report=report, comment="  ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    services.report_accept(actor=personas["consolidator"], report=report)


def test_nothing_edits_a_sent_version(draft, personas, client_for, demo_day):
    report, _ = fill(draft, personas["unit_member"])
    version = services.report_send(actor=personas["unit_head"], report=report)
    report.refresh_from_db()
    with pytest.raises(DomainError, match="đã gửi"):
        services.report_save(actor=personas["unit_member"], report=report, expected_version=report.version,
                             fields={"summary": "sửa sau khi gửi"})
    with pytest.raises(DomainError):
        services.evidence_add_link(actor=personas["unit_member"], report=report, url="https://example.org/")
    with pytest.raises(DomainError):
        services.report_send(actor=personas["unit_head"], report=report)
    version.content = {"tasks": []}
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    response = client_for("unit_member").post(reverse("reports:save", args=[report.pk]),
                                              {"version": report.version, "summary": "x"})
    assert response.status_code == 403
    assert ReportVersion.objects.get(pk=version.pk).content["summary"] == report.summary


def test_accepting_twice_or_returning_a_draft_is_refused(draft, personas, demo_day):
    with pytest.raises(DomainError, match="chờ tiếp nhận"):
        services.report_accept(actor=personas["consolidator"], report=draft)
    with pytest.raises(DomainError, match="chờ tiếp nhận"):
        services.report_return(actor=personas["consolidator"], report=draft, comment="x")


def test_an_empty_report_cannot_be_sent(year_period, personas, demo_day):
    from pciplan.orgs.models import Organisation, Role, User

    inspection = Organisation.objects.get(code="bg-so-khcn-tt")
    head = User.objects.create(username="truong.tt", email="truong.tt@test.invalid", full_name="Trưởng Thanh tra Sở (thử)",
                               role=Role.UNIT_HEAD, organisation=inspection)
    report = services.report_start(actor=head, period=year_period, unit=inspection)
    assert report.entries.count() > 0 and not report.summary
    with pytest.raises(DomainError, match="chưa có nội dung"):
        services.report_send(actor=head, report=report)


def test_a_unit_without_tasks_or_another_agency_cannot_start_a_report(year_period, personas):
    with pytest.raises(DomainError):
        services.report_start(actor=personas["outsider"], period=year_period, unit=personas["outsider"].organisation)
    with pytest.raises(DomainError):
        services.report_start(actor=personas["unit_member"], period=year_period,
                              unit=personas["other_unit"].organisation)


def test_a_done_task_needs_a_completion_date(draft, personas, demo_day):
    with pytest.raises(DomainError, match="ngày hoàn thành"):
        fill(draft, personas["unit_member"], status="done", completed_on="")
    with pytest.raises(DomainError, match="chưa tới"):
        fill(draft, personas["unit_member"], status="done", completed_on="25/12/2020")
    report, entry = fill(draft, personas["unit_member"], status="done", completed_on="14/11/2020")
    entry.refresh_from_db()
    assert (entry.status, entry.completed_on, entry.progress) == ("done", dt.date(2020, 11, 14), 100)
