"""Due dates and data windows — pure, no database."""

import datetime as dt

import pytest

from pciplan.reports.periods import days_late, due_date, periods_for, quarter_window, year_window

D = dt.date


@pytest.mark.parametrize(("quarter", "due"), [(1, D(2020, 4, 4)), (2, D(2020, 7, 4)), (3, D(2020, 10, 4)),
                                             (4, D(2021, 1, 4))])
def test_quarter_due_is_day_04_of_the_month_after_the_quarter(quarter, due):
    # "trước ngày 05 của tháng đầu tiên của quý tiếp theo" — by the end of day 04.
    assert due_date(kind="quarter", year=2020, quarter=quarter, before_day=5) == due


def test_annual_due_before_05_12_is_04_12():
    assert due_date(kind="year", year=2020, before_day=5, month=12) == D(2020, 12, 4)


def test_year_boundary():
    assert due_date(kind="quarter", year=2020, quarter=4, before_day=5) == D(2021, 1, 4)
    assert due_date(kind="quarter", year=2020, quarter=4, before_day=1) == D(2020, 12, 31)
    # An annual report "trước ngày 15/01" is due in January of the next year.
    assert due_date(kind="year", year=2020, before_day=15, month=1) == D(2021, 1, 14)
    assert quarter_window(2021, 1) == (D(2020, 12, 15), D(2021, 3, 14))


def test_a_report_sent_on_the_05th_is_late_by_one_day():
    due = due_date(kind="quarter", year=2020, quarter=3, before_day=5)
    assert days_late(D(2020, 10, 4), due) == 0
    assert days_late(D(2020, 10, 5), due) == 1
    assert days_late(D(2020, 10, 1), due) == 0
    annual = due_date(kind="year", year=2020, before_day=5, month=12)
    assert days_late(D(2020, 12, 5), annual) == 1


def test_data_windows_follow_decree_09_2019():
    assert quarter_window(2020, 1) == (D(2019, 12, 15), D(2020, 3, 14))
    assert quarter_window(2020, 2) == (D(2020, 3, 15), D(2020, 6, 14))
    assert quarter_window(2020, 3) == (D(2020, 6, 15), D(2020, 9, 14))
    assert quarter_window(2020, 4) == (D(2020, 9, 15), D(2020, 12, 14))
    assert year_window(2020) == (D(2019, 12, 15), D(2020, 12, 14))


def test_reference_plan_issued_in_august_starts_with_the_third_quarter():
    periods = periods_for(year=2020, quarters=[1, 2, 3], annual=True, quarter_due_day=5, annual_due_month=12,
                          annual_due_day=5, plan_start=D(2020, 8, 1))
    assert [(p.code, p.label, p.due) for p in periods] == [
        ("2020-Q3", "Quý III/2020", D(2020, 10, 4)),
        ("2020-Y", "Năm 2020", D(2020, 12, 4)),
    ]
    q3, year = periods
    assert (q3.start, q3.cutoff) == (D(2020, 8, 1), D(2020, 9, 14))  # the window starts when the plan does
    assert (year.start, year.cutoff) == (D(2020, 8, 1), D(2020, 12, 14))
    assert year.covers_quarter == 4


def test_every_period_of_a_whole_year_plan():
    periods = periods_for(year=2021, quarters=[1, 2, 3, 4], annual=True, quarter_due_day=5, annual_due_month=12,
                          annual_due_day=5, plan_start=D(2021, 1, 1))
    assert [(p.code, p.due) for p in periods] == [
        ("2021-Q1", D(2021, 4, 4)), ("2021-Q2", D(2021, 7, 4)), ("2021-Q3", D(2021, 10, 4)),
        ("2021-Y", D(2021, 12, 4)), ("2021-Q4", D(2022, 1, 4))]
    assert next(p for p in periods if p.code == "2021-Y").covers_quarter is None


def test_bad_quarter_is_refused():
    with pytest.raises(ValueError):
        due_date(kind="quarter", year=2020, quarter=5, before_day=5)
    with pytest.raises(ValueError):
        periods_for(year=2020, quarters=[0], annual=False, quarter_due_day=5, annual_due_month=12, annual_due_day=5)
