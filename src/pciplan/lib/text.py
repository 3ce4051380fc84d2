"""Vietnamese text helpers: Unicode NFC, diacritic folding for search, tolerant name matching."""

from __future__ import annotations

import difflib
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC with runs of white space folded to one space.

    >>> nfc("  Tính  minh\u0323 bạch ") == "Tính minh bạch"
    False
    >>> nfc("Ti\u0301nh minh ba\u0323ch")
    'Tính minh bạch'
    """
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Fold Vietnamese text for search: lower case, marks removed, đ → d, spaces folded.

    >>> fold("Tính MINH BẠCH")
    'tinh minh bach'
    >>> fold("ĐỒNG THÁP") == fold("đồng tháp")
    True
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_key(text: str | None) -> str:
    """Fold and drop punctuation, for matching names ("TP. Hồ Chí Minh" ~ "tp ho chi minh").

    >>> fold_key("Bà Rịa - Vũng Tàu")
    'ba ria vung tau'
    """
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", fold(text))).strip()


def best_match(name: str, candidates: dict[str, str], cutoff: float = 0.85) -> str | None:
    """Return the value of the candidate whose folded key best matches ``name``.

    ``candidates`` maps a folded key (see :func:`fold_key`) to a value. An exact folded match wins;
    otherwise the closest key above ``cutoff`` (difflib ratio), else ``None``.

    >>> best_match("Dak Lak", {"dak lak": "dak-lak", "dak nong": "dak-nong"})
    'dak-lak'
    >>> best_match("Đầu môi", {"dau moi": 1})
    1
    """
    key = fold_key(name)
    if key in candidates:
        return candidates[key]
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return candidates[close[0]] if close else None
