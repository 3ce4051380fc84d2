"""The status rule, exhaustively, on plain values (no database).

Published figures: Bắc Giang's PCI 2020 sub-index scores and rank as VCCI published them (pcivietnam.vn,
``src/pciplan/data/pci/results.csv``) against the reference plan's targets.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pciplan.dashboards.status import (
    BASIS_LABELS,
    LABELS,
    RULE_STEPS,
    SEVERITY,
    TONES,
    Basis,
    Interval,
    Published,
    Status,
    TargetSpec,
    Work,
    results_available_from,
    roll_up,
    target_status,
    target_words,
)

DEMO_DAY = dt.date(2020, 11, 20)
AFTER = dt.date(2021, 6, 1)
PUBLISHED_2020 = dt.date(2021, 5, 1)


def sub(code="informal_charges", value="6.5", comparator=">=", **kw):
    return TargetSpec(key=f"si-{code}", label=code, kind="subindex", comparator=comparator, value=D(value),
                      unit="điểm", subindex_code=code, **kw)


def pct(value="45", comparator=">", code="e761_use"):
    return TargetSpec(key=f"ind-{code}", label=code, kind="indicator", comparator=comparator, value=D(value), unit="%",
                      indicator_code=code)


RANK = TargetSpec(key="rank-2020", label="Thứ hạng", kind="rank", comparator="<=", value=D(30), of=63, unit="hạng")
GROUP = TargetSpec(key="group-2020", label="Nhóm", kind="group", comparator=">=", value_text="Khá")


def pub(value, year=2020, available=PUBLISHED_2020, stored=False):
    return Published(year=year, value=value, available_from=available, source="VCCI", of=63, date_stored=stored)


# ----------------------------------------------------------------------------------------- vocabulary
def test_every_status_has_a_word_a_tone_and_a_place_in_the_order():
    assert set(LABELS) == set(TONES) == set(SEVERITY) == set(Status)
    assert set(TONES.values()) <= {"ok", "bad", "warn", "info", "muted"}
    assert [LABELS[s] for s in SEVERITY] == ["Chưa đạt", "Chậm", "Có nguy cơ", "Đúng tiến độ", "Đạt",
                                             "Chưa có dữ liệu"]
    assert set(BASIS_LABELS) == set(Basis)
    assert len(RULE_STEPS) == 4


def test_results_are_known_from_the_stored_date_or_first_of_may_next_year():
    assert results_available_from(2020) == dt.date(2021, 5, 1)
    assert results_available_from(2019) == dt.date(2020, 5, 1)
    assert results_available_from(2020, dt.date(2021, 5, 19)) == dt.date(2021, 5, 19)


# ------------------------------------------------------------------------------------- 1. published
# Bắc Giang, PCI 2020 as published, against the reference plan (Sở KH&CN Bắc Giang, KH PCI 2020).
BAC_GIANG_2020 = [
    ("entry_costs", "7.61", 6.99, Status.MISSED),
    ("transparency", "7.0", 5.39, Status.MISSED),
    ("time_costs", "7.08", 8.68, Status.ACHIEVED),
    ("informal_charges", "6.5", 6.47, Status.MISSED),
    ("policy_bias", "6.5", 7.89, Status.ACHIEVED),
    ("proactivity", "7.34", 6.75, Status.MISSED),
    ("business_support", "6.5", 5.82, Status.MISSED),
]


@pytest.mark.parametrize(("code", "target", "actual", "expected"), BAC_GIANG_2020)
def test_published_2020_scores_decide_once_published(code, target, actual, expected):
    s = target_status(sub(code, target), plan_year=2020, today=AFTER, published=pub(actual), work=Work(3, 3))
    assert s.status == expected and s.basis == Basis.PUBLISHED and s.is_final
    assert s.summary.startswith("PCI 2020: ")


def test_published_rank_27_meets_top_30_and_the_summary_says_by_how_much():
    s = target_status(RANK, plan_year=2020, today=AFTER, published=pub(27))
    assert (s.status, s.label, s.tone) == (Status.ACHIEVED, "Đạt", "ok")
    assert s.summary == "PCI 2020: thứ 27/63 — vượt 3 bậc"
    assert "thứ 27/63 so với mục tiêu thứ 30/63: vượt 3 bậc" in s.reason


def test_published_value_is_compared_at_published_precision():
    # 6.495 is published as 6,50 (half-up): it meets "từ 6,50 trở lên"; 6.4949 is published as 6,49.
    assert target_status(sub(), plan_year=2020, today=AFTER, published=pub(6.495)).status == Status.ACHIEVED
    assert target_status(sub(), plan_year=2020, today=AFTER, published=pub(6.4949)).status == Status.MISSED


def test_strict_comparators_are_strict():
    assert target_status(pct("45"), plan_year=2020, today=AFTER, published=pub(45.0)).status == Status.MISSED
    assert target_status(pct("45", ">="), plan_year=2020, today=AFTER, published=pub(45.0)).status == Status.ACHIEVED


def test_group_targets_read_the_published_group():
    assert target_status(GROUP, plan_year=2020, today=AFTER, published=pub("Tốt")).status == Status.ACHIEVED
    assert target_status(GROUP, plan_year=2020, today=AFTER, published=pub("Trung bình")).status == Status.MISSED


def test_results_held_but_not_yet_published_on_the_demo_day_are_not_used():
    # The database may hold PCI 2020; on 20/11/2020 nobody knew it.
    s = target_status(sub("informal_charges"), plan_year=2020, today=DEMO_DAY, published=pub(6.47), work=Work())
    assert s.status == Status.NO_DATA
    assert "chưa được công bố tại ngày 20/11/2020" in s.steps[0]
    assert "1/5/2021" in s.steps[0]


def test_the_publication_day_itself_counts_and_a_stored_date_wins():
    day = dt.date(2021, 5, 19)
    assert target_status(sub(), plan_year=2020, today=day - dt.timedelta(days=1),
                         published=pub(6.47, available=day, stored=True)).status == Status.NO_DATA
    s = target_status(sub(), plan_year=2020, today=day, published=pub(6.47, available=day, stored=True))
    assert s.status == Status.MISSED


def test_published_year_without_a_value_for_the_target_falls_through():
    s = target_status(pct(), plan_year=2020, today=AFTER, published=pub(None), estimate=Interval(46.0, 52.0, 49.0))
    assert s.status == Status.ON_TRACK and s.basis == Basis.ESTIMATE
    assert "không có số liệu cho mục tiêu này" in s.steps[0]


def test_published_beats_estimate_and_work():
    s = target_status(pct(), plan_year=2020, today=AFTER, published=pub(40.0), estimate=Interval(46, 52, 49),
                      work=Work(3, 0))
    assert s.status == Status.MISSED and len(s.steps) == 1


# -------------------------------------------------------------------------------------- 2. estimate
@pytest.mark.parametrize(("low", "high", "expected"), [
    (46.0, 55.0, Status.ON_TRACK),     # the whole interval above 45
    (30.0, 44.0, Status.OFF_TRACK),    # the whole interval below
    (41.3, 55.5, Status.AT_RISK),      # straddles
    (30.0, 45.0, Status.OFF_TRACK),    # "trên 45%": 45 itself is not above 45
    (45.0, 50.0, Status.AT_RISK),      # touches the target from above: not certain
])
def test_estimate_interval_against_a_strict_target(low, high, expected):
    s = target_status(pct(), plan_year=2020, today=DEMO_DAY, estimate=Interval(low, high, (low + high) / 2),
                      work=Work(2, 2))
    assert s.status == expected and s.basis == Basis.ESTIMATE


def test_estimate_against_a_lower_is_better_target():
    spec = pct("20", "<=", "e_burden")
    assert target_status(spec, plan_year=2020, today=DEMO_DAY, estimate=Interval(10, 19.5)).status == Status.ON_TRACK
    assert target_status(spec, plan_year=2020, today=DEMO_DAY, estimate=Interval(21, 30)).status == Status.OFF_TRACK
    assert target_status(spec, plan_year=2020, today=DEMO_DAY, estimate=Interval(15, 25)).status == Status.AT_RISK


def test_estimate_words_mark_synthetic_data_and_the_date():
    s = target_status(pct(), plan_year=2020, today=DEMO_DAY,
                      estimate=Interval(41.31, 55.53, 48.39, source="Khảo sát mẫu, n = 186", as_of=dt.date(2020, 11, 19),
                                        synthetic=True))
    assert s.summary == "48,4% (khoảng 41,3%–55,5%)"
    assert "DỮ LIỆU MÔ PHỎNG" in s.reason and "19/11/2020" in s.reason and "trên 45%" in s.reason


def test_an_estimate_without_an_interval_or_for_a_group_does_not_count():
    assert target_status(pct(), plan_year=2020, today=DEMO_DAY, estimate=Interval(None, None)).basis == Basis.NONE
    s = target_status(GROUP, plan_year=2020, today=DEMO_DAY, estimate=Interval(40, 50), work=Work(1, 0))
    assert s.basis == Basis.TASKS and s.status == Status.ON_TRACK


def test_estimate_beats_work():
    s = target_status(pct(), plan_year=2020, today=DEMO_DAY, estimate=Interval(46, 55), work=Work(3, 3))
    assert s.status == Status.ON_TRACK and len(s.steps) == 2


# ------------------------------------------------------------------------------------------- 3. work
@pytest.mark.parametrize(("dated", "overdue", "expected"), [
    (0, 0, Status.NO_DATA),
    (1, 0, Status.ON_TRACK),
    (5, 0, Status.ON_TRACK),
    (1, 1, Status.AT_RISK),
    (3, 1, Status.AT_RISK),      # exactly a third
    (3, 2, Status.AT_RISK),
    (6, 2, Status.AT_RISK),
    (4, 1, Status.NO_DATA),      # a quarter: under a third, yet not on track — the rule does not conclude
    (7, 2, Status.NO_DATA),      # 2/7 < 1/3
    (10, 4, Status.AT_RISK),
])
def test_work_thresholds(dated, overdue, expected):
    s = target_status(sub(), plan_year=2020, today=DEMO_DAY, work=Work(dated, overdue))
    assert s.status == expected
    assert s.basis == (Basis.TASKS if expected != Status.NO_DATA else Basis.NONE)


def test_the_gap_case_explains_itself():
    s = target_status(sub(), plan_year=2020, today=DEMO_DAY, work=Work(4, 1))
    assert "1/4 nhiệm vụ có thời hạn quá hạn" in s.steps[2] and "dưới một phần ba" in s.steps[2]
    assert s.reason.endswith("→ Chưa có dữ liệu.")
    assert s.summary == "1/4 nhiệm vụ có thời hạn quá hạn"


@given(st.integers(0, 60).flatmap(lambda d: st.tuples(st.just(d), st.integers(0, d))))
def test_work_rule_property(counts):
    dated, overdue = counts
    s = target_status(sub(), plan_year=2020, today=DEMO_DAY, work=Work(dated, overdue))
    if dated and 3 * overdue >= dated:
        assert s.status == Status.AT_RISK
    elif dated and overdue == 0:
        assert s.status == Status.ON_TRACK
    else:
        assert s.status == Status.NO_DATA
    assert s.steps and s.label == LABELS[s.status]


@pytest.mark.parametrize(("dated", "overdue"), [(-1, 0), (2, 3), (0, -1)])
def test_impossible_counts_are_refused(dated, overdue):
    with pytest.raises(ValueError):
        Work(dated, overdue)


def test_nothing_at_all_gives_no_data_with_every_step_shown():
    s = target_status(sub(), plan_year=2020, today=DEMO_DAY)
    assert (s.status, s.label, s.tone, s.basis) == (Status.NO_DATA, "Chưa có dữ liệu", "muted", Basis.NONE)
    assert len(s.steps) == 4 and s.steps[0] == "Chưa có kết quả PCI 2020 do VCCI công bố."
    assert s.as_dict()["steps"] == list(s.steps)


# ------------------------------------------------------------------------------------------- words
def test_target_words():
    assert target_words(sub("entry_costs", "7.61")) == "từ 7,61 trở lên"
    assert target_words(pct()) == "trên 45%"
    assert target_words(RANK) == "thứ 30/63 hoặc cao hơn"
    assert target_words(GROUP) == "nhóm “Khá” trở lên"


# ---------------------------------------------------------------------------------------- roll-up
def test_roll_up_takes_the_worst_status_that_has_data():
    for combo in itertools.combinations(list(Status), 3):
        r = roll_up(combo)
        with_data = [s for s in combo if s != Status.NO_DATA]
        expected = min(with_data, key=SEVERITY.index) if with_data else Status.NO_DATA
        assert r.status == expected and r.total == 3 and r.with_data == len(with_data)


def test_roll_up_chips_count_each_status_worst_first():
    r = roll_up([Status.ON_TRACK, Status.AT_RISK, Status.AT_RISK, Status.NO_DATA])
    assert r.chips() == [("warn", "Có nguy cơ", 2), ("ok", "Đúng tiến độ", 1), ("muted", "Chưa có dữ liệu", 1)]
    assert (r.label, r.tone) == ("Có nguy cơ", "warn")
    assert roll_up([]).status == Status.NO_DATA
