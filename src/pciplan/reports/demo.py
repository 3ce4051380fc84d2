"""The demo year of reporting for the reference plan (Sở KH&CN Bắc Giang, PCI 2020), as it stood on
20/11/2020: the third-quarter reports sent and accepted (one of them returned once and resent, one sent a
day late), the annual report being drafted, and the consolidating unit's draft of the quarter's report.

Every report text here is SAMPLE DATA written for the demonstration (``is_sample``), not what the units
reported. Task completion dates are sample data too. Idempotent: nothing is created twice.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from pciplan.orgs.models import Organisation, User
from pciplan.plans.models import Plan

from . import consolidation, services
from .models import Evidence, Period, ReportIndicatorValue, ReportTaskEntry, UnitReport

PLAN_CODE = "bg-so-khcn-pci-2020"
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SAMPLE = "(nội dung mẫu)"


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


D = dt.date

# Per unit and period: general text, then per task key (status, progress, completed_on, done, results,
# difficulties, proposals), then per indicator target key (value, method).
Q3_QLCN = {
    "summary": "Trong Quý III/2020, Phòng đã triển khai các nhiệm vụ được giao chủ trì về chỉ số Dịch vụ hỗ trợ "
               "doanh nghiệp và phối hợp về chỉ số Chi phí gia nhập thị trường.",
    "difficulties": "Chưa có kinh phí riêng cho khảo sát nhu cầu dịch vụ công nghệ của doanh nghiệp.",
    "proposals": "Đề nghị bố trí kinh phí khảo sát trong dự toán năm 2021.",
    "tasks": {
        "III.7.b-qlcn-3-part1-ke-hoach-khoi-nghiep": (
            "done", 100, D(2020, 8, 28),
            "Hoàn thành dự thảo, lấy ý kiến các sở, ngành và trình UBND tỉnh Kế hoạch hỗ trợ hệ sinh thái khởi "
            "nghiệp đổi mới sáng tạo tỉnh Bắc Giang giai đoạn 2021-2025.",
            "Dự thảo Kế hoạch đã trình UBND tỉnh ngày 28/8/2020.", "", ""),
        "III.7.b-qlcn-3-part2-ke-hoach-dn-khcn": (
            "in_progress", 70, None,
            "Đã xây dựng dự thảo Kế hoạch phát triển doanh nghiệp KH&CN giai đoạn 2021-2025.",
            "Dự thảo lần 2 đang lấy ý kiến các phòng, đơn vị.",
            "Số liệu doanh nghiệp KH&CN của các sở, ngành gửi chậm.", "Đề nghị Văn phòng Sở đôn đốc các đơn vị gửi ý kiến."),
        "III.7.b-qlcn-1": (
            "in_progress", 40, None,
            "Xây dựng phiếu khảo sát nhu cầu dịch vụ liên quan tới công nghệ của doanh nghiệp.",
            "Phiếu khảo sát đã hoàn thiện, dự kiến khảo sát trong Quý IV.", "", ""),
        "III.7.b-qlcn-2": (
            "in_progress", 30, None,
            "Rà soát danh sách doanh nghiệp tư nhân cung cấp dịch vụ công nghệ trên địa bàn.", "", "", ""),
        "III.1.b-qlcn": (
            "in_progress", 50, None,
            "Rà soát quy trình thẩm định công nghệ dự án đầu tư, không phát sinh khoản thu ngoài quy định.",
            "", "", ""),
    },
}
Q3_QLCN_RETURN = ("Đề nghị bổ sung minh chứng cho nhiệm vụ Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp (văn bản trình "
                  "hoặc trang đăng tải).")
Q3_TTUD = {
    "summary": "Trung tâm triển khai các nhiệm vụ về Tính minh bạch và Dịch vụ hỗ trợ doanh nghiệp.",
    "difficulties": "", "proposals": "",
    "tasks": {
        "III.7.b-ttud-3": (
            "in_progress", 60, None,
            "Xây dựng dự thảo Đề án Phát triển Sàn giao dịch công nghệ và thiết bị trực tuyến (Techmart Online Bắc Giang).",
            "Dự thảo Đề án đang lấy ý kiến các sở, ngành.",
            "Nội dung kết nối với các điểm kết nối cung – cầu công nghệ cần thêm thời gian thống nhất.",
            "Đề nghị lùi thời hạn hoàn thành Đề án sang tháng 11/2020."),
        "III.2.b-ttud-2": (
            "in_progress", 80, None,
            "Rà soát, công khai thủ tục hành chính, phí, lệ phí của Sở trên Trang thông tin điện tử.",
            "Đã cập nhật danh mục thủ tục hành chính trên Trang thông tin điện tử của Sở.", "", ""),
        "III.7.b-ttud-1": (
            "in_progress", 50, None,
            "Cập nhật văn bản hướng dẫn về đổi mới công nghệ, sở hữu trí tuệ trên Cổng thông tin điện tử của Sở.",
            "", "", ""),
    },
}
Y_QLCN = {
    "summary": "Dự thảo báo cáo năm đang tổng hợp.",
    "tasks": {
        "III.7.b-qlcn-3-part2-ke-hoach-dn-khcn": (
            "done", 100, D(2020, 10, 15),
            "Hoàn thành và trình UBND tỉnh Kế hoạch phát triển doanh nghiệp KH&CN giai đoạn 2021-2025.",
            "Trình UBND tỉnh ngày 15/10/2020 (chậm 15 ngày so với kế hoạch).", "", ""),
        "III.7.b-qlcn-1": (
            "in_progress", 80, None,
            "Khảo sát nhanh nhu cầu dịch vụ công nghệ tại các lớp tập huấn tháng 10/2020.", "", "", ""),
    },
    "indicators": {
        "ind-e761_use": ("41.7", "Khảo sát nhanh doanh nghiệp dự tập huấn tháng 10/2020 — số liệu mẫu, không phải số "
                                 "liệu VCCI; chỉ số chính thức do VCCI công bố trong PCI 2020."),
    },
}


def _fill(report: UnitReport, actor, spec: dict) -> UnitReport:
    entries = {e.task.key: e for e in ReportTaskEntry.objects.filter(report=report).select_related("task")}
    values = {v.target.key: v for v in ReportIndicatorValue.objects.filter(report=report).select_related("target")}
    entry_changes = {}
    for key, (status, progress, completed_on, done, results, difficulties, proposals) in spec.get("tasks", {}).items():
        entry = entries[key]
        entry_changes[entry.pk] = {"status": status, "progress": progress, "completed_on": completed_on,
                                   "done_text": done, "results": results, "difficulties": difficulties,
                                   "proposals": proposals}
    value_changes = {values[k].pk: {"value": v, "method": m} for k, (v, m) in spec.get("indicators", {}).items()}
    fields = {k: spec[k] for k in ("summary", "difficulties", "proposals") if k in spec}
    return services.report_save(actor=actor, report=report, expected_version=report.version, fields=fields,
                                entries=entry_changes, values=value_changes, message="Nội dung mẫu của bản trình diễn")


def _portal_link(report, actor, key, title, url):
    entry = ReportTaskEntry.objects.select_related("task").get(report=report, task__key=key)
    return services.evidence_add_link(actor=actor, report=report, url=url, title=title, task=entry.task)


@transaction.atomic
def load_reports_demo() -> str:
    plan = Plan.objects.filter(code=PLAN_CODE).first()
    if plan is None:
        return "không có kế hoạch mẫu"
    periods = {p.code: p for p in services.periods_generate(actor=None, plan=plan)}
    q3, year = periods.get("2020-Q3"), periods.get("2020-Y")
    if q3 is None or year is None:
        return "kế hoạch mẫu không có kỳ báo cáo Quý III/năm 2020"
    if UnitReport.objects.filter(period__plan=plan).exists():
        return f"{len(periods)} kỳ báo cáo; dữ liệu mẫu đã có"
    users = {u.username: u for u in User.objects.filter(is_sample=True)}
    units = {o.code: o for o in Organisation.objects.filter(code__in=["bg-so-khcn-qlcn", "bg-so-khcn-ttud"])}
    member, head = users["canbo.qlcn"], users["truongphong.qlcn"]
    t_member, t_head = users["canbo.ttud"], users["truongphong.ttud"]
    khtc = users["khtc"]

    # Quý III/2020 — Phòng QLCN&TTCN: sent on time, returned, resent, accepted.
    r = services.report_start(actor=member, period=q3, unit=units["bg-so-khcn-qlcn"], is_sample=True)
    r = _fill(r, member, Q3_QLCN)
    services.report_send(actor=head, report=r, on=D(2020, 10, 2), at=_at(D(2020, 10, 2), 15, 10))
    services.report_return(actor=khtc, report=r, comment=Q3_QLCN_RETURN, at=_at(D(2020, 10, 5), 8, 40))
    r.refresh_from_db()
    _portal_link(r, member, "III.7.b-qlcn-3-part1-ke-hoach-khoi-nghiep",
                 "Cổng thông tin điện tử tỉnh Bắc Giang (liên kết mẫu)", "https://bacgiang.gov.vn/")
    r.refresh_from_db()
    services.report_send(actor=head, report=r, on=D(2020, 10, 5), at=_at(D(2020, 10, 5), 16, 20))
    services.report_accept(actor=khtc, report=r, at=_at(D(2020, 10, 7), 10, 0))

    # Quý III/2020 — Trung tâm Ứng dụng: sent on the 05th (one day late), accepted.
    t = services.report_start(actor=t_member, period=q3, unit=units["bg-so-khcn-ttud"], is_sample=True)
    t = _fill(t, t_member, Q3_TTUD)
    services.report_send(actor=t_head, report=t, on=D(2020, 10, 5), at=_at(D(2020, 10, 5), 10, 30))
    services.report_accept(actor=khtc, report=t, at=_at(D(2020, 10, 7), 10, 15))

    # Năm 2020 — being drafted by both units (as of 20/11/2020).
    y = services.report_start(actor=member, period=year, unit=units["bg-so-khcn-qlcn"], is_sample=True)
    _fill(y, member, Y_QLCN)
    services.report_start(actor=t_member, period=year, unit=units["bg-so-khcn-ttud"], is_sample=True)

    # The consolidating unit's draft of the quarter's report, built from the accepted reports.
    consolidation.consolidated_for(actor=khtc, period=q3, today=D(2020, 10, 9))
    n_evidence = Evidence.objects.filter(report__period__plan=plan).count()
    return (f"{len(periods)} kỳ báo cáo ({', '.join(p.label for p in periods.values())}); "
            f"{UnitReport.objects.filter(period__plan=plan).count()} báo cáo đơn vị (mẫu), {n_evidence} minh chứng")


def load_demo() -> str:
    return load_reports_demo()


__all__ = ["Period", "load_demo"]
