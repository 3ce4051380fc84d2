"""Uncertainty: bootstrap of firm-level survey answers, and Monte Carlo over weights.

Bootstrap (:func:`bootstrap`). Each resample redraws every province's firms with replacement, within
the province. A resample is a vector of counts ``K[b, i]`` (how often firm ``i`` is drawn); indicator
means are ``Σᵢ K·w·x / Σᵢ K·w``. The counts of a block of resamples are drawn all at once — one uniform
draw per firm slot, mapped to a firm of the same province, then one ``bincount`` — giving a
resamples × firms multinomial-count matrix. With firms sorted by province that matrix is
block-diagonal; each province's block (all resamples of the block × its firms) times its rows of the
data — answers × weights next to the answered-mask × weights — is **one BLAS product**, which yields
numerators and denominators of every indicator for every resample at once. There is no Python loop
per resample or per firm; the only loop visits the province blocks (63 BLAS calls per block of
resamples). Missing answers (NaN) drop out of numerator and denominator. Indicator means are then
rescaled with the given bounds, aggregated to sub-indices and totals (matrix products) and ranked per
resample.

Weight sensitivity (:func:`weight_sensitivity`): totals under weights drawn from a Dirichlet
distribution centred on the edition's weights → range of ranks per province.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .editions import EditionSpec
from .errors import InputError
from .scoring import competition_rank, rescale

__all__ = ["BootstrapResult", "IndicatorSpec", "bootstrap", "bootstrap_counts", "weight_sensitivity"]


@dataclass(frozen=True)
class IndicatorSpec:
    """How survey answers become indicators, sub-indices and a total.

    Attributes
    ----------
    codes : tuple of str
        Answer/indicator columns (one indicator per column: its province value is the weighted mean).
    subindex : tuple of str
        Sub-index code of each indicator.
    lower, upper, direction : numpy.ndarray
        Rescaling bounds and direction per indicator.
    weights : numpy.ndarray
        Weight of each indicator within its sub-index (any positive scale; normalised per sub-index).
    edition : EditionSpec
        Sub-index weights and multiplier.
    """

    codes: tuple[str, ...]
    subindex: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray
    direction: np.ndarray
    weights: np.ndarray
    edition: EditionSpec

    def __hash__(self):
        return hash((self.codes, self.edition.code))

    def aggregation_matrix(self) -> np.ndarray:
        """Indicators × sub-indices matrix: each column holds its indicators' normalised weights.

        Examples
        --------
        >>> from pciplan.engine.editions import load_edition
        >>> e = load_edition("pci-2013")
        >>> subs = ("entry_costs", *e.codes)
        >>> spec = IndicatorSpec(tuple(f"x{i}" for i in range(11)), subs, np.zeros(11), np.ones(11),
        ...                      np.ones(11), np.array([1.0, 3.0] + [1.0] * 9), e)
        >>> spec.aggregation_matrix()[:2, 0].tolist()
        [0.25, 0.75]
        """
        codes = list(self.edition.codes)
        m = np.zeros((len(self.codes), len(codes)))
        for j, sub in enumerate(self.subindex):
            if sub not in codes:
                raise InputError(f"Chỉ tiêu “{self.codes[j]}” thuộc chỉ số thành phần lạ “{sub}”.")
            m[j, codes.index(sub)] = self.weights[j]
        sums = m.sum(axis=0)
        if np.any(sums <= 0):
            missing = [c for c, s in zip(codes, sums, strict=True) if s <= 0]
            raise InputError("Không có chỉ tiêu nào cho chỉ số thành phần: " + ", ".join(missing) + ".")
        return m / sums


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap distributions and their summaries.

    Attributes
    ----------
    provinces : tuple of str
    point_subindex : numpy.ndarray
        Provinces × sub-indices from the full sample.
    point_total : numpy.ndarray
    subindex_ci : numpy.ndarray
        Provinces × sub-indices × 2 (lower, upper).
    total_ci : numpy.ndarray
        Provinces × 2.
    rank_interval : numpy.ndarray
        Provinces × 2 (best, worst rank within the interval level).
    totals : numpy.ndarray
        Resamples × provinces (kept for further questions).
    ranks : numpy.ndarray
        Resamples × provinces.
    level, n_resamples, seed : float, int, int
    """

    provinces: tuple[str, ...]
    point_subindex: np.ndarray = field(compare=False)
    point_total: np.ndarray = field(compare=False)
    subindex_ci: np.ndarray = field(compare=False)
    total_ci: np.ndarray = field(compare=False)
    rank_interval: np.ndarray = field(compare=False)
    totals: np.ndarray = field(compare=False)
    ranks: np.ndarray = field(compare=False)
    level: float = 0.95
    n_resamples: int = 0
    seed: int = 0
    spec: IndicatorSpec | None = None

    def probability_rank(self, province: str, target_rank: int) -> float:
        """Share of resamples in which ``province`` ranks ``target_rank`` or better."""
        i = self.provinces.index(province)
        return float((self.ranks[:, i] <= target_rank).mean())

    def summary(self) -> pd.DataFrame:
        """One row per province: total and its interval, rank interval."""
        return pd.DataFrame({
            "province": self.provinces, "total": self.point_total,
            "total_low": self.total_ci[:, 0], "total_high": self.total_ci[:, 1],
            "rank_best": self.rank_interval[:, 0], "rank_worst": self.rank_interval[:, 1],
        })


def _layout(groups: np.ndarray):
    """Sort firms by province; return order, province codes, starts, sizes and each firm's slot."""
    codes, inverse = np.unique(groups, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    sizes = np.bincount(inverse, minlength=len(codes))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sorted_group = inverse[order]
    slot = np.arange(len(groups)) - starts[sorted_group]
    return codes, order, sorted_group, starts, sizes, slot


def bootstrap_counts(group_index: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n_resamples: int,
                     rng: np.random.Generator) -> np.ndarray:
    """Resample counts, firms × resamples: firms redrawn with replacement within their province.

    ``group_index`` is each (sorted) firm's province number; ``starts``/``sizes`` the provinces' slices.
    The firms-major layout keeps each province's block contiguous for the BLAS product.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> k = bootstrap_counts(np.array([0, 0, 0, 1, 1]), np.array([0, 3]), np.array([3, 2]), 4, rng)
    >>> k.shape, k[:3].sum(axis=0).astype(int).tolist(), k[3:].sum(axis=0).astype(int).tolist()
    ((5, 4), [3, 3, 3, 3], [2, 2, 2, 2])
    """
    n = len(group_index)
    size = sizes[group_index]
    u = rng.random((n_resamples, n))
    u *= size  # in place: a uniform position within the firm's own province
    pick = u.astype(np.int64)
    np.minimum(pick, size - 1, out=pick)
    pick += starts[group_index]
    pick *= n_resamples  # firms-major flat index: firm × resamples + resample
    pick += np.arange(n_resamples)[:, None]
    return np.bincount(pick.ravel(), minlength=n * n_resamples).reshape(n, n_resamples).astype(np.float64)


def _block_sums(counts: np.ndarray, data: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Weighted sums per resample and province.

    ``counts`` (firms × resamples) is block-diagonal by province once firms are sorted; each province's
    block times its rows of ``data`` is one BLAS product covering every resample. Returns
    resamples × provinces × columns.
    """
    out = np.empty((len(starts), data.shape[1], counts.shape[1]))
    # These products are many and mid-sized: one BLAS thread each is faster than a team that has to be
    # woken for every call (and it behaves on a busy server).
    with threadpool_limits(limits=1, user_api="blas"):
        for p, (start, size) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True)):
            np.matmul(data[start:start + size].T, counts[start:start + size], out=out[p])
    return out.transpose(2, 0, 1)


def _ratio(sums: np.ndarray, j: int) -> np.ndarray:
    num, den = sums[..., :j], sums[..., j:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def bootstrap(answers: pd.DataFrame, spec: IndicatorSpec, *, province_column: str = "province",
              weight_column: str | None = None, fixed: pd.DataFrame | None = None, n_resamples: int = 1000,
              seed: int, level: float = 0.95, block_size: int = 250) -> BootstrapResult:
    """Bootstrap confidence intervals for sub-indices, totals and ranks from firm-level answers.

    Parameters
    ----------
    answers : pandas.DataFrame
        One row per firm: ``province_column``, the answer columns named in ``spec.codes`` (numbers, NaN for
        no answer; a share indicator is the mean of 0/1 answers ×100 if bounds are on 0–100) and
        optionally ``weight_column``.
    spec : IndicatorSpec
    fixed : pandas.DataFrame, optional
        Province-level indicators that do not come from the survey (hard data): index = province,
        columns among ``spec.codes``; they are not resampled.
    n_resamples : int
    seed : int
        Explicit seed (results are reproducible).
    level : float
        Interval level (0.95).
    block_size : int
        Resamples per block (memory ≈ 3 × block × firms × 8 bytes: uniforms, indices, counts).

    Examples
    --------
    >>> from pciplan.engine.editions import load_edition
    >>> e = load_edition("pci-2013")
    >>> spec = IndicatorSpec(tuple(e.codes), tuple(e.codes), np.zeros(10), np.ones(10), np.ones(10),
    ...                      np.ones(10), e)
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame(rng.random((200, 10)), columns=list(e.codes))
    >>> df["province"] = np.repeat(["A", "B"], 100)
    >>> r = bootstrap(df, spec, n_resamples=200, seed=7)
    >>> r.total_ci.shape, bool(np.all(r.total_ci[:, 0] <= r.point_total)), bool(np.all(r.point_total <= r.total_ci[:, 1]))
    ((2, 2), True, True)
    """
    if n_resamples < 1:
        raise InputError("Số lần lấy mẫu lại phải lớn hơn 0.")
    if not 0 < level < 1:
        raise InputError("Mức tin cậy phải nằm trong (0, 1).")
    if province_column not in answers.columns:
        raise InputError(f"Thiếu cột tỉnh “{province_column}”.")
    codes = list(spec.codes)
    survey = [c for c in codes if c in answers.columns]
    hard = [c for c in codes if c not in answers.columns]
    if hard and (fixed is None or any(c not in fixed.columns for c in hard)):
        missing = [c for c in hard if fixed is None or c not in fixed.columns]
        raise InputError("Thiếu dữ liệu cho chỉ tiêu: " + ", ".join(missing) + ".")
    if answers[province_column].isna().any():
        raise InputError("Có doanh nghiệp không ghi tỉnh.")
    rng = np.random.default_rng(seed)
    groups = answers[province_column].astype(str).to_numpy()
    provinces, order, gidx, starts, sizes, slot = _layout(groups)
    x = answers[survey].to_numpy(dtype=np.float64)[order]
    w = (answers[weight_column].to_numpy(dtype=np.float64)[order] if weight_column else np.ones(len(order)))
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise InputError("Trọng số doanh nghiệp phải là số không âm.")
    mask = ~np.isnan(x)
    xw = np.where(mask, x, 0.0) * w[:, None]
    mw = mask * w[:, None]
    n_p, j = len(provinces), len(survey)
    data = np.ascontiguousarray(np.concatenate([xw, mw], axis=1))  # firms (sorted) × (numerators | denominators)
    point_survey = _ratio(np.add.reduceat(data, starts, axis=0), j)
    survey_pos = [codes.index(c) for c in survey]
    hard_pos = [codes.index(c) for c in hard]
    hard_values = (fixed.reindex(index=provinces)[hard].to_numpy(dtype=np.float64) if hard else np.zeros((n_p, 0)))
    agg = spec.aggregation_matrix()
    sub_w = spec.edition.weights
    mult = spec.edition.total_multiplier

    def to_scores(ind):  # (..., P, J_all) → sub-indices (..., P, K), totals (..., P)
        r = rescale(ind, spec.lower, spec.upper, spec.direction)
        r = np.where(np.isnan(r), 0.0, r)
        sub = r @ agg
        return sub, mult * (sub @ sub_w)

    def assemble(survey_means):  # (..., P, J_s) → (..., P, J_all)
        out = np.empty(survey_means.shape[:-1] + (len(codes),))
        out[..., survey_pos] = survey_means
        if hard_pos:
            out[..., hard_pos] = np.broadcast_to(hard_values, survey_means.shape[:-1] + (len(hard_pos),))
        return out

    point_sub, point_total = to_scores(assemble(point_survey))
    subs = np.empty((n_resamples, n_p, agg.shape[1]))
    totals = np.empty((n_resamples, n_p))
    done = 0
    while done < n_resamples:
        b = min(block_size, n_resamples - done)
        counts = bootstrap_counts(gidx, starts, sizes, b, rng)  # b × N (sorted firms)
        means = _ratio(_block_sums(counts, data, starts, sizes), j)  # b × P × J
        sub, tot = to_scores(assemble(means))
        subs[done:done + b] = sub
        totals[done:done + b] = tot
        done += b
    alpha = (1 - level) / 2
    ranks = competition_rank(totals, axis=1)
    return BootstrapResult(
        provinces=tuple(str(p) for p in provinces), point_subindex=point_sub, point_total=point_total,
        subindex_ci=np.moveaxis(np.quantile(subs, [alpha, 1 - alpha], axis=0), 0, -1),
        total_ci=np.quantile(totals, [alpha, 1 - alpha], axis=0).T,
        rank_interval=np.quantile(ranks, [alpha, 1 - alpha], axis=0, method="inverted_cdf").T.astype(np.int64),
        totals=totals, ranks=ranks, level=level, n_resamples=n_resamples, seed=seed, spec=spec,
    )


def weight_sensitivity(subscores, edition: EditionSpec, *, provinces: Sequence[str] | None = None,
                       n_draws: int = 1000, concentration: float = 200.0, seed: int,
                       level: float = 0.95) -> pd.DataFrame:
    """Range of ranks per province when the sub-index weights vary around the edition's.

    Weights are drawn from a Dirichlet distribution with mean = the edition's weights and the given
    ``concentration`` (larger = closer to the edition; 200 moves a 20% weight by about ±2,8 points
    of percentage at one standard deviation). Totals for all draws are one matrix product.

    Returns
    -------
    pandas.DataFrame
        ``province``, ``rank`` (with the edition's weights), ``rank_low``/``rank_high`` (interval at
        ``level``), ``rank_min``/``rank_max`` over all draws.

    Examples
    --------
    >>> from pciplan.engine.data import load_results, SUBINDEX_CODES
    >>> from pciplan.engine.editions import load_edition
    >>> r = load_results(2016)
    >>> t = weight_sensitivity(r[list(SUBINDEX_CODES)], load_edition("pci-2013"), provinces=r.province_slug,
    ...                        n_draws=300, seed=1)
    >>> row = t.set_index("province").loc["da-nang"]
    >>> int(row["rank"]), int(row.rank_min) >= 1, int(row.rank_max) >= int(row["rank"])
    (1, True, True)
    """
    s = np.asarray(subscores, dtype=np.float64)
    if s.ndim != 2 or s.shape[1] != len(edition.codes):
        raise InputError(f"Cần bảng điểm tỉnh × {len(edition.codes)} chỉ số thành phần.")
    if np.isnan(s).any():
        raise InputError("Có tỉnh thiếu điểm chỉ số thành phần.")
    if concentration <= 0:
        raise InputError("Độ tập trung phải lớn hơn 0.")
    rng = np.random.default_rng(seed)
    base = edition.weights
    draws = rng.dirichlet(base * concentration, size=n_draws)
    totals = edition.total_multiplier * (draws @ s.T)  # draws × provinces
    ranks = competition_rank(totals, axis=1)
    base_rank = competition_rank(edition.total_multiplier * (s @ base))
    alpha = (1 - level) / 2
    lo, hi = np.quantile(ranks, [alpha, 1 - alpha], axis=0, method="inverted_cdf")
    names = list(provinces) if provinces is not None else [str(i) for i in range(len(s))]
    out = pd.DataFrame({"province": names, "rank": base_rank, "rank_low": lo.astype(int), "rank_high": hi.astype(int),
                        "rank_min": ranks.min(axis=0), "rank_max": ranks.max(axis=0)})
    out.attrs.update({"edition": edition.code, "weights_percent": [x.weight_percent for x in edition.subindices],
                      "n_draws": n_draws, "concentration": concentration, "seed": seed, "level": level})
    return out
