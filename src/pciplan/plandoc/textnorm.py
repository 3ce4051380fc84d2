"""Normalising plan text and folding it without changing its length.

Every span the reader returns is a pair of offsets into the *normalised* text made here, so the text
must be normalised once, first, and never re-normalised. Folding for matching is done character by
character (:func:`fold_same_length`), so an offset in the folded text is the same offset in the
normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pciplan.lib.text import fold

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACES = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
_WIDE_GAP = re.compile(r" {3,}")
_RUN = re.compile(r"[ ]{2,}")
_TAB_RUN = re.compile(r"[ \t]*\t[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_text(raw: str) -> str:
    """Return the text every span refers to.

    NFC; line ends unified; zero-width characters, soft hyphens, control characters and the ``*`` of
    Markdown-style emphasis removed; a gap of three or more spaces (two columns side by side in text
    taken from a PDF) becomes a tab, like the cells of a table; other runs of spaces become one space;
    lines are stripped and more than one blank line becomes one.

    >>> normalize_text("Số: 31 /KH-SGTVT      Lam Sơn, ngày 10\\r\\n\\r\\n\\r\\n*Văn phòng Sở*:")
    'Số: 31 /KH-SGTVT\\tLam Sơn, ngày 10\\n\\nVăn phòng Sở:'
    """
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_ZERO_WIDTH).translate(_SPACES)
    text = _CONTROL.sub("", text).replace("*", "")
    lines = []
    for line in text.split("\n"):
        line = _WIDE_GAP.sub("\t", line)
        line = _TAB_RUN.sub("\t", line)
        line = _RUN.sub(" ", line).strip(" \t")
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    if len(folded) == 1:
        return folded
    if not folded:
        # White space and marks alone fold to nothing; keep one character in their place.
        return " " if ch.isspace() else ch.lower()[:1] or ch
    return folded[0]


def fold_same_length(text: str) -> str:
    """Fold like :func:`pciplan.lib.text.fold` (lower case, marks off, đ → d) but one character for
    one, so offsets carry over.

    >>> fold_same_length("Đầu môi: Tinh minh bạch")
    'dau moi: tinh minh bach'
    >>> len(fold_same_length("Ủy ban\\tnhân dân")) == len("Ủy ban\\tnhân dân")
    True
    """
    return "".join(_fold_char(ch) if ord(ch) > 127 or ch.isupper() else ch for ch in text)


def clean_fragment(text: str) -> str:
    """One line of display text from a span: spaces and line breaks folded, stray punctuation trimmed.

    >>> clean_fragment(" doanh nghiệp\\ntừng sử dụng, ")
    'doanh nghiệp từng sử dụng'
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    return text.strip(" ,;:.-–—\t").strip()
