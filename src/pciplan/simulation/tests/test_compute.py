"""The adapter between the catalog and the engine, and the arithmetic behind the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from pciplan.engine.solver import solve_target
from pciplan.engine.whatif import load_field
from pciplan.orgs.access import Scope
from pciplan.simulation import compute, selectors, setup


@pytest.fixture
def demo_setup(personas, demo_plan):
    return setup.resolve(Scope(personas["coordinator"]), {}, plan=None, plan_given=False)


@pytest.mark.parametrize("year", [2016, 2020])
def test_field_from_catalog_matches_the_shipped_field(db, year):
    statuses = selectors.year_statuses()
    spec = selectors.edition_spec(statuses[year].edition_id)
    ours, shipped = selectors.field_from_catalog(statuses[year], spec), load_field(year)
    assert spec.codes == shipped.edition.codes and np.allclose(spec.weights, shipped.edition.weights)
    order = [ours.slugs.index(s) for s in shipped.slugs]
    assert np.allclose(ours.totals[order], shipped.totals)
    assert np.array_equal(ours.published_ranks[order], shipped.published_ranks)
    assert np.allclose(ours.subscores[order], shipped.subscores, equal_nan=True)
    assert ours.note == shipped.note and ours.complete == shipped.complete
    assert [g for g, _ in ours.cutoffs] == [g for g, _ in shipped.cutoffs]
    assert [m for _, m in ours.cutoffs[:-1]] == pytest.approx([m for _, m in shipped.cutoffs[:-1]])


def test_year_statuses(db):
    statuses = selectors.year_statuses()
    assert [y for y, s in sorted(statuses.items()) if s.full_field] == [2013, 2014, 2015, 2016, 2020]
    assert [y for y, s in sorted(statuses.items()) if s.full_scores] == [2013, 2014, 2015, 2016]
    assert statuses[2020].n_totals == 63 and statuses[2020].n_cutoffs == 0


def test_default_setup_follows_the_plan(demo_setup, demo_plan):
    s = demo_setup
    assert (s.plan.pk, s.province_slug, s.base_year, s.field_year) == (demo_plan.pk, "bac-giang", 2019, 2020)
    assert s.reference.year == 2016 and s.n_others == 62
    assert s.default_scores()["entry_costs"] == 7.61 and s.default_scores()["land_access"] == 6.84
    assert s.targets.rank == 30 and s.targets.group == "Khá"


def test_solver_agrees_with_the_engine_on_shipped_data(demo_setup):
    """Same data, same answer: the catalog adapter adds nothing to the engine's arithmetic."""
    for rank in (2, 5, 10, 30):
        ours = compute.solve(demo_setup, rank=rank)
        engine = solve_target("bac-giang", target_rank=rank, base_year=2019, field_year=2020)
        assert ours.status == engine.status
        assert np.allclose([r.increase for r in ours.rows], list(engine.increases.values()))
        if ours.reached:
            outcome = compute.what_if(demo_setup, ours.scores_after)
            assert outcome.rank_after <= rank
    assert compute.solve(demo_setup, rank=1).status == "infeasible"


def test_solver_never_exceeds_caps(demo_setup):
    answer = compute.solve(demo_setup, rank=2)
    assert answer.status == "optimal"
    for r in answer.rows:
        assert r.after <= r.cap + 1e-9 and r.cap <= 10
    assert max(r.cap for r in answer.rows) == pytest.approx(9.2832, abs=1e-3)  # entry costs, best of 2016


@dataclass
class FakeEstimate:
    value: float
    low: float
    high: float
    n: int = 200
    confidence: float = 0.95
    is_synthetic: bool = False
    source: str = "Khảo sát thật (thử)"
    date: dt.date = dt.date(2020, 11, 19)


def _targets(demo_setup):
    return {t.indicator_code: t for t in demo_setup.targets.indicators}


def test_survey_effect_through_the_bounds(demo_setup):
    """e761_use: 19,5% (2016) → 48,4%: 1 + 9·(x − L)/(U − L) with the engine's bounds, times the weight."""
    from pciplan.engine.whatif import indicator_model

    model = indicator_model()
    row = model.table.set_index("code").loc["e761_use"]
    old = float(model.values.loc["bac-giang", "e761_use"])
    target = _targets(demo_setup)["e761_use"]
    est = FakeEstimate(48.4, 41.3, 55.5, is_synthetic=True)
    [effect] = [e for e in compute.survey_effects(demo_setup, {target.pk: est}) if e.target.pk == target.pk]
    expected_sub = float(row.weight) * 9 * (48.4 - old) / (row.upper_bound - row.lower_bound)
    assert effect.est_sub[0] == pytest.approx(expected_sub)
    assert effect.est_pci[0] == pytest.approx(10 * 0.20 * expected_sub)
    assert effect.est_sub[1] < effect.est_sub[0] < effect.est_sub[2]
    assert effect.probability is None  # synthetic data: no probability


def test_probability_only_from_real_survey_data(demo_setup):
    target = _targets(demo_setup)["e761_use"]  # > 45%
    real = FakeEstimate(48.4, 41.3, 55.5)
    [effect] = [e for e in compute.survey_effects(demo_setup, {target.pk: real}) if e.target.pk == target.pk]
    # Normal approximation: se = (55,5 − 41,3) / (2 · 1,96); P(p > 45) = Φ((48,4 − 45) / se) ≈ 0,83.
    assert effect.probability == pytest.approx(0.8264, abs=0.002)
    basis = compute.data_basis(demo_setup, [effect], compute.marginal(demo_setup))
    assert any(b.what == "Xác suất" and b.kind == "estimate" for b in basis)
    fake = FakeEstimate(48.4, 41.3, 55.5, is_synthetic=True)
    [effect] = [e for e in compute.survey_effects(demo_setup, {target.pk: fake}) if e.target.pk == target.pk]
    basis = compute.data_basis(demo_setup, [effect], compute.marginal(demo_setup))
    assert any(b.kind == "synthetic" and "Chưa có dữ liệu khảo sát thật" in b.text for b in basis)
    assert not any(b.what == "Xác suất" for b in basis)


def test_capped_indicator_adds_nothing_beyond_its_bound(demo_setup):
    target = _targets(demo_setup)["e762_continue"]  # > 75%, above the 70,6% benchmark
    est = FakeEstimate(86.2, 77.4, 91.9, is_synthetic=True)
    [effect] = [e for e in compute.survey_effects(demo_setup, {target.pk: est}) if e.target.pk == target.pk]
    assert effect.capped
    assert effect.est_sub[0] == pytest.approx(effect.est_sub[1]) == pytest.approx(effect.target_sub)


def test_marginal_table(demo_setup):
    m = compute.marginal(demo_setup, {"e761_use"})
    points = {d["code"]: d["points"] for d in m.subindices}
    assert points["transparency"] == pytest.approx(0.2) and points["entry_costs"] == pytest.approx(0.05)
    assert m.indicators[0]["in_plan"] and m.indicators[0]["code"] == "e761_use"
    assert m.bounds_year == 2016 and len(m.indicators) > 100


def test_estimated_scores_move_the_starting_year(demo_setup):
    ts = _targets(demo_setup)
    ests = {ts["e761_use"].pk: FakeEstimate(48.4, 41.3, 55.5, is_synthetic=True)}
    effects = compute.survey_effects(demo_setup, ests)
    moved = compute.estimated_scores(demo_setup, effects)
    base = float(demo_setup.base[demo_setup.codes.index("business_support")])
    assert set(moved) == {"business_support"} and moved["business_support"] > base


def test_probability_formula_edges():
    assert compute._probability_beyond(SimpleNamespace(value=None, low=None, high=None, confidence=0.95), 45, ">") is None
    est = SimpleNamespace(value=45.0, low=40.0, high=50.0, confidence=0.95)
    assert compute._probability_beyond(est, 45, ">") == pytest.approx(0.5)
    assert compute._probability_beyond(est, 45, "<") == pytest.approx(0.5)
