"""The pure evaluation rules, without a database.

Values marked "synthetic" are made up for the edge cases; the reference plan's published figures are
checked from the shipped data in ``test_reference_evaluation.py``.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pciplan.evaluation.rules import (
    Actual,
    AssignmentSpec,
    Estimate,
    RuleSpec,
    Status,
    TargetSpec,
    UnitSpec,
    evaluate_target,
    evaluate_units,
    expand_assignments,
    published,
    target_json,
    to_cli_json,
)


def subindex(key="si-x", value="6.5", comparator=">=", baseline="6.06", label="Chi phí không chính thức"):
    return TargetSpec(key=key, label=label, kind="subindex", comparator=comparator, value=D(value), unit="điểm",
                      subindex_code=key.removeprefix("si-"), baseline_year=2019,
                      baseline_value=D(baseline) if baseline else None)


def indicator(key="ind-x", value="45", comparator=">"):
    return TargetSpec(key=key, label="Doanh nghiệp từng sử dụng dịch vụ liên quan tới công nghệ", kind="indicator",
                      comparator=comparator, value=D(value), unit="%", indicator_code="e761_use")


# ---------------------------------------------------------------------------------------- targets
def test_margin_sentence_in_target_unit():
    r = evaluate_target(subindex(), Actual(6.47, 2020, "VCCI"))
    assert r.status == Status.NOT_MET
    assert r.margin == D("-0.03")
    assert r.margin_text == "6,47 so với mục tiêu 6,50: thiếu 0,03"
    assert r.change == D("0.41")
    assert r.change_text == "+0,41 so với năm 2019 (6,06)"


def test_met_with_excess():
    r = evaluate_target(subindex(value="7.08", baseline="6.52"), Actual(8.68, 2020))
    assert r.status == Status.MET
    assert r.margin_text == "8,68 so với mục tiêu 7,08: vượt 1,60"


def test_exactly_at_target_from_and_above():
    assert evaluate_target(subindex(value="6.5"), Actual(6.5, 2020)).status == Status.MET
    r = evaluate_target(subindex(value="6.5"), Actual(6.5, 2020))
    assert r.verdict_text == "đạt đúng mức mục tiêu"


@pytest.mark.parametrize(("comparator", "expected"), [(">", Status.NOT_MET), (">=", Status.MET)])
def test_above_45_percent_versus_from_45_percent_at_exactly_45(comparator, expected):
    """"trên 45%" is not met by 45%; "từ 45% trở lên" is (synthetic value 45)."""
    r = evaluate_target(indicator(comparator=comparator), Actual(D("45"), 2020))
    assert r.status == expected
    assert r.margin == 0
    if comparator == ">":
        assert r.margin_text == "45% so với mục tiêu trên 45%: bằng mức mục tiêu, chưa vượt"
    else:
        assert r.margin_text == "45% so với mục tiêu 45%: đạt đúng mức mục tiêu"


def test_float_noise_does_not_flip_a_decision():
    # 0.45 * 100 is 45.00000000000001 in binary floating point; the published value is 45.
    r = evaluate_target(indicator(comparator=">"), Actual(0.45 * 100, 2020))
    assert r.actual == D("45.00")
    assert r.status == Status.NOT_MET


def test_full_precision_is_rounded_to_the_published_two_decimals():
    # A workbook value 6.4951 is printed by VCCI as 6,50: the plan's 6,5 is met (synthetic value).
    assert published(6.4951, "subindex") == D("6.50")
    assert evaluate_target(subindex(), Actual(6.4951, 2020)).status == Status.MET
    assert evaluate_target(subindex(), Actual(6.4949, 2020)).status == Status.NOT_MET


def test_no_published_value_is_not_measurable_and_an_estimate_never_decides():
    est = Estimate(60.0, 52.0, 68.0, source="Khảo sát doanh nghiệp (ước tính)")
    r = evaluate_target(indicator(), None, estimate=est)
    assert r.status == Status.NOT_MEASURABLE
    assert r.margin is None and r.actual is None
    assert r.margin_text.startswith("Chưa có số liệu công bố")
    d = r.as_dict()
    assert d["estimate"]["text"] == "ước tính 60% (khoảng 52–68%)"
    r2 = evaluate_target(indicator(), Actual(None, 2020), estimate=est)
    assert r2.status == Status.NOT_MEASURABLE


def test_rank_lower_is_better():
    rank = TargetSpec(key="rank", label="Thứ hạng PCI", kind="rank", comparator="<=", value=D(30), of=63,
                      unit="hạng", baseline_year=2019, baseline_value=D(40))
    r = evaluate_target(rank, Actual(27, 2020, of=63))
    assert (r.status, r.margin) == (Status.MET, D(-3))
    assert r.margin_text == "thứ 27/63 so với mục tiêu thứ 30/63: vượt 3 bậc"
    assert r.change_text == "tăng 13 bậc so với năm 2019 (thứ 40)"
    assert evaluate_target(rank, Actual(30, 2020)).status == Status.MET
    worse = evaluate_target(rank, Actual(31, 2020))
    assert worse.status == Status.NOT_MET and worse.verdict_text == "thiếu 1 bậc"
    with pytest.raises(ValueError):
        evaluate_target(rank, Actual(27.5, 2020))


@pytest.mark.parametrize(("published_group", "status"), [
    ("Rất tốt", Status.MET), ("Tốt", Status.MET), ("Khá", Status.MET), ("kha", Status.MET),
    ("Trung bình", Status.NOT_MET), ("Thấp", Status.NOT_MET), (None, Status.NOT_MEASURABLE), ("", Status.NOT_MEASURABLE),
])
def test_group_at_least_mid_high(published_group, status):
    group = TargetSpec(key="group", label="Nhóm xếp hạng", kind="group", comparator=">=", value_text="Khá")
    r = evaluate_target(group, Actual(published_group, 2020))
    assert r.status == status
    assert r.margin is None


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        TargetSpec(key="x", label="x", kind="subindex", comparator="=>", value=D(1))
    with pytest.raises(ValueError):
        TargetSpec(key="x", label="x", kind="group", comparator=">=", value_text="Xuất sắc")
    with pytest.raises(ValueError):
        evaluate_target(subindex(), Actual("abc", 2020))
    with pytest.raises(ValueError):
        evaluate_target(subindex(), Actual(float("nan"), 2020))


@given(actual=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
       target=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
       comparator=st.sampled_from([">=", ">", "<=", "<"]))
def test_status_agrees_with_the_sign_of_the_margin(actual, target, comparator):
    spec = TargetSpec(key="t", label="t", kind="total", comparator=comparator, value=target, unit="điểm")
    r = evaluate_target(spec, Actual(actual, 2020))
    better = -r.margin if comparator in ("<=", "<") else r.margin
    strict = comparator in (">", "<")
    assert (r.status == Status.MET) == (better > 0 or (better == 0 and not strict))
    assert r.margin == actual - target
    word = r.verdict_text.split()[0]
    assert word == ("vượt" if better > 0 else "thiếu" if better < 0 else r.verdict_text.split()[0])


# ------------------------------------------------------------------------------------------ units
SO, QLCN, TTUD, VP = "so", "qlcn", "ttud", "vp"
UNITS = [UnitSpec(QLCN, "Phòng Quản lý Công nghệ"), UnitSpec(TTUD, "Trung tâm Ứng dụng"), UnitSpec(VP, "Văn phòng Sở"),
         UnitSpec("khdt", "Sở Kế hoạch và Đầu tư", internal=False)]
II1 = RuleSpec("II.1", roles=("lead", "owner"), target_kinds=("subindex",), section="II.1")
III7C = RuleSpec("III.7.c", roles=("owner",), target_kinds=("indicator",), target_keys=("ind-a", "ind-b"),
                 org_key=QLCN, section="III.7.c")


def _results(**actuals):
    targets = {
        "si-bs": subindex("si-bs", "6.5", label="Dịch vụ hỗ trợ doanh nghiệp"),
        "si-tc": subindex("si-tc", "7.08", label="Chi phí thời gian"),
        "ind-a": indicator("ind-a", "45"), "ind-b": indicator("ind-b", "70"),
    }
    return {k: evaluate_target(t, Actual(actuals.get(k), 2020)) for k, t in targets.items()}


def _units(results, extra=()):
    raw = [AssignmentSpec("si-bs", "khdt", "lead"), AssignmentSpec("si-bs", QLCN, "owner"),
           AssignmentSpec("si-bs", TTUD, "support"), AssignmentSpec("si-bs", SO, "support"),
           AssignmentSpec("si-tc", VP, "support"), AssignmentSpec("ind-a", QLCN, "owner"),
           AssignmentSpec("ind-b", QLCN, "owner"), *extra]
    assignments = expand_assignments(raw, collective_keys=[SO], unit_keys=[QLCN, TTUD, VP])
    return {o.unit.key: o for o in evaluate_units(UNITS, assignments, [II1, III7C], results)}


def test_owner_who_missed_a_subindex_is_not_allowed_even_if_indicators_are_unknown():
    out = _units(_results(**{"si-bs": 5.82, "si-tc": 8.68}))
    qlcn = out[QLCN]
    assert qlcn.excellent_rating_allowed is False
    assert [a.result.target.key for a in qlcn.missed] == ["si-bs"]
    assert {a.result.target.key for a in qlcn.undetermined} == {"ind-a", "ind-b"}
    assert "không được xếp loại" in qlcn.consequence_text and "hoàn thành tốt nhiệm vụ" in qlcn.consequence_text
    assert any("mục II.1" in line and "thiếu 0,68" in line for line in qlcn.explanation)


def test_supporting_units_are_not_subject_to_the_rule():
    out = _units(_results(**{"si-bs": 5.82, "si-tc": 6.0}))
    for key in (TTUD, VP):
        assert out[key].only_supports
        assert out[key].accountable == ()
        assert out[key].excellent_rating_allowed is True
    assert any("chỉ phối hợp" in line for line in out[TTUD].explanation)


def test_unknown_deciding_value_is_undetermined_not_allowed():
    out = _units(_results(**{"si-bs": 6.6, "ind-a": 50}))  # ind-b not published
    assert out[QLCN].excellent_rating_allowed is None
    assert [a.result.target.key for a in out[QLCN].undetermined] == ["ind-b"]
    assert out[QLCN].decision_label == "Chưa xác định"


def test_all_met_is_allowed():
    out = _units(_results(**{"si-bs": 6.6, "ind-a": 50, "ind-b": 71}))
    assert out[QLCN].excellent_rating_allowed is True
    assert "đạt mọi mục tiêu" in out[QLCN].consequence_text


def test_indicator_rule_is_specific_to_its_organisation():
    # TTUD owns ind-a too (synthetic), but III.7.c names only QLCN: TTUD does not answer for it.
    out = _units(_results(**{"si-bs": 6.6, "ind-a": 40}), extra=[AssignmentSpec("ind-a", TTUD, "owner")])
    assert out[TTUD].excellent_rating_allowed is True
    assert out[QLCN].excellent_rating_allowed is False


def test_collective_owner_makes_every_unit_accountable():
    out = _units(_results(**{"si-bs": 6.6, "si-tc": 6.0}), extra=[AssignmentSpec("si-tc", SO, "owner")])
    for key in (TTUD, VP):
        assert out[key].excellent_rating_allowed is False
        assert out[key].accountable[0].collective


def test_outside_lead_is_evaluated_but_not_rated():
    out = _units(_results(**{"si-bs": 5.82}))
    khdt = out["khdt"]
    assert khdt.excellent_rating_allowed is False
    assert khdt.decision_label == "Ngoài Sở, không xếp loại"
    assert khdt.consequence_text.startswith("Đơn vị ngoài Sở")


def test_cli_json_shape_and_number_types():
    results = _results(**{"si-bs": 5.82, "si-tc": 8.68})
    outcomes = _units(results)
    snapshot = {"targets": [r.as_dict() for r in results.values()], "units": [o.as_dict() for o in outcomes.values()]}
    out = to_cli_json(snapshot)
    assert out["overall"] == []
    bs = out["targets"][0]
    assert bs == {"subject": "Dịch vụ hỗ trợ doanh nghiệp", "kind": "subindex", "subindex_code": "bs",
                  "comparator": ">=", "target": 6.5, "actual": 5.82, "status": "not_met", "margin": -0.68}
    ind = out["targets"][2]
    assert ind["subindex_code"] is None and ind["actual"] is None and ind["margin"] is None
    assert ind["target"] == 45 and isinstance(ind["target"], int)
    qlcn = next(u for u in out["units"] if u["unit"] == "Phòng Quản lý Công nghệ")
    assert qlcn["accountable_targets_missed"] == ["Dịch vụ hỗ trợ doanh nghiệp"]
    assert qlcn["excellent_rating_allowed"] is False
    group = TargetSpec(key="g", label="Nhóm", kind="group", comparator=">=", value_text="Khá")
    assert target_json(evaluate_target(group, None))["target"] == "Khá"


def test_docstring_examples():
    import doctest

    from pciplan.evaluation import rules

    result = doctest.testmod(rules)
    assert result.attempted > 10 and result.failed == 0
