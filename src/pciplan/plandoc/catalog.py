"""The PCI sub-indices and performance groups, and tolerant matching of their names.

Codes follow the column order used across pciplan (``entry_costs`` … ``legal_institutions``). Names
include the short and long forms plans use and the 2021 renames (sub-index 8 "Chính sách hỗ trợ doanh
nghiệp", sub-index 10 "Thiết chế pháp lý và an ninh trật tự").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pciplan.lib.text import fold_key


@dataclass(frozen=True)
class SubIndexName:
    code: str
    name: str
    #: other names; "strong" ones are recognised anywhere in running text, "weak" ones only after
    #: "chỉ số", inside quotes, at the head of a list item or in a table cell
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()


SUBINDICES: tuple[SubIndexName, ...] = (
    SubIndexName("entry_costs", "Chi phí gia nhập thị trường",
                 ("Chi phí gia nhập thị trường", "Chi phí ra nhập thị trường"), ("Gia nhập thị trường",)),
    SubIndexName("land_access", "Tiếp cận đất đai và sự ổn định trong sử dụng đất",
                 ("Tiếp cận đất đai và sự ổn định trong sử dụng đất", "Tiếp cận đất đai")),
    SubIndexName("transparency", "Tính minh bạch và tiếp cận thông tin",
                 ("Tính minh bạch và tiếp cận thông tin", "Tính minh bạch"), ("Minh bạch",)),
    SubIndexName("time_costs", "Chi phí thời gian để thực hiện các quy định của Nhà nước",
                 ("Chi phí thời gian để thực hiện các quy định của Nhà nước", "Chi phí thời gian")),
    SubIndexName("informal_charges", "Chi phí không chính thức", ("Chi phí không chính thức",)),
    SubIndexName("policy_bias", "Cạnh tranh bình đẳng",
                 ("Tính cạnh tranh bình đẳng", "Môi trường cạnh tranh bình đẳng", "Cạnh tranh bình đẳng")),
    SubIndexName("proactivity", "Tính năng động và tiên phong của lãnh đạo tỉnh",
                 ("Tính năng động và tiên phong của lãnh đạo tỉnh",
                  "Tính năng động và tiên phong của chính quyền tỉnh",
                  "Tính năng động của chính quyền tỉnh", "Tính năng động của lãnh đạo tỉnh",
                  "Tính năng động và tiên phong"),
                 ("Tính năng động của chính quyền", "Tính năng động")),
    SubIndexName("business_support", "Dịch vụ hỗ trợ doanh nghiệp",
                 ("Dịch vụ hỗ trợ doanh nghiệp",), ("Chính sách hỗ trợ doanh nghiệp", "Hỗ trợ doanh nghiệp")),
    SubIndexName("labor_training", "Đào tạo lao động", (), ("Đào tạo lao động",)),
    SubIndexName("legal_institutions", "Thiết chế pháp lý và an ninh trật tự",
                 ("Thiết chế pháp lý và an ninh trật tự", "Thiết chế pháp lý và an ninh, trật tự",
                  "Thiết chế pháp lý"),
                 ("Pháp lý và an ninh trật tự",)),
)

SUBINDEX_CODES = tuple(s.code for s in SUBINDICES)
SUBINDEX_NAMES = {s.code: s.name for s in SUBINDICES}

#: performance groups, best first (VCCI: Rất tốt, Tốt, Khá, Trung bình, Tương đối thấp, Thấp)
GROUPS = ("Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp")

_ALIASES: dict[str, str] = {}
for _s in SUBINDICES:
    for _n in (_s.name, *_s.strong, *_s.weak):
        _ALIASES[fold_key(_n)] = _s.code

_PREFIX = re.compile(r"^(?:cac\s+)?(?:chi\s+so\s+)?(?:thanh\s+phan\s+)?(?:so\s+\d+\s+|thu\s+\d+\s+|\d+\s+)?")


def alias_patterns() -> list[tuple[str, str, bool]]:
    """(folded alias, code, strong) for every name, longest first — for scanning running text."""
    rows = []
    for s in SUBINDICES:
        for n in (s.name, *s.strong):
            rows.append((fold_key(n), s.code, True))
        for n in s.weak:
            rows.append((fold_key(n), s.code, False))
    unique = {(a, c): strong for a, c, strong in rows}
    return sorted(((a, c, st) for (a, c), st in unique.items()), key=lambda r: -len(r[0]))


def match_subindex(name: str | None, cutoff: float = 0.84) -> str | None:
    """Return the catalog code of a sub-index name as a plan writes it, or ``None``.

    Tolerates missing or wrong diacritics, typos, the prefix "Chỉ số (thành phần)", short and long
    forms and the 2021 renames.

    >>> match_subindex("Tinh minh bạch")
    'transparency'
    >>> match_subindex("chỉ số thành phần “Chi phí gia nhập thị trường”")
    'entry_costs'
    >>> match_subindex("Thiết chế pháp lý và an ninh trật tự")
    'legal_institutions'
    >>> match_subindex("Chinh sach ho tro doanh nghiep")
    'business_support'
    >>> match_subindex("Chi phí thời gan")
    'time_costs'
    >>> match_subindex("Tổng điểm PCI") is None
    True
    """
    key = fold_key(name)
    if not key:
        return None
    key = _PREFIX.sub("", key).strip()
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    # A long form that starts with a known name ("Tính năng động và tiên phong của lãnh đạo tỉnh …").
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if len(alias) >= 10 and (key.startswith(alias + " ") or key == alias):
            return _ALIASES[alias]
    close = difflib.get_close_matches(key, list(_ALIASES), n=1, cutoff=cutoff)
    if close:
        return _ALIASES[close[0]]
    # A typo in a long name: compare with the start of each alias of about the same length.
    best, best_ratio = None, 0.0
    for alias, code in _ALIASES.items():
        if len(alias) < 12 or len(key) < 12:
            continue
        head = alias[: len(key)]
        ratio = difflib.SequenceMatcher(None, key, head).ratio()
        if ratio > best_ratio and len(key) >= 0.7 * len(alias):
            best, best_ratio = code, ratio
    return best if best_ratio >= 0.9 else None


_GROUP_KEYS = {fold_key(g): g for g in GROUPS}


def match_group(text: str | None) -> str | None:
    """Return the canonical group name for "khá", "rất tốt", "Tương đối thấp" …, or ``None``.

    >>> match_group("“khá”")
    'Khá'
    >>> match_group("RAT TOT")
    'Rất tốt'
    """
    return _GROUP_KEYS.get(fold_key(text))
