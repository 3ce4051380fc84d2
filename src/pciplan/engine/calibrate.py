"""Calibrating rescaling bounds ("benchmarks") and indicator weights from published scores.

VCCI rescales each indicator to 1–10 with bounds it keeps from year to year and publishes the
sub-index scores, not the bounds. Each published year's sub-index is an exact linear function of its
indicators (R² = 1 for eight of the ten sub-indices), so a few published years pin the bounds down.

Model (per sub-index, indicators ``j``):

* sub-index ``s = Σⱼ wⱼ · (1 + 9·zⱼ)`` with weights ``wⱼ ≥ 0`` summing to 1 and
  ``zⱼ = (x − Lⱼ)/(Uⱼ − Lⱼ)`` (or ``(Uⱼ − x)/(Uⱼ − Lⱼ)`` where less is better), clamped to [0, 1];
* a *benchmark* moves only when a province sets a new record: ``L(y) = min(L(y−1), min x(y))``,
  ``U(y) = max(U(y−1), max x(y))``; before the first observed year the benchmark may lie beyond the
  observed values by an unknown amount (VCCI's history is longer than the data);
* an indicator whose weight-to-range ratio follows the current year's own minimum and maximum in every
  calibration year uses *current-year* bounds;
* an indicator whose implied range shrank between calibration years was re-based; earlier years then
  say nothing about its current bounds.

:func:`calibrate_benchmarks` fits the weights and the benchmarks' positions by least squares to the
published scores of the calibration years, with a small penalty that keeps each benchmark at the
observed record unless the scores need it further out (the positions are otherwise not identified).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

__all__ = ["Calibration", "calibrate_benchmarks", "check_bounds", "linear_fit", "predict_subindex", "shipped_calibration"]

BENCHMARK = "benchmark"
CURRENT_YEAR = "current_year"


@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate_benchmarks` (arrays are float64, one entry per indicator).

    Attributes
    ----------
    codes : tuple of str
        Indicator codes, in column order.
    weights : numpy.ndarray
        Weight of each indicator within the sub-index (sums to 1).
    lower, upper : numpy.ndarray
        Bounds valid at the end of the last calibration year (for ``current_year`` rules: that year's
        own minimum and maximum).
    direction : numpy.ndarray
        +1 where more is better, −1 where less is better.
    rules : tuple of str
        ``"benchmark"`` (moves only on a new record) or ``"current_year"`` (that year's min and max).
    history_start : int
        First year whose observed values the benchmarks must contain.
    fit_residual : float
        Largest absolute difference between the model and the published scores of the calibration years.
    calibration_years : tuple of int
    """

    codes: tuple[str, ...]
    weights: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    direction: np.ndarray
    rules: tuple[str, ...]
    history_start: int
    fit_residual: float
    calibration_years: tuple[int, ...]


def linear_fit(x: np.ndarray, s: np.ndarray) -> tuple[float, np.ndarray, float]:
    """Least-squares fit ``s ≈ a + x·b``; returns ``(a, b, max_abs_residual)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.0], [1.0], [2.0]])
    >>> a, b, r = linear_fit(x, 1 + 9 * x[:, 0] / 2)
    >>> round(a, 6), np.round(b, 6).tolist(), r < 1e-9
    (1.0, [4.5], True)
    """
    x = np.asarray(x, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    design = np.column_stack([np.ones(len(s)), x])
    coef = np.linalg.lstsq(design, s, rcond=None)[0]
    return float(coef[0]), coef[1:], float(np.abs(design @ coef - s).max())


def predict_subindex(x: np.ndarray, cal: Calibration, *, extend: bool = True) -> np.ndarray:
    """Sub-index scores of the provinces in ``x`` (rows) under calibration ``cal``.

    With ``extend`` (VCCI's rule) a benchmark moves to a new record set in ``x``; current-year bounds
    are ``x``'s own minimum and maximum. Values beyond the bounds are clamped.

    Examples
    --------
    >>> import numpy as np
    >>> cal = Calibration(("a",), np.array([1.0]), np.array([0.0]), np.array([10.0]), np.array([1]),
    ...                   ("benchmark",), 2013, 0.0, (2015,))
    >>> predict_subindex(np.array([[5.0], [12.0]]), cal).round(2).tolist()
    [4.75, 10.0]
    >>> predict_subindex(np.array([[5.0], [12.0]]), cal, extend=False).round(2).tolist()
    [5.5, 10.0]
    """
    x = np.asarray(x, dtype=np.float64)
    lower, upper = cal.lower.copy(), cal.upper.copy()
    current = np.array([r == CURRENT_YEAR for r in cal.rules])
    if extend:
        lower = np.where(current, np.nanmin(x, axis=0), np.minimum(lower, np.nanmin(x, axis=0)))
        upper = np.where(current, np.nanmax(x, axis=0), np.maximum(upper, np.nanmax(x, axis=0)))
    span = np.where(upper > lower, upper - lower, 1.0)
    z = np.where(cal.direction > 0, (x - lower) / span, (upper - x) / span)
    return (cal.weights * (1.0 + 9.0 * np.clip(z, 0.0, 1.0))).sum(axis=1)


def _fit(years, history, direction, start, penalty, current, rebased):
    n = len(direction)
    hist_years = sorted(y for y in history if y >= start)
    with warnings.catch_warnings():  # an indicator not measured in a history year is all NaN there
        warnings.simplefilter("ignore", RuntimeWarning)
        ext_min = {y: np.nanmin(history[y], axis=0) for y in hist_years}
        ext_max = {y: np.nanmax(history[y], axis=0) for y in hist_years}
    first_min = np.full(n, np.nan)
    first_max = np.full(n, np.nan)
    for y in hist_years:
        take = np.isnan(first_min) & ~np.isnan(ext_min[y])
        first_min[take], first_max[take] = ext_min[y][take], ext_max[y][take]
    scale = np.where(first_max > first_min, first_max - first_min, 1.0)
    last = max(years)
    n_re = int(rebased.sum())

    def bounds(p, year, x):
        lower = first_min - p[n:2 * n] * scale
        upper = first_max + p[2 * n:3 * n] * scale
        for y in hist_years:
            if y > year:
                break
            lower = np.fmin(lower, ext_min[y])
            upper = np.fmax(upper, ext_max[y])
        lower = np.where(current, np.nanmin(x, axis=0), lower)
        upper = np.where(current, np.nanmax(x, axis=0), upper)
        return lower, upper

    def predict(p, year, x):
        lower, upper = bounds(p, year, x)
        span = np.where(upper > lower, upper - lower, 1.0)
        z = np.where(direction > 0, (x - lower) / span, (upper - x) / span)
        terms = p[:n] * (1.0 + 9.0 * np.clip(z, 0.0, 1.0))
        if year != last and n_re:
            q = p[3 * n:]
            terms[:, rebased] = x[:, rebased] * q[:n_re] + q[n_re:]
        return terms.sum(axis=1)

    def residuals(p):
        parts = [predict(p, y, x) - s for y, (x, s) in years.items()]
        parts.append(np.array([(p[:n].sum() - 1.0) * 30.0]))
        parts.append(penalty * p[n:3 * n])
        return np.concatenate(parts)

    x_last, s_last = years[last]
    _, b_last, _ = linear_fit(x_last, s_last)
    best = None
    for init in (0.0, 0.05, 0.3):
        p0 = np.concatenate([np.zeros(n), np.full(2 * n, init), np.zeros(2 * n_re)])
        lower, upper = bounds(p0, last, x_last)
        w0 = np.abs(b_last) * (upper - lower) / 9.0
        p0[:n] = w0 / w0.sum() if w0.sum() > 0 else 1.0 / n
        lo = np.concatenate([np.zeros(3 * n), np.full(2 * n_re, -np.inf)])
        sol = least_squares(residuals, p0, bounds=(lo, np.inf), max_nfev=4000, x_scale="jac")
        if best is None or sol.cost < best.cost:
            best = sol
    p = best.x
    fit = max(float(np.abs(predict(p, y, x) - s).max()) for y, (x, s) in years.items())
    lower, upper = bounds(p, last, x_last)
    return p[:n].copy(), lower, upper, fit


def calibrate_benchmarks(
    years: Mapping[int, tuple[np.ndarray, np.ndarray]],
    history: Mapping[int, np.ndarray],
    *,
    direction: Sequence[int] | np.ndarray,
    codes: Sequence[str] | None = None,
    penalty: float = 0.0,
    tolerance: float = 0.0005,
    rebase_residual: float = 0.01,
) -> Calibration:
    """Fit weights and rescaling bounds of one sub-index to its published scores.

    Parameters
    ----------
    years : mapping year -> (x, s)
        Calibration years: raw indicator values ``x`` (provinces × indicators, in ``codes`` order) and
        the published sub-index scores ``s`` of the same provinces.
    history : mapping year -> x
        Raw values observed in each year (NaN where an indicator was not measured); benchmarks contain
        every value observed from ``history_start`` on. May include years not in ``years``.
    direction : sequence of int
        +1 where more is better, −1 where less is better.
    codes : sequence of str, optional
        Indicator codes (for the result only).
    penalty : float
        Weight of the penalty that keeps benchmarks at the observed records.
    tolerance : float
        Relative tolerance for detecting current-year bounds.
    rebase_residual : float
        A history start whose fit misses a published score by more than this is rejected in favour of
        starting at the first calibration year.

    Returns
    -------
    Calibration
        With the history start: the first history year, or the first calibration year when the
        former cannot reproduce the published scores to ``rebase_residual``.

    Examples
    --------
    Two synthetic years of one indicator rescaled with fixed bounds 0 and 100:

    >>> import numpy as np
    >>> x14, x15 = np.array([[20.0], [50.0], [80.0]]), np.array([[30.0], [60.0], [90.0]])
    >>> rescaled = lambda x: 1 + 9 * x[:, 0] / 100
    >>> cal = calibrate_benchmarks({2014: (x14, rescaled(x14)), 2015: (x15, rescaled(x15))},
    ...                            {2014: x14, 2015: x15}, direction=[1])
    >>> cal.fit_residual < 1e-6, round(float(cal.weights[0]), 6)
    (True, 1.0)
    >>> float(cal.lower[0]) <= 20.0 and float(cal.upper[0]) >= 90.0
    True
    """
    direction = np.asarray(direction, dtype=np.int64)
    n = len(direction)
    years = {int(y): (np.asarray(x, dtype=np.float64), np.asarray(s, dtype=np.float64))
             for y, (x, s) in sorted(years.items())}
    history = {int(y): np.asarray(x, dtype=np.float64) for y, x in sorted(history.items())}
    if not years:
        raise ValueError("cần ít nhất một năm hiệu chỉnh")
    last = max(years)
    slopes = {y: linear_fit(x, s)[1] for y, (x, s) in years.items()}
    cur_w = {y: np.abs(slopes[y]) * (np.nanmax(x, axis=0) - np.nanmin(x, axis=0)) / 9.0
             for y, (x, _) in years.items()}
    current = np.zeros(n, dtype=bool)
    rebased = np.zeros(n, dtype=bool)
    if len(years) > 1:
        current = np.ones(n, dtype=bool)
        spans = np.array([np.nanmax(x, axis=0) - np.nanmin(x, axis=0) for x, _ in years.values()])
        for y in years:
            if y == last:
                continue
            current &= np.abs(cur_w[y] - cur_w[last]) <= tolerance * np.abs(cur_w[last])
            rebased |= np.abs(slopes[last]) > np.abs(slopes[y]) * 1.005
        current &= np.ptp(spans, axis=0) > 1e-9  # the range must actually change for the test to mean anything
        rebased &= ~current
    # Benchmarks contain every record since the first history year, unless that cannot reproduce the
    # published scores (the sub-index was re-based): then the history starts with the calibration years.
    starts = sorted({min(history), min(years)})
    best = None
    for start in starts:
        fitted = _fit(years, history, direction, start, penalty, current, rebased)
        if best is None or (best[1][3] > rebase_residual and fitted[3] < best[1][3]):
            best = (start, fitted)
        if best[1][3] <= rebase_residual:
            break
    start, (weights, lower, upper, fit) = best
    rules = tuple(CURRENT_YEAR if c else BENCHMARK for c in current)
    return Calibration(
        codes=tuple(codes) if codes is not None else tuple(f"x{j + 1}" for j in range(n)),
        weights=weights, lower=lower, upper=upper, direction=direction.astype(np.float64).astype(np.int64),
        rules=rules, history_start=int(start), fit_residual=float(fit),
        calibration_years=tuple(years),
    )


def shipped_calibration(subindex: str, year: int = 2016) -> Calibration:
    """The calibration shipped in ``indicators.csv`` for one sub-index and year.

    Examples
    --------
    >>> cal = shipped_calibration("proactivity")
    >>> len(cal.codes), round(float(cal.weights.sum()), 3)
    (6, 1.0)
    """
    from .data import load_indicators

    ind = load_indicators(year, subindex=subindex).sort_values("number")
    if ind.lower_bound.isna().any():
        raise ValueError(f"no bounds shipped for {subindex} {year}")
    return Calibration(
        codes=tuple(ind.code), weights=ind.weight.to_numpy(np.float64), lower=ind.lower_bound.to_numpy(np.float64),
        upper=ind.upper_bound.to_numpy(np.float64), direction=ind.direction.to_numpy(np.int64),
        rules=tuple(ind.bounds_rule), history_start=0, fit_residual=float("nan"), calibration_years=(),
    )


def check_bounds(year: int = 2016, *, tolerance: float = 0.05, extend: bool = True):
    """How well the shipped bounds reproduce a year's published sub-index scores from its raw indicators.

    Returns
    -------
    pandas.DataFrame
        One row per sub-index: ``share_within`` (share of provinces within ``tolerance``),
        ``max_abs``, ``mean_abs`` residuals, ``n``.

    Examples
    --------
    >>> t = check_bounds()
    >>> float(t.loc["informal_charges", "share_within"])
    1.0
    """
    import pandas as pd

    from .data import SUBINDEX_CODES, load_indicator_values, load_results

    values = load_indicator_values(year, wide=True)
    published = load_results(year).set_index("province_slug")
    rows = []
    for sub in SUBINDEX_CODES:
        cal = shipped_calibration(sub, year)
        x = values.reindex(columns=list(cal.codes)).to_numpy(np.float64)
        pred = predict_subindex(x, cal, extend=extend)
        err = np.abs(pred - published.loc[values.index, sub].to_numpy(np.float64))
        rows.append({"subindex": sub, "share_within": float((err <= tolerance + 1e-12).mean()),
                     "max_abs": float(err.max()), "mean_abs": float(err.mean()), "n": len(err)})
    return pd.DataFrame(rows).set_index("subindex")
