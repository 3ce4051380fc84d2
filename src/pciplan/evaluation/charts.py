"""The evaluation's charts, drawn by :mod:`pciplan.charts` from the evaluation dict (one code path for the
page's SVG and the document's PNG)."""

from __future__ import annotations

from pciplan import charts as pc
from pciplan.web.chartcache import Drawn

_STATUS = {"met": pc.MET, "not_met": pc.MISSED, "not_measurable": pc.NO_DATA}


def _num(value):
    return None if value is None else float(value)


def _target_results(targets: list[dict]) -> list[pc.TargetResult]:
    out = []
    for t in targets:
        if t["kind"] == "group" or t["target"] is None:
            continue  # a group is a word, not a bar; it is in the table beside the chart
        unit = "hạng" if t["kind"] == "rank" else (t["unit"] or "điểm")
        label = t["label"] if t["kind"] != "rank" else "Thứ hạng PCI"
        out.append(pc.TargetResult(label, _num(t["baseline_value"]), float(t["target"]), _num(t["actual"]), unit=unit,
                                   higher_is_better=t["comparator"] in (">=", ">"), status=_STATUS[t["status"]]))
    return out


def _source(data: dict) -> str:
    return f"Nguồn: VCCI, PCI {data['year']}; mục tiêu theo {data['plan']['reference']}."


def _baseline_year(data: dict) -> int | None:
    years = [t["baseline_year"] for t in data["targets"] if t.get("baseline_year")]
    return max(set(years), key=years.count) if years else None


def _as_dict(chart: pc.Chart) -> Drawn:
    return Drawn.of(chart, kind="evaluation")


def targets_chart_object(data: dict) -> pc.Chart | None:
    results = _target_results(data["targets"])
    if not results:
        return None
    return pc.target_chart(results, year=data["year"], baseline_year=_baseline_year(data),
                           title=f"Mục tiêu năm {data['year']}: năm gốc → mục tiêu → kết quả công bố",
                           source=_source(data))


def targets_chart(data: dict) -> dict | None:
    chart = targets_chart_object(data)
    return _as_dict(chart) if chart else None


def units_chart_object(data: dict) -> pc.Chart | None:
    """The units of the agency by outcome of the accountability rule, at a glance."""
    units = [u for u in data["units"] if u["internal"]]
    if not units:
        return None
    counts: dict[str, int] = {}
    order = (("Được xét “Hoàn thành xuất sắc”", True), ("Không được xếp loại “Hoàn thành xuất sắc”", False),
             ("Chưa xác định", None))
    for label, value in order:
        n = sum(1 for u in units if u["excellent_rating_allowed"] is value)
        if n:
            counts[label] = n
    # status_chart colours only its own status words; these labels get its neutral, hatched styles.
    chart = pc.status_chart(list(counts.items()),
                            title=f"Đơn vị theo kết quả áp dụng quy định trách nhiệm — năm {data['year']}",
                            unit="đơn vị", source=f"Theo {data['plan']['reference']}.")
    return chart


def units_chart(data: dict) -> dict | None:
    chart = units_chart_object(data)
    return _as_dict(chart) if chart else None


def unit_chart_object(data: dict, unit: dict) -> pc.Chart | None:
    keys = [r["target"] for r in unit["roles"] if r["role"] in ("lead", "owner")]
    targets = [t for t in data["targets"] if t["key"] in keys]
    results = _target_results(targets)
    if not results:
        return None
    return pc.target_chart(results, year=data["year"], baseline_year=_baseline_year(data),
                           title=f"Mục tiêu {unit['short_name'] or unit['name']} chủ trì, đầu mối — năm {data['year']}",
                           source=_source(data))


def unit_chart(data: dict, unit: dict) -> dict | None:
    chart = unit_chart_object(data, unit)
    return _as_dict(chart) if chart else None
