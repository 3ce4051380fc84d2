"""The reference plan (Sở KH&CN Bắc Giang, PCI 2020), checked field by field."""

from __future__ import annotations

import datetime as dt

import pytest

from pciplan.plandoc.cli import draft_json
from pciplan.plandoc.units import unit_key

EXPECTED_SUBINDICES = [
    # code, as written, target, increase, lead agency
    ("entry_costs", "Chi phí gia nhập thị trường", 7.61, 0.83, "Sở Kế hoạch và Đầu tư"),
    ("transparency", "Tinh minh bạch", 7.0, 0.15, "Sở Thông tin và Truyền thông"),
    ("time_costs", "Chi phí thời gian", 7.08, 0.56, "Trung tâm Phục vụ hành chính công tỉnh"),
    ("informal_charges", "Chi phí không chính thức", 6.5, 0.44, "Thanh tra tỉnh"),
    ("policy_bias", "Cạnh tranh bình đẳng", 6.5, 1.05, "Sở Kế hoạch và Đầu tư"),
    ("proactivity", "Tính năng động và tiên phong của lãnh đạo tỉnh", 7.34, 0.36, "Văn phòng UBND tỉnh"),
    ("business_support", "Dịch vụ hỗ trợ doanh nghiệp", 6.5, 1.07, "Sở Kế hoạch và Đầu tư"),
]
OWNER = "Phòng Quản lý Công nghệ và Thị trường công nghệ"


@pytest.fixture(scope="module")
def data(reference_draft):
    return draft_json(reference_draft)


def test_document(data):
    doc = data["document"]
    assert doc["issuer"] == "Sở Khoa học và Công nghệ"
    assert doc["number"] is None  # "Số: /KH-KHCN" — the number is blank
    assert doc["symbol"] == "KH-KHCN"
    assert doc["place"] == "Bắc Giang"
    assert doc["date"] == "2020-08"  # "ngày tháng 8 năm 2020" — the day is blank
    assert doc["year"] == 2020
    assert doc["signer"] == "Nguyễn Thanh Bình"
    assert doc["implements"] == "222/KH-UBND"
    assert doc["implements_ref"]["date"] == "2020-08-03"


def test_overall_rank_target(data):
    ranks = [t for t in data["overall_targets"] if t["kind"] == "rank"]
    assert len(ranks) == 1  # stated twice, read once
    assert (ranks[0]["rank"], ranks[0]["of"], ranks[0]["operator"]) == (30, 63, "=")
    groups = [t["group"] for t in data["overall_targets"] if t["kind"] == "group"]
    assert groups == ["Khá"]


def test_seven_subindex_targets(data):
    got = data["subindex_targets"]
    assert [t["subindex_code"] for t in got] == [e[0] for e in EXPECTED_SUBINDICES]
    for t, (code, written, score, increase, lead) in zip(got, EXPECTED_SUBINDICES, strict=True):
        assert t["subindex_text"] == written, code
        assert t["target_score"] == score, code
        assert t["operator"] == ">=", code
        assert t["increase"] == increase, code
        assert t["baseline_year"] == 2019, code
        assert t["target_rank"] is None, code
        assert t["lead_unit"] == lead, code


def test_targets_equal_2019_score_plus_increase(data):
    """Published 2019 scores of Bắc Giang (pcivietnam.vn) + the plan's increase = the plan's target."""
    published_2019 = {"entry_costs": 6.78}
    t = next(t for t in data["subindex_targets"] if t["subindex_code"] == "entry_costs")
    assert round(published_2019["entry_costs"] + t["increase"], 2) == t["target_score"]


def test_units_supporting_a_subindex(data):
    entry = data["subindex_targets"][0]
    assert unit_key(OWNER) in {unit_key(n) for n in entry["supporting_units"]}  # written "… và TTCN"
    assert "Văn phòng Sở" in entry["supporting_units"]
    support = data["subindex_targets"][-1]
    assert OWNER in support["owner_units"]


def test_three_indicator_targets(data):
    got = [(t["operator"], t["value"], t["unit"], t["owner_units"]) for t in data["indicator_targets"]]
    assert got == [(">", 45, "%", [OWNER]), (">", 70, "%", [OWNER]), (">", 75, "%", [OWNER])]
    assert data["indicator_targets"][0]["text"] == "doanh nghiệp từng sử dụng dịch vụ liên quan tới công nghệ"


def test_no_false_targets(data):
    values = {t["value"] for t in data["indicator_targets"]}
    assert 100 not in values and 5 not in values  # "100% TTHC" and "không quá 5 tỷ đồng" are scope
    assert 128 not in values


def test_deadlines(data):
    got = [(d["date"], d["qualifier"], d["recurrence"]) for d in data["deadlines"]]
    assert got == [
        ("2020-08-31", "by_end_of_month", None),  # hoàn thành trong tháng 8/2020
        ("2020-09-30", "by_end_of_month", None),  # … trong tháng 9/2020
        ("2020-09-30", "by_end_of_month", None),  # Techmart Online, trong tháng 9/2020
        ("2020-08-15", "before", None),  # Thời gian xong trước ngày 15/8/2020
        ("2020-10-05", "before", "quarterly"),  # trước ngày 05 của tháng đầu tiên của quý tiếp theo
        ("2020-12-05", "before", "yearly"),  # trước ngày 05/12 hàng năm
    ]


def test_reporting_duties(reference_draft):
    duties = [d for d in reference_draft.reporting_duties if d.deadline]
    assert [(d.recurrence, d.deadline) for d in duties] == [
        ("quarterly", dt.date(2020, 10, 5)), ("yearly", dt.date(2020, 12, 5))]
    assert all(d.recipient == "Phòng Kế hoạch Tài chính" for d in duties)
    assert all(d.reporters == ["Đơn vị được giao chủ trì"] for d in duties)


def test_tasks_under_units(reference_draft):
    tasks = reference_draft.tasks
    office = [t for t in tasks if t.units[0].name == "Văn phòng Sở" and t.subindex_code == "entry_costs"]
    assert len(office) == 3 and all(t.units[0].role == "supporting" for t in office)
    techmart = next(t for t in tasks if "Techmart" in t.text)
    assert techmart.units[0].name == "Trung tâm Ứng dụng khoa học và công nghệ"
    assert techmart.deadline == dt.date(2020, 9, 30)
    training = next(t for t in tasks if t.text.startswith("Giao Văn phòng Sở"))
    assert training.units[0].role == "owner"
    assert training.deadline == dt.date(2020, 8, 15)  # from the paragraph that continues it
    owner = next(t for t in tasks if t.text.startswith("chủ trì tham mưu"))
    assert owner.units[0].role == "owner" and owner.units[0].normalized == OWNER


def test_spans_point_at_the_source(reference_draft):
    text = reference_draft.text
    t = reference_draft.subindex_targets[0]
    s, e = t.spans["target_score"]
    assert "7,61 điểm" in text[s:e]
    s, e = t.spans["lead_unit"]
    assert text[s:e] == "Sở Kế hoạch và Đầu tư"
    s, e = t.spans["subindex_text"]
    assert text[s:e] == "Chi phí gia nhập thị trường"
    d = reference_draft.deadlines[3]
    assert text[d.span[0]:d.span[1]] == "trước ngày 15/8/2020"
    s, e = reference_draft.document.spans["signer"]
    assert text[s:e] == "Nguyễn Thanh Bình"
    with_spans = reference_draft.to_dict(spans=True)
    assert with_spans["text"] == text
    assert with_spans["subindex_targets"][0]["spans"]["lead_unit"] == list(t.spans["lead_unit"])
