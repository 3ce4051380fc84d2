from decimal import Decimal

import pytest
from django.urls import reverse

from pciplan.officedoc import read_sheet

pytestmark = pytest.mark.django_db


def test_targets_excel_holds_the_reference_numbers(client_for, demo_plan):
    response = client_for("leader").get(reverse("plans:targets_xlsx", args=[demo_plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_sheet(response.content).rows
    entry = next(r.values for r in rows if r.values.get("Nội dung") == "Chi phí gia nhập thị trường")
    assert Decimal(str(entry["Giá trị năm gốc"])) == Decimal("6.78")
    assert entry["Mục tiêu"] == ">= 7.61"
    assert entry["Đơn vị đầu mối"].startswith("Sở Kế hoạch và Đầu tư")
    assert len([r for r in rows if r.values.get("Loại mục tiêu") == "Chỉ số thành phần"]) == 7


def test_tasks_excel_lists_every_task(client_for, demo_plan):
    response = client_for("unit_member").get(reverse("plans:tasks_xlsx", args=[demo_plan.pk]))
    rows = [r for r in read_sheet(response.content).rows if r.values.get("Nhiệm vụ")]
    assert len(rows) == demo_plan.tasks.count()
    texts = {r.values["Nhiệm vụ"] for r in rows}
    assert set(demo_plan.tasks.values_list("text", flat=True)) == texts
