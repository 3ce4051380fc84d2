"""Survey proportions: Wilson intervals against statsmodels, Kish's effective n by hand, conditional
denominators, the finite population correction, verdicts from the interval and sample sizes."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from pciplan.engine import proportions
from pciplan.engine.proportions import (
    achieved_margin,
    estimate,
    estimate_by_segment,
    kish_effective_n,
    sample_size,
    verdict,
    wilson_interval,
)

NAN = float("nan")


def test_docstring_examples():
    result = doctest.testmod(proportions)
    assert result.attempted > 10 and result.failed == 0


GRID = [(k, n) for n in (1, 2, 3, 5, 10, 17, 30, 50, 97, 200, 385, 1000) for k in sorted({0, 1, n // 3, n // 2, n - 1, n})
        if 0 <= k <= n]


@pytest.mark.parametrize("confidence", [0.95, 0.90, 0.99])
@pytest.mark.parametrize(("k", "n"), GRID)
def test_unweighted_interval_matches_statsmodels_wilson(k, n, confidence):
    answers = [1] * k + [0] * (n - k)
    e = estimate(answers, confidence=confidence)
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert e.n == n and e.nonresponse == 0
    assert e.value == pytest.approx(100 * k / n, abs=1e-12)
    assert e.low == pytest.approx(100 * low, abs=1e-9)
    assert e.high == pytest.approx(100 * high, abs=1e-9)
    assert e.low <= e.value <= e.high


def test_zero_of_n_and_n_of_n_are_not_degenerate():
    none = estimate([0] * 20)
    everyone = estimate([1] * 20)
    assert none.value == 0 and none.low == 0 and none.high > 10  # 0/20 still allows up to ~16%
    assert everyone.value == 100 and everyone.high == 100 and everyone.low < 90
    assert none.high == pytest.approx(100 * proportion_confint(0, 20, method="wilson")[1])


def test_n_zero_means_no_data_not_a_crash():
    e = estimate([])
    assert e.value is None and e.low is None and e.high is None and not e.has_data
    e = estimate([NAN, NAN, NAN])
    assert e.n == 0 and e.nonresponse == 3 and e.value is None
    assert verdict(e.low, e.high, 45).label == "chưa có dữ liệu"
    low, high = wilson_interval(0.0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_vectorised_interval_equals_scalar():
    ks = np.array([0, 3, 7, 10])
    ns = np.array([10, 10, 10, 10])
    lows, highs = wilson_interval(ks / ns, ns)
    for k, n, lo, hi in zip(ks, ns, lows, highs, strict=True):
        ref = proportion_confint(int(k), int(n), method="wilson")
        assert lo == pytest.approx(ref[0]) and hi == pytest.approx(ref[1])


def test_weighted_case_matches_hand_computation_with_kish_effective_n():
    # Eight firms, two strata: small firms under-sampled carry weight 3, the others weight 1.
    answers = [1, 0, 1, 1, 0, 0, 1, 0]
    weights = [3, 3, 3, 1, 1, 1, 1, 1]
    # By hand: Σw = 14, Σw·y = 3 + 3 + 1 + 1 = 8 → p = 8/14 = 0,571428…
    # Σw² = 3·9 + 5·1 = 32 → n_eff = 14² / 32 = 6,125.
    p, n_eff, z = 8 / 14, 196 / 32, 1.959963984540054
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff)) / (1 + z * z / n_eff)
    e = estimate(answers, weights=weights)
    assert e.weighted
    assert kish_effective_n(weights) == pytest.approx(6.125)
    assert e.effective_n == pytest.approx(6.125)
    assert e.value == pytest.approx(100 * 8 / 14)
    assert e.low == pytest.approx(100 * (centre - half))
    assert e.high == pytest.approx(100 * (centre + half))
    assert e.n == 8 and e.successes == pytest.approx(8)
    # And the same as statsmodels' Wilson with the effective counts.
    ref = proportion_confint(p * n_eff, n_eff, method="wilson")
    assert (e.low / 100, e.high / 100) == pytest.approx(ref)


def test_equal_weights_are_the_unweighted_estimate():
    a = estimate([1, 0, 1, 1, 0], weights=[2.5] * 5)
    b = estimate([1, 0, 1, 1, 0])
    assert not a.weighted
    assert (a.value, a.low, a.high) == pytest.approx((b.value, b.low, b.high))


def test_weights_are_checked():
    with pytest.raises(ValueError):
        estimate([1, 0], weights=[1, 0])
    with pytest.raises(ValueError):
        estimate([1, 0], weights=[1])
    with pytest.raises(ValueError):
        estimate([1, 2])


def test_conditional_denominator_firms_that_never_used_do_not_count_against_private_provider():
    used = np.array([1, 1, 1, 0, 0, 0, 0, 1, NAN])
    private = np.array([1, 1, 0, NAN, NAN, NAN, NAN, NAN, NAN])  # the 8th used it but skipped the question
    e = estimate(private, eligible=used == 1)
    assert e.eligible == 4  # the firms that used the service
    assert e.n == 3 and e.nonresponse == 1  # never-users are not non-response either
    assert e.value == pytest.approx(200 / 3)
    ref = proportion_confint(2, 3, method="wilson")
    assert (e.low / 100, e.high / 100) == pytest.approx(ref)
    # Without the conditional universe, the never-users would wrongly be counted as non-response.
    assert estimate(private).nonresponse == 6


def test_finite_population_correction_narrows_and_a_census_has_no_error():
    answers = [1] * 30 + [0] * 70
    plain = estimate(answers)
    corrected = estimate(answers, population=400)
    assert corrected.effective_n == pytest.approx(100 * 399 / 300)
    assert corrected.low > plain.low and corrected.high < plain.high
    ref = proportion_confint(0.3 * corrected.effective_n, corrected.effective_n, method="wilson")
    assert (corrected.low / 100, corrected.high / 100) == pytest.approx(ref)
    census = estimate(answers, population=100)
    assert census.low == census.high == pytest.approx(30.0)
    with pytest.raises(ValueError):
        estimate(answers, population=50)
    # A huge population changes (almost) nothing.
    assert estimate(answers, population=10**9).high == pytest.approx(plain.high, abs=1e-6)


def test_segments():
    answers = [1, 0, 1, 1, NAN, 0]
    segs = ["Nhỏ", "Vừa", "Nhỏ", "Vừa", "Nhỏ", None]
    out = estimate_by_segment(answers, segs)
    assert list(out) == ["Nhỏ", "Vừa"]
    assert out["Nhỏ"].n == 2 and out["Nhỏ"].nonresponse == 1 and out["Nhỏ"].value == 100
    assert out["Vừa"].value == 50


@pytest.mark.parametrize(("low", "high", "target", "comp", "key"), [
    (46.0, 55.0, 45, ">", "met"),
    (45.0, 55.0, 45, ">", "uncertain"),
    (40.0, 50.0, 45, ">", "uncertain"),
    (30.0, 44.9, 45, ">", "missed"),
    (30.0, 45.0, 45, ">", "missed"),
    (45.0, 55.0, 45, ">=", "met"),
    (30.0, 44.9, 45, ">=", "missed"),
    (10.0, 19.0, 20, "<", "met"),
    (15.0, 25.0, 20, "<", "uncertain"),
    (20.0, 25.0, 20, "<", "missed"),
    (10.0, 20.0, 20, "<=", "met"),
])
def test_verdict_is_decided_by_the_interval(low, high, target, comp, key):
    assert verdict(low, high, target, comp).key == key


def test_verdict_labels_and_not_the_point_estimate():
    # The point estimate 48% is above the 45% target, but the interval says we cannot be sure.
    e = estimate([1] * 48 + [0] * 52)
    assert e.value > 45
    v = verdict(e.low, e.high, 45, ">")
    assert (v.label, v.tone) == ("chưa chắc chắn", "warn")
    assert verdict(50, 60, 45).label == "vượt mục tiêu (chắc chắn)"
    assert verdict(30, 40, 45).label == "dưới mục tiêu (chắc chắn)"
    with pytest.raises(ValueError):
        verdict(1, 2, 3, "=")


def test_sample_size_textbook_values():
    assert sample_size(5) == 385  # 1,96² · 0,25 / 0,05² = 384,15
    assert sample_size(3) == 1068
    assert sample_size(10) == 97
    assert sample_size(5, population=1000) == 278
    assert sample_size(5, population=100) == 80
    assert sample_size(5, design_effect=1.5) == 577
    assert sample_size(5, population=10) <= 10
    for bad in (0, 100, -1):
        with pytest.raises(ValueError):
            sample_size(bad)


def test_sample_size_delivers_the_margin():
    for margin in (3, 5, 8, 10):
        n = sample_size(margin)
        assert achieved_margin(n) <= margin + 0.05
    assert achieved_margin(0) is None


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_interval_properties(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    e = estimate(np.r_[np.ones(k), np.zeros(n - k)])
    assert 0 <= e.low <= e.value <= e.high <= 100
    wider = estimate(np.r_[np.ones(k), np.zeros(n - k)], confidence=0.99)
    assert wider.low <= e.low + 1e-9 and wider.high >= e.high - 1e-9


@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0]), st.floats(min_value=0.1, max_value=10)), min_size=1,
                max_size=60))
def test_weighted_interval_contains_estimate_and_neff_at_most_n(rows):
    y = [r[0] for r in rows]
    w = [r[1] for r in rows]
    e = estimate(y, weights=w)
    assert e.effective_n <= len(rows) + 1e-9
    assert e.low - 1e-9 <= e.value <= e.high + 1e-9
