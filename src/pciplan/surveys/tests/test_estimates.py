"""Estimates from stored responses: the right denominators, statsmodels' Wilson interval, Kish's n with
weights, "chưa có dữ liệu" for no answers, segments, and the selector the plan pages call."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from statsmodels.stats.proportion import proportion_confint

from pciplan.surveys.selectors import MIN_CELL, latest_estimates_for_plan, survey_estimates

BASE = {"quy_mo": "duoi_10", "nganh": "thuong_mai_dich_vu", "huyen": "viet_yen", "so_huu": "tnhh"}


def firm(use, private=None, cont=None, **extra):
    a = {**BASE, "cn_su_dung": "co" if use else "khong", **extra}
    if private is not None:
        a["cn_nha_cung_cap"] = ["tu_nhan"] if private else ["nha_nuoc"]
    if cont is not None:
        a["cn_tiep_tuc"] = "co" if cont else "khong"
    return a


def overall(survey):
    return {v.measure.key: v for v in survey_estimates(survey)}


def test_conditional_denominators(new_survey, add_responses):
    survey = new_survey()
    rows = ([firm(True, True, True)] * 6 + [firm(True, False, True)] * 3 + [firm(True, None, False)]
            + [firm(False)] * 10)
    add_responses(survey, rows)
    views = overall(survey)
    use, priv, cont = views["e761_use"].overall, views["e761_priv"].overall, views["e762_continue"].overall
    assert (use.n, use.eligible, use.nonresponse) == (20, 20, 0)
    assert use.value == pytest.approx(50.0)
    # Ten firms used the service; one skipped the provider question. Never-users do not count at all.
    assert (priv.n, priv.eligible, priv.nonresponse) == (9, 10, 1)
    assert priv.value == pytest.approx(100 * 6 / 9)
    assert (priv.low / 100, priv.high / 100) == pytest.approx(proportion_confint(6, 9, method="wilson"))
    assert (cont.n, cont.eligible) == (10, 10) and cont.value == pytest.approx(90.0)


def test_target_verdicts_come_from_the_interval(new_survey, add_responses):
    survey = new_survey()
    # 48% used the service: above the 45% target as a point, but the interval says "not sure".
    add_responses(survey, [firm(True, True, True)] * 48 + [firm(False)] * 52)
    views = overall(survey)
    v = views["e761_use"]
    assert v.target is not None and v.target_value == 45
    assert v.overall.value == pytest.approx(48) and v.verdict.label == "chưa chắc chắn"
    assert views["e761_priv"].verdict.label == "vượt mục tiêu (chắc chắn)"  # 48/48 private > 70%


def test_no_answers_is_no_data_not_a_crash(new_survey, client_for):
    survey = new_survey()
    from pciplan.surveys.services import estimates_recompute

    estimates_recompute(survey=survey)
    views = overall(survey)
    assert views["e761_use"].overall.value is None and views["e761_use"].overall.n == 0
    assert views["e761_use"].verdict.label == "chưa có dữ liệu"
    page = client_for("unit_head").get(f"/khao-sat/{survey.pk}/")
    assert page.status_code == 200
    assert "Chưa có dữ liệu" in page.content.decode()


def test_weighted_estimate_uses_kish_effective_n(new_survey, add_responses):
    survey = new_survey()
    rows = [firm(True, True, True), firm(False), firm(True, True, True), firm(True, False, True),
            firm(False), firm(False), firm(True, True, True), firm(False)]
    weights = [3, 3, 3, 1, 1, 1, 1, 1]
    add_responses(survey, rows, weights=weights)
    use = overall(survey)["e761_use"].overall
    # by hand: Σw = 14, Σw·y = 3 + 3 + 1 + 1 = 8; n_eff = 14² / (3·9 + 5) = 6,125
    assert use.weighted and use.effective_n == pytest.approx(6.125)
    assert use.value == pytest.approx(100 * 8 / 14)
    ref = proportion_confint(8 / 14 * 6.125, 6.125, method="wilson")
    assert (use.low / 100, use.high / 100) == pytest.approx(ref)


def test_finite_population_correction_when_the_population_is_known(new_survey, add_responses):
    survey = new_survey(population_size=60)
    add_responses(survey, [firm(True, True, True)] * 15 + [firm(False)] * 15)
    use = overall(survey)["e761_use"].overall
    assert use.effective_n == pytest.approx(30 * 59 / 30)
    plain = proportion_confint(15, 30, method="wilson")
    assert use.low / 100 > plain[0] and use.high / 100 < plain[1]


def test_segments_and_small_cells_are_hidden(new_survey, add_responses):
    survey = new_survey()
    rows = [firm(True, True, True, quy_mo="duoi_10")] * 6 + [firm(False, quy_mo="10_49")] * 6
    rows += [firm(True, True, True, quy_mo="200_tro_len")] * 2
    add_responses(survey, rows)
    view = overall(survey)["e761_use"]
    size = next(g for g in view.segments if g.segment == "size")
    shown = {r.segment_label: (r.value, r.n) for r in size.rows}
    assert shown == {"Dưới 10 người": (100.0, 6), "Từ 10 đến 49 người": (0.0, 6)}
    assert size.hidden == 1  # 2 firms with 200+ staff: fewer than MIN_CELL, not shown on its own
    assert MIN_CELL == 5


def test_latest_estimates_for_plan_in_two_queries(demo_plan):
    with CaptureQueriesContext(connection) as ctx:
        estimates = latest_estimates_for_plan(demo_plan)
    assert len(ctx.captured_queries) <= 2
    by_code = {e.indicator_code: e for e in estimates.values()}
    assert set(by_code) == {"e761_use", "e761_priv", "e762_continue"}
    e = by_code["e761_use"]
    target = demo_plan.targets.get(pk=next(k for k, v in estimates.items() if v is e))
    assert target.indicator_code == "e761_use"
    assert e.is_synthetic and e.n == 186 and e.low <= e.value <= e.high
    assert e.verdict.key in {"met", "uncertain", "missed"}
    assert "MÔ PHỎNG" in e.source


def test_demo_is_idempotent_and_labelled_synthetic(db):
    from pciplan.surveys.demo import load_demo
    from pciplan.surveys.models import Instrument, Response, Survey

    before = (Instrument.objects.count(), Survey.objects.count(), Response.objects.count())
    load_demo()
    assert (Instrument.objects.count(), Survey.objects.count(), Response.objects.count()) == before
    survey = Survey.objects.get(title__startswith="Khảo sát dịch vụ liên quan tới công nghệ")
    assert survey.is_synthetic and "MÔ PHỎNG" in survey.note
    assert not survey.responses.filter(is_synthetic=False).exists()


def test_evaluation_provider_gives_information_only(demo_plan):
    from pciplan.surveys.selectors import evaluation_estimates

    out = evaluation_estimates(province_slug=demo_plan.province.slug, year=2020,
                               indicator_codes=["e761_use", "e762_continue", "a1"])
    assert set(out) == {"e761_use", "e762_continue"}
    assert "không quyết định" in out["e761_use"].note


def test_plan_pages_show_the_estimate_marked_as_a_survey_estimate(demo_plan, client_for):
    target = demo_plan.targets.get(indicator_code="e761_use")
    client = client_for("leader")
    body = client.get(f"/ke-hoach/{demo_plan.pk}/").content.decode()
    assert "Ước lượng khảo sát (tham khảo)" in body and "KTC 95%" in body and "mô phỏng" in body
    body = client.get(f"/ke-hoach/muc-tieu/{target.pk}/").content.decode()
    assert "Ước lượng từ khảo sát doanh nghiệp" in body and "không dùng để xếp loại" in body
    assert "Số liệu mô phỏng" in body and "khoảng tin cậy 95%" in body
    other = demo_plan.targets.filter(kind="subindex").first()
    assert "Ước lượng từ khảo sát" not in client.get(f"/ke-hoach/muc-tieu/{other.pk}/").content.decode()
