"""What-if and target solver on the reference plan's situation (Bắc Giang 2019 scores vs the 2020 field)."""

from __future__ import annotations

import numpy as np
import pytest

from pciplan.engine.data import SUBINDEX_CODES, load_results
from pciplan.engine.editions import load_edition
from pciplan.engine.errors import DataNotFound, EngineError, InputError
from pciplan.engine.scoring import competition_rank, round_total, total_score
from pciplan.engine.solver import default_caps, solve_target
from pciplan.engine.whatif import load_field, marginal_table, what_if

# The reference plan's 2020 targets, "2019 score + increase" (ke-hoach-pci-2020-so-khcn-bac-giang.txt)
PLAN_TARGETS = {"entry_costs": 7.61, "transparency": 7.0, "time_costs": 7.08, "informal_charges": 6.5,
                "policy_bias": 6.5, "proactivity": 7.34, "business_support": 6.5}


def test_baseline_is_the_published_2019_scores():
    r = what_if("Bắc Giang")
    assert r.before["entry_costs"] == 6.78 and r.published_total == 64.47
    assert round_total(r.total_before) == 64.48  # 64,475 recomputed from the 2-decimal scores
    assert r.total_after == r.total_before and r.rank_after == r.rank_before
    others = load_results(2020).query("province_slug != 'bac-giang'").pci.to_numpy()
    assert r.rank_before == 1 + int((others > 64.475).sum())
    assert r.n_ranked == 63
    assert any("chỉ có tổng điểm" in n for n in r.notes)  # says what the 2020 field lacks
    assert any("2019" in n and "2020" in n for n in r.notes)


def test_reference_plan_targets_reached():
    r = what_if("bac-giang", set_scores=PLAN_TARGETS)
    expected = total_score([PLAN_TARGETS.get(c, r.before[c]) for c in SUBINDEX_CODES], load_edition("pci-2013"))
    assert abs(r.total_after - expected) < 1e-9
    assert r.total_after > r.total_before and r.rank_after < r.rank_before
    t = r.table.set_index("code")
    assert abs(t.loc["entry_costs", "change"] - 0.83) < 1e-9  # 6,78 + 0,83 = 7,61
    assert abs(t.loc["transparency", "points_change"] - 10 * 0.2 * 0.15) < 1e-9
    # against the published 2020 totals of the other 62 provinces
    others = load_results(2020).query("province_slug != 'bac-giang'").pci.to_numpy()
    assert r.rank_after == int(competition_rank(np.append(others, r.total_after))[-1])


def test_add_and_names():
    a = what_if("Bac Giang", add_scores={"Gia nhập thị trường": 0.83, "Tinh minh bạch": 0.15})
    b = what_if("bac-giang", set_scores={"entry_costs": 7.61, "transparency": 7.0})
    assert abs(a.total_after - b.total_after) < 1e-9


def test_same_year_field_with_groups():
    r = what_if("Bắc Giang", base_year=2016, field_year=2016, add_scores={"labor_training": 1.0})
    # published: 58,20, rank 33, "Khá"; Bình Thuận's 58,2032 also shows as 58,20, so the tie shares rank 32
    assert r.rank_before == 32 and r.group_before == "Khá"
    assert r.rank_after < r.rank_before and r.group_after == "Tốt"
    assert not any("chỉ có tổng điểm" in n for n in r.notes)


def test_indicator_change_through_the_bounds():
    r = what_if("Bắc Giang", base_year=2016, field_year=2016,
                indicator_values={"e761_use": 45, "e761_priv": 70, "e762_continue": 75})
    assert r.after["business_support"] > r.before["business_support"]
    assert all(r.after[c] == r.before[c] for c in SUBINDEX_CODES if c != "business_support")
    assert any("cận chuẩn hóa" in n for n in r.notes)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"province": "Atlantis"}, InputError, "Không nhận ra tỉnh"),
    ({"province": "Hà Nội", "base_year": 2019}, DataNotFound, "Không có kết quả PCI năm 2019"),
    ({"province": "Bắc Giang", "base_year": 2010}, DataNotFound, "thiếu điểm chỉ số thành phần"),
    ({"province": "Bắc Giang", "set_scores": {"entry_costs": 11}}, InputError, "phải từ 1 đến 10"),
    ({"province": "Bắc Giang", "set_scores": {"hạnh phúc": 5}}, InputError, "Không có chỉ số thành phần"),
    ({"province": "Bắc Giang", "field_year": 2021}, DataNotFound, "1/63 tỉnh"),
])
def test_bad_requests_get_clear_messages(kwargs, error, message):
    with pytest.raises(error, match=message):
        what_if(**kwargs)


def test_other_weights_need_the_fields_subindices():
    e = load_edition("pci-2013").with_weights([10] * 10)
    with pytest.raises(DataNotFound, match="thiếu điểm chỉ số thành phần"):
        what_if("Bắc Giang", edition=e)
    r = what_if("Bắc Giang", base_year=2016, field_year=2016, edition=e)
    assert any("tính lại" in n for n in r.notes)


def test_field_2020_and_2016():
    f = load_field(2020)
    assert len(f.slugs) == 63 and not f.complete and f.cutoffs == ()
    f16 = load_field(2016)
    assert f16.complete and [g for g, _ in f16.cutoffs][0] == "Rất tốt"


def test_solver_reaches_rank_at_least_cost():
    r = solve_target("Bắc Giang", target_rank=10)
    assert r.status == "optimal" and r.rank_after <= 10 and r.rank_before == 23
    assert r.total_after >= r.required_total - 1e-9
    # the 10th best other total in 2020, rounded, minus half a hundredth
    others = np.sort(load_results(2020).query("province_slug != 'bac-giang'").pci.to_numpy())[::-1]
    assert abs(r.required_total - (others[9] - 0.005)) < 1e-9
    # with equal difficulty only the 20% sub-indices are worth raising
    raised = {k for k, v in r.increases.items() if v > 1e-9}
    assert raised <= {"transparency", "business_support", "labor_training"}
    assert abs(r.cost - sum(r.increases.values())) < 1e-9
    # one step less on any raised sub-index misses the target
    for code in raised:
        fewer = dict(r.scores_after)
        fewer[code] -= 0.01
        assert total_score([fewer[c] for c in SUBINDEX_CODES], load_edition("pci-2013")) < r.required_total


def test_solver_difficulty_and_caps():
    base = solve_target("Bắc Giang", target_rank=15)
    hard = solve_target("Bắc Giang", target_rank=15,
                        difficulty={"transparency": 5, "business_support": 5, "labor_training": 5})
    assert hard.cost >= base.cost - 1e-9
    caps, year = default_caps(load_edition("pci-2013"))
    assert year == 2016 and np.all(caps <= 10)
    assert np.all(np.array(base.spec.caps) >= np.array([base.table.before]).ravel() - 1e-12)


def test_solver_infeasible_and_bad_targets():
    r = solve_target("Bắc Giang", target_rank=1)
    assert r.status == "infeasible" and "Không thể đạt hạng 1/63" in r.message
    assert all(v == 0 for v in r.increases.values())
    with pytest.raises(InputError, match="phải từ 1 đến 63"):
        solve_target("Bắc Giang", target_rank=64)
    with pytest.raises(InputError, match="phải từ 1 đến 63"):
        solve_target("Bắc Giang", target_rank=0)
    with pytest.raises(InputError, match="Chưa có ngưỡng nhóm xếp hạng năm 2020"):
        solve_target("Bắc Giang", target_group="Khá")
    with pytest.raises(InputError, match="đúng một mục tiêu"):
        solve_target("Bắc Giang")


def test_solver_group_target_2016():
    r = solve_target("Bắc Giang", base_year=2016, field_year=2016, target_group="Tốt")
    assert r.status == "optimal" and r.group_after in {"Tốt", "Rất tốt"}
    already = solve_target("Bắc Giang", base_year=2016, field_year=2016, target_group="Thấp")
    assert already.status == "already_met" and already.cost == 0


def test_marginal_table():
    t = marginal_table()
    sub = t[t.kind == "subindex"].set_index("code").pci_points
    assert abs(sub["transparency"] - 0.2) < 1e-12 and abs(sub["entry_costs"] - 0.05) < 1e-12
    ind = t[t.kind == "indicator"].set_index("code")
    assert len(ind) == 111
    assert (ind.loc["e761_use", "pci_points"] > 0) and ind.loc["e761_use", "unit"] == "+1 điểm phần trăm"
    assert ind.loc["c1_2005", "pci_points"] < 0  # more days is worse
    assert ind.loc["c1_2005", "unit"] == "+1 đơn vị"
    for_bg = marginal_table(province="Bắc Giang").set_index("code")
    assert (for_bg.pci_points.abs() <= t.set_index("code").pci_points.abs() + 1e-12).all()
    with pytest.raises(EngineError):
        marginal_table(province="Atlantis")
