"""What-if: a province's changed scores → new total, rank and group against a year's field.

The *field* is the set of provinces of one published year. A what-if takes a province's sub-index
scores of a *base year* (e.g. Bắc Giang 2019, the reference plan's starting point), applies changes
(new scores, increases, or new raw indicator values through the rescaling bounds) and ranks the result
against the other provinces of the *field year* (e.g. 2020). Where the field has only published totals
(2020: no sub-index scores), the other provinces keep their published totals and the result says so;
gaps are never filled with guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from pciplan.lib.numbers import format_number

from .data import load_group_cutoffs, load_indicator_values, load_indicators, load_results, load_years
from .editions import EditionSpec, edition_for_year
from .errors import DataNotFound, InputError
from .provinces import ProvinceMatcher
from .scoring import assign_group, competition_rank, rank_key, rescale, round_total, total_score

__all__ = [
    "Field",
    "WhatIfResult",
    "WhatIfSpec",
    "indicator_model",
    "load_field",
    "marginal_table",
    "resolve_province",
    "what_if",
]


def resolve_province(name_or_slug: str, matcher: ProvinceMatcher | None = None) -> str:
    """Slug of a province given by name or slug (tolerant).

    Raises
    ------
    InputError
        If the name matches no province.

    Examples
    --------
    >>> resolve_province("Bac Giang"), resolve_province("bac-giang")
    ('bac-giang', 'bac-giang')
    """
    matcher = matcher or ProvinceMatcher.default(include_new=True)
    slug = matcher.slug(name_or_slug)
    if slug is None:
        raise InputError(f"Không nhận ra tỉnh “{name_or_slug}”.")
    return slug


@dataclass(frozen=True)
class Field:
    """The provinces of one published year, as far as the shipped data know them.

    Attributes
    ----------
    year : int
    edition : EditionSpec
    slugs, names : tuple of str
    totals : numpy.ndarray
        Published totals.
    subscores : numpy.ndarray
        Provinces × sub-indices, NaN where not published/shipped.
    published_ranks : numpy.ndarray
    cutoffs : tuple of (group, min_score)
        Empty where the year's group cut-offs are unknown.
    n_ranked : int
        Provinces VCCI ranked that year.
    note : str
        Vietnamese note on what is missing.
    """

    year: int
    edition: EditionSpec
    slugs: tuple[str, ...]
    names: tuple[str, ...]
    totals: np.ndarray = field(compare=False)
    subscores: np.ndarray = field(compare=False)
    published_ranks: np.ndarray = field(compare=False)
    cutoffs: tuple = ()
    n_ranked: int = 0
    note: str = ""

    def __hash__(self):
        return hash((self.year, self.edition.code, self.slugs))

    @property
    def complete(self) -> bool:
        """Every province has every sub-index score."""
        return bool(len(self.slugs)) and not np.isnan(self.subscores).any()

    def others(self, slug: str) -> np.ndarray:
        """Boolean mask of the provinces other than ``slug``."""
        return np.array([s != slug for s in self.slugs])


def load_field(year: int, edition: EditionSpec | None = None) -> Field:
    """The field of ``year`` from the shipped results.

    Raises
    ------
    DataNotFound
        If the data hold no results for every ranked province of that year.

    Examples
    --------
    >>> f = load_field(2020)
    >>> len(f.slugs), f.complete, f.cutoffs
    (63, False, ())
    >>> print(f.note)
    Năm 2020: các tỉnh khác chỉ có tổng điểm và thứ hạng công bố (không có điểm chỉ số thành phần); chưa có ngưỡng nhóm xếp hạng.
    >>> load_field(2016).complete
    True
    """
    return _load_field(int(year), edition or edition_for_year(year))


@lru_cache(maxsize=64)
def _load_field(year: int, edition: EditionSpec) -> Field:
    res = load_results(year)
    years = load_years()
    row = years[years.year == int(year)]
    n_ranked = int(row.n_ranked.iloc[0]) if len(row) and not pd.isna(row.n_ranked.iloc[0]) else len(res)
    if len(res) < n_ranked:
        raise DataNotFound(
            f"Dữ liệu kèm theo chỉ có kết quả năm {year} của {len(res)}/{n_ranked} tỉnh; "
            "không thể xếp hạng so với các tỉnh khác năm đó.")
    cut = load_group_cutoffs(year)
    cutoffs = tuple((g, None if pd.isna(m) else float(m)) for g, m in zip(cut.group, cut.min_score, strict=True))
    sub = res.reindex(columns=list(edition.codes)).to_numpy(dtype=np.float64)
    missing = []
    n_without = int(np.isnan(sub).any(axis=1).sum())
    if n_without:
        if n_without >= len(res) - 1:
            missing.append("các tỉnh khác chỉ có tổng điểm và thứ hạng công bố (không có điểm chỉ số thành phần)")
        else:
            missing.append(f"{n_without} tỉnh thiếu điểm chỉ số thành phần")
    if not cutoffs:
        missing.append("chưa có ngưỡng nhóm xếp hạng")
    note = f"Năm {year}: " + "; ".join(missing) + "." if missing else ""
    arrays = [res.pci.to_numpy(dtype=np.float64, copy=True), sub, res["rank"].to_numpy(dtype=np.float64, copy=True)]
    for a in arrays:
        a.setflags(write=False)  # cached and shared: read-only
    return Field(
        year=int(year), edition=edition, slugs=tuple(res.province_slug), names=tuple(res.province_name),
        totals=arrays[0], subscores=arrays[1], published_ranks=arrays[2], cutoffs=cutoffs, n_ranked=n_ranked,
        note=note,
    )


@dataclass(frozen=True)
class IndicatorModel:
    """Indicators of one year with their calibrated weights and bounds (for changes through the bounds)."""

    year: int
    table: pd.DataFrame = field(compare=False)
    values: pd.DataFrame = field(compare=False)

    def __hash__(self):
        return hash(self.year)


def indicator_model(year: int | None = None) -> IndicatorModel:
    """Indicators with bounds and their raw values, for the latest year that has bounds (or ``year``).

    Examples
    --------
    >>> m = indicator_model()
    >>> m.year, m.table.weight.notna().all()
    (2016, np.True_)
    """
    ind = load_indicators()
    with_bounds = ind[ind.lower_bound.notna() & ind.upper_bound.notna()]
    if year is None:
        if with_bounds.empty:
            raise DataNotFound("Chưa có cận chuẩn hóa chỉ tiêu cho năm nào trong dữ liệu kèm theo.")
        year = int(with_bounds.year.max())
    table = with_bounds[with_bounds.year == int(year)].reset_index(drop=True)
    if table.empty:
        raise DataNotFound(f"Chưa có cận chuẩn hóa chỉ tiêu cho năm {year}.")
    return IndicatorModel(int(year), table, load_indicator_values(int(year), wide=True))


def _indicator_effect(model: IndicatorModel, slug: str, changes: Mapping[str, float]) -> dict[str, float]:
    """Sub-index change per sub-index from new raw indicator values (fixed bounds, clamped)."""
    if slug not in model.values.index:
        raise DataNotFound(f"Không có giá trị chỉ tiêu năm {model.year} của tỉnh “{slug}”.")
    table = model.table.set_index("code")
    effect: dict[str, float] = {}
    for code, new in changes.items():
        if code not in table.index:
            raise InputError(f"Không có chỉ tiêu “{code}” (năm {model.year}) có cận chuẩn hóa.")
        row = table.loc[code]
        old = float(model.values.loc[slug, code])
        r_old, r_new = rescale([old, float(new)], row.lower_bound, row.upper_bound, int(row.direction))
        effect[row.subindex_code] = effect.get(row.subindex_code, 0.0) + float(row.weight) * float(r_new - r_old)
    return effect


@dataclass(frozen=True)
class WhatIfSpec:
    """Everything a what-if was computed from (so it can be re-run and compared)."""

    province: str
    base_year: int
    field_year: int
    edition: str
    weights_percent: tuple[float, ...]
    set_scores: tuple[tuple[str, float], ...] = ()
    add_scores: tuple[tuple[str, float], ...] = ()
    indicator_values: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class WhatIfResult:
    """Result of :func:`what_if`.

    ``before``/``after`` map sub-index codes to scores; totals are recomputed from the sub-indices with
    the edition's weights (``published_total`` is the base year's published figure, for reference).
    Ranks and groups are against the other provinces of the field year.
    """

    spec: WhatIfSpec
    edition: EditionSpec
    province: str
    province_name: str
    before: Mapping[str, float]
    after: Mapping[str, float]
    total_before: float
    total_after: float
    published_total: float | None
    rank_before: int
    rank_after: int
    n_ranked: int
    group_before: str | None
    group_after: str | None
    notes: tuple[str, ...] = ()
    table: pd.DataFrame = field(default=None, compare=False)

    @property
    def total_change(self) -> float:
        return self.total_after - self.total_before

    def to_dict(self) -> dict:
        """JSON-ready summary (totals rounded to 2 decimals)."""
        return {
            "province": self.province, "province_name": self.province_name,
            "base_year": self.spec.base_year, "field_year": self.spec.field_year, "edition": self.spec.edition,
            "before": {k: float(v) for k, v in self.before.items()},
            "after": {k: float(v) for k, v in self.after.items()},
            "total_before": round_total(self.total_before), "total_after": round_total(self.total_after),
            "total_change": round(self.total_after - self.total_before, 4),
            "published_total": self.published_total,
            "rank_before": self.rank_before, "rank_after": self.rank_after, "n_ranked": self.n_ranked,
            "group_before": self.group_before, "group_after": self.group_after, "notes": list(self.notes),
        }


def _rank_against(total: float, others: np.ndarray) -> int:
    return int(competition_rank(np.append(others, total))[-1])


def base_scores(slug: str, year: int, edition: EditionSpec) -> tuple[np.ndarray, float | None, str]:
    """A province's published sub-index scores of ``year`` (raises if any is missing)."""
    try:
        row = load_results(year, province=slug).iloc[0]
    except DataNotFound:
        raise DataNotFound(f"Không có kết quả PCI năm {year} của tỉnh “{slug}” trong dữ liệu kèm theo.")
    scores = row.reindex(list(edition.codes)).to_numpy(dtype=np.float64)
    if np.isnan(scores).any():
        missing = [c for c, v in zip(edition.codes, scores, strict=True) if np.isnan(v)]
        raise DataNotFound(f"Năm {year} tỉnh {row.province_name} thiếu điểm chỉ số thành phần: {', '.join(missing)}.")
    total = None if pd.isna(row.pci) else float(row.pci)
    return scores, total, str(row.province_name)


def _field_totals(fld: Field, mask: np.ndarray, edition: EditionSpec) -> tuple[np.ndarray, list[str]]:
    notes = []
    same = np.allclose(edition.weights, fld.edition.weights) and edition.total_multiplier == fld.edition.total_multiplier
    if same:
        return fld.totals[mask], notes
    sub = fld.subscores[mask]
    if np.isnan(sub).any():
        raise DataNotFound(
            f"Không thể tính lại tổng điểm các tỉnh khác năm {fld.year} với trọng số khác vì thiếu điểm chỉ số "
            "thành phần của họ.")
    notes.append(f"Tổng điểm các tỉnh khác năm {fld.year} được tính lại với trọng số của phiên bản {edition.code}.")
    return total_score(sub, edition), notes


def what_if(province: str, *, base_year: int = 2019, field_year: int | None = 2020,
            set_scores: Mapping[str, float] | None = None, add_scores: Mapping[str, float] | None = None,
            indicator_values: Mapping[str, float] | None = None, edition: EditionSpec | None = None,
            base: Mapping[str, float] | None = None) -> WhatIfResult:
    """Recompute a province's total, rank and group after changing its scores.

    Parameters
    ----------
    province : str
        Name or slug.
    base_year : int
        Year whose published sub-index scores are the starting point (ignored if ``base`` is given).
    field_year : int, optional
        Year whose other provinces it is ranked against (default 2020; ``None`` = ``base_year``).
    set_scores : mapping, optional
        Sub-index (code or Vietnamese name) → new score (1–10).
    add_scores : mapping, optional
        Sub-index → increase (may be negative).
    indicator_values : mapping, optional
        Indicator code → new raw value (percentages on 0–100); the change passes through the
        calibrated bounds of the latest year that has them and is added to the published score.
    edition : EditionSpec, optional
        Weights to use (default: the field year's edition).
    base : mapping, optional
        Explicit starting scores instead of the published ones.

    Returns
    -------
    WhatIfResult

    Raises
    ------
    DataNotFound, InputError
        With a Vietnamese message (province without data, score outside 1–10, unknown sub-index …).

    Examples
    --------
    The reference plan: Bắc Giang's 2019 scores, entry costs raised to 7,61, ranked against 2020:

    >>> r = what_if("Bắc Giang", set_scores={"entry_costs": 7.61})
    >>> round(r.total_before, 4), r.rank_before, round(r.total_after, 4), r.rank_after
    (64.475, 23, 64.89, 18)
    >>> r.notes[0][:40]
    'Năm 2020: các tỉnh khác chỉ có tổng điểm'
    """
    field_year = base_year if field_year is None else int(field_year)
    slug = resolve_province(province)
    fld = load_field(field_year)
    edition = edition or fld.edition
    codes = list(edition.codes)
    if base is not None:
        scores = np.array([float(base[c]) for c in codes], dtype=np.float64)
        published, name = None, ProvinceMatcher.default(include_new=True).name(slug)
    else:
        scores, published, name = base_scores(slug, base_year, edition)
    before = scores.copy()
    after = scores.copy()

    def _code(text):
        sub = edition.find(str(text))
        if sub is None:
            raise InputError(f"Không có chỉ số thành phần “{text}” trong phiên bản {edition.code}.")
        return codes.index(sub.code)

    for text, value in (set_scores or {}).items():
        after[_code(text)] = float(value)
    for text, value in (add_scores or {}).items():
        after[_code(text)] += float(value)
    notes: list[str] = []
    if indicator_values:
        model = indicator_model()
        for sub_code, delta in _indicator_effect(model, slug, indicator_values).items():
            after[codes.index(sub_code)] += delta
        notes.append(f"Thay đổi chỉ tiêu được quy đổi qua cận chuẩn hóa năm {model.year} (hiệu chỉnh từ dữ liệu "
                     "2013–2015) và cộng vào điểm công bố.")
    bad = [(c, v) for c, v in zip(codes, after, strict=True)
           if not (edition.scale_min - 1e-9 <= v <= edition.scale_max + 1e-9)]
    if bad:
        c, v = bad[0]
        raise InputError(f"Điểm “{edition.subindex(c).name_vi}” phải từ {format_number(edition.scale_min, strip=True)} "
                         f"đến {format_number(edition.scale_max, strip=True)}; hiện là {format_number(v)}.")
    mask = fld.others(slug)
    others, extra = _field_totals(fld, mask, edition)
    notes = ([fld.note] if fld.note else []) + extra + notes
    if base_year != field_year:
        notes.append(f"Điểm năm {base_year} của tỉnh được xếp so với {int(mask.sum())} tỉnh khác năm {field_year}.")
    t_before, t_after = float(total_score(before, edition)), float(total_score(after, edition))
    groups = assign_group([t_before, t_after], list(fld.cutoffs))
    table = pd.DataFrame({
        "code": codes, "name_vi": [s.name_vi for s in edition.subindices],
        "weight_percent": [s.weight_percent for s in edition.subindices],
        "before": before, "after": after, "change": after - before,
        "points_change": edition.total_multiplier * edition.weights * (after - before),
    })
    spec = WhatIfSpec(
        province=slug, base_year=int(base_year), field_year=field_year, edition=edition.code,
        weights_percent=tuple(s.weight_percent for s in edition.subindices),
        set_scores=tuple(sorted((codes[_code(k)], float(v)) for k, v in (set_scores or {}).items())),
        add_scores=tuple(sorted((codes[_code(k)], float(v)) for k, v in (add_scores or {}).items())),
        indicator_values=tuple(sorted((k, float(v)) for k, v in (indicator_values or {}).items())),
    )
    return WhatIfResult(
        spec=spec, edition=edition, province=slug, province_name=name,
        before=MappingProxyType(dict(zip(codes, before.tolist(), strict=True))),
        after=MappingProxyType(dict(zip(codes, after.tolist(), strict=True))),
        total_before=t_before, total_after=t_after, published_total=published,
        rank_before=_rank_against(t_before, others), rank_after=_rank_against(t_after, others),
        n_ranked=fld.n_ranked, group_before=groups[0], group_after=groups[1], notes=tuple(notes), table=table,
    )


def marginal_table(edition: EditionSpec | None = None, *, province: str | None = None,
                   subindex_step: float = 0.1, include_indicators: bool = True) -> pd.DataFrame:
    """PCI points gained per +0,1 of each sub-index and per +1 percentage point (or unit) of each indicator.

    Indicator effects pass through the calibrated bounds of the latest year that has them (2016):
    ``multiplier × Wₛ × wⱼ × 9/(U − L) × direction``. With ``province`` an indicator already at its
    bound in the improving direction gains nothing (the rescaled value is clamped at 10).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind`` (``subindex``/``indicator``), ``code``, ``subindex_code``, ``label``, ``unit``,
        ``pci_points``.

    Examples
    --------
    >>> t = marginal_table()
    >>> t[t.kind == "subindex"].set_index("code").pci_points.round(3).head(3).to_dict()
    {'entry_costs': 0.05, 'land_access': 0.05, 'transparency': 0.2}
    >>> row = t[t.code == "e761_use"].iloc[0]
    >>> row.unit, bool(row.pci_points > 0)
    ('+1 điểm phần trăm', True)
    """
    edition = edition or edition_for_year(2019)
    rows = [{"kind": "subindex", "code": s.code, "subindex_code": s.code, "label": s.name_vi,
             "unit": f"+{format_number(subindex_step, 2, strip=True)} điểm",
             "pci_points": edition.total_multiplier * s.weight_percent / 100.0 * subindex_step}
            for s in edition.subindices]
    if include_indicators:
        model = indicator_model()
        t = model.table
        w_sub = {s.code: s.weight_percent / 100.0 for s in edition.subindices}
        slope = 9.0 / (t.upper_bound - t.lower_bound).to_numpy() * t.direction.to_numpy()
        points = edition.total_multiplier * t.subindex_code.map(w_sub).to_numpy(float) * t.weight.to_numpy() * slope
        if province is not None:
            slug = resolve_province(province)
            if slug not in model.values.index:
                raise DataNotFound(f"Không có giá trị chỉ tiêu năm {model.year} của tỉnh “{slug}”.")
            x = model.values.loc[slug, t.code].to_numpy(float)
            at_best = np.where(t.direction.to_numpy() > 0, x >= t.upper_bound.to_numpy(), x <= t.lower_bound.to_numpy())
            points = np.where(at_best, 0.0, points)
        for r, p in zip(t.itertuples(index=False), points, strict=True):
            rows.append({"kind": "indicator", "code": r.code, "subindex_code": r.subindex_code, "label": r.label_vi,
                         "unit": "+1 điểm phần trăm" if r.is_percent else "+1 đơn vị", "pci_points": float(p)})
    return pd.DataFrame(rows)


def field_rank_threshold(fld: Field, slug: str, target_rank: int, edition: EditionSpec | None = None) -> float | None:
    """Smallest total that reaches ``target_rank`` against the other provinces (``None``: always reached).

    Examples
    --------
    >>> round(field_rank_threshold(load_field(2020), "bac-giang", 1), 3)
    75.085
    """
    edition = edition or fld.edition
    if target_rank < 1 or target_rank > fld.n_ranked:
        raise InputError(f"Thứ hạng mục tiêu phải từ 1 đến {fld.n_ranked} (số tỉnh được xếp hạng năm {fld.year}); "
                         f"nhận được {target_rank}.")
    others, _ = _field_totals(fld, fld.others(slug), edition)
    keys = np.sort(rank_key(others))[::-1]
    if target_rank - 1 >= len(keys):
        return None
    return float((keys[target_rank - 1] - 0.5) / 100.0)
