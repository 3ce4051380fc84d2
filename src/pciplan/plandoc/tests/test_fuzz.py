"""Arbitrary input never raises anything but PlanDocError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pciplan.plandoc import PlanDocError, parse_plan_text, read_plan

from .conftest import REFERENCE

WORDS = ["KẾ HOẠCH", "Số:", "/KH-UBND", "ngày", "tháng", "năm 2020", "đạt từ", "điểm", "trở lên", "trên", "%",
         "Chỉ số", "“Tinh minh bạch”", "Đơn vị đầu mối –", "Sở Kế hoạch và Đầu tư:", "trước ngày", "15/8/2020",
         "hàng quý", "hàng năm", "05/12", "TOP 5", "tăng 5 bậc", "đứng thứ 30/63", "\n", "\t", "- ", "+ ", "1. ",
         "a) ", "I. ", ";", ":", "(", ")", "7,61", "0,83", "so với năm 2019", "nhóm “khá”", "trong tháng 9/2020",
         "GIÁM ĐỐC", "Nguyễn Văn A", "Quý II/2022", "của tháng cuối quý", "31/02/2020", "99/99/9999"]
REFERENCE_TEXT = REFERENCE.read_text(encoding="utf-8")


def _ok(call):
    try:
        call()
    except PlanDocError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_any_text(text):
    _ok(lambda: parse_plan_text(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=80).map(" ".join))
def test_plan_like_text(text):
    _ok(lambda: parse_plan_text(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(REFERENCE_TEXT)), st.integers(0, 400), st.text(max_size=30))
def test_cut_and_spliced_reference(at, length, insert):
    _ok(lambda: parse_plan_text(REFERENCE_TEXT[:at] + insert + REFERENCE_TEXT[at + length:]))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes(data):
    _ok(lambda: read_plan(data, "tep"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xff\xfe", b""]), st.binary(max_size=300))
def test_bytes_with_magic_numbers(magic, tail):
    _ok(lambda: read_plan(magic + tail, "tep"))


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_spans_stay_inside_the_text(text):
    try:
        draft = parse_plan_text(text)
    except PlanDocError:
        return
    n = len(draft.text)
    for item in [*draft.targets, *draft.deadlines, *draft.tasks]:
        assert 0 <= item.span[0] <= item.span[1] <= n
