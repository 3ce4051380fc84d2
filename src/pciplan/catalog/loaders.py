"""Load the shipped catalog data (src/pciplan/data) into the database — idempotent.

Running it twice changes nothing; running it after a data file changed updates exactly what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.db import transaction

from .models import (
    Edition,
    EditionYear,
    Group,
    GroupCutoff,
    Indicator,
    IndicatorValue,
    Province,
    ProvinceSuccession,
    Result,
    SubIndex,
    SubIndexScore,
)
from .services import check_weights

DATA = Path(str(resources.files("pciplan.data")))


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, created: int = 0, updated: int = 0):
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def summary(self) -> str:
        parts = [f"{name}: +{self.created.get(name, 0)} mới, {self.updated.get(name, 0)} cập nhật"
                 for name in dict.fromkeys([*self.created, *self.updated])]
        return "; ".join(parts) or "không có thay đổi"


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _float(text):
    text = (text or "").strip()
    return float(text) if text else None


def _int(text):
    text = (text or "").strip()
    return int(float(text)) if text else None


def _date(text):
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def _sync(report: LoadReport, name: str, model, lookup: dict, values: dict):
    """update_or_create that counts only real changes."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        report.add(name, created=1)
        return obj
    dirty = [k for k, v in values.items() if getattr(obj, k) != v]
    if dirty:
        for k in dirty:
            setattr(obj, k, values[k])
        obj.save()
        report.add(name, updated=1)
    return obj


def load_provinces(report: LoadReport) -> dict[str, Province]:
    folder = DATA / "provinces"
    old = {r["slug"]: r for r in _rows(folder / "provinces_63.csv")}
    new = {r["slug"]: r for r in _rows(folder / "provinces_34.csv")}
    provinces = {}
    for slug in dict.fromkeys([*old, *new]):
        row_old, row_new = old.get(slug), new.get(slug)
        row = row_new or row_old
        aliases = sorted({a for r in (row_old, row_new) if r for a in (r.get("aliases") or "").split("|") if a})
        values = {
            "name": row["name"], "kind": row.get("kind", ""),
            "valid_from": _date(row_old["valid_from"]) if row_old else _date(row_new["valid_from"]),
            "valid_to": None if row_new else _date(row_old["valid_to"]),
            "aliases": aliases,
        }
        provinces[slug] = _sync(report, "tỉnh", Province, {"slug": slug}, values)
    for row in _rows(folder / "province_mapping.csv"):
        if row["old_slug"] == row["new_slug"]:
            continue
        _sync(report, "sáp nhập tỉnh", ProvinceSuccession,
              {"old": provinces[row["old_slug"]], "new": provinces[row["new_slug"]]},
              {"effective_date": _date(row["effective_date"]), "note": row.get("note", "")[:300],
               "source": row.get("source", "")[:300]})
    return provinces


def load_editions(report: LoadReport) -> dict[str, Edition]:
    editions = {}
    for path in sorted((DATA / "pci" / "editions").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        from decimal import Decimal

        weights = {s["code"]: Decimal(str(s["weight_percent"])) for s in spec["subindices"]}
        check_weights(weights)
        edition = _sync(report, "phiên bản", Edition, {"code": spec["code"]}, {
            "index": spec.get("index", "PCI"), "name": spec.get("name_vi") or spec["code"],
            "first_year": spec["first_year"], "last_year": spec.get("last_year"),
            "is_example": bool(spec.get("is_example") or spec.get("example")),
            "source": spec.get("source", "") if isinstance(spec.get("source", ""), str) else json.dumps(spec["source"], ensure_ascii=False),
            "notes": spec.get("notes", "") if isinstance(spec.get("notes", ""), str) else " ".join(spec["notes"]),
        })
        for s in spec["subindices"]:
            _sync(report, "chỉ số thành phần", SubIndex, {"edition": edition, "code": s["code"]}, {
                "number": s["number"], "name": s["name_vi"], "name_en": s.get("name_en", ""),
                "weight": Decimal(str(s["weight_percent"])), "aliases": s.get("aliases", []),
            })
        editions[edition.code] = edition
    return editions


def load_years_and_results(report: LoadReport, provinces: dict[str, Province], editions: dict[str, Edition]):
    folder = DATA / "pci"
    years = {}
    # Years before the first edition (2006–2012) are kept as published under the earliest edition's ten
    # sub-indices, marked "methodology before 2013" and never recomputed.
    earliest = min((e for e in editions.values() if e.index == "PCI" and not e.is_example),
                   key=lambda e: e.first_year, default=None)
    for row in _rows(folder / "years.csv"):
        year_number = int(row["year"])
        edition = editions.get(row["edition"])
        if edition is None and earliest is not None and year_number < earliest.first_year:
            edition = earliest
        if edition is None:
            continue
        years[year_number] = _sync(report, "năm công bố", EditionYear, {"year": year_number}, {
            "edition": edition, "n_ranked": _int(row.get("n_ranked")),
            "published_top": _int(row.get("published_top")), "survey_firms": _int(row.get("survey_firms")),
            "methodology_note": row.get("methodology_note", ""), "source_url": row.get("source_url", ""),
        })
    for row in _rows(folder / "group_cutoffs.csv"):
        year = years.get(int(row["year"]))
        group = Group.from_label(row["group"])
        # The lowest group has no floor: every score below the next group's cut-off.
        min_score = _float(row.get("min_score"))
        if year and group and min_score is not None:
            _sync(report, "ngưỡng nhóm", GroupCutoff, {"year": year, "group": group},
                  {"min_score": min_score, "note": (row.get("note") or row.get("source") or "")[:300]})
    subindex_cache = {(s.edition_id, s.code): s for s in SubIndex.objects.all()}
    existing_scores = {(sc.result_id, sc.subindex_id): sc for sc in SubIndexScore.objects.all()}
    new_scores, changed_scores = [], []
    ranked: dict[int, set[int]] = {}
    for row in _rows(folder / "results.csv"):
        year = years.get(int(row["year"]))
        province = provinces.get(row["province_slug"])
        if year is None or province is None:
            continue
        group = Group.from_label(row.get("group"))
        result = _sync(report, "kết quả", Result, {"year": year, "province": province}, {
            "total": _float(row.get("pci")), "rank": _int(row.get("rank")), "group": group or "",
            "precision": row.get("precision", ""), "source_url": row.get("source_url", ""),
            "methodology_note": row.get("methodology_note", "")[:300],
        })
        if result.rank:
            ranked.setdefault(year.pk, set()).add(province.pk)
        for (edition_id, code), subindex in subindex_cache.items():
            if edition_id != year.edition_id:
                continue
            value = _float(row.get(code))
            if value is None:
                continue
            current = existing_scores.get((result.pk, subindex.pk))
            if current is None:
                new_scores.append(SubIndexScore(result=result, subindex=subindex, score=value))
            elif current.score != value:
                current.score = value
                changed_scores.append(current)
    SubIndexScore.objects.bulk_create(new_scores, batch_size=1000)
    SubIndexScore.objects.bulk_update(changed_scores, ["score"], batch_size=1000)
    report.add("điểm chỉ số thành phần", created=len(new_scores), updated=len(changed_scores))
    for year in years.values():
        ids = ranked.get(year.pk, set())
        if ids and set(year.ranked_provinces.values_list("pk", flat=True)) != ids:
            year.ranked_provinces.set(ids)
            report.add("tỉnh được xếp hạng", updated=1)
    return years


def load_indicators(report: LoadReport, provinces: dict[str, Province], years: dict[int, EditionYear]):
    folder = DATA / "pci"
    subindex_cache = {(s.edition_id, s.code): s for s in SubIndex.objects.all()}
    indicators = {}
    for row in _rows(folder / "indicators.csv"):
        year = years.get(int(row["year"]))
        if year is None:
            continue
        subindex = subindex_cache.get((year.edition_id, row["subindex_code"]))
        if subindex is None:
            continue
        indicators[(year.year, row["code"])] = _sync(report, "chỉ tiêu", Indicator, {"year": year, "code": row["code"]}, {
            "subindex": subindex, "number": _int(row.get("number")) or 0, "label": row.get("label_vi", ""),
            "direction": _int(row.get("direction")) or 1, "source_type": row.get("source_type", ""),
            "is_percent": (row.get("is_percent") or "").strip().lower() in {"1", "true", "yes"},
            "lower_bound": _float(row.get("lower_bound")), "upper_bound": _float(row.get("upper_bound")),
            "bounds_note": (row.get("bounds_note") or "")[:300],
        })
    existing = {(v.indicator_id, v.province_id): v for v in IndicatorValue.objects.all()}
    new_values, changed = [], []
    for row in _rows(folder / "indicator_values.csv"):
        indicator = indicators.get((int(row["year"]), row["code"]))
        province = provinces.get(row["province_slug"])
        value = _float(row.get("value"))
        if indicator is None or province is None or value is None:
            continue
        current = existing.get((indicator.pk, province.pk))
        if current is None:
            new_values.append(IndicatorValue(indicator=indicator, province=province, value=value,
                                             source_url=row.get("source_url", "")))
        elif current.value != value:
            current.value = value
            changed.append(current)
    IndicatorValue.objects.bulk_create(new_values, batch_size=2000)
    IndicatorValue.objects.bulk_update(changed, ["value"], batch_size=2000)
    report.add("giá trị chỉ tiêu", created=len(new_values), updated=len(changed))


@transaction.atomic
def load_catalog() -> LoadReport:
    report = LoadReport()
    provinces = load_provinces(report)
    editions = load_editions(report)
    years = load_years_and_results(report, provinces, editions)
    load_indicators(report, provinces, years)
    return report
