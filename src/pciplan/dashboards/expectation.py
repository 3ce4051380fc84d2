"""The leader's "expected total and rank": the plan's sub-index targets met, the other sub-indices at their
baseline scores, computed by the engine's what-if (:func:`pciplan.engine.whatif.what_if`) and ranked against
the other provinces of the plan year (or, when the shipped data have no field for it, of the baseline year).

It is an estimate under a stated assumption, never a result: the page shows the assumption in words. The
engine reads only the data shipped with the package; a result is cached per process (the inputs are few and
the data do not change while the server runs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pciplan.lib.dates import format_date
from pciplan.lib.numbers import format_number

from .status import results_available_from


def _engine():
    """The engine's what-if and its error class, imported on first use (pandas and numpy are slow to load);
    ``(None, None)`` in a build without the simulator."""
    try:
        from pciplan.engine.errors import EngineError
        from pciplan.engine.whatif import what_if
    except ImportError:  # pragma: no cover - a build without the simulator
        return None, None
    return what_if, EngineError


@dataclass(frozen=True)
class Expected:
    available: bool
    total: float | None = None
    rank: int | None = None
    of: int | None = None
    group: str | None = None
    total_before: float | None = None
    rank_before: int | None = None
    base_year: int | None = None
    field_year: int | None = None
    n_targets: int = 0
    assumption: str = ""
    notes: tuple[str, ...] = field(default=())
    reason: str = ""

    @property
    def total_change(self) -> float | None:
        if self.total is None or self.total_before is None:
            return None
        return self.total - self.total_before


def unavailable(reason: str = "Kế hoạch chưa có mục tiêu chỉ số thành phần.") -> Expected:
    return Expected(available=False, reason=reason)


@lru_cache(maxsize=256)
def _run(province: str, base_year: int, field_year: int, scores: tuple[tuple[str, float], ...]):
    what_if, _error = _engine()
    return what_if(province, base_year=base_year, field_year=field_year, set_scores=dict(scores))


def expected_for(plan, rows: Sequence, today: dt.date) -> Expected:
    """The expected total and rank of ``plan``'s province if every sub-index target is met exactly."""
    subindex_rows = [r for r in rows if r.target.kind == "subindex" and r.target.value is not None
                     and r.target.subindex_id and r.target.comparator in (">=", ">")]
    if not subindex_rows:
        return unavailable()
    what_if, EngineError = _engine()
    if what_if is None:
        return unavailable("Bộ mô phỏng (engine) chưa có trong bản cài đặt này.")
    scores = tuple(sorted((r.target.subindex.code, float(r.target.value)) for r in subindex_rows))
    base_year = next((r.target.baseline_year for r in subindex_rows if r.target.baseline_year), plan.year - 1)
    slug = plan.province.slug
    result, errors = None, []
    for field_year in dict.fromkeys([plan.year, base_year]):
        try:
            result = _run(slug, base_year, field_year, scores)
            break
        except EngineError as exc:
            errors.append(str(exc))
    if result is None:
        return unavailable("Chưa ước tính được: " + " ".join(errors))
    n = len(scores)
    names = ", ".join(f"{r.target.subindex.name} {format_number(r.target.value)}" for r in subindex_rows)
    others = len(result.edition.codes) - n
    assumption = (f"Giả định {n} chỉ số thành phần đạt đúng mức mục tiêu ({names})"
                  + (f", {others} chỉ số còn lại giữ điểm năm {base_year}" if others else "")
                  + f"; tổng điểm tính theo trọng số phương pháp {result.edition.code}; thứ hạng so với tổng điểm "
                  f"các tỉnh khác năm {result.spec.field_year}.")
    notes = list(result.notes)
    field_known = results_available_from(result.spec.field_year)
    if today < field_known:
        notes.append(f"Tổng điểm các tỉnh khác năm {result.spec.field_year} chỉ được công bố từ khoảng "
                     f"{format_date(field_known)}, sau ngày {format_date(today)}: thứ hạng ước tính ở đây chỉ để minh họa.")
    return Expected(
        available=True, total=result.total_after, rank=result.rank_after, of=result.n_ranked, group=result.group_after,
        total_before=result.total_before, rank_before=result.rank_before, base_year=base_year,
        field_year=result.spec.field_year, n_targets=n, assumption=assumption, notes=tuple(notes))
