"""Trend and peer figures of a province: its total and rank over the years, each sub-index against the
national median and the best province (for the years whose shipped data hold every province's scores), and
where it gained or lost most on the previous year.

Only years whose results are published on the day count (:func:`.evidence.publication_date`). Five queries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from pciplan.catalog.models import EditionYear, Province, Result, SubIndex, SubIndexScore
from pciplan.plans.models import Plan, PlanStatus, TargetKind

from .evidence import publication_date

#: A year is a "peer year" when the data hold sub-index scores for at least this share of its ranked provinces.
PEER_COVERAGE = 0.9


@dataclass
class YearPoint:
    year: int
    total: float | None
    rank: int | None
    of: int | None
    group: str
    source: str
    edition: str
    scores: dict[str, float] = field(default_factory=dict)
    note: str = ""

    @property
    def comparable(self) -> bool:
        """A year of today's methodology, with a known number of ranked provinces (2013 on)."""
        return self.of is not None and not self.note


@dataclass
class PeerCell:
    ours: float | None
    median: float | None
    best: float | None

    @property
    def gap(self) -> float | None:
        """Ours minus the national median."""
        return None if self.ours is None or self.median is None else self.ours - self.median


@dataclass
class PeerYear:
    year: int
    best_name: str
    best_total: float | None
    n: int
    cells: dict[str, PeerCell]
    median_total: float | None
    source: str = ""


@dataclass
class Change:
    subindex: SubIndex
    before: float
    after: float
    weight: float          # percent
    multiplier: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def points(self) -> float:
        """PCI points this change moved the total: multiplier × weight × Δ."""
        return self.multiplier * self.weight / 100 * self.delta

    @property
    def bar(self) -> int:
        """Width of the bar on the page, in pixels (40 px a point, at most 160)."""
        return min(160, round(abs(self.points) * 40))


@dataclass
class Trends:
    province: Province | None
    today: dt.date
    points: list[YearPoint]
    subindices: list[SubIndex]
    peers: list[PeerYear]
    changes: list[Change]
    change_years: tuple[int, int] | None
    rank_targets: dict[int, int]
    unpublished: list[int]
    change_note: str = ""

    @property
    def latest(self) -> YearPoint | None:
        return self.points[-1] if self.points else None

    @property
    def comparable_points(self) -> list[YearPoint]:
        """The years drawn in the trend chart: today's methodology (2013 on)."""
        return [p for p in self.points if p.comparable and p.total is not None]

    @property
    def latest_peer(self) -> PeerYear | None:
        return self.peers[-1] if self.peers else None

    @property
    def gains(self) -> list[Change]:
        return [c for c in self.changes if c.delta > 0][:3]

    @property
    def losses(self) -> list[Change]:
        return sorted((c for c in self.changes if c.delta < 0), key=lambda c: c.points)[:3]

    @property
    def total_change(self) -> float | None:
        prev, last = self.previous, self.latest
        if prev is None or last is None or prev.total is None or last.total is None:
            return None
        return last.total - prev.total

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) on the previous year."""
        prev, last = self.previous, self.latest
        if prev is None or last is None or prev.rank is None or last.rank is None:
            return None
        return prev.rank - last.rank

    @property
    def previous(self) -> YearPoint | None:
        if not self.change_years:
            return None
        return next((p for p in self.points if p.year == self.change_years[0]), None)


def _methodology_note(edition_year: EditionYear) -> str:
    """Years VCCI computed with the method before 2013 are marked in the catalog; they are shown, never
    compared with later years."""
    note = (edition_year.methodology_note or "").lower()
    return "Phương pháp trước năm 2013" if "before 2013" in note or "trước 2013" in note or "trước năm 2013" in note else ""


def province_trends(province_slug: str, today: dt.date) -> Trends:
    province = Province.objects.filter(slug=province_slug).first()
    if province is None:
        return Trends(None, today, [], [], [], [], None, {}, [])
    years = {y.year: y for y in EditionYear.objects.select_related("edition")}
    known = {y for y, ey in years.items() if publication_date(ey)[0] <= today}
    results = list(Result.objects.filter(province=province, year__year__in=known).select_related("year", "year__edition")
                   .prefetch_related(Prefetch("scores", queryset=SubIndexScore.objects.select_related("subindex")))
                   .order_by("year__year"))
    points = [YearPoint(year=r.year.year, total=r.total, rank=r.rank, of=r.year.n_ranked or None,
                        group=r.get_group_display() if r.group else "", source=r.source_url,
                        edition=r.year.edition.code, scores={s.subindex.code: s.score for s in r.scores.all()},
                        note=_methodology_note(r.year))
              for r in results]
    unpublished = sorted(y for y in years if y not in known and y <= today.year
                         and y > (points[-1].year if points else 0))
    edition_ids = {years[p.year].edition_id for p in points}
    subindices = list(SubIndex.objects.filter(edition_id__in=edition_ids).select_related("edition")
                      .order_by("edition__first_year", "number"))

    # The field: every province's scores of the years that have them (one query, a few thousand rows).
    field_rows = (SubIndexScore.objects.filter(result__year__year__in=known)
                  .values_list("result__year__year", "result__province_id", "result__province__name", "result__rank",
                               "result__total", "subindex__code", "score"))
    by_year: dict[int, dict[int, dict]] = defaultdict(dict)
    for year, pid, name, rank, total, code, score in field_rows:
        entry = by_year[year].setdefault(pid, {"name": name, "rank": rank, "total": total, "scores": {}})
        entry["scores"][code] = score
    ours_by_year = {p.year: p for p in points}
    peers = []
    for year in sorted(by_year):
        provinces = by_year[year]
        n_ranked = years[year].n_ranked
        if not n_ranked or len(provinces) < PEER_COVERAGE * n_ranked or year not in ours_by_year:
            continue
        best = min((e for e in provinces.values() if e["rank"]), key=lambda e: e["rank"], default=None)
        codes = {c for e in provinces.values() for c in e["scores"]}
        cells = {}
        for code in codes:
            values = [e["scores"][code] for e in provinces.values() if code in e["scores"]]
            cells[code] = PeerCell(ours=ours_by_year[year].scores.get(code),
                                   median=statistics.median(values) if values else None,
                                   best=best["scores"].get(code) if best else None)
        totals = [e["total"] for e in provinces.values() if e["total"] is not None]
        peers.append(PeerYear(year, best["name"] if best else "", best["total"] if best else None, len(provinces),
                              cells, statistics.median(totals) if totals else None, ours_by_year[year].source))

    # Gains and losses on the previous year (same methodology only).
    changes, change_years, change_note = [], None, ""
    scored = [p for p in points if p.scores and p.comparable]
    if len(scored) >= 2:
        before, after = scored[-2], scored[-1]
        change_years = (before.year, after.year)
        if before.edition != after.edition:
            change_note = (f"Năm {before.year} và {after.year} thuộc hai phương pháp khác nhau ({before.edition}, "
                           f"{after.edition}): so sánh chỉ để tham khảo.")
        edition = years[after.year].edition
        for sub in subindices:
            if sub.edition_id != edition.pk:
                continue
            if sub.code in before.scores and sub.code in after.scores:
                changes.append(Change(sub, before.scores[sub.code], after.scores[sub.code], float(sub.weight),
                                      float(edition.total_multiplier)))
        changes.sort(key=lambda c: -c.points)

    rank_targets = {}
    for year, value in (Plan.objects.filter(province=province, targets__kind=TargetKind.RANK)
                        .exclude(status=PlanStatus.DRAFT).values_list("year", "targets__value")):
        if value is not None:
            rank_targets.setdefault(year, int(value))
    subindices = [s for s in subindices if points and s.edition_id == years[points[-1].year].edition_id]
    return Trends(province, today, points, subindices, peers, changes, change_years, rank_targets, unpublished,
                  change_note)
