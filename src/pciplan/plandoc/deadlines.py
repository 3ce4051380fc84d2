"""Deadlines and recurrences: "trước ngày 15/8/2020", "trong tháng 9/2020", "hàng quý (trước ngày 05 của
tháng đầu tiên của quý tiếp theo)", "trước ngày 05/12 hàng năm"."""

from __future__ import annotations

import datetime as dt
import re

from pciplan.lib.dates import end_of_month

from .model import Deadline
from .textnorm import clean_fragment

_D = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?(?![\d/])"
_DW = r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?"
_BEFORE = r"(?:truoc|cham nhat(?:\s+(?:la|vao|den))?|khong muon hon|khong cham hon|han cuoi(?:\s+la)?)\s+"
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

P_BEFORE = re.compile(rf"{_BEFORE}(?:ngay\s+)?(?:{_D}|{_DW})")
P_QUARTER_REL = re.compile(
    r"truoc\s+ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+(dau tien|dau|cuoi cung|cuoi|thu nhat|thu hai|thu ba|giua)"
    r"\s+(?:cua\s+)?quy(?:\s+(tiep theo|sau|ke tiep|tiep|lien ke|lien sau))?"
)
P_MONTHLY = re.compile(r"truoc\s+ngay\s+(\d{1,2})\s+(?:hang|moi)\s+thang")
P_MONTH = re.compile(
    r"(?:(?:hoan thanh|xong|thuc hien)\s+)?(trong|truoc het|het|cuoi|truoc|vao)\s+thang\s+(\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(\d{4})"
)
P_MONTH_BARE = re.compile(
    r"(?:hoan thanh|xong|thoi gian(?:\s+thuc hien|\s+hoan thanh)?\s*:?)\s+thang\s+(\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(\d{4})"
)
P_QUARTER = re.compile(
    r"(?:(?:(?:hoan thanh|xong|thuc hien)\s+)?(?:trong|het|cuoi|truoc het|vao)|"
    r"(?:hoan thanh|xong)|thoi gian(?:\s+thuc hien|\s+hoan thanh)?\s*:)\s+quy\s+(iv|i{1,3}|[1-4])\s*(?:/|-|\s+nam\s+)\s*(\d{4})"
)
P_YEAR = re.compile(r"(?:hoan thanh|xong)\s+(?:trong\s+)?nam\s+(\d{4})")
P_ON = re.compile(rf"(?:vao|to chuc vao|dien ra vao|thoi gian(?:\s+to chuc|\s+thuc hien)?\s*:)\s*(?:ngay\s+)?(?:{_D}|{_DW})")

_RECUR_WORDS = (
    (re.compile(r"(?:hang|moi|dinh ky)\s+nam|bao cao nam|nam\s+(?=\(truoc)"), "yearly"),
    (re.compile(r"(?:hang|moi|dinh ky)\s+quy|bao cao quy"), "quarterly"),
    (re.compile(r"(?:hang|moi)\s+thang"), "monthly"),
    (re.compile(r"(?:6|sau)\s+thang(?:\s+dau nam)?|nua nam"), "half_yearly"),
)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _recurrence_near(folded: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """The recurrence word nearest to a date without a year (within the paragraph bounds lo…hi)."""
    after = folded[end:min(hi, end + 20)]
    for pattern, name in _RECUR_WORDS:
        if pattern.match(after.lstrip(" )")):
            return name
    before = folded[max(lo, start - 60):start]
    best, best_pos = None, -1
    for pattern, name in _RECUR_WORDS:
        for m in pattern.finditer(before):
            if m.start() > best_pos:
                best, best_pos = name, m.start()
    return best


def _first_quarterly(anchor: dt.date, day: int, which: str, nxt: bool) -> dt.date | None:
    offsets = {"dau tien": 0, "dau": 0, "thu nhat": 0, "giua": 1, "thu hai": 1, "thu ba": 2, "cuoi": 2, "cuoi cung": 2}
    offset = offsets.get(which, 0) + (3 if nxt else 0)
    year, quarter = anchor.year, (anchor.month - 1) // 3
    for _ in range(8):
        month0 = quarter * 3 + offset
        due = _safe_date(year + month0 // 12, month0 % 12 + 1, day)
        if due and due >= anchor:
            return due
        quarter += 1
        if quarter == 4:
            quarter, year = 0, year + 1
    return None


def _roll(anchor: dt.date | None, month: int, day: int, year: int | None, recurrence: str | None) -> dt.date | None:
    if year is not None:
        return _safe_date(year, month, day)
    if anchor is None:
        return None
    due = _safe_date(anchor.year, month, day)
    if due is None:
        return None
    if recurrence and due < anchor:
        return _safe_date(anchor.year + 1, month, day)
    return due


def find_deadlines(text: str, folded: str, bounds: list[tuple[int, int]], anchor: dt.date | None,
                   exclude: list[tuple[int, int]] = ()) -> list[Deadline]:
    """Every dated deadline in the given passages (``bounds``), in text order.

    ``anchor`` is the plan's date (or 1 January of its year): recurring duties get the first
    occurrence on or after it, and a date written without a year takes the anchor's year.
    """
    found: list[Deadline] = []

    def add(start: int, end: int, date: dt.date | None, qualifier: str, recurrence: str | None = None,
            rule: str | None = None) -> None:
        if date is None:
            return
        if any(s <= start < e for s, e in exclude):
            return
        found.append(Deadline(clean_fragment(text[start:end]), date, qualifier, recurrence, rule,
                              span=(start, end), spans={"date": (start, end)}))

    for lo, hi in bounds:
        segment = folded[lo:hi]
        for m in P_QUARTER_REL.finditer(segment):
            day, which, nxt = int(m.group(1)), m.group(2), bool(m.group(3))
            date = _first_quarterly(anchor, day, which, nxt) if anchor else None
            rule = f"day {day} of the {'first' if which in ('dau tien', 'dau', 'thu nhat') else 'last' if which.startswith('cuoi') else 'second' if which in ('giua', 'thu hai') else 'third'} month of the {'next' if nxt else 'same'} quarter"
            add(lo + m.start(), lo + m.end(), date, "before", "quarterly", rule)
        for m in P_MONTHLY.finditer(segment):
            day = int(m.group(1))
            date = None
            if anchor:
                date = _safe_date(anchor.year, anchor.month, day)
                if date and date < anchor:
                    nm = anchor.month % 12 + 1
                    date = _safe_date(anchor.year + (anchor.month == 12), nm, day)
            add(lo + m.start(), lo + m.end(), date, "before", "monthly", f"day {day} of every month")
        for m in P_BEFORE.finditer(segment):
            g = m.groups()
            day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            day, month = int(day), int(month)
            year_i = int(year) if year else None
            s, e = lo + m.start(), lo + m.end()
            recurrence = _recurrence_near(folded, s, e, lo, hi) if year_i is None else None
            if year_i is not None and re.match(r"\s*\)?\s*(?:hang|moi)\s+nam", folded[e:e + 14]):
                recurrence = "yearly"
            date = _roll(anchor, month, day, year_i, recurrence)
            rule = f"{day:02d}/{month:02d} every year" if recurrence == "yearly" else None
            add(s, e, date, "before", recurrence, rule)
        for m in P_MONTH.finditer(segment):
            word, month, year = m.group(1), int(m.group(2)), int(m.group(3))
            if not 1 <= month <= 12:
                continue
            if word == "truoc":
                add(lo + m.start(), lo + m.end(), _safe_date(year, month, 1), "before")
            elif word == "vao" and not re.match(r"(?:hoan thanh|xong|thuc hien)", segment[m.start():]):
                continue
            else:
                add(lo + m.start(), lo + m.end(), end_of_month(year, month), "by_end_of_month")
        for m in P_MONTH_BARE.finditer(segment):
            month, year = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                add(lo + m.start(), lo + m.end(), end_of_month(year, month), "by_end_of_month")
        for m in P_QUARTER.finditer(segment):
            quarter, year = _ROMAN_Q[m.group(1)], int(m.group(2))
            add(lo + m.start(), lo + m.end(), end_of_month(year, quarter * 3), "by_end_of_month")
        for m in P_YEAR.finditer(segment):
            add(lo + m.start(), lo + m.end(), dt.date(int(m.group(1)), 12, 31), "by_end_of_month")
        for m in P_ON.finditer(segment):
            g = m.groups()
            day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
            if year is None:
                continue
            add(lo + m.start(), lo + m.end(), _safe_date(int(year), int(month), int(day)), "on")
    # One deadline per place in the text: where two patterns overlap keep the longer match.
    found.sort(key=lambda d: (d.span[0], -(d.span[1] - d.span[0])))
    kept: list[Deadline] = []
    for d in found:
        if kept and d.span[0] < kept[-1].span[1]:
            if (d.span[1] - d.span[0]) > (kept[-1].span[1] - kept[-1].span[0]):
                kept[-1] = d
            continue
        kept.append(d)
    return kept
