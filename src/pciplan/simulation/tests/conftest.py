"""Fixtures of the simulator's tests: the catalog's own figures, read independently of the app's code."""

from __future__ import annotations

import pytest

from .helpers import rounded_key


@pytest.fixture
def catalog_figures(db):
    """Bắc Giang's 2019 sub-index scores, the pci-2013 weights and the other provinces' 2020 totals, straight
    from the catalog tables."""
    from pciplan.catalog.models import Result, SubIndex, SubIndexScore

    weights = {s.code: float(s.weight) for s in SubIndex.objects.filter(edition__code="pci-2013")}
    base = {s.subindex.code: s.score for s in SubIndexScore.objects.filter(
        result__province__slug="bac-giang", result__year__year=2019).select_related("subindex")}
    others = list(Result.objects.filter(year__year=2020, total__isnull=False)
                  .exclude(province__slug="bac-giang").values_list("total", flat=True))
    assert len(weights) == 10 and len(base) == 10 and len(others) == 62

    def total(scores):
        return 10 * sum(weights[c] / 100 * scores[c] for c in weights)

    def rank(value):
        return 1 + sum(rounded_key(t) > rounded_key(value) for t in others)

    return {"weights": weights, "base": base, "others": others, "total": total, "rank": rank}


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")
