"""Read the PCI data shipped in ``pciplan/data/pci`` as pandas frames (never the reference folder).

Every function returns a fresh copy, so callers may modify what they get. Sub-index columns follow
:data:`SUBINDEX_CODES`; blank cells are NaN (unknown, never guessed).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .errors import DataNotFound

__all__ = [
    "SUBINDEX_CODES",
    "data_file",
    "load_group_cutoffs",
    "load_indicator_values",
    "load_indicators",
    "load_results",
    "load_years",
    "result_for",
]

SUBINDEX_CODES = (
    "entry_costs", "land_access", "transparency", "time_costs", "informal_charges",
    "policy_bias", "proactivity", "business_support", "labor_training", "legal_institutions",
)


def data_file(name: str):
    """Path-like of a file in ``pciplan/data/pci`` (``results.csv`` …).

    Examples
    --------
    >>> data_file("results.csv").name
    'results.csv'
    """
    return resources.files("pciplan.data").joinpath("pci", name)


@lru_cache(maxsize=8)
def _read(name: str) -> pd.DataFrame:
    with data_file(name).open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, keep_default_na=False, na_values=[""], dtype_backend="numpy_nullable")
    for col in frame.columns:
        if str(frame[col].dtype) in {"Float64"}:
            frame[col] = frame[col].astype("float64")
    return frame


def _filter_year(frame: pd.DataFrame, year: int | None, what: str) -> pd.DataFrame:
    if year is None:
        return frame.copy()
    out = frame[frame["year"] == int(year)].copy()
    if out.empty:
        raise DataNotFound(f"Không có {what} cho năm {year} trong dữ liệu kèm theo.")
    return out.reset_index(drop=True)


def load_years(year: int | None = None) -> pd.DataFrame:
    """Published years: edition, number of provinces ranked, top published, survey size, notes.

    Examples
    --------
    >>> y = load_years()
    >>> int(y[y.year == 2020].survey_firms.iloc[0]), int(y[y.year == 2025].n_ranked.iloc[0])
    (12295, 34)
    """
    return _filter_year(_read("years.csv"), year, "thông tin năm công bố")


def load_results(year: int | None = None, *, province: str | None = None) -> pd.DataFrame:
    """Published results: sub-index scores, total (``pci``), rank, group, precision, source.

    Parameters
    ----------
    year : int, optional
    province : str, optional
        Slug (``bac-giang``).

    Raises
    ------
    DataNotFound
        If nothing is shipped for that year or province.

    Examples
    --------
    >>> r = load_results(2016)
    >>> len(r), r.precision.unique().tolist()
    (63, ['full'])
    >>> bg = load_results(2019, province="bac-giang")
    >>> float(bg.entry_costs.iloc[0]), int(bg["rank"].iloc[0])
    (6.78, 40)
    """
    frame = _filter_year(_read("results.csv"), year, "kết quả PCI")
    if province is not None:
        frame = frame[frame.province_slug == province].reset_index(drop=True)
        if frame.empty:
            where = f" năm {year}" if year is not None else ""
            raise DataNotFound(f"Không có kết quả PCI{where} của tỉnh “{province}” trong dữ liệu kèm theo.")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def result_for(province: str, year: int) -> pd.Series:
    """One province's published result for one year.

    Examples
    --------
    >>> float(result_for("bac-giang", 2020).pci)
    63.98
    """
    return load_results(year, province=province).iloc[0]


def load_group_cutoffs(year: int | None = None) -> pd.DataFrame:
    """Group cut-offs derived from the published tiers (2013–2016 only); empty frame if none for ``year``.

    Examples
    --------
    >>> c = load_group_cutoffs(2016)
    >>> c.group.tolist()
    ['Rất tốt', 'Tốt', 'Khá', 'Trung bình', 'Tương đối thấp', 'Thấp']
    >>> load_group_cutoffs(2020).empty
    True
    """
    frame = _read("group_cutoffs.csv")
    if year is None:
        return frame.copy()
    return frame[frame.year == int(year)].reset_index(drop=True)


def load_indicators(year: int | None = None, *, subindex: str | None = None) -> pd.DataFrame:
    """Indicator dictionary: code, label, direction, source type, percent flag, bounds, weight.

    Examples
    --------
    >>> ind = load_indicators(2016)
    >>> len(ind), ind.subindex_code.nunique()
    (111, 10)
    >>> row = ind[ind.code == "e761_use"].iloc[0]
    >>> bool(row.is_percent), int(row.direction)
    (True, 1)
    """
    frame = _filter_year(_read("indicators.csv"), year, "danh mục chỉ tiêu")
    if frame["is_percent"].dtype != bool:
        frame["is_percent"] = frame["is_percent"].astype(str).str.lower().isin(["true", "1", "yes"])
    if subindex is not None:
        frame = frame[frame.subindex_code == subindex].reset_index(drop=True)
    return frame


def load_indicator_values(year: int | None = None, *, wide: bool = False) -> pd.DataFrame:
    """Raw indicator values by province (percentages on 0–100).

    With ``wide`` the frame is provinces × indicator codes (index ``province_slug``).

    Examples
    --------
    >>> v = load_indicator_values(2016, wide=True)
    >>> v.shape
    (63, 111)
    >>> round(float(v.loc["bac-giang", "e761_use"]), 1)
    19.5
    """
    frame = _filter_year(_read("indicator_values.csv"), year, "giá trị chỉ tiêu")
    if wide:
        if year is None:
            raise ValueError("wide=True needs a year")
        out = frame.pivot(index="province_slug", columns="code", values="value")
        out.columns.name = None
        return out.astype(np.float64)
    return frame
