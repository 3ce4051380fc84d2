"""Vietnamese numbers: decimal comma, thousands dot (7,61 · 1.234,5 · 85,5%)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$|^[+-]?\d+(\.\d+)?$|^[+-]?\d+,\d+$")


class NumberFormatError(ValueError):
    """Raised when a text is not a number in a form a Vietnamese user would type."""


def format_number(value, decimals: int = 2, *, thousands: bool = True, strip: bool = False) -> str:
    """Format a number the Vietnamese way.

    >>> format_number(7.61)
    '7,61'
    >>> format_number(1234.5, 1)
    '1.234,5'
    >>> format_number(7.0, 2, strip=True)
    '7'
    >>> format_number(None)
    '—'
    """
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    text = f"{number:,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", "-0.00"} or re.fullmatch(r"-0\.0*", text):
        text = text[1:]
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", "." if thousands else "")
    return f"{integer},{fraction}" if fraction else integer


def format_signed(value, decimals: int = 2) -> str:
    """Format with an explicit sign: ``+0,83``, ``-0,03``.

    >>> format_signed(0.83)
    '+0,83'
    >>> format_signed(-0.034)
    '-0,03'
    """
    if value is None:
        return "—"
    text = format_number(value, decimals)
    return text if text.startswith("-") or float(value) == 0 else f"+{text}"


def format_percent(value, decimals: int = 1) -> str:
    """A value on the 0–100 scale as a percentage: ``85,5%``.

    >>> format_percent(85.5)
    '85,5%'
    """
    return "—" if value is None else f"{format_number(value, decimals, strip=False)}%"


def parse_decimal(text) -> Decimal:
    """Parse a number typed as ``7,61``, ``7.61``, ``1.234,5`` or ``1234.5``.

    A single dot followed by exactly three digits is read as a decimal point when the text has no comma
    (``7.610`` → 7.610): scores and weights are far more common here than thousands.

    >>> parse_decimal("7,61")
    Decimal('7.61')
    >>> parse_decimal("7.61")
    Decimal('7.61')
    >>> parse_decimal("1.234,5")
    Decimal('1234.5')
    >>> parse_decimal(" 45 % ")
    Decimal('45')
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int | float):
        if isinstance(text, float) and not math.isfinite(text):
            raise NumberFormatError("không phải là số hữu hạn")
        return Decimal(str(text))
    raw = str(text or "").strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not raw:
        raise NumberFormatError("chưa nhập số")
    if "," in raw:
        if not re.fullmatch(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", raw):
            raise NumberFormatError(f"“{text}” không phải là số (ví dụ đúng: 7,61)")
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") > 1:
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", raw):
            raise NumberFormatError(f"“{text}” không phải là số (ví dụ đúng: 7,61)")
        raw = raw.replace(".", "")
    elif not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        raise NumberFormatError(f"“{text}” không phải là số (ví dụ đúng: 7,61)")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise NumberFormatError(f"“{text}” không phải là số (ví dụ đúng: 7,61)")


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round the way published tables do (half away from zero), at one named place.

    >>> round_half_up(6.785)
    6.79
    >>> round_half_up(-0.125)
    -0.13
    """
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(q, rounding="ROUND_HALF_UP"))
