"""Bootstrap and weight sensitivity. All firm data here are SYNTHETIC (random numbers made for the test)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pciplan.engine.data import SUBINDEX_CODES, load_results
from pciplan.engine.editions import load_edition
from pciplan.engine.errors import InputError
from pciplan.engine.uncertainty import (
    IndicatorSpec,
    _layout,
    bootstrap,
    bootstrap_counts,
    weight_sensitivity,
)

PCI = load_edition("pci-2013")


def synthetic_firms(n_provinces=5, firms=(30, 80), n_questions=20, seed=0, weights=False):
    """SYNTHETIC survey: yes/no answers (0/100) with province-specific rates and some missing answers."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(firms[0], firms[1], n_provinces)
    rate = rng.uniform(0.2, 0.8, (n_provinces, n_questions))
    province = np.repeat([f"T{i:02d}" for i in range(n_provinces)], sizes)
    p = rate[np.repeat(np.arange(n_provinces), sizes)]
    answers = np.where(rng.random(p.shape) < p, 100.0, 0.0)
    answers[rng.random(p.shape) < 0.05] = np.nan
    df = pd.DataFrame(answers, columns=[f"q{j}" for j in range(n_questions)])
    df["province"] = province
    if weights:
        df["w"] = rng.uniform(0.5, 2.0, len(df))
    return df.sample(frac=1.0, random_state=1).reset_index(drop=True)  # provinces interleaved


def spec_for(n_questions=20):
    codes = tuple(f"q{j}" for j in range(n_questions))
    subs = tuple(PCI.codes[j % 10] for j in range(n_questions))
    return IndicatorSpec(codes, subs, np.zeros(n_questions), np.full(n_questions, 100.0),
                         np.where(np.arange(n_questions) % 3 == 0, -1, 1), np.ones(n_questions), PCI)


def test_counts_redraw_within_each_province():
    rng = np.random.default_rng(3)
    groups = np.array(list("aabbbcccc"))
    codes, order, gidx, starts, sizes, slot = _layout(groups)
    k = bootstrap_counts(gidx, starts, sizes, 500, rng)
    assert k.shape == (9, 500)
    for p in range(3):
        block = k[starts[p]:starts[p] + sizes[p]]
        assert (block.sum(axis=0) == sizes[p]).all()
    # each firm drawn once on average
    assert np.allclose(k.mean(axis=1), 1.0, atol=0.15)


def test_point_estimates_equal_the_weighted_means():
    df = synthetic_firms(weights=True)
    spec = spec_for()
    res = bootstrap(df, spec, weight_column="w", n_resamples=20, seed=1)
    cols = list(spec.codes)

    def wmean(g):
        x = g[cols].to_numpy()
        w = g["w"].to_numpy()[:, None] * ~np.isnan(x)
        return pd.Series(np.nansum(np.nan_to_num(x) * w, axis=0) / w.sum(axis=0), index=cols)

    means = df.groupby("province")[cols + ["w"]].apply(wmean).loc[list(res.provinces)]
    r = 1 + 9 * means.to_numpy() / 100
    r = np.where(np.array(spec.direction) < 0, 11 - r, r)
    sub = np.stack([r[:, [j for j in range(20) if spec.subindex[j] == c]].mean(axis=1) for c in PCI.codes], axis=1)
    assert np.allclose(res.point_subindex, sub)
    assert np.allclose(res.point_total, 10 * sub @ PCI.weights)


def test_one_resample_equals_an_explicit_resample():
    """The batched product gives exactly what redrawing the rows by hand gives."""
    df = synthetic_firms(n_provinces=3, seed=5)
    spec = spec_for()
    res = bootstrap(df, spec, n_resamples=1, seed=11, block_size=1)
    # redo the draw: same generator, same layout
    rng = np.random.default_rng(11)
    codes, order, gidx, starts, sizes, slot = _layout(df.province.astype(str).to_numpy())
    k = bootstrap_counts(gidx, starts, sizes, 1, rng)[:, 0]
    sorted_df = df.iloc[order].reset_index(drop=True)
    rows = sorted_df.loc[sorted_df.index.repeat(k.astype(int))]
    means = rows.groupby("province")[list(spec.codes)].mean().loc[list(res.provinces)].to_numpy()
    r = 1 + 9 * means / 100
    r = np.where(np.array(spec.direction) < 0, 11 - r, r)
    sub = np.stack([r[:, [j for j in range(20) if spec.subindex[j] == c]].mean(axis=1) for c in PCI.codes], axis=1)
    assert np.allclose(res.totals[0], 10 * sub @ PCI.weights)


def test_reproducible_with_the_seed_and_blocks_do_not_matter():
    df = synthetic_firms()
    a = bootstrap(df, spec_for(), n_resamples=150, seed=42, block_size=7)
    b = bootstrap(df, spec_for(), n_resamples=150, seed=42, block_size=7)
    c = bootstrap(df, spec_for(), n_resamples=150, seed=43, block_size=7)
    assert np.array_equal(a.totals, b.totals) and not np.array_equal(a.totals, c.totals)


def test_intervals_ranks_and_probability():
    df = synthetic_firms(n_provinces=6, firms=(100, 200), seed=2)
    res = bootstrap(df, spec_for(), n_resamples=400, seed=9)
    assert np.all(res.total_ci[:, 0] <= res.point_total + 1e-9) and np.all(res.point_total <= res.total_ci[:, 1] + 1e-9)
    assert np.all(res.subindex_ci[..., 0] <= res.subindex_ci[..., 1])
    assert res.ranks.shape == (400, 6) and res.ranks.min() == 1 and res.ranks.max() <= 6
    assert np.all(res.rank_interval[:, 0] <= res.rank_interval[:, 1])
    best = res.provinces[int(np.argmax(res.point_total))]
    assert res.probability_rank(best, 6) == 1.0
    assert 0 <= res.probability_rank(best, 1) <= 1
    assert list(res.summary().columns) == ["province", "total", "total_low", "total_high", "rank_best", "rank_worst"]


def test_hard_indicators_are_not_resampled():
    df = synthetic_firms(n_provinces=3)
    spec = spec_for()
    fixed = pd.DataFrame({"q0": [10.0, 50.0, 90.0]}, index=sorted(df.province.unique()))
    res = bootstrap(df.drop(columns=["q0"]), spec, fixed=fixed, n_resamples=50, seed=1)
    assert res.totals.shape == (50, 3)
    with pytest.raises(InputError, match="Thiếu dữ liệu cho chỉ tiêu: q0"):
        bootstrap(df.drop(columns=["q0"]), spec, n_resamples=5, seed=1)


def test_bad_input():
    df = synthetic_firms()
    with pytest.raises(InputError, match="Số lần lấy mẫu lại"):
        bootstrap(df, spec_for(), n_resamples=0, seed=1)
    with pytest.raises(InputError, match="Thiếu cột tỉnh"):
        bootstrap(df.drop(columns=["province"]), spec_for(), seed=1)
    with pytest.raises(TypeError):
        bootstrap(df, spec_for())  # the seed is explicit


def test_weight_sensitivity_on_published_2016_scores():
    r = load_results(2016)
    s = r[list(SUBINDEX_CODES)].to_numpy()
    t = weight_sensitivity(s, PCI, provinces=r.province_slug.tolist(), n_draws=500, seed=4).set_index("province")
    assert (t.rank_min <= t["rank"]).all() and (t["rank"] <= t.rank_max).all()
    assert (t.rank_low <= t.rank_high).all()
    assert t.loc["da-nang", "rank"] == 1
    # tighter weights (higher concentration) → narrower rank ranges
    tight = weight_sensitivity(s, PCI, provinces=r.province_slug.tolist(), n_draws=500, seed=4,
                               concentration=5000).set_index("province")
    assert (tight.rank_high - tight.rank_low).mean() < (t.rank_high - t.rank_low).mean()
    with pytest.raises(InputError):
        weight_sensitivity(s[:, :5], PCI, seed=1)
