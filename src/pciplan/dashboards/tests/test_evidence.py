"""The reference plan's target statuses from the database, on the demo day and after PCI 2020 was published.

Published figures: Bắc Giang's PCI 2019 and 2020 results as shipped in the catalog (VCCI, pcivietnam.vn).
"""

from __future__ import annotations

import datetime as dt

import pytest

from pciplan.dashboards.status import Basis, Status

from .conftest import AFTER_PUBLICATION, DEMO_DAY

pytestmark = pytest.mark.django_db

SIX_WITHOUT_DATED_TASKS = ("si-entry_costs", "si-transparency", "si-time_costs", "si-informal_charges",
                           "si-policy_bias", "si-proactivity")


def test_demo_day_statuses(rows_by_key):
    rows = rows_by_key(DEMO_DAY)
    assert len(rows) == 12
    # The training before 15/8/2020 was never reported done: the rank and group targets' only dated task.
    assert (rows["rank-2020"].status.status, rows["rank-2020"].work.dated, rows["rank-2020"].work.overdue) == \
        (Status.AT_RISK, 1, 1)
    # Business support: the September plans (DN KH&CN, Techmart) are overdue, the August one was done on time.
    bs = rows["si-business_support"]
    assert (bs.status.status, bs.status.basis, bs.work.dated, bs.work.overdue) == (Status.AT_RISK, Basis.TASKS, 3, 2)
    for key in SIX_WITHOUT_DATED_TASKS:
        assert rows[key].status.status == Status.NO_DATA, key
        assert rows[key].work.dated == 0
    # Indicator targets: the (synthetic) 2020 survey's intervals decide.
    use, priv, cont = rows["ind-e761_use"], rows["ind-e761_priv"], rows["ind-e762_continue"]
    assert {use.status.basis, priv.status.basis, cont.status.basis} == {Basis.ESTIMATE}
    assert use.estimate.synthetic and use.estimate.as_of <= DEMO_DAY
    for row in (use, priv, cont):
        target = float(row.target.value)
        expected = (Status.ON_TRACK if row.estimate.low > target else
                    Status.OFF_TRACK if row.estimate.high <= target else Status.AT_RISK)
        assert row.status.status == expected, row.target.key


def test_pci_2020_held_in_the_catalog_is_not_used_before_it_was_published(rows_by_key):
    rows = rows_by_key(DEMO_DAY)
    for row in rows.values():
        assert row.status.basis != Basis.PUBLISHED
        if row.published is not None:
            assert row.published.available_from == dt.date(2021, 5, 1)
    assert "chưa được công bố tại ngày 20/11/2020" in rows["si-informal_charges"].status.steps[0]


# Bắc Giang PCI 2020 as published (VCCI) against the reference plan's targets.
PUBLISHED_2020 = {
    "si-entry_costs": Status.MISSED,        # 6,99 < 7,61
    "si-transparency": Status.MISSED,       # 5,39 < 7,00
    "si-time_costs": Status.ACHIEVED,       # 8,68 ≥ 7,08
    "si-informal_charges": Status.MISSED,   # 6,47 < 6,50
    "si-policy_bias": Status.ACHIEVED,      # 7,89 ≥ 6,50
    "si-proactivity": Status.MISSED,        # 6,75 < 7,34
    "si-business_support": Status.MISSED,   # 5,82 < 6,50
    "rank-2020": Status.ACHIEVED,           # 27th ≤ 30th
}


def test_after_publication_the_published_results_decide(rows_by_key):
    rows = rows_by_key(AFTER_PUBLICATION)
    for key, expected in PUBLISHED_2020.items():
        assert rows[key].status.status == expected, key
        assert rows[key].status.basis == Basis.PUBLISHED
    assert rows["si-informal_charges"].status.summary == "PCI 2020: 6,47 — thiếu 0,03"
    assert rows["rank-2020"].status.summary == "PCI 2020: thứ 27/63 — vượt 3 bậc"


def test_publication_day_boundary(rows_by_key):
    assert rows_by_key(dt.date(2021, 4, 30))["si-time_costs"].status.basis != Basis.PUBLISHED
    assert rows_by_key(dt.date(2021, 5, 1))["si-time_costs"].status.status == Status.ACHIEVED


def test_leads_and_owners_come_with_the_rows(rows_by_key):
    rows = rows_by_key(DEMO_DAY)
    assert [o.code for o in rows["si-entry_costs"].lead] == ["bg-so-khdt"]
    assert [o.code for o in rows["si-business_support"].owners] == ["bg-so-khcn-qlcn"]
