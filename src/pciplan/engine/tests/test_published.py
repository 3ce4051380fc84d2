"""The shipped data against VCCI's published figures: totals, ranks, groups, sources, precision."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pciplan.engine.data import (
    SUBINDEX_CODES,
    load_group_cutoffs,
    load_indicator_values,
    load_indicators,
    load_results,
    load_years,
)
from pciplan.engine.editions import edition_for_year, load_edition
from pciplan.engine.scoring import assign_group, competition_rank, rank_key, total_score

WORKBOOK_YEARS = [2013, 2014, 2015, 2016]


@pytest.fixture(scope="module")
def workbook_results():
    r = load_results()
    return r[r.year.isin(WORKBOOK_YEARS)].reset_index(drop=True)


def test_all_252_published_totals_reproduced_to_half_a_hundredth(workbook_results):
    r = workbook_results
    assert len(r) == 252 and (r.precision == "full").all()
    assert r.groupby("year").province_slug.nunique().tolist() == [63, 63, 63, 63]
    recomputed = total_score(r[list(SUBINDEX_CODES)].to_numpy(), load_edition("pci-2013"))
    gap = np.abs(recomputed - r.pci.to_numpy())
    assert gap.max() < 0.005
    assert gap.max() < 1e-4  # in fact: float32 workbook values, to about 0,00001


def test_two_decimal_scores_would_not_be_enough(workbook_results):
    """Why the workbooks matter: sub-indices rounded to 0,01 miss some totals by more than 0,005."""
    r = workbook_results
    rounded = np.round(r[list(SUBINDEX_CODES)].to_numpy(), 2)
    gap = np.abs(total_score(rounded, load_edition("pci-2013")) - r.pci.to_numpy())
    assert gap.max() > 0.005


@pytest.mark.parametrize("year", WORKBOOK_YEARS)
def test_published_ranks_reproduced_where_totals_are_not_tied(workbook_results, year):
    r = workbook_results[workbook_results.year == year]
    totals = total_score(r[list(SUBINDEX_CODES)].to_numpy(), load_edition("pci-2013"))
    ranks = competition_rank(totals)
    keys = rank_key(totals)
    tied = pd.Series(keys).duplicated(keep=False).to_numpy()
    published = r["rank"].to_numpy(dtype=int)
    assert (ranks[~tied] == published[~tied]).all()
    # a tie shares the better rank; VCCI's published order of the tied provinces is kept as published
    for key in np.unique(keys[tied]):
        group = keys == key
        assert ranks[group].min() == published[group].min()


def test_published_ranks_are_stored_as_published_including_ties():
    r = load_results(2020).set_index("province_slug")
    assert r.loc["bac-giang", "pci"] == r.loc["khanh-hoa", "pci"] == 63.98
    assert int(r.loc["bac-giang", "rank"]) == 27  # VCCI's order, not recomputed
    assert sorted(r["rank"].astype(int)) == list(range(1, 64))


def test_group_cutoffs_reproduce_every_published_tier(workbook_results):
    for year in WORKBOOK_YEARS:
        r = workbook_results[workbook_results.year == year]
        cut = load_group_cutoffs(year)
        assert cut.group.tolist() == ["Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp"]
        assert (assign_group(r.pci.to_numpy(), cut) == r.group.to_numpy()).all()
        assert (cut.min_score.dropna() > cut.next_group_max.dropna()).all()


def test_cutoffs_only_where_tiers_were_published():
    assert sorted(load_group_cutoffs().year.unique()) == WORKBOOK_YEARS


def test_bac_giang_history_and_2020_field():
    bg = load_results(province="bac-giang").set_index("year")
    assert list(bg.index) == list(range(2006, 2023))
    assert (bg.loc[WORKBOOK_YEARS, "precision"] == "full").all()
    web = bg.drop(index=WORKBOOK_YEARS)
    assert (web.precision == "2dp").all()
    assert web.loc[2019, ["entry_costs", "pci"]].tolist() == [6.78, 64.47] and int(web.loc[2019, "rank"]) == 40
    assert web.loc[list(range(2006, 2013)), "methodology_note"].str.startswith("methodology before 2013").all()
    assert web.loc[list(range(2009, 2013)), "policy_bias"].isna().all()  # not measured: blank, never guessed
    r2020 = load_results(2020)
    assert len(r2020) == 63
    others = r2020[r2020.province_slug != "bac-giang"]
    assert others[list(SUBINDEX_CODES)].isna().all().all()
    assert r2020.set_index("province_slug").loc["bac-giang", list(SUBINDEX_CODES)].notna().all()


def test_2022_total_fits_the_2022_weights():
    bg = load_results(2022, province="bac-giang").iloc[0]
    spec = edition_for_year(2022)
    assert spec.code == "pci-2022"
    assert abs(total_score(bg[list(SUBINDEX_CODES)].to_numpy(float), spec) - bg.pci) < 0.05


def test_every_row_has_a_source():
    for frame in (load_results(), load_indicators(), load_years(), load_group_cutoffs(),
                  load_indicator_values(2016)):
        assert frame.source_url.str.startswith("http").all()


def test_years_table():
    y = load_years().set_index("year")
    assert (y.loc[2013:2024, "n_ranked"] == 63).all() and y.loc[2025, "n_ranked"] == 34
    assert y.loc[2006:2012, "n_ranked"].isna().all()
    assert y.loc[2006:2012, "methodology_note"].str.startswith("methodology before 2013").all()
    assert y.loc[2023:, "published_top"].eq(30).all() and y.loc[:2022, "published_top"].isna().all()
    assert y.loc[2020, "survey_firms"] == 12295
    assert y.loc[2013:2021, "edition"].eq("pci-2013").all() and y.loc[2022:, "edition"].eq("pci-2022").all()


def test_indicator_values_are_percentages_on_0_100():
    ind = load_indicators(2016).set_index("code")
    v = load_indicator_values(2016, wide=True)
    shares = ind.index[ind.is_percent]
    assert len(shares) > 70
    assert v[shares].max().max() <= 100 and v[shares].max().max() > 1
    # Bắc Giang 2016, technology services (data README): 19,5%, 26,7%, 53,3%
    assert [round(v.loc["bac-giang", c], 1) for c in ("e761_use", "e761_priv", "e762_continue")] == [19.5, 26.7, 53.3]
    # a median in days and a 1–5 scale are not percentages
    assert not ind.loc["c1_2005", "is_percent"] and not ind.loc["b4_1_4", "is_percent"]


def test_indicator_values_cover_all_workbook_years():
    v = load_indicator_values()
    assert sorted(v.year.unique()) == WORKBOOK_YEARS
    assert v.groupby("year").province_slug.nunique().eq(63).all()
