"""Text widths in Times New Roman, to size rules and pick font sizes without a renderer.

The widths come from ``data/tnr_metrics.json`` (Liberation Serif, metric-compatible with Times New
Roman; regenerate with ``_build_metrics``). A character outside the table is measured as its base
letter (NFD without marks), else as a digit.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

MM_PER_PT = 25.4 / 72


@cache
def _table() -> tuple[int, dict[str, dict[str, int]]]:
    raw = json.loads(resources.files(__package__).joinpath("data/tnr_metrics.json").read_text("utf-8"))
    chars = raw["chars"]
    styles = {style: dict(zip(chars, widths, strict=True)) for style, widths in raw["widths"].items()}
    return raw["units_per_em"], styles


def _style(bold: bool, italic: bool) -> str:
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic",
            (True, True): "bolditalic"}[(bold, italic)]


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` set on one line in Times New Roman, in millimetres.

    Parameters
    ----------
    text : str
        The text (Vietnamese letters included).
    size_pt : float
        Font size in points.
    bold, italic : bool
        Font style.

    Returns
    -------
    float
        The sum of the advance widths, in mm (no kerning, as Word sets it by default).

    Examples
    --------
    >>> round(text_width_mm("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True))
    96
    """
    units, styles = _table()
    widths = styles[_style(bold, italic)]
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        width = widths.get(ch)
        if width is None:
            base = unicodedata.normalize("NFD", ch)[:1]
            width = widths.get(base, widths["0"])
        total += width
    return total / units * size_pt * MM_PER_PT
