"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from .models import Edition, EditionYear, Result, SubIndex, SubIndexScore


def edition_list():
    return Edition.objects.prefetch_related(Prefetch("subindices", queryset=SubIndex.objects.order_by("number"))).annotate(
        n_years=Count("years", distinct=True))


def year_list():
    return EditionYear.objects.select_related("edition").annotate(n_results=Count("results", distinct=True),
                                                                  n_indicators=Count("indicators", distinct=True))


def results_table(year: EditionYear):
    """Rows of (result, {subindex_code: score}) for a year, and the year's sub-indices — three queries."""
    subindices = list(SubIndex.objects.filter(edition=year.edition_id).order_by("number"))
    results = list(
        Result.objects.filter(year=year).select_related("province")
        .prefetch_related(Prefetch("scores", queryset=SubIndexScore.objects.select_related("subindex")))
        .order_by("rank", "province__name")
    )
    rows = [(r, {s.subindex.code: s.score for s in r.scores.all()}) for r in results]
    return subindices, rows


def province_history(province_slug: str):
    """A province's published results over the years, with sub-index scores by code."""
    results = list(
        Result.objects.filter(province__slug=province_slug).select_related("year", "year__edition")
        .prefetch_related(Prefetch("scores", queryset=SubIndexScore.objects.select_related("subindex")))
        .order_by("year__year")
    )
    return [(r, {s.subindex.code: s.score for s in r.scores.all()}) for r in results]
