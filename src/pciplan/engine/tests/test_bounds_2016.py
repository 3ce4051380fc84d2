"""Rescaling bounds derived only from 2013–2015 reproduce the published 2016 sub-index scores.

The shipped 2016 bounds and weights (indicators.csv) were calibrated on 2013–2015 data only
(scripts/build_pci_data.py, docs/engine.md). Here the raw 2016 indicators of all 63 provinces go through
them and are compared with VCCI's published 2016 scores (full precision). The goal — at least 90% of
provinces within 0,05 — is asserted where it is met; elsewhere the measured figure is recorded and
asserted, so any change shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from pciplan.engine.calibrate import calibrate_benchmarks, check_bounds, predict_subindex, shipped_calibration
from pciplan.engine.data import load_indicator_values, load_indicators, load_results

GOAL = 0.90
LINEAR = ["entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "policy_bias",
          "proactivity", "legal_institutions"]
GOAL_MET = ["entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "proactivity",
            "legal_institutions"]
# Measured with the shipped bounds (docs/engine.md): share of the 63 provinces within 0,05.
RECORDED_SHARE = {"policy_bias": 11 / 63}
# Not linear in the workbook's indicators (R² < 1 even within a year): residuals recorded.
RECORDED_MAX_RESIDUAL = {"business_support": 0.1795, "labor_training": 0.3329}


@pytest.fixture(scope="module")
def check():
    return check_bounds(2016, tolerance=0.05)


@pytest.mark.parametrize("subindex", GOAL_MET)
def test_goal_met(check, subindex):
    assert check.loc[subindex, "share_within"] >= GOAL
    assert check.loc[subindex, "n"] == 63


@pytest.mark.parametrize("subindex", sorted(RECORDED_SHARE))
def test_goal_not_met_figure_recorded(check, subindex):
    assert check.loc[subindex, "share_within"] == pytest.approx(RECORDED_SHARE[subindex], abs=1e-9)
    assert check.loc[subindex, "share_within"] < GOAL


@pytest.mark.parametrize("subindex", sorted(RECORDED_MAX_RESIDUAL))
def test_business_support_and_labor_training_residuals(check, subindex):
    assert check.loc[subindex, "max_abs"] == pytest.approx(RECORDED_MAX_RESIDUAL[subindex], abs=5e-4)


def test_every_linear_subindex_is_accounted_for():
    assert sorted(GOAL_MET + list(RECORDED_SHARE)) == sorted(LINEAR)


def test_new_records_move_the_benchmarks(check):
    """VCCI's rule (benchmarks follow new records) beats clamping at the 2015 bounds."""
    fixed = check_bounds(2016, extend=False)
    assert check.loc[LINEAR, "share_within"].sum() > fixed.loc[LINEAR, "share_within"].sum()


def test_shipped_weights_and_bounds_are_well_formed():
    ind = load_indicators(2016)
    assert ind.lower_bound.notna().all() and ind.upper_bound.notna().all()
    assert (ind.upper_bound > ind.lower_bound).all()
    assert np.allclose(ind.groupby("subindex_code").weight.sum(), 1.0, atol=1e-3)
    assert set(ind.bounds_rule) <= {"benchmark", "current_year"}
    assert ind.bounds_note.str.contains("2013–2015").all()
    assert load_indicators(2015).lower_bound.isna().all()  # bounds only where calibrated


@pytest.mark.parametrize("subindex", ["informal_charges", "proactivity"])
def test_bounds_come_from_2013_2015_only(subindex):
    """Recalibrating from the shipped 2013–2015 data alone fits those years as well as the shipped set and
    predicts the published 2016 scores to the goal.

    The weights themselves are not compared: with two calibration years the fit is not identifiable (for
    informal charges, weight sets 0,19/0,24/… and 0,15/0,30/… both fit 2015 to 3·10⁻⁷), and which one the
    optimiser lands on depends on the SciPy release. What the method promises is the fit and the forecast.
    """
    ind = load_indicators(2016, subindex=subindex).sort_values("number")
    codes = list(ind.code)
    results = load_results().set_index(["year", "province_slug"])
    years, history = {}, {}
    for year in (2013, 2014, 2015):
        wide = load_indicator_values(year, wide=True).reindex(columns=codes)
        history[year] = wide.to_numpy(float)
        if year in (2014, 2015):
            years[year] = (wide.to_numpy(float), results.loc[year].loc[wide.index, subindex].to_numpy(float))
    cal = calibrate_benchmarks(years, history, direction=ind.direction.to_numpy(int), codes=codes)
    shipped = shipped_calibration(subindex)
    assert cal.calibration_years == (2014, 2015) and cal.history_start == 2013
    assert cal.weights.sum() == pytest.approx(1.0, abs=1e-3) and (cal.weights >= 0).all()
    assert cal.rules == shipped.rules
    for x, s in years.values():
        ours = np.abs(predict_subindex(x, cal, extend=False) - s).max()
        theirs = np.abs(predict_subindex(x, shipped, extend=False) - s).max()
        assert ours <= theirs + 1e-6
    x16 = load_indicator_values(2016, wide=True).reindex(columns=codes)
    s16 = results.loc[2016].loc[x16.index, subindex].to_numpy(float)
    within = np.abs(predict_subindex(x16.to_numpy(float), cal) - s16) <= 0.05
    assert within.mean() >= GOAL
