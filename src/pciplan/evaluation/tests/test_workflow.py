"""Preparing, signing off and reopening an evaluation; access; exports; bounded queries.

Changes to published values made here are synthetic and live only inside each test's transaction.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from pciplan.audit.models import AuditEntry
from pciplan.catalog.models import Result, SubIndexScore
from pciplan.evaluation import selectors, services
from pciplan.evaluation.models import Evaluation, EvaluationStatus
from pciplan.lib.errors import DomainError
from pciplan.orgs.models import Organisation

pytestmark = pytest.mark.django_db

QLCN_CODE = "bg-so-khcn-qlcn"


@pytest.fixture
def evaluation(demo_plan, personas):
    ev = Evaluation.objects.filter(plan=demo_plan, year=2020).first()
    if ev is None:
        ev = services.evaluation_create(actor=personas["coordinator"], plan=demo_plan)
    return ev


@pytest.fixture
def qlcn():
    return Organisation.objects.get(code=QLCN_CODE)


def _unit(data, name_part):
    return next(u for u in data["units"] if name_part in u["name"])


def _score(plan, code):
    return SubIndexScore.objects.get(result__province=plan.province, result__year__year=2020, subindex__code=code)


# ------------------------------------------------------------------------------------------ workflow
def test_create_is_refused_twice_and_for_another_year(evaluation, demo_plan, personas):
    with pytest.raises(DomainError, match="Đã có bản đánh giá"):
        services.evaluation_create(actor=personas["coordinator"], plan=demo_plan)
    with pytest.raises(DomainError, match="không phải năm 2021"):
        services.evaluation_create(actor=personas["coordinator"], plan=demo_plan, year=2021)


def test_sign_locks_and_a_later_data_change_does_not_alter_the_signed_sheet(evaluation, demo_plan, personas, qlcn):
    services.evaluation_set_remark(actor=personas["coordinator"], evaluation=evaluation, organisation=qlcn,
                                   text="Chưa đạt mục tiêu Dịch vụ hỗ trợ doanh nghiệp.")
    services.evaluation_sign(actor=personas["leader"], evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SIGNED and evaluation.signer_name
    signed = selectors.evaluation_data(evaluation)
    assert signed["remarks"][str(qlcn.pk)].startswith("Chưa đạt")

    # Synthetic correction of the published score after signing: the signed sheet does not move.
    score = _score(demo_plan, "business_support")
    score.score = 6.6
    score.save()
    again = selectors.evaluation_data(Evaluation.objects.get(pk=evaluation.pk))
    assert _unit(again, "Quản lý Công nghệ")["excellent_rating_allowed"] is False
    assert again == signed
    live = selectors.compute(demo_plan, 2020)
    assert _unit(live, "Quản lý Công nghệ")["excellent_rating_allowed"] is None  # indicators still unpublished

    for change in (
        lambda: services.evaluation_set_conclusion(actor=personas["coordinator"], evaluation=evaluation, conclusion="x"),
        lambda: services.evaluation_set_remark(actor=personas["coordinator"], evaluation=evaluation, organisation=qlcn,
                                               text="y"),
        lambda: services.evaluation_sign(actor=personas["leader"], evaluation=evaluation),
    ):
        with pytest.raises(DomainError):
            change()


def test_reopen_needs_a_reason_and_is_recorded(evaluation, demo_plan, personas):
    services.evaluation_sign(actor=personas["leader"], evaluation=evaluation)
    with pytest.raises(DomainError, match="lý do"):
        services.evaluation_reopen(actor=personas["leader"], evaluation=evaluation, reason="  ngắn ")
    evaluation.refresh_from_db()
    digest = services.digest(evaluation.snapshot)
    services.evaluation_reopen(actor=personas["leader"], evaluation=evaluation,
                               reason="VCCI đính chính điểm chỉ số Dịch vụ hỗ trợ doanh nghiệp")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.snapshot is None
    assert evaluation.reopen_count == 1
    entry = AuditEntry.objects.filter(object_id=str(evaluation.pk), content_type__model="evaluation",
                                      action="transition").order_by("-id").first()
    assert entry.after == {"status": "draft", "reason": "VCCI đính chính điểm chỉ số Dịch vụ hỗ trợ doanh nghiệp"}
    assert entry.before["digest"] == digest and entry.before["snapshot"]["year"] == 2020
    assert "Mở lại" in entry.message
    with pytest.raises(DomainError):
        services.evaluation_reopen(actor=personas["leader"], evaluation=evaluation, reason="mở lại lần nữa đi")
    # A draft again: editable and signable.
    services.evaluation_set_conclusion(actor=personas["coordinator"], evaluation=evaluation, conclusion="Đã rà soát.")
    services.evaluation_sign(actor=personas["leader"], evaluation=evaluation)


def test_sign_refused_without_published_results(demo_plan, personas):
    from pciplan.catalog.models import Edition
    from pciplan.plans import services as plan_services

    plan = plan_services.plan_create(actor=None, code="kh-thu-nghiem-2023", issuer=demo_plan.issuer, year=2023,
                                     title="Kế hoạch thử nghiệm (tổng hợp)", edition=Edition.objects.get(code="pci-2022"),
                                     province=demo_plan.province)
    plan_services.target_set(actor=None, plan=plan, key="rank", spec=plan_services.TargetSpec(
        kind="rank", label="Thứ hạng", comparator="<=", value="20", of=63))
    plan = plan_services.plan_issue(actor=None, plan=plan)
    Result.objects.filter(province=demo_plan.province, year__year=2023).delete()
    ev = services.evaluation_create(actor=personas["coordinator"], plan=plan)
    with pytest.raises(DomainError, match="Chưa có kết quả PCI năm 2023"):
        services.evaluation_sign(actor=personas["leader"], evaluation=ev)
    data = selectors.compute(plan, 2023)
    assert [t["status"] for t in data["targets"]] == ["not_measurable"]


def test_unpublished_deciding_value_makes_the_owner_undetermined(demo_plan):
    """Synthetic: without the business-support score, QLCN's outcome is undetermined, never allowed."""
    _score(demo_plan, "business_support").delete()
    data = selectors.compute(demo_plan, 2020)
    qlcn = _unit(data, "Quản lý Công nghệ")
    assert qlcn["excellent_rating_allowed"] is None
    assert qlcn["missed"] == [] and "Dịch vụ hỗ trợ doanh nghiệp" in qlcn["undetermined"]
    assert qlcn["decision_label"] == "Chưa xác định"


# -------------------------------------------------------------------------------------------- access
def test_access_by_role(client_for, evaluation, qlcn):
    url = reverse("evaluation:detail", args=[evaluation.pk])
    for persona in ("coordinator", "leader", "auditor", "unit_head", "admin"):
        assert client_for(persona).get(url).status_code == 200, persona
    assert client_for("outsider").get(url).status_code == 404
    unit_url = reverse("evaluation:unit", args=[evaluation.pk, qlcn.pk])
    assert client_for("unit_head").get(unit_url).status_code == 200
    assert client_for("other_unit_head").get(unit_url).status_code == 404
    assert client_for("outsider").get(unit_url).status_code == 404
    # Unit staff see their own unit in the consolidated page, not the others'.
    page = client_for("other_unit").get(url).content.decode()
    assert "Trung tâm Ứng dụng" in page and "Phòng Kế hoạch Tài chính" not in page


def test_only_the_leader_signs_and_reopens_through_the_pages(client_for, evaluation):
    sign = reverse("evaluation:sign", args=[evaluation.pk])
    assert client_for("coordinator").post(sign).status_code == 403
    assert client_for("unit_head").post(sign).status_code == 403
    assert client_for("leader").post(sign).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_signed
    # Locked: the coordinator's edit is refused.
    assert client_for("coordinator").post(reverse("evaluation:conclusion", args=[evaluation.pk]),
                                          {"conclusion": "x"}).status_code == 403
    reopen = reverse("evaluation:reopen", args=[evaluation.pk])
    assert client_for("coordinator").post(reopen, {"reason": "Cần bổ sung số liệu chỉ tiêu"}).status_code == 403
    response = client_for("leader").post(reopen, {"reason": "ngắn"}, follow=True)
    assert "ít nhất 10 ký tự" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.is_signed
    client_for("leader").post(reopen, {"reason": "Cần bổ sung số liệu chỉ tiêu công bố"})
    evaluation.refresh_from_db()
    assert not evaluation.is_signed


def test_coordinator_prepares_remarks_and_conclusion(client_for, evaluation, qlcn):
    c = client_for("coordinator")
    c.post(reverse("evaluation:conclusion", args=[evaluation.pk]), {"conclusion": "Nhận xét chung (thử nghiệm)."})
    c.post(reverse("evaluation:remark", args=[evaluation.pk, qlcn.pk]), {"text": "Nhận xét đơn vị (thử nghiệm)."})
    evaluation.refresh_from_db()
    assert evaluation.conclusion == "Nhận xét chung (thử nghiệm)."
    page = c.get(reverse("evaluation:unit", args=[evaluation.pk, qlcn.pk])).content.decode()
    assert "Nhận xét đơn vị (thử nghiệm)." in page
    assert client_for("unit_head").post(reverse("evaluation:remark", args=[evaluation.pk, qlcn.pk]),
                                        {"text": "tự nhận xét"}).status_code == 403


# ------------------------------------------------------------------------------------------- pages
def test_pages_show_the_sentence_and_the_rule(client_for, evaluation, qlcn):
    page = client_for("coordinator").get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert "thiếu 0,03" in page and "thứ 27/63" in page
    assert "Ngoài Sở, không xếp loại" in page
    assert "<svg" in page
    unit = client_for("coordinator").get(reverse("evaluation:unit", args=[evaluation.pk, qlcn.pk])).content.decode()
    assert "Không được xếp loại “Hoàn thành xuất sắc”" in unit
    assert "mục II.1" in unit and "hoàn thành tốt nhiệm vụ" in unit
    index = client_for("coordinator").get(reverse("evaluation:index")).content.decode()
    assert evaluation.plan.reference in index


def test_queries_are_bounded(client_for, personas, evaluation, demo_plan, qlcn, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pciplan.plans import services as plan_services

    c = client_for("coordinator")
    urls = [reverse("evaluation:detail", args=[evaluation.pk]), reverse("evaluation:unit", args=[evaluation.pk, qlcn.pk])]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts.append(len(ctx))
    amendment = plan_services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="Thêm nhiệm vụ (kiểm thử)")
    for i in range(5):
        plan_services.task_create(actor=None, plan=demo_plan, key=f"kiem-thu-{i}", text=f"Nhiệm vụ kiểm thử {i}",
                                  units=[plan_services.UnitRole(qlcn)], amendment=amendment)
    for url, before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(before):
            c.get(url)
    assert max(counts) <= 60  # ≈ 20 + one reporting board (≈ 10) per period of the year


# ------------------------------------------------------------------------------------------ exports
def test_exports(client_for, evaluation, qlcn):
    from docx import Document
    from openpyxl import load_workbook

    c = client_for("coordinator")
    docx = c.get(reverse("evaluation:export", args=[evaluation.pk, "docx"]))
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "BÁO CÁO" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        cell.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for cell in row.cells)
    xlsx = c.get(reverse("evaluation:export", args=[evaluation.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:2] == ["Mục tiêu", "Đơn vị"]
    values = [cell.value for row in wb["Mục tiêu"].iter_rows() for cell in row]
    assert 6.47 in values and "Chưa đạt" in values
    unit_docx = c.get(reverse("evaluation:export_unit", args=[evaluation.pk, qlcn.pk, "docx"]))
    assert unit_docx.status_code == 200
    assert "PHIẾU ĐÁNH GIÁ" in "\n".join(p.text for p in Document(io.BytesIO(unit_docx.content)).paragraphs)
    assert c.get(reverse("evaluation:export", args=[evaluation.pk, "pdf"])).status_code == 404
    assert client_for("unit_head").get(reverse("evaluation:export", args=[evaluation.pk, "docx"])).status_code == 404
    assert client_for("unit_head").get(
        reverse("evaluation:export_unit", args=[evaluation.pk, qlcn.pk, "xlsx"])).status_code == 200


def test_report_punctuality_comes_from_the_reporting_cycle(demo_plan):
    from pciplan.reports.models import Period

    periods = Period.objects.filter(plan=demo_plan, year=2020).count()
    assert periods, "the reporting cycle has no periods for the demo plan"
    data = selectors.compute(demo_plan, 2020)
    assert data["has_report_data"]
    qlcn = _unit(data, "Quản lý Công nghệ")["reports"]
    assert qlcn["required"]  # the reference plan: units that own a target report
    assert qlcn["due"] + qlcn["upcoming"] == periods
    assert qlcn["on_time"] + qlcn["late"] + qlcn["missing"] == qlcn["due"]
    assert _unit(data, "Văn phòng Sở")["reports"]["required"] is False


def test_above_45_versus_from_45_at_exactly_45_percent_in_the_database(demo_plan, personas):
    """Synthetic: a published 2020 value of exactly 45% for e761_use (VCCI published none)."""
    from pciplan.catalog.models import EditionYear, Indicator, IndicatorValue, SubIndex
    from pciplan.plans import services as plan_services

    year = EditionYear.objects.get(year=2020)
    indicator, _ = Indicator.objects.get_or_create(
        year=year, code="e761_use", defaults={"subindex": SubIndex.objects.get(edition=year.edition, code="business_support"),
                                              "label": "DN đã từng sử dụng dịch vụ liên quan đến công nghệ (%)",
                                              "is_percent": True})
    IndicatorValue.objects.update_or_create(indicator=indicator, province=demo_plan.province,
                                            defaults={"value": 45.0, "source_url": "https://example.invalid/tong-hop"})
    amendment = plan_services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="Kiểm thử (tổng hợp)")
    plan_services.target_set(actor=personas["coordinator"], plan=demo_plan, key="ind-e761_use-tu-45", amendment=amendment,
                             spec=plan_services.TargetSpec(kind="indicator", label="Từ 45% trở lên (tổng hợp)",
                                                           comparator=">=", value="45", unit="%",
                                                           subindex_code="business_support", indicator_code="e761_use"))
    data = selectors.compute(demo_plan, 2020)
    above = next(t for t in data["targets"] if t["key"] == "ind-e761_use")
    from_45 = next(t for t in data["targets"] if t["key"] == "ind-e761_use-tu-45")
    assert (above["status"], above["verdict_text"]) == ("not_met", "bằng mức mục tiêu, chưa vượt")
    assert Decimal(above["margin"]) == 0
    assert (from_45["status"], from_45["verdict_text"]) == ("met", "đạt đúng mức mục tiêu")
    assert above["source"] == "https://example.invalid/tong-hop"
    # QLCN answers for e761_use under III.7.c: it is still not allowed (business support missed too).
    assert "Doanh nghiệp từng sử dụng dịch vụ liên quan tới công nghệ" in _unit(data, "Quản lý Công nghệ")["missed"]
