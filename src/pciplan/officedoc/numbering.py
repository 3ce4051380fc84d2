"""Numbering of an administrative document: sections I., 1., a) and the document number.

Nghị định 30/2020/NĐ-CP, Phụ lục I: parts are numbered with Roman numerals, sections with Arabic
numerals, points with the letters of the Vietnamese alphabet followed by a closing bracket.
"""

from __future__ import annotations

#: Letters used for points a), b), … — the Vietnamese alphabet without the marked vowels.
VIETNAMESE_LETTERS = (
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
)

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Roman numeral for a part: ``I``, ``IV``, ``XII``.

    Examples
    --------
    >>> roman(4), roman(12)
    ('IV', 'XII')
    """
    if number < 1:
        raise ValueError("số La Mã phải từ 1 trở lên")
    parts = []
    for value, symbol in _ROMAN:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


def vietnamese_letter(number: int) -> str:
    """Letter of the ``number``-th point: 1 → ``a``, 5 → ``đ``, 6 → ``e``, 7 → ``g``.

    After ``y`` (23) the letters double: 24 → ``aa``.

    Examples
    --------
    >>> [vietnamese_letter(n) for n in (1, 4, 5, 6, 7, 23, 24)]
    ['a', 'd', 'đ', 'e', 'g', 'y', 'aa']
    """
    if number < 1:
        raise ValueError("thứ tự điểm phải từ 1 trở lên")
    index = number - 1
    return VIETNAMESE_LETTERS[index % 23] * (index // 23 + 1)


def heading_label(level: int, number: int) -> str:
    """The label in front of a heading of ``level`` 1, 2 or 3: ``I.``, ``1.``, ``a)``.

    Examples
    --------
    >>> heading_label(1, 2), heading_label(2, 3), heading_label(3, 5)
    ('II.', '3.', 'đ)')
    """
    if level == 1:
        return f"{roman(number)}."
    if level == 2:
        return f"{number}."
    if level == 3:
        return f"{vietnamese_letter(number)})"
    raise ValueError("cấp đề mục chỉ có 1, 2 hoặc 3")


def document_number_line(number: int | str | None, symbol: str) -> str:
    """The ``Số:`` line: numbers below 10 padded with 0; a blank number is left for the clerk.

    Examples
    --------
    >>> document_number_line(5, "KH-KHCN")
    'Số: 05/KH-KHCN'
    >>> document_number_line(None, "BC-KHCN")
    'Số:        /BC-KHCN'
    >>> document_number_line("123", "QĐ-UBND")
    'Số: 123/QĐ-UBND'
    """
    symbol = (symbol or "").strip().lstrip("/")
    if number is None or str(number).strip() == "":
        text = "Số:" + " " * 8
    elif isinstance(number, int):
        text = f"Số: {number:02d}"
    else:
        raw = str(number).strip()
        text = f"Số: {int(raw):02d}" if raw.isdigit() else f"Số: {raw}"
    return f"{text}/{symbol}" if symbol else text
