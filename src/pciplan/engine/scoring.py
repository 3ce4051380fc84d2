"""Index arithmetic: rescaling, aggregation, totals, competition ranks and groups (numpy, float64).

* :func:`rescale` — an indicator to the 1–10 scale with bounds ``L``, ``U`` (fixed benchmarks, or the
  data's own minimum and maximum from :func:`data_bounds`), direction applied, clamped.
* :func:`aggregate` — rescaled indicators → sub-index (mean, or weights within the sub-index).
* :func:`total_score` — ``multiplier × Σ wᵢ·sᵢ``.
* :func:`competition_rank` — "1224" ranking: ties share the better rank. Totals are compared after
  rounding half up to :data:`RANK_DECIMALS` decimals (0,01 — the precision VCCI publishes), so two
  provinces both shown as 63,98 share a rank.
* :func:`assign_group` — performance group from a year's cut-offs, ``None`` where none are known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .editions import EditionSpec, normalize_weights
from .errors import InputError

__all__ = [
    "RANK_DECIMALS",
    "ScoreResult",
    "aggregate",
    "assign_group",
    "competition_rank",
    "data_bounds",
    "extend_bounds",
    "group_weights",
    "rank_key",
    "rescale",
    "round_total",
    "score_table",
    "total_score",
]

RANK_DECIMALS = 2
_EPS = 1e-6  # in hundredths: a total within 1e-8 below a half-hundredth rounds up


def rescale(values, lower, upper, direction=1, clamp: bool = True, *, scale_min: float = 1.0,
            scale_max: float = 10.0) -> np.ndarray:
    """Rescale raw values to ``scale_min``–``scale_max`` (1–10).

    ``1 + 9·(x − L)/(U − L)`` where more is better (``direction`` +1) and ``1 + 9·(U − x)/(U − L)``
    where less is better (−1). Arrays broadcast (e.g. provinces × indicators against per-indicator
    bounds). NaN stays NaN.

    Parameters
    ----------
    values : array_like
    lower, upper : array_like
        Bounds; ``upper`` must exceed ``lower``.
    direction : array_like of {+1, −1}
    clamp : bool
        Clamp results to the scale (a value beyond a fixed benchmark scores 1 or 10).

    Examples
    --------
    >>> rescale([0, 50, 100, 120], 0, 100).tolist()
    [1.0, 5.5, 10.0, 10.0]
    >>> rescale([2, 5], 1, 10, direction=-1).tolist()
    [9.0, 6.0]
    >>> rescale([120], 0, 100, clamp=False).round(6).tolist()
    [11.8]
    """
    x = np.asarray(values, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    span = hi - lo
    if np.any(~(span > 0)):
        raise InputError("Cận trên phải lớn hơn cận dưới khi chuẩn hóa chỉ tiêu.")
    z = np.where(d >= 0, (x - lo) / span, (hi - x) / span)
    out = scale_min + (scale_max - scale_min) * z
    if clamp:
        out = np.clip(out, scale_min, scale_max)
    return out


def data_bounds(values, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The data's own minimum and maximum along ``axis`` (NaN ignored) — "current-year" bounds.

    Examples
    --------
    >>> lo, hi = data_bounds([[1, 5], [3, 2]])
    >>> lo.tolist(), hi.tolist()
    ([1.0, 2.0], [3.0, 5.0])
    """
    x = np.asarray(values, dtype=np.float64)
    return np.nanmin(x, axis=axis), np.nanmax(x, axis=axis)


def extend_bounds(lower, upper, values, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Benchmarks moved to any new record in ``values`` (how VCCI keeps bounds from year to year).

    Examples
    --------
    >>> lo, hi = extend_bounds([0, 0], [10, 10], [[-2, 5], [4, 12]])
    >>> lo.tolist(), hi.tolist()
    ([-2.0, 0.0], [10.0, 12.0])
    """
    lo, hi = data_bounds(values, axis=axis)
    return np.fmin(np.asarray(lower, dtype=np.float64), lo), np.fmax(np.asarray(upper, dtype=np.float64), hi)


def aggregate(rescaled, weights=None, axis: int = -1) -> np.ndarray:
    """Sub-index from rescaled indicators: the mean, or a weighted mean with ``weights`` (any positive scale).

    NaN indicators are left out and the remaining weights renormalised; all-NaN gives NaN.

    Examples
    --------
    >>> aggregate([[4.0, 6.0], [1.0, 10.0]]).tolist()
    [5.0, 5.5]
    >>> aggregate([[4.0, 6.0]], weights=[60, 40]).round(6).tolist()
    [4.8]
    >>> aggregate([[4.0, np.nan]]).tolist()
    [4.0]
    """
    r = np.asarray(rescaled, dtype=np.float64)
    r = np.moveaxis(r, axis, -1)
    w = np.ones(r.shape[-1]) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape[-1] != r.shape[-1]:
        raise InputError(f"Cần {r.shape[-1]} trọng số chỉ tiêu, nhận được {w.shape[-1]}.")
    if np.any(w < 0):
        raise InputError("Trọng số chỉ tiêu không được âm.")
    present = ~np.isnan(r)
    num = np.where(present, r, 0.0) @ w if w.ndim == 1 else (np.where(present, r, 0.0) * w).sum(-1)
    den = present.astype(np.float64) @ w if w.ndim == 1 else (present * w).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def group_weights(groups, shares: Mapping[str, float]) -> np.ndarray:
    """Indicator weights that give each group of indicators its share, split equally inside the group.

    For Legal institutions: 60% survey, 40% hard data (``aggregation.group_weights_percent``).

    Examples
    --------
    >>> group_weights(["survey", "survey", "survey", "hard", "hard"], {"survey": 60, "hard": 40}).round(6).tolist()
    [0.2, 0.2, 0.2, 0.2, 0.2]
    >>> group_weights(["survey", "hard", "hard", "hard", "hard"], {"survey": 60, "hard": 40}).round(2).tolist()
    [0.6, 0.1, 0.1, 0.1, 0.1]
    """
    labels = np.asarray(list(groups), dtype=object)
    total = float(sum(shares.values()))
    if total <= 0:
        raise InputError("Tỷ trọng các nhóm chỉ tiêu phải lớn hơn 0.")
    out = np.zeros(len(labels))
    for group, share in shares.items():
        members = labels == group
        if members.any():
            out[members] = share / total / members.sum()
    missing = sorted({str(g) for g in labels if g not in shares})
    if missing:
        raise InputError("Không có tỷ trọng cho nhóm chỉ tiêu: " + ", ".join(missing) + ".")
    return out / out.sum()


def _weights_of(weights) -> np.ndarray:
    if isinstance(weights, EditionSpec):
        return weights.weights
    return normalize_weights(weights)


def total_score(subscores, weights, multiplier: float | None = None) -> np.ndarray:
    """Total ``multiplier × Σ wᵢ·sᵢ`` along the last axis.

    Parameters
    ----------
    subscores : array_like, (..., k)
    weights : EditionSpec or sequence
        An edition (its weights and multiplier), or weights summing to 1 or 100.
    multiplier : float, optional
        Defaults to the edition's (10 for PCI), or 10.

    Examples
    --------
    >>> from pciplan.engine.editions import load_edition
    >>> bg2019 = [6.78, 6.84, 6.85, 6.52, 6.06, 5.45, 6.98, 5.43, 7.19, 6.38]
    >>> round(float(total_score(bg2019, load_edition("pci-2013"))), 4)
    64.475
    >>> total_score([[5, 7]], [50, 50]).tolist()
    [60.0]
    """
    w = _weights_of(weights)
    if multiplier is None:
        multiplier = weights.total_multiplier if isinstance(weights, EditionSpec) else 10.0
    s = np.asarray(subscores, dtype=np.float64)
    if s.shape[-1] != len(w):
        raise InputError(f"Cần {len(w)} điểm chỉ số thành phần, nhận được {s.shape[-1]}.")
    return float(multiplier) * (s @ w)


def rank_key(totals, decimals: int = RANK_DECIMALS) -> np.ndarray:
    """Integer comparison key: totals rounded half up to ``decimals`` (NaN → −1).

    Examples
    --------
    >>> rank_key([63.975, 63.984999, np.nan]).tolist()
    [6398, 6398, -1]
    """
    t = np.asarray(totals, dtype=np.float64)
    key = np.floor(t * 10**decimals + 0.5 + _EPS)
    return np.where(np.isnan(key), -1, key).astype(np.int64)


def competition_rank(totals, decimals: int = RANK_DECIMALS, axis: int = -1) -> np.ndarray:
    """Competition ranks ("1224"): 1 + number of others with a strictly higher rounded total.

    Vectorised along ``axis`` (e.g. resamples × provinces ranks each resample). NaN totals rank last.

    Examples
    --------
    >>> competition_rank([70.0, 63.98, 63.981, 60.0]).tolist()
    [1, 2, 2, 4]
    >>> competition_rank([[1.0, 2.0], [2.0, 1.0]]).tolist()
    [[2, 1], [1, 2]]
    """
    key = np.moveaxis(rank_key(totals, decimals), axis, -1)
    if key.ndim == 1:
        ordered = np.sort(key)
        greater = len(key) - np.searchsorted(ordered, key, side="right")
    else:
        greater = (key[..., None, :] > key[..., :, None]).sum(axis=-1)
    return np.moveaxis(1 + greater, -1, axis)


def assign_group(totals, cutoffs) -> np.ndarray:
    """Performance group of each total from cut-offs; ``None`` where no cut-offs are known.

    Parameters
    ----------
    totals : array_like
    cutoffs : pandas.DataFrame or sequence of (group, min_score)
        Groups from best to worst with their minimum score; the last group may have no minimum (it
        takes everything below). Frames use the columns ``group`` and ``min_score``.

    Examples
    --------
    >>> cuts = [("Rất tốt", 62.0), ("Tốt", 60.0), ("Khá", 56.9), ("Trung bình", 55.6),
    ...         ("Tương đối thấp", 53.5), ("Thấp", None)]
    >>> assign_group([63, 57, 40], cuts).tolist()
    ['Rất tốt', 'Khá', 'Thấp']
    >>> assign_group([63], []).tolist()
    [None]
    """
    t = np.asarray(totals, dtype=np.float64)
    if isinstance(cutoffs, pd.DataFrame):
        pairs = list(zip(cutoffs["group"], cutoffs["min_score"], strict=True))
    else:
        pairs = list(cutoffs or [])
    out = np.full(t.shape, None, dtype=object)
    if not pairs:
        return out
    key = rank_key(t)
    for group, minimum in reversed(pairs):
        if minimum is None or (isinstance(minimum, float) and np.isnan(minimum)):
            out[~np.isnan(t)] = group
        else:
            out[(key >= rank_key(minimum)) & ~np.isnan(t)] = group
    return out


@dataclass(frozen=True)
class ScoreResult:
    """Totals, ranks and groups of a table of sub-index scores, with the spec that produced them.

    Attributes
    ----------
    edition : EditionSpec
    table : pandas.DataFrame
        Input order; columns ``province``, ``year``, the sub-index codes, ``total``, ``rank``, ``group``.
    notes : tuple of str
        What the caller should know (missing cut-offs …).
    """

    edition: EditionSpec
    table: pd.DataFrame = field(compare=False)
    notes: tuple[str, ...] = ()

    def records(self) -> list[dict]:
        """JSON-ready rows: province, year, total (2 decimals), rank, group."""
        out = []
        for row in self.table.itertuples(index=False):
            year = getattr(row, "year", None)
            out.append({
                "province": row.province,
                "year": None if year is None or pd.isna(year) else int(year),
                "total": round_total(row.total),
                "rank": int(row.rank),
                "group": row.group if isinstance(row.group, str) else None,
            })
        return out


def round_total(value: float) -> float:
    """A total rounded half up to 2 decimals for display (the one named place totals are rounded).

    Examples
    --------
    >>> round_total(64.475)
    64.48
    """
    return int(rank_key(value)) / 10**RANK_DECIMALS


def score_table(frame: pd.DataFrame, edition: EditionSpec, *, cutoffs: Mapping[int, object] | None = None,
                province_column: str = "province", year_column: str | None = "year") -> ScoreResult:
    """Totals, ranks (within each year) and groups for a table of sub-index scores.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per province (and year); the edition's sub-index codes as numeric columns.
    edition : EditionSpec
    cutoffs : mapping year -> cut-offs, optional
        Group cut-offs per year (see :func:`assign_group`). Years without cut-offs get no group.
    province_column, year_column : str
        ``year_column`` may be absent from ``frame``: all rows are then ranked together.

    Examples
    --------
    >>> from pciplan.engine.editions import load_edition
    >>> df = pd.DataFrame({"province": ["A", "B"], **{c: [6.0, 7.0] for c in load_edition("pci-2013").codes}})
    >>> res = score_table(df, load_edition("pci-2013"))
    >>> res.records()
    [{'province': 'A', 'year': None, 'total': 60.0, 'rank': 2, 'group': None}, {'province': 'B', 'year': None, 'total': 70.0, 'rank': 1, 'group': None}]
    """
    missing = [c for c in edition.codes if c not in frame.columns]
    if missing:
        raise InputError("Thiếu cột chỉ số thành phần: " + ", ".join(missing) + ".")
    scores = frame[list(edition.codes)].to_numpy(dtype=np.float64)
    if np.isnan(scores).any():
        raise InputError("Có ô điểm chỉ số thành phần bị trống.")
    totals = total_score(scores, edition)
    has_year = year_column is not None and year_column in frame.columns
    years = frame[year_column].to_numpy() if has_year else np.zeros(len(frame), dtype=object)
    ranks = np.zeros(len(frame), dtype=np.int64)
    groups = np.full(len(frame), None, dtype=object)
    notes = []
    year_values = pd.Series(years)
    for year in pd.unique(year_values):
        if pd.isna(year):
            mask = year_values.isna().to_numpy()
        else:
            mask = (year_values == year).to_numpy()
        ranks[mask] = competition_rank(totals[mask])
        cut = (cutoffs or {}).get(int(year)) if has_year and not pd.isna(year) else None
        if cut is not None and len(cut):
            groups[mask] = assign_group(totals[mask], cut)
        elif has_year and not pd.isna(year) and cutoffs is not None:
            notes.append(f"Chưa có ngưỡng nhóm xếp hạng cho năm {int(year)}: không xếp nhóm.")
    table = pd.DataFrame({
        "province": frame[province_column].astype(str).to_numpy(),
        "year": frame[year_column].to_numpy() if has_year else [None] * len(frame),
        **{c: scores[:, i] for i, c in enumerate(edition.codes)},
        "total": totals, "rank": ranks, "group": groups,
    })
    return ScoreResult(edition=edition, table=table, notes=tuple(dict.fromkeys(notes)))
