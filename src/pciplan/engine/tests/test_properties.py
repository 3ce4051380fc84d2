"""Properties of the engine's arithmetic (hypothesis): scale, monotonicity, solver optimality, bootstrap."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pciplan.engine.editions import load_edition
from pciplan.engine.scoring import competition_rank, rank_key, rescale, total_score
from pciplan.engine.solver import minimum_increase
from pciplan.engine.uncertainty import IndicatorSpec, bootstrap

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
score = st.floats(min_value=1.0, max_value=10.0, allow_nan=False)
PCI = load_edition("pci-2013")


@given(x=st.lists(finite, min_size=1, max_size=30), lower=finite, width=st.floats(min_value=1e-3, max_value=1e6),
       direction=st.sampled_from([1, -1]))
def test_rescaled_values_stay_in_1_10(x, lower, width, direction):
    r = rescale(x, lower, lower + width, direction)
    assert np.all((r >= 1.0) & (r <= 10.0))


@given(lower=finite, width=st.floats(min_value=1e-2, max_value=1e4), t=st.floats(min_value=0, max_value=1))
def test_rescale_is_linear_inside_the_bounds(lower, width, t):
    x = lower + t * width
    assert abs(rescale([x], lower, lower + width)[0] - (1 + 9 * t)) < 1e-6
    assert abs(rescale([x], lower, lower + width, -1)[0] - (10 - 9 * t)) < 1e-6


@given(field=st.lists(st.lists(score, min_size=10, max_size=10), min_size=2, max_size=25),
       which=st.integers(min_value=0, max_value=9), up=st.floats(min_value=0, max_value=9))
def test_raising_a_subindex_never_lowers_the_total_nor_worsens_the_rank(field, which, up):
    s = np.array(field)
    before_total = total_score(s, PCI)
    before_rank = competition_rank(before_total)
    raised = s.copy()
    raised[0, which] = min(10.0, raised[0, which] + up)
    after_total = total_score(raised, PCI)
    after_rank = competition_rank(after_total)
    assert after_total[0] >= before_total[0] - 1e-12
    assert after_rank[0] <= before_rank[0]


@given(totals=st.lists(st.floats(min_value=10, max_value=100), min_size=1, max_size=40))
def test_competition_ranks_share_the_better_rank(totals):
    t = np.array(totals)
    r = competition_rank(t)
    key = rank_key(t)
    for i in range(len(t)):
        assert r[i] == 1 + int((key > key[i]).sum())
    assert r.min() == 1


def _brute_force(base, weights, caps, required, difficulty, step):
    units = [range(int(np.floor((c - b) / step + 1e-9)) + 1) for b, c in zip(base, caps, strict=True)]
    best = None
    for combo in itertools.product(*units):
        x = np.array(combo) * step
        if 10 * (np.array(base) + x) @ weights >= required - 1e-9:
            cost = float(np.array(difficulty) @ x)
            if best is None or cost < best - 1e-12:
                best = cost
    return best


@settings(max_examples=60, deadline=None)
@given(base=st.lists(st.integers(min_value=10, max_value=80), min_size=3, max_size=3),
       headroom=st.lists(st.integers(min_value=0, max_value=6), min_size=3, max_size=3),
       weights=st.sampled_from([(0.2, 0.3, 0.5), (0.1, 0.6, 0.3), (1 / 3, 1 / 3, 1 / 3), (0.05, 0.15, 0.8)]),
       difficulty=st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=3, max_size=3),
       need=st.integers(min_value=1, max_value=40))
def test_solver_reaches_the_target_and_nothing_cheaper_does(base, headroom, weights, difficulty, need):
    step = 0.1
    s = np.array(base) / 10.0
    caps = s + np.array(headroom) * step
    w = np.array(weights)
    required = float(10 * s @ w) + need * 0.05
    alloc = minimum_increase(s, w, caps, required, difficulty=difficulty, step=step)
    best = _brute_force(s, w, caps, required, difficulty, step)
    if best is None:
        assert alloc.status == "infeasible"
        return
    assert alloc.status == "optimal"
    assert 10 * (s + alloc.increases) @ w >= required - 1e-9  # reaches the target
    assert np.all(s + alloc.increases <= caps + 1e-9)
    assert abs(alloc.cost - best) < 1e-9  # and no allocation is cheaper


@settings(max_examples=25, deadline=None)
@given(base=st.lists(st.floats(min_value=1, max_value=9), min_size=4, max_size=4),
       need=st.floats(min_value=0.01, max_value=5))
def test_continuous_solver_matches_the_greedy_optimum(base, need):
    s = np.array(base)
    w = np.array([0.1, 0.2, 0.3, 0.4])
    caps = np.full(4, 10.0)
    required = float(10 * s @ w) + need
    assume(10 * caps @ w >= required)
    alloc = minimum_increase(s, w, caps, required, step=None)
    # with equal costs the best buy is the heaviest weight first
    order = np.argsort(-w)
    left, cost = need, 0.0
    for i in order:
        gain = min(left, 10 * w[i] * (caps[i] - s[i]))
        cost += gain / (10 * w[i])
        left -= gain
    assert abs(alloc.cost - cost) < 1e-6


def _synthetic_survey(n_per_province: int, seed: int) -> pd.DataFrame:
    """Synthetic firm answers (not real data): 3 provinces, 10 yes/no questions on the 0–100 scale."""
    rng = np.random.default_rng(seed)
    p = np.array([0.3, 0.5, 0.7])
    rows = []
    for k, prob in enumerate(p):
        answers = (rng.random((n_per_province, 10)) < prob).astype(float) * 100
        frame = pd.DataFrame(answers, columns=list(PCI.codes))
        frame["province"] = f"P{k}"
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


SPEC = IndicatorSpec(tuple(PCI.codes), tuple(PCI.codes), np.zeros(10), np.full(10, 100.0), np.ones(10),
                     np.ones(10), PCI)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_bootstrap_intervals_shrink_as_the_sample_grows(seed):
    small = bootstrap(_synthetic_survey(50, seed), SPEC, n_resamples=300, seed=seed)
    large = bootstrap(_synthetic_survey(800, seed), SPEC, n_resamples=300, seed=seed)
    width_small = np.diff(small.total_ci, axis=1).ravel()
    width_large = np.diff(large.total_ci, axis=1).ravel()
    assert np.all(width_large < width_small)
    # 16× the sample: about a quarter of the width
    assert np.median(width_large / width_small) < 0.4
