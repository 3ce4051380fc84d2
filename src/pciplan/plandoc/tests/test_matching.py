"""Tolerant matching of sub-index and unit names; reading single phrases."""

from __future__ import annotations

import datetime as dt

import pytest

from pciplan.plandoc import match_subindex, normalize_unit_name, parse_plan_text, same_unit, unit_key


@pytest.mark.parametrize("name,code", [
    ("Tinh minh bạch", "transparency"),
    ("Tính minh bạch và tiếp cận thông tin", "transparency"),
    ("Gia nhập thị trường", "entry_costs"),
    ("Chi phi gia nhap thi truong", "entry_costs"),
    ("Tiếp cận đất đai", "land_access"),
    ("Chi phí thời gian", "time_costs"),
    ("Chi phí không chính thức", "informal_charges"),
    ("Cạnh tranh bình đẳng", "policy_bias"),
    ("Tính năng động và tiên phong của lãnh đạo tỉnh", "proactivity"),
    ("Tính năng động của chính quyền tỉnh", "proactivity"),
    ("Dịch vụ hỗ trợ doanh nghiệp", "business_support"),
    ("Chính sách hỗ trợ doanh nghiệp", "business_support"),
    ("Đào tạo lao đông", "labor_training"),
    ("Thiết chế pháp lý", "legal_institutions"),
    ("Thiết chế pháp lý và an ninh trật tự", "legal_institutions"),
    ("chỉ số thành phần “Chi phí thời gan”", "time_costs"),
    ("Tổng điểm PCI", None),
    ("", None),
])
def test_match_subindex(name, code):
    assert match_subindex(name) == code


def test_unit_names():
    assert normalize_unit_name("Phòng Quản lý Công nghệ và TTCN") == "Phòng Quản lý Công nghệ và Thị trường công nghệ"
    assert same_unit("Phòng Quản lý Công nghệ và TTCN", "Phòng Quản lý Công nghệ và Thị trường công nghệ")
    assert same_unit("*Văn phòng Sở*", "Văn phòng Sở")
    assert same_unit("Sở TT&TT", "Sở Thông tin và Truyền thông")
    assert not same_unit("Thanh tra tỉnh", "Thanh tra Sở")
    assert unit_key("Trưởng phòng Quản lý Công nghệ và Thị trường công nghệ") == unit_key(
        "Phòng Quản lý Công nghệ và TTCN")


def _one(text):
    return parse_plan_text("KẾ HOẠCH\nNâng cao chỉ số PCI năm 2020\n\nI. MỤC TIÊU\n" + text)


@pytest.mark.parametrize("phrase,op,value", [
    ("Chỉ số Tính minh bạch đạt từ 7,61 điểm trở lên.", ">=", 7.61),
    ("Chỉ số Tính minh bạch đạt trên 7 điểm.", ">", 7),
    ("Chỉ số Tính minh bạch đạt tối thiểu 6,5 điểm.", ">=", 6.5),
    ("Chỉ số Tính minh bạch không thấp hơn 6,0 điểm.", ">=", 6.0),
    ("Chỉ số Tính minh bạch đạt 7,2 điểm.", "=", 7.2),
    ("Chỉ số Tính minh bạch đạt ≥ 7.5 điểm.", ">=", 7.5),
])
def test_score_comparators(phrase, op, value):
    (t,) = _one(phrase).subindex_targets
    assert (t.subindex_code, t.operator, t.target_score) == ("transparency", op, value)


def test_overall_phrases():
    draft = _one("Phấn đấu PCI tăng 5 bậc so với năm 2019, vào TOP 5, tổng điểm trên 72 điểm, "
                 "thuộc nhóm “Rất tốt”.")
    got = {(t.kind, t.rank, t.increase, t.score, t.group, t.operator, t.baseline_year) for t in draft.overall_targets}
    assert got == {("rank", None, 5, None, None, "=", 2019), ("rank", 5, None, None, None, "<=", None),
                   ("score", None, None, 72, None, ">", None), ("group", None, None, None, "Rất tốt", None, None)}


@pytest.mark.parametrize("phrase", [
    "Năm 2019, PCI của tỉnh đạt 63,98 điểm, xếp thứ 27/63.",  # a past result
    "Thực hiện Kế hoạch số 128/KH-UBND ngày 30/6/2016 của UBND tỉnh.",  # another document
    "Công khai gói thầu có giá không quá 5 tỷ đồng.",  # the scope of a task
    "Cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4.",  # service levels
    "Phấn đấu đến năm 2025 Chỉ số Chi phí thời gian đạt",  # cut off mid-way
    "Giải quyết kiến nghị trong thời hạn không quá 10 ngày làm việc.",  # a time limit, not an indicator
])
def test_not_targets(phrase):
    draft = _one(phrase)
    assert draft.targets == []
    assert draft.deadlines == []


@pytest.mark.parametrize("phrase,date,qualifier,recurrence", [
    ("Hoàn thành trước ngày 15/8/2020.", dt.date(2020, 8, 15), "before", None),
    ("Hoàn thành trước ngày 30 tháng 4 năm 2020.", dt.date(2020, 4, 30), "before", None),
    ("Hoàn thành trong tháng 9/2020.", dt.date(2020, 9, 30), "by_end_of_month", None),
    ("Hoàn thành trong tháng 2 năm 2020.", dt.date(2020, 2, 29), "by_end_of_month", None),
    ("Hoàn thành trong quý III/2020.", dt.date(2020, 9, 30), "by_end_of_month", None),
    ("Tổ chức hội nghị vào ngày 10/9/2020.", dt.date(2020, 9, 10), "on", None),
    ("Báo cáo năm trước ngày 05/12 hàng năm.", dt.date(2020, 12, 5), "before", "yearly"),
    ("Báo cáo hàng quý trước ngày 05 của tháng đầu tiên của quý tiếp theo.", dt.date(2020, 4, 5), "before", "quarterly"),
    ("Báo cáo hằng quý trước ngày 20 của tháng cuối quý.", dt.date(2020, 3, 20), "before", "quarterly"),
])
def test_deadline_phrases(phrase, date, qualifier, recurrence):
    (d,) = _one(phrase).deadlines
    assert (d.date, d.qualifier, d.recurrence) == (date, qualifier, recurrence)
