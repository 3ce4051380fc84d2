"""Engine benchmark: vectorised bootstrap vs an analyst's pandas loop, and the target solver.

All firm data here are SYNTHETIC (random numbers generated below), shaped like a PCI survey year:
63 provinces, 12,000 firms, 120 indicators, 1,000 bootstrap resamples.

* Vectorised engine: :func:`pciplan.engine.uncertainty.bootstrap` (blocked resample counts, one
  batched BLAS product per block).
* Analyst's loop: ``df.groupby("province").sample(frac=1, replace=True)`` then ``groupby().mean()`` per
  resample — the usual pandas way. It is timed on ``--loop-resamples`` resamples (default 100) in the
  same run and scaled to 1,000 (its cost is linear in the number of resamples); ``--loop-resamples 1000``
  times all of them.
* Peak memory: ``tracemalloc`` peak during each method (numpy and pandas report their buffers to it),
  measured in a separate pass so tracing does not distort the timings.
* Solver: ``solve_target`` (Bắc Giang 2019 scores, rank 10 against 2020) and the bare integer programme.

Figures only — this is not a pass/fail test. Goals: < 2 s, < 1 GB, ≥ 15× faster; solver < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pciplan.engine.editions import load_edition  # noqa: E402
from pciplan.engine.scoring import competition_rank, rescale  # noqa: E402
from pciplan.engine.solver import minimum_increase, solve_target  # noqa: E402
from pciplan.engine.uncertainty import IndicatorSpec, bootstrap  # noqa: E402

N_PROVINCES, N_FIRMS, N_INDICATORS, N_RESAMPLES = 63, 12_000, 120, 1_000


def synthetic_survey(seed: int = 2024) -> tuple[pd.DataFrame, IndicatorSpec]:
    """SYNTHETIC firm answers: yes/no questions on 0–100 and a few numeric answers, 5% missing."""
    rng = np.random.default_rng(seed)
    edition = load_edition("pci-2013")
    shares = rng.dirichlet(np.full(N_PROVINCES, 8.0))
    sizes = np.maximum(60, np.round(shares * N_FIRMS)).astype(int)
    sizes[-1] += N_FIRMS - sizes.sum()
    province = np.repeat([f"synthetic-{i:02d}" for i in range(N_PROVINCES)], sizes)
    rate = rng.uniform(0.15, 0.85, (N_PROVINCES, N_INDICATORS))
    p = rate[np.repeat(np.arange(N_PROVINCES), sizes)]
    answers = np.where(rng.random(p.shape) < p, 100.0, 0.0)
    numeric = np.arange(N_INDICATORS) % 10 == 9  # every tenth indicator: a count (days, visits …)
    answers[:, numeric] = rng.gamma(2.0, 5.0, (N_FIRMS, numeric.sum()))
    answers[rng.random(answers.shape) < 0.05] = np.nan
    codes = [f"x{j:03d}" for j in range(N_INDICATORS)]
    df = pd.DataFrame(answers, columns=codes)
    df.insert(0, "province", province)
    df["weight"] = rng.uniform(0.5, 2.0, N_FIRMS)
    df = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    lower = np.where(numeric, 0.0, 0.0)
    upper = np.where(numeric, 60.0, 100.0)
    direction = np.where(numeric, -1, 1)
    subindex = tuple(edition.codes[j % 10] for j in range(N_INDICATORS))
    spec = IndicatorSpec(tuple(codes), subindex, lower, upper, direction, np.ones(N_INDICATORS), edition)
    return df, spec


def analyst_loop(df: pd.DataFrame, spec: IndicatorSpec, n_resamples: int, seed: int) -> np.ndarray:
    """The pandas way: resample each province's firms, weighted means, rescale, aggregate — per resample."""
    codes = list(spec.codes)
    agg = spec.aggregation_matrix()
    totals = []
    rng = np.random.default_rng(seed)
    for _ in range(n_resamples):
        sample = df.groupby("province").sample(frac=1.0, replace=True, random_state=rng)
        x = sample[codes]
        w = sample["weight"]
        num = x.mul(w, axis=0).groupby(sample["province"]).sum(min_count=1)
        den = x.notna().mul(w, axis=0).groupby(sample["province"]).sum()
        means = (num / den).to_numpy()
        r = np.nan_to_num(rescale(means, spec.lower, spec.upper, spec.direction))
        totals.append(spec.edition.total_multiplier * ((r @ agg) @ spec.edition.weights))
    totals = np.array(totals)
    competition_rank(totals, axis=1)
    return totals


def _peak(func) -> tuple[float, int]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loop-resamples", type=int, default=100, help="resamples timed for the pandas loop")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    df, spec = synthetic_survey()
    # warm-up (imports, BLAS threads)
    bootstrap(df.head(2000), spec, weight_column="weight", n_resamples=5, seed=0)

    start = time.perf_counter()
    res = bootstrap(df, spec, weight_column="weight", n_resamples=N_RESAMPLES, seed=1)
    vec_time = time.perf_counter() - start

    start = time.perf_counter()
    analyst_loop(df, spec, a.loop_resamples, seed=1)
    loop_measured = time.perf_counter() - start
    loop_time = loop_measured * N_RESAMPLES / a.loop_resamples

    _, vec_peak = _peak(lambda: bootstrap(df, spec, weight_column="weight", n_resamples=N_RESAMPLES, seed=1))
    _, loop_peak = _peak(lambda: analyst_loop(df, spec, min(a.loop_resamples, 20), seed=1))

    solve_target("Bắc Giang", target_rank=10)  # warm caches (data files)
    solve_times = []
    for _ in range(20):
        t0 = time.perf_counter()
        solve_target("Bắc Giang", target_rank=10)
        solve_times.append(time.perf_counter() - t0)
    core_times = []
    s = np.array([6.78, 6.84, 6.85, 6.52, 6.06, 5.45, 6.98, 5.43, 7.19, 6.38])
    for _ in range(50):
        t0 = time.perf_counter()
        minimum_increase(s, spec.edition.weights, np.full(10, 9.5), 70.0)
        core_times.append(time.perf_counter() - t0)

    figures = {
        "data": f"SYNTHETIC: {N_PROVINCES} provinces, {len(df):,} firms, {N_INDICATORS} indicators, "
                f"{N_RESAMPLES:,} resamples",
        "vectorised_seconds": round(vec_time, 3),
        "vectorised_peak_mb": round(vec_peak / 2**20, 1),
        "pandas_loop_seconds_per_1000": round(loop_time, 2),
        "pandas_loop_resamples_timed": a.loop_resamples,
        "pandas_loop_peak_mb": round(loop_peak / 2**20, 1),
        "speedup": round(loop_time / vec_time, 1),
        "solver_ms_median": round(1000 * statistics.median(solve_times), 2),
        "solver_core_ms_median": round(1000 * statistics.median(core_times), 2),
        "rank_interval_example": [int(v) for v in res.rank_interval[0]],
    }
    if a.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    print(f"Engine benchmark — {figures['data']}")
    print(f"  vectorised bootstrap : {vec_time:8.3f} s   peak {figures['vectorised_peak_mb']:8.1f} MB"
          f"   (goal < 2 s, < 1 GB)")
    print(f"  pandas loop          : {loop_time:8.2f} s   peak {figures['pandas_loop_peak_mb']:8.1f} MB"
          f"   ({a.loop_resamples} resamples timed, scaled to {N_RESAMPLES})")
    print(f"  speed-up             : {figures['speedup']:8.1f} ×   (goal ≥ 15×)")
    print(f"  solve_target         : {figures['solver_ms_median']:8.2f} ms median of 20 (goal < 100 ms); "
          f"integer programme alone {figures['solver_core_ms_median']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
