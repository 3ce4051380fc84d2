"""Vietnamese dates and reporting periods."""

from __future__ import annotations

import calendar
import datetime as dt
import re

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def format_date(value: dt.date | None) -> str:
    """Short form for tables and forms: ``15/8/2020``.

    >>> format_date(dt.date(2020, 8, 5))
    '5/8/2020'
    """
    if value is None:
        return "—"
    return f"{value.day}/{value.month}/{value.year}"


def format_date_padded(value: dt.date | None) -> str:
    """``05/08/2020`` — the dd/mm/yyyy form for inputs.

    >>> format_date_padded(dt.date(2020, 8, 5))
    '05/08/2020'
    """
    return "" if value is None else value.strftime("%d/%m/%Y")


def format_date_long(value: dt.date | None, *, day: int | None | bool = True, month: int | None = None,
                     year: int | None = None) -> str:
    """Formal text: ``ngày 15 tháng 8 năm 2020``.

    >>> format_date_long(dt.date(2020, 8, 15))
    'ngày 15 tháng 8 năm 2020'
    """
    if value is None:
        return ""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


def format_document_date(place: str, year: int, month: int | None = None, day: int | None = None) -> str:
    """The place-and-date line of an administrative document (Nghị định 30/2020).

    Day below 10 and months 1–2 are padded; an unknown day or month leaves a blank for the clerk.

    >>> format_document_date("Bắc Giang", 2021, 1, 5)
    'Bắc Giang, ngày 05 tháng 01 năm 2021'
    >>> format_document_date("Bắc Giang", 2020, 6, 29)
    'Bắc Giang, ngày 29 tháng 6 năm 2020'
    >>> format_document_date("Bắc Giang", 2020, 8)
    'Bắc Giang, ngày      tháng 8 năm 2020'
    """
    day_text = f"{day:02d}" if day else "    "
    if month is None:
        month_text = "    "
    else:
        month_text = f"{month:02d}" if month <= 2 else str(month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {year}"


def parse_date(text: str) -> dt.date:
    """Parse a day-first date: ``15/8/2020``, ``05-02-2025``, or ISO ``2020-08-15``.

    >>> parse_date("05/02/2025")
    datetime.date(2025, 2, 5)
    """
    raw = (text or "").strip()
    match = _DATE.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(raw)


def end_of_month(year: int, month: int) -> dt.date:
    """Last day of a month: "trong tháng 9/2020" means by 30/9/2020.

    >>> end_of_month(2020, 2)
    datetime.date(2020, 2, 29)
    """
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_label(year: int, quarter: int) -> str:
    """``Quý III/2020``.

    >>> quarter_label(2020, 3)
    'Quý III/2020'
    """
    return f"Quý {ROMAN[quarter]}/{year}"


def quarter_of(value: dt.date) -> int:
    """The quarter (1–4) a day falls in.

    >>> quarter_of(dt.date(2020, 8, 15))
    3
    """
    return (value.month - 1) // 3 + 1
