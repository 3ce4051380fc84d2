"""Tolerant province-name matching for the engine (no Django).

Names arrive spelled many ways: "TP. Hồ Chí Minh", "Tp.HCM", "Thành phố Hồ Chí Minh", "Đăk Lăk",
"TT-Huế", "Bac Giang", "Tỉnh Bắc Giang". :class:`ProvinceMatcher` folds diacritics and punctuation
(:func:`pciplan.lib.text.fold_key`), drops the "tỉnh" / "thành phố" / "TP" prefix, knows the spellings
listed in the shipped province lists (``pciplan/data/provinces``) and takes an extra caller mapping for
old/new names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd

from pciplan.lib.text import best_match, fold_key, nfc

__all__ = ["ProvinceMatcher", "province_key"]

_PREFIX = re.compile(r"^(tinh|thanh pho|tp|t p)\s+")
# Spellings met in VCCI's data workbooks that the shipped province lists do not carry.
EXTRA_ALIASES = {"Bắc Cạn": "bac-kan"}


def province_key(name: str | None) -> str:
    """Matching key of a province name: folded, punctuation and the "tỉnh"/"thành phố" prefix removed.

    Examples
    --------
    >>> province_key("TP. Hồ Chí Minh")
    'ho chi minh'
    >>> province_key("Tỉnh Bắc Giang") == province_key("bac giang")
    True
    """
    key = fold_key(name)
    return _PREFIX.sub("", key).strip()


def _read_list(filename: str) -> list[dict]:
    path = resources.files("pciplan.data").joinpath("provinces", filename)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def _default_rows(include_new: bool) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    rows = _read_list("provinces_63.csv")
    if include_new:
        known = {r["slug"] for r in rows}
        rows += [r for r in _read_list("provinces_34.csv") if r["slug"] not in known]
    return tuple((r["slug"], r["name"], tuple(a for a in (r.get("aliases") or "").split("|") if a)) for r in rows)


@dataclass(frozen=True)
class ProvinceMatcher:
    """Match province names to slugs.

    Parameters
    ----------
    provinces : pandas.DataFrame
        Columns ``slug``, ``name`` and optionally ``aliases`` (a tuple/list or a ``|``-separated string).
    mapping : mapping of str to str, optional
        Extra names (old or new names, local spellings) → slug; checked first.
    cutoff : float
        Similarity (difflib ratio on folded keys) needed for a fuzzy match.

    Examples
    --------
    >>> m = ProvinceMatcher.default()
    >>> m.slug("Tp.HCM"), m.slug("Đăk Lăk"), m.slug("TT- Huế"), m.slug("tinh bac giang")
    ('tp-ho-chi-minh', 'dak-lak', 'thua-thien-hue', 'bac-giang')
    >>> m.slug("Atlantis") is None
    True
    >>> ProvinceMatcher.default(mapping={"Kinh Bắc": "bac-ninh"}).slug("kinh bac")
    'bac-ninh'
    """

    provinces: pd.DataFrame
    mapping: Mapping[str, str] = field(default_factory=dict)
    cutoff: float = 0.9

    def __post_init__(self):
        keys: dict[str, str] = {}
        for row in self.provinces.itertuples(index=False):
            aliases = getattr(row, "aliases", ()) or ()
            if isinstance(aliases, str):
                aliases = [a for a in aliases.split("|") if a]
            for text in (row.slug.replace("-", " "), row.name, *aliases):
                keys.setdefault(province_key(text), row.slug)
        for text, slug in {**EXTRA_ALIASES, **(self.mapping or {})}.items():
            keys[province_key(text)] = slug
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_names", dict(zip(self.provinces.slug, self.provinces.name, strict=True)))

    @classmethod
    def default(cls, *, include_new: bool = False, mapping: Mapping[str, str] | None = None,
                cutoff: float = 0.9) -> ProvinceMatcher:
        """The 63 provinces ranked 2006–2024 (plus the 34 of 1/7/2025 with ``include_new``).

        Examples
        --------
        >>> len(ProvinceMatcher.default().provinces), ProvinceMatcher.default(include_new=True).slug("Bắc Ninh")
        (63, 'bac-ninh')
        """
        return _default_matcher(cls, include_new, tuple(sorted((mapping or {}).items())), cutoff)

    def slug(self, name: str | None) -> str | None:
        """Slug of ``name``, or ``None`` when nothing matches well enough."""
        if name is None:
            return None
        key = province_key(nfc(str(name)))
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        if key.replace(" ", "-") in self._names:
            return key.replace(" ", "-")
        return best_match(key, self._keys, cutoff=self.cutoff)

    def name(self, slug: str) -> str:
        """Display name of ``slug`` ("TP. Hồ Chí Minh"); the slug itself if unknown.

        Examples
        --------
        >>> ProvinceMatcher.default().name("bac-giang")
        'Bắc Giang'
        """
        return self._names.get(slug, slug)

    @property
    def slugs(self) -> tuple[str, ...]:
        """All known slugs, in list order."""
        return tuple(self.provinces.slug)


@lru_cache(maxsize=32)
def _default_matcher(cls, include_new: bool, mapping: tuple, cutoff: float) -> ProvinceMatcher:
    rows = _default_rows(include_new)
    frame = pd.DataFrame([{"slug": s, "name": n, "aliases": a} for s, n, a in rows])
    return cls(frame, dict(mapping), cutoff)
