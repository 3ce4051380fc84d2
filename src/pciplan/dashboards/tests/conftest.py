"""Fixtures for the dashboards: the reference plan as it stood on the demo day (20/11/2020)."""

from __future__ import annotations

import datetime as dt

import pytest

DEMO_DAY = dt.date(2020, 11, 20)
AFTER_PUBLICATION = dt.date(2021, 6, 1)


@pytest.fixture
def demo_day(settings):
    """Run on the demo's "today" (20/11/2020)."""
    settings.PCIPLAN_TODAY = DEMO_DAY
    return DEMO_DAY


@pytest.fixture
def rows_by_key(demo_plan):
    """``rows_by_key(day)`` — the reference plan's target rows on ``day``, by target key."""
    from pciplan.dashboards.evidence import target_rows

    def make(day):
        return {r.target.key: r for r in target_rows([demo_plan], day)[demo_plan.pk]}

    return make
