"""The catalog holds VCCI's published figures at the precision they were published."""

import math

import pytest

from pciplan.catalog.models import Edition, EditionYear, Indicator, Province, ProvinceSuccession, Result

pytestmark = pytest.mark.django_db


def test_every_published_2013_2016_total_is_reproduced_from_the_stored_scores():
    """10 × Σ wᵢ·sᵢ with the edition's weights, from the stored full-precision scores (252 province-years)."""
    edition = Edition.objects.get(code="pci-2013")
    weights = {s.code: float(s.weight) / 100 for s in edition.subindices.all()}
    assert sum(weights.values()) == pytest.approx(1.0)
    results = Result.objects.filter(year__year__in=[2013, 2014, 2015, 2016]).prefetch_related("scores__subindex")
    assert results.count() == 252
    worst = 0.0
    for result in results:
        scores = {s.subindex.code: s.score for s in result.scores.all()}
        assert set(scores) == set(weights), result
        total = 10 * sum(weights[c] * scores[c] for c in weights)
        worst = max(worst, abs(total - result.total))
    assert worst < 0.005, worst


def test_published_ranks_are_kept_as_published():
    bac_giang_2020 = Result.objects.get(year__year=2020, province__slug="bac-giang")
    khanh_hoa_2020 = Result.objects.get(year__year=2020, province__slug="khanh-hoa")
    assert bac_giang_2020.total == khanh_hoa_2020.total == pytest.approx(63.98)
    assert bac_giang_2020.rank == 27  # VCCI's rank, not a recomputed tie


def test_every_result_has_a_source():
    assert not Result.objects.filter(source_url="").exists()


def test_results_before_2013_are_marked_and_not_recomputed():
    old = Result.objects.filter(year__year__lt=2013)
    assert old.exists()
    assert all("2013" in r.methodology_note for r in old)


def test_percentages_are_on_a_0_100_scale():
    shares = Indicator.objects.filter(is_percent=True, year__year=2016)
    assert shares.exists()
    values = [v for ind in shares.prefetch_related("values") for v in ind.values.values_list("value", flat=True)]
    assert max(values) > 1.0  # not 0–1 fractions
    assert all(0 <= v <= 100 for v in values)
    use = Indicator.objects.get(year__year=2016, code="e761_use").values.get(province__slug="bac-giang").value
    assert math.isclose(use, 19.5, abs_tol=0.05)  # Bắc Giang 2016: 19.5% (data README)


def test_provinces_63_then_34_with_the_mapping():
    assert EditionYear.objects.get(year=2020).ranked_provinces.count() == 63
    assert Province.objects.filter(valid_to__isnull=True).count() == 34
    assert ProvinceSuccession.objects.filter(old__slug="bac-giang", new__slug="bac-ninh").exists()
