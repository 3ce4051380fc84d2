"""Reporting periods and due dates — pure date arithmetic, no Django.

The rules of the reference plan (Kế hoạch PCI 2020 của Sở KH&CN Bắc Giang, mục IV.2): quarterly reports
"trước ngày 05 của tháng đầu tiên của quý tiếp theo", the annual report "trước ngày 05/12 hàng năm".
"Trước ngày 05" means by the end of day 04: a report sent on the 05th is late.

Data windows follow Nghị định 09/2019/NĐ-CP (chế độ báo cáo của cơ quan hành chính nhà nước), Điều 12:
a quarter's data runs from the 15th of the month before the quarter to the 14th of its last month; a
year's from 15/12 of the previous year to 14/12.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER = "quarter"
YEAR = "year"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class PeriodSpec:
    """One reporting period as the rules define it."""

    code: str          # "2020-Q3", "2020-Y"
    kind: str          # "quarter" | "year"
    year: int
    quarter: int | None
    label: str         # "Quý III/2020", "Năm 2020"
    start: dt.date     # first day of the data window
    cutoff: dt.date    # last day of the data window (ngày chốt số liệu)
    due: dt.date       # last day a report is on time
    covers_quarter: int | None = None  # the annual report also covers the fourth quarter


def quarter_window(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Data window of a quarter (Nghị định 09/2019, Điều 12).

    >>> quarter_window(2020, 3)
    (datetime.date(2020, 6, 15), datetime.date(2020, 9, 14))
    >>> quarter_window(2020, 1)
    (datetime.date(2019, 12, 15), datetime.date(2020, 3, 14))
    """
    if quarter not in ROMAN:
        raise ValueError(f"quý phải từ 1 đến 4, không phải {quarter}")
    first_month = 3 * (quarter - 1) + 1
    start = dt.date(year - 1, 12, 15) if first_month == 1 else dt.date(year, first_month - 1, 15)
    return start, dt.date(year, first_month + 2, 14)


def year_window(year: int) -> tuple[dt.date, dt.date]:
    """Data window of a year: 15/12 of the previous year to 14/12.

    >>> year_window(2020)
    (datetime.date(2019, 12, 15), datetime.date(2020, 12, 14))
    """
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


def due_date(*, kind: str, year: int, quarter: int | None = None, before_day: int, month: int | None = None) -> dt.date:
    """The last day a report is on time, for a rule "trước ngày ``before_day``".

    A quarterly report is due before ``before_day`` of the month after the quarter (the fourth
    quarter's in January of the next year). An annual report is due before ``before_day``/``month``
    of the plan year, or of the next year when that month falls in the first half of the year
    ("trước ngày 15/01 năm sau").

    >>> due_date(kind="quarter", year=2020, quarter=3, before_day=5)
    datetime.date(2020, 10, 4)
    >>> due_date(kind="quarter", year=2020, quarter=4, before_day=5)
    datetime.date(2021, 1, 4)
    >>> due_date(kind="quarter", year=2020, quarter=1, before_day=1)
    datetime.date(2020, 3, 31)
    >>> due_date(kind="year", year=2020, before_day=5, month=12)
    datetime.date(2020, 12, 4)
    >>> due_date(kind="year", year=2020, before_day=15, month=1)
    datetime.date(2021, 1, 14)
    """
    if kind == QUARTER:
        if quarter not in ROMAN:
            raise ValueError(f"quý phải từ 1 đến 4, không phải {quarter}")
        month_after = 3 * quarter + 1
        due_year = year + (month_after - 1) // 12
        due_month = (month_after - 1) % 12 + 1
        return dt.date(due_year, due_month, before_day) - ONE_DAY
    if kind == YEAR:
        if month is None:
            raise ValueError("báo cáo năm cần tháng của hạn gửi")
        due_year = year + 1 if month <= 6 else year
        return dt.date(due_year, month, before_day) - ONE_DAY
    raise ValueError(f"loại kỳ không hợp lệ: {kind}")


def days_late(sent_on: dt.date, due: dt.date) -> int:
    """Days after the due date (0 when on time).

    >>> days_late(dt.date(2020, 10, 4), dt.date(2020, 10, 4)), days_late(dt.date(2020, 10, 5), dt.date(2020, 10, 4))
    (0, 1)
    """
    return max(0, (sent_on - due).days)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def periods_for(*, year: int, quarters, annual: bool, quarter_due_day: int, annual_due_month: int,
                annual_due_day: int, plan_start: dt.date | None = None) -> list[PeriodSpec]:
    """The periods a reporting rule defines for a plan year, in order of due date.

    A plan issued during the year starts with the quarter it is issued in: a plan of August has no
    first- or second-quarter report. When the rule has an annual report but no fourth-quarter one, the
    annual report covers the fourth quarter.

    >>> [p.code for p in periods_for(year=2020, quarters=[1, 2, 3], annual=True, quarter_due_day=5,
    ...                               annual_due_month=12, annual_due_day=5, plan_start=dt.date(2020, 8, 1))]
    ['2020-Q3', '2020-Y']
    """
    first_quarter = 1
    if plan_start is not None and plan_start.year == year:
        first_quarter = quarter_of(plan_start)
    elif plan_start is not None and plan_start.year > year:
        return []
    out: list[PeriodSpec] = []
    wanted = sorted({int(q) for q in quarters or []})
    for q in wanted:
        if q not in ROMAN:
            raise ValueError(f"quý phải từ 1 đến 4, không phải {q}")
        if q < first_quarter:
            continue
        start, cutoff = quarter_window(year, q)
        if plan_start is not None and plan_start > start:
            start = plan_start
        out.append(PeriodSpec(code=f"{year}-Q{q}", kind=QUARTER, year=year, quarter=q, label=f"Quý {ROMAN[q]}/{year}",
                              start=start, cutoff=cutoff,
                              due=due_date(kind=QUARTER, year=year, quarter=q, before_day=quarter_due_day)))
    if annual:
        start, cutoff = year_window(year)
        if plan_start is not None and plan_start > start:
            start = plan_start
        out.append(PeriodSpec(code=f"{year}-Y", kind=YEAR, year=year, quarter=None, label=f"Năm {year}",
                              start=start, cutoff=cutoff,
                              due=due_date(kind=YEAR, year=year, before_day=annual_due_day, month=annual_due_month),
                              covers_quarter=None if 4 in wanted else 4))
    return sorted(out, key=lambda p: (p.due, p.code))
