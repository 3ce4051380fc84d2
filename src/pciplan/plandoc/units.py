"""Names of agencies and units: tolerant normalisation and matching.

A plan writes the same unit several ways ("Phòng Quản lý Công nghệ và TTCN", "Trưởng phòng Quản lý Công
nghệ và Thị trường công nghệ"). The reader keeps the name as written and adds a normalised form (common
abbreviations spelt out, the title of the unit's head dropped) and a folded key for matching.
"""

from __future__ import annotations

import difflib
import re

from pciplan.lib.text import fold_key

from .textnorm import clean_fragment, fold_same_length

# Abbreviations spelt out in the normalised form (matched on whole words, case as written).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"UBND", "Ủy ban nhân dân"),
    (r"HĐND", "Hội đồng nhân dân"),
    (r"KH\s*&\s*CN|KHCN|KH-CN", "Khoa học và Công nghệ"),
    (r"KH\s*&\s*ĐT|KHĐT|KH-ĐT", "Kế hoạch và Đầu tư"),
    (r"TT\s*&\s*TT|TTTT|TT-TT", "Thông tin và Truyền thông"),
    (r"TN\s*&\s*MT|TNMT|TN-MT", "Tài nguyên và Môi trường"),
    (r"LĐ-TB\s*&\s*XH|LĐTBXH|LĐ,\s*TB\s*&\s*XH", "Lao động - Thương binh và Xã hội"),
    (r"NN\s*&\s*PTNT|NNPTNT", "Nông nghiệp và Phát triển nông thôn"),
    (r"GTVT", "Giao thông vận tải"),
    (r"TTCN", "Thị trường công nghệ"),
    (r"QLCN", "Quản lý công nghệ"),
    (r"PVHCC", "Phục vụ hành chính công"),
    (r"KHTC|KH-TC", "Kế hoạch Tài chính"),
    (r"TTHC", "thủ tục hành chính"),
)
_ABBREV = [(re.compile(rf"(?<![\w&]){pat}(?![\w&])"), full) for pat, full in ABBREVIATIONS]

# Folded words a unit's name starts with.
UNIT_HEADS = (
    "phong", "van phong", "trung tam", "thanh tra", "so", "ban", "chi cuc", "cuc", "ubnd", "uy ban",
    "hdnd", "hoi dong", "cac phong", "cac so", "cac don vi", "cac co quan", "cac ban", "cac to chuc",
    "cong an", "bo chi huy", "hiep hoi", "hoi", "kho bac", "ngan hang", "bao hiem", "dai", "bao",
    "lien doan", "lien minh", "tong cong ty", "cong ty", "truong phong", "pho truong phong", "truong ban",
    "doan", "vien", "chi nhanh", "cuc thue", "toa an", "vien kiem sat", "tinh doan", "mat tran", "bo",
    "tong cuc", "to cong tac", "to giup viec", "ban quan ly", "quy", "don vi duoc giao",
)
_HEAD_RE = re.compile(r"^(?:" + "|".join(re.escape(h) for h in sorted(UNIT_HEADS, key=len, reverse=True))
                      + r")\b")
_HEAD_TITLE = re.compile(r"^(?:Phó\s+)?(?:Trưởng|Giám đốc|Thủ trưởng|Chánh)\s+(?=[Pp]hòng|[Bb]an|[Tt]rung|[Vv]ăn|[Tt]hanh|[Ss]ở)",
                         re.IGNORECASE)


def looks_like_unit(name: str) -> bool:
    """Whether a short phrase names an agency or unit ("Văn phòng Sở", "Các phòng, đơn vị …").

    >>> looks_like_unit("Phòng Quản lý Công nghệ và TTCN")
    True
    >>> looks_like_unit("Nâng cao chất lượng")
    False
    """
    text = clean_fragment(name)
    if not text or len(text) > 120 or len(text.split()) > 16:
        return False
    folded = fold_same_length(text)
    if not _HEAD_RE.match(folded):
        return False
    return not re.match(r"^(?:so|ban)\s+(?:hanh|do|luong|lieu|bo|sanh|dau|chi|ket)\b", folded)


def normalize_unit_name(name: str) -> str:
    """The normalised form of a unit's name: abbreviations spelt out, the head's title dropped.

    >>> normalize_unit_name("Phòng Quản lý Công nghệ và TTCN")
    'Phòng Quản lý Công nghệ và Thị trường công nghệ'
    >>> normalize_unit_name("Trưởng phòng Quản lý Công nghệ và Thị trường công nghệ")
    'Phòng Quản lý Công nghệ và Thị trường công nghệ'
    >>> normalize_unit_name("Văn phòng UBND tỉnh")
    'Văn phòng Ủy ban nhân dân tỉnh'
    """
    text = clean_fragment(name).strip("“”\"'()")
    text = re.sub(r"^(?:Giao|giao)\s+", "", text)
    text = _HEAD_TITLE.sub("", text)
    if text[:1].islower():
        text = text[:1].upper() + text[1:]
    for pattern, full in _ABBREV:
        text = pattern.sub(full, text)
    return clean_fragment(text)


def unit_key(name: str) -> str:
    """The folded key two spellings of one unit share.

    >>> unit_key("Phòng Quản lý Công nghệ và TTCN") == unit_key("phòng quản lý công nghệ và thị trường công nghệ")
    True
    """
    return fold_key(normalize_unit_name(name))


def same_unit(a: str, b: str, cutoff: float = 0.92) -> bool:
    """Whether two names denote the same unit (equal keys, or nearly equal: one typo).

    >>> same_unit("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT")
    True
    >>> same_unit("Thanh tra tỉnh", "Thanh tra Sở")
    False
    """
    ka, kb = unit_key(a), unit_key(b)
    if ka == kb:
        return True
    if not ka or not kb:
        return False
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= cutoff and abs(len(ka) - len(kb)) <= 2


_LOWER_WORDS = {"và", "của", "tỉnh", "huyện", "thành", "phố", "thị", "xã", "quận", "phường"}
_PLACE_WORDS = ("tỉnh", "huyện", "thành phố", "thị xã", "quận", "xã", "phường", "thị trấn")


def agency_display_name(upper: str) -> str:
    """Turn an agency line written in capitals into the usual mixed case.

    >>> agency_display_name("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    'Sở Khoa học và Công nghệ'
    >>> agency_display_name("ỦY BAN NHÂN DÂN TỈNH LAM SƠN")
    'Ủy ban nhân dân tỉnh Lam Sơn'
    >>> agency_display_name("UBND HUYỆN BÌNH HÀ")
    'Ủy ban nhân dân huyện Bình Hà'
    >>> agency_display_name("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    'Sở Lao động - Thương binh và Xã hội'
    """
    text = normalize_unit_name(clean_fragment(upper))
    rest = text[len(text.split()[0]):] if text.split() else ""
    if not text.isupper() and any(c.islower() for c in text[3:]) and not re.search(r"\b[A-ZĐÀ-Ỹ]{2,}\b", rest):
        return text
    words = text.lower().split()
    out: list[str] = []
    capital_next = True
    in_place = False
    types_capital_after = {"sở", "phòng", "cục", "ban", "bộ", "trung", "thanh", "văn", "chi", "hội"}
    i = 0
    while i < len(words):
        w = words[i]
        two = " ".join(words[i:i + 2])
        is_place = (w in _PLACE_WORDS or two in _PLACE_WORDS) and two not in {"xã hội", "thành phần"}
        if not in_place and is_place and i > 0 and words[i - 1] not in {"và", "-", "–"}:
            count = 2 if two in _PLACE_WORDS else 1
            out.extend(words[i:i + count])
            i += count
            in_place = True
            continue
        if in_place or capital_next:
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
        capital_next = w in {"và", "-", "–"} or (len(out) == 1 and w in types_capital_after)
        if len(out) == 2 and words[0] in {"trung", "văn", "thanh", "chi"}:
            capital_next = True
        i += 1
    result = " ".join(out)
    result = re.sub(r"^Ủy Ban", "Ủy ban", result)
    return result
