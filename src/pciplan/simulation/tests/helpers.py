"""Helpers of the simulator's tests."""

from __future__ import annotations

import math
import re

SCORE_PREFIX = "diem_"


def rounded_key(total: float) -> int:
    """A total as VCCI ranks it: hundredths, rounded half up."""
    return math.floor(total * 100 + 0.5 + 1e-6)


def form_data(scores: dict, **extra) -> dict:
    """A POST of the page for Bắc Giang 2019 → 2020 (the demo plan's setting) with these scores."""
    data = {"tinh": "bac-giang", "nam_goc": "2019", "nam_xep_hang": "2020"}
    data.update({SCORE_PREFIX + c: str(v) for c, v in scores.items()})
    data.update(extra)
    return data


def by_testid(html: str, name: str) -> str:
    match = re.search(rf'data-testid="{name}">(.*?)</div>', html, re.S)
    assert match, f"{name} not on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def error_of(html: str, field: str) -> str:
    match = re.search(rf'<div id="err-{field}"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error slot for {field}"
    return match.group(1).strip()
