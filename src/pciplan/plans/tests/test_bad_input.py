"""Bad input is refused with a clear Vietnamese message, and nothing is half-written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from pciplan.catalog.models import Edition, SubIndex
from pciplan.catalog.services import check_weights, edition_set_weights
from pciplan.lib.errors import DomainError
from pciplan.plans import services
from pciplan.plans.models import Target, Task

pytestmark = pytest.mark.django_db


def test_weights_must_sum_to_100():
    edition = Edition.objects.get(code="pci-2013")
    with pytest.raises(DomainError, match="Tổng trọng số .* 100%"):
        edition_set_weights(edition=edition, weights={"entry_costs": Decimal(10)})
    assert SubIndex.objects.get(edition=edition, code="entry_costs").weight == Decimal(5)


def test_weight_out_of_range_refused_by_service_and_database():
    with pytest.raises(DomainError, match="0–100%"):
        check_weights({"entry_costs": Decimal(-5), "land_access": Decimal(105)})
    s = SubIndex.objects.filter(edition__code="pci-2013").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubIndex.objects.filter(pk=s.pk).update(weight=Decimal(120))


def test_target_without_comparator_or_value(personas, demo_plan):
    amendment = services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="kiểm thử")
    with pytest.raises(DomainError, match="phép so sánh"):
        services.target_set(actor=None, plan=demo_plan, key="x", amendment=amendment,
                            spec=services.TargetSpec(kind="subindex", subindex_code="land_access", value="6,5"))
    with pytest.raises(DomainError, match="phải có giá trị"):
        services.target_set(actor=None, plan=demo_plan, key="x", amendment=amendment,
                            spec=services.TargetSpec(kind="subindex", subindex_code="land_access", comparator=">="))
    with pytest.raises(DomainError, match="1–10"):
        services.target_set(actor=None, plan=demo_plan, key="x", amendment=amendment,
                            spec=services.TargetSpec(kind="subindex", subindex_code="land_access", comparator=">=",
                                                     value="11"))
    assert not Target.objects.filter(plan=demo_plan, key="x").exists()
    # Both decimal separators are accepted.
    t = services.target_set(actor=None, plan=demo_plan, key="x", amendment=amendment,
                            spec=services.TargetSpec(kind="subindex", subindex_code="land_access", comparator=">=",
                                                     value="6,25", increase="0.5"))
    assert t.value == Decimal("6.25") and t.baseline_value == Decimal("5.75")


def test_database_refuses_a_subindex_score_target_out_of_range(demo_plan):
    t = Target.objects.filter(plan=demo_plan, kind="subindex").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=t.pk).update(value=Decimal(12))


def test_task_with_no_unit_and_deadline_before_plan_month(personas, demo_plan):
    amendment = services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="kiểm thử")
    n = Task.objects.count()
    with pytest.raises(DomainError, match="ít nhất một đơn vị"):
        services.task_create(actor=None, plan=demo_plan, key="k1", text="Việc", units=[], amendment=amendment)
    with pytest.raises(DomainError, match="sớm hơn tháng ban hành"):
        services.task_create(actor=None, plan=demo_plan, key="k2", text="Việc", amendment=amendment,
                             units=[services.UnitRole(personas["unit_member"].organisation)], timing="deadline",
                             deadline=dt.date(2020, 7, 31))
    assert Task.objects.count() == n


def test_issued_plan_changes_only_with_a_recorded_amendment(demo_plan, personas):
    with pytest.raises(DomainError, match="sửa đổi có ghi lý do"):
        services.task_create(actor=None, plan=demo_plan, key="k3", text="Việc",
                             units=[services.UnitRole(personas["unit_member"].organisation)])
    with pytest.raises(DomainError, match="lý do"):
        services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="  ")


def test_task_form_shows_errors_next_to_fields(client_for, demo_plan):
    client = client_for("coordinator")
    response = client.post(reverse("plans:task_create", args=[demo_plan.pk]),
                           {"text": "Việc mới", "timing": "deadline", "deadline": "31/7/2020", "reason": "Bổ sung"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chọn ít nhất một đơn vị thực hiện." in html


def test_task_status_form_refuses_bad_dates(client_for, demo_plan):
    task = Task.objects.filter(plan=demo_plan, assignments__organisation__code="bg-so-khcn-qlcn").first()
    response = client_for("unit_member").post(reverse("plans:task_status", args=[task.pk]),
                                              {"status": "done", "completed_on": "2020/31/12"})
    assert response.status_code == 400
    assert "ngày/tháng/năm" in response.content.decode()
    task.refresh_from_db()
    assert task.status != "done"


@pytest.mark.parametrize("typed", ["6,75", "6.75"])
def test_target_form_accepts_both_decimal_separators(client_for, demo_plan, typed):
    target = Target.objects.get(plan=demo_plan, kind="subindex", subindex__code="entry_costs")
    url = reverse("plans:target_edit", args=[target.pk])
    response = client_for("coordinator").post(url, {"comparator": ">=", "value": typed, "increase": "", "baseline_year": "2019",
                                                    "reason": "Điều chỉnh theo chỉ đạo (kiểm thử)"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal("6.75")
    assert target.baseline_value == Decimal("6.78")  # unchanged: the baseline is the published 2019 score


def test_target_form_refuses_garbage_and_changes_nothing(client_for, demo_plan):
    target = Target.objects.get(plan=demo_plan, kind="subindex", subindex__code="entry_costs")
    url = reverse("plans:target_edit", args=[target.pk])
    for data, message in [({"comparator": ">=", "value": "bảy", "reason": "x"}, "không phải là số"),
                          ({"comparator": "", "value": "7,7", "reason": "x"}, "Chọn phép so sánh"),
                          ({"comparator": ">=", "value": "12", "reason": "x"}, "1–10"),
                          ({"comparator": ">=", "value": "7,7", "reason": ""}, "lý do")]:
        response = client_for("coordinator").post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    target.refresh_from_db()
    assert target.value == Decimal("7.61")
    assert client_for("unit_member").post(url, {"comparator": ">=", "value": "7", "reason": "x"}).status_code == 403


def test_a_refused_amendment_leaves_no_amendment_behind(client_for, demo_plan):
    from pciplan.plans.models import PlanAmendment

    target = Target.objects.get(plan=demo_plan, kind="subindex", subindex__code="entry_costs")
    n = PlanAmendment.objects.count()
    response = client_for("coordinator").post(reverse("plans:target_edit", args=[target.pk]),
                                              {"comparator": ">=", "value": "12", "reason": "Thử giá trị sai"})
    assert response.status_code == 400
    assert PlanAmendment.objects.count() == n
