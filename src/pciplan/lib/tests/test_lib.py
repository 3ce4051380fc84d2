import datetime as dt
import doctest
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pciplan.lib import dates, numbers, text


@pytest.mark.parametrize("module", [dates, numbers, text])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "raw, expected",
    [("7,61", "7.61"), ("7.61", "7.61"), ("1.234,5", "1234.5"), ("1.234.567", "1234567"), ("45%", "45"),
     ("-0,03", "-0.03"), (" 6,5 ", "6.5"), ("100", "100")],
)
def test_parse_decimal_accepts_both_separators(raw, expected):
    assert numbers.parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["", "abc", "7,6,1", "1,2.3", "7..6", "--1", "1.23.4"])
def test_parse_decimal_refuses_garbage_with_vietnamese_message(raw):
    with pytest.raises(numbers.NumberFormatError) as exc:
        numbers.parse_decimal(raw)
    assert "số" in str(exc.value)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value):
    assert numbers.parse_decimal(numbers.format_number(value, 2)) == value.quantize(Decimal("0.01"))


def test_format_number_is_vietnamese():
    assert numbers.format_number(7.61) == "7,61"
    assert numbers.format_number(1250000, 0) == "1.250.000"
    assert numbers.format_percent(85.5) == "85,5%"
    assert numbers.format_signed(0.83) == "+0,83"
    assert numbers.format_number(2026, 0, thousands=False) == "2026"


def test_round_half_up_at_two_decimals():
    assert numbers.round_half_up(63.985) == 63.99
    assert numbers.round_half_up(6.775) == 6.78


def test_document_date_padding_rules():
    assert dates.format_document_date("Bắc Giang", 2021, 1, 5) == "Bắc Giang, ngày 05 tháng 01 năm 2021"
    assert dates.format_document_date("Bắc Giang", 2020, 6, 29) == "Bắc Giang, ngày 29 tháng 6 năm 2020"
    assert dates.format_document_date("Bắc Giang", 2020, 2, 10) == "Bắc Giang, ngày 10 tháng 02 năm 2020"


def test_day_first_dates():
    assert dates.parse_date("05/02/2025") == dt.date(2025, 2, 5)
    assert dates.format_date(dt.date(2020, 8, 15)) == "15/8/2020"
    assert dates.end_of_month(2020, 9) == dt.date(2020, 9, 30)
    assert dates.quarter_label(2020, 4) == "Quý IV/2020"


def test_fold_handles_vietnamese_capitals_and_d():
    assert text.fold("ĐỒNG THÁP") == "dong thap"
    assert text.fold("Tính minh bạch") == text.fold("Tinh minh bach")
    assert text.fold_key("TP. Hồ Chí Minh") == "tp ho chi minh"
