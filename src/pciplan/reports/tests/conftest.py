"""Fixtures for the reporting cycle: the reference plan's periods and reports as the demo leaves them."""

from __future__ import annotations

import datetime as dt

import pytest

DEMO_DAY = dt.date(2020, 11, 20)


@pytest.fixture
def demo_day(settings):
    """Run on the demo's "today" (20/11/2020)."""
    settings.PCIPLAN_TODAY = DEMO_DAY
    return DEMO_DAY


@pytest.fixture
def q3(demo_plan):
    from pciplan.reports.models import Period

    return Period.objects.select_related("plan", "plan__issuer", "consolidator", "rule").get(plan=demo_plan, code="2020-Q3")


@pytest.fixture
def year_period(demo_plan):
    from pciplan.reports.models import Period

    return Period.objects.select_related("plan", "plan__issuer", "consolidator", "rule").get(plan=demo_plan, code="2020-Y")


@pytest.fixture
def draft(year_period):
    """The technology unit's annual report, a draft in the demo."""
    from pciplan.reports.models import UnitReport

    return UnitReport.objects.select_related("period", "period__plan", "unit").get(
        period=year_period, unit__code="bg-so-khcn-qlcn")


@pytest.fixture
def other_coordinator(db):
    """A coordinator of another agency (Sở Kế hoạch và Đầu tư) — synthetic test account."""
    from pciplan.orgs.models import Organisation, Role, User

    return User.objects.create(username="dieuphoi.khdt", email="dieuphoi.khdt@test.invalid",
                               full_name="Điều phối Sở KH&ĐT (tài khoản thử)", role=Role.COORDINATOR,
                               coordinator_function="consolidator",
                               organisation=Organisation.objects.get(code="bg-so-khdt"))


def fill(report, actor, **entry_fields):
    """Give the first own task of ``report`` some content and save it."""
    from pciplan.reports import services
    from pciplan.reports.models import ReportTaskEntry

    entry = (ReportTaskEntry.objects.filter(report=report, task__assignments__organisation=report.unit)
             .select_related("task").order_by("order").first())
    changes = {"status": "in_progress", "progress": "50", "done_text": "Đã triển khai (nội dung thử nghiệm)."}
    changes.update(entry_fields)
    report.refresh_from_db()
    return services.report_save(actor=actor, report=report, expected_version=report.version,
                                entries={entry.pk: changes}), entry

