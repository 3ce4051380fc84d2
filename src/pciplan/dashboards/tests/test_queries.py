"""Every dashboard page issues the same number of queries whatever the data size.

The pages are counted on the demo data, then the data grow — more units, tasks, task–target links and
reports in the reference plan, and a SYNTHETIC set of agencies with two years of plans, periods and reports
under the province (:mod:`pciplan.dashboards.synthetic`) — and counted again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

CEILING = 40  # no page needs more, whatever the data


def _count(client, path) -> int:
    client.get(path)  # warm: the person's session, the simulator's and the charts' caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx)


def _grow(plan) -> None:
    """More of everything in the reference plan (synthetic rows, marked as sample data)."""
    from pciplan.orgs.models import Organisation
    from pciplan.plans.models import Task, TaskAssignment
    from pciplan.reports.models import Period, ReportStatus, UnitReport

    agency = plan.issuer
    units = Organisation.objects.bulk_create([
        Organisation(code=f"thu-phong-{i}", name=f"Phòng thử {i} (mô phỏng)", kind=Organisation.Kind.UNIT,
                     parent=agency, province_slug="bac-giang", is_sample=True) for i in range(4)])
    targets = list(plan.targets.all())
    tasks = Task.objects.bulk_create([
        Task(plan=plan, key=f"thu-{i}", text=f"Nhiệm vụ thử {i} (mô phỏng)", timing="deadline",
             deadline=dt.date(2020, 1 + i % 12, 10), status="in_progress" if i % 3 else "done",
             completed_on=None if i % 3 else dt.date(2020, 1 + i % 12, 9), order=100 + i) for i in range(60)])
    TaskAssignment.objects.bulk_create([TaskAssignment(task=t, organisation=units[i % 4], role="owner")
                                        for i, t in enumerate(tasks)])
    Task.targets.through.objects.bulk_create([Task.targets.through(task_id=t.pk, target_id=targets[i % 12].pk)
                                              for i, t in enumerate(tasks)])
    q3 = Period.objects.get(plan=plan, code="2020-Q3")
    UnitReport.objects.bulk_create([UnitReport(period=q3, unit=u, status=ReportStatus.ACCEPTED, sent_count=1,
                                               late_days=i, is_sample=True) for i, u in enumerate(units)])


def test_pages_issue_a_bounded_number_of_queries(client_for, demo_day, demo_plan):
    from pciplan.dashboards.synthetic import build_province
    from pciplan.orgs.models import Organisation

    business_support = demo_plan.targets.get(key="si-business_support")
    pages = [
        ("leader", "/"), ("coordinator", "/"), ("unit_head", "/"), ("unit_member", "/"), ("province", "/"),
        ("province", reverse("dashboards:province")), ("leader", reverse("dashboards:trends")),
        ("leader", reverse("dashboards:target", args=[business_support.pk])),
        ("unit_member", reverse("dashboards:target", args=[business_support.pk])),
    ]
    clients = {persona: client_for(persona) for persona, _ in pages}
    before = {(persona, path): _count(clients[persona], path) for persona, path in pages}
    assert max(before.values()) <= CEILING, before

    _grow(demo_plan)
    build_province(prefix="thu", agencies=3, units=3, tasks=90, years=2, province=Organisation.objects.get(code="bg-ubnd"),
                   users=False)
    after = {(persona, path): _count(clients[persona], path) for persona, path in pages}
    assert after == before, (before, after)


def test_synthetic_province_is_labelled_and_complete(db):
    from pciplan.dashboards.synthetic import build_province
    from pciplan.plans.models import Task
    from pciplan.reports.models import UnitReport

    syn = build_province(prefix="nho", agencies=2, units=2, tasks=20, years=2)
    assert syn.province.is_sample and "mô phỏng" in syn.province.name
    assert all(a.is_sample and "mô phỏng" in a.name for a in syn.agencies)
    assert Task.objects.filter(plan__in=syn.plans[2020]).count() == 20
    assert Task.objects.filter(plan__in=syn.plans[2019]).count() == 2
    assert UnitReport.objects.filter(period__plan__in=syn.plans[2019]).count() > 0
    assert set(syn.users) == {"province", "leader", "coordinator", "unit_head"}
