"""Editions: the method an index follows for a span of years (sub-indices, weights, scale).

An edition is data (``pciplan/data/pci/editions/*.json``) read into a frozen :class:`EditionSpec`.
Every computation in the engine takes a spec and records it with its result, so a what-if is "copy the
spec, change it, run, compare".
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import numpy as np

from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold_key

from .errors import EditionError

__all__ = [
    "EditionSpec",
    "SubIndexSpec",
    "edition_for_year",
    "edition_from_dict",
    "list_editions",
    "load_edition",
    "normalize_weights",
    "validate_edition_dict",
]

WEIGHT_TOLERANCE = 1e-6


def _freeze(value):
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value):
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class SubIndexSpec:
    """One sub-index (chỉ số thành phần) of an edition.

    Attributes
    ----------
    code : str
        English code used everywhere (``entry_costs`` …).
    number : int
        Position, 1-based.
    name_vi, name_en : str
    weight_percent : float
        Weight in the total, in percent.
    aliases : tuple of str
        Other Vietnamese names (short and long forms, older names).
    aggregation : mapping
        How indicators combine into the sub-index (``{"method": "mean"}`` …).
    """

    code: str
    number: int
    name_vi: str
    name_en: str
    weight_percent: float
    aliases: tuple[str, ...] = ()
    aggregation: Mapping = field(default_factory=lambda: MappingProxyType({"method": "mean"}))

    def __hash__(self):
        return hash((self.code, self.number, self.weight_percent))

    def matches(self, text: str) -> bool:
        """Whether ``text`` names this sub-index (code, number, name or alias; diacritics ignored).

        Examples
        --------
        >>> load_edition("pci-2013").subindex("transparency").matches("Tinh minh bạch")
        True
        """
        key = fold_key(text)
        if not key:
            return False
        candidates = {fold_key(self.code.replace("_", " ")), str(self.number), fold_key(self.name_vi),
                      fold_key(self.name_en), *(fold_key(a) for a in self.aliases)}
        return key in candidates


@dataclass(frozen=True)
class EditionSpec:
    """A frozen edition (method) of an index.

    Examples
    --------
    >>> spec = load_edition("pci-2013")
    >>> spec.codes[:3], spec.weights[:3].tolist(), spec.total_multiplier
    (('entry_costs', 'land_access', 'transparency'), [0.05, 0.05, 0.2], 10.0)
    >>> spec.covers(2019), spec.covers(2022)
    (True, False)
    """

    code: str
    name_vi: str
    name_en: str
    index: str
    first_year: int
    last_year: int | None
    scale_min: float
    scale_max: float
    total_multiplier: float
    subindices: tuple[SubIndexSpec, ...]
    source: Mapping = field(default_factory=lambda: MappingProxyType({}))
    notes: str = ""
    is_example: bool = False

    def __hash__(self):
        return hash((self.code, tuple(s.weight_percent for s in self.subindices), self.total_multiplier))

    @property
    def codes(self) -> tuple[str, ...]:
        """Sub-index codes in order."""
        return tuple(s.code for s in self.subindices)

    @property
    def weights(self) -> np.ndarray:
        """Weights as fractions (float64, sums to 1), in :attr:`codes` order."""
        return np.array([s.weight_percent for s in self.subindices], dtype=np.float64) / 100.0

    def covers(self, year: int) -> bool:
        """Whether the edition applies to ``year``."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def subindex(self, text: str) -> SubIndexSpec:
        """The sub-index named ``text`` (code, number, name or alias; tolerant).

        Raises
        ------
        EditionError
            If nothing matches.

        Examples
        --------
        >>> load_edition("pci-2022").subindex("Dịch vụ hỗ trợ doanh nghiệp").code
        'business_support'
        >>> load_edition("pci-2013").subindex("Gia nhập thị trường").number
        1
        """
        for sub in self.subindices:
            if sub.code == text or sub.matches(text):
                return sub
        raise EditionError(f"Phiên bản {self.code} không có chỉ số thành phần “{text}”.")

    def find(self, text: str) -> SubIndexSpec | None:
        """Like :meth:`subindex` but returns ``None`` instead of raising."""
        try:
            return self.subindex(text)
        except EditionError:
            return None

    def with_weights(self, weights, *, code: str | None = None) -> EditionSpec:
        """A copy with other weights (percent summing to 100, or fractions summing to 1), validated.

        Examples
        --------
        >>> spec = load_edition("pci-2013").with_weights([10] * 10)
        >>> float(spec.weights.sum().round(6)), spec.code
        (1.0, 'pci-2013*')
        """
        w = normalize_weights(weights, self.codes)
        subs = tuple(replace(s, weight_percent=float(p)) for s, p in zip(self.subindices, w * 100.0, strict=True))
        return replace(self, subindices=subs, code=code or (self.code if self.code.endswith("*") else self.code + "*"))

    def to_dict(self) -> dict:
        """Plain dict in the data-file format (JSON-ready)."""
        return {
            "code": self.code, "name_vi": self.name_vi, "name_en": self.name_en, "index": self.index,
            "first_year": self.first_year, "last_year": self.last_year, "scale_min": self.scale_min,
            "scale_max": self.scale_max, "total_multiplier": self.total_multiplier,
            "subindices": [{"code": s.code, "number": s.number, "name_vi": s.name_vi, "name_en": s.name_en,
                            "weight_percent": s.weight_percent, "aliases": list(s.aliases),
                            "aggregation": _thaw(s.aggregation)} for s in self.subindices],
            "source": _thaw(self.source), "notes": self.notes, "is_example": self.is_example,
        }


def _pct(value: float) -> str:
    return format_number(value, 2, strip=True)


def normalize_weights(weights, codes: Sequence[str] | None = None) -> np.ndarray:
    """Weights as fractions summing to 1, from percents (sum 100) or fractions (sum 1).

    ``weights`` may be a sequence (in ``codes`` order) or a mapping code → weight.

    Raises
    ------
    EditionError
        Vietnamese message if a weight is negative, missing or not a number, or the sum is neither 1 nor 100.

    Examples
    --------
    >>> normalize_weights([50, 50]).tolist()
    [0.5, 0.5]
    >>> normalize_weights({"b": 0.25, "a": 0.75}, ["a", "b"]).tolist()
    [0.75, 0.25]
    >>> normalize_weights([0.5, 0.4])
    Traceback (most recent call last):
    ...
    pciplan.engine.errors.EditionError: Tổng trọng số phải bằng 1 (tức 100%); hiện là 0,9.
    """
    if isinstance(weights, Mapping):
        if codes is None:
            codes = list(weights)
        missing = [c for c in codes if c not in weights]
        extra = [c for c in weights if c not in codes]
        if missing or extra:
            parts = []
            if missing:
                parts.append("thiếu trọng số cho " + ", ".join(missing))
            if extra:
                parts.append("không có chỉ số thành phần " + ", ".join(map(str, extra)))
            raise EditionError("Trọng số không khớp các chỉ số thành phần: " + "; ".join(parts) + ".")
        weights = [weights[c] for c in codes]
    try:
        w = np.array([float(x) for x in weights], dtype=np.float64)
    except (TypeError, ValueError):
        raise EditionError("Trọng số phải là số.")
    if codes is not None and len(w) != len(codes):
        raise EditionError(f"Cần {len(codes)} trọng số, nhận được {len(w)}.")
    if not np.all(np.isfinite(w)):
        raise EditionError("Trọng số phải là số hữu hạn.")
    if np.any(w < 0):
        raise EditionError("Trọng số không được âm.")
    total = float(w.sum())
    if abs(total - 1.0) <= WEIGHT_TOLERANCE:
        return w / total
    if abs(total - 100.0) <= WEIGHT_TOLERANCE * 100:
        return w / total
    raise EditionError(f"Tổng trọng số phải bằng 1 (tức 100%); hiện là {_pct(total)}.")


def validate_edition_dict(data: Mapping) -> list[str]:
    """Problems (Vietnamese sentences) in an edition given as a dict; empty if valid.

    Examples
    --------
    >>> d = load_edition("pci-2013").to_dict()
    >>> validate_edition_dict(d)
    []
    >>> d["subindices"][0]["weight_percent"] = 10
    >>> validate_edition_dict(d)
    ['Tổng trọng số các chỉ số thành phần phải bằng 100%; hiện là 105%.']
    """
    problems: list[str] = []
    subs = data.get("subindices") or []
    if not subs:
        return ["Phiên bản chưa có chỉ số thành phần nào."]
    for key in ("code", "first_year"):
        if data.get(key) in (None, ""):
            problems.append(f"Thiếu trường “{key}”.")
    seen_codes, seen_numbers = set(), set()
    total = 0.0
    for i, s in enumerate(subs, start=1):
        name = s.get("name_vi") or s.get("code") or f"thứ {i}"
        code = s.get("code")
        if not code:
            problems.append(f"Chỉ số thành phần thứ {i} thiếu mã.")
        elif code in seen_codes:
            problems.append(f"Mã chỉ số thành phần “{code}” bị trùng.")
        seen_codes.add(code)
        number = s.get("number", i)
        if number in seen_numbers:
            problems.append(f"Số thứ tự {number} của chỉ số thành phần bị trùng.")
        seen_numbers.add(number)
        try:
            w = float(s.get("weight_percent"))
        except (TypeError, ValueError):
            problems.append(f"Trọng số của “{name}” không phải là số.")
            continue
        if not math.isfinite(w) or w < 0 or w > 100:
            problems.append(f"Trọng số của “{name}” phải từ 0 đến 100%; hiện là {_pct(w)}%.")
        total += w if math.isfinite(w) else 0.0
    if not problems and abs(total - 100.0) > 1e-6:
        problems.append(f"Tổng trọng số các chỉ số thành phần phải bằng 100%; hiện là {_pct(total)}%.")
    lo, hi = data.get("scale_min", 1), data.get("scale_max", 10)
    try:
        if float(lo) >= float(hi):
            problems.append("Thang điểm không hợp lệ: điểm thấp nhất phải nhỏ hơn điểm cao nhất.")
    except (TypeError, ValueError):
        problems.append("Thang điểm phải là số.")
    try:
        if float(data.get("total_multiplier", 10)) <= 0:
            problems.append("Hệ số nhân tổng điểm phải lớn hơn 0.")
    except (TypeError, ValueError):
        problems.append("Hệ số nhân tổng điểm phải là số.")
    first, last = data.get("first_year"), data.get("last_year")
    if isinstance(first, int) and isinstance(last, int) and last < first:
        problems.append("Năm kết thúc phải sau năm bắt đầu.")
    return problems


def edition_from_dict(data: Mapping) -> EditionSpec:
    """Build a validated :class:`EditionSpec` from a dict (data-file format).

    Raises
    ------
    EditionError
        With every problem found; ``message`` joins them.

    Examples
    --------
    >>> d = load_edition("pci-2013").to_dict()
    >>> d["subindices"][1]["code"] = "entry_costs"
    >>> edition_from_dict(d)
    Traceback (most recent call last):
    ...
    pciplan.engine.errors.EditionError: Phiên bản “pci-2013” không hợp lệ: Mã chỉ số thành phần “entry_costs” bị trùng.
    """
    problems = validate_edition_dict(data)
    if problems:
        raise EditionError(f"Phiên bản “{data.get('code', '?')}” không hợp lệ: " + " ".join(problems), problems)
    subs = tuple(
        SubIndexSpec(code=s["code"], number=int(s.get("number", i)), name_vi=s.get("name_vi", s["code"]),
                     name_en=s.get("name_en", ""), weight_percent=float(s["weight_percent"]),
                     aliases=tuple(s.get("aliases") or ()),
                     aggregation=_freeze(s.get("aggregation") or {"method": "mean"}))
        for i, s in enumerate(data["subindices"], start=1)
    )
    notes = data.get("notes", "")
    if isinstance(notes, list):
        notes = " ".join(notes)
    return EditionSpec(
        code=data["code"], name_vi=data.get("name_vi", data["code"]), name_en=data.get("name_en", ""),
        index=data.get("index", "PCI"), first_year=int(data["first_year"]),
        last_year=None if data.get("last_year") is None else int(data["last_year"]),
        scale_min=float(data.get("scale_min", 1)), scale_max=float(data.get("scale_max", 10)),
        total_multiplier=float(data.get("total_multiplier", 10)), subindices=subs,
        source=_freeze(data.get("source") or {}), notes=notes,
        is_example=bool(data.get("is_example", False)),
    )


def _editions_dir():
    return resources.files("pciplan.data").joinpath("pci", "editions")


@lru_cache(maxsize=16)
def load_edition(code: str) -> EditionSpec:
    """Load a shipped edition by code (``pci-2013``, ``pci-2022``, ``ddci-example``).

    Raises
    ------
    EditionError
        If no such edition ships with pciplan, or its file is invalid.

    Examples
    --------
    >>> load_edition("pci-2022").weights.tolist()[:2]
    [0.05, 0.1]
    >>> load_edition("pci-1999")
    Traceback (most recent call last):
    ...
    pciplan.engine.errors.EditionError: Không có phiên bản “pci-1999”. Các phiên bản có sẵn: ddci-example, pci-2013, pci-2022.
    """
    path = _editions_dir().joinpath(f"{code}.json")
    if not code or "/" in code or not path.is_file():
        known = ", ".join(sorted(p.name[:-5] for p in _editions_dir().iterdir() if p.name.endswith(".json")))
        raise EditionError(f"Không có phiên bản “{code}”. Các phiên bản có sẵn: {known}.")
    return edition_from_dict(json.loads(path.read_text(encoding="utf-8")))


def list_editions(*, include_examples: bool = True) -> list[EditionSpec]:
    """All shipped editions, ordered by index then first year.

    Examples
    --------
    >>> [e.code for e in list_editions()]
    ['ddci-example', 'pci-2013', 'pci-2022']
    >>> [e.code for e in list_editions(include_examples=False)]
    ['pci-2013', 'pci-2022']
    """
    codes = sorted(p.name[:-5] for p in _editions_dir().iterdir() if p.name.endswith(".json"))
    specs = [load_edition(c) for c in codes]
    if not include_examples:
        specs = [s for s in specs if not s.is_example]
    return sorted(specs, key=lambda s: (s.index, s.first_year, s.code))


def edition_for_year(year: int, index: str = "PCI", editions: Iterable[EditionSpec] | None = None) -> EditionSpec:
    """The (non-example) edition of ``index`` that applies to ``year``.

    Raises
    ------
    EditionError
        If no edition covers the year (PCI before 2013 used an earlier method).

    Examples
    --------
    >>> edition_for_year(2019).code, edition_for_year(2022).code
    ('pci-2013', 'pci-2022')
    >>> edition_for_year(2010)
    Traceback (most recent call last):
    ...
    pciplan.engine.errors.EditionError: Chưa có phiên bản phương pháp PCI cho năm 2010 (trước 2013 VCCI dùng phương pháp khác).
    """
    pool = list(editions) if editions is not None else list_editions(include_examples=False)
    for spec in sorted(pool, key=lambda s: -s.first_year):
        if spec.index == index and not spec.is_example and spec.covers(int(year)):
            return spec
    extra = " (trước 2013 VCCI dùng phương pháp khác)" if index == "PCI" and year < 2013 else ""
    raise EditionError(f"Chưa có phiên bản phương pháp {index} cho năm {year}{extra}.")
