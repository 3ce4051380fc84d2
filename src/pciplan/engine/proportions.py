"""Survey proportions: estimates with confidence intervals, verdicts against a target, sample sizes.

Pure functions (numpy and the standard library only, no Django). Proportions are returned on the
0–100 scale the plans use ("trên 45%"); inputs are answers coded 1 (the firm has the property), 0 (it
has not) or NaN (no answer), with optional design weights and an optional population size.

The interval is Wilson's score interval. With design weights it is Wilson's formula applied to the
weighted proportion with Kish's effective sample size ``n_eff = (Σw)² / Σw²``; when the population size
``N`` is known the sample size is inflated by the finite population correction,
``n' = n_eff · (N − 1) / (N − n)``, which is the same as multiplying the variance by ``(N − n)/(N − 1)``.
A census (``n = N``) has no sampling error: the interval is the point.

Conditional denominators ("used a private provider" is a share of the firms that used the service) are
the caller's business: pass ``eligible`` to :func:`estimate`, and firms outside it neither count as
answers nor as non-response.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

__all__ = [
    "Proportion",
    "Verdict",
    "estimate",
    "estimate_by_segment",
    "kish_effective_n",
    "sample_size",
    "achieved_margin",
    "verdict",
    "wilson_interval",
    "z_value",
]


def z_value(confidence: float = 0.95) -> float:
    """The two-sided normal quantile for ``confidence`` (1,959964… for 95%).

    Examples
    --------
    >>> round(z_value(0.95), 4)
    1.96
    """
    if not 0 < confidence < 1:
        raise ValueError("độ tin cậy phải nằm trong khoảng (0, 1)")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(p_hat, n, confidence: float = 0.95):
    """Wilson's score interval for a proportion ``p_hat`` (0–1) observed on ``n`` units.

    ``p_hat`` and ``n`` may be arrays (broadcast); ``n`` may be fractional (an effective sample size).
    Where ``n`` is 0 the bounds are NaN; where ``n`` is infinite (a census) they equal ``p_hat``.

    Parameters
    ----------
    p_hat : float or array_like
        Observed proportion, 0–1.
    n : float or array_like
        Sample size (or effective sample size).
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    (low, high) : tuple of float or ndarray
        Bounds on the 0–1 scale.

    Examples
    --------
    >>> low, high = wilson_interval(0.4, 50)
    >>> round(float(low), 4), round(float(high), 4)
    (0.2761, 0.5382)
    >>> wilson_interval(0.0, 0)
    (nan, nan)
    """
    p = np.asarray(p_hat, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    z = z_value(confidence)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z2 / n_arr
        centre = (p + z2 / (2 * n_arr)) / denom
        half = z * np.sqrt(p * (1 - p) / n_arr + z2 / (4 * n_arr * n_arr)) / denom
        low = np.where(np.isinf(n_arr), p, centre - half)
        high = np.where(np.isinf(n_arr), p, centre + half)
    # The Wilson interval always contains p̂ (0 of n has lower bound exactly 0): remove rounding noise.
    low = np.clip(np.minimum(low, p), 0.0, 1.0)
    high = np.clip(np.maximum(high, p), 0.0, 1.0)
    low = np.where(n_arr > 0, low, np.nan)
    high = np.where(n_arr > 0, high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def kish_effective_n(weights) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` (0 for no weights).

    Examples
    --------
    >>> kish_effective_n([1, 1, 1, 1])
    4.0
    >>> kish_effective_n([1, 1, 2, 4])
    2.909090909090909
    """
    w = np.asarray(weights, dtype=float)
    if w.size == 0:
        return 0.0
    s2 = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / s2 if s2 > 0 else 0.0


@dataclass(frozen=True)
class Proportion:
    """An estimated share of firms, on the 0–100 scale, with what it rests on.

    Attributes
    ----------
    value, low, high : float or None
        Point estimate and the bounds of its confidence interval (``None`` when nobody answered).
    n : int
        Firms that answered (the denominator before weighting).
    successes : float
        Firms with the property (weighted when weights were given).
    eligible : int
        Firms asked the question (the conditional universe).
    nonresponse : int
        Eligible firms that gave no answer.
    effective_n : float
        The sample size the interval was computed with (Kish, then the finite population correction).
    weighted : bool
        Whether design weights were used.
    population : int or None
        Population size used for the finite population correction.
    confidence : float
        Confidence level of the interval.
    """

    value: float | None
    low: float | None
    high: float | None
    n: int
    successes: float
    eligible: int
    nonresponse: int
    effective_n: float
    weighted: bool = False
    population: int | None = None
    confidence: float = 0.95

    @property
    def has_data(self) -> bool:
        return self.n > 0 and self.value is not None

    @property
    def margin(self) -> float | None:
        """Half the width of the interval, in percentage points."""
        if not self.has_data:
            return None
        return (self.high - self.low) / 2

    @property
    def response_rate(self) -> float | None:
        """Answered ÷ eligible, 0–100."""
        return None if self.eligible == 0 else 100.0 * self.n / self.eligible


def _as_float_array(values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    return arr


def estimate(answers, *, weights=None, eligible=None, population: int | None = None,
             confidence: float = 0.95) -> Proportion:
    """Estimate the share of firms with a property.

    Parameters
    ----------
    answers : array_like of {1, 0, NaN}
        1 when the firm has the property, 0 when it has not, NaN for no answer.
    weights : array_like, optional
        Design weights (positive); without them every answer counts once and the interval is the plain
        Wilson interval.
    eligible : array_like of bool, optional
        Which firms the question applies to (its conditional universe); others are left out entirely —
        they are neither answers nor non-response.
    population : int, optional
        Size of the population sampled, for the finite population correction.
    confidence : float
        Two-sided confidence level (0,95).

    Returns
    -------
    Proportion

    Examples
    --------
    >>> e = estimate([1, 1, 0, 0, 1, float("nan")])
    >>> round(e.value, 1), e.n, e.nonresponse
    (60.0, 5, 1)
    >>> estimate([]).value is None
    True
    >>> used = [1, 1, 0, 1]
    >>> private = [1, 0, float("nan"), float("nan")]   # the third firm never used the service
    >>> e = estimate(private, eligible=[u == 1 for u in used])
    >>> e.n, e.eligible, e.nonresponse, e.value
    (2, 3, 1, 50.0)
    """
    y = _as_float_array(answers)
    if eligible is None:
        in_universe = np.ones(y.shape, dtype=bool)
    else:
        in_universe = np.asarray(eligible, dtype=bool).reshape(-1)
        if in_universe.shape != y.shape:
            raise ValueError("eligible và answers phải có cùng độ dài")
    if np.any(~np.isnan(y) & (y != 0) & (y != 1)):
        raise ValueError("câu trả lời phải là 1, 0 hoặc để trống (NaN)")
    if weights is None:
        w = np.ones(y.shape)
        weighted = False
    else:
        w = _as_float_array(weights)
        if w.shape != y.shape:
            raise ValueError("weights và answers phải có cùng độ dài")
        if np.any(~np.isfinite(w)) or np.any(w <= 0):
            raise ValueError("trọng số phải là số dương")
        weighted = not np.allclose(w[in_universe & ~np.isnan(y)], w[in_universe & ~np.isnan(y)][:1])
    answered = in_universe & ~np.isnan(y)
    n = int(answered.sum())
    n_eligible = int(in_universe.sum())
    if population is not None and population < 1:
        raise ValueError("quy mô tổng thể phải là số nguyên dương")
    if n == 0:
        return Proportion(None, None, None, 0, 0.0, n_eligible, n_eligible, 0.0, weighted, population, confidence)
    ya, wa = y[answered], w[answered]
    if weighted:
        p_hat = float(np.sum(wa * ya) / np.sum(wa))
        n_eff = kish_effective_n(wa)
        successes = float(np.sum(wa * ya))
    else:
        p_hat = float(np.mean(ya))
        n_eff = float(n)
        successes = float(np.sum(ya))
    if population is not None:
        if n > population:
            raise ValueError(f"số câu trả lời ({n}) lớn hơn quy mô tổng thể ({population})")
        n_eff = math.inf if n >= population else n_eff * (population - 1) / (population - n)
    low, high = wilson_interval(p_hat, n_eff, confidence)
    return Proportion(100.0 * p_hat, 100.0 * low, 100.0 * high, n, successes, n_eligible, n_eligible - n,
                      n_eff, weighted, population, confidence)


def estimate_by_segment(answers, segments: Sequence, *, weights=None, eligible=None,
                        confidence: float = 0.95) -> dict:
    """:func:`estimate` for each value of ``segments`` (firm size, sector, district …), in first-seen order.

    Firms with no segment value (``None``, ``""`` or NaN) are left out of every segment. No finite
    population correction: segment population sizes are rarely known.

    Examples
    --------
    >>> out = estimate_by_segment([1, 0, 1, 1], ["nhỏ", "vừa", "nhỏ", "vừa"])
    >>> {k: v.value for k, v in out.items()}
    {'nhỏ': 100.0, 'vừa': 50.0}
    """
    y = _as_float_array(answers)
    seg = list(segments)
    if len(seg) != y.size:
        raise ValueError("segments và answers phải có cùng độ dài")
    w = None if weights is None else _as_float_array(weights)
    el = None if eligible is None else np.asarray(eligible, dtype=bool).reshape(-1)
    keys = np.array(["" if (s is None or (isinstance(s, float) and math.isnan(s))) else str(s) for s in seg],
                    dtype=object)
    out = {}
    for key in dict.fromkeys(k for k in keys if k != ""):
        mask = keys == key
        out[key] = estimate(y[mask], weights=None if w is None else w[mask],
                            eligible=None if el is None else el[mask], confidence=confidence)
    return out


@dataclass(frozen=True)
class Verdict:
    """Where an estimate stands against a target, decided by the interval, not the point."""

    key: str  # "met", "uncertain", "missed" or "no_data"
    label: str
    tone: str  # ok / warn / bad / muted, the product's status colours


_HIGHER = {
    "met": "vượt mục tiêu (chắc chắn)",
    "uncertain": "chưa chắc chắn",
    "missed": "dưới mục tiêu (chắc chắn)",
}
_LOWER = {
    "met": "đạt mục tiêu (chắc chắn)",
    "uncertain": "chưa chắc chắn",
    "missed": "vượt ngưỡng mục tiêu (chắc chắn)",
}
_TONES = {"met": "ok", "uncertain": "warn", "missed": "bad", "no_data": "muted"}
NO_DATA_LABEL = "chưa có dữ liệu"


def verdict(low: float | None, high: float | None, target: float | None, comparator: str = ">") -> Verdict:
    """Compare a confidence interval with a target ``comparator target`` (">", ">=", "<", "<=").

    The target is met for certain when the whole interval satisfies it, missed for certain when no
    point of the interval does; otherwise it is not yet known.

    Examples
    --------
    >>> verdict(46.2, 55.0, 45, ">").label
    'vượt mục tiêu (chắc chắn)'
    >>> verdict(40.0, 50.0, 45, ">").label
    'chưa chắc chắn'
    >>> verdict(30.0, 44.0, 45, ">").label
    'dưới mục tiêu (chắc chắn)'
    >>> verdict(30.0, 45.0, 45, ">").key     # 45 is not "above 45": no point of [30, 45] meets it
    'missed'
    >>> verdict(None, None, 45).label
    'chưa có dữ liệu'
    """
    if low is None or high is None or target is None or math.isnan(low) or math.isnan(high):
        return Verdict("no_data", NO_DATA_LABEL, "muted")
    t = float(target)
    if comparator == ">":
        key = "met" if low > t else "missed" if high <= t else "uncertain"
    elif comparator == ">=":
        key = "met" if low >= t else "missed" if high < t else "uncertain"
    elif comparator == "<":
        key = "met" if high < t else "missed" if low >= t else "uncertain"
    elif comparator == "<=":
        key = "met" if high <= t else "missed" if low > t else "uncertain"
    else:
        raise ValueError(f"phép so sánh không hợp lệ: {comparator!r}")
    labels = _HIGHER if comparator in (">", ">=") else _LOWER
    return Verdict(key, labels[key], _TONES[key])


def sample_size(margin: float, *, confidence: float = 0.95, expected: float = 50.0,
                population: int | None = None, design_effect: float = 1.0) -> int:
    """Firms needed so that a 95% interval is ± ``margin`` percentage points.

    ``n₀ = deff · z² · p(1 − p) / m²``, then ``n = n₀ / (1 + (n₀ − 1)/N)`` when the population size is
    known; rounded up. ``expected`` is the proportion one expects (50% when unknown: the safest).

    Examples
    --------
    >>> sample_size(5)
    385
    >>> sample_size(5, population=1000)
    278
    >>> sample_size(5, expected=20)
    246
    """
    if not 0 < margin < 100:
        raise ValueError("sai số mong muốn phải nằm trong khoảng 0–100 điểm phần trăm")
    if not 0 <= expected <= 100:
        raise ValueError("tỷ lệ dự kiến phải nằm trong khoảng 0–100%")
    if design_effect < 1:
        raise ValueError("hệ số thiết kế phải từ 1 trở lên")
    p = expected / 100
    m = margin / 100
    z = z_value(confidence)
    n0 = design_effect * z * z * max(p * (1 - p), 1e-12) / (m * m)
    if population is not None:
        if population < 1:
            raise ValueError("quy mô tổng thể phải là số nguyên dương")
        n0 = n0 / (1 + (n0 - 1) / population)
        return int(min(population, math.ceil(n0 - 1e-9)))
    return int(math.ceil(n0 - 1e-9))


def achieved_margin(n: int, *, confidence: float = 0.95, expected: float = 50.0,
                    population: int | None = None) -> float | None:
    """Half-width (percentage points) of the Wilson interval one gets with ``n`` answers at ``expected`` %.

    Examples
    --------
    >>> round(achieved_margin(385), 2)
    4.97
    """
    if n <= 0:
        return None
    n_eff = float(n)
    if population is not None:
        n_eff = math.inf if n >= population else n * (population - 1) / (population - n)
    low, high = wilson_interval(expected / 100, n_eff, confidence)
    return 100 * (high - low) / 2
