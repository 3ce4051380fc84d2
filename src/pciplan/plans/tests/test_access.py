"""The access rule: who sees and changes what; every change in the history."""

import datetime as dt

import pytest
from django.urls import reverse

from pciplan.audit.models import AuditEntry
from pciplan.catalog.models import Edition, Province
from pciplan.plans import services
from pciplan.plans.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_plan(personas):
    coordinator = personas["coordinator"]
    return services.plan_create(actor=coordinator, code="draft-khcn-2021", issuer=coordinator.organisation.agency(),
                                year=2021, title="Nâng cao PCI năm 2021 (dự thảo kiểm thử)",
                                edition=Edition.objects.get(code="pci-2013"), province=Province.objects.get(slug="bac-giang"),
                                symbol="KH-KHCN", date_month=3)


def test_outsider_cannot_open_another_agencys_draft(client_for, draft_plan):
    assert client_for("outsider").get(reverse("plans:detail", args=[draft_plan.pk])).status_code == 404
    assert client_for("outsider").get(reverse("plans:history", args=[draft_plan.pk])).status_code == 404
    # …nor by guessing ids that do not exist.
    assert client_for("outsider").get(reverse("plans:detail", args=[draft_plan.pk + 999])).status_code == 404
    assert client_for("unit_member").get(reverse("plans:detail", args=[draft_plan.pk])).status_code == 200


def test_issued_plans_are_public_to_signed_in_people(client_for, demo_plan):
    assert client_for("outsider").get(reverse("plans:detail", args=[demo_plan.pk])).status_code == 200


def test_only_the_assigned_unit_or_a_coordinator_changes_a_task(client_for, demo_plan):
    task = Task.objects.filter(plan=demo_plan, assignments__organisation__code="bg-so-khcn-qlcn").first()
    url = reverse("plans:task_status", args=[task.pk])
    data = {"status": "in_progress", "progress": "40"}
    assert client_for("other_unit").post(url, data).status_code == 403
    assert client_for("outsider").post(url, data).status_code == 403
    assert client_for("auditor").post(url, data).status_code == 403
    assert client_for("leader").post(url, data).status_code == 403
    response = client_for("unit_member").post(url, data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress" and task.progress == 40


def test_every_change_shows_in_the_history(client_for, demo_plan, personas):
    from django.contrib.contenttypes.models import ContentType

    task = (Task.objects.filter(plan=demo_plan, assignments__organisation__code="bg-so-khcn-qlcn", timing="deadline")
            .exclude(status="done").first())
    client = client_for("unit_member")
    client.post(reverse("plans:task_status", args=[task.pk]), {"status": "done", "completed_on": "14/8/2020"})
    entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Task), object_id=str(task.pk),
                                      action="transition").latest("id")
    assert entry.actor == personas["unit_member"]
    assert entry.after == {"status": "done"}
    html = client_for("coordinator").get(reverse("plans:history", args=[demo_plan.pk])).content.decode()
    assert personas["unit_member"].full_name in html
    assert "Chuyển trạng thái" in html
    task.refresh_from_db()
    assert task.completed_on == dt.date(2020, 8, 14)


def test_audit_log_cannot_be_changed_or_deleted(personas, demo_plan):
    entry = AuditEntry.objects.first()
    entry.message = "sửa"
    with pytest.raises(Exception, match="không được sửa"):
        entry.save()
    with pytest.raises(Exception, match="không được xóa"):
        entry.delete()


def test_admin_site_is_for_administrators_only(client_for):
    assert client_for("admin").get("/quan-tri/").status_code == 200
    for persona in ("coordinator", "leader", "auditor", "unit_head"):
        response = client_for(persona).get("/quan-tri/")
        assert response.status_code == 302, persona


def test_audit_log_page_for_auditor_only(client_for):
    assert client_for("auditor").get(reverse("audit:log")).status_code == 200
    assert client_for("unit_member").get(reverse("audit:log")).status_code == 403
