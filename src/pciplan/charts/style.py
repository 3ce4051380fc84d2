"""One chart style for screen and paper: palette, status styles, fonts, number formats.

The palette is the product's (green, red, amber, grey; our province in dark blue). Every status also
has a hatch and a marker so it still reads when printed in grey scale.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold_key

GREEN = "#2E7D32"
RED = "#C62828"
AMBER = "#F2A900"
GREY = "#BDBDBD"
OURS = "#1F4E79"
OTHERS = "#C5CCD6"
BASELINE = "#B0B0B0"
TARGET = "#000000"
MEDIAN = "#5F5F5F"
BEST = "#00796B"
TEXT = "#1A1A1A"
AMBER_TEXT = "#8A6100"
GREY_TEXT = "#616161"

#: Colours by name, for templates and CSS that must match the charts.
PALETTE = {
    "green": GREEN,
    "red": RED,
    "amber": AMBER,
    "grey": GREY,
    "ours": OURS,
    "others": OTHERS,
    "baseline": BASELINE,
    "target": TARGET,
    "median": MEDIAN,
    "best": BEST,
}

FONT_FAMILY = ["DejaVu Sans"]  # ships with matplotlib and covers Vietnamese

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.edgecolor": "#7A7A7A",
    "axes.linewidth": 0.6,
    "axes.labelcolor": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "text.color": TEXT,
    "hatch.linewidth": 0.8,
    "hatch.color": "#FFFFFF",
    "svg.fonttype": "path",
    "svg.hashsalt": "pciplan",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.unicode_minus": False,
    "axes.formatter.use_locale": False,
}


@dataclass(frozen=True)
class StatusStyle:
    """How a status is drawn: Vietnamese word, fill colour, hatch (grey-scale safe), marker, and a
    darker colour for text on white (contrast AA)."""

    label: str
    color: str
    hatch: str
    marker: str
    text_color: str = TEXT


_STATUSES = {
    "dat": StatusStyle("Đạt", GREEN, "", "o", GREEN),
    "chua dat": StatusStyle("Chưa đạt", RED, "////", "X", RED),
    "dung tien do": StatusStyle("Đúng tiến độ", GREEN, "", "o", GREEN),
    "co nguy co": StatusStyle("Có nguy cơ", AMBER, "xx", "D", AMBER_TEXT),
    "cham": StatusStyle("Chậm", RED, "////", "X", RED),
    "chua co du lieu": StatusStyle("Chưa có dữ liệu", GREY, "", "s", GREY_TEXT),
    "chua chac chan": StatusStyle("Chưa chắc chắn", AMBER, "xx", "D", AMBER_TEXT),
    # Task outcomes, as Vietnamese task-tracking reports count them (pciplan.plans.outcomes).
    "hoan thanh dung han": StatusStyle("Hoàn thành đúng hạn", GREEN, "", "o", GREEN),
    "hoan thanh qua han": StatusStyle("Hoàn thành quá hạn", AMBER, "xx", "D", AMBER_TEXT),
    "dang thuc hien trong han": StatusStyle("Đang thực hiện trong hạn", GREEN, "\\\\", "o", GREEN),
    "qua han chua hoan thanh": StatusStyle("Quá hạn chưa hoàn thành", RED, "////", "X", RED),
    "thuong xuyen": StatusStyle("Thường xuyên", GREY, "", "s", GREY_TEXT),
    "dinh ky": StatusStyle("Định kỳ", GREY, "--", "s", GREY_TEXT),
}
_ALIASES = {
    "met": "dat", "missed": "chua dat", "on track": "dung tien do", "at risk": "co nguy co",
    "late": "cham", "no data": "chua co du lieu", "uncertain": "chua chac chan",
}
_FALLBACK = (("#4F6D8F", ""), ("#8FA8C8", "\\\\\\\\"), ("#2F3F52", ""), ("#BFCCDD", "++"),
             ("#6C7A89", "--"), ("#D8DEE6", "||"))
# Dotted hatches ("....") make SVGs of a quarter megabyte: only line hatches are used.

MET, MISSED, ON_TRACK, AT_RISK, LATE, NO_DATA, UNCERTAIN = (
    "dat", "chua_dat", "dung_tien_do", "co_nguy_co", "cham", "chua_co_du_lieu", "chua_chac_chan")


def status_style(status: str, index: int = 0) -> StatusStyle:
    """Style of a status given as a key (``"chua_dat"``), an English alias (``"missed"``) or the
    Vietnamese word (``"Chưa đạt"``); unknown statuses get a neutral blue with a hatch by ``index``.

    Examples
    --------
    >>> status_style("Chưa đạt").hatch, status_style("dung_tien_do").label
    ('////', 'Đúng tiến độ')
    >>> status_style("Đã gửi").label
    'Đã gửi'
    """
    key = fold_key(str(status).replace("_", " "))
    key = _ALIASES.get(key, key)
    if key in _STATUSES:
        return _STATUSES[key]
    color, hatch = _FALLBACK[index % len(_FALLBACK)]
    return StatusStyle(str(status), color, hatch, "o", TEXT)


def fmt(value: float | None, decimals: int = 2) -> str:
    """A number with decimal comma; ``—`` for missing.

    Examples
    --------
    >>> fmt(63.98), fmt(None), fmt(45, 0)
    ('63,98', '—', '45')
    """
    return format_number(value, decimals)


def fmt_unit(value: float | None, unit: str = "", decimals: int = 2) -> str:
    """A number with its unit: ``63,98 điểm``, ``45,0%``.

    Examples
    --------
    >>> fmt_unit(63.98, "điểm"), fmt_unit(45, "%", 1), fmt_unit(None, "điểm")
    ('63,98 điểm', '45,0%', '—')
    """
    if value is None:
        return "—"
    text = format_number(value, decimals)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def tick_formatter(decimals: int = 2, suffix: str = ""):
    """A matplotlib formatter writing ticks with decimal comma, trailing zeros dropped."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_number(v, decimals, strip=True) + suffix)


def wrap(text: str, width: int) -> str:
    r"""Wrap a label on word boundaries into as few lines as ``width`` allows, of balanced length.

    Examples
    --------
    >>> wrap("Chi phí không chính thức", 20)
    'Chi phí không\nchính thức'
    >>> wrap("Hỗ trợ doanh nghiệp", 20)
    'Hỗ trợ doanh nghiệp'
    """
    if len(text) <= width:
        return text
    lines = textwrap.wrap(text, width=width, break_long_words=False)
    count = len(lines)
    # Narrow the width while the number of lines stays the same: the lines come out even.
    best = lines
    for narrower in range(width - 1, 0, -1):
        trial = textwrap.wrap(text, width=narrower, break_long_words=False)
        if len(trial) > count:
            break
        best = trial
    return "\n".join(best)
